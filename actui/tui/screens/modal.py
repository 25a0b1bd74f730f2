"""The base of the app's modal dialogs: a box in the middle of the screen over the dimmed one below.

Each dialog styles its own box (width, border colour: accent to ask, warning or error before a change
that sends writes); what they share lives here. All their CSS is in dialogs.tcss beside this module: read
once here for every subclass, unscoped (each rule there names its screen).
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from .tcss import css_beside

ResultType = TypeVar("ResultType")


class ModalDialog(ModalScreen[ResultType]):
    DEFAULT_CSS = css_beside(__file__, "dialogs.tcss")
    SCOPED_CSS = False  # else every rule would read "ModalDialog SummaryScreen ..." and match nothing
