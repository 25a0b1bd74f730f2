"""The offer to resume a run cut short, and what undoing a journal entry would do.

`resumable_offer(journal, clock=...)` is a `ResumeScreen` for the newest run cut short (by a crash or a
kill) whose owner is gone, or None when there is none; the app pushes it after connecting. The screen
names the run (description, when, how many numbers are left) and dismisses with the run id (Resume) or
None (Later, escape; the focused default: resuming sends writes).

`undo_question(journal, entry, whole_run, run)` is what undoing a journal entry's number (or its whole run)
would do, or the reason it cannot be undone (an order, a run not finished, a change that failed); the app
then previews the undo against the server and asks for the count (screens/bulk_preview).

Journal entries are put into words by `tui/journal_text.py`, shared with the journal screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalScroll
from textual.widgets import Button, Static

from ...core.journal import ITEM_STATES, ORDER_KINDS, Entry, Journal, JournalItem, Run
from ...core.safe_text import terminal_safe
from ...core.timefmt import age
from ..journal_text import local_time
from .modal import ModalDialog

# --- the dialogs -------------------------------------------------------------------------------------


class _RunDialog(ModalDialog):
    """A box with a title, a scrollable body, a hint and two buttons; the first button is the default."""

    FORM = True  # the app's q is a letter here (and never quits from a question)
    BINDINGS = [Binding("escape", "no", "Cancel", id="run_dialog.cancel")]

    def box(self, title: str, body: Text, hint: str, buttons: tuple[str, str]) -> ComposeResult:
        with VerticalScroll(classes="run-dialog", can_focus=False):
            yield Static(Text(title), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(body)
            yield Static(Text(hint), classes="hint")
            with HorizontalGroup():
                yield Button(buttons[0], id="dialog-no", compact=True)
                yield Button(buttons[1], id="dialog-yes", variant="warning", compact=True)

    def on_mount(self) -> None:
        self.query_one("#dialog-no", Button).focus()   # the default answer is no

    def action_no(self) -> None:
        self.dismiss(self.no_value)

    @on(Button.Pressed, "#dialog-no")
    def _no_pressed(self) -> None:
        self.dismiss(self.no_value)

    no_value: Any = None


class ResumeScreen(_RunDialog):
    """Offer to finish a run cut short; dismisses with its id (Resume) or None (Later)."""

    def __init__(self, run: Run, *, others: int = 0, clock: Callable[[], float] = time.time):
        super().__init__()
        self.run = run
        self.others = others
        self.clock = clock

    def compose(self) -> ComposeResult:
        run = self.run
        pending, sending = run.counts.get("pending", 0), run.counts.get("sending", 0)
        left = pending + sending
        body = Text()
        body.append(f"Run {run.id} · {terminal_safe(run.kind)}", "bold")
        if run.description:
            body.append(" · ")
            body.append(terminal_safe(run.description), "italic")
        body.append(f"\nstarted {local_time(run.started_at)} ({age(self.clock() - run.started_at)} ago), "
                    "stopped before it finished")
        body.append(f"\n{left:,} of {run.total:,} number{'s' if run.total != 1 else ''} left to send", "bold")
        if sending:
            body.append(f" ({sending:,} {'was' if sending == 1 else 'were'} being sent: ")
            body.append("they become unknown, never sent twice)" if run.kind in ORDER_KINDS
                        else "read back first, sent again only if they did not land)")
        done = [f"{run.counts[s]:,} {s}" for s in ITEM_STATES if s not in ("pending", "sending") and run.counts.get(s)]
        if done:
            body.append("\ndone: " + ", ".join(done), "dim")
        if self.others:
            body.append(f"\n{self.others} more unfinished run{'s' if self.others != 1 else ''}: "
                        "`actui resume` lists them.", "dim")
        yield from self.box("Resume an unfinished run?", body,
                            f"Later keeps it: resume it with `actui resume {run.id}`. "
                            "Resume sends the numbers left.", ("Later", "Resume"))

    @on(Button.Pressed, "#dialog-yes")
    def _resume(self) -> None:
        self.dismiss(self.run.id)


def resumable_offer(journal: Journal, *, clock: Callable[[], float] = time.time) -> ResumeScreen | None:
    """The dialog for the newest resumable run, or None when nothing waits to be resumed."""
    runs = journal.resumable()
    return ResumeScreen(runs[0], others=len(runs) - 1, clock=clock) if runs else None


UNDO_REFUSED_READ_ONLY = "read-only: undo is refused (drop --read-only or use a profile that allows changes)."


@dataclass(frozen=True)
class UndoQuestion:
    run_id: int
    items: list[JournalItem]      # what the undo reverts (as BulkEngine.plan_undo picks them)
    numbers: list[str] | None     # for on_undo: one number, or None for the whole run


def undo_question(journal: Journal, entry: Entry, whole_run: bool, run: Run | None) -> UndoQuestion | str:
    """What undoing the entry's number (or its whole run) would ask, or why it cannot be undone."""
    run_id = entry.run_id
    if entry.kind in ORDER_KINDS:
        return (f"Run {run_id} is a {entry.kind} order: orders cannot be undone (provision or unprovision "
                "the numbers again).")
    if run is not None and run.state == "running":
        return f"Run {run_id} has not finished: let it finish (or resume it) before undoing it."
    if not whole_run and entry.result != "changed":
        return f"Only a change that was made can be undone; this one is {entry.result}."
    items = [i for i in journal.items(run_id, ("changed", "conflict")) if i.changes]
    if not whole_run:
        items = [i for i in items if i.number == entry.number]
    if not items:
        return f"Run {run_id} changed nothing that could be undone."
    return UndoQuestion(run_id, items, None if whole_run else [entry.number])
