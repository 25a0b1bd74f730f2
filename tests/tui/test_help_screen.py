"""HelpScreen: every binding active beneath it, grouped, with friendly keys; closes on escape/q/?."""

from __future__ import annotations

import pytest
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from actui.tui.screens.help import HelpScreen, binding_groups
from tests.tui.harness import HarnessApp


class NumberList(Widget, can_focus=True):
    BINDING_GROUP_TITLE = "Table"
    BINDINGS = [
        Binding("down,j", "cursor_down", "Next row", id="table.down", show=False),
        Binding("space", "mark", "Mark number", id="table.mark"),
        Binding("n", "narrow", "Narrow filter", id="table.narrow"),  # shadows the screen's n
    ]

    def render(self) -> str:
        return "numbers"

    def action_cursor_down(self) -> None: ...
    def action_mark(self) -> None: ...
    def action_narrow(self) -> None: ...


class ListScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Open number", id="list.open"),
        Binding("slash", "filter", "Filter", id="list.filter"),
        Binding("ctrl+r", "release", "Release", id="list.release", show=False),
        Binding("u", "undo", "Undo", id="list.undo", show=False),  # check_action: greyed out
        Binding("z", "hidden_away", "Never shown", id="list.gone"),  # check_action: False
        Binding("x", "secret"),  # no description: nothing to tell
        Binding("n", "new", "New number", id="list.new"),
    ]

    def compose(self) -> ComposeResult:
        yield NumberList()
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return {"undo": None, "hidden_away": False}.get(action, True)

    def action_open(self) -> None: ...
    def action_filter(self) -> None: ...
    def action_release(self) -> None: ...
    def action_undo(self) -> None: ...
    def action_hidden_away(self) -> None: ...
    def action_secret(self) -> None: ...
    def action_new(self) -> None: ...


class HelpApp(HarnessApp):
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+t", "toggle_dark", "Toggle theme", id="app.theme", show=False),
    ]

    def __init__(self, screen_factory=ListScreen):
        super().__init__()
        self.animation_level = "none"
        self.screen_factory = screen_factory

    def on_mount(self) -> None:
        self.push_screen(self.screen_factory())

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def rendered(root: Widget) -> str:
    lines: list[str] = []
    for widget in root.query(Static):
        if widget.size.area:
            strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
            lines.extend(strip.text.rstrip() for strip in strips)
    return "\n".join(lines)


def group_of(text: str, title: str, titles: list[str]) -> str:
    """The rendered lines under `title`, up to the next group title."""
    lines = text.splitlines()
    start = lines.index(title) + 1
    end = next((i for i in range(start, len(lines)) if lines[i] in titles), len(lines))
    return "\n".join(lines[start:end])


async def open_help(pilot, key: str = "question_mark") -> HelpScreen:
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen)
    return pilot.app.screen


async def test_lists_every_active_binding_grouped_with_friendly_keys():
    app = HelpApp()
    async with app.run_test(size=(80, 24)) as pilot:
        beneath = app.screen
        assert isinstance(app.focused, NumberList)
        help_screen = await open_help(pilot)
        assert help_screen.target is beneath
        titles = [group.title for group in help_screen.groups]
        assert titles == ["This screen", "Table", "Everywhere"]

        text = rendered(help_screen)
        screen_part = group_of(text, "This screen", titles)
        table_part = group_of(text, "Table", titles)
        everywhere = group_of(text, "Everywhere", titles)

        key = app.get_key_display
        # the screen's own keys, shown or hidden from the footer
        for binding_key, description in (("enter", "Open number"), ("slash", "Filter"),
                                         ("ctrl+r", "Release")):
            line = next(line for line in screen_part.splitlines() if description in line)
            assert line.strip().startswith(key(Binding(binding_key, "")))
        assert "^r" in screen_part and "/" in screen_part and "⏎" in screen_part
        # Textual's generic screen keys come after the screen's own
        assert screen_part.index("Open number") < screen_part.index("Focus Next")
        # greyed-out actions are listed and say so; hidden ones and undescribed ones are not
        assert "(not available now)" in next(line for line in screen_part.splitlines() if "Undo" in line)
        assert "Never shown" not in text
        assert "secret" not in text
        # the focused widget's keys, several keys for one action on one row
        assert "↓ / j" in next(line for line in table_part.splitlines() if "Next row" in line)
        assert "Mark number" in table_part
        # n is bound by the table and the screen: only the one that takes effect is listed
        assert "Narrow filter" in table_part and "New number" not in text
        # the app's keys
        assert "? / f1" in next(line for line in everywhere.splitlines() if "Help" in line)
        assert "Toggle theme" in everywhere and "^t" in everywhere
        assert "^q" in everywhere and "Quit" in everywhere
        # and the way to every action
        assert "opens the command palette, where every action is available" in text
        assert "^p (ctrl+p)" in text


@pytest.mark.parametrize("key", ["escape", "q", "question_mark", "f1"])
async def test_closes_on_escape_q_and_question_mark(key):
    app = HelpApp()
    async with app.run_test(size=(80, 24)) as pilot:
        beneath = app.screen
        await open_help(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is beneath
        assert isinstance(app.focused, NumberList)  # focus back where it was


async def test_f1_opens_it_too():
    app = HelpApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_help(pilot, "f1")


async def test_without_a_focused_widget_lists_screen_and_app():
    class Bare(Screen):
        BINDINGS = [Binding("a", "add", "Add", id="bare.add")]

        def compose(self) -> ComposeResult:
            yield Static("nothing to focus")

        def action_add(self) -> None: ...

    app = HelpApp(Bare)
    async with app.run_test(size=(80, 24)) as pilot:
        help_screen = await open_help(pilot)
        assert [g.title for g in help_screen.groups] == ["This screen", "Everywhere"]
        assert "Add" in rendered(help_screen)


async def test_plain_scrolling_containers_are_called_scrolling():
    class Reader(Screen):
        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield Static("text")

        def on_mount(self) -> None:
            self.query_one(VerticalScroll).focus()

    app = HelpApp(Reader)
    async with app.run_test(size=(80, 24)) as pilot:
        help_screen = await open_help(pilot)
        assert [g.title for g in help_screen.groups] == ["This screen", "Scrolling", "Everywhere"]
        assert "Page Down" in rendered(help_screen)


async def test_scrolls_when_long_at_80x24():
    class Busy(Screen):
        BINDINGS = [Binding(f"ctrl+{c}", f"do('{c}')", f"Action {c}", id=f"busy.{c}")
                    for c in "abcdefghijklmnopqrstuvwxyz"]

        def action_do(self, name: str) -> None: ...

    app = HelpApp(Busy)
    async with app.run_test(size=(80, 24)) as pilot:
        help_screen = await open_help(pilot)
        body = help_screen.query_one("#help-body")
        assert help_screen.focused is body
        dialog = help_screen.query_one("#help-dialog")
        assert dialog.region.height <= 24
        assert body.max_scroll_y > 0
        await pilot.press("end")
        assert body.scroll_y == body.max_scroll_y
        assert "Action z" in rendered(help_screen)


async def test_binding_groups_follow_a_user_keymap():
    app = HelpApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_keymap({"list.open": "o"})
        await pilot.pause()
        groups = {g.title: g for g in binding_groups(app.screen)}
        row = next(r for r in groups["This screen"].rows if r.description == "Open number")
        assert row.keys == ["o"]
