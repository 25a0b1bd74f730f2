"""The settings form's fields for a bulk edit: every field starts "unchanged".

In a bulk edit no number's values are shown, so the form starts from an empty document: a field the
user leaves alone is not in the patch. A switch cannot say "unchanged", so booleans get a three-way
select (unchanged / on / off); every other kind keeps its editor, with "unchanged" where it would say
"not set".
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Select

from ...core.form_spec import FormField
from .choice_editors import EnumEditor
from .field_editor import FieldEditor
from .field_editors import EDITORS
from .field_values import MISSING

UNCHANGED = "unchanged"


class TriStateEditor(EnumEditor):
    """A boolean in a bulk edit: (unchanged), on or off."""

    unset_label = UNCHANGED

    def to_display(self, value: Any) -> Hashable:
        return None if value is MISSING or value is None else bool(value)

    def compose_control(self) -> ComposeResult:
        yield Select([(Text("on"), True), (Text("off"), False)], prompt=f"({UNCHANGED})", allow_blank=True,
                     value=Select.NULL, compact=True)

    def load(self, value: Any) -> None:
        select = self.query_one(Select)
        with self.prevent(Select.Changed):
            select.value = Select.NULL if value in (None, MISSING) else bool(value)


def bulk_editor_for(spec: FormField, initial: Any = MISSING, clock: Callable[[], float] | None = None) -> FieldEditor:
    if spec.kind == "bool":
        return TriStateEditor(spec, MISSING, clock=clock)
    editor = EDITORS[spec.kind](spec, MISSING, clock=clock)
    editor.unset_label = UNCHANGED
    editor.note_only_when_changed = True
    return editor
