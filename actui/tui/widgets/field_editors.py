"""The settings form's editors by kind of field (form_spec.KINDS): `editor_for(spec, initial, clock)`.

The row every editor shares is `field_editor.FieldEditor`; the kinds live in `choice_editors` (bool,
enum), `text_editors` (text, int, datetime, cron, multiline) and `address_editor` (email_list).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...core.form_spec import FormField
from .address_editor import AddressListEditor
from .choice_editors import BoolEditor, EnumEditor
from .field_editor import FieldEditor
from .field_values import MISSING
from .text_editors import CronEditor, DateTimeEditor, IntEditor, MessageEditor, TextEditor

EDITORS: dict[str, type[FieldEditor]] = {
    "bool": BoolEditor,
    "enum": EnumEditor,
    "text": TextEditor,
    "int": IntEditor,
    "datetime": DateTimeEditor,
    "multiline": MessageEditor,
    "email_list": AddressListEditor,
    "cron": CronEditor,
}


def editor_for(spec: FormField, initial: Any = MISSING, clock: Callable[[], float] | None = None) -> FieldEditor:
    return EDITORS[spec.kind](spec, initial, clock=clock)
