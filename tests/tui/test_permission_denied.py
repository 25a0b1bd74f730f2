"""A 403 in the TUI says "not allowed" and changes nothing; a 401 still asks for the password.

The sandbox runs behind a gate (an ASGI wrapper in front of its app, on the same loopback server) that
answers a chosen status for chosen requests, as a real API does for a user who lacks a role. Everything
else is the sandbox itself, over real HTTP.
"""

from __future__ import annotations

import pytest
from starlette.responses import JSONResponse

from actui.sandbox.server import SandboxServer
from actui.tui.screens.detail import DetailScreen
from actui.tui.screens.prompts import PasswordScreen
from actui.tui.widgets.banner import Banner
from tests.helpers import until
from tests.tui.app_pilot import started, table

REFUSAL = {"message": "User lacks the NumberAdmin role"}


class GatedSandbox(SandboxServer):
    """The sandbox; `refuse(status, test)` makes it answer `status` to every request `test(method, path)`
    accepts, `allow()` lifts that. `refused` counts the answers the gate gave."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.rule = None
        self.refused = 0

    def refuse(self, status: int, test) -> None:
        self.rule = (status, test)

    def allow(self) -> None:
        self.rule = None

    def _app(self):
        inner = super()._app()

        async def gate(scope, receive, send):
            rule = self.rule
            if scope["type"] == "http" and rule and rule[1](scope["method"], scope["path"]):
                self.refused += 1
                await JSONResponse(REFUSAL, status_code=rule[0])(scope, receive, send)
                return
            await inner(scope, receive, send)

        return gate


@pytest.fixture
def gated(tmp_path):
    server = GatedSandbox(tmp_path / "gated.sqlite3", numbers=60, p2p_seconds=0.5, a2p_seconds=1.5)
    server.start()
    yield server
    server.stop()


def no_prompt(app) -> bool:
    return not any(isinstance(screen, PasswordScreen) for screen in app.screen_stack)


def recorded_notifications(app, monkeypatch) -> list[str]:
    said: list[str] = []
    notify = app.notify

    def record(message, **kw):
        said.append(message)
        notify(message, **kw)

    monkeypatch.setattr(app, "notify", record)
    return said


async def test_403_on_the_list_says_not_allowed_and_asks_no_password(gated, app_for):
    app = app_for(gated, poll=False)
    password = app.connection.password
    client = app.client
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        gated.refuse(403, lambda method, path: path.endswith("/phone-numbers/active"))
        await pilot.press("r")
        banner = app.screen.query_one(Banner)
        await until(pilot, lambda: banner.has_class("-shown"))
        shown = str(banner.render())
        assert "Not allowed" in shown and "reading /phone-numbers/active" in shown
        assert f"the profile's user ({gated.user}) lacks permission" in shown
        assert REFUSAL["message"] in shown
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert no_prompt(app) and not app._password_prompt_open
        assert app.connection.password is password and app.client is client   # credentials untouched
        assert gated.refused == 1   # refused once, not retried over and over
        # the keys still go to the list, not into a dialog
        before = table(app).cursor
        await pilot.press("down")
        assert table(app).cursor == before + 1
        gated.allow()
        await pilot.press("r")
        await until(pilot, lambda: not banner.has_class("-shown"))


async def test_403_opening_a_number_is_said_on_the_detail_screen(gated, app_for):
    app = app_for(gated, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        number = table(app).rows[0].number
        gated.refuse(403, lambda method, path: method == "GET" and path.endswith(number))
        app.open_detail(number)
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.error is not None)
        message = str(app.screen.query_one("#detail-message").render())
        assert "Not allowed: the server refused reading" in message and "lacks permission" in message
        await pilot.pause(0.2)
        assert no_prompt(app)


async def test_403_while_polling_an_order_holds_it_and_asks_no_password(gated, app_for, monkeypatch):
    app = app_for(gated, poll=True)
    async with app.run_test(size=(120, 30)) as pilot:
        said = recorded_notifications(app, monkeypatch)
        await started(pilot)
        gated.refuse(403, lambda method, path: "/orders/" in path)
        app.track("4242", "Provision", "P2P")
        await until(pilot, lambda: any("Not allowed" in m for m in said))
        message = next(m for m in said if "Not allowed" in m)
        assert "reading /phone-numbers/orders/4242" in message
        await pilot.pause(0.2)
        assert no_prompt(app)
        assert app.poller is not None and app.poller.running   # the poller goes on for other orders
        assert not app.book.get("4242").final                   # the order is held, not given up


async def test_401_from_the_same_gate_still_opens_the_password_prompt(gated, app_for):
    app = app_for(gated, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        gated.refuse(401, lambda method, path: path.endswith("/phone-numbers/active"))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, PasswordScreen))


async def test_403_saving_an_edit_keeps_the_edit_and_asks_no_password(gated, app_for):
    from actui.tui.screens.diff import DiffScreen
    from actui.tui.screens.editor import EditorScreen

    app = app_for(gated, poll=False)
    password = app.connection.password
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        number = table(app).rows[0].number
        before = gated.state.detail(number)["description"]
        gated.refuse(403, lambda method, path: method == "PUT")
        app.open_editor(number)
        await until(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.form is not None)
        screen = app.screen
        box = screen.form.editors["description"].focus_target()
        box.value = "Front desk"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        await pilot.press("enter")
        await until(pilot, lambda: "Not allowed" in screen.message_text())
        assert "updating /phone-numbers/" in screen.message_text() and "lacks permission" in screen.message_text()
        await pilot.pause(0.2)
        assert no_prompt(app) and app.connection.password is password
        assert app.screen is screen and screen.form.changed_paths() == ["description"]   # the edit is kept
        assert gated.state.detail(number)["description"] == before
