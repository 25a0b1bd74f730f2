"""`actui auth status|login|logout` against a sandbox on loopback as a configured profile: who actui talks to
as whom, where the password comes from (never the password), a live check (0 accepted, 4 refused or no
password, 1 unreachable); login checks before storing, logout forgets; `config remove` forgets too."""

from __future__ import annotations

import io
import json
import sys

import keyring.backends.fail
import pytest

from actui.api.client import ApiClient
from actui.cli import main
from actui.profiles import ConfigFile, Profile
from tests.cli.helpers import MemoryKeyring, keyring_backend
from tests.helpers import TENANT, fast_retry

WRONG = "Wrong-Pw-5b1e"


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch):
    """No ACTUI_* variables, stdin not a terminal (nobody to ask), and quick retries for unreachable APIs."""
    for name in ("ACTUI_PASSWORD", "ACTUI_USER", "ACTUI_BASE_URL", "ACTUI_PROFILE", "ACTUI_TENANT_ID", "CI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    real_init = ApiClient.__init__

    def init(self, *args, **kwargs):
        kwargs.update(retry=fast_retry(), timeout=2)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(ApiClient, "__init__", init)


@pytest.fixture
def memory():
    with keyring_backend(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture
def no_keyring():
    with keyring_backend(keyring.backends.fail.Keyring()) as backend:
        yield backend


@pytest.fixture
def run(capsys):
    def invoke(*args: str, stdin: str | None = None):
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def configure(server, name: str = "prod", **extra) -> None:
    config = ConfigFile.load()
    config.add_profile(Profile(name=name, base_url=server.base_url, user=server.user, tenant_id=TENANT, **extra),
                       make_default=not config.profiles)
    config.save()


def entry(server) -> tuple[str, str]:
    host = server.base_url.split("//")[1].split("/")[0]
    return ("actui", f"{server.user}@{host}")


# --- status ---------------------------------------------------------------------------------------


def test_status_names_who_and_where_and_checks_the_password(run, sandbox, monkeypatch, no_keyring):
    configure(sandbox, read_only=True)
    monkeypatch.setenv("ACTUI_PASSWORD", sandbox.password)
    requests = sandbox.faults.stats.requests
    code, out, err = run("auth", "status")
    assert code == 0, err
    assert out == (f"profile      prod\n"
                   f"base URL     {sandbox.base_url}\n"
                   f"user         {sandbox.user}\n"
                   f"tenant       {TENANT}\n"
                   f"password     from the environment (ACTUI_PASSWORD)\n"
                   f"read-only    yes\n"
                   f"sandbox      no\n"
                   f"credentials  accepted by {sandbox.base_url}\n")
    assert sandbox.faults.stats.requests == requests + 1          # one cheap read
    assert sandbox.password not in out + err


def test_status_json_has_no_secret(run, sandbox, memory):
    configure(sandbox)
    memory.set_password(*entry(sandbox), sandbox.password)
    code, out, err = run("auth", "status", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc == {"profile": "prod", "baseUrl": sandbox.base_url, "user": sandbox.user, "tenantId": TENANT,
                   "readOnly": False, "sandbox": False, "passwordSource": "keyring",
                   "check": {"state": "ok", "message": f"accepted by {sandbox.base_url}"}}
    assert sandbox.password not in out + err


def test_a_refused_password_exits_4_and_is_not_shown(run, sandbox, monkeypatch, no_keyring):
    configure(sandbox)
    monkeypatch.setenv("ACTUI_PASSWORD", WRONG)
    code, out, err = run("auth", "status")
    assert code == 4
    assert "refused by" in out and "(HTTP 401)" in out and "actui auth login prod" in out
    code, out, err = run("auth", "status", "--json")
    assert code == 4 and json.loads(out)["check"]["state"] == "refused"
    assert WRONG not in out + err


def test_an_unreachable_api_exits_1_saying_what_to_do(run, sandbox_factory, monkeypatch, no_keyring):
    server = sandbox_factory()
    configure(server)
    server.stop()
    monkeypatch.setenv("ACTUI_PASSWORD", server.password)
    code, out, err = run("auth", "status")
    assert code == 1, err
    assert "not checked: the API is unreachable" in out and "Check the network and the base URL" in out


def test_no_password_and_nobody_to_ask_exits_4_without_a_request(run, sandbox, no_keyring):
    configure(sandbox)
    requests = sandbox.faults.stats.requests
    code, out, err = run("auth", "status")
    assert code == 4
    assert "password     none (ACTUI_PASSWORD unset, no keyring entry, no terminal to ask on)" in out
    assert "not checked: no password (set ACTUI_PASSWORD, store one with `actui auth login prod`" in out
    assert sandbox.faults.stats.requests == requests
    code, out, err = run("auth", "status", "--json")
    doc = json.loads(out)
    assert code == 4 and doc["check"]["state"] == "no-password" and doc["passwordSource"] is None


def test_with_no_profile_status_says_the_embedded_sandbox_is_used(run):
    code, out, err = run("auth", "status")
    assert code == 0, err
    assert out == ("actui uses the embedded sandbox (no profile configured; `actui config add` points actui "
                   "at the real API): it needs no password\n")
    code, out, _ = run("auth", "status", "--json")
    assert code == 0 and json.loads(out)["sandbox"] is True


# --- login and logout -----------------------------------------------------------------------------


def test_login_checks_the_password_then_stores_it(run, sandbox, memory):
    configure(sandbox)
    requests = sandbox.faults.stats.requests
    code, out, err = run("auth", "login", "prod", "--password-stdin", stdin=sandbox.password + "\n")
    assert code == 0, err
    assert memory.stored == {entry(sandbox): sandbox.password}
    assert sandbox.faults.stats.requests == requests + 1
    assert "password stored in the system keyring for profile 'prod'" in out
    assert sandbox.password not in out + err
    code, out, _ = run("auth", "status")          # and status now finds it there
    assert code == 0 and "from the system keyring" in out


def test_login_with_a_refused_password_stores_nothing(run, sandbox, memory):
    configure(sandbox)
    code, out, err = run("auth", "login", "prod", "--password-stdin", stdin=WRONG + "\n")
    assert code == 4 and out == "" and memory.stored == {}
    assert err.startswith("actui: password not stored: refused by") and WRONG not in out + err


def test_login_when_the_api_is_unreachable_stores_nothing(run, sandbox_factory, memory):
    server = sandbox_factory()
    configure(server)
    server.stop()
    code, out, err = run("auth", "login", "prod", "--password-stdin", stdin=server.password + "\n")
    assert code == 1 and memory.stored == {} and "the API is unreachable" in err


def test_login_without_a_terminal_needs_password_stdin(run, sandbox, memory):
    configure(sandbox)
    code, out, err = run("auth", "login", "prod", stdin=sandbox.password + "\n")
    assert code == 2 and "--password-stdin" in err and memory.stored == {}
    assert sys.stdin.read() == sandbox.password + "\n"       # nothing read


def test_login_asks_at_a_hidden_prompt_in_a_terminal(run, sandbox, memory, monkeypatch):
    configure(sandbox)
    asked = []
    monkeypatch.setattr("actui.cli.auth_cmd.can_ask", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or sandbox.password)
    code, out, err = run("auth", "login", "prod")
    assert code == 0, err
    assert memory.stored == {entry(sandbox): sandbox.password} and len(asked) == 1 and sandbox.user in asked[0]


def test_login_without_the_keyring_package_says_what_to_install(run, sandbox, monkeypatch):
    configure(sandbox)
    monkeypatch.setitem(sys.modules, "keyring", None)      # `import keyring` now fails
    code, out, err = run("auth", "login", "prod", "--password-stdin", stdin=sandbox.password + "\n")
    assert code == 1
    assert "pip install 'actui[keyring]'" in err and "ACTUI_PASSWORD" in err
    assert sys.stdin.read() == sandbox.password + "\n"       # refused before reading it


def test_logout_forgets_and_says_when_there_was_nothing(run, sandbox, memory):
    configure(sandbox)
    memory.set_password(*entry(sandbox), sandbox.password)
    code, out, err = run("auth", "logout", "prod")
    assert code == 0 and memory.stored == {}
    assert "removed from the system keyring" in out
    code, out, err = run("auth", "logout", "prod")
    assert code == 0 and "no password was stored in the system keyring for profile 'prod'" in out


def test_login_names_an_unknown_profile(run, memory):
    code, out, err = run("auth", "login", "nope", "--password-stdin", stdin="x\n")
    assert code == 1 and "'nope'" in err and memory.stored == {}


# --- config -------------------------------------------------------------------------------------------


def test_config_remove_forgets_the_password_unless_another_profile_shares_it(run, sandbox, memory):
    configure(sandbox, name="prod")
    configure(sandbox, name="prod-ro", read_only=True)
    memory.set_password(*entry(sandbox), sandbox.password)
    code, out, _ = run("config", "remove", "prod-ro")
    assert code == 0 and "stays in the system keyring" in out and memory.stored
    code, out, _ = run("config", "remove", "prod")
    assert code == 0 and out == "profile 'prod' removed and its password removed from the system keyring\n"
    assert memory.stored == {}


def test_config_add_takes_the_global_flags_names_and_the_old_ones(run):
    code, _, err = run("config", "add", "a", "--base-url", "https://a.example.com/api/v1", "--user", "a@x.com",
                       "--tenant-id", TENANT)
    assert code == 0, err
    code, _, err = run("config", "add", "b", "--url", "https://b.example.com/api/v1", "--email", "b@x.com",
                       "--tenant", TENANT)
    assert code == 0, err
    profiles = ConfigFile.load().profiles
    assert [(p.base_url, p.user, p.tenant_id) for p in profiles.values()] == [
        ("https://a.example.com/api/v1", "a@x.com", TENANT), ("https://b.example.com/api/v1", "b@x.com", TENANT)]
    code, _, err = run("config", "add", "c", "--user", "c@x.com")
    assert code == 2 and "--base-url" in err


def test_config_add_help_shows_only_the_new_names(run):
    with pytest.raises(SystemExit):
        run("config", "add", "--help")
    from actui.cli import build_parser

    text = build_parser()._subparsers._group_actions[0].choices["config"]._subparsers._group_actions[0] \
        .choices["add"].format_help()
    assert "--base-url" in text and "--tenant-id" in text
    assert "--url" not in text and "--email" not in text and "--tenant " not in text
