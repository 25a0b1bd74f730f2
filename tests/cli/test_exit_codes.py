"""Every exit code of the README's table, each produced through the real CLI against a sandbox on loopback:
0 success, 1 error, 2 usage (a bad --set path or value, a malformed number: nothing sent), 3 an order not
Completed, 4 authentication (401, or no password where none can be asked for), 5 a policy broken,
130 interrupted."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import keyring.backends.fail
import pytest

from actui.cli import main
from tests.cli.helpers import journal_for, keyring_backend, matching, profile, write_policies
from tests.helpers import TENANT

README = Path(__file__).resolve().parents[2] / "README.md"
TESTED = {0, 1, 2, 3, 4, 5, 130}


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def writes(sandbox, monkeypatch):
    """Every PUT the sandbox receives."""
    seen = []
    real_update = sandbox.state.update

    def update(number, body):
        seen.append((number, body))
        return real_update(number, body)

    monkeypatch.setattr(sandbox.state, "update", update)
    return seen


def test_the_readme_table_lists_exactly_the_codes_tested_here():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| exit code |"):]
    table = table[:table.index("\n\n")]
    codes = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.M)}
    assert codes == TESTED


def test_0_success(run, sandbox):
    code, out, err = run("numbers", "list", "--limit", "1", "--json")
    assert code == 0 and out.startswith("["), err


def test_1_error_a_number_the_server_does_not_have(run, sandbox):
    code, out, err = run("numbers", "show", "+14155550999")
    assert code == 1 and out == "" and "not found" in err


@pytest.mark.parametrize("args, said", [
    (("numbers", "update", "{n}", "--set", "settings.optOut.enabled=maybe"),
     "settings.optOut.enabled: 'maybe' is not true or false"),
    (("numbers", "update", "{n}", "--set", "settings.optOut.enabld=true"),
     "did you mean settings.optOut.enabled?"),
    (("numbers", "update", "{n}", "--set", "settings.nosuch=1"), "settings.nosuch: is not a field actui knows"),
    (("numbers", "update", "{n}", "--set", "description=x", "--expect", "settings.optOut.enabld=true"),
     "--expect: settings.optOut.enabld"),
    (("numbers", "update", "--where", "class:p2p", "--set", "settings.nosuch=1", "--yes"),
     "settings.nosuch: is not a field actui knows"),
    (("numbers", "update", "12", "--set", "description=x"), "number: '12' is not a valid phone number"),
    (("numbers", "show", "12"), "number: '12' is not a phone number"),
    (("numbers", "show", "not-a-number"), "number: 'not-a-number' is not a phone number"),
])
def test_2_usage_nothing_written(run, sandbox, writes, args, said):
    number = sandbox.state.numbers()[0]
    code, out, err = run(*(a.format(n=number) for a in args))
    assert code == 2 and out == "" and said in err and err.count("\n") == 1
    assert writes == [] and journal_for(sandbox).runs() == []


def test_2_usage_a_malformed_number_is_refused_before_any_request(run, sandbox):
    requests = sandbox.faults.stats.requests
    assert run("numbers", "show", "12")[0] == 2
    assert run("numbers", "update", "12", "--set", "description=x")[0] == 2
    assert sandbox.faults.stats.requests == requests


def test_2_usage_an_unknown_option(run, capsys):
    with pytest.raises(SystemExit) as done:
        main(["numbers", "list", "--nosuch"])
    assert done.value.code == 2 and "unrecognized arguments: --nosuch" in capsys.readouterr().err


def test_3_an_order_that_did_not_complete(run, sandbox):
    # the sandbox fails (415) 555-01xx: the order ends Failed, not Completed
    code, out, err = run("--tenant-id", TENANT, "provision", "(415) 555-0150", "--class", "P2P", "--type", "SMS",
                         "--wait")
    assert code == 3, err
    assert "Failed" in out


def test_4_a_refused_password(run, sandbox, monkeypatch):
    monkeypatch.setenv("ACTUI_PASSWORD", "Wrong-Pw-77c0")
    code, out, err = run("numbers", "list", "--limit", "1")
    assert code == 4 and out == "" and "HTTP 401" in err and "Wrong-Pw-77c0" not in err


def test_4_no_password_and_nobody_to_ask(sandbox, monkeypatch, capsys):
    profile(base_url=sandbox.base_url, user=sandbox.user)
    for name in ("ACTUI_PASSWORD", "ACTUI_USER", "ACTUI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    requests = sandbox.faults.stats.requests
    with keyring_backend(keyring.backends.fail.Keyring()):
        code = main(["numbers", "list", "--limit", "1"])
    out, err = capsys.readouterr()
    assert code == 4 and out == ""
    assert err.startswith("actui: no password: set ACTUI_PASSWORD") and err.count("\n") == 1
    assert sandbox.faults.stats.requests == requests


def test_5_a_number_breaking_a_policy(run, sandbox):
    write_policies('[[policy]]\nname = "described"\nwhere = "class:a2p"\nrequire = { description = "A2P line" }\n')
    code, out, err = run("check")
    assert code == 5, err
    assert f"{len(matching(sandbox, 'class:a2p'))} breaking" in out


class InterruptedTerminal(io.StringIO):
    """A terminal on stdin where the person presses ctrl+c at the prompt."""

    def isatty(self) -> bool:
        return True

    def readline(self, *args) -> str:
        raise KeyboardInterrupt


def test_130_interrupted_at_the_confirmation(run, sandbox, writes, monkeypatch):
    monkeypatch.setattr(sys, "stdin", InterruptedTerminal())
    code, out, err = run("numbers", "update", "--where", "class:p2p", "--set", "description=interrupted")
    assert code == 130, err
    assert "Type " in err and err.endswith("actui: interrupted\n")
    assert writes == [] and journal_for(sandbox).runs() == []
