"""The few private Textual methods actui builds on exist with the shape it calls them with.

pyproject asks for a compatible Textual (>=8.2.8,<9) rather than one release, so a new 8.x must not drop these
silently: the table's scrollbar update after its own resize, the filter box's value watcher and the address
entry's key handler would fail only when a user reached them.
"""

from __future__ import annotations

import inspect

from textual.widget import Widget
from textual.widgets import Input


def parameters(method) -> list[str]:
    return list(inspect.signature(method).parameters)


def test_widget_scroll_update_takes_the_virtual_size():
    # tui/widgets/number_table.py calls self._scroll_update(size) after setting virtual_size without a layout.
    assert parameters(Widget._scroll_update) == ["self", "virtual_size"]


def test_input_value_watcher_takes_the_value():
    # tui/widgets/filter_box.py overrides Input._watch_value and calls super()._watch_value(value).
    assert parameters(Input._watch_value) == ["self", "value"]


def test_input_key_handler_is_a_coroutine_taking_the_event():
    # tui/widgets/address_editor.py overrides Input._on_key and awaits super()._on_key(event).
    assert inspect.iscoroutinefunction(Input._on_key)
    assert parameters(Input._on_key) == ["self", "event"]


def test_screen_push_result_callback_takes_a_requester_and_a_callback():
    # tui/profile_switch.py gives the first screen a result callback, which switch_screen expects of it.
    from textual.screen import Screen

    assert parameters(Screen._push_result_callback)[:3] == ["self", "requester", "callback"]
