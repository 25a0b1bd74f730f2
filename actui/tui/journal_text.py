"""How the journal is put into words, the same way on the journal screen and in the resume and undo
dialogs: values, times, changes, results and runs, always as Text (never markup) and terminal-safe, since
the journal replays values read from the server, which may hold escape sequences."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from ..api.phone import friendly
from ..core.journal import ITEM_STATES, ORDER_KINDS, Entry, Run
from ..core.safe_text import terminal_safe


def value_str(value: Any) -> str:
    """One line: strings as they are (empty ones as ""), null, true/false, JSON for the rest."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return terminal_safe(value.replace("\n", "⏎")) if value else '""'
    return terminal_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))


def local_time(at: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return datetime.fromtimestamp(at, UTC).astimezone().strftime(fmt)


RESULT_STYLES = {"changed": "green", "ordered": "green", "failed": "bold red", "conflict": "bold yellow",
                 "unknown": "bold yellow", "cancelled": "dim", "pending": "cyan", "sending": "cyan"}


# --- words -------------------------------------------------------------------------------------------


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def change_strs(entry: Entry) -> tuple[str, str] | None:
    """(old, new) as shown; orders show only what was done (old is None); None without a field."""
    if not entry.path:
        return None
    return ("" if entry.kind in ORDER_KINDS else value_str(entry.old)), value_str(entry.new)


def change_text(entry: Entry, width: int | None = None) -> Text:
    pair = change_strs(entry)
    if pair is None:
        return Text("—", "dim")
    old, new = pair
    if width is not None and len(old) + len(new) + 3 > width:   # cut both sides, not only the new value
        room = max(2, width - (3 if old else 0))
        keep_old = min(len(old), max(room // 2, room - len(new)))
        old, new = cut(old, keep_old), cut(new, room - keep_old)
    text = Text(no_wrap=True, overflow="ellipsis")
    if old:
        text.append(old, "dim")
        text.append(" → ", "dim")
    text.append(new)
    return text


def result_text(entry: Entry) -> Text:
    text = Text(terminal_safe(entry.result), RESULT_STYLES.get(entry.result, ""), no_wrap=True,
                overflow="ellipsis")
    if entry.error:
        text.append(f": {terminal_safe(entry.error)}")
    return text


def entry_text(entry: Entry) -> Text:
    """The entry whole, for the panel: number · field: old → new · result at time, then the message."""
    text = Text()
    text.append(terminal_safe(friendly(entry.number)), "bold")
    if entry.path:
        text.append(f" · {terminal_safe(entry.path)}: ")
        text.append_text(change_text(entry))
    text.append(" · ")
    text.append(terminal_safe(entry.result), RESULT_STYLES.get(entry.result, ""))
    text.append(f" at {local_time(entry.at, '%H:%M:%S')}", "dim")
    if entry.error:
        text.append("\n")
        text.append(terminal_safe(entry.error, multiline=True), "red")
    return text


def run_text(run: Run | None, entry: Entry, now: float) -> Text:
    """The panel: the entry's run (kind, state, description, times, counts), then the entry in full."""
    text = Text(no_wrap=False)
    text.append(f"Run {entry.run_id}", "bold")
    if run is None:
        text.append(" · no longer in the journal", "dim")
    else:
        kind = f"undo of run {run.undoes}" if run.kind == "undo" and run.undoes else run.kind
        text.append(f" · {terminal_safe(kind)} · ")
        text.append(terminal_safe(run.state), "bold yellow" if run.state == "running" else "")
        if run.description and run.description != f"undo run {run.undoes}":
            text.append(" · ")
            text.append(terminal_safe(run.description), "italic")
        text.append("\n")
        text.append(local_time(run.started_at, "%Y-%m-%d %H:%M:%S"))
        if run.finished_at is not None:
            text.append(f" → {local_time(run.finished_at, '%H:%M:%S')}")
        counts = ", ".join(f"{run.counts[s]:,} {s}" for s in ITEM_STATES if run.counts.get(s))
        text.append(f" · {run.total:,} number{'s' if run.total != 1 else ''}: {counts or 'none'}", "dim")
    text.append("\n")
    text.append_text(entry_text(entry))
    return text
