"""The number editor's form, generated from core.form_spec: one collapsible section per settings
section, one FieldEditor row per field, a read-only block of what cannot change, and every field the
guide does not list ("Other fields", kept as they are and never sent).

`SettingsForm(document, clock=...)` starts from a number's document (PhoneNumber.to_wire()).
`form.document()` is that document with the user's changes applied, so update_patch(original,
form.document()) is exactly what the user changed. Validation (core.checks) runs on every change and
each problem stands beside its field; `form.problems` holds them all.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from ...api.errors import FieldProblem
from ...api.number_models import UPDATABLE_FIELDS
from ...api.phone import friendly
from ...api.vocabulary import DOCUMENTED_IMMUTABLE
from ...core import timefmt
from ...core.checks import check_document, preexisting
from ...core.form_spec import sections, unknown_paths
from ...core.patch import get_path, set_path
from ...core.safe_text import terminal_safe
from .bulk_editors import bulk_editor_for
from .field_editor import FieldEditor
from .field_editors import editor_for
from .field_values import MISSING, parse_moment

# The read-only block: documented fields the PUT cannot change, in reading order.
READ_ONLY: tuple[tuple[str, str], ...] = (
    ("phoneNumber", "Number"),
    ("number", "Number"),
    ("status", "Status"),
    ("owner", "Owner"),
    ("billableOwner", "Billable owner"),
    ("provider", "Provider"),
    ("microsoftTenantId", "MS tenant ID"),
    ("microsoftTenant", "MS tenant"),
    ("microsoftTenantInfo", "MS tenant info"),
    ("tenantId", "Tenant ID"),
    ("email", "Email"),
    ("phoneNumberId", "Number ID"),
    ("createdAt", "Created"),
)
# shown on the status line, not on lines of their own
_WITH_STATUS = ("provisionClass", "provisionType", "capabilities")
_WITH_CREATED = ("activatedAt",)
_ITEM = re.compile(r"(.*)\[(\d+)\]$")


def section_id(title: str) -> str:
    return "section-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def field_of(path: str) -> str:
    """'settings.autoForward.emailAddresses[2]' -> 'settings.autoForward.emailAddresses'."""
    match = _ITEM.match(path)
    return match.group(1) if match else path


def _plain(value: Any) -> Text:
    if value is None:
        return Text("—", style="dim")
    if isinstance(value, str):
        return Text(terminal_safe(value)) if value else Text('""', style="dim")
    return Text(terminal_safe(json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)))


class ReadOnlyBlock(Static):
    """The number's read-only fields, two per line where the screen is wide; "immutable" marks the
    ones the guide says can never change."""

    DEFAULT_CSS = """
    ReadOnlyBlock { height: auto; width: 1fr; }
    """

    def __init__(self, document: Mapping[str, Any], clock: Callable[[], float] | None = None):
        super().__init__(id="read-only")
        self.document = document
        self.clock = clock

    def rows(self) -> list[tuple[str, Text]]:
        doc = self.document
        out: list[tuple[str, Text]] = []
        for key, label in READ_ONLY:
            if key not in doc or key in UPDATABLE_FIELDS:
                continue
            shown = self._value(key, doc[key])
            if key == "status":
                for extra in _WITH_STATUS:
                    if doc.get(extra) is not None:
                        shown.append(" · ").append_text(self._value(extra, doc[extra]))
            if key == "createdAt" and doc.get("activatedAt") is not None:
                shown.append(" · activated ").append_text(self._value("activatedAt", doc["activatedAt"]))
            if key in DOCUMENTED_IMMUTABLE:
                shown.append("  immutable", style="italic dim")
            out.append((label, shown))
        if "status" not in doc:
            extras = [self._value(k, doc[k]) for k in _WITH_STATUS if doc.get(k) is not None]
            if extras:
                out.insert(1, ("Class · type", Text(" · ").join(extras)))
        return out

    @staticmethod
    def _value(key: str, value: Any) -> Text:
        if key in ("phoneNumber", "number") and isinstance(value, str):
            return Text.assemble((terminal_safe(friendly(value)), "bold"), "  ", terminal_safe(value))
        if key in ("createdAt", "activatedAt") and isinstance(value, str):
            moment = parse_moment(value)
            return Text(timefmt.local(moment) if moment else terminal_safe(value))
        if key == "capabilities" and isinstance(value, Mapping):
            return Text(terminal_safe(" ".join(f"{k.upper()} {'✓' if v else '✗'}" for k, v in value.items())))
        return _plain(value)

    def render(self) -> Table:
        rows = self.rows()
        pairs = 2 if self.size.width >= 100 else 1
        table = Table.grid(padding=(0, 1), expand=True)
        for _ in range(pairs):
            table.add_column(width=15, style="bold", no_wrap=True)
            table.add_column(ratio=1, overflow="fold")
        for start in range(0, len(rows), pairs):
            cells: list[Any] = []
            for label, value in rows[start:start + pairs]:
                cells += [Text(label), value]
            table.add_row(*cells)
        return table


class FormSection(Collapsible, inherit_css=False):
    """A collapsible section of the form. Collapsible's own CSS is not inherited: its `:focus-within`
    rule restyles a whole section on every focus move (~35 ms per tab here); the focused row is marked
    by FieldEditor instead."""

    DEFAULT_CSS = """
    FormSection {
        width: 1fr;
        height: auto;
        background: $background;
        border-top: hkey $background;
        &.-collapsed > Contents { display: none; }
        & > Contents { width: 100%; height: auto; padding: 0 0 0 2; }
        & > CollapsibleTitle { width: 1fr; padding: 0 1; color: $text-accent; text-style: bold; }
    }
    """


class SettingsForm(VerticalScroll, can_focus=False):
    """Every updatable field of one number, generated from form_spec. Not a tab stop itself: tab goes
    from section title to field to field; page up/down scroll it from any field."""

    DEFAULT_CSS = """
    SettingsForm {
        height: 1fr;
        & .other-fields { height: auto; }
    }
    """

    BINDINGS = [
        # as in a paper form: up and down move between fields (a message area keeps them for its lines)
        Binding("down", "app.focus_next", "Next field", show=False, id="editor.next_field"),
        Binding("up", "app.focus_previous", "Previous field", show=False, id="editor.previous_field"),
    ]

    class Changed(Message):
        """A field changed (once per keystroke or toggle)."""

        def __init__(self, form: SettingsForm) -> None:
            super().__init__()
            self.form = form

        @property
        def control(self) -> SettingsForm:
            return self.form

    def __init__(self, document: Mapping[str, Any], *, clock: Callable[[], float] | None = None,
                 bulk: bool = False, id: str | None = None, classes: str | None = None):
        """`bulk`: a form for many numbers at once, starting from nothing: every field "unchanged", no
        read-only block, and only the fields the user set are checked."""
        super().__init__(id=id, classes=classes)
        self.bulk = bulk
        self.original: dict[str, Any] = {} if bulk else copy.deepcopy(dict(document))
        self.clock = clock
        make = bulk_editor_for if bulk else editor_for
        self.sections: list[tuple[str, list[FieldEditor]]] = [
            (title, [make(spec, get_path(self.original, spec.path, MISSING), clock) for spec in specs])
            for title, specs in sections()
        ]
        self.editors: dict[str, FieldEditor] = {e.path: e for _, group in self.sections for e in group}
        self.unknown: list[str] = unknown_paths(self.original)
        self.problems: list[FieldProblem] = []
        self.edited: dict[str, Any] = copy.deepcopy(self.original)
        """The edited document as of the last change (kept when the widgets are gone)."""
        self.section_of: dict[str, str] = {e.path: title for title, group in self.sections for e in group}
        if not bulk:
            self._flag_odd_values()

    def compose(self):
        if not self.bulk:
            yield FormSection(ReadOnlyBlock(self.original, self.clock), title="Read-only · fixed at provisioning",
                              collapsed=False, id="section-read-only")
        for title, group in self.sections:
            yield FormSection(*group, title=title, collapsed=False, id=section_id(title))
        if self.unknown:
            table = Table.grid(padding=(0, 1), expand=True)
            table.add_column(style="bold", overflow="fold", max_width=40)
            table.add_column(ratio=1, overflow="fold")
            for path in self.unknown:
                table.add_row(Text(terminal_safe(path)), _plain(get_path(self.original, path)))
            yield FormSection(Static(table, classes="other-fields"), title="Other fields (kept as they are)",
                              collapsed=False, id="section-other")

    def on_mount(self) -> None:
        self.validate()
        # the sections are mounted only after this handler: title them once they are
        self.call_after_refresh(self._retitle)

    def _flag_odd_values(self) -> None:
        """Flag each odd value the number already holds on its row: a wrongly typed one, or one the
        client's rules dislike. Only flagged: what the user does not change is never judged."""
        flags: dict[str, list[str]] = {}
        for problem in preexisting(self.original):
            path = field_of(problem.field)
            message = terminal_safe(problem.message)
            if path in self.editors:
                match = _ITEM.match(problem.field)
                flags.setdefault(path, []).append(
                    f"address {int(match.group(2)) + 1}: {message}" if match else message)
                continue
            # a whole section (or settings) that is not an object: flagged on its first field
            inside = next((p for p in self.editors if p.startswith(problem.field + ".")), None)
            if inside is not None:
                flags.setdefault(inside, []).append(f"{problem.field} {message}")
        for path, messages in flags.items():
            self.editors[path].odd = "; ".join(messages)

    # --- the edited document --------------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        """The original document with every changed field set: unknown fields kept, untouched ones as
        they were (a field the number did not have stays absent)."""
        doc = copy.deepcopy(self.original)
        for editor in self.editors.values():
            if editor.changed:
                set_path(doc, editor.path, editor.wire_value())
        return doc

    def changed_paths(self) -> list[str]:
        return [path for path, editor in self.editors.items() if editor.changed]

    async def load_document(self, document: Mapping[str, Any]) -> None:
        """Show another version of the fields (a restored draft); the original stays the baseline."""
        for path, editor in self.editors.items():
            await editor.set_value(get_path(document, path, MISSING))
        self.validate()

    # --- validation and messages ----------------------------------------------------------------------

    def validate(self) -> list[FieldProblem]:
        """Check the edited document; show each problem beside its field. Returns every problem."""
        self.edited = self.document()
        # only what the user changed is judged (odd values already on the server are flagged, see above)
        found = check_document(self.edited, None if self.bulk else self.original)
        if self.bulk:   # a rule about a field left unchanged speaks of values no one here can see
            found = [p for p in found if get_path(self.edited, field_of(p.field), MISSING) is not MISSING]
        by_field: dict[str, list[FieldProblem]] = {}
        for problem in found:
            by_field.setdefault(field_of(problem.field), []).append(problem)
        problems: list[FieldProblem] = []
        for path, editor in self.editors.items():
            editor.set_problems(by_field.pop(path, []))
            shown = editor.own_problems()
            problems += shown + [p for p in editor.problems if p not in shown]
        problems += [p for group in by_field.values() for p in group]   # not on the form
        self.problems = problems
        self._retitle()
        return problems

    def set_server_messages(self, messages: Mapping[str, str], who: str = "server") -> dict[str, str]:
        """The server's messages beside the fields they name; returns the ones naming no form field."""
        left: dict[str, str] = {}
        for path, message in messages.items():
            editor = self.editors.get(field_of(path))
            if editor is None:
                left[path] = message
                continue
            match = _ITEM.match(path)
            if match:
                message = f"address {int(match.group(2)) + 1}: {message}"
            editor.set_server_message(message, who)
        self._retitle()
        return left

    def clear_server_messages(self) -> None:
        for editor in self.editors.values():
            if editor.server_message:
                editor.set_server_message(None)

    def set_conflicts(self, conflicts: Mapping[str, str]) -> None:
        for path, message in conflicts.items():
            editor = self.editors.get(field_of(path))
            if editor is not None:
                editor.set_conflict(message)

    def invalid_paths(self) -> list[str]:
        """The fields with a problem (ours or the server's), in form order."""
        return [path for path, editor in self.editors.items()
                if editor.own_problems() or editor.problems or editor.server_message]

    def field_title(self, path: str) -> str:
        """'Opt-out · Keyword' for a field path (the path itself when not on the form)."""
        editor = self.editors.get(field_of(path))
        return f"{self.section_of[editor.path]} · {editor.spec.label}" if editor else path

    def _retitle(self) -> None:
        if not self.is_mounted:
            return
        for title, group in self.sections:
            changed = sum(editor.changed for editor in group)
            invalid = sum(bool(editor.own_problems() or editor.problems or editor.server_message)
                          for editor in group)
            marks = []
            if changed:
                marks.append(f"● {changed} changed")
            if invalid:
                marks.append(f"✗ {invalid} to fix")
            self.query_one(f"#{section_id(title)}", FormSection).title = (
                f"{title}   {'  '.join(marks)}" if marks else title)

    # --- focus ----------------------------------------------------------------------------------------

    def focus_field(self, path: str) -> None:
        editor = self.editors.get(field_of(path))
        if editor is None:
            return
        section = self.query_one(f"#{section_id(self.section_of[editor.path])}", FormSection)
        section.collapsed = False
        self.call_after_refresh(editor.focus_target().focus)

    def editor_of(self, widget: Widget | None) -> FieldEditor | None:
        node = widget
        while node is not None and node is not self:
            if isinstance(node, FieldEditor):
                return node
            node = node.parent  # type: ignore[assignment]
        return None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # the whole row (label, note, message) in view, not only the control
        editor = self.editor_of(event.widget)
        if editor is not None:
            self.call_after_refresh(self.scroll_to_widget, editor, animate=False)

    def set_all_collapsed(self, collapsed: bool) -> None:
        for section in self.query(FormSection):
            section.collapsed = collapsed

    @on(FieldEditor.Changed)
    def _field_changed(self, event: FieldEditor.Changed) -> None:
        event.stop()
        self.validate()
        self.post_message(self.Changed(self))
