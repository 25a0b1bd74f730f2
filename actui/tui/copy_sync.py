"""The TUI's side of the local copy (core/local_copy.py): opened on first use, never before the first page
(start-up must not pay for it); its status for the status line; the values the filter's path terms read;
the list rows it holds for when the API is unreachable; and the background read of the details a path
term needs (core/sync, run by the inventory screen's worker, reported here as progress).

A copy that cannot be opened or read is a missed answer, never an error: everything here then says None.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core.filtering import PathValues
    from ..core.inventory import NumberRow
    from ..core.local_copy import CopyStatus, LocalCopy
    from ..core.sync import SyncProgress, SyncResult


class CopyKeeper:
    def __init__(self, store: Any, account_key: str, clock: Callable[[], float] = time.time):
        """`store`: the local store (the copy lives in the cache file beside it); `clock`: the app's."""
        self.store = store
        self.account_key = account_key
        self.clock = clock
        self._copy: LocalCopy | None = None
        self._unusable = False
        self.status: CopyStatus | None = None
        """The copy's counts as last read (None until read_status)."""
        self.progress: SyncProgress | None = None
        """The background read under way (None when none is)."""
        self.last_read: SyncResult | None = None
        self._read_ended: float | None = None   # time.monotonic() when the last background read ended

    @property
    def copy(self) -> LocalCopy | None:
        if self._copy is None and not self._unusable:
            from ..core.local_copy import open_local_copy
            from ..core.store import StoreError

            try:
                self._copy = open_local_copy(self.store, self.account_key)
            except StoreError:
                self._unusable = True
        return self._copy

    @property
    def writable(self) -> bool:
        copy = self.copy
        return copy is not None and not copy.store.read_only

    def read_status(self) -> CopyStatus | None:
        """The copy's counts now (a count over the copy: after it changed, not at every keystroke)."""
        from ..core.store import StoreError

        copy = self.copy
        if copy is not None:
            try:
                self.status = copy.status()
            except StoreError:
                self.status = None
        return self.status

    def values(self) -> PathValues | None:
        copy = self.copy
        return None if copy is None else copy.values()

    def stale_count(self, max_age: float) -> int:
        """How many numbers the copy holds without a detail younger than `max_age` seconds."""
        from ..core.store import StoreError

        copy = self.copy
        if copy is None:
            return 0
        try:
            return len(copy.stale(max_age, self.clock()))
        except StoreError:
            return 0

    def read_lately(self, max_age: float) -> bool:
        """A background read ended less than `max_age` seconds ago: what it could not read (a server
        fault) is not asked for again at every keystroke."""
        return self._read_ended is not None and time.monotonic() - self._read_ended < max_age

    def list_read(self) -> None:
        """A pass over the list put numbers in the copy that may lack details: they are asked for again."""
        self._read_ended = None

    def read_ended(self, result: SyncResult | None) -> None:
        self.progress = None
        self.last_read = result
        self._read_ended = time.monotonic()

    def list_rows(self) -> tuple[list[NumberRow], float | None]:
        """Every number the copy holds as the list showed it, in list order, and when the list was last read
        whole (None: never): what the list shows when the API is not there."""
        from ..core.inventory import rows_from_wire
        from ..core.store import StoreError

        copy = self.copy
        if copy is None:
            return [], None
        try:
            items = copy.list_items()
        except StoreError:
            return [], None
        status = self.read_status()
        return rows_from_wire(items), status.list_synced_at if status is not None else None

    def detail(self, number: str) -> tuple[dict[str, Any], float] | None:
        """The number as the copy holds it: its detail, else its list item (LocalCopy.known)."""
        from ..core.store import StoreError

        copy = self.copy
        try:
            return None if copy is None else copy.known(number)
        except StoreError:
            return None

    def forget(self, number: str) -> None:
        """The server no longer knows the number (a 404 on reading it)."""
        from ..core.store import StoreError

        if self.writable:
            try:
                self.copy.forget(number)  # type: ignore[union-attr]
            except StoreError:
                pass

    def put_detail(self, number: str, document: dict[str, Any], read_at: float) -> None:
        """A detail the TUI just read: the copy keeps it (a copy that cannot be written is no error)."""
        from ..core.store import StoreError

        if self.writable:
            try:
                self.copy.put_detail(number, document, read_at)  # type: ignore[union-attr]
            except StoreError:
                pass


def progress_text(progress: SyncProgress) -> str:
    """What the status line says of a background read: 'reading the list 3,400/100,000',
    'reading 340 details… 120'."""
    if progress.phase == "list":
        total = f"/{progress.list_total:,}" if progress.list_total else ""
        return f"reading the list {progress.listed:,}{total}"
    done = progress.details_read + progress.details_failed
    return f"reading {progress.details_to_read:,} details… {done:,}"
