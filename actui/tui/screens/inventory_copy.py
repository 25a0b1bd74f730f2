"""The inventory screen's use of the local copy (tui/copy_sync.py): the filter's path terms read it, a term
that needs details the copy lacks reads them in the background (with progress on the status line), and
when the API is unreachable the list shows the copy, its age marked."""

from __future__ import annotations

import asyncio
import time

from textual import work

from ...api.errors import AuthenticationError, NetworkError
from ..copy_sync import progress_text
from ..widgets.number_table import NumberTable
from ..widgets.status_line import StatusLine

PROGRESS_EVERY = 0.1   # seconds between two status line updates of a background read


class CopyActions:
    """Mixed into InventoryScreen."""

    _copy_paths: tuple[str, ...] = ()     # the path terms the last background read was checked for
    _building: frozenset[str] = frozenset()   # paths whose columns are being read from the copy
    _reading = False                      # a background read of details is under way (or starting)
    showing_copy = False                  # the list is the local copy's (the API is unreachable)

    @property
    def keeper(self):
        return self.app.copy_keeper

    # --- the filter's path terms ------------------------------------------------------------------

    def copy_for_filter(self, query: str) -> bool:
        """Before the view is filtered: a query with path terms reads the copy's values, and the details
        it lacks are read in the background (the whole list first, as L reads it, if not loaded).
        False while the columns of its paths are read from the copy (about a second for 100,000
        documents: off the UI thread), after which the view is filtered."""
        inventory = self.inventory
        if not query:
            return True
        from ...core.filtering import FilterError, compile_filter  # the first filter imports it, not start-up

        if inventory.path_values is None:
            try:
                plain = not compile_filter(query).paths
            except FilterError:
                plain = False   # maybe a path the models do not know, which the copy's values may hold
            if plain:
                return True
            inventory.path_values = self.keeper.values()
            if inventory.path_values is None:
                return True   # no copy: path terms read nothing (every path ABSENT)
        values = inventory.path_values
        try:
            paths = compile_filter(query, values).paths
        except FilterError:
            return True
        if paths and paths != self._copy_paths:
            self._copy_paths = paths
            self.fill_copy_for_filter()
        missing = frozenset(paths) - set(getattr(values, "paths", paths))
        if not missing:
            return True
        if not missing <= self._building:
            self._building |= missing
            self.build_columns(values, tuple(missing))
            if self.keeper.progress is None:
                self.query_one(StatusLine).copy_progress = f"reading {', '.join(sorted(missing))} from the copy…"
                self.show_status()
        return False

    @work(group="copy-columns", thread=True, exit_on_error=False)
    def build_columns(self, values, paths: tuple[str, ...]) -> None:
        from ...core.store import StoreError

        try:
            values.prepare(paths)
        except StoreError:
            pass   # read again (and said, if it fails again) when the view asks for them
        self.app.call_from_thread(self.columns_built, values, paths)

    def columns_built(self, values, paths: tuple[str, ...]) -> None:
        self._building -= frozenset(paths)
        if self._building:
            return
        if self.keeper.progress is None:
            self.query_one(StatusLine).copy_progress = None
        if values is self.inventory.path_values and self.query_text:
            self.show_rows(to_top=True)
        else:
            self.show_status()

    def fill_copy_for_filter(self) -> None:
        """The whole list into the copy (L) unless loaded, then the details missing or older than max_age."""
        app, keeper = self.app, self.keeper
        if not app.session.connected or app.offline:
            self._copy_paths = ()   # asked again at the next keystroke
            return
        if not keeper.writable:
            return
        if not self.inventory.all_loaded:
            if not self.loading_all:
                self.notify("Settings terms cover the whole inventory: loading every number (as L does)",
                            timeout=4)
                self.load_all()
            return   # load_all comes back here when done
        if not self._reading and not keeper.read_lately(app.connection.max_age):
            self._reading = True
            self.read_details()

    @work(exclusive=True, group="copy-read", exit_on_error=False)
    async def read_details(self) -> None:
        """The details the copy lacks (or holds older than max_age), read as `actui sync --details` reads
        them; the view is filtered again when they are in."""
        try:
            # a scan of the whole copy (a second at 100,000): off the UI thread
            if await asyncio.to_thread(self.keeper.stale_count, self.app.connection.max_age):
                await self._read_details()
            else:
                self.keeper.read_ended(self.keeper.last_read)   # all fresh: not counted again for max_age
        finally:
            self._reading = False

    async def _read_details(self) -> None:
        from ...core.sync import sync

        app, keeper = self.app, self.keeper
        status_line = self.query_one(StatusLine)
        shown = [0.0]

        def progress(now) -> None:
            keeper.progress = now
            status_line.copy_progress = progress_text(now)
            if time.monotonic() - shown[0] >= PROGRESS_EVERY or now.phase == "done":
                shown[0] = time.monotonic()
                self.show_status()

        result = None
        connection = app.connection
        try:
            result = await sync(app.client, keeper.copy, details=True, max_age=connection.max_age,
                                concurrency=connection.bulk_concurrency, on_progress=progress,
                                page_size=self.inventory.page_size, clock=app.clock, read_list=False)
        except NetworkError as error:
            app.set_offline(True)
            self.notify(f"Reading the details stopped: {error}. The filter reads what the copy holds.",
                        severity="warning", timeout=8)
        except AuthenticationError as error:
            await app.report_error(error, self.read_details)
        except Exception as error:   # a store that failed, a bug: said, never a crash
            await app.report_error(error)
        finally:
            keeper.read_ended(result)
            status_line.copy_progress = None
        self.copy_changed()
        if result is not None and result.details_failed:
            self.notify(f"{result.details_failed:,} details could not be read (the server's faults): the filter "
                        "reads them as absent until they are read again", severity="warning", timeout=8)

    def copy_changed(self) -> None:
        """The copy changed (a load-all, a background read): the values, the view and its status again."""
        if self.inventory.path_values is not None:
            self.inventory.path_values = self.keeper.values()
        self.show_rows()
        self.copy_status_later()

    @work(exclusive=True, group="copy-status", thread=True, exit_on_error=False)
    def copy_status_later(self) -> None:
        """The status line's copy counts: a scan of the whole copy (a second at 100,000), so off the UI
        thread, and at start-up only once the first page is on screen."""
        status = self.keeper.read_status()
        self.app.call_from_thread(self._show_copy_status, status)

    def _show_copy_status(self, status) -> None:
        self.query_one(StatusLine).copy_status = status if status is not None and status.numbers else None
        self.show_status()

    # --- when the API is unreachable -----------------------------------------------------------------

    def show_copy(self) -> None:
        """The list as the copy holds it, its age marked, unless the list on screen is already everything
        (read in this session) or the copy holds nothing. Its rows are read off the UI thread."""
        if not self.showing_copy and not self.inventory.all_loaded:
            self.read_copy_rows()

    @work(exclusive=True, group="copy-rows", thread=True, exit_on_error=False)
    def read_copy_rows(self) -> None:
        rows, listed_at = self.keeper.list_rows()
        self.app.call_from_thread(self._show_copy_rows, rows, listed_at)

    def _show_copy_rows(self, rows, listed_at: float | None) -> None:
        if not rows or not self.app.offline or self.showing_copy or self.inventory.all_loaded:
            return   # nothing held, or the API answered (or everything was loaded) meanwhile
        self.inventory.replace_all(rows)
        self.showing_copy = True
        status = self.query_one(StatusLine)
        status.showing_copy, status.copy_list_at, status.cached = True, listed_at, False
        status.copy_status = self.keeper.status
        if self.inventory.path_values is not None:
            self.inventory.path_values = self.keeper.values()
        self.query_one(NumberTable).stale = True
        self.show_rows()

    def leave_copy(self) -> None:
        """The API answered again: the copy's list goes, the server's pages come back."""
        if self.showing_copy:
            self.showing_copy = False
            self.inventory.clear()
            self.query_one(StatusLine).showing_copy = False
