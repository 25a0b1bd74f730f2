"""The TUI starts whatever state the local store is in, and says what happened to it."""

from __future__ import annotations

from actui.tui.app import UiSettings, make_app
from tests.helpers import client_for, fast_retry, until
from tests.tui.app_pilot import FROZEN, connection_for, started

GARBAGE = b"definitely not SQLite \x00\xfe" * 300


def app_opening_its_own_store(sandbox, **conn):
    """The app as `actui` builds it: it opens the store in ACTUI_DATA_DIR itself."""
    connection = connection_for(sandbox, **conn)
    client = client_for(connection, retry=fast_retry(1))
    return make_app(connection, client=client, settings=UiSettings(clock=lambda: FROZEN, poll_orders=False))


def notices(app) -> list:
    return [(n.severity, n.message) for n in app._notifications]


async def test_a_damaged_store_is_moved_aside_and_the_app_says_where(sandbox, isolated_env):
    data = isolated_env / "data"
    data.mkdir()
    (data / "actui.sqlite3").write_bytes(GARBAGE)
    app = app_opening_its_own_store(sandbox)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        await until(pilot, lambda: notices(app))
        [(severity, message)] = [n for n in notices(app) if "damaged" in n[1]]
        [aside] = [p for p in data.glob("actui.sqlite3.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
        assert severity == "warning" and str(aside) in message and "journal" in message
        assert aside.read_bytes() == GARBAGE
        assert not app.read_only


async def test_a_store_that_cannot_be_opened_leaves_the_app_running_read_only(sandbox, isolated_env, monkeypatch):
    data = isolated_env / "data"
    data.mkdir()
    (data / "actui.sqlite3").write_bytes(GARBAGE)

    def cannot_move(path, clock):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("actui.core.store.move_aside", cannot_move)
    app = app_opening_its_own_store(sandbox)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        await until(pilot, lambda: notices(app))
        [(severity, message)] = [n for n in notices(app) if "damaged" in n[1]]
        assert severity == "error" and str(data / "actui.sqlite3") in message and "ACTUI_DATA_DIR" in message
        assert app.read_only and "read-only" in app.sub_title
    assert (data / "actui.sqlite3").read_bytes() == GARBAGE


async def test_a_read_only_store_is_shown_and_the_app_refuses_edits(sandbox, isolated_env, monkeypatch):
    monkeypatch.setattr("actui.core.store_files.why_not_writable", lambda path: "its directory is read-only")
    app = app_opening_its_own_store(sandbox)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        await until(pilot, lambda: notices(app))
        assert any("read-only" in message and "ACTUI_DATA_DIR" in message for _, message in notices(app))
        assert app.read_only


async def test_what_happened_to_the_sandbox_inventory_is_shown_too(sandbox):
    class StartedSandbox:  # what SandboxProcess hands over: its notices (the test's sandbox serves)
        notices = ["the embedded sandbox's inventory /x/sandbox.sqlite3 was damaged: moved it aside to /x/y"]

        def stop(self) -> None:
            pass

    connection = connection_for(sandbox)
    client = client_for(connection, retry=fast_retry(1))
    app = make_app(connection, client=client, sandbox=StartedSandbox(),
                   settings=UiSettings(clock=lambda: FROZEN, poll_orders=False))
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        await until(pilot, lambda: notices(app))
        assert ("warning", StartedSandbox.notices[0]) in notices(app)
