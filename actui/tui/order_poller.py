"""The order poller: keeps tracked orders up to date while the app runs, whatever screen is shown.

It belongs to the App (not to a screen), so it survives screen changes; the App starts it on mount and
again after a new password. One poll at a time: a poll runs as an async worker on the App and, when it
finishes, re-arms a one-shot timer (never `set_interval`, so polls cannot overlap and back-off is just a
longer delay). The delay is `OrderBook.next_due_in()` (a few seconds for young orders, up to a minute for
long A2P ones), clamped to [0.5 s, 60 s]; with nothing pending the poller idles until `poke()`.

A poll posts ONE `OrderPoller.Updated` to the App, and only when something changed: an idle poll posts
nothing, so nothing repaints and nothing goes down the wire.

Errors never crash the app:
- network faults, 5xx and 429 leave orders pending, post `Failed` once per outage, and back off
  (2 s, 4 s, ... up to 60 s) until an answer comes; then `Recovered` is posted;
- a 404 for an order records it as status "NotFound", made final (it will never appear);
- a 401 stops the poller and posts `Failed(stopped=True)`: the App asks for a password and calls
  `start()` again;
- any other error for one order (403, 400, a bug) posts `Failed(order_id=...)` and holds that order back.
"""

from __future__ import annotations

import asyncio
import sys
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message

from ..api.errors import (
    ActuiError,
    AuthenticationError,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
)
from ..api.order_models import Order
from ..core.orders import OrderBook, TrackedOrder

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer
    from textual.worker import Worker

    from ..api.client import ApiClient

GROUP = "order-poller"
MIN_DELAY = 0.5
MAX_DELAY = 60.0
OUTAGE_DELAY = 2.0
NOT_FOUND = "NotFound"
_OUTAGE_ERRORS = (NetworkError, ServerError, RateLimited)


class OrderPoller:
    """Polls `book.due()` orders through `client.get_order` and tells the App what changed."""

    class Updated(Message):
        """Some tracked orders changed in one poll. `finished` = those that became final in it."""

        def __init__(self, changed: list[TrackedOrder], finished: list[TrackedOrder]) -> None:
            super().__init__()
            self.changed = changed
            self.finished = finished

        def __repr__(self) -> str:
            return (f"OrderPoller.Updated(changed={[t.order_id for t in self.changed]}, "
                    f"finished={[t.order_id for t in self.finished]})")

    class Failed(Message):
        """A poll failed. `stopped`: the poller stopped (authentication); `order_id`: one order's problem."""

        def __init__(self, error: BaseException, *, stopped: bool = False, order_id: str | None = None) -> None:
            super().__init__()
            self.error = error
            self.stopped = stopped
            self.order_id = order_id

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, OrderPoller.Failed)

        def __repr__(self) -> str:
            return f"OrderPoller.Failed({self.error!r}, stopped={self.stopped}, order_id={self.order_id!r})"

    class Recovered(Message):
        """The API answers again after an outage reported by `Failed`."""

    def __init__(self, app: App, book: OrderBook, client: ApiClient, *, min_delay: float = MIN_DELAY,
                 max_delay: float = MAX_DELAY, outage_delay: float = OUTAGE_DELAY) -> None:
        self.app = app
        self.book = book
        self.client = client
        self.min_delay = min_delay
        self.max_delay = max_delay
        self.outage_delay = outage_delay
        self.polls = 0                      # polls run so far (for status lines and tests)
        self.next_delay: float | None = None  # seconds the armed timer was set for; None when not armed
        self.outage: ActuiError | None = None  # the error of the current outage, if any
        self._running = False
        self._in_flight = False
        self._generation = 0  # which poll is the current one (a cancelled one must not touch the state)
        self._timer: Timer | None = None
        self._worker: Worker | None = None
        self._backoff = 0.0
        self._held: dict[str, tuple[float, int]] = {}  # order id -> (not before, by book clock; failures)
        # the orders pending at the end of the last poll: one another process (`actui orders watch`, a
        # second TUI) records final in the shared store is reported finished at the next poll, not lost
        self._seen_pending: set[str] = set()
        self._ttys: dict[str, bool] = {}

    # --- control ----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Started and not stopped (it may be idle: nothing pending)."""
        return self._running

    @property
    def polling(self) -> bool:
        """A poll is in flight."""
        return self._in_flight

    def start(self) -> None:
        """Start (or restart after `stop()` / an authentication failure); polls pending orders at once."""
        if self._running:
            self.poke()
            return
        self._running = True
        self._backoff = 0.0
        self.outage = None
        self._held.clear()
        self._ttys = {name: _isatty(getattr(sys, name, None)) for name in ("__stdin__", "__stdout__")}
        if self._next_due_in() is not None:
            self._begin_poll()

    def stop(self) -> None:
        """Stop polling: cancel the timer and any poll in flight."""
        self._running = False
        self._cancel_timer()
        worker, self._worker = self._worker, None
        if worker is not None and not worker.is_finished:
            worker.cancel()
        self._generation += 1
        self._in_flight = False

    def poke(self) -> None:
        """Poll soon (e.g. right after an order was tracked). Does nothing while stopped.

        During a poll, the re-arm that follows it sees the new order (due at once) and polls it 0.5 s later.
        """
        if not self._running or self._in_flight:
            return
        self._begin_poll()

    # --- scheduling -------------------------------------------------------------------------------

    def _cancel_timer(self) -> None:
        timer, self._timer = self._timer, None
        self.next_delay = None
        if timer is not None:
            timer.stop()

    def _next_due_in(self) -> float | None:
        """Seconds until an order wants polling (held orders wait longer); None when nothing is pending."""
        pending = self.book.pending()
        if self._seen_pending - {t.order_id for t in pending}:
            return 0.0   # one went final elsewhere: a poll reports it
        if not self._held:
            return self.book.next_due_in()
        if not pending:
            return None
        now = self.book.clock()
        at = min(max(t.next_poll_at(), self._held.get(t.order_id, (0.0, 0))[0]) for t in pending)
        return max(0.0, at - now)

    def _rearm(self) -> None:
        if not self._running:
            return
        due_in = self._next_due_in()
        if due_in is None:  # nothing pending: idle until poke()
            self.next_delay = None
            return
        delay = min(self.max_delay, max(self.min_delay, due_in))
        if self.outage is not None:
            delay = max(delay, self._backoff)
        self.next_delay = delay
        self._timer = self.app.set_timer(delay, self._on_timer, name="order-poller")

    def _on_timer(self) -> None:
        self._timer = None
        self._begin_poll()

    def _begin_poll(self) -> None:
        if not self._running or self._in_flight:
            return
        self._cancel_timer()
        if self.terminal_gone():
            self.stop()
            self.app.exit()
            return
        self._in_flight = True
        self._generation += 1
        self._worker = self.app.run_worker(partial(self._poll, self._generation), name="order-poll", group=GROUP,
                                           description="poll tracked orders", exclusive=True,
                                           exit_on_error=False)

    def terminal_gone(self) -> bool:
        """True when stdin/stdout were a terminal at start() and no longer are (the SSH session dropped).

        Never in headless runs (run_test). Looks at sys.__stdin__/__stdout__: while the app runs, Textual
        replaces sys.stdout with a capture object that always claims to be a tty.
        """
        if self.app.is_headless:
            return False
        return any(was and not _isatty(getattr(sys, name, None)) for name, was in self._ttys.items())

    # --- one poll ---------------------------------------------------------------------------------

    async def _poll(self, generation: int) -> None:
        changed: list[TrackedOrder] = []
        finished: list[TrackedOrder] = []
        answered = False
        outage: ActuiError | None = None
        cancelled = False
        try:
            self.polls += 1
            now = self.book.clock()
            for elsewhere in self._finished_elsewhere():
                changed.append(elsewhere)
                finished.append(elsewhere)
            for before in self.book.due():
                if not self._running:
                    return
                if self._held.get(before.order_id, (0.0, 0))[0] > now:
                    continue
                try:
                    after = await self._fetch(before)
                except PermissionDenied as error:   # 403: this order's problem, not the password's
                    self._hold(before, error)
                    continue
                except AuthenticationError as error:
                    self._running = False
                    self._cancel_timer()
                    self.app.post_message(self.Failed(error, stopped=True))
                    return
                except _OUTAGE_ERRORS as error:
                    outage = error
                    break
                except ActuiError as error:  # this order's problem (400, 403, an odd answer): hold it back
                    self._hold(before, error)
                    continue
                answered = True
                self._held.pop(before.order_id, None)
                if after is None:  # untracked while we asked
                    continue
                if _signature(after) != _signature(before):
                    changed.append(after)
                    if after.final and not before.final:
                        finished.append(after)
        except asyncio.CancelledError:
            cancelled = True
            raise
        except Exception as error:  # a bug or a local fault (e.g. the SQLite file): report, back off, go on
            outage = error if isinstance(error, ActuiError) else ActuiError(f"order polling failed: {error!r}")
        finally:
            if generation == self._generation:  # not superseded by stop() and start()
                self._seen_pending = {t.order_id for t in self.book.pending()}
                self._in_flight = False
                if not cancelled:
                    self._settle(outage, answered, changed, finished)
                    self._rearm()

    def _finished_elsewhere(self) -> list[TrackedOrder]:
        """Orders pending at the last poll that the store now holds final, recorded by another process."""
        still = {t.order_id for t in self.book.pending()}
        found = []
        for order_id in sorted(self._seen_pending - still):
            try:
                tracked = self.book.get(order_id)
            except KeyError:   # untracked meanwhile
                continue
            if tracked.final:
                found.append(tracked)
        self._seen_pending = still
        return found

    async def _fetch(self, before: TrackedOrder) -> TrackedOrder | None:
        """Ask for one order and record the answer; None when the order was untracked meanwhile."""
        try:
            order = await self.client.get_order(before.order_id)
        except NotFound:
            try:
                self.book.record(Order(order_id=before.order_id, status=NOT_FOUND))
                _mark_final(self.book, before.order_id)
                return self.book.get(before.order_id)
            except KeyError:
                return None
        if str(order.order_id) != before.order_id:  # e.g. the server wrote the id differently
            order = order.model_copy(update={"order_id": before.order_id})
        try:
            return self.book.record(order)
        except KeyError:
            return None

    def _hold(self, before: TrackedOrder, error: ActuiError) -> None:
        """Keep one order back (5 s, 10 s, ... 60 s) after an error that is its own, and say so."""
        _, failures = self._held.get(before.order_id, (0.0, 0))
        failures += 1
        wait = min(self.max_delay, 5.0 * 2 ** (failures - 1))
        self._held[before.order_id] = (self.book.clock() + wait, failures)
        if failures == 1:
            self.app.post_message(self.Failed(error, order_id=before.order_id))

    def _settle(self, outage: BaseException | None, answered: bool, changed: list[TrackedOrder],
                finished: list[TrackedOrder]) -> None:
        if outage is not None:
            self._backoff = (max(self.outage_delay, self.min_delay) if self.outage is None
                             else min(self.max_delay, self._backoff * 2))
            retry_after = getattr(outage, "retry_after", None)  # a 429 says how long to wait
            if retry_after:
                self._backoff = max(self._backoff, min(float(retry_after), 10 * self.max_delay))
            if self.outage is None:
                self.outage = outage  # type: ignore[assignment]
                self.app.post_message(self.Failed(outage))
        elif answered and self.outage is not None:
            self.outage = None
            self._backoff = 0.0
            self.app.post_message(self.Recovered())
        if changed:
            self.app.post_message(self.Updated(changed, finished))


def _signature(tracked: TrackedOrder) -> tuple:
    """What the tracker shows of an order: a poll that leaves this unchanged changed nothing."""
    order = tracked.order
    items = tuple((i.number, i.status, i.error_message) for i in order.phone_numbers) if order else ()
    return (tracked.status, tracked.final, tracked.action, tracked.provision_class, items)


def _mark_final(book: OrderBook, order_id: str) -> None:
    """Make an order final whatever its status says (a 404: it will never appear).

    OrderBook.record() derives `final` from the status, and "NotFound" is no final status word.
    """
    book.store.execute("UPDATE tracked_orders SET final = 1 WHERE account = ? AND order_id = ?",
                       (book.account, str(order_id)))


def _isatty(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (ValueError, OSError):  # closed
        return False
