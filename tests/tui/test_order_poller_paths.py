"""The order poller's back-off and hold paths (tui/order_poller.py), against the sandbox on loopback, with
a scripted server in front of it (tests/scripted_proxy.py) for the answers the sandbox never gives (403,
a 429 with a long Retry-After). Timers are read from what the poller asks the App for, not waited out."""

from __future__ import annotations

import pytest
from textual.message import Message

from actui.core.orders import OrderBook
from actui.tui.order_poller import OrderPoller
from tests.helpers import client_for, fast_retry, until
from tests.tui.order_pilot import FakeClock, TrackerApp, of, place


class TimedApp(TrackerApp):
    """Records the delay of every timer the poller arms."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.delays: list[float] = []

    def set_timer(self, delay, callback=None, *, name=None, **kw):
        if name == "order-poller":
            self.delays.append(delay)
        return super().set_timer(delay, callback, name=name, **kw)


def order_path(order_id: str) -> str:
    return f"/phone-numbers/orders/{order_id}"


async def test_a_403_holds_the_order_back_longer_each_time_and_the_others_go_on(sandbox_factory, store,
                                                                               scripted_proxy):
    sandbox = sandbox_factory(p2p_seconds=0.0)   # an order is Completed when first asked
    proxy = scripted_proxy(sandbox)
    clock = FakeClock()
    book = OrderBook(store, "sandbox", clock=clock)
    async with client_for(sandbox, retry=fast_retry()) as direct, \
            client_for(proxy, retry=fast_retry(0)) as through:
        held = await place(direct, "+14155557101")
        other = await place(direct, "+14155557102")
        proxy.script("GET", order_path(held), 403, json={"message": "Forbidden: not your tenant"})
        app = TrackerApp(book, through, clock=clock)
        seen: list[Message] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            app.book.track(held, "Provision", "P2P")
            app.track(other)
            await until(pilot, lambda: book.get(other).final, what="the other order completed")
            await app.workers.wait_for_complete()

            failed = of(seen, OrderPoller.Failed)
            assert len(failed) == 1 and failed[0].order_id == held and not failed[0].stopped
            assert "403" in str(failed[0].error) or getattr(failed[0].error, "status", None) == 403
            assert app.poller.running and app.poller.outage is None   # no outage, no password asked
            assert book.get(held) is not None and not book.get(held).final   # held, not dropped
            assert app.poller.next_delay == 5.0                               # held back 5 s

            asked = len(proxy.seen)
            clock.now += 1                 # poked before the hold is over: not asked
            app.poller.poke()
            await app.workers.wait_for_complete()
            assert len(proxy.seen) == asked

            clock.now += 4                 # the hold is over: asked again, 403 again, held 10 s
            app.poller.poke()
            await app.workers.wait_for_complete()
            assert len(proxy.answered(403)) == 2 and app.poller.next_delay == 10.0
            assert len(of(seen, OrderPoller.Failed)) == 1   # said once, not at every poll

            proxy.clear()                  # allowed again: the next poll after the hold completes it
            clock.now += 10
            app.poller.poke()
            await until(pilot, lambda: book.get(held).final, what="the held order completed")
            assert book.get(held).status == "Completed"
            assert app.tracker.tracked(held).status == "Completed"


async def test_an_outage_backs_off_doubling_up_to_the_longest_delay(sandbox, client, book):
    order_id = await place(client, "+14155557103")
    sandbox.faults.error_every = 1     # every request answers 503
    async with client_for(sandbox, retry=fast_retry(0)) as api:
        app = TimedApp(book, api, min_delay=0.05, outage_delay=0.05, max_delay=0.4)
        seen: list[Message] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            app.track(order_id)
            await until(pilot, lambda: len(app.delays) >= 6, what="six failed polls")
            assert app.delays[:6] == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.4, 0.4])
            assert len(of(seen, OrderPoller.Failed)) == 1 and app.poller.outage is not None
            assert not book.get(order_id).final
            sandbox.faults.clear()
            await until(pilot, lambda: book.get(order_id).final, what="recovery")
            assert len(of(seen, OrderPoller.Recovered)) == 1 and app.poller.outage is None


@pytest.mark.parametrize("retry_after, expected", [("3", 3.0), ("3600", 4.0)])
async def test_a_429_waits_its_retry_after_up_to_ten_times_the_longest_delay(sandbox, client, book,
                                                                            scripted_proxy, retry_after, expected):
    proxy = scripted_proxy(sandbox)
    order_id = await place(client, "+14155557104")
    proxy.script("GET", order_path(order_id), 429, json={"message": "slow down"},
                 headers={"Retry-After": retry_after})
    async with client_for(proxy, retry=fast_retry(0)) as api:
        app = TimedApp(book, api, min_delay=0.05, outage_delay=0.05, max_delay=0.4)
        seen: list[Message] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            app.track(order_id)
            await until(pilot, lambda: app.delays, what="the poll after the 429")
            assert app.delays == [expected]
            failed = of(seen, OrderPoller.Failed)
            assert len(failed) == 1 and not failed[0].stopped and not book.get(order_id).final
