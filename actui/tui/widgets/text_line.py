"""TextLine: one line of text (a form screen's title and help lines: the editor's, the bulk edit's)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TextLine(Widget):
    """One line of text that only repaints when it changes: a Static's update would re-layout the
    whole form (hundreds of widgets) on every keystroke or focus move."""

    DEFAULT_CSS = "TextLine { height: 1; padding: 0 1; background: $panel; }"
    text: reactive[Text] = reactive(Text)

    def render(self) -> Text:
        return self.text
