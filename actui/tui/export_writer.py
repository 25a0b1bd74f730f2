"""The export's writing, off the UI thread: core/export_file writes what core/export_rows reads, the dialog
(screens/export.py) hears of progress a few times a second and of the end once.

Cancelling is a flag the thread reads before each row: it then removes its temporary file and says so.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import Worker

if TYPE_CHECKING:
    from ..core.inventory import NumberRow
    from ..core.local_copy import LocalCopy
    from .screens.export import ExportScreen

PROGRESS_EVERY = 0.1   # seconds between two progress updates


@dataclass(frozen=True)
class ExportDone:
    path: Path     # the file written, absolute
    count: int     # numbers written
    fmt: str


@dataclass
class ExportJob:
    path: Path
    fmt: str
    fields: tuple[str, ...]
    rows: Sequence[NumberRow]
    copy: LocalCopy | None
    _cancelled: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def run(self, on_written=None) -> ExportDone:
        """Write the file (in the calling thread); ExportCancelled, OSError or StoreError on failure."""
        from ..core.export_file import write_export
        from ..core.export_rows import export_documents

        count = write_export(self.path, self.fmt, self.fields, export_documents(self.copy, self.rows),
                             on_written=on_written, cancelled=self._cancelled.is_set)
        return ExportDone(self.path.resolve(), count, self.fmt)


def write_in_thread(screen: ExportScreen, job: ExportJob) -> Worker:
    """Run `job` in a thread worker of `screen`; its `progress(count)` and `finished(done, problem)` are
    called on the UI thread."""
    return screen.run_worker(lambda: _write(screen, job), thread=True, group="export-write",
                             exit_on_error=False)


def _write(screen: ExportScreen, job: ExportJob) -> None:
    from ..core.export_file import ExportCancelled
    from ..core.store import StoreError

    app = screen.app
    shown = [0.0]

    def written(count: int) -> None:
        now = time.monotonic()
        if now - shown[0] >= PROGRESS_EVERY:
            shown[0] = now
            app.call_from_thread(screen.progress, count)

    try:
        done = job.run(written)
    except ExportCancelled:
        app.call_from_thread(screen.finished, None)
        return
    except (OSError, StoreError) as error:
        problem = f"Not written: {error.strerror or error}" if isinstance(error, OSError) else \
            f"Not written: the local copy could not be read ({error})"
        app.call_from_thread(screen.finished, None, problem)
        return
    app.call_from_thread(screen.finished, done)
