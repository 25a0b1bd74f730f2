"""The journal: every field actui changed, newest first, with its run, and undo.

`JournalScreen(journal, *, clock, read_only, on_undo)` lists `journal.entries()` (one row per field change)
in a DataTable; the panel below names the selected row's run (kind, description, state, counts, times)
and the change in full, since the table truncates to fit 80 columns. `/` filters as you type (number in
any format, field, value, result, kind, `run:12`); escape clears the filter, then goes back; `r` reloads
(so does coming back to the screen). `u` undoes the selected number within its run, `U` the whole run:
both call `on_undo(run_id, [number])` or `on_undo(run_id, None)`, which previews what would be written
back (reading the server, so conflicts show) and asks for the count. Read-only hides and refuses both;
orders, failures and unfinished runs are refused with the reason.
Every value from the journal is shown as `rich.text.Text`, never markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ...api.phone import friendly
from ...core.journal import Entry, Journal, Run
from ...core.safe_text import terminal_safe
from ..journal_text import change_strs, change_text, cut, local_time, result_text, run_text
from ..widgets.filter_box import FilterBox
from .resume import UNDO_REFUSED_READ_ONLY, undo_question
from .tcss import css_beside

LIMIT = 2000
WIDE = 100            # from this width: full times and run kinds
KIND_SHORT = {"provision": "prov", "unprovision": "unprov"}


# --- the rows, cut to fit the width -------------------------------------------------------------------


@dataclass(frozen=True)
class JournalColumn:
    key: str
    label: str
    width: int


def when_str(at: float, now: float, wide: bool) -> str:
    """Wide: the full local time. Narrow: the time today, the day this year, else the year."""
    if wide:
        return local_time(at)
    then, today = local_time(at, "%Y-%m-%d"), local_time(now, "%Y-%m-%d")
    if then == today:
        return local_time(at, "%H:%M")
    return local_time(at, "%m-%d") if then[:4] == today[:4] else then[:4]


def run_str(entry: Entry, wide: bool) -> str:
    return terminal_safe(f"{entry.run_id} {entry.kind if wide else KIND_SHORT.get(entry.kind, entry.kind)}")


def _number(entry: Entry) -> str:
    return terminal_safe(friendly(entry.number))


def cut_path(path: str, width: int) -> str:
    """settings.optOut.text in 12 columns: …optOut.text (the leaf is what tells fields apart)."""
    parts = terminal_safe(path).split(".")
    while len(parts) > 1 and len(".".join(parts)) > width:
        parts.pop(0)
        if len("…" + ".".join(parts)) <= width:
            return "…" + ".".join(parts)
    return cut(".".join(parts), width)


def _fit(room: int, field: int, change: int, result: int) -> list[int]:
    """Field, change and result widths from `room` (each wants its longest): the result word first (9 fits
    "cancelled"), the field up to a third, the change the rest; a message gets what is left over."""
    result_w = min(result, 9)
    field_w = min(field, max(12, room * 35 // 100))
    change_w = max(6, min(change, room - result_w - field_w))
    return [field_w, change_w, max(result_w, room - field_w - change_w)]


def columns_for(width: int, entries: list[Entry], now: float) -> list[JournalColumn]:
    wide = width >= WIDE
    fixed = [JournalColumn("when", "When", 19 if wide else 5),
             JournalColumn("run", "Run", max([3] + [len(run_str(e, wide)) for e in entries])),
             JournalColumn("number", "Number", max([6] + [len(_number(e)) for e in entries]))]
    room = width - 1 - 2 * 6 - sum(c.width for c in fixed)    # the scrollbar, each cell's padding
    pairs = [change_strs(e) or ("", "—") for e in entries]
    widths = _fit(room, max([5] + [len(e.path) for e in entries]),
                  max([6] + [len(old) + len(new) + (3 if old else 0) for old, new in pairs]),
                  max([7] + [len(result_text(e)) for e in entries]))
    return fixed + [JournalColumn(key, label, w) for (key, label), w in
                    zip((("field", "Field"), ("change", "Change"), ("result", "Result")), widths, strict=False)]


def entry_cells(entry: Entry, columns: list[JournalColumn], now: float) -> list[Text]:
    wide = columns[0].width > 5
    cells = {"when": lambda w: Text(when_str(entry.at, now, wide), "dim"),
             "run": lambda w: Text(run_str(entry, wide), "italic" if entry.kind == "undo" else ""),
             "number": lambda w: Text(_number(entry)),
             "field": lambda w: Text(cut_path(entry.path, w)) if entry.path else Text("—", "dim"),
             "change": lambda w: change_text(entry, w),
             "result": lambda w: result_text(entry)}
    out = []
    for column in columns:
        text = cells[column.key](column.width)
        text.no_wrap, text.overflow = True, "ellipsis"
        out.append(text)
    return out


class JournalScreen(Screen[None]):
    DEFAULT_CSS = css_beside(__file__, "journal.tcss")

    BINDINGS = [
        Binding("escape", "back", "Back", id="journal.back"),
        Binding("slash", "filter", "Filter", priority=True, id="journal.filter"),
        Binding("u", "undo_number", "Undo number", id="journal.undo_number",
                tooltip="Write back the old values of the selected number's fields in its run"),
        Binding("U", "undo_run", "Undo run", id="journal.undo_run",
                tooltip="Write back the old values of everything the selected run changed"),
        Binding("r", "reload", "Reload", id="journal.reload"),
    ]

    def __init__(self, journal: Journal, *, clock: Callable[[], float] = time.time, read_only: bool = False,
                 on_undo: Callable[[int, list[str] | None], object] | None = None,
                 limit: int = LIMIT, name: str | None = None, id: str | None = "journal",
                 classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.journal = journal
        self.clock = clock
        self.read_only = read_only
        self.on_undo = on_undo
        self.limit = limit
        self.query_text = ""
        self.entries: list[Entry] = []
        self.loaded = False
        self._runs: dict[int, Run | None] = {}
        self._columns: list = []

    def compose(self) -> ComposeResult:
        yield Static(id="journal-title")
        yield FilterBox(placeholder="filter: number, field, value, result, kind, run:12 (escape clears)",
                        id="journal-filter")
        yield DataTable(id="journal-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text("Loading the journal…"), id="journal-empty")
        yield Static(id="journal-run")
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one(FilterBox)
        box.listener = self.filter_changed
        self.add_class("-empty")
        self._title()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()    # first shown, or back from an undo run: the journal may hold more now

    # --- loading ----------------------------------------------------------------------------------

    def reload(self) -> None:
        self._runs.clear()
        self.load(self.query_text)

    @work(thread=True, exclusive=True, group="journal-load", exit_on_error=False)
    def load(self, query: str) -> None:
        """In a thread: matching a filter over a large journal reads every item."""
        from textual.worker import get_current_worker

        try:
            entries = self.journal.entries(query, limit=self.limit)
        except Exception as error:  # noqa: BLE001 - a locked or damaged file: say so, keep the screen
            entries, failure = None, error
        else:
            failure = None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, query, entries, failure)

    def _loaded(self, query: str, entries: list[Entry] | None, failure: Exception | None) -> None:
        if not self.is_attached or query != self.query_text:
            return
        if failure is not None:
            self.notify(terminal_safe(f"Could not read the journal: {failure}"), severity="error", markup=False,
                        timeout=10)
            return
        table = self.query_one(DataTable)
        current = self.selected
        keep = (current.run_id, current.number, current.path) if current and self.loaded else None
        self.entries = entries or []
        self.loaded = True
        self._fill(force=True)
        if keep is not None:
            row = next((i for i, e in enumerate(self.entries) if (e.run_id, e.number, e.path) == keep), 0)
            table.move_cursor(row=row, animate=False)
        self.set_class(not self.entries, "-empty")
        self.query_one("#journal-empty", Static).update(self._empty_text())
        self._title()
        self._panel()
        self.refresh_bindings()

    def _fill(self, force: bool = False) -> None:
        """(Re)build the table for the screen's width: cells are cut to fit, the panel shows them whole."""
        columns = columns_for(self.size.width or self.app.size.width, self.entries, self.clock())
        if columns == self._columns and not force:
            return
        self._columns = columns
        table = self.query_one(DataTable)
        row = table.cursor_row
        with self.app.batch_update():
            table.clear(columns=True)
            for column in columns:
                table.add_column(Text(column.label), width=column.width, key=column.key)
            now = self.clock()
            table.add_rows(entry_cells(e, columns, now) for e in self.entries)
            if self.entries:
                table.move_cursor(row=min(row, len(self.entries) - 1), animate=False)

    def on_resize(self) -> None:
        if self.loaded:
            self._fill()

    @property
    def selected(self) -> Entry | None:
        row = self.query_one(DataTable).cursor_row
        return self.entries[row] if self.entries and 0 <= row < len(self.entries) else None

    def run_of(self, run_id: int) -> Run | None:
        if run_id not in self._runs:
            self._runs[run_id] = self.journal.run(run_id)
        return self._runs[run_id]

    # --- what is shown besides the rows -------------------------------------------------------------

    def _title(self) -> None:
        text = Text.assemble(("Journal", "bold"), no_wrap=True, overflow="ellipsis")
        count = len(self.entries)
        if self.loaded:
            if self.query_text:
                text.append(f" · {count:,} match{'es' if count != 1 else ''} for ")
                text.append(terminal_safe(self.query_text), "bold")
            else:
                text.append(f" · {count:,} change{'s' if count != 1 else ''}")
            if count >= self.limit:
                text.append(f" (the latest {self.limit:,}: filter for older)", "dim")
            if count:
                text.append(" · newest first", "dim")
        if self.read_only:
            text.append(" · read-only: undo is off", "dim")
        self.query_one("#journal-title", Static).update(text)

    def _empty_text(self) -> Text:
        if self.query_text:
            return Text.assemble("No change matches ", (terminal_safe(self.query_text), "bold"), ".\n\n",
                                 ("Filter by number (any format), field, value, result, kind or run:12. "
                                  "escape clears the filter.", "dim"))
        return Text.assemble(("The journal is empty: nothing was changed through actui yet.", "bold"), "\n\n",
                             ("Every edit, bulk change, undo and order made here is recorded with the values "
                              "it replaced, so a change can be looked up and undone later (u, U).\n"
                              "escape goes back.", "dim"))

    def _panel(self) -> None:
        entry = self.selected
        panel = self.query_one("#journal-run", Static)
        panel.update(run_text(self.run_of(entry.run_id), entry, self.clock()) if entry else Text(""))

    @on(DataTable.RowHighlighted, "#journal-table")
    def _highlighted(self) -> None:
        self._panel()

    # --- filter -----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one(FilterBox)
        if box.has_focus:
            raise SkipAction()   # a priority binding (see InventoryScreen.action_filter): in the box "/" is text
        box.add_class("-shown")
        self.set_focus(box)

    def filter_changed(self, value: str) -> None:
        if value.strip() != self.query_text:
            self.query_text = value.strip()
            self.load(self.query_text)

    @on(Input.Submitted, "#journal-filter")
    def _filter_kept(self) -> None:
        box = self.query_one(FilterBox)
        box.set_class(bool(box.value), "-shown")
        self.query_one(DataTable).focus()

    def action_back(self) -> None:
        """escape: the filter first, then back to the list."""
        box = self.query_one(FilterBox)
        if box.value or box.has_class("-shown"):
            self.query_text = ""
            box.value = ""
            box.remove_class("-shown")
            self.query_one(DataTable).focus()
            self.load("")
            return
        self.dismiss()

    def action_reload(self) -> None:
        self.reload()

    # --- undo -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("undo_number", "undo_run"):
            # hidden when read-only; greyed while empty; else a refusal says why (an order, a failure...)
            return False if self.read_only else (True if self.entries else None)
        return True

    def action_undo_number(self) -> None:
        self.ask_undo(whole_run=False)

    def action_undo_run(self) -> None:
        self.ask_undo(whole_run=True)

    def ask_undo(self, whole_run: bool) -> None:
        """Say why not, or hand the undo to on_undo (which previews what it writes back and confirms)."""
        entry = self.selected
        if entry is None:
            return
        # the run as it is now: it may have finished since the list was loaded
        asked = UNDO_REFUSED_READ_ONLY if self.read_only else undo_question(self.journal, entry, whole_run,
                                                                               self.journal.run(entry.run_id))
        if isinstance(asked, str):
            self.notify(terminal_safe(asked), severity="warning", markup=False)
            return
        if self.on_undo is not None:
            self.on_undo(asked.run_id, asked.numbers)
