"""CLI paths no other test took: `provision --loa-file`, `undo --number`, `journal --limit`, and
`bulk_concurrency` read from the profile. Against a sandbox on loopback, run in-process."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import matching
from tests.helpers import TENANT, cli_runner

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_provision_with_an_loa_file_uploads_it_once_and_every_number_carries_its_url(run, sandbox, tmp_path):
    loa = tmp_path / "loa.pdf"
    loa.write_bytes(PDF)
    numbers = ["+14155557201", "+14155557202"]
    code, out, err = run("--tenant-id", TENANT, "provision", *numbers, "--class", "P2P", "--type", "SMS",
                         "--loa-file", str(loa), "--wait")
    assert code == 0, err
    assert "Completed" in out
    assert sandbox.state.loa_count() == 1
    urls = {sandbox.state.detail(n)["loaUrl"] for n in numbers}
    assert len(urls) == 1 and urls.pop().startswith("https://sandbox.actui.invalid/loa/")


def test_a_bad_loa_file_or_a_bad_number_is_refused_before_anything_is_sent(run, sandbox, tmp_path):
    empty, loa = tmp_path / "empty.pdf", tmp_path / "loa.pdf"
    empty.write_bytes(b"")
    loa.write_bytes(PDF)
    before = sandbox.faults.stats.requests
    code, out, err = run("--tenant-id", TENANT, "provision", "+14155557203", "--class", "P2P", "--type", "SMS",
                         "--loa-file", str(empty))
    assert code == 2 and out == "" and "loaFile" in err and "empty" in err
    code, out, err = run("--tenant-id", TENANT, "provision", "+14155557204", "--class", "P2P", "--type", "SMS",
                         "--loa-file", str(tmp_path / "missing.pdf"))
    assert code == 2 and "loaFile" in err
    code, out, err = run("--tenant-id", TENANT, "provision", "12", "--class", "P2P", "--type", "SMS",
                         "--loa-file", str(loa))
    assert code == 2 and "phoneNumbers[0].number" in err
    assert sandbox.faults.stats.requests == before and sandbox.state.loa_count() == 0


def test_undo_number_writes_back_only_that_number(run, sandbox):
    a2p = matching(sandbox, "class:a2p")
    before = {n: sandbox.state.detail(n)["description"] for n in a2p}
    assert run("numbers", "update", "--where", "class:a2p", "--set", "description=Undo one", "--yes")[0] == 0
    code, out, err = run("undo", "1", "--number", a2p[0], "--number", a2p[2], "--yes", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["counts"] == {"changed": 2}
    assert sorted(i["number"] for i in result["results"]) == sorted([a2p[0], a2p[2]])
    for index, number in enumerate(a2p):
        expected = before[number] if index in (0, 2) else "Undo one"
        assert sandbox.state.detail(number)["description"] == expected, number
    p2p = next(n for n in sandbox.state.numbers() if n not in a2p)
    requests = sandbox.faults.stats.requests
    code, out, err = run("undo", "1", "--number", p2p, "--yes")
    assert code == 1 and p2p in err and sandbox.faults.stats.requests == requests   # not in the run


def test_journal_limit_caps_runs_items_and_matches(run, sandbox):
    numbers = sandbox.state.numbers()[:3]
    for index, number in enumerate(numbers):
        assert run("numbers", "update", number, "--set", f"description=Limited {index}")[0] == 0
    assert run("numbers", "update", "--where", "class:a2p", "--set", "description=Limited bulk", "--yes")[0] == 0
    code, out, _ = run("journal", "--json")
    assert code == 0 and len(json.loads(out)) == 4
    code, out, _ = run("journal", "--limit", "2", "--json")
    assert [r["id"] for r in json.loads(out)] == [4, 3]               # the newest two
    code, out, _ = run("journal", "--run", "4", "--limit", "3", "--json")
    assert len(json.loads(out)["items"]) == 3
    code, out, _ = run("journal", "Limited", "--limit", "2", "--json")
    assert len(json.loads(out)) == 2
    code, out, _ = run("journal", "--limit", "1")
    rows = out.strip().splitlines()
    assert code == 0 and len(rows) == 2 and rows[1].split()[0] == "4"   # the header and the newest run
    with pytest.raises(SystemExit) as refused:
        run("journal", "--limit", "0")
    assert refused.value.code == 2


def test_bulk_concurrency_comes_from_the_profile(sandbox_factory, scripted_proxy, monkeypatch, capsys, tmp_path):
    server = sandbox_factory(numbers=30, faults="latency=40ms")   # answers take a while: requests overlap
    proxy = scripted_proxy(server)
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(
        'default = "slow"\n\n[profiles.slow]\n'
        f'base_url = "{proxy.base_url}"\nuser = "{proxy.user}"\nbulk_concurrency = 2\n')
    run = cli_runner(server, monkeypatch, capsys)
    monkeypatch.delenv("ACTUI_BASE_URL")
    monkeypatch.delenv("ACTUI_USER")
    code, out, err = run("numbers", "update", "--where", "", "--set", "description=Two at a time", "--yes")
    assert code == 0, err
    assert all(server.state.detail(n)["description"] == "Two at a time" for n in server.state.numbers())
    assert proxy.max_in_flight == 2                  # the profile's 2, not the default 8
    proxy.max_in_flight = 0
    code, out, err = run("numbers", "update", "--where", "", "--set", "description=Four", "--yes",
                         "--concurrency", "4")
    assert code == 0, err
    assert proxy.max_in_flight == 4                  # the flag wins over the profile
