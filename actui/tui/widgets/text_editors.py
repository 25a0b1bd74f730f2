"""The settings form's rows for typed values: one-line text, whole numbers, moments (ISO 8601), cron
schedules, and multi-line messages (with their SMS segments)."""

from __future__ import annotations

import re
from collections.abc import Hashable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, TextArea

from ...api.errors import FieldProblem
from ...core import cron_words, sms, timefmt
from ...core.safe_text import terminal_safe
from .field_editor import FieldEditor
from .field_values import MISSING, parse_moment
from .inputs import ActuiInput
from .text_area import ActuiTextArea


class TextEditor(FieldEditor):
    """A one-line text field; an emptied field is sent as "" (or left as it was when it held nothing)."""

    input_type = "text"

    def to_display(self, value: Any) -> Hashable:
        return "" if value is MISSING or value is None else terminal_safe(value)

    def make_input(self) -> Input:
        unset = self.initial is MISSING or self.initial is None
        return ActuiInput(str(self.to_display(self.initial)), type=self.input_type, compact=True,  # type: ignore[arg-type]
                     select_on_focus=False, placeholder=self.unset_label if unset else "(empty)")

    def compose_control(self) -> ComposeResult:
        yield self.make_input()

    def display_value(self) -> Hashable:
        return self.query_one(Input).value

    def load(self, value: Any) -> None:
        box = self.query_one(Input)
        with self.prevent(Input.Changed):
            box.value = str(self.to_display(value))
            box.cursor_position = len(box.value)

    def wire_value(self) -> Any:
        return self.query_one(Input).value

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.edited()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()   # enter moves on, as in a paper form


class IntEditor(TextEditor):
    input_type = "integer"

    def wire_value(self) -> Any:
        text = self.query_one(Input).value.strip()
        if not text:
            return None
        return int(text) if re.fullmatch(r"[+-]?\d+", text) else text   # the check names what is wrong

    def own_problems(self) -> list[FieldProblem]:
        # a value the server already holds is flagged (odd), not refused: only what the user typed is judged
        text = self.query_one(Input).value.strip() if self._ready and self.changed else ""
        if text and not re.fullmatch(r"[+-]?\d+", text):
            return [FieldProblem(self.path, "must be a whole number")]
        return self.problems


class DateTimeEditor(TextEditor):
    """ISO 8601 as typed; the note says when that is in local time."""

    def wire_value(self) -> Any:
        text = self.query_one(Input).value.strip()
        return text or None

    def note(self) -> Text | None:
        text = self.query_one(Input).value.strip()
        if not text:
            return Text("ISO 8601, e.g. 2025-01-15T09:00:00Z")
        moment = parse_moment(text)
        if moment is None:
            return None
        now = self.clock() if self.clock else None
        return Text(f"local: {timefmt.local(moment, now)}")

    def make_input(self) -> Input:
        box = super().make_input()
        box.placeholder = "YYYY-MM-DDTHH:MM:SSZ"
        return box


class CronEditor(TextEditor):
    """optOut.periodicCron: five fields; the note says in words when it runs and when next."""

    def wire_value(self) -> Any:
        text = self.query_one(Input).value.strip()
        return text or None

    def make_input(self) -> Input:
        box = super().make_input()
        box.placeholder = "minute hour day month weekday, e.g. 0 0 1 * *"
        return box

    def note(self) -> Text | None:
        text = self.query_one(Input).value.strip()
        if not text:
            return None
        now = datetime.fromtimestamp(self.clock()) if self.clock else None
        try:
            return Text("runs " + cron_words.describe_schedule(text, now))
        except ValueError:
            return None


class MessageEditor(FieldEditor):
    """A multi-line text (newlines kept); for texts sent by SMS, the note counts the segments."""

    multiline = True

    def to_display(self, value: Any) -> Hashable:
        return "" if value is MISSING or value is None else terminal_safe(value, multiline=True)

    def compose_control(self) -> ComposeResult:
        unset = self.initial is MISSING or self.initial is None
        yield ActuiTextArea(str(self.to_display(self.initial)), soft_wrap=True, tab_behavior="focus",
                       compact=True, show_line_numbers=False, highlight_cursor_line=False,
                       placeholder=self.unset_label if unset else "(empty)")

    def display_value(self) -> Hashable:
        return self.query_one(TextArea).text

    def load(self, value: Any) -> None:
        area = self.query_one(TextArea)
        with self.prevent(TextArea.Changed):
            area.load_text(str(self.to_display(value)))

    def wire_value(self) -> Any:
        return self.query_one(TextArea).text

    def focus_target(self) -> Widget:
        return self.query_one(TextArea)

    def note(self) -> Text | None:
        text = self.query_one(TextArea).text
        if self.spec.sms_message:
            info = sms.segments(text)
            note = Text(sms.describe_segments(text))
            if info.non_gsm:
                note.append(f" · UCS-2 because of {' '.join(info.non_gsm)[:20]}")
            return note
        return Text(f"{len(text)} characters") if text else None

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.edited()
