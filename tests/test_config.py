"""actui.config and actui.profiles: profiles on disk, precedence, URL safety, tenant id. Real files in tmp_path."""

from __future__ import annotations

import stat
import textwrap

import pytest

from actui import paths
from actui.api.errors import ConfigError
from actui.config import (
    Connection,
    ConnectionFlags,
    check_base_url,
    require_tenant_id,
    resolve_connection,
)
from actui.profiles import ConfigFile, Profile


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTUI_CONFIG_DIR", str(tmp_path / "cfg"))
    return tmp_path / "cfg"


def write_config(text: str):
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


PROD = Profile("prod", base_url="https://api.example.com/", user="ops@example.com", tenant_id="t-prod")
STAGE = Profile("stage", base_url="https://stage.example.com", user="qa@example.com", tenant_id="t-stage",
                page_size=25, read_only=True, country="gb")


def test_load_missing_file_is_empty():
    cfg = ConfigFile.load()
    assert cfg.path == paths.config_file()
    assert cfg.profiles == {} and cfg.default is None and not cfg.exists


def test_add_list_set_default_remove_round_trip():
    cfg = ConfigFile.load()
    cfg.add_profile(PROD, make_default=True)
    cfg.add_profile(STAGE)
    cfg.save()

    again = ConfigFile.load()
    assert sorted(again.profiles) == ["prod", "stage"]
    assert again.default == "prod"
    assert again.profiles["prod"].base_url == "https://api.example.com/"
    assert again.profiles["stage"] == Profile("stage", base_url="https://stage.example.com",
                                              user="qa@example.com", tenant_id="t-stage",
                                              page_size=25, read_only=True, country="GB")
    assert again.profiles["prod"].page_size == 100 and again.profiles["prod"].country == "US"

    again.set_default("stage")
    again.save()
    assert ConfigFile.load().default == "stage"

    again.remove_profile("stage")  # was the default: the default goes with it
    assert again.default is None
    again.save()
    final = ConfigFile.load()
    assert list(final.profiles) == ["prod"] and final.default is None
    assert "default" not in paths.config_file().read_text()


def test_defaults_are_not_written_but_set_values_are():
    cfg = ConfigFile.load()
    cfg.add_profile(PROD)
    cfg.add_profile(STAGE)
    cfg.save()
    text = paths.config_file().read_text()
    prod_section = text.split("[profiles.prod]")[1].split("[profiles.")[0]
    assert "page_size" not in prod_section and "read_only" not in prod_section
    assert "page_size = 25" in text and "read_only = true" in text and 'country = "GB"' in text


def test_duplicate_refused_unless_replace():
    cfg = ConfigFile.load()
    cfg.add_profile(PROD)
    with pytest.raises(ConfigError, match="'prod' already exists"):
        cfg.add_profile(Profile("prod", base_url="https://other.example.com", user="x@example.com"))
    cfg.add_profile(Profile("prod", base_url="https://other.example.com", user="x@example.com"), replace=True)
    cfg.save()
    prod = ConfigFile.load().profiles["prod"]
    assert prod.base_url == "https://other.example.com" and prod.tenant_id is None


def test_set_default_and_remove_refuse_unknown_names_listing_known():
    cfg = ConfigFile.load()
    cfg.add_profile(PROD)
    cfg.add_profile(STAGE)
    with pytest.raises(ConfigError, match="known profiles: prod, stage"):
        cfg.set_default("nope")
    with pytest.raises(ConfigError, match="'nope'"):
        cfg.remove_profile("nope")


@pytest.mark.parametrize("name", ["has space", "dot.ted", "", "é"])
def test_bad_profile_names_refused(name):
    with pytest.raises(ConfigError, match="letters, digits"):
        ConfigFile.load().add_profile(Profile(name, base_url="https://a.example.com"))


def test_add_profile_validates_values():
    with pytest.raises(ConfigError, match="page_size must be a positive integer"):
        ConfigFile.load().add_profile(Profile("p", base_url="https://a.example.com", page_size=0))


def test_file_is_private(config_dir):
    cfg = ConfigFile.load()
    cfg.add_profile(PROD)
    cfg.save()
    assert stat.S_IMODE(paths.config_file().stat().st_mode) == 0o600
    cfg.set_default("prod")
    cfg.save()
    assert stat.S_IMODE(paths.config_file().stat().st_mode) == 0o600


def test_comments_and_layout_survive_an_edit():
    path = write_config("""\
        # my own notes about these APIs
        default = "prod"

        [profiles.prod]  # the real thing
        base_url = "https://api.example.com"
        user = "ops@example.com"  # shared mailbox
        page_size = 100   # keep explicit

        # staging is flaky on Mondays
        """)
    cfg = ConfigFile.load()
    cfg.add_profile(STAGE)
    cfg.add_profile(Profile("prod", base_url="https://api.example.com", user="new@example.com",
                            page_size=100), replace=True)
    cfg.save()
    text = path.read_text()
    for kept in ("# my own notes about these APIs", "[profiles.prod]  # the real thing",
                 "# staging is flaky on Mondays", "page_size = 100   # keep explicit"):
        assert kept in text
    assert 'user = "new@example.com"' in text
    assert text.index("[profiles.prod]") < text.index("[profiles.stage]")
    assert ConfigFile.load().profiles["prod"].user == "new@example.com"


def test_save_keeps_a_hand_edit_made_after_load():
    cfg = ConfigFile.load()
    cfg.add_profile(PROD)
    cfg.save()
    path = paths.config_file()
    path.write_text(path.read_text() + '\n[profiles.hand]\nbase_url = "https://hand.example.com"\n')
    cfg.add_profile(STAGE)
    cfg.save()
    assert sorted(ConfigFile.load().profiles) == ["hand", "prod", "stage"]
    assert sorted(cfg.profiles) == ["hand", "prod", "stage"]


def test_malformed_toml_names_file_and_line():
    path = write_config("""\
        default = "prod"

        [profiles.prod]
        base_url = https://api.example.com
        """)
    with pytest.raises(ConfigError) as info:
        ConfigFile.load()
    assert str(path) in str(info.value)
    assert "line 4" in str(info.value)


@pytest.mark.parametrize(("body", "message"), [
    ('page_size = "x"', "profile 'prod': page_size must be a positive integer"),
    ("page_size = -5", "profile 'prod': page_size must be a positive integer"),
    ("page_size = true", "profile 'prod': page_size must be a positive integer"),
    ('read_only = "yes"', "profile 'prod': read_only must be true or false"),
    ("user = 42", "profile 'prod': user must be a non-empty string"),
    ('country = "USA"', "profile 'prod': country must be a two-letter ISO region code"),
    ('pagesize = 10', "profile 'prod': unknown key 'pagesize'"),
])
def test_bad_profile_values_name_the_problem(body, message):
    path = write_config(f'[profiles.prod]\nbase_url = "https://api.example.com"\n{body}\n')
    with pytest.raises(ConfigError) as info:
        ConfigFile.load()
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_unknown_top_level_key_and_bad_default_type():
    write_config('defualt = "prod"\n')
    with pytest.raises(ConfigError, match="unknown top-level key 'defualt'"):
        ConfigFile.load()
    write_config("default = 3\n")
    with pytest.raises(ConfigError, match="default must be a profile name"):
        ConfigFile.load()


def test_save_refuses_to_overwrite_a_file_broken_since_load():
    cfg = ConfigFile.load()
    cfg.add_profile(PROD)
    cfg.save()
    path = paths.config_file()
    path.write_text("[profiles.prod\n")
    cfg.add_profile(STAGE)
    with pytest.raises(ConfigError, match="not valid TOML"):
        cfg.save()
    assert path.read_text() == "[profiles.prod\n"


# --- resolution ----------------------------------------------------------------------------------


def two_profiles(default: str | None = "prod") -> ConfigFile:
    cfg = ConfigFile.load()
    cfg.add_profile(PROD)
    cfg.add_profile(STAGE)
    if default:
        cfg.set_default(default)
    cfg.save()
    return ConfigFile.load()


def test_default_profile_is_used():
    conn = resolve_connection(ConnectionFlags(), env={}, config=two_profiles())
    assert conn == Connection(profile="prod", base_url="https://api.example.com", user="ops@example.com",
                              tenant_id="t-prod", page_size=100, read_only=False, country="US",
                              sandbox=False, insecure=False, password=None)
    assert conn.label == "prod"


def test_config_is_loaded_from_disk_when_not_given():
    two_profiles()
    assert resolve_connection(ConnectionFlags(), env={}).profile == "prod"


def test_profile_choice_flag_beats_env_beats_default():
    cfg = two_profiles(default="prod")
    env = {"ACTUI_PROFILE": "stage"}
    assert resolve_connection(ConnectionFlags(), env=env, config=cfg).profile == "stage"
    assert resolve_connection(ConnectionFlags(profile="prod"), env=env, config=cfg).profile == "prod"
    stage = resolve_connection(ConnectionFlags(), env=env, config=cfg)
    assert (stage.page_size, stage.country, stage.read_only) == (25, "GB", True)


@pytest.mark.parametrize(("field", "flag_value", "env_name", "env_value", "file_value"), [
    ("base_url", "https://flag.example.com", "ACTUI_BASE_URL", "https://env.example.com",
     "https://api.example.com"),
    ("user", "flag@example.com", "ACTUI_USER", "env@example.com", "ops@example.com"),
    ("tenant_id", "t-flag", "ACTUI_TENANT_ID", "t-env", "t-prod"),
])
def test_precedence_flags_then_env_then_file(field, flag_value, env_name, env_value, file_value):
    cfg = two_profiles()
    env = {env_name: env_value}
    flags = ConnectionFlags(**{field: flag_value})
    assert getattr(resolve_connection(ConnectionFlags(), env={}, config=cfg), field) == file_value
    assert getattr(resolve_connection(ConnectionFlags(), env=env, config=cfg), field) == env_value
    assert getattr(resolve_connection(flags, env=env, config=cfg), field) == flag_value
    # an empty variable counts as unset
    assert getattr(resolve_connection(ConnectionFlags(), env={env_name: ""}, config=cfg), field) == file_value


def test_env_alone_without_any_file():
    env = {"ACTUI_BASE_URL": "https://env.example.com/v1/", "ACTUI_USER": "me@example.com"}
    conn = resolve_connection(ConnectionFlags(), env=env, config=ConfigFile.load())
    assert conn.profile is None and not conn.sandbox
    assert conn.base_url == "https://env.example.com/v1"
    assert conn.label == "env.example.com"


def test_read_only_flag_can_only_tighten():
    cfg = two_profiles()
    assert resolve_connection(ConnectionFlags(), env={}, config=cfg).read_only is False
    assert resolve_connection(ConnectionFlags(read_only=True), env={}, config=cfg).read_only is True
    # stage says read_only = true; no flag can loosen it (False is "not given")
    assert resolve_connection(ConnectionFlags(profile="stage", read_only=False), env={},
                              config=cfg).read_only is True


def test_sandbox_when_nothing_is_configured():
    conn = resolve_connection(ConnectionFlags(), env={}, config=ConfigFile.load())
    assert conn.sandbox and conn.base_url is None and conn.user is None and conn.profile is None
    assert conn.label == "sandbox"
    # a config file without profiles: the sandbox too
    empty = ConfigFile.load()
    empty.add_profile(PROD)
    empty.save()
    empty.remove_profile(PROD.name)
    empty.save()
    assert ConfigFile.load().exists and resolve_connection(ConnectionFlags(), env={}, config=ConfigFile.load()).sandbox


def test_profiles_but_none_chosen_is_refused_naming_them():
    # e.g. after `config remove` of the default: never a silent sandbox someone takes for production
    cfg = two_profiles(default=None)
    with pytest.raises(ConfigError) as info:
        resolve_connection(ConnectionFlags(), env={}, config=cfg)
    text = str(info.value)
    assert "(prod, stage)" in text and "--profile NAME" in text and "ACTUI_PROFILE" in text
    assert "actui config set-default prod" in text and "--sandbox" in text
    assert resolve_connection(ConnectionFlags(sandbox=True), env={}, config=cfg).sandbox
    assert resolve_connection(ConnectionFlags(profile="stage"), env={}, config=cfg).profile == "stage"
    assert resolve_connection(ConnectionFlags(), env={"ACTUI_PROFILE": "prod"}, config=cfg).profile == "prod"


def test_sandbox_flag_wins_over_a_configured_profile():
    cfg = two_profiles()
    env = {"ACTUI_BASE_URL": "https://env.example.com"}
    conn = resolve_connection(ConnectionFlags(sandbox=True, read_only=True), env=env, config=cfg)
    assert conn.sandbox and conn.base_url is None and conn.read_only and conn.label == "sandbox"
    with pytest.raises(ConfigError, match="--sandbox cannot be combined"):
        resolve_connection(ConnectionFlags(sandbox=True, profile="prod"), env={}, config=cfg)


def test_sandbox_with_endpoint_fills_in_the_started_server():
    conn = resolve_connection(ConnectionFlags(sandbox=True), env={}, config=ConfigFile.load())
    ready = conn.with_endpoint("http://127.0.0.1:8123/", "sandbox@example.com", "pw-sandbox-123")
    assert ready.base_url == "http://127.0.0.1:8123" and ready.user == "sandbox@example.com"
    assert ready.password.reveal() == "pw-sandbox-123" and ready.sandbox and ready.label == "sandbox"
    assert conn.base_url is None  # the original is untouched
    assert "pw-sandbox-123" not in repr(ready) and "pw-sandbox-123" not in str(ready)


@pytest.mark.parametrize(("flags", "env", "source"), [
    (ConnectionFlags(profile="nope"), {}, "--profile"),
    (ConnectionFlags(), {"ACTUI_PROFILE": "nope"}, "ACTUI_PROFILE"),
])
def test_unknown_profile_lists_known_ones(flags, env, source):
    with pytest.raises(ConfigError) as info:
        resolve_connection(flags, env=env, config=two_profiles())
    text = str(info.value)
    assert source in text and "'nope'" in text and "known profiles: prod, stage" in text


def test_unknown_default_profile_is_reported():
    write_config('default = "gone"\n[profiles.prod]\nbase_url = "https://api.example.com"\nuser = "u@x.com"\n')
    with pytest.raises(ConfigError,
                       match="the default names profile 'gone', which is not in .*config.toml; known profiles: prod"):
        resolve_connection(ConnectionFlags(), env={})


def test_unknown_profile_with_no_file_says_how_to_add_one():
    with pytest.raises(ConfigError, match="defines no profiles; add one with `actui config add`"):
        resolve_connection(ConnectionFlags(profile="prod"), env={}, config=ConfigFile.load())


def test_profile_without_base_url_is_an_error_unless_given_elsewhere():
    write_config('default = "half"\n[profiles.half]\nuser = "u@example.com"\n')
    with pytest.raises(ConfigError, match="profile 'half' .* has no base_url"):
        resolve_connection(ConnectionFlags(), env={})
    conn = resolve_connection(ConnectionFlags(), env={"ACTUI_BASE_URL": "https://e.example.com"})
    assert conn.base_url == "https://e.example.com" and conn.profile == "half"


def test_missing_user_is_an_error():
    with pytest.raises(ConfigError, match="no user: pass --user, set ACTUI_USER"):
        resolve_connection(ConnectionFlags(base_url="https://a.example.com"), env={}, config=ConfigFile.load())


# --- URL safety ----------------------------------------------------------------------------------


def test_plain_http_to_a_remote_host_is_refused():
    with pytest.raises(ConfigError) as info:
        check_base_url("http://api.example.com/v1", insecure=False)
    assert str(info.value) == ("refusing plain http:// to api.example.com; use https:// or pass --insecure")
    with pytest.raises(ConfigError, match="refusing plain http:// to 10.0.0.5"):
        resolve_connection(ConnectionFlags(base_url="http://10.0.0.5:8080", user="u"), env={},
                           config=ConfigFile.load())


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/", "http://127.9.9.9", "http://localhost:1/api",
                                 "http://LOCALHOST", "http://[::1]:8080/"])
def test_plain_http_to_loopback_is_allowed(url):
    assert check_base_url(url) == url.rstrip("/")


def test_insecure_allows_plain_http_anywhere():
    assert check_base_url("http://api.example.com/", insecure=True) == "http://api.example.com"
    conn = resolve_connection(ConnectionFlags(base_url="http://api.example.com", user="u", insecure=True),
                              env={}, config=ConfigFile.load())
    assert conn.base_url == "http://api.example.com" and conn.insecure


def test_https_trailing_slash_stripped():
    assert check_base_url("https://api.example.com/") == "https://api.example.com"
    assert check_base_url("  https://api.example.com/v2/ ") == "https://api.example.com/v2"


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://api.example.com", "must start with https:// (or http://), not ftp://"),
    ("api.example.com", "must start with https://"),
    ("https://", "has no host"),
    ("https://api.example.com:notaport", "invalid port"),
])
def test_bad_urls_refused(url, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_base_url(url)


def test_credentials_in_the_url_are_refused_without_echoing_them():
    with pytest.raises(ConfigError) as info:
        check_base_url("https://ops:hunter2-in-url@api.example.com")
    assert "hunter2-in-url" not in str(info.value) and "must not hold a user or password" in str(info.value)


# --- tenant id -----------------------------------------------------------------------------------


def test_require_tenant_id():
    bare = resolve_connection(ConnectionFlags(base_url="https://a.example.com", user="u"), env={},
                              config=ConfigFile.load())
    cfg = two_profiles()
    assert require_tenant_id(resolve_connection(ConnectionFlags(), env={}, config=cfg)) == "t-prod"
    with pytest.raises(ConfigError) as info:
        require_tenant_id(bare)
    assert str(info.value) == ("provisioning needs a tenant id: pass --tenant-id, set ACTUI_TENANT_ID, "
                               "or add tenant_id to the profile")
