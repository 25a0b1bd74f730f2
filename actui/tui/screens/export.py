"""The export dialog (`list.export` on the list): the list as filtered and sorted, or the marked numbers,
to a CSV or JSON file, with the same columns as the CLI's --fields.

`ExportScreen(request)` is a `ModalDialog[ExportDone | None]`. The file name comes pre-filled in the
current directory (`actui-numbers-<profile>-<YYYYmmdd-HHMM>.csv`); switching the format changes its suffix.
Everything is checked before a byte is written: the columns (an unknown path names the closest one), the
folder (missing, not writable: said here, the dialog stays), an existing file (asked before it is
replaced). The file is written in a thread (tui/export_writer.py) with progress; escape while it is
written cancels it and leaves nothing under the name. Done, it dismisses with what it wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from ...core.export_file import EXPORT_FORMATS, default_name, target_path, target_problem, with_format
from ...core.field_select import FieldError, needs_detail, parse_fields
from ..safe import plain
from ..widgets.inputs import ActuiInput
from .export_confirm import ReplaceFileScreen
from .modal import ModalDialog
from .tcss import css_beside

if TYPE_CHECKING:
    from ...core.inventory import NumberRow
    from ...core.local_copy import LocalCopy
    from ..export_writer import ExportDone

FORMAT_LABELS = {"csv": "CSV", "json": "JSON"}


@dataclass
class ExportRequest:
    """What the list hands the dialog: its rows (references to the list's own, never copied documents)."""

    label: str                          # the profile (or host) the file is named after
    now: float                          # the app's clock, for the name
    fields_text: str                    # the list's shown columns, as a --fields text
    rows: Sequence[NumberRow]           # the list as filtered and sorted
    marked: Sequence[NumberRow] = ()    # the marked numbers (in the list's order), empty without marks
    copy: LocalCopy | None = None       # where the documents are read from
    folder: Path = field(default_factory=lambda: current_folder())
    note: str = ""                      # what the rows are, when not the whole inventory ("120 of 500 loaded")


class ExportScreen(ModalDialog["ExportDone | None"]):
    DEFAULT_CSS = css_beside(__file__, "export.tcss")
    FORM = True   # the app's q is a letter here

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel",
                tooltip="Close the dialog; while writing, stop and leave no file"),
        Binding("ctrl+s", "export", "Export", id="export.write", tooltip="Write the file"),
    ]

    def __init__(self, request: ExportRequest):
        super().__init__()
        self.request = request
        self.writing = None   # the worker writing the file, while it runs
        self.details_missing: int | None = None   # of the rows, how many lack details (None: not counted)
        self._counting = 0   # the count asked for last: an earlier one's answer is dropped

    # --- layout -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        request = self.request
        with VerticalGroup(id="export-dialog") as box:
            box.border_title = "Export the list"
            with HorizontalGroup(classes="export-row"):
                yield Label("File", classes="export-label")
                yield ActuiInput(default_name(request.label, "csv", request.now), id="export-name", compact=True)
            yield Static(plain(f"in {shown_folder(request.folder)}"), id="export-folder", classes="export-hint")
            with HorizontalGroup(classes="export-row"):
                yield Label("Format", classes="export-label")
                yield Select([(FORMAT_LABELS[fmt], fmt) for fmt in EXPORT_FORMATS], value="csv",
                             allow_blank=False, id="export-format", compact=True)
            with HorizontalGroup(classes="export-row"):
                yield Label("Numbers", classes="export-label")
                scopes = [(f"filtered list ({len(request.rows):,})", "list")]
                if request.marked:
                    scopes.append((f"marked ({len(request.marked):,})", "marked"))
                yield Select(scopes, value="marked" if request.marked else "list", allow_blank=False,
                             id="export-scope", compact=True, disabled=len(scopes) == 1)
            if request.note:
                yield Static(plain(request.note), id="export-note", classes="export-hint")
            with HorizontalGroup(classes="export-row"):
                yield Label("Columns", classes="export-label")
                yield ActuiInput(request.fields_text, id="export-fields", compact=True,
                                 placeholder="number,status,settings.optOut.enabled")
            yield Static("", id="export-details", classes="export-hint")
            yield Static("", id="export-error")
            yield ProgressBar(id="export-progress", show_eta=False)
            with HorizontalGroup(id="export-buttons"):
                yield Button("Export (ctrl+s)", id="export-go", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="export-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-progress").display = False
        self.query_one("#export-name", Input).focus()
        self.fields_changed()

    # --- values -------------------------------------------------------------------------------------

    @property
    def fmt(self) -> str:
        return str(self.query_one("#export-format", Select).value)

    @property
    def rows(self) -> Sequence[NumberRow]:
        scope = self.query_one("#export-scope", Select).value
        return self.request.marked if scope == "marked" else self.request.rows

    @on(Select.Changed, "#export-format")
    def format_changed(self, event: Select.Changed) -> None:
        name = self.query_one("#export-name", Input)
        name.value = with_format(name.value, str(event.value))

    @on(Select.Changed, "#export-scope")
    @on(Input.Changed, "#export-fields")
    def fields_changed(self) -> None:
        """Columns that need details: how many of the rows the copy holds none of (counted in a thread)."""
        self.show_error("")
        self.details_missing = None
        self._counting += 1
        try:
            fields = parse_fields(self.query_one("#export-fields", Input).value)
        except FieldError:
            fields = ()
        if not needs_detail(fields):
            self._show_details(0, self._counting)
            return
        self.count_details(self.rows, self._counting)

    @work(thread=True, exclusive=True, group="export-details", exit_on_error=False)
    def count_details(self, rows: Sequence[NumberRow], counting: int) -> None:
        from ...core.export_rows import count_without_detail
        from ...core.store import StoreError

        try:
            missing = count_without_detail(self.request.copy, [row.number for row in rows])
        except StoreError:
            missing = len(rows)
        self.app.call_from_thread(self._show_details, missing, counting)

    def _show_details(self, missing: int, counting: int) -> None:
        if counting != self._counting:
            return
        self.details_missing = missing
        text = "" if not missing else (
            f"{missing:,} of {len(self.rows):,} numbers have no details in the local copy: their settings "
            "cells are empty (actui sync --details reads them)")
        details = self.query_one("#export-details", Static)
        details.update(plain(text))
        details.display = bool(text)

    def show_error(self, text: str) -> None:
        error = self.query_one("#export-error", Static)
        error.update(plain(text))
        error.set_class(bool(text), "-shown")

    # --- export -------------------------------------------------------------------------------------

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-close")
    def closed(self) -> None:
        self.action_cancel()

    @work(group="export-ask", exclusive=True, exit_on_error=False)
    async def action_export(self) -> None:
        if self.writing is not None:
            return
        try:
            fields = parse_fields(self.query_one("#export-fields", Input).value)
        except FieldError as error:
            self.show_error(str(error).removeprefix("--fields: "))
            self.query_one("#export-fields", Input).focus()
            return
        name = self.query_one("#export-name", Input)
        if not name.value.strip():
            self.show_error("give the file a name")
            name.focus()
            return
        path = target_path(name.value, self.request.folder)
        problem = target_problem(path)
        if problem:
            self.show_error(problem)
            name.focus()
            return
        if path.exists() and not await self.app.push_screen_wait(ReplaceFileScreen(path)):
            name.focus()
            return
        self.start(path, fields)

    def start(self, path: Path, fields: tuple[str, ...]) -> None:
        from ..export_writer import ExportJob, write_in_thread

        rows = self.rows
        self.show_error("")
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=len(rows), progress=0)
        bar.display = True
        for control in self.query("Input, Select, #export-go"):
            control.disabled = True
        self.job = ExportJob(path, self.fmt, fields, rows, self.request.copy)
        self.writing = write_in_thread(self, self.job)

    def progress(self, count: int) -> None:
        self.query_one("#export-progress", ProgressBar).update(progress=count)

    def finished(self, done: ExportDone | None, problem: str = "") -> None:
        """From the writing thread: written (dismissed with it), cancelled (None), or failed (said here)."""
        self.writing = None
        if done is not None or not problem:
            if done is None:
                self.notify(f"Export cancelled: nothing written to {self.job.path}", timeout=5, markup=False)
            self.dismiss(done)
            return
        self.query_one("#export-progress").display = False
        for control in self.query("Input, Select, #export-go"):
            control.disabled = control.id == "export-scope" and not self.request.marked
        self.show_error(problem)
        self.query_one("#export-name", Input).focus()

    def action_cancel(self) -> None:
        if self.writing is not None:
            self.job.cancel()   # the thread stops at the next row, removes its file and calls finished
            return
        self.dismiss(None)


def current_folder() -> Path:
    """The current directory; the home folder when it is gone (removed under the running app)."""
    try:
        return Path.cwd()
    except OSError:
        return Path.home()


def shown_folder(folder: Path) -> str:
    """`folder` as the user reads it: under the home folder as `~/…`."""
    try:
        return "~/" + str(folder.relative_to(Path.home())) if folder != Path.home() else "~"
    except ValueError:
        return str(folder)


def fields_text(wires: Sequence[str]) -> str:
    """The list's columns as a --fields text (short names where the list has them)."""
    from ...core.inventory import COLUMNS

    keys = {column.wire: column.key for column in COLUMNS}
    return ",".join(keys.get(wire, wire) for wire in wires)
