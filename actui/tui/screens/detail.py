"""The detail screen: everything the API returns for one number, readable at 80x24.

`DetailScreen(number, client)` fetches `GET /phone-numbers/{number}` in a worker it owns and shows the
sections core.detail_view builds from the document (labels from core.field_catalogue). `y` shows the raw
JSON, `c` copies the number (OSC 52), `r` reloads, `w` switches field labels between words and wire
names, `escape` goes back. Every value reaching the screen is terminal-safe `rich.text.Text`, never markup.
Given the local copy (`copy`: tui/copy_sync.CopyKeeper), a number it holds opens from it at once, its age in
the title, while the server's answer is read (and then kept in the copy).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...api.client import ApiClient
from ...api.errors import ActuiError, InvalidInput, NetworkError, NotFound
from ...api.number_models import PhoneNumber
from ...core.detail_view import DetailSection, detail_sections, title_text
from ...core.timefmt import age
from ..app_services import app_services
from ..safe import error_text, terminal_safe
from .tcss import css_beside

__all__ = ["DetailScreen", "title_text"]


def _table(section: DetailSection, wire_names: bool) -> Table:
    if section.id == "other":
        width = min(40, max(len(row.wire) for row in section.rows))
    else:
        width = 26 if wire_names else 20
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(width=width, overflow="fold", style="bold")
    table.add_column(ratio=1, overflow="fold")
    for row in section.rows:
        label = row.wire.removeprefix(section.wire + ".") if wire_names and section.wire else (
            row.wire if wire_names else row.label)
        value = row.value
        if row.immutable:
            value = Text.assemble(value, "  ", ("immutable", "dim italic"))
        table.add_row(Text(label), value)
    return table


_FULL_WIDTH = frozenset({"not-set", "other"})


def _height(section: DetailSection) -> int:
    """Lines a section takes, roughly (title, rows, multi-line values, the gap after it)."""
    return 2 + sum(1 + row.value.plain.count("\n") for row in section.rows)


def _balanced_split(heights: list[int]) -> int:
    """How many of the first sections go in the left column so both columns are about as tall."""
    total, best, best_gap, running = sum(heights), 0, sum(heights), 0
    for index, height in enumerate(heights, 1):
        running += height
        gap = abs(total - 2 * running)
        if gap < best_gap:
            best, best_gap = index, gap
    return best


# --- the screen -----------------------------------------------------------------------------------


class DetailScreen(Screen[None]):
    """Everything the API returns for one number. Dismissed (result None) with escape."""

    DEFAULT_CSS = css_beside(__file__, "detail.tcss")

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]

    BINDINGS = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding("y", "toggle_raw", "Raw JSON", id="detail.raw",
                tooltip="Show the JSON document exactly as the server sent it"),
        Binding("c", "copy_number", "Copy", id="detail.copy",
                tooltip="Copy the number (E.164) to the clipboard"),
        Binding("r", "reload", "Reload", id="detail.reload"),
        Binding("e", "edit", "Edit", id="detail.edit", tooltip="Edit this number's fields and settings"),
        Binding("w", "toggle_wire_names", "Wire names", id="detail.wire_names",
                tooltip="Label fields with their API (wire) names instead of words"),
    ]

    def __init__(self, number: str, client: ApiClient, *, clock: Callable[[], float] | None = None,
                 read_only: bool = False, copy: Any = None, name: str | None = None, id: str | None = None,
                 classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.number = number
        self.copy = copy
        self.copy_read_at: float | None = None
        """When the detail on screen was read, while it is the local copy's (None: the server's answer)."""
        self.client = client
        self.clock: Callable[[], float] = clock or time.time
        self.read_only = read_only
        self.phone: PhoneNumber | None = None
        """The number as last loaded (None until the first successful load)."""
        self.document: dict[str, Any] | None = None
        """The document as the server sent it (PhoneNumber.to_wire(): unknown fields included)."""
        self.error: ActuiError | None = None
        """The last load's error, None after a successful load."""
        self.sections: list[DetailSection] = []
        self.show_raw = False
        self.wire_names = False

    @property
    def e164(self) -> str:
        if self.document and self.document.get("phoneNumber"):
            return str(self.document["phoneNumber"])
        return self.number

    def compose(self) -> ComposeResult:
        yield Static(title_text(None, self.number, read_only=self.read_only), id="detail-title")
        with VerticalScroll(id="detail-body"):
            yield Static("", id="detail-message")
            with HorizontalGroup(id="detail-columns"):
                yield VerticalGroup(id="detail-column-1")
                yield VerticalGroup(id="detail-column-2")
            yield VerticalGroup(id="detail-tail")
        with VerticalScroll(id="detail-raw"):
            yield Static("", id="detail-raw-text")
        yield Footer()

    async def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        await self._show_copy()
        self.load_number()

    async def _show_copy(self) -> None:
        """The number as the local copy holds it, at once (the server's answer replaces it)."""
        found = self.copy.detail(self.number) if self.copy is not None else None
        if found is None:
            return
        from pydantic import ValidationError

        document, read_at = found
        try:
            phone = PhoneNumber.model_validate(document)
        except ValidationError:
            return   # not a number as the server sends one: wait for the server's answer
        self.copy_read_at = read_at
        await self._show_phone(phone)

    def _title(self) -> Text:
        text = title_text(self.document, self.number, read_only=self.read_only)
        if self.copy_read_at is not None:
            when = time.strftime("%H:%M", time.localtime(self.copy_read_at))
            text.append(f"  local copy of {when} ({age(self.clock() - self.copy_read_at)} old)", style="bold yellow")
        return text

    # --- loading ----------------------------------------------------------------------------------

    @work(exclusive=True, group="detail", exit_on_error=False)
    async def load_number(self) -> None:
        """Fetch the number; show it, or say what went wrong. Never raises."""
        body = self.query_one("#detail-body", VerticalScroll)
        body.loading = self.document is None   # the copy's detail stays readable meanwhile
        set_offline = app_services(self).set_offline
        try:
            phone = await self.client.get_number(self.number)
        except ActuiError as exc:
            if isinstance(exc, NetworkError):
                set_offline(True)
            await self._show_failure(exc)
        except Exception as exc:  # noqa: BLE001 - a bug or an odd answer must not take the app down
            self.log.error(f"loading {self.number} failed: {exc!r}")
            await self._show_failure(
                ActuiError(f"Unexpected error loading {self.number}: {type(exc).__name__}: {exc}"))
        else:
            set_offline(False)
            if self.copy is not None:
                self.copy.put_detail(self.number, phone.to_wire(), self.clock())
            self.copy_read_at = None
            await self._show_phone(phone)
        # (not in a finally: a cancelled load belongs to a reload that is already running, or to a
        # screen that is gone)
        body.loading = False
        self.refresh_bindings()

    async def _show_phone(self, phone: PhoneNumber) -> None:
        self.phone = phone
        self.document = phone.to_wire()
        self.error = None
        self.query_one("#detail-message", Static).remove_class("-shown")
        self.query_one("#detail-title", Static).update(self._title())
        from textual.highlight import highlight

        # JSON escapes C0 controls itself, but not C1, DEL or bidi overrides (ensure_ascii=False keeps
        # every other character readable): those are drawn as stand-ins too
        raw = terminal_safe(json.dumps(self.document, indent=2, ensure_ascii=False), multiline=True)
        self.query_one("#detail-raw-text", Static).update(highlight(raw, language="json"))
        await self._render_sections()

    async def _show_failure(self, error: ActuiError) -> None:
        self.error = error
        message = self.query_one("#detail-message", Static)
        if isinstance(error, NotFound):
            text = Text.assemble((f"{self.number} is not in the inventory (404).", "bold"), "\n",
                                 (error_text(error), "dim"), "\n", "escape to go back")
            # the number is gone: do not keep showing what it was (nor keep it in the copy)
            if self.copy is not None:
                self.copy.forget(self.number)
            self.phone = self.document = None
            self.copy_read_at = None
            self.sections = []
            self.set_class(False, "-raw")
            self.show_raw = False
            await self._render_sections()
            self.query_one("#detail-title", Static).update(
                title_text(None, self.number, read_only=self.read_only))
        elif isinstance(error, InvalidInput):
            text = Text.assemble((f"Cannot look up {terminal_safe(self.number)}.", "bold"), "\n",
                                 error_text(error), "\n", "escape to go back")
        else:
            stale = "\nShowing what was loaded before." if self.document is not None else ""
            if self.copy_read_at is not None:
                stale = "\nShowing the local copy (its age is in the title)."
            connection = app_services(self).connection
            user = connection.user if connection is not None else None
            text = Text.assemble((f"Could not load {self.number}.", "bold"), "\n", error_text(error, user),
                                 stale, "\n", "r to retry · escape to go back")
        message.update(text)
        message.add_class("-shown")

    async def _render_sections(self) -> None:
        body = self.query_one("#detail-body", VerticalScroll)
        scroll_y = body.scroll_y
        if self.document is not None:
            problems = self.phone.problems if self.phone is not None else ()
            self.sections = detail_sections(self.document, self.clock(), problems)
        # Two columns on a wide screen (stacked, in order, on a narrow one); the catch-alls below.
        main = [section for section in self.sections if section.id not in _FULL_WIDTH]
        tail = [section for section in self.sections if section.id in _FULL_WIDTH]
        split = _balanced_split([_height(section) for section in main])
        with self.app.batch_update():
            await body.query(".detail-section").remove()
            for where, part in (("#detail-column-1", main[:split]), ("#detail-column-2", main[split:]),
                                ("#detail-tail", tail)):
                if part:
                    await self.query_one(where).mount_all([self._section_widget(s) for s in part])
        if scroll_y:
            self.call_after_refresh(body.scroll_to, y=scroll_y, animate=False)

    def _section_widget(self, section: DetailSection) -> VerticalGroup:
        title = Text(section.title)
        if section.wire:
            title.append(f"  {section.wire}", style="dim")
        return VerticalGroup(
            Static(title, classes="section-title"),
            Static(_table(section, self.wire_names), classes="section-body"),
            id=f"section-{section.id}",
            classes="detail-section",
        )

    # --- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            # read-only hides it; greyed out until the number is loaded
            return False if self.read_only else (None if self.document is None else True)
        if action in ("toggle_raw", "toggle_wire_names") and self.document is None:
            return None  # shown, greyed out, until there is something to show
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.load_number()

    def action_edit(self) -> None:
        if self.read_only or self.document is None:
            return
        self.app.open_editor(self.e164, on_saved=lambda _: self.load_number())

    def action_copy_number(self) -> None:
        self.app.copy_to_clipboard(self.e164)
        self.notify(f"Copied {terminal_safe(self.e164)}", timeout=3)

    def action_toggle_raw(self) -> None:
        if self.document is None:
            return
        self.show_raw = not self.show_raw
        self.set_class(self.show_raw, "-raw")
        self.query_one("#detail-raw" if self.show_raw else "#detail-body").focus()

    def action_toggle_wire_names(self) -> None:
        if self.document is None:
            return
        self.wire_names = not self.wire_names
        for section in self.sections:
            group = self.query_one(f"#section-{section.id}", VerticalGroup)
            group.query_one(".section-body", Static).update(_table(section, self.wire_names))

    # --- for tests --------------------------------------------------------------------------------

    def section_ids(self) -> list[str]:
        return [section.id for section in self.sections]

    def plain_text(self) -> str:
        """Every section as plain text (what the body shows, without layout)."""
        return "\n\n".join(section.text(self.wire_names) for section in self.sections)
