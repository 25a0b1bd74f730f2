"""Driving the order tracker in pilot tests: a harness app around the tracker and its poller, a spy and a
clock to stand in for the client's and the app's, and placing orders on the sandbox."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.message import Message

from actui.api.client import ApiClient
from actui.core.orders import OrderBook
from actui.tui.order_poller import OrderPoller
from actui.tui.widgets.order_tracker import OrderTracker
from tests.helpers import TENANT
from tests.tui.harness import HarnessApp

FAILING = "+14155550142"  # 555-01xx: always fails in the sandbox


class Spy:
    """Stands in for the ApiClient in the poller: counts get_order calls and how many run at once."""

    def __init__(self, client: ApiClient):
        self.client = client
        self.calls: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def get_order(self, order_id):
        self.calls.append(str(order_id))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self.client.get_order(order_id)
        finally:
            self.in_flight -= 1


class FakeClock:
    def __init__(self, now: float = 1_750_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class TrackerApp(HarnessApp):
    """What actui's App does with the poller and the tracker, and no more."""

    def __init__(self, book: OrderBook, client, *, clock: Callable[[], float] | None = None,
                 real_terminal: bool = False, **poller_options):
        super().__init__()
        self.book = book
        if clock is not None:
            self.clock = clock
        self.real_terminal = real_terminal
        self.poller = OrderPoller(self, book, client, **poller_options)

    @property
    def is_headless(self) -> bool:  # real_terminal: behave as in a terminal (render, check the tty)
        return False if self.real_terminal else super().is_headless

    def compose(self) -> ComposeResult:
        yield OrderTracker(id="orders")

    @property
    def tracker(self) -> OrderTracker:
        return self.query_one("#orders", OrderTracker)

    def on_mount(self) -> None:
        self.tracker.refresh_orders(self.book.all())
        self.poller.start()

    def on_unmount(self) -> None:
        self.poller.stop()

    def track(self, order_id, action: str = "Provision", provision_class: str = "P2P") -> None:
        self.book.track(order_id, action, provision_class)
        self.tracker.refresh_orders(self.book.all())
        self.poller.poke()

    @on(OrderPoller.Updated)
    def orders_updated(self, message: OrderPoller.Updated) -> None:
        self.tracker.update_orders(message.changed)

    @on(OrderTracker.Untrack, "#orders")
    def untrack(self, message: OrderTracker.Untrack) -> None:
        self.book.untrack(message.order_id)
        self.tracker.refresh_orders(self.book.all())


def entry(number: str, cls: str = "P2P") -> dict:
    e = {"number": number, "email": "ops@example.com",
         "messagingFeature": {"provisionType": "SMS", "provisionClass": cls}}
    if cls == "A2P":
        e.update(campaignId="C1A2B3C", brandId="B9X8Y7Z")
    return e


async def place(client: ApiClient, *numbers: str, cls: str = "P2P") -> str:
    ack = await client.provision({"action": "Provision", "tenantId": TENANT,
                                  "phoneNumbers": [entry(n, cls) for n in numbers]})
    return str(ack.order_id)


def of(messages: list[Message], kind: type[Message]) -> list:
    """The messages of one kind, each once (the hook sees a bubbling message at every node)."""
    return list({id(m): m for m in messages if isinstance(m, kind)}.values())


def screen_lines(tracker: OrderTracker) -> list[str]:
    return ["".join(s.text for s in tracker.render_line(y)).rstrip() for y in range(tracker.size.height)]


# --- behaviour ------------------------------------------------------------------------------------
