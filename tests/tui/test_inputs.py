"""ActuiInput / ActuiTextArea: the cursor blinks only when the app's settings say so."""

import pytest

from actui.tui.app import UiSettings
from actui.tui.widgets.inputs import ActuiInput
from actui.tui.widgets.text_area import ActuiTextArea
from tests.tui.harness import HarnessApp


class InputsApp(HarnessApp):
    def __init__(self, settings: UiSettings | None):
        super().__init__(settings=settings)

    def compose(self):
        yield ActuiInput(id="box")
        yield ActuiTextArea(id="area")


@pytest.mark.parametrize("settings, blinks", [
    (UiSettings(cursor_blink=True), True),
    (UiSettings(cursor_blink=False), False),
    (None, False),   # no settings: the UiSettings default, not Textual's (which blinks)
])
async def test_cursor_blinks_only_when_the_settings_say_so(settings, blinks):
    app = InputsApp(settings)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.query_one("#box", ActuiInput).cursor_blink is blinks
        assert app.query_one("#area", ActuiTextArea).cursor_blink is blinks
