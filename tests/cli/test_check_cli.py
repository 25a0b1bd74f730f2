"""`actui check` against a sandbox on loopback: the policies of policies.toml judged over the local copy
(brought up to date first), exit 5 when a number breaks one and 0 when none, 2 for an error in the file;
JSON with exact values; hostile server text made safe; the copy answering when the API is unreachable."""

from __future__ import annotations

import json
import re

import pytest

from actui import paths
from actui.api.client import ApiClient
from actui.core.policies import BUILTIN_NAMES, EXAMPLE
from tests.cli.helpers import matching, write_policies
from tests.fixtures.hostile import HOSTILE, assert_terminal_safe, seed_hostile
from tests.helpers import cli_runner, fast_retry

A2P_DESCRIBED = """
[[policy]]
name = "a2p-described"
description = "A2P numbers say what they are"
where = "class:a2p"
require = { description = "A2P line" }
"""

A2P_CLASS = """
[[policy]]
name = "a2p-class"
where = "class:a2p"
require = { provisionClass = "A2P" }
"""

EVERY_DESCRIBED = """
[[policy]]
name = "described"
require = { description = "A2P line" }
"""

OFFLINE_WARNING = re.compile(r"actui: the API is unreachable; answering from the local copy of \d\d:\d\d "
                             r"\(\d+ s old\)\n")


def described(server, numbers: list[str]) -> list[str]:
    return [n for n in numbers if server.state.detail(n).get("description") != "A2P line"]


def test_no_number_breaking_exits_0_and_says_so(run, sandbox):
    write_policies(A2P_CLASS)

    code, out, err = run("check")

    assert code == 0, err
    assert f"a2p-class\n  {len(matching(sandbox, 'class:a2p'))} numbers checked, 0 breaking\n" in out
    assert "no number breaks any of the 1 policies" in out
    assert "data: 120 numbers in the local copy, 120 with details (judged), oldest detail of " in out


def test_a_breaking_number_exits_5_with_each_field_held_and_required(run, sandbox):
    a2p = matching(sandbox, "class:a2p")
    sandbox.state.update(a2p[1], {"description": "A2P line"})   # one already as required
    write_policies(A2P_DESCRIBED)

    code, out, err = run("check", "--all")

    assert code == 5, err
    breaking = described(sandbox, a2p)
    assert len(breaking) == len(a2p) - 1
    assert (f"a2p-described: A2P numbers say what they are\n  {len(a2p)} numbers checked, "
            f"{len(breaking)} breaking, {len(breaking)} fixable by `actui fix a2p-described`\n") in out
    for number in breaking:
        held = json.dumps(sandbox.state.detail(number).get("description"))
        assert f"  {number}  description: {held} → \"A2P line\"\n" in out
    assert a2p[1] not in out
    assert f"{len(breaking)} numbers break 1 of 1 policies (a2p-described)" in out
    # the details were read first, said on stderr
    assert "actui: reading 120 details (missing or older than 15m)…" in err


def test_without_all_each_policy_shows_its_first_numbers_and_how_many_more(run, sandbox):
    write_policies(A2P_DESCRIBED)
    breaking = described(sandbox, matching(sandbox, "class:a2p"))
    assert len(breaking) > 20

    code, out, _ = run("check")

    assert code == 5
    shown = [n for n in breaking if f"  {n}  description" in out]
    assert shown == breaking[:20]
    assert f"  ... and {len(breaking) - 20} more (--all lists every one)" in out


def test_absent_fields_and_several_requirements_are_listed_per_number(run, sandbox):
    write_policies("""
[[policy]]
name = "stop"
where = "class:a2p"
require = { "settings.optOut.enabled" = true, "settings.optOut.text" = "STOP" }
""")
    number = matching(sandbox, "class:a2p")[0]
    doc = sandbox.state.detail(number)
    doc["settings"]["optOut"] = {"enabled": False}
    sandbox.state.put_raw(doc)

    code, out, _ = run("check", "--all")

    assert code == 5
    pad = " " * len(number)
    assert (f"  {number}  settings.optOut.enabled: false → true\n"
            f"  {pad}  settings.optOut.text: absent → \"STOP\"\n") in out


def test_json_holds_exact_values_and_the_data_age(run, sandbox):
    write_policies(A2P_DESCRIBED + A2P_CLASS + EVERY_DESCRIBED)
    hostile = seed_hostile(sandbox, matching(sandbox, "class:p2p")[0])   # its class, hostile too, is neither

    code, out, err = run("check", "--json")

    assert code == 5, err
    answer = json.loads(out)
    assert answer["broken"] is True and answer["offline"] is False
    assert answer["file"] == str(paths.policies_file())
    first, second, every = answer["policies"]
    assert [first["name"], first["builtin"], second["name"]] == ["a2p-described", False, "a2p-class"]
    a2p = matching(sandbox, "class:a2p")
    assert first["checked"] == len(a2p) == second["checked"] and every["checked"] == 120
    assert [b["number"] for b in first["breaking"]] == described(sandbox, a2p)
    assert [b["number"] for b in every["breaking"]] == described(sandbox, sandbox.state.numbers())
    by_number = {b["number"]: b["fields"] for b in every["breaking"]}
    assert by_number[hostile] == [{"path": "description", "expected": '"A2P line"',
                                   "actual": sandbox.state.detail(hostile)["description"], "absent": False}]
    assert HOSTILE in by_number[hostile][0]["actual"]      # exact, escapes and all
    assert second["breaking"] == [] and second["breakingCount"] == 0
    assert answer["dataAge"]["numbers"] == 120 and answer["dataAge"]["withDetails"] == 120
    assert answer["dataAge"]["oldestDetailAge"] >= 0


def test_an_absent_field_is_null_and_absent_in_json(run, sandbox):
    write_policies("""
[[policy]]
name = "brand"
where = "class:a2p"
require = { "settings.optOut.text" = "STOP" }
""")
    number = matching(sandbox, "class:a2p")[0]
    doc = sandbox.state.detail(number)
    doc["settings"].pop("optOut", None)
    sandbox.state.put_raw(doc)

    _, out, _ = run("check", "--json")

    [fields] = [b["fields"] for b in json.loads(out)["policies"][0]["breaking"] if b["number"] == number]
    assert fields == [{"path": "settings.optOut.text", "expected": '"STOP"', "actual": None, "absent": True}]


def test_hostile_server_text_cannot_drive_the_terminal(run, sandbox):
    write_policies(EVERY_DESCRIBED, builtins=True)
    hostile = seed_hostile(sandbox)

    code, out, err = run("check", "--all")

    assert code == 5
    assert f"  {hostile}  description: " in out and "wiped" in out
    assert_terminal_safe(out + err)


def test_the_builtin_checks_run_when_the_file_leaves_them_on(run, sandbox):
    write_policies("", builtins=True)

    code, out, _ = run("check", "--json")

    names = [p["name"] for p in json.loads(out)["policies"]]
    assert names == list(BUILTIN_NAMES)
    assert all(p["builtin"] for p in json.loads(out)["policies"])
    assert code == (5 if any(p["breaking"] for p in json.loads(out)["policies"]) else 0)


def test_policy_chooses_the_policies_judged(run, sandbox):
    write_policies(A2P_DESCRIBED + A2P_CLASS)
    code, out, _ = run("check", "--policy", "a2p-class", "--json")
    assert code == 0 and [p["name"] for p in json.loads(out)["policies"]] == ["a2p-class"]


def test_first_use_writes_the_example_file(run, sandbox):
    assert not paths.policies_file().exists()
    code, out, _ = run("check", "--json")
    assert paths.policies_file().read_text(encoding="utf-8") == EXAMPLE
    assert code in (0, 5) and [p["name"] for p in json.loads(out)["policies"]] == list(BUILTIN_NAMES)


@pytest.mark.parametrize(("setup", "args", "said"), [
    ("[[policy]]\nname = \"x\"\nrequire = { \"settings.optOut.enabld\" = true }\n", (),
     r"^actui: policies\.toml:3: settings\.optOut\.enabld: unknown field.*enabled"),
    (A2P_CLASS, ("--policy", "nope"), r"^actui: no policy named nope in .*policies: a2p-class"),
    (A2P_CLASS, ("--policies", "/nonexistent/p.toml"), r"^actui: p\.toml: no such file"),
    (A2P_CLASS, ("--policy", "ooo-ended"), r"^actui: the built-in check ooo-ended is switched off in \[builtin\]"),
])
def test_a_bad_policy_file_or_name_exits_2_before_any_request(run, sandbox, setup, args, said):
    write_policies(setup)
    before = sandbox.faults.stats.requests

    code, out, err = run("check", *args)

    assert code == 2 and out == ""
    assert re.search(said, err) and err.count("\n") == 1, err
    assert sandbox.faults.stats.requests == before


def test_policies_names_another_file(run, sandbox, tmp_path):
    other = tmp_path / "team.toml"
    other.write_text(A2P_CLASS + "\n[builtin]\n" + "".join(f"{n} = false\n" for n in BUILTIN_NAMES))
    code, out, _ = run("check", "--policies", str(other), "--json")
    assert code == 0 and json.loads(out)["file"] == str(other)
    assert not paths.policies_file().exists()      # the default file is not written for another


# --- the API unreachable ---------------------------------------------------------------------------


@pytest.fixture
def quick_client(monkeypatch):
    """The CLI's client with the real retries, back-off scaled down, and a short timeout."""
    real_init = ApiClient.__init__

    def init(self, *args, **kwargs):
        kwargs.update(retry=fast_retry(), timeout=0.5)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(ApiClient, "__init__", init)


def test_unreachable_api_answers_from_the_copy_with_the_same_exit_codes(sandbox_factory, monkeypatch, capsys,
                                                                        quick_client):
    from tests.cli.helpers import profile

    server = sandbox_factory()
    run = cli_runner(server, monkeypatch, capsys)
    write_policies(A2P_DESCRIBED)
    code, online, _ = run("check", "--json")
    assert code == 5
    server.stop()
    profile(max_age=0)     # every reading too old: the API is asked, and is not there

    code, out, err = run("check", "--json")

    assert code == 5 and OFFLINE_WARNING.fullmatch(err), err
    answer, before = json.loads(out), json.loads(online)
    assert answer["offline"] is True and answer["policies"] == before["policies"]
    code, out, err = run("check")
    assert code == 5 and "a2p-described" in out and OFFLINE_WARNING.fullmatch(err)
    write_policies(A2P_CLASS)
    assert run("check")[0] == 0


def test_an_unreachable_api_and_an_empty_copy_is_an_error(sandbox_factory, monkeypatch, capsys, quick_client):
    server = sandbox_factory()
    run = cli_runner(server, monkeypatch, capsys)
    write_policies(A2P_CLASS)
    server.stop()

    code, out, err = run("check", "--json")

    assert code == 1 and out == ""
    assert "the API is unreachable" in err and "holds no numbers yet" in err and err.count("\n") == 1


@pytest.mark.parametrize("spec", ["error_every=2", "drop_every=2", "rate_limit=1"])
def test_faults_a_retry_gets_past_give_the_same_answer(sandbox_factory, monkeypatch, capsys, spec):
    server = sandbox_factory(numbers=30)
    run = cli_runner(server, monkeypatch, capsys)
    write_policies(EVERY_DESCRIBED)
    expected = {n: server.state.detail(n).get("description") for n in server.state.numbers()}
    server.faults.set(spec)

    code, out, err = run("check", "--json")

    assert code == 5, err
    answer = json.loads(out)
    [policy] = answer["policies"]
    # a detail whose every attempt met the fault is told on stderr, and its number is not judged
    assert policy["checked"] == answer["dataAge"]["withDetails"]
    assert policy["checked"] == 30 or "details could not be read" in err
    found = {b["number"]: b["fields"][0]["actual"] for b in policy["breaking"]}
    breaking = {n: d for n, d in expected.items() if d != "A2P line"}
    assert found.items() <= breaking.items() and len(found) >= len(breaking) - (30 - policy["checked"])


@pytest.mark.parametrize("spec", ["forbidden_every=1", "traceback_every=1", "html_every=1"])
def test_a_server_that_always_fails_is_one_clear_line_and_no_json(sandbox_factory, monkeypatch, capsys, spec,
                                                                   quick_client):
    server = sandbox_factory(numbers=30)
    run = cli_runner(server, monkeypatch, capsys)
    write_policies(EVERY_DESCRIBED)
    server.faults.set(spec)

    code, out, err = run("check", "--json")

    assert code == 1 and out == ""
    assert err.startswith("actui: ") and err.count("\n") == 1 and "Traceback" not in err, err
