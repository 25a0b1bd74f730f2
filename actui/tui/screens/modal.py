"""The base of the app's modal dialogs: a box in the middle of the screen over the dimmed one below.

Each dialog styles its own box (width, border colour: accent to ask, warning or error before a change
that sends writes); what they share lives here.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class ModalDialog(ModalScreen[ResultType]):
    DEFAULT_CSS = "ModalDialog { align: center middle; }"
