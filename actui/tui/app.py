"""The Textual app: screens, global bindings, the order poller, palette commands. Kept small."""

from __future__ import annotations

import gc
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..api.errors import AuthenticationError, PermissionDenied
from ..config import Connection
from ..core.inventory import Inventory
from ..core.orders import OrderBook
from ..core.session import Session
from ..core.store import Store, open_store
from .commands import NumberFinder
from .header_color import ProfileColorHeader, show_header_color
from .messages import Connected, ConnectionFailed, FirstPageSettled, OrderSubmitted
from .safe import error_text, terminal_safe
from .screen_openers import ScreenOpeners
from .ui_prefs import UiPrefs

SWITCH_HELP = "Connect to another profile of config.toml without restarting"


@dataclass
class UiSettings:
    """What tests and snapshots pin: clock, cursor blink, polling."""

    clock: Callable[[], float] = time.time
    cursor_blink: bool = False      # a blinking cursor alone writes ~2.3 KB/s over SSH
    poll_orders: bool = True
    resume_offer_latest: float = 3.0  # seconds after connecting, if the first page has not settled by then


class ActuiApp(ProfileColorHeader, ScreenOpeners, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "actui"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {NumberFinder}
    BINDINGS = [
        Binding("q", "soft_quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_ctrl"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("o", "toggle_orders", "Orders", id="app.orders"),
        Binding("t", "track_order", "Track order", show=False, id="app.track"),
        Binding("j", "journal", "Journal", show=False, id="app.journal",
                tooltip="Every change actui made; undo one or a whole run"),
        Binding("H", "health", "Health: policies and overview", show=False, id="app.health",
                tooltip="Policies and built-in checks over the local copy, what breaks them, the inventory"),
        Binding("P", "switch_profile", "Switch profile", show=False, id="app.switch_profile", tooltip=SWITCH_HELP),
    ]

    def __init__(self, connection: Connection, *, client=None, store: Store | None = None,
                 settings: UiSettings | None = None, open_number: str | None = None, sandbox=None):
        super().__init__()
        self.settings = settings or UiSettings()
        self.clock = self.settings.clock
        self.prefs = UiPrefs.load(connection)   # the theme, the list's columns and sort, the user's keys
        self.prefs.start(self)
        self.store = store or open_store()  # a store it cannot open becomes a read-only stand-in
        self.open_number = open_number
        self.sandbox_notices = list(getattr(sandbox, "notices", ()))  # e.g. its inventory file was damaged
        self.poller = None
        self._resume_offer_due = False
        self._password_prompt_open = False
        self._closing = False
        self._profile_switch = None
        self.use_session(Session(connection, client, sandbox=sandbox))

    def use_session(self, session: Session) -> None:
        """What belongs to one account, from its session: at start and on a profile switch (profile_switch.py)."""
        if self.poller:
            self.poller.stop()
            self.poller = None
        self.session = session
        self.inventory = Inventory(page_size=self.connection.page_size, clock=self.clock)
        # scheduling needs the real clock; self.clock is what the screen shows (frozen in snapshots)
        self.book = OrderBook(self.store, self.connection.account_key)
        self._bulk = None
        self._copy_keeper = None
        self.offline = False   # the API did not answer the last request (header: "offline")
        show_header_color(self, self.connection.color)
        self.sub_title = self._label()

    @property
    def connection(self) -> Connection:
        return self.session.connection

    @property
    def read_only(self) -> bool:
        """No writes: asked for, or the local store cannot record them in the journal."""
        return self.connection.read_only or self.store.read_only

    @property
    def client(self):
        return self.session.client

    @property
    def bulk(self):
        """Bulk edit, undo and resume (tui/bulk_flows.py), imported on first use."""
        if self._bulk is None:
            from .bulk_flows import BulkFlows

            self._bulk = BulkFlows(self)
        return self._bulk

    def _label(self) -> str:
        parts = [self.connection.label]
        if self.read_only:
            parts.append("read-only")
        if self.offline:
            parts.append("offline")
        return " · ".join(parts)

    def set_offline(self, offline: bool) -> None:
        """A request got no answer (the API is unreachable), or one was answered again."""
        if offline != self.offline:
            self.offline = offline
            self.sub_title = self._label()

    def refused_offline(self, what: str) -> bool:
        """Writes are refused while the API is unreachable (never queued): said, True."""
        if self.offline:
            self.notify(f"The API is unreachable: {what} is refused (nothing was sent, nothing is queued). "
                        "Try again once the list answers (r refreshes it).", severity="warning", timeout=8)
        return self.offline

    @property
    def copy_keeper(self):
        """The local copy (tui/copy_sync.py), opened on first use."""
        if self._copy_keeper is None:
            from .copy_sync import CopyKeeper

            self._copy_keeper = CopyKeeper(self.store, self.connection.account_key, self.clock)
        return self._copy_keeper

    # --- start-up ---------------------------------------------------------------------------------

    def get_default_screen(self):
        """The inventory is the first screen itself, not one pushed over Textual's blank default: the start
        composes, styles, lays out and draws one screen instead of two (~5 ms of a warm start)."""
        from .screens.inventory import InventoryScreen

        return InventoryScreen()

    def on_mount(self) -> None:
        self.show_store_notices()
        self.prefs.attach(self)
        # after the first frame: the sandbox's imports would otherwise compete with it for the GIL
        self.call_after_refresh(self.connect)
        self.call_after_refresh(self.start_up_done)

    def start_up_done(self) -> None:
        """After the first frame: garbage collection back on if start-up turned it off (actui.tui.run), with
        what start-up made (modules, classes, the first screen) kept out of every later full collection."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def show_store_notices(self) -> None:
        """A damaged store moved aside, a read-only one: said once, at start-up."""
        from ..core.cache_store import open_cache
        from ..core.safe_text import terminal_safe

        open_cache(self.store)
        notices = self.store.take_notices()
        if self.store.read_only and not notices:
            notices = [self.store.read_only_notice()]
        for notice in notices:
            self.notify(terminal_safe(notice.text), severity=notice.severity, timeout=30, markup=False)
        for text in self.sandbox_notices:
            self.notify(terminal_safe(text), severity="warning", timeout=30, markup=False)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def connect(self) -> None:
        try:
            await self.session.connect()
        except Exception as error:  # the sandbox could not start, or a bad URL: say so, never crash
            self.post_message(ConnectionFailed(error))
            return
        self.post_message(Connected())

    def on_connected(self, _: Connected) -> None:
        inventory = self.inventory_screen()
        if inventory is not None:
            inventory.load_page(1, refresh=inventory.showing_cache)
        if self.open_number:
            self.open_detail(self.open_number)
            self.open_number = None
        self.account_ready()

    def account_ready(self) -> None:
        """The session answers (at start, after a profile switch): its orders polled, its cut-short run offered."""
        if self.settings.poll_orders:
            # a moment later: the poller imports pydantic, which the first page does not need
            self.set_timer(0.3, self.start_poller)
        if not self.read_only:
            # checking the journal imports the bulk engine (pydantic, ~100 ms): after the first page, which
            # would otherwise wait for it; a timer in case no list asks for one (it is not on screen)
            self._resume_offer_due = True
            self.set_timer(self.settings.resume_offer_latest, self.offer_resume)

    def on_first_page_settled(self, _: FirstPageSettled) -> None:
        self.offer_resume()

    def offer_resume(self) -> None:
        """A run cut short is offered for resuming once per start, after the first page."""
        if self._resume_offer_due and not self._closing:
            self._resume_offer_due = False
            self.bulk.offer_resume()

    def start_poller(self) -> None:
        from .order_poller import OrderPoller

        if self._closing or self.store.read_only:
            return  # shutting down (the store is closed), or the store cannot record what it would poll
        if self.poller is None:
            self.poller = OrderPoller(self, self.book, self.client)
        self.poller.start()

    def on_connection_failed(self, message: ConnectionFailed) -> None:
        self.notify(f"Could not connect: {error_text(message.error)}", severity="error", timeout=30)

    async def on_unmount(self) -> None:
        self._closing = True
        if self.poller:
            self.poller.stop()
        await self.session.close()
        self.store.close()

    # --- errors -----------------------------------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification (widgets' and screens' too) passes here: made terminal-safe, never markup
        (they name numbers, order statuses and the server's words, which may hold "[/]" or escapes)."""
        super().notify(terminal_safe(message, multiline=True), title=terminal_safe(title), severity=severity,
                       timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """ctrl+c: how to quit (Textual's own words for it are markup, which notify never parses here)."""
        self.notify("Press ctrl+q to quit (or q where it is not typed into a field).", title="Do you want to quit?")

    async def report_error(self, error: Exception, retry: Callable[[], Awaitable[None] | None] | None = None) -> None:
        """The one place API errors reach the user: a password prompt for a 401, a notification else.
        A 403 is "not allowed": the password is right, so no prompt and no change of credentials."""
        if isinstance(error, PermissionDenied):
            self.notify(error_text(error, self.connection.user), severity="error", timeout=15)
            return
        if isinstance(error, AuthenticationError) and not self._password_prompt_open:
            self._password_prompt_open = True
            self.ask_password(error_text(error), retry)
            return
        self.notify(error_text(error), severity="error", timeout=10)

    @work(group="password", exit_on_error=False)
    async def ask_password(self, reason: str, retry) -> None:
        from ..credentials import Secret
        from .screens.prompts import PasswordScreen

        try:
            typed = await self.push_screen_wait(PasswordScreen(self.connection, reason))
            if typed:
                client = await self.session.use_password(Secret(typed))
                if self.poller:
                    self.poller.client = client
                    self.poller.start()
                if retry:
                    result = retry()
                    if hasattr(result, "__await__"):
                        await result
        finally:
            self._password_prompt_open = False

    # --- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("soft_quit", "journal", "health", "switch_profile") and getattr(self.screen, "FORM", False):
            return False  # on a form, q is a letter (Selects and buttons would otherwise let it quit)
        return True

    async def action_soft_quit(self) -> None:
        await self.action_quit()

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_switch_profile(self) -> None:
        from .profile_switch import ProfileSwitch

        self._profile_switch = self._profile_switch or ProfileSwitch(self)
        self._profile_switch.open_picker()

    def action_journal(self) -> None:
        self.bulk.open_journal()

    def action_health(self) -> None:
        from .screens.health import HealthScreen

        if not any(isinstance(screen, HealthScreen) for screen in self.screen_stack):
            self.push_screen(HealthScreen())

    def action_toggle_orders(self) -> None:
        tracker = self._tracker()
        if tracker is not None:
            tracker.display = not tracker.display
            if tracker.display:
                tracker.refresh_orders(self.book.all())

    @work(group="track", exit_on_error=False)
    async def action_track_order(self) -> None:
        from .screens.prompts import TrackOrderScreen

        order_id = await self.push_screen_wait(TrackOrderScreen())
        if order_id:
            self.track(order_id)

    def track(self, order_id: str, action: str | None = None, provision_class: str | None = None) -> None:
        self.book.track(order_id, action, provision_class)
        tracker = self._tracker()
        if tracker is not None:
            tracker.display = True
            tracker.refresh_orders(self.book.all())
        if self.poller:
            self.poller.poke()

    def on_order_submitted(self, message: OrderSubmitted) -> None:
        self.track(message.order_id, message.action, message.provision_class)

    def _tracker(self):
        from .widgets.order_tracker import OrderTracker

        for screen in self.screen_stack:
            found = screen.query(OrderTracker)
            if found:
                return found.first()
        return None

    # --- orders poller messages ---------------------------------------------------------------------

    def on_order_poller_updated(self, message) -> None:
        tracker = self._tracker()
        if tracker is not None and tracker.display:
            tracker.refresh_orders(self.book.all())
        for tracked in message.finished:
            status = tracked.status or "finished"
            severity = "information" if status.lower() == "completed" else "warning"
            self.notify(f"Order {tracked.order_id} ({tracked.action or 'order'}): {status}", severity=severity,
                        timeout=8)

    async def on_order_poller_failed(self, message) -> None:
        await self.report_error(message.error, retry=None)

    # --- command palette --------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands, then every binding of the screen (so every action is in the palette),
        then what the screen adds (e.g. "Sort by Status")."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            keys = self.get_key_display(binding)
            yield SystemCommand(binding.description, f"{binding.tooltip or binding.description} ({keys})",
                                partial(self._run_from_palette, active.node, binding.action))
        if "switch_profile" not in seen and not getattr(screen, "FORM", False):   # a focused field took its key
            yield SystemCommand("Switch profile", SWITCH_HELP, self.action_switch_profile)
        commands = getattr(screen, "palette_commands", None)
        if commands:
            yield from commands()

    async def _run_from_palette(self, node, action: str) -> None:
        await self.run_action(action, node)


def make_app(connection: Connection, **options) -> ActuiApp:
    """The app on `connection`. actui.tui.run starts it (with the embedded sandbox's process, if any); tests
    pass their own client, store and settings (a frozen clock, no order polling)."""
    return ActuiApp(connection, **options)
