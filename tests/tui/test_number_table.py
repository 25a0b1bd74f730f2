"""NumberTable: the virtual table of numbers (Line API), driven through a tiny app."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.geometry import Size
from textual.message import Message

from actui.core.inventory import COLUMNS, NumberRow
from actui.tui.widgets.number_table import NumberTable
from actui.tui.widgets.table_lines import GUTTER, fit_cell, layout_columns
from tests.tui.harness import HarnessApp

SIZE = (80, 24)
PAGE = 24 - 1  # visible rows under the header at 80x24 (no horizontal scrollbar)


def make_row(i: int, **overrides: str) -> NumberRow:
    cells = {
        "number": f"(415) 555-{i:04d}",
        "status": "Active",
        "class": "P2P",
        "type": "Voice",
        "platform": "Teams",
        "user": f"user{i}",
        "email": f"user{i}@example.com",
        "description": f"desk phone {i}",
        "plan": "Basic",
    }
    cells.update(overrides)
    return NumberRow(f"+1415{i:07d}", tuple(cells[c.key] for c in COLUMNS))


def make_rows(n: int) -> list[NumberRow]:
    return [make_row(i) for i in range(n)]


class TableApp(HarnessApp):
    def __init__(self, rows: list[NumberRow] | None = None, table: NumberTable | None = None):
        super().__init__()
        self.initial_rows = rows
        self.table = table or NumberTable(id="numbers")
        self.seen: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        if self.initial_rows is not None:
            self.table.set_rows(self.initial_rows)
        self.table.focus()

    def on_number_table_selected(self, message: NumberTable.Selected) -> None:
        self.seen.append(message)

    def on_number_table_cursor_moved(self, message: NumberTable.CursorMoved) -> None:
        self.seen.append(message)


def line(table: NumberTable, y: int) -> str:
    return table.render_line(y).text


def style_at(table: NumberTable, y: int, index: int = 1):
    """The style of the `index`th segment of line `y` (segment 0 is the gutter)."""
    return list(table.render_line(y))[index].style


def visible(table: NumberTable) -> bool:
    top = table.scroll_offset.y
    return top <= table.cursor < top + table._page_size()


async def test_100k_rows_load_and_first_screen_shows_first_rows():
    rows = make_rows(100_000)
    app = TableApp(rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.table
        assert table.rows is rows
        assert table.virtual_size.height == 100_001  # header + rows
        assert line(table, 0).startswith("  Number")
        assert "(415) 555-0000" in line(table, 1)
        assert "(415) 555-0022" in line(table, PAGE)
        assert table.cursor == 0 and table.cursor_row is rows[0]
        # and what the terminal would show says the same
        screen_text = app.export_screenshot()
        assert "555-0000" in screen_text and "555-0022" in screen_text
        assert "555-0023" not in screen_text


async def test_cursor_keys_move_and_keep_the_cursor_visible():
    rows = make_rows(100_000)
    app = TableApp(rows)
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        await pilot.press("down", "down", "down")
        assert table.cursor == 3 and table.scroll_offset.y == 0
        await pilot.press("up", "up")
        assert table.cursor == 1
        await pilot.press("pagedown")
        assert table.cursor == 1 + PAGE and visible(table)
        assert table.scroll_offset.y == PAGE  # the cursor keeps its place on screen
        await pilot.press("ctrl+f")
        assert table.cursor == 1 + 2 * PAGE and visible(table)
        await pilot.press("pageup", "ctrl+b")
        assert table.cursor == 1 and visible(table)
        await pilot.press("end")
        assert table.cursor == 99_999 and visible(table)
        assert table.scroll_offset.y == table.max_scroll_y
        await pilot.pause()
        assert "(415) 555-99999" in line(table, PAGE)
        await pilot.press("home")
        assert table.cursor == 0 and table.scroll_offset.y == 0
        await pilot.press("G")
        assert table.cursor == 99_999 and visible(table)
        await pilot.press("g")
        assert table.cursor == 0
        await pilot.press("up")  # clamped at the top
        assert table.cursor == 0
        # moving down past the bottom edge scrolls one line at a time
        for _ in range(PAGE):
            await pilot.press("down")
        assert table.cursor == PAGE and table.scroll_offset.y == 1


async def test_enter_posts_selected_with_the_cursor_row():
    rows = make_rows(50)
    app = TableApp(rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        selected = [m for m in app.seen if isinstance(m, NumberTable.Selected)]
        assert len(selected) == 1
        assert selected[0].row is rows[2]
        assert selected[0].control is app.table and selected[0].table is app.table


async def test_cursor_moved_is_posted_and_coalesces():
    rows = make_rows(50)
    app = TableApp(rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.seen.clear()
        await pilot.press("down")
        await pilot.pause()
        moved = [m for m in app.seen if isinstance(m, NumberTable.CursorMoved)]
        assert [(m.index, m.row) for m in moved] == [(1, rows[1])]
        assert moved[0].control is app.table
        # a burst of moves in one go arrives as the last position only
        app.seen.clear()
        for index in range(2, 12):
            app.table.move_cursor(index)
        await pilot.pause()
        moved = [m for m in app.seen if isinstance(m, NumberTable.CursorMoved)]
        assert moved and moved[-1].index == 11 and moved[-1].row is rows[11]
        assert len(moved) < 10
        other = NumberTable()
        first = NumberTable.CursorMoved(rows[0], 0, app.table)
        assert first.can_replace(NumberTable.CursorMoved(rows[1], 1, app.table))
        assert not first.can_replace(NumberTable.CursorMoved(rows[1], 1, other))


async def test_set_rows_keeps_the_cursor_on_a_number_after_a_resort():
    rows = make_rows(1000)
    app = TableApp(rows)
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.move_cursor(500)
        await pilot.pause()
        number = table.cursor_row.number
        screen_y = table.cursor - table.scroll_offset.y
        resorted = list(reversed(rows))
        table.set_rows(resorted, keep_number=number)
        await pilot.pause()
        assert table.rows is resorted
        assert table.cursor_row.number == number
        assert table.cursor == 499
        assert visible(table)
        assert table.cursor - table.scroll_offset.y == screen_y  # same place on screen
        assert number in "".join(line(table, y) for y in range(24)).replace("(415) 555-", "+1415000")
        # a number that is gone: the index is clamped
        table.set_rows(rows[:10], keep_number="+19999999999")
        assert table.cursor == 9 and table.cursor_row is rows[9]
        assert table.move_to_number(rows[3].number) and table.cursor == 3
        assert not table.move_to_number("+19999999999") and table.cursor == 3
        table.set_rows([])
        assert table.cursor == 0 and table.cursor_row is None


async def test_narrow_width_drops_columns_and_wide_width_shows_all():
    rows = make_rows(100)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = line(app.table, 0)
        for title in ("Number", "Status", "Class", "Type", "Description"):
            assert title in header
        for title in ("Email", "Platform", "Plan", "User"):
            assert title not in header
        assert app.table.virtual_size.width <= 80  # no horizontal scrolling needed
        assert not app.table.show_horizontal_scrollbar

        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        header = line(app.table, 0)
        for column in COLUMNS:
            assert column.title in header
        assert "user0@example.com" in line(app.table, 1)


def test_layout_drops_in_descending_drop_order_and_gives_spare_to_description():
    full = layout_columns(COLUMNS, 500)
    assert [COLUMNS[i].key for i, _ in full.columns] == [c.key for c in COLUMNS]
    description = [w for i, w in full.columns if COLUMNS[i].key == "description"][0]
    assert full.total_width == 500 and description > 24
    # dropping email (7) is the first step down
    need_all = GUTTER + sum(c.width for c in COLUMNS) + len(COLUMNS) - 1
    one_less = layout_columns(COLUMNS, need_all - 1)
    assert "email" not in [COLUMNS[i].key for i, _ in one_less.columns]
    assert "platform" in [COLUMNS[i].key for i, _ in one_less.columns]
    # too narrow even for the columns that never go: they stay, and the table scrolls sideways
    tiny = layout_columns(COLUMNS, 20)
    assert [COLUMNS[i].key for i, _ in tiny.columns] == [c.key for c in COLUMNS if c.drop == 0]
    assert tiny.total_width > 20


async def test_markup_in_cells_renders_literally():
    rows = [make_row(0, status="[red]Gone"), make_row(1, description="[bold]x[/]", user="[/]")]
    app = TableApp(rows)
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        assert "[red]Gone" in line(app.table, 1)
        second = app.table.render_line(2)  # not the cursor row (whose style may be bold)
        assert "[bold]x[/]" in second.text and "[/] " in second.text
        assert not any(segment.style and segment.style.bold for segment in second)


async def test_wide_characters_keep_the_columns_aligned():
    rows = [make_row(0, description="日本語の説明がとても長いテキストです" * 3, user="用户名字👍🏽"),
            make_row(1)]
    app = TableApp(rows)
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        table = app.table
        header = line(table, 0)
        plan_at = cell_len(header[: header.index("Plan")])
        for y in (1, 2):
            text = line(table, y)
            assert cell_len(text) == 160
            assert cell_len(text[: text.index("Basic")]) == plan_at
        assert "…" in line(table, 1)


def test_fit_cell_clips_with_an_ellipsis_and_cleans_control_characters():
    assert fit_cell("abc", 5) == "abc  "
    assert fit_cell("abcdef", 5) == "abcd…"
    assert cell_len(fit_cell("日本語テキスト", 6)) == 6 and fit_cell("日本語テキスト", 6).endswith("…")
    assert cell_len(fit_cell("日本語", 4)) == 4  # a split wide character becomes a space
    assert "\x1b" not in fit_cell("evil\x1b[2Jtext", 20)
    assert fit_cell("anything", 0) == ""


async def test_marked_rows_show_the_glyph_in_the_gutter():
    rows = make_rows(10)
    app = TableApp(rows)
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        before = line(table, 1)[GUTTER:]
        table.set_marked({rows[1].number, rows[3].number})
        await pilot.pause()
        assert table.marked == {rows[1].number, rows[3].number}
        assert line(table, 2).startswith(NumberTable.MARK_GLYPH)
        assert line(table, 4).startswith(NumberTable.MARK_GLYPH)
        assert line(table, 3).startswith("  ")
        assert line(table, 1)[GUTTER:] == before  # the columns do not move
        marked_style = table.get_component_rich_style("number-table--marked")
        assert style_at(table, 2) == marked_style
        table.set_marked(set())
        await pilot.pause()
        assert line(table, 2).startswith("  ")


async def test_sort_arrow_in_the_header():
    app = TableApp(make_rows(10))
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.set_sort("status", False)
        await pilot.pause()
        assert "Status ▲" in line(table, 0)
        table.set_sort("status", True)
        assert "Status ▼" in line(table, 0)
        table.set_sort("class", False)  # "Class ▲" does not fit in 5 cells: the title is clipped
        header = line(table, 0)
        assert "Cla…▲" in header or "Clas▲" in header
        assert "Status ▼" not in header
        table.set_sort(None, False)
        assert "▲" not in line(table, 0) and "▼" not in line(table, 0)


async def test_empty_text():
    app = TableApp([])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        await pilot.pause()
        assert "No numbers" in line(table, 1)
        assert line(table, 0).startswith("  Number")
        table.empty_text = "Nothing matches “zzz”"
        await pilot.pause()
        assert "Nothing matches “zzz”" in line(table, 1)
        await pilot.press("down", "enter")
        assert table.cursor == 0 and table.cursor_row is None
        assert not [m for m in app.seen if isinstance(m, NumberTable.Selected)]


async def test_stale_rows_are_dimmed():
    rows = make_rows(10)
    app = TableApp(rows)
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        await pilot.pause()
        fresh = style_at(table, 2)
        assert fresh == table.rich_style
        table.stale = True
        await pilot.pause()
        stale_style = table.get_component_rich_style("number-table--stale")
        assert stale_style != table.rich_style
        assert style_at(table, 2) == stale_style
        assert "(415) 555-0001" in line(table, 2)  # the data stays on screen
        table.stale = False
        await pilot.pause()
        assert style_at(table, 2) == fresh


async def test_cursor_style_and_status_colours():
    rows = [make_row(0), make_row(1, status="Inactive"), make_row(2, status="Suspended")]
    app = TableApp(rows)
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        await pilot.pause()
        cursor_style = table.get_component_rich_style("number-table--cursor")
        assert style_at(table, 1) == cursor_style

        def status_style(y: int):
            return next(s.style for s in table.render_line(y) if s.text.startswith(rows[y - 1].cells[1]))

        assert status_style(2).color != status_style(3).color
        assert status_style(3).color != table.rich_style.color


async def test_click_moves_the_cursor_and_a_second_click_selects():
    rows = make_rows(50)
    app = TableApp(rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click(NumberTable, offset=(10, 4))
        assert app.table.cursor == 3
        await pilot.click(NumberTable, offset=(10, 4))
        await pilot.pause()
        selected = [m for m in app.seen if isinstance(m, NumberTable.Selected)]
        assert [m.row for m in selected] == [rows[3]]


async def test_header_click_reports_the_column():
    app = TableApp(make_rows(5))
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.click(NumberTable, offset=(GUTTER + 17 + 2, 0))  # inside "Status"
        await pilot.pause()
        # the hook sees a bubbling message once per node it reaches: count distinct messages
        clicked = {id(m): m for m in seen if isinstance(m, NumberTable.HeaderClicked)}
        assert [m.key for m in clicked.values()] == ["status"]


class CountingTable(NumberTable):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls: list[tuple[int, int]] = []  # (y, scroll_y)

    def render_line(self, y: int):
        self.calls.append((y, self.scroll_offset.y))
        return super().render_line(y)


async def test_render_line_is_called_only_for_visible_lines():
    table = CountingTable(id="numbers")
    app = TableApp(table=table)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table.calls.clear()
        table.set_rows(make_rows(100_000))
        await pilot.pause()
        height = table.size.height
        assert table.calls, "nothing was drawn"
        assert all(0 <= y < height for y, _ in table.calls)
        assert len(table.calls) <= 3 * height  # a screenful or so, not 100,000 lines

        # a cursor move inside the page repaints just the two lines that changed
        table.calls.clear()
        await pilot.press("down")
        await pilot.pause()
        assert sorted(y for y, _ in table.calls) == [1, 2]

        table.calls.clear()
        await pilot.press("end")
        await pilot.pause()
        assert all(0 <= y < height for y, _ in table.calls)
        assert len(table.calls) <= 2 * height


def test_bindings_have_ids_and_descriptions():
    from textual.binding import Binding

    bindings = [b for b in NumberTable.BINDINGS if isinstance(b, Binding)]
    keys = {key for b in bindings for key in b.key.split(",")}
    assert {"up", "down", "pageup", "ctrl+b", "pagedown", "ctrl+f",
            "home", "g", "end", "G", "enter"} <= keys
    for binding in bindings:
        assert binding.id and binding.id.startswith("table.")
        assert binding.description
        assert binding.show is False


async def test_new_rows_size_the_scrollbar_in_the_same_step_without_a_layout_pass():
    """A layout pass would size the scrollbar after the frame's compositor pass: the rows and the
    scrollbar would reach the terminal in two screen updates, a frame apart (one filter keystroke)."""
    app = TableApp(make_rows(100))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.table
        bar = table.vertical_scrollbar
        assert bar.window_virtual_size == 101
        assert not table._layout_required and not app.screen._layout_required
        table.set_rows(make_rows(50))
        assert bar.window_virtual_size == 51 and table.virtual_size.height == 51
        assert not table._layout_required and not app.screen._layout_required
        table.set_rows(make_rows(5))   # the scrollbar goes: that takes a layout pass
        await pilot.pause()
        assert not table.show_vertical_scrollbar
        table.set_rows(make_rows(100))
        await pilot.pause()
        assert table.show_vertical_scrollbar and bar.window_virtual_size == 101
        assert line(table, 1).strip() and table.max_scroll_y == 101 - PAGE - 1


class FilterApp(HarnessApp):
    CSS = "#filter { height: 3; }"

    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []

    def compose(self) -> ComposeResult:
        from actui.tui.widgets.filter_box import FilterBox

        box = FilterBox(id="filter")
        box.listener = self.values.append
        yield box
        yield NumberTable(id="numbers")

    def on_mount(self) -> None:
        self.query_one(NumberTable).set_rows(make_rows(100))
        self.query_one("#filter").focus()


async def test_a_filter_keystroke_asks_for_no_layout_pass():
    """A layout pass per keystroke sized the table's scrollbar after the frame's compositor pass, a
    frame after the rows (Input sets its virtual size, the text's width and a layout reactive, on
    every change)."""
    app = FilterApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.query_one("#filter")
        layouts: list[str] = []
        refresh = box.refresh

        def recording_refresh(*args, **kwargs):
            if kwargs.get("layout"):
                layouts.append(box.value)
            return refresh(*args, **kwargs)

        box.refresh = recording_refresh
        for key in "415":
            await pilot.press(key)
            await pilot.pause()
        assert app.values == ["4", "41", "415"] and box.value == "415"
        assert layouts == []
        assert box.virtual_size == Size(len("415") + 1, 1)   # still sized to its text
