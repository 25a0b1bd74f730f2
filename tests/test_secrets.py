"""The password never reaches a config file, a log, an exception text, the output or --json output."""

import base64
import logging

import pytest

from actui.cli import main
from actui.paths import config_file
from tests.helpers import client_for

PASSWORD = "s3cr3t-Hunter2-XYZ"


@pytest.fixture
def secret_sandbox(sandbox_factory):
    return sandbox_factory(password=PASSWORD)


def leaks(text: str, user: str) -> bool:
    header = base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    return PASSWORD in text or header in text


def test_cli_output_and_logs_never_hold_the_password(secret_sandbox, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("ACTUI_PASSWORD", PASSWORD)
    monkeypatch.setenv("ACTUI_USER", secret_sandbox.user)
    monkeypatch.setenv("ACTUI_BASE_URL", secret_sandbox.base_url)
    for args in (["numbers", "list", "--limit", "2", "--json"], ["numbers", "list", "--limit", "2"],
                 ["config", "add", "p", "--url", secret_sandbox.base_url, "--email", secret_sandbox.user],
                 ["config", "list", "--json"], ["orders", "show", "4242"], ["numbers", "show", "+14155550123"]):
        main(args)
    out, err = capsys.readouterr()
    assert not leaks(out + err, secret_sandbox.user)
    assert not leaks(caplog.text, secret_sandbox.user)
    assert "HTTP Request: GET" in caplog.text and "send_request_headers" in caplog.text  # debug logs were on
    assert not leaks(config_file().read_text(), secret_sandbox.user)
    secret_sandbox.faults.error_every = 1
    monkeypatch.setenv("ACTUI_DEBUG", "")
    main(["numbers", "list", "--json"])
    out, err = capsys.readouterr()
    assert not leaks(out + err, secret_sandbox.user) and "503" in err


async def test_exceptions_and_reprs_never_hold_the_password(secret_sandbox):
    api = client_for(secret_sandbox, PASSWORD)
    assert PASSWORD not in repr(api) and PASSWORD not in repr(api.__dict__.get("_http"))
    secret_sandbox.faults.drop_every = 1
    api.retry.retries = 0
    for call in (api.list_page(), api.get_order(1)):
        with pytest.raises(Exception) as info:
            await call
        assert not leaks(str(info.value) + repr(info.value), secret_sandbox.user)
    await api.aclose()
    async with client_for(secret_sandbox, "wrong" + PASSWORD) as wrong:
        secret_sandbox.faults.drop_every = 0
        with pytest.raises(Exception) as info:
            await wrong.list_page()
        assert PASSWORD not in str(info.value)
