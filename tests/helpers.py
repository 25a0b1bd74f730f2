"""Constants and small helpers shared by tests (fixtures live in conftest.py)."""

from actui.api.retry import RetryPolicy

TENANT = "11111111-2222-3333-4444-555555555555"


def fast_retry(retries: int = 4) -> RetryPolicy:
    """Real back-off, scaled down so tests stay quick."""
    return RetryPolicy(retries=retries, base=0.01, cap=0.05)


def cli_runner(server, monkeypatch, capsys):
    """A function running `actui ARGS` in-process against `server`; it returns (exit code, stdout, stderr)."""
    from actui.cli import main

    monkeypatch.setenv("ACTUI_PASSWORD", server.password)
    monkeypatch.setenv("ACTUI_USER", server.user)
    monkeypatch.setenv("ACTUI_BASE_URL", server.base_url)

    def invoke(*args: str):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
