"""The provision form's numbers: pasted one per line, or a CSV file named by its path; checked live.

`NumberInput(country)` holds a TextArea (one number per line, E.164 or national for `country`, `#`
comments and blank lines skipped) and an Input for a CSV file's path (a header row names the columns,
see core.provision_input.HEADER_NAMES). Under them one status line says how many numbers are ready and
what is wrong, by line number, e.g. "3 numbers ready · line 4: '12' is not a phone number".

The form calls `set_defaults()` with its values so CSV rows are checked as they will be sent (a form
level A2P class with no campaign column is a problem on every row), and `collect()` at submit time.
Using both the list and a CSV file at once is refused: it is one or the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalGroup
from textual.content import Content
from textual.widgets import Input, Label, Static, TextArea

from ...api.errors import FieldProblem
from ...core.provision_input import parse_csv, parse_number_lines
from ...core.safe_text import terminal_safe
from .inputs import ActuiInput
from .text_area import ActuiTextArea

MAX_CSV_BYTES = 5 * 1024 * 1024
SHOWN_PROBLEMS = 4


@dataclass
class Collected:
    """What the numbers area holds now: entries (E.164 strings or CSV row dicts) and its problems."""

    entries: list[str | dict[str, Any]] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)
    source: str = ""        # "lines", "csv" or "" (nothing entered)

    @property
    def numbers(self) -> list[str]:
        return [e if isinstance(e, str) else e["number"] for e in self.entries]


class NumberInput(VerticalGroup):
    DEFAULT_CSS = """
    NumberInput { height: auto; }
    NumberInput > .ni-label { color: $text-muted; }
    NumberInput > TextArea { height: 7; }
    NumberInput .ni-csv { height: 1; margin-top: 1; }
    NumberInput .ni-csv > Label { width: 14; color: $text-muted; }
    NumberInput .ni-csv:focus-within > Label { color: $text-accent; text-style: bold; }
    NumberInput .ni-csv > Input { width: 1fr; }
    NumberInput #ni-status { height: auto; padding-left: 14; }
    """

    def __init__(self, country: str = "US", *, id: str | None = None):
        super().__init__(id=id)
        self.country = country
        self.defaults: dict[str, Any] = {}
        self.collected = Collected()
        self._csv_cache: tuple[tuple[str, float, int], str] | None = None

    def compose(self) -> ComposeResult:
        yield Label("Numbers, one per line (E.164 or national), or a CSV file below", classes="ni-label")
        yield ActuiTextArea(id="ni-lines", soft_wrap=False, show_line_numbers=True, highlight_cursor_line=False,
                       placeholder="+14155550123\n(415) 555-0124")
        with HorizontalGroup(classes="ni-csv"):
            yield Label("CSV file")
            yield ActuiInput(placeholder="path to a .csv with a header row (number, email, class, …)",
                             id="ni-csv", compact=True)
        yield Static("", id="ni-status")

    def on_mount(self) -> None:
        self.check()

    # --- for the form -------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def csv_path(self) -> str:
        return self.query_one("#ni-csv", Input).value.strip()

    def set_defaults(self, defaults: Mapping[str, Any]) -> None:
        """The form's values changed: CSV rows are checked against them again."""
        defaults = dict(defaults)
        if defaults != self.defaults:
            self.defaults = defaults
            if self.csv_path:
                self.check()

    def collect(self) -> Collected:
        return self.check()

    def check(self) -> Collected:
        """Parse what is entered, show the status line, and return it."""
        text, path = self.text, self.csv_path
        if text.strip() and path:
            result = Collected(problems=[FieldProblem("", "use either the list or a CSV file, not both: "
                                                          "clear one of them")], source="both")
        elif path:
            result = self._from_csv(path)
        elif text.strip():
            numbers, problems = parse_number_lines(text, self.country)
            result = Collected(list(numbers), problems, "lines")
        else:
            result = Collected()
        self.collected = result
        self.query_one("#ni-status", Static).update(status_content(result))
        return result

    # --- parsing ------------------------------------------------------------------------------------

    def _from_csv(self, raw: str) -> Collected:
        path = Path(raw).expanduser()
        try:
            stat = path.stat()
        except OSError:
            return Collected(problems=[FieldProblem("CSV", f"no file at {raw}")], source="csv")
        if not path.is_file():
            return Collected(problems=[FieldProblem("CSV", f"{raw} is not a file")], source="csv")
        if stat.st_size > MAX_CSV_BYTES:
            return Collected(problems=[FieldProblem("CSV", f"{raw} is over 5 MB")], source="csv")
        key = (str(path), stat.st_mtime, stat.st_size)
        if self._csv_cache and self._csv_cache[0] == key:
            text = self._csv_cache[1]
        else:
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                return Collected(problems=[FieldProblem("CSV", f"{raw} is not UTF-8 text (save it as "
                                                               "CSV UTF-8)")], source="csv")
            except OSError as exc:
                return Collected(problems=[FieldProblem("CSV", f"cannot read {raw}: {exc.strerror}")],
                                 source="csv")
            self._csv_cache = (key, text)
        entries, problems = parse_csv(text, self.country, self.defaults)
        if not entries and not problems:
            problems = [FieldProblem("CSV", f"{raw} holds no rows")]
        return Collected(list(entries), problems, "csv")

    @on(TextArea.Changed)
    @on(Input.Changed, "#ni-csv")
    def _changed(self, event) -> None:
        event.stop()
        self.check()


def status_content(result: Collected) -> Content:
    """'3 numbers ready · line 4: …' with at most a few problems shown, and how many more."""
    count = len(result.entries)
    if not result.entries and not result.problems:
        return Content.styled("No numbers yet: paste them above, or name a CSV file.", "dim")
    noun = "number" if count == 1 else "numbers"
    where = " from the CSV" if result.source == "csv" else ""
    parts: list[str | tuple[str, str]] = [(f"{count} {noun} ready{where}", "$text-success" if count else "dim")]
    for index, problem in enumerate(result.problems[:SHOWN_PROBLEMS]):
        parts.append(" · " if index == 0 else "\n")
        parts.append((terminal_safe(problem), "$text-error"))   # it quotes the pasted line or CSV cell
    more = len(result.problems) - SHOWN_PROBLEMS
    if more > 0:
        parts.append((f"\n… and {more} more problem{'s' if more > 1 else ''}", "$text-error"))
    return Content.assemble(*parts)
