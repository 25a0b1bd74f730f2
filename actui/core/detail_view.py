"""The detail's view model: one number's document as headed sections of labelled rows, without Textual.

`detail_sections(document, now, problems)` gives the sections in display order: identity, messaging,
dates, immutable fields, one section per settings section in the guide's order, and finally every field
the guide does not list ("Other fields"), so nothing the server sent is hidden. Labels and settings
section titles come from core.field_catalogue (shared with the editor's form).

Rules (be consistent when extending):
- a field the answer does not hold is not shown; a field holding null is shown as "—";
- a settings section the answer does not hold is listed once under "Not set";
- every value from the API is a `rich.text.Text` (never markup): data may hold "[bold]" or "[/]";
  and terminal-safe (core.safe_text): data may hold escape sequences. Field names too (unknown fields).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from ..api.errors import FieldProblem
from ..api.phone import friendly
from ..api.vocabulary import DOCUMENTED_IMMUTABLE
from . import timefmt
from .field_catalogue import label, label_in_parent, section_title
from .form_spec import field_spec
from .safe_text import terminal_safe

NULL = "—"


def _plain(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """`value` as Text that cannot drive the terminal (as tui.safe.plain; core cannot import tui)."""
    return Text(terminal_safe(value, multiline=multiline), style=style)


# --- what the guide documents, in the guide's order --------------------------------------------------


@dataclass(frozen=True)
class DetailField:
    """One documented field: its wire key and how to show it (its label is the catalogue's).

    kind: "value" (shown by type), "date" (local time + age), "flags" (a nested object of booleans
    shown on one line, e.g. capabilities). `sub` lists the documented keys of a nested object, each
    shown on its own row (e.g. notifications.microsoftTeams).
    """

    key: str
    kind: str = "value"
    sub: tuple[DetailField, ...] = ()


@dataclass(frozen=True)
class DetailSectionSpec:
    id: str
    title: str
    path: tuple[str, ...]  # where the section's object is in the document; () is the top level
    fields: tuple[DetailField, ...]


def _fields(*keys: str) -> tuple[DetailField, ...]:
    return tuple(DetailField(key) for key in keys)


F = DetailField

IDENTITY = DetailSectionSpec("identity", "Identity & assignment", (), _fields(
    "phoneNumberId", "friendlyName", "status", "userId", "email", "description", "externalId",
    "platformType", "billingPlanName"))

MESSAGING = DetailSectionSpec("messaging", "Messaging", (), (
    F("provisionClass"),
    F("provisionType"),
    F("capabilities", "flags", (F("sms"), F("mms"))),
    *_fields("isActivated", "isMMSEnabled", "campaignId", "brandId", "loaUrl"),
))

DATES = DetailSectionSpec("dates", "Dates", (), (F("createdAt", "date"), F("activatedAt", "date")))

# The guide's immutable fields (owner, billable owner, provider, the number, Microsoft tenant
# information) in reading order; any other name in api.vocabulary.DOCUMENTED_IMMUTABLE follows.
_IMMUTABLE_ORDER: tuple[DetailField, ...] = _fields(
    "phoneNumber", "number", "owner", "billableOwner", "provider", "microsoftTenantId", "microsoftTenant",
    "microsoftTenantInfo", "tenantId")
IMMUTABLE = DetailSectionSpec("immutable", "Immutable (fixed at provisioning)", (), _IMMUTABLE_ORDER + _fields(
    *sorted(DOCUMENTED_IMMUTABLE - {f.key for f in _IMMUTABLE_ORDER})))
# Marked "immutable" wherever they are shown.
IMMUTABLE_MARKED: frozenset[str] = frozenset({f.key for f in IMMUTABLE.fields} | {"phoneNumberId"})


def _settings(name: str, *fields: DetailField) -> DetailSectionSpec:
    return DetailSectionSpec(name, section_title(name), ("settings", name), fields)


SETTINGS_SECTIONS: tuple[DetailSectionSpec, ...] = (
    _settings("notifications", F("enableSound"), F("selectedSound"),
              F("microsoftTeams", sub=_fields("enabled", "notificationName")),
              F("webex", sub=_fields("enabled"))),
    _settings("autoResponse", *_fields("enabled", "message", "newThreadsOnly")),
    _settings("optIn", *_fields("enabled", "name", "text", "message", "allText", "allMessage")),
    _settings("optOut", *_fields("enabled", "text", "textResponse", "allText", "allTextResponse",
                                 "periodicEnabled", "periodicCron")),
    _settings("autoForward", *_fields("enabled", "emailAddresses")),
    _settings("outOfOffice", *_fields("enabled", "message"), F("startDate", "date"), F("endDate", "date")),
    _settings("signature", *_fields("enabled", "message")),
    _settings("aiSettings", *_fields("isEnabled", "responseGenerationContext")),
    # rateLimit and noOutboundTexts sit at the top of settings
    DetailSectionSpec("limits", section_title("settings"), ("settings",),
                      _fields("rateLimit", "noOutboundTexts")),
)

TOP_SECTIONS: tuple[DetailSectionSpec, ...] = (IDENTITY, MESSAGING, DATES, IMMUTABLE)
KNOWN_TOP_LEVEL: frozenset[str] = frozenset({f.key for s in TOP_SECTIONS for f in s.fields} | {"settings"})
KNOWN_SETTINGS: frozenset[str] = frozenset(
    {s.path[1] for s in SETTINGS_SECTIONS if len(s.path) == 2}
    | {f.key for s in SETTINGS_SECTIONS if len(s.path) == 1 for f in s.fields}
)


# --- the view model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DetailRow:
    label: str  # in words
    wire: str  # the field's wire path, e.g. settings.autoResponse.newThreadsOnly
    value: Text
    immutable: bool = False


@dataclass
class DetailSection:
    id: str
    title: str
    wire: str  # the section's wire path ("" for the top level)
    rows: list[DetailRow] = field(default_factory=list)

    def text(self, wire_names: bool = False) -> str:
        """Plain text of the section (title and 'label: value' lines), e.g. for tests and logs."""
        lines = [self.title + (f"  {self.wire}" if self.wire else "")]
        for row in self.rows:
            mark = "  immutable" if row.immutable else ""
            lines.append(f"{row.wire if wire_names else row.label}: {row.value.plain}{mark}")
        return "\n".join(lines)


def detail_sections(document: Mapping[str, Any], now: float | None = None,
                    problems: Iterable[FieldProblem] = ()) -> list[DetailSection]:
    """The document as headed sections, in display order; the last one ("other") holds every field
    the guide does not list, top level and inside settings, with its wire path as its label.

    `problems` (PhoneNumber.problems: fields not typed as the guide says) are marked on their rows."""
    sections = _describe(document, now)
    problems = list(problems)
    if problems:
        _flag(sections, problems)
    return sections


def _describe(document: Mapping[str, Any], now: float | None) -> list[DetailSection]:
    unknown: list[DetailRow] = []
    sections: list[DetailSection] = []
    for spec in TOP_SECTIONS:
        section = _section(spec, document, now, unknown)
        if section is not None:
            sections.append(section)
    unknown[:0] = [_unknown_row(key, value) for key, value in document.items() if key not in KNOWN_TOP_LEVEL]

    settings = document.get("settings", _MISSING)
    if settings is None:
        sections.append(DetailSection("settings", "Settings", "settings",
                                      [DetailRow("Settings", "settings", _null())]))
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
            sections.append(DetailSection("not-set", "Settings not set", "", [
                DetailRow("Sections", "settings", Text(names, style="dim"))]))
    elif settings is not _MISSING:
        unknown.append(_unknown_row("settings", settings))

    if unknown:
        sections.append(DetailSection("other", "Other fields (not in the guide)", "", unknown))
    return sections


_MISSING = object()
_FLAG_STYLE = "bold yellow"


def flag_text(message: str) -> Text:
    """A field the server sent in a form actui cannot read as the guide types it: '⚠ not a number: abc'."""
    return Text("⚠ " + terminal_safe(message), style=_FLAG_STYLE)


def _flag(sections: list[DetailSection], problems: list[FieldProblem]) -> None:
    """Mark each problem on the row showing its field: a wrongly typed value is replaced by the flag
    (which quotes it); a bad item of a list, or a field inside an object shown on one row, adds a line."""
    unmatched: list[DetailRow] = []
    for problem in problems:
        # the row of the field itself, else the row of the closest object or list holding it
        found = [(section, index, row) for section in sections for index, row in enumerate(section.rows)
                 if problem.field == row.wire or problem.field.startswith((row.wire + ".", row.wire + "["))]
        if not found:
            unmatched.append(DetailRow(problem.field, problem.field, flag_text(problem.message)))
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
            other = DetailSection("other", "Other fields (not in the guide)", "")
            sections.append(other)
        other.rows.extend(unmatched)


def _section_keys(spec: DetailSectionSpec) -> str:
    return spec.path[1] if len(spec.path) == 2 else ", ".join(f.key for f in spec.fields)


def _has_section(spec: DetailSectionSpec, settings: Mapping[str, Any]) -> bool:
    if len(spec.path) == 2:
        return spec.path[1] in settings
    return any(f.key in settings for f in spec.fields)


def _section(spec: DetailSectionSpec, document: Mapping[str, Any], now: float | None,
             unknown: list[DetailRow]) -> DetailSection | None:
    obj: Any = document
    for part in spec.path:
        if not isinstance(obj, Mapping) or part not in obj:
            return None
        obj = obj[part]
    wire = ".".join(spec.path)
    prefix = wire + "." if wire else ""
    section = DetailSection(spec.id, spec.title, wire if len(spec.path) == 2 else "")
    if not isinstance(obj, Mapping):  # e.g. "optIn": null
        section.rows.append(DetailRow(spec.title, wire, _value(obj)))
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
        section.rows.append(DetailRow("(empty)", wire, Text("{}", style="dim")))
    return section


def _rows(spec: DetailField, value: Any, prefix: str, now: float | None,
          unknown: list[DetailRow]) -> list[DetailRow]:
    wire = prefix + spec.key
    marked = not prefix and spec.key in IMMUTABLE_MARKED
    if spec.sub and isinstance(value, Mapping):
        known = {s.key for s in spec.sub}
        unknown.extend(_unknown_row(f"{wire}.{key}", v) for key, v in value.items() if key not in known)
        if spec.kind == "flags":
            parts: list[Text] = []
            for sub in spec.sub:
                if sub.key in value:
                    parts.append(Text.assemble(label(f"{wire}.{sub.key}") + " ",
                                               _value(value[sub.key], flag=True)))
            shown = Text("  ").join(parts) if parts else Text("{}", style="dim")
            return [DetailRow(label(wire), wire, shown, marked)]
        rows = [DetailRow(label_in_parent(f"{wire}.{sub.key}"), f"{wire}.{sub.key}",
                          _value(value[sub.key], sub.kind, now))
                for sub in spec.sub if sub.key in value]
        return rows or [DetailRow(label(wire), wire, Text("{}", style="dim"))]
    return [DetailRow(label(wire), wire, _value(value, spec.kind, now, multiline=_multiline(wire)), marked)]


def _unknown_row(path: str, value: Any) -> DetailRow:
    path = terminal_safe(path)   # the server names unknown fields: the name is its text too
    if isinstance(value, str):
        shown = _plain(value) if value else Text('""', style="dim")
    else:
        shown = _plain(_compact(value))
    return DetailRow(path, path, shown)


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
        return _plain(timefmt.local(_parse_time(value), now))
    if isinstance(value, str):
        return _plain(value, multiline=multiline) if value else Text("(empty)", style="dim")
    if isinstance(value, list):
        if not value:
            return Text("(none)", style="dim")
        if all(isinstance(item, str) for item in value):
            return Text("\n").join(_plain(f"• {item}") for item in value)
        return _plain(_compact(value))
    if isinstance(value, (int, float)):
        return Text(str(value))
    return _plain(_compact(value))


def _parse_time(value: str) -> datetime | str:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


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

