"""Talking to the person at the terminal: confirmations, the progress line, ctrl+c during a run.

Prompts and progress go to stderr, so stdout stays clean for --json and pipes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from ..api.errors import ActuiError
from ..core.timefmt import age

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(ActuiError):
    """The command line asks for something that cannot be done as given (exit 2)."""


def can_ask() -> bool:
    """Whether a person can answer a prompt: stdin is a terminal (and this is not a CI job)."""
    return sys.stdin.isatty() and not os.environ.get("CI")


def ask_on_stderr(prompt: str) -> str:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    return sys.stdin.readline()


def confirm_count(count: int, what: str, *, yes: bool = False,
                  ask: Callable[[str], str] | None = None) -> bool:
    """Go ahead only if the person types the count (default no). Without --yes and without a terminal
    to ask on, refuse with a UsageError."""
    if yes:
        return True
    if ask is None:
        if not can_ask():
            raise UsageError(f"refusing to {what} without confirmation: run it in a terminal, or pass --yes")
        ask = ask_on_stderr
    answer = ask(f"Type {count} to {what} (anything else cancels): ")
    return answer.strip() == str(count)


class ProgressLine:
    """One line on stderr, rewritten in place; silent when stderr is not a terminal."""

    def __init__(self, out: TextIO | None = None, enabled: bool | None = None):
        self.out = out or sys.stderr
        self.enabled = self.out.isatty() if enabled is None else enabled
        self._shown = False

    def reading(self, done: int, total: int) -> None:
        self._show(f"reading current values: {done}/{total}")

    def applying(self, p) -> None:
        eta = f"  eta {age(p.eta)}" if p.eta is not None and p.remaining else ""
        self._show(f"{p.done}/{p.total} done  {p.changed} changed  {p.failed} failed  {p.remaining} left"
                   f"  {p.rate:.1f}/s{eta}")

    def _show(self, text: str) -> None:
        if self.enabled:
            self.out.write("\r\033[K" + text)
            self.out.flush()
            self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.out.write("\r\033[K")
            self.out.flush()
            self._shown = False


@contextmanager
def cancel_on_interrupt() -> Iterator[asyncio.Event]:
    """An event set by the first ctrl+c (the run stops starting items; those in flight finish and are
    recorded); a second ctrl+c interrupts at once."""
    cancel = asyncio.Event()
    loop = asyncio.get_running_loop()

    def first() -> None:
        cancel.set()
        sys.stderr.write("\nactui: stopping: requests in flight finish and are recorded (ctrl+c again to "
                         "abandon them; `actui resume` finishes the run)\n")
        loop.remove_signal_handler(signal.SIGINT)

    try:
        loop.add_signal_handler(signal.SIGINT, first)
        installed = True
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
        installed = False
    try:
        yield cancel
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)
