"""Shared by the TUI benchmarks: run a program in a pseudo-terminal, record what it writes, stop it cleanly.

    with PtyChild([...], env=env, size=(80, 24)) as child:
        seconds = child.wait_for_text("(312) 555-5622", timeout=60)   # since spawn, escape codes stripped
        ...
    # leaving the block sends ctrl+q, then SIGTERM, then SIGKILL to the child's process group, and waits

A reader thread drains the terminal all the time (a child never blocks on a full pty) and stamps every
chunk with `time.perf_counter()` when it was read, so a match is dated by the chunk that completed it,
however late the waiting thread looks at it.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import socket
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/APC/PM/SOS strings, charset designations, 2-byte ESC codes
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[P_^X][^\x1b]*\x1b\\"
    r"|\x1b[()*+][0-9A-Za-z]"
    r"|\x1b[@-Z\\-_=>78]"
)


def strip_escapes(text: str) -> str:
    return ESCAPES.sub("", text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that would change how actui or Textual behave."""
    # PYTHONDONTWRITEBYTECODE (set on these machines) would make actui compile its modules from source
    # on every start (~27 ms) while the installed Textual loads bytecode: a user's machine writes it once.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ACTUI_", "TEXTUAL", "XDG_"))
           and k not in ("NO_COLOR", "COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG=env.get("LANG") or "C.UTF-8")
    env.update(extra)
    return env


class PtyChild:
    def __init__(self, argv: Sequence[str], *, env: dict[str, str], size: tuple[int, int] = (80, 24),
                 cwd: str | None = None, stderr_to_pty: bool = True):
        self.argv = list(argv)
        self.size = size
        master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        self.chunks: list[tuple[float, bytes]] = []
        self._cond = threading.Condition()
        self._eof = False
        self.started = time.perf_counter()
        try:
            self.proc = subprocess.Popen(self.argv, stdin=slave, stdout=slave, stderr=slave if stderr_to_pty else None,
                                         env=env, cwd=cwd, start_new_session=True, close_fds=True)
        except BaseException:
            os.close(master)
            os.close(slave)
            raise
        os.close(slave)
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    # --- reading ----------------------------------------------------------------------------------

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.5)
            except (OSError, ValueError):
                break
            if not ready:
                if self.proc.poll() is not None and not self._drain_possible():
                    break
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the child side is closed
                break
            if not data:
                break
            stamp = time.perf_counter()
            with self._cond:
                self.chunks.append((stamp, data))
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def _drain_possible(self) -> bool:
        try:
            ready, _, _ = select.select([self.master], [], [], 0)
        except (OSError, ValueError):
            return False
        return bool(ready)

    def output(self) -> bytes:
        with self._cond:
            return b"".join(c for _, c in self.chunks)

    def bytes_between(self, start: float, end: float) -> list[tuple[float, bytes]]:
        with self._cond:
            return [(t, c) for t, c in self.chunks if start <= t < end]

    def wait_for_text(self, needle: str, timeout: float = 60.0) -> float:
        """Seconds from spawn until `needle` appeared in the output (escape codes stripped)."""
        deadline = time.monotonic() + timeout
        seen = 0
        raw = b""
        while True:
            with self._cond:
                while seen >= len(self.chunks) and not self._eof:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._cond.wait(min(left, 0.5))
                new = self.chunks[seen:]
                eof = self._eof
            for stamp, data in new:
                seen += 1
                raw += data
                # the needle can only be completed by this chunk: look at a tail wide enough for it
                if needle in strip_escapes(raw.decode("utf-8", "replace")):
                    return stamp - self.started
            if eof or time.monotonic() >= deadline:
                tail = strip_escapes(raw.decode("utf-8", "replace"))[-2000:]
                why = f"exited with {self.proc.poll()}" if eof else f"no {needle!r} within {timeout:.0f} s"
                raise RuntimeError(f"{self.argv[0]}: {why}; last output: {tail!r}")

    def send(self, data: bytes) -> None:
        try:
            os.write(self.master, data)
        except OSError:
            pass

    # --- stopping ---------------------------------------------------------------------------------

    def stop(self, quit_keys: bytes = b"\x11", grace: float = 10.0) -> str:
        """ctrl+q first; then SIGTERM and SIGKILL to the child's process group. Returns how it ended."""
        how = "ctrl+q"
        if self.proc.poll() is None and quit_keys:
            self.send(quit_keys)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        for sig, name in ((signal.SIGTERM, "SIGTERM"), (signal.SIGKILL, "SIGKILL")):
            if self.proc.poll() is not None:
                break
            how = name
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        # anything the child left in its group (none expected: the embedded sandbox is a thread)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._reader.join(2)
        try:
            os.close(self.master)
        except OSError:
            pass
        self._reader.join(2)
        return how

    def __enter__(self) -> PtyChild:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of a process (and its waited-for children, which there are none of), in seconds."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    # after the ")": state is field 3, so utime (14) and stime (15) are at 11 and 12 here
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def describe_escapes(data: bytes, limit: int = 600) -> str:
    """Terminal output in words: cursor moves, styles and sync markers named, text kept."""
    text = data.decode("utf-8", "replace")
    out: list[str] = []
    pos = 0
    for m in ESCAPES.finditer(text):
        if m.start() > pos:
            out.append(repr(text[pos:m.start()])[1:-1])
        seq = m.group()
        out.append(_name(seq))
        pos = m.end()
    if pos < len(text):
        out.append(repr(text[pos:])[1:-1])
    words = " ".join(out)
    return words if len(words) <= limit else words[:limit] + f" … ({len(words) - limit} more chars)"


def _name(seq: str) -> str:
    if seq == "\x1b[?2026h":
        return "<sync>"
    if seq == "\x1b[?2026l":
        return "</sync>"
    if seq.startswith("\x1b[") and seq.endswith("H"):
        return f"<goto {seq[2:-1] or '1;1'}>"
    if seq.startswith("\x1b[") and seq.endswith("m"):
        return "<sgr>" if seq in ("\x1b[0m", "\x1b[m") else "<style>"
    if seq.startswith("\x1b[") and seq[-1] in "ABCDG":
        return f"<move {seq[2:-1]}{seq[-1]}>"
    if seq.startswith("\x1b[?25"):
        return "<cursor " + ("show>" if seq.endswith("h") else "hide>")
    if seq.startswith("\x1b]"):
        return "<osc>"
    return "<" + repr(seq)[1:-1] + ">"
