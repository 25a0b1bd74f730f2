"""The home screen: the inventory list with filter, sort, paging, load-all and the order tracker."""

from __future__ import annotations

import gc

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar

from ...api.body_errors import UnreadableAnswer
from ...api.errors import ActuiError, AuthenticationError, NetworkError, PermissionDenied, RateLimited, ServerError
from ...api.list_items import ListingNotes
from ...core.inventory import COLUMNS
from ...core.loading import fetch_all, fetch_page
from ...core.marks import Marks
from ..messages import FirstPageSettled
from ..safe import error_text
from ..widgets.banner import Banner
from ..widgets.filter_box import FilterBox
from ..widgets.number_table import NumberTable
from ..widgets.order_tracker import OrderTracker
from ..widgets.status_line import StatusLine
from .inventory_columns import ColumnActions
from .inventory_copy import CopyActions
from .inventory_export import ExportActions
from .inventory_filter import FilterActions
from .inventory_marks import MarkActions

RETRY_DELAYS = (2.0, 5.0, 10.0, 30.0, 60.0)
# Faults that pass: shown in the banner and retried with back-off. A body that is not the list (a proxy's
# page, a server restarting) is one of them.
RETRIED = (NetworkError, ServerError, RateLimited, UnreadableAnswer)


class InventoryScreen(FilterActions, CopyActions, MarkActions, ExportActions, ColumnActions, Screen):
    BINDINGS = [
        Binding("slash", "filter", "Filter", priority=True, id="list.filter"),
        Binding("escape", "clear", "Clear", show=False, id="list.clear"),
        Binding("right_square_bracket", "page(1)", "Next page", show=False, id="list.next_page"),
        Binding("left_square_bracket", "page(-1)", "Prev page", show=False, id="list.prev_page"),
        Binding("colon", "jump", "Jump to page", show=False, id="list.jump"),
        Binding("r", "refresh", "Refresh", show=False, id="list.refresh"),
        Binding("L", "load_all", "Load all", id="list.load_all"),
        Binding("s", "sort", "Sort", id="list.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="list.reverse_sort"),
        Binding("c", "choose_columns", "Columns", show=False, id="list.columns",
                tooltip="Choose the columns (saved per profile)"),
        Binding("e", "edit", "Edit", show=False, id="list.edit", tooltip="Edit the number under the cursor"),
        Binding("p", "provision", "Provision", show=False, id="list.provision", tooltip="Order new numbers"),
        Binding("u", "unprovision", "Unprovision", show=False, id="list.unprovision",
                tooltip="Release the marked numbers, or the one under the cursor"),
        Binding("space", "mark", "Mark", id="list.mark", tooltip="Mark or unmark the number and move down"),
        Binding("shift+down", "mark_range(1)", "Mark down", show=False, id="list.mark_down",
                tooltip="Extend the marks downwards"),
        Binding("shift+up", "mark_range(-1)", "Mark up", show=False, id="list.mark_up",
                tooltip="Extend the marks upwards"),
        Binding("asterisk", "mark_matching", "Mark all matching", show=False, id="list.mark_matching",
                tooltip="Mark every loaded number the filter shows"),
        Binding("b", "bulk_edit", "Bulk", id="list.bulk_edit", tooltip="Edit the marked numbers at once"),
        Binding("ctrl+e", "export", "Export", show=False, id="list.export",
                tooltip="Write the list as filtered and sorted, or the marked numbers, to CSV or JSON"),
    ]
    WRITE_ACTIONS = frozenset({"edit", "provision", "unprovision", "bulk_edit"})

    def __init__(self) -> None:
        super().__init__(id="inventory")
        self.page = 1
        self.wanted_page: int | None = None  # the page being loaded: `]` pressed again goes on from it
        self.query_text = ""
        self.sort_key: str | None = None
        self.descending = False
        self.loading_all = False
        self.showing_cache = False
        self.retry_index = 0
        self._retry_timer = None
        self._prefetch_notes: dict[int, ListingNotes] = {}  # what a prefetched page met, said when shown
        self.marks = Marks()

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="☎")
        yield Banner(id="banner")
        yield FilterBox(placeholder="filter: 4155, acme, class:a2p, !inactive … (enter keeps, escape clears)",
                    id="filter")
        yield NumberTable(id="numbers")
        yield OrderTracker(id="orders")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one("#filter", FilterBox)
        box.display = False
        box.listener = self.filter_changed
        table = self.query_one(NumberTable)
        table.empty_text = "Connecting…"
        table.cursor_listener = self.cursor_moved
        table.set_marked(self.marks)
        self.apply_view_prefs()
        table.focus()
        tracker = self.query_one(OrderTracker)
        tracked = self.app.book.all()
        tracker.display = bool(tracked)
        tracker.refresh_orders(tracked)
        self.show_cached_page()
        self.show_status()
        if self.app.session.connected:
            self.load_page(1, refresh=self.showing_cache)

    def list_cache(self):
        from ...core.list_cache import ListCache

        return ListCache(self.app.store, self.app.connection.account_key)

    def show_cached_page(self) -> None:
        """The first page as last seen, at the first frame; replaced as soon as the fresh one arrives."""
        cached = self.list_cache().load(self.inventory.page_size)
        if cached is None or self.inventory.pages:
            return
        self.inventory.add_page(1, cached.rows, cached.total, cached.pages, fetched_at=cached.fetched_at)
        self.showing_cache = True
        self.query_one(StatusLine).cached = True
        self.show_rows()

    @property
    def inventory(self):
        return self.app.inventory

    # --- loading ----------------------------------------------------------------------------------

    @work(exclusive=True, group="page", exit_on_error=False)
    async def load_page(self, page: int, refresh: bool = False) -> None:
        inventory = self.inventory
        if refresh or self.showing_copy or page not in inventory.pages:
            table = self.query_one(NumberTable)
            if not table.rows:
                table.empty_text = "Loading…"
                table.refresh()
            notes = ListingNotes()
            # the copy's list on screen (the API was unreachable) stays until the server's page is in
            target = type(inventory)(inventory.page_size, inventory.clock) if self.showing_copy else inventory
            try:
                rows = await fetch_page(self.app.client, target, page, notes)
            except Exception as error:
                await self.failed(error, lambda: self.load_page(page, refresh))
                if page == 1:
                    self.post_message(FirstPageSettled())
                return
            if target is not inventory:
                self.leave_copy()
                target.path_values, self.app.inventory = inventory.path_values, target
                inventory = target
            self.warn(notes)
            if page == 1:
                self.list_cache().save(inventory.page_size, rows, inventory.total, inventory.total_pages,
                                       inventory.fetched_at[1])
                self.showing_cache = False
                self.query_one(StatusLine).cached = False
        else:
            self.warn(self._prefetch_notes.pop(page, ListingNotes()))
        self.recovered()
        self.page = page
        if self.wanted_page == page:
            self.wanted_page = None
        self.show_rows()
        if page == 1:
            self.post_message(FirstPageSettled())
        self.prefetch(page + 1)

    @work(exclusive=True, group="prefetch", exit_on_error=False)
    async def prefetch(self, page: int) -> None:
        inventory = self.inventory
        if inventory.all_loaded or page in inventory.pages:
            return
        if inventory.total_pages is not None and page > inventory.total_pages:
            return
        notes = ListingNotes()
        try:
            await fetch_page(self.app.client, inventory, page, notes)
        except ActuiError:
            return  # a prefetch is a favour: the page is fetched again when asked for
        self._prefetch_notes[page] = notes
        self.show_status()

    @work(exclusive=True, group="load-all", exit_on_error=False)
    async def load_all(self) -> None:
        # mounted only while loading: an idle progress bar keeps timers ticking
        bar = ProgressBar(id="load-progress", show_eta=False, total=self.inventory.total)
        await self.mount(bar, after=self.query_one(NumberTable))
        self.loading_all = True
        self.show_status()

        def progress(loaded: int, total: int | None) -> None:
            bar.update(total=total, progress=loaded)
            self.query_one(StatusLine).loading = (loaded, total)

        notes = ListingNotes()
        copy = self.keeper.copy if self.keeper.writable else None   # filled as the pages arrive
        try:
            count = await fetch_all(self.app.client, self.inventory, progress, notes, copy, self.app.clock)
        except Exception as error:
            await self.failed(error, self.load_all)
            return
        finally:
            self.loading_all = False
            await bar.remove()
            self.query_one(StatusLine).loading = None
        # 100,000 rows live for the session: keep them out of every full garbage collection,
        # which otherwise walks them all (~170 ms pauses, several a session)
        gc.freeze()
        self.showing_copy = self.query_one(StatusLine).showing_copy = False
        self.recovered()
        self.copy_changed()
        self.notify(f"Loaded all {count:,} numbers: filter and sort now cover the whole inventory.", timeout=4)
        self.warn(notes)
        self.keeper.list_read()
        if self._copy_paths:
            self.fill_copy_for_filter()   # a settings term asked for the whole list: now its details

    def warn(self, notes: ListingNotes) -> None:
        """What reading the list met that the user should know (items skipped, duplicates, a wrong total)."""
        from ...core.safe_text import terminal_safe

        lines = notes.warnings()
        if lines:
            self.notify(terminal_safe("\n".join(lines), multiline=True), title="The list as the server sent it",
                        severity="warning", timeout=10, markup=False)

    async def failed(self, error: Exception, retry) -> None:
        """Keep what is on screen, mark it stale, say what happened, retry in the background.
        A 403 is said in the banner and not retried: asking again (or for a password) would not help."""
        if isinstance(error, PermissionDenied):
            self.query_one(Banner).show_refusal(error_text(error, self.app.connection.user))
            return
        if isinstance(error, AuthenticationError):
            await self.app.report_error(error, retry)
            return
        if not isinstance(error, RETRIED):
            await self.app.report_error(error)
            return
        if isinstance(error, NetworkError):
            self.app.set_offline(True)
            self.show_copy()
        delay = RETRY_DELAYS[min(self.retry_index, len(RETRY_DELAYS) - 1)]
        self.retry_index += 1
        self.query_one(NumberTable).stale = True
        self.query_one(Banner).show_problem(str(error), retry_in=delay)
        self.show_status()
        if self._retry_timer:
            self._retry_timer.stop()
        self._retry_timer = self.set_timer(delay, retry)

    def recovered(self) -> None:
        self.app.set_offline(False)
        if self.retry_index or self.query_one(NumberTable).stale or self.query_one(Banner).has_class("-shown"):
            self.retry_index = 0
            self.query_one(NumberTable).stale = False
            self.query_one(Banner).clear()
        if self._retry_timer:
            self._retry_timer.stop()
            self._retry_timer = None

    # --- the view ---------------------------------------------------------------------------------

    def show_rows(self, keep: str | None = None, to_top: bool = False) -> None:
        table = self.query_one(NumberTable)
        if not to_top:
            keep = keep or (table.cursor_row.number if table.cursor_row else None)
        try:
            rows = self.only_shown(self.inventory.view(self.page, self.query_text, self.sort_key, self.descending))
        except Exception as error:
            # the filter modules are imported by the first filter, not at start-up (the first page needs none)
            from ...core.filtering import FilterError

            if not isinstance(error, FilterError):
                raise
            self.query_one(StatusLine).filter_error = str(error)
            self.show_status()
            return
        self.query_one(StatusLine).filter_error = None
        table.empty_text = "No numbers match the filter" if self.query_text else "No numbers"
        table.set_sort(self.sort_key, self.descending)
        table.set_rows(rows, keep_number=keep)
        if to_top:
            table.move_cursor(0)
        self.show_status()

    def show_status(self) -> None:
        status = self.query_one(StatusLine)
        table = self.query_one(NumberTable)
        hidden = self.marks_hidden()
        status.show(self.inventory, page=self.page, shown=len(table.rows), query=self.query_text or self.narrowed,
                    sort_key=self.sort_key, descending=self.descending, stale=table.stale,
                    marked=len(self.marks), hidden=hidden)

    # --- filter -----------------------------------------------------------------------------------

    @on(Input.Submitted, "#filter")
    def filter_kept(self, _: Input.Submitted) -> None:
        box = self.query_one("#filter", Input)
        if not box.value:
            box.display = False
        self.query_one(NumberTable).focus()

    # --- paging, sort, refresh --------------------------------------------------------------------

    def action_page(self, step: int) -> None:
        # from the page on its way, if one is: two presses while a page loads go two pages on
        self.go_to_page((self.wanted_page or self.page) + step)

    def go_to_page(self, page: int) -> None:
        pages = self.inventory.total_pages
        page = max(1, min(page, pages or page))
        if self.inventory.all_loaded or self.query_text or self.sort_key:
            # one list of everything loaded: a page is a window of page_size rows
            table = self.query_one(NumberTable)
            self.page, self.wanted_page = page, None
            table.move_cursor((page - 1) * self.inventory.page_size)
            self.show_status()
            return
        if page != self.page or page not in self.inventory.pages:
            self.wanted_page = page if page != self.page else None
            self.load_page(page)

    @work(group="jump", exit_on_error=False)
    async def action_jump(self) -> None:
        from .prompts import JumpToPageScreen

        answer = await self.app.push_screen_wait(JumpToPageScreen(self.inventory.total_pages))
        if answer:
            self.go_to_page(int(answer))

    def action_refresh(self) -> None:
        self.wanted_page = None
        if self.inventory.all_loaded:
            self.load_all()
        else:
            for page in list(self.inventory.pages):
                if page != self.page:
                    del self.inventory.pages[page]
            self.load_page(self.page, refresh=True)

    def action_load_all(self) -> None:
        if not self.loading_all:
            self.load_all()

    @work(group="sort", exit_on_error=False)
    async def action_sort(self) -> None:
        from .prompts import ChoiceScreen

        options = [(c.key, f"{c.title}") for c in COLUMNS] + [("", "Server order (no sort)")]
        key = await self.app.push_screen_wait(ChoiceScreen("Sort by", options, self.sort_key))
        if key is None:
            return
        self.sort_by(key or None)

    def sort_by(self, key: str | None, descending: bool | None = None) -> None:
        if descending is None:
            descending = (not self.descending) if key == self.sort_key and key else False
        self.sort_key, self.descending = key, descending
        if key and not self.inventory.all_loaded:
            self.notify("Sorting what is loaded; L loads everything", timeout=3)
        self.show_rows()
        self.remember_view()

    def action_reverse_sort(self) -> None:
        if self.sort_key:
            self.sort_by(self.sort_key, not self.descending)

    # --- writes (hidden and refused in read-only mode) ---------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITE_ACTIONS and self.app.read_only:
            return False
        return True

    def action_edit(self) -> None:
        row = self.query_one(NumberTable).cursor_row
        if row is not None and not self.app.read_only:
            self.app.open_editor(row.number)

    def action_provision(self) -> None:
        if not self.app.read_only:
            self.app.open_provision()

    def action_unprovision(self) -> None:
        numbers = self.marked_or_cursor()
        if numbers and not self.app.read_only:
            self.app.open_unprovision(numbers)

    def action_bulk_edit(self) -> None:
        if self.app.read_only:
            return
        if not self.marks:
            self.notify("Mark numbers first: space marks one, * every number the filter shows", timeout=4)
            return
        self.app.open_bulk_editor(self.marks.numbers())

    def number_saved(self, number) -> None:
        """After an edit: the list shows the server's answer at once."""
        from ...core.inventory import NumberRow

        self.inventory.update_row(NumberRow.from_model(number))
        self.show_rows()

    # --- rows -------------------------------------------------------------------------------------

    def on_first_page_settled(self, _: FirstPageSettled) -> None:
        self.call_after_refresh(self.copy_status_later)   # (the message goes on to the app)

    @on(NumberTable.Selected)
    def open_number(self, event: NumberTable.Selected) -> None:
        self.app.open_detail(event.row.number)

    def cursor_moved(self, index: int, row) -> None:
        if self.inventory.all_loaded or self.query_text or self.sort_key:
            page = index // self.inventory.page_size + 1
            if page != self.page:
                self.page = page
                self.show_status()

    @on(OrderTracker.Untrack)
    def untrack(self, event: OrderTracker.Untrack) -> None:
        self.app.book.untrack(event.order_id)
        self.query_one(OrderTracker).refresh_orders(self.app.book.all())

    def palette_commands(self):
        for column in COLUMNS:
            yield SystemCommand(f"Sort by {column.title}", f"Sort the list by {column.title.lower()}",
                                lambda key=column.key: self.sort_by(key))
