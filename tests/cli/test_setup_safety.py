"""Safety of the setup: no silent sandbox when profiles exist, the TUI refuses a pipe at once, and
`config set-password` works (or refuses clearly) without a terminal."""

import io
import subprocess
import sys

import keyring
import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend

from actui.cli import main
from actui.profiles import ConfigFile, Profile

PASSWORD = "pw-Setup-9f2c"


def configure(default: str | None = None) -> None:
    config = ConfigFile.load()
    config.add_profile(Profile(name="prod", base_url="https://api.example.com/api/v1", user="ops@example.com"))
    config.add_profile(Profile(name="stage", base_url="https://stage.example.com/api/v1", user="qa@example.com"))
    if default:
        config.set_default(default)
    config.save()


def test_profiles_without_a_default_refuse_instead_of_using_the_sandbox(capsys):
    configure()
    code = main(["numbers", "list"])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and "embedded sandbox (no profile" not in err
    assert "has profiles (prod, stage) but none is the default" in err
    assert "--profile NAME" in err and "actui config set-default prod" in err and err.count("\n") == 1


def test_sandbox_flag_with_profiles_says_why_the_sandbox_is_used(capsys):
    configure()
    code = main(["--sandbox", "numbers", "list", "--limit", "1"])
    err = capsys.readouterr().err
    assert code == 0 and "using the embedded sandbox (--sandbox)" in err and "no profile configured" not in err


def test_the_journal_refuses_too(capsys):
    configure()
    assert main(["journal"]) == 1
    assert "none is the default" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["open", "+14155550123"], ["--sandbox"]])
def test_the_tui_without_a_terminal_refuses_at_once(argv, capsys):
    code = main(argv)                       # under pytest stdin and stdout are not terminals
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == ("actui: the TUI needs a terminal on stdin and stdout; in scripts and pipes use the "
                   "subcommands (actui --help), e.g. actui numbers list --json\n")


def test_the_tui_refusal_comes_before_textual_is_imported(tmp_path):
    probe = ("import sys\nfrom actui.cli import main\ncode = main([])\n"
             "print('textual' in sys.modules, file=sys.stderr)\nsys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", probe], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "actui: the TUI needs a terminal on stdin and stdout; in scripts and pipes use the subcommands "
        "(actui --help), e.g. actui numbers list --json", "False"]


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        self.stored = {}

    def get_password(self, service, username):
        return self.stored.get((service, username))

    def set_password(self, service, username, password):
        self.stored[(service, username)] = password

    def delete_password(self, service, username):
        self.stored.pop((service, username), None)


@pytest.fixture
def backend():
    previous = keyring.get_keyring()
    chosen = MemoryKeyring()
    keyring.set_keyring(chosen)
    yield chosen
    keyring.set_keyring(previous)


def piped(monkeypatch, text: str) -> io.StringIO:
    stdin = io.StringIO(text)          # not a terminal
    monkeypatch.setattr(sys, "stdin", stdin)
    return stdin


def test_set_password_from_a_pipe(monkeypatch, capsys, backend):
    configure("prod")
    piped(monkeypatch, PASSWORD + "\n")
    code = main(["config", "set-password", "prod"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert backend.stored == {("actui", "ops@example.com@api.example.com"): PASSWORD}
    assert PASSWORD not in out + err


def test_set_password_with_nothing_on_stdin_says_so(monkeypatch, capsys, backend):
    configure("prod")
    piped(monkeypatch, "")
    code = main(["config", "set-password", "prod"])
    err = capsys.readouterr().err
    assert code == 1 and "EOFError" not in err and "unexpected" not in err
    assert err.startswith("actui: no password given on stdin: pipe it in") and backend.stored == {}


def test_set_password_checks_the_keyring_before_reading_the_password(monkeypatch, capsys):
    configure("prod")
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        stdin = piped(monkeypatch, PASSWORD + "\n")
        code = main(["config", "set-password", "prod"])
    finally:
        keyring.set_keyring(previous)
    err = capsys.readouterr().err
    assert code == 1 and "needs a system keyring, and none is available here" in err and "ACTUI_PASSWORD" in err
    assert stdin.read() == PASSWORD + "\n"          # nothing was asked for, nothing read
