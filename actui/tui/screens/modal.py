"""The base of the app's modal dialogs: a box in the middle of the screen over the dimmed one below.

Each dialog styles its own box (width, border colour: accent to ask, warning or error before a change
that sends writes); what they share lives here. All their CSS is in dialogs.tcss beside this module, named
once here for every subclass (a subclass that set its own CSS_PATH would drop it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class ModalDialog(ModalScreen[ResultType]):
    # absolute: Textual resolves a relative CSS_PATH beside the subclass's module, not this one
    CSS_PATH = Path(__file__).with_name("dialogs.tcss")
