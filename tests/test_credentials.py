"""actui.credentials: the password from env, keyring or prompt, and never shown or written anywhere."""

from __future__ import annotations

import io
import pickle
import re
import sys

import keyring
import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from actui import paths
from actui.api.errors import ConfigError
from actui.config import Connection, ConnectionFlags, require_tenant_id, resolve_connection
from actui.credentials import Secret, forget_password, get_password, keyring_username, store_password
from actui.profiles import ConfigFile, Profile

PASSWORD = "s3cr3t-Pa55word!"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class BrokenKeyring(KeyringBackend):
    """A backend that fails the way a locked or absent Secret Service does, echoing what it was given."""

    priority = 1

    def get_password(self, service, username):
        raise RuntimeError("D-Bus is gone")

    def set_password(self, service, username, password):
        raise RuntimeError(f"cannot store {password}")

    def delete_password(self, service, username):
        raise RuntimeError("D-Bus is gone")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Config in tmp_path, and a keyring that has nothing (tests never touch the real one)."""
    monkeypatch.setenv("ACTUI_CONFIG_DIR", str(tmp_path / "cfg"))
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring():
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def no_keyring_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "keyring", None)  # `import keyring` now raises ImportError


def conn(**kw) -> Connection:
    base = dict(profile="prod", base_url="https://api.example.com", user="ops@example.com")
    return Connection(**{**base, **kw})


def no_prompt(text: str) -> str:
    raise AssertionError("the prompt should not have been used")


# --- Secret --------------------------------------------------------------------------------------


def test_secret_never_shows_its_value():
    secret = Secret(PASSWORD)
    assert secret.reveal() == PASSWORD
    shown_by_percent = "%s" % secret  # noqa: UP031 - %-formatting is one of the ways a secret could leak
    for shown in (repr(secret), str(secret), f"{secret}", shown_by_percent, repr([secret]), repr({"pw": secret})):
        assert PASSWORD not in shown and "********" in shown
    assert Secret(PASSWORD) == secret and Secret("other") != secret and secret != PASSWORD
    assert Secret(secret).reveal() == PASSWORD
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_connection_repr_and_str_hide_the_password():
    c = conn().with_password(PASSWORD)
    assert c.password.reveal() == PASSWORD
    assert PASSWORD not in repr(c) and PASSWORD not in str(c)
    assert "password=********" in repr(c)


# --- get_password --------------------------------------------------------------------------------


def test_password_from_env_comes_first(memory_keyring):
    memory_keyring.set_password("actui", "ops@example.com@api.example.com", "from-keyring")
    got = get_password(conn(), env={"ACTUI_PASSWORD": PASSWORD}, prompt=no_prompt, interactive=True)
    assert isinstance(got, Secret) and got.reveal() == PASSWORD


def test_password_already_on_the_connection_is_used():
    got = get_password(conn(password=Secret(PASSWORD)), env={"ACTUI_PASSWORD": "env"}, prompt=no_prompt)
    assert got.reveal() == PASSWORD


def test_password_from_keyring_keyed_by_user_and_host(memory_keyring):
    memory_keyring.set_password("actui", "ops@example.com@api.example.com", PASSWORD)
    memory_keyring.set_password("actui", "ops@example.com@other.example.com:8443", "other-one")
    got = get_password(conn(), env={}, prompt=no_prompt, interactive=True)
    assert got.reveal() == PASSWORD
    other = conn(base_url="https://other.example.com:8443/v1")
    assert get_password(other, env={}, prompt=no_prompt).reveal() == "other-one"


def test_keyring_username_includes_host_and_port():
    assert keyring_username("a@b.com", "https://API.example.com/v1") == "a@b.com@api.example.com"
    assert keyring_username("a@b.com", "http://127.0.0.1:8123") == "a@b.com@127.0.0.1:8123"


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring, BrokenKeyring])
def test_keyring_errors_are_swallowed_and_the_prompt_used(backend):
    keyring.set_keyring(backend())
    asked = []
    got = get_password(conn(), env={}, prompt=lambda text: asked.append(text) or PASSWORD, interactive=True)
    assert got.reveal() == PASSWORD and len(asked) == 1


def test_no_keyring_package_falls_through_to_prompt(no_keyring_package):
    got = get_password(conn(), env={}, prompt=lambda text: PASSWORD, interactive=True)
    assert got.reveal() == PASSWORD


def test_prompt_when_interactive_names_user_and_host():
    asked = []
    got = get_password(conn(), env={}, prompt=lambda text: asked.append(text) or PASSWORD, interactive=True)
    assert got.reveal() == PASSWORD
    assert asked == ["Password for ops@example.com at api.example.com: "]


def test_interactive_defaults_to_whether_stdin_is_a_terminal(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Tty())
    assert get_password(conn(), env={}, prompt=lambda text: PASSWORD).reveal() == PASSWORD
    monkeypatch.setattr(sys, "stdin", io.StringIO())  # not a tty
    with pytest.raises(ConfigError, match="no password"):
        get_password(conn(), env={}, prompt=no_prompt)


def test_empty_answer_at_the_prompt_is_an_error():
    with pytest.raises(ConfigError, match="no password entered"):
        get_password(conn(), env={}, prompt=lambda text: "", interactive=True)


def test_no_password_and_not_interactive_is_a_clear_error():
    with pytest.raises(ConfigError) as info:
        get_password(conn(), env={"ACTUI_PASSWORD": ""}, prompt=no_prompt, interactive=False)
    assert str(info.value) == (
        "no password: set ACTUI_PASSWORD, store one with `actui auth login prod` "
        "(needs the keyring extra), or run in a terminal to be asked")
    with pytest.raises(ConfigError, match="auth login PROFILE"):
        get_password(conn(profile=None), env={}, prompt=None, interactive=True)


# --- store / forget ------------------------------------------------------------------------------


def test_store_then_get_then_forget(memory_keyring):
    profile = Profile("prod", base_url="https://api.example.com", user="ops@example.com")
    store_password(profile, PASSWORD)
    assert memory_keyring.entries == {("actui", "ops@example.com@api.example.com"): PASSWORD}
    assert get_password(conn(), env={}, prompt=no_prompt, interactive=False).reveal() == PASSWORD
    assert forget_password(conn()) is True
    assert memory_keyring.entries == {}
    assert forget_password(profile) is False


def test_store_needs_the_keyring_package(no_keyring_package):
    with pytest.raises(ConfigError, match=r"pip install 'actui\[keyring\]'"):
        store_password(conn(), PASSWORD)
    with pytest.raises(ConfigError, match=r"pip install 'actui\[keyring\]'"):
        forget_password(conn())


def test_store_reports_backend_failure_without_the_password():
    keyring.set_keyring(BrokenKeyring())
    with pytest.raises(ConfigError) as info:
        store_password(conn(), Secret(PASSWORD))
    assert "could not store the password" in str(info.value)
    assert PASSWORD not in str(info.value) and PASSWORD not in repr(info.value)


def test_store_refuses_incomplete_profiles_and_empty_passwords(memory_keyring):
    with pytest.raises(ConfigError, match="'half' needs base_url and user"):
        store_password(Profile("half", user="u@example.com"), PASSWORD)
    with pytest.raises(ConfigError, match="empty password"):
        store_password(conn(), "")
    with pytest.raises(ConfigError, match="sandbox"):
        store_password(conn(sandbox=True), PASSWORD)
    assert memory_keyring.entries == {}


# --- the password never lands in config.toml or in an error --------------------------------------


def test_password_never_written_to_config_toml(memory_keyring):
    cfg = ConfigFile.load()
    prod = Profile("prod", base_url="https://api.example.com", user="ops@example.com", tenant_id="t1")
    cfg.add_profile(prod, make_default=True)
    cfg.save()
    store_password(prod, PASSWORD)
    c = resolve_connection(ConnectionFlags(), env={"ACTUI_PASSWORD": PASSWORD})
    c = c.with_password(get_password(c, env={"ACTUI_PASSWORD": PASSWORD}))
    cfg = ConfigFile.load()
    cfg.add_profile(Profile("stage", base_url="https://s.example.com", user="q@example.com"))
    cfg.set_default("stage")
    cfg.save()
    cfg.remove_profile("stage")
    cfg.save()
    text = paths.config_file().read_text()
    assert PASSWORD not in text and not re.search(r"^\s*password\s*=", text, re.MULTILINE)
    assert c.password.reveal() == PASSWORD  # it was really there to leak


def test_password_in_config_toml_is_refused_without_echoing_it():
    path = paths.config_file()
    path.parent.mkdir(parents=True)
    path.write_text(f'[profiles.prod]\nbase_url = "https://api.example.com"\npassword = "{PASSWORD}"\n')
    with pytest.raises(ConfigError) as info:
        ConfigFile.load()
    assert "a password does not belong in config.toml" in str(info.value)
    assert PASSWORD not in str(info.value) and PASSWORD not in repr(info.value)


def test_errors_raised_with_a_password_around_never_contain_it():
    c = conn(tenant_id=None, password=Secret(PASSWORD))
    raised = []
    for attempt in (
        lambda: get_password(conn(), env={}, prompt=None, interactive=False),
        lambda: get_password(conn(), env={}, prompt=lambda text: "", interactive=True),
        lambda: require_tenant_id(c),
        lambda: resolve_connection(ConnectionFlags(base_url="http://api.example.com", user="u"),
                                   env={"ACTUI_PASSWORD": PASSWORD}, config=ConfigFile.load()),
        lambda: resolve_connection(ConnectionFlags(base_url=f"https://u:{PASSWORD}@api.example.com", user="u"),
                                   env={"ACTUI_PASSWORD": PASSWORD}, config=ConfigFile.load()),
    ):
        with pytest.raises(ConfigError) as info:
            attempt()
        raised.append(info.value)
    assert len(raised) == 5
    for exc in raised:
        assert PASSWORD not in str(exc) and PASSWORD not in repr(exc)
