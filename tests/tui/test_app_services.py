"""Screens and widgets reach their app through app_services (typed), never by duck-typed look-ups."""

import re
from pathlib import Path

from actui.config import Connection
from actui.core.store import Store
from actui.credentials import Secret
from actui.tui.app import ActuiApp, UiSettings
from actui.tui.app_services import AppServices, app_services
from tests.tui.harness import HarnessApp

TUI = Path(__file__).parents[2] / "actui" / "tui"
DUCK_TYPED = re.compile(r"\b(getattr|hasattr)\((self\.)?app\b")
MEMBERS = set(AppServices.__annotations__) | {name for name in vars(AppServices) if not name.startswith("_")}


def test_no_module_of_the_tui_looks_the_app_up_duck_typed():
    found = [f"{path.relative_to(TUI)}:{number}: {line.strip()}"
             for path in sorted(TUI.rglob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), 1) if DUCK_TYPED.search(line)]
    assert found == []


def provides(app: object, name: str) -> bool:
    """Without calling a property (ActuiApp.client raises until the session is connected)."""
    return hasattr(type(app), name) or name in vars(app)


def test_the_app_and_the_test_harness_provide_every_service(tmp_path):
    assert MEMBERS == {"settings", "clock", "connection", "client", "report_error", "set_offline"}
    connection = Connection(profile=None, base_url="http://127.0.0.1:9", user="u", password=Secret("p"),
                            tenant_id="t")
    app = ActuiApp(connection, store=Store(tmp_path / "state.sqlite3"))
    harness = HarnessApp()
    assert [name for name in sorted(MEMBERS) if not provides(app, name)] == []
    assert [name for name in sorted(MEMBERS) if not provides(harness, name)] == []
    assert isinstance(harness.settings, UiSettings) and harness.connection is None and harness.client is None


async def test_a_widget_gets_its_apps_settings_and_clock():
    app = HarnessApp(settings=UiSettings(clock=lambda: 42.0, cursor_blink=True))
    async with app.run_test():
        services = app_services(app.screen)
        assert services.settings.cursor_blink is True and services.clock() == 42.0
