"""The detail screen: everything the API returns for one number, readable at 80x24.

`DetailScreen(number, client)` fetches `GET /phone-numbers/{number}` in a worker it owns and shows the
document in headed sections: identity, messaging, dates, immutable fields, one section per settings
section in the guide's order, and finally every field the guide does not list ("Other fields"), so
nothing the server sent is hidden. `y` shows the raw JSON, `c` copies the number (OSC 52), `r` reloads,
`w` switches field labels between words and wire names, `escape` goes back.

Layout rules (be consistent when extending):
- a field the answer does not hold is not shown; a field holding null is shown as "—";
- a settings section the answer does not hold is listed once under "Not set";
- every value from the API is a `rich.text.Text` (never markup): data may hold "[bold]" or "[/]";
  and terminal-safe (core.safe_text): data may hold escape sequences. Field names too (unknown fields).

`describe(document, now)` builds the sections without Textual, for tests and other screens.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
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
from ...api.errors import ActuiError, FieldProblem, InvalidInput, NotFound
from ...api.number_models import PhoneNumber
from ...api.phone import friendly
from ...api.vocabulary import DOCUMENTED_IMMUTABLE
from ...core import timefmt
from ...core.form_spec import field_spec
from ..safe import error_text, plain, terminal_safe

NULL = "—"


# --- what the guide documents, in the guide's words and order ---------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One documented field: its wire key, its label in words, and how to show it.

    kind: "value" (shown by type), "date" (local time + age), "flags" (a nested object of booleans
    shown on one line, e.g. capabilities). `sub` lists the documented keys of a nested object, each
    shown on its own row (e.g. notifications.microsoftTeams).
    """

    key: str
    label: str
    kind: str = "value"
    sub: tuple["FieldSpec", ...] = ()


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: str
    path: tuple[str, ...]  # where the section's object is in the document; () is the top level
    fields: tuple[FieldSpec, ...]


F = FieldSpec

IDENTITY = SectionSpec("identity", "Identity & assignment", (), (
    F("phoneNumberId", "Number ID"),
    F("friendlyName", "Friendly name"),
    F("status", "Status"),
    F("userId", "User"),
    F("email", "Email"),
    F("description", "Description"),
    F("externalId", "External ID"),
    F("platformType", "Platform"),
    F("billingPlanName", "Billing plan"),
))

MESSAGING = SectionSpec("messaging", "Messaging", (), (
    F("provisionClass", "Class"),
    F("provisionType", "Type"),
    F("capabilities", "Capabilities", "flags", (F("sms", "SMS"), F("mms", "MMS"))),
    F("isActivated", "Activated"),
    F("isMMSEnabled", "MMS enabled"),
    F("campaignId", "Campaign ID"),
    F("brandId", "Brand ID"),
    F("loaUrl", "LOA URL"),
))

DATES = SectionSpec("dates", "Dates", (), (
    F("createdAt", "Created", "date"),
    F("activatedAt", "Activated", "date"),
))

# The guide's immutable fields (owner, billable owner, provider, the number, Microsoft tenant
# information) in reading order; any other name in models.DOCUMENTED_IMMUTABLE follows.
_IMMUTABLE_ORDER: tuple[FieldSpec, ...] = (
    F("phoneNumber", "Number"),
    F("number", "Number (number)"),
    F("owner", "Owner"),
    F("billableOwner", "Billable owner"),
    F("provider", "Provider"),
    F("microsoftTenantId", "Microsoft tenant ID"),
    F("microsoftTenant", "Microsoft tenant"),
    F("microsoftTenantInfo", "Microsoft tenant info"),
    F("tenantId", "Tenant ID"),
)
IMMUTABLE = SectionSpec("immutable", "Immutable (fixed at provisioning)", (), _IMMUTABLE_ORDER + tuple(
    F(key, key) for key in sorted(DOCUMENTED_IMMUTABLE - {f.key for f in _IMMUTABLE_ORDER})
))
# Marked "immutable" wherever they are shown.
IMMUTABLE_MARKED: frozenset[str] = frozenset({f.key for f in IMMUTABLE.fields} | {"phoneNumberId"})

SETTINGS_SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("notifications", "Notifications", ("settings", "notifications"), (
        F("enableSound", "Sound"),
        F("selectedSound", "Sound file"),
        F("microsoftTeams", "Microsoft Teams", sub=(
            F("enabled", "Teams enabled"), F("notificationName", "Teams notification"))),
        F("webex", "Webex", sub=(F("enabled", "Webex enabled"),)),
    )),
    SectionSpec("autoResponse", "Auto-response", ("settings", "autoResponse"), (
        F("enabled", "Enabled"),
        F("message", "Message"),
        F("newThreadsOnly", "New threads only"),
    )),
    SectionSpec("optIn", "Opt-in", ("settings", "optIn"), (
        F("enabled", "Enabled"),
        F("name", "Name"),
        F("text", "Keyword"),
        F("message", "Message"),
        F("allText", "All-lists keyword"),
        F("allMessage", "All-lists message"),
    )),
    SectionSpec("optOut", "Opt-out", ("settings", "optOut"), (
        F("enabled", "Enabled"),
        F("text", "Keyword"),
        F("textResponse", "Response"),
        F("allText", "All-lists keyword"),
        F("allTextResponse", "All-lists response"),
        F("periodicEnabled", "Periodic enabled"),
        F("periodicCron", "Periodic cron"),
    )),
    SectionSpec("autoForward", "Auto-forward", ("settings", "autoForward"), (
        F("enabled", "Enabled"),
        F("emailAddresses", "Email addresses"),
    )),
    SectionSpec("outOfOffice", "Out of office", ("settings", "outOfOffice"), (
        F("enabled", "Enabled"),
        F("message", "Message"),
        F("startDate", "Starts", "date"),
        F("endDate", "Ends", "date"),
    )),
    SectionSpec("signature", "Signature", ("settings", "signature"), (
        F("enabled", "Enabled"),
        F("message", "Message"),
    )),
    SectionSpec("aiSettings", "AI settings", ("settings", "aiSettings"), (
        F("isEnabled", "Enabled"),
        F("responseGenerationContext", "Response context"),
    )),
    # rateLimit and noOutboundTexts sit at the top of settings
    SectionSpec("rateLimiting", "Rate limiting", ("settings",), (
        F("rateLimit", "Rate limit"),
        F("noOutboundTexts", "No outbound texts"),
    )),
)

TOP_SECTIONS: tuple[SectionSpec, ...] = (IDENTITY, MESSAGING, DATES, IMMUTABLE)
KNOWN_TOP_LEVEL: frozenset[str] = frozenset({f.key for s in TOP_SECTIONS for f in s.fields} | {"settings"})
KNOWN_SETTINGS: frozenset[str] = frozenset(
    {s.path[1] for s in SETTINGS_SECTIONS if len(s.path) == 2}
    | {f.key for s in SETTINGS_SECTIONS if len(s.path) == 1 for f in s.fields}
)


# --- the view model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str  # in words
    wire: str  # the field's wire path, e.g. settings.autoResponse.newThreadsOnly
    value: Text
    immutable: bool = False


@dataclass
class Section:
    id: str
    title: str
    wire: str  # the section's wire path ("" for the top level)
    rows: list[Row] = field(default_factory=list)

    def text(self, wire_names: bool = False) -> str:
        """Plain text of the section (title and 'label: value' lines), e.g. for tests and logs."""
        lines = [self.title + (f"  {self.wire}" if self.wire else "")]
        for row in self.rows:
            mark = "  immutable" if row.immutable else ""
            lines.append(f"{row.wire if wire_names else row.label}: {row.value.plain}{mark}")
        return "\n".join(lines)


def describe(document: Mapping[str, Any], now: float | None = None,
             problems: Iterable[FieldProblem] = ()) -> list[Section]:
    """The document as headed sections, in display order; the last one ("other") holds every field
    the guide does not list, top level and inside settings, with its wire path as its label.

    `problems` (PhoneNumber.problems: fields not typed as the guide says) are marked on their rows."""
    sections = _describe(document, now)
    problems = list(problems)
    if problems:
        _flag(sections, problems)
    return sections


def _describe(document: Mapping[str, Any], now: float | None) -> list[Section]:
    unknown: list[Row] = []
    sections: list[Section] = []
    for spec in TOP_SECTIONS:
        section = _section(spec, document, now, unknown)
        if section is not None:
            sections.append(section)
    unknown[:0] = [_unknown_row(key, value) for key, value in document.items() if key not in KNOWN_TOP_LEVEL]

    settings = document.get("settings", _MISSING)
    if settings is None:
        sections.append(Section("settings", "Settings", "settings", [Row("Settings", "settings", _null())]))
    elif isinstance(settings, Mapping):
        for spec in SETTINGS_SECTIONS:
            section = _section(spec, document, now, unknown)
            if section is not None:
                sections.append(section)
        unknown.extend(_unknown_row(f"settings.{key}", value)
                       for key, value in settings.items() if key not in KNOWN_SETTINGS)
        missing = [spec for spec in SETTINGS_SECTIONS if not _has_section(spec, settings)]
        if missing:
            names = ", ".join(f"{spec.title} ({_section_keys(spec)})" for spec in missing)
            sections.append(Section("not-set", "Settings not set", "", [
                Row("Sections", "settings", Text(names, style="dim"))]))
    elif settings is not _MISSING:
        unknown.append(_unknown_row("settings", settings))

    if unknown:
        sections.append(Section("other", "Other fields (not in the guide)", "", unknown))
    return sections


_MISSING = object()
_FLAG_STYLE = "bold yellow"


def flag_text(message: str) -> Text:
    """A field the server sent in a form actui cannot read as the guide types it: '⚠ not a number: abc'."""
    return Text("⚠ " + terminal_safe(message), style=_FLAG_STYLE)


def _flag(sections: list[Section], problems: list[FieldProblem]) -> None:
    """Mark each problem on the row showing its field: a wrongly typed value is replaced by the flag
    (which quotes it); a bad item of a list, or a field inside an object shown on one row, adds a line."""
    unmatched: list[Row] = []
    for problem in problems:
        # the row of the field itself, else the row of the closest object or list holding it
        found = [(section, index, row) for section in sections for index, row in enumerate(section.rows)
                 if problem.field == row.wire or problem.field.startswith((row.wire + ".", row.wire + "["))]
        if not found:
            unmatched.append(Row(problem.field, problem.field, flag_text(problem.message)))
            continue
        section, index, row = max(found, key=lambda hit: len(hit[2].wire))
        if row.wire == problem.field:
            value = flag_text(problem.message)
        else:
            where = problem.field[len(row.wire):].lstrip(".")
            if where.startswith("[") and where.endswith("]") and where[1:-1].isdigit():
                where = f"item {int(where[1:-1]) + 1}"
            value = Text.assemble(row.value, "\n", flag_text(f"{where}: {problem.message}"))
        section.rows[index] = replace(row, value=value)
    if unmatched:
        other = next((s for s in sections if s.id == "other"), None)
        if other is None:
            other = Section("other", "Other fields (not in the guide)", "")
            sections.append(other)
        other.rows.extend(unmatched)


def _section_keys(spec: SectionSpec) -> str:
    return spec.path[1] if len(spec.path) == 2 else ", ".join(f.key for f in spec.fields)


def _has_section(spec: SectionSpec, settings: Mapping[str, Any]) -> bool:
    if len(spec.path) == 2:
        return spec.path[1] in settings
    return any(f.key in settings for f in spec.fields)


def _section(spec: SectionSpec, document: Mapping[str, Any], now: float | None,
             unknown: list[Row]) -> Section | None:
    obj: Any = document
    for part in spec.path:
        if not isinstance(obj, Mapping) or part not in obj:
            return None
        obj = obj[part]
    wire = ".".join(spec.path)
    prefix = wire + "." if wire else ""
    section = Section(spec.id, spec.title, wire if len(spec.path) == 2 else "")
    if not isinstance(obj, Mapping):  # e.g. "optIn": null
        section.rows.append(Row(spec.title, wire, _value(obj)))
        return section
    for f in spec.fields:
        if f.key not in obj:
            continue
        section.rows.extend(_rows(f, obj[f.key], prefix, now, unknown))
    if len(spec.path) == 2:  # a whole settings section: its unknown keys are "other fields"
        known = {f.key for f in spec.fields}
        unknown.extend(_unknown_row(prefix + key, value) for key, value in obj.items() if key not in known)
    if not section.rows and len(spec.path) < 2:
        return None
    if not section.rows:
        section.rows.append(Row("(empty)", wire, Text("{}", style="dim")))
    return section


def _rows(spec: FieldSpec, value: Any, prefix: str, now: float | None, unknown: list[Row]) -> list[Row]:
    wire = prefix + spec.key
    marked = not prefix and spec.key in IMMUTABLE_MARKED
    if spec.sub and isinstance(value, Mapping):
        known = {s.key for s in spec.sub}
        unknown.extend(_unknown_row(f"{wire}.{key}", v) for key, v in value.items() if key not in known)
        if spec.kind == "flags":
            parts: list[Text] = []
            for sub in spec.sub:
                if sub.key in value:
                    parts.append(Text.assemble(sub.label + " ", _value(value[sub.key], flag=True)))
            shown = Text("  ").join(parts) if parts else Text("{}", style="dim")
            return [Row(spec.label, wire, shown, marked)]
        rows = [Row(sub.label, f"{wire}.{sub.key}", _value(value[sub.key], sub.kind, now))
                for sub in spec.sub if sub.key in value]
        return rows or [Row(spec.label, wire, Text("{}", style="dim"))]
    return [Row(spec.label, wire, _value(value, spec.kind, now, multiline=_multiline(wire)), marked)]


def _unknown_row(path: str, value: Any) -> Row:
    path = terminal_safe(path)   # the server names unknown fields: the name is its text too
    if isinstance(value, str):
        shown = plain(value) if value else Text('""', style="dim")
    else:
        shown = plain(_compact(value))
    return Row(path, path, shown)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


def _null() -> Text:
    return Text(NULL, style="dim")


def _multiline(wire: str) -> bool:
    """Messages and signatures may hold newlines (and tabs); every other field is one line, so a newline
    in it is drawn (␊) rather than starting what would look like another row."""
    spec = field_spec(wire)
    return spec is not None and spec.kind == "multiline"


def _value(value: Any, kind: str = "value", now: float | None = None, *, flag: bool = False,
           multiline: bool = False) -> Text:
    if value is None:
        return _null()
    if isinstance(value, bool):
        if flag:
            return Text("✓", style="green") if value else Text("✗", style="red")
        return Text("✓ yes", style="green") if value else Text("✗ no", style="red")
    if kind == "date" and isinstance(value, str):
        return plain(timefmt.local(_parse_time(value), now))
    if isinstance(value, str):
        return plain(value, multiline=multiline) if value else Text("(empty)", style="dim")
    if isinstance(value, list):
        if not value:
            return Text("(none)", style="dim")
        if all(isinstance(item, str) for item in value):
            return Text("\n").join(plain(f"• {item}") for item in value)
        return plain(_compact(value))
    if isinstance(value, (int, float)):
        return Text(str(value))
    return plain(_compact(value))


def _parse_time(value: str) -> datetime | str:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def title_text(document: Mapping[str, Any] | None, number: str, *, read_only: bool = False) -> Text:
    """The one-line title: friendly number, E.164, status (as sent), class / type."""
    e164 = terminal_safe(document.get("phoneNumber") or number) if document else terminal_safe(number)
    text = Text.assemble((friendly(e164), "bold"), "  ", (e164, ""))
    if document is not None:
        status = document.get("status")
        if status is not None:
            style = "bold green" if str(status) == "Active" else "bold yellow"
            text.append("  ")
            text.append(terminal_safe(status), style=style)
        kinds = [str(document[k]) for k in ("provisionClass", "provisionType") if document.get(k) is not None]
        if kinds:
            text.append("  " + terminal_safe(" · ".join(kinds)))
    if read_only:
        text.append("  read-only", style="dim")
    return text


def _table(section: Section, wire_names: bool) -> Table:
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


def _height(section: Section) -> int:
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

    DEFAULT_CSS = """
    DetailScreen {
        layout: vertical;
    }
    DetailScreen #detail-title {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    DetailScreen #detail-body, DetailScreen #detail-raw {
        height: 1fr;
        padding: 0 1;
    }
    DetailScreen #detail-raw {
        display: none;
    }
    DetailScreen.-raw #detail-raw {
        display: block;
    }
    DetailScreen.-raw #detail-body {
        display: none;
    }
    DetailScreen #detail-message {
        display: none;
        height: auto;
        margin: 1 0;
        padding: 0 1;
        border-left: thick $error;
    }
    DetailScreen #detail-message.-shown {
        display: block;
    }
    DetailScreen .detail-section {
        height: auto;
        margin-bottom: 1;
    }
    DetailScreen .section-title {
        color: $text-accent;
        text-style: bold;
    }
    DetailScreen #detail-columns {
        layout: vertical;
    }
    DetailScreen.-wide #detail-columns {
        layout: horizontal;
    }
    DetailScreen #detail-columns > VerticalGroup {
        width: 1fr;
    }
    DetailScreen.-wide #detail-column-1 {
        margin-right: 2;
    }
    """

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
                 read_only: bool = False, name: str | None = None, id: str | None = None,
                 classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.number = number
        self.client = client
        self.clock: Callable[[], float] = clock or time.time
        self.read_only = read_only
        self.phone: PhoneNumber | None = None
        """The number as last loaded (None until the first successful load)."""
        self.document: dict[str, Any] | None = None
        """The document as the server sent it (PhoneNumber.to_wire(): unknown fields included)."""
        self.error: ActuiError | None = None
        """The last load's error, None after a successful load."""
        self.sections: list[Section] = []
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

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self.load_number()

    # --- loading ----------------------------------------------------------------------------------

    @work(exclusive=True, group="detail", exit_on_error=False)
    async def load_number(self) -> None:
        """Fetch the number; show it, or say what went wrong. Never raises."""
        body = self.query_one("#detail-body", VerticalScroll)
        body.loading = True
        try:
            phone = await self.client.get_number(self.number)
        except ActuiError as exc:
            await self._show_failure(exc)
        except Exception as exc:  # noqa: BLE001 - a bug or an odd answer must not take the app down
            self.log.error(f"loading {self.number} failed: {exc!r}")
            await self._show_failure(
                ActuiError(f"Unexpected error loading {self.number}: {type(exc).__name__}: {exc}"))
        else:
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
        self.query_one("#detail-title", Static).update(
            title_text(self.document, self.number, read_only=self.read_only))
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
            # the number is gone: do not keep showing what it was
            self.phone = self.document = None
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
            user = getattr(getattr(self.app, "connection", None), "user", None)
            text = Text.assemble((f"Could not load {self.number}.", "bold"), "\n", error_text(error, user),
                                 stale, "\n", "r to retry · escape to go back")
        message.update(text)
        message.add_class("-shown")

    async def _render_sections(self) -> None:
        body = self.query_one("#detail-body", VerticalScroll)
        scroll_y = body.scroll_y
        if self.document is not None:
            problems = self.phone.problems if self.phone is not None else ()
            self.sections = describe(self.document, self.clock(), problems)
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

    def _section_widget(self, section: Section) -> VerticalGroup:
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

    # --- for tests and the lead -------------------------------------------------------------------

    def section_ids(self) -> list[str]:
        return [section.id for section in self.sections]

    def plain_text(self) -> str:
        """Every section as plain text (what the body shows, without layout)."""
        return "\n\n".join(section.text(self.wire_names) for section in self.sections)
