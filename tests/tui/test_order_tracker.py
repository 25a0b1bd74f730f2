"""The order poller and the order tracker pane, against the real sandbox over loopback.

A small App owns the poller (as actui's App does) and composes the tracker; orders are placed with the
real client, tracked in a real Store in tmp_path, and polled through real timers and workers.
"""

from __future__ import annotations

import sys

import pytest
from textual.app import ComposeResult
from textual.message import Message
from textual.notifications import Notify

from actui.core.orders import OrderBook, TrackedOrder, poll_delay
from actui.core.store import Store
from actui.tui.order_poller import GROUP, OrderPoller
from actui.tui.widgets.order_tracker import EMPTY, OrderTracker
from tests.helpers import client_for, fast_retry, until
from tests.tui.harness import HarnessApp
from tests.tui.order_pilot import FAILING, FakeClock, Spy, TrackerApp, of, place, screen_lines


async def test_tracked_order_is_polled_to_completed_and_shown(client, book):
    spy = Spy(client)
    app = TrackerApp(book, spy)
    seen: list[Message] = []
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        assert screen_lines(app.tracker)[0].strip() == EMPTY
        assert not app.poller.polling and app.poller.next_delay is None  # nothing pending: idle

        order_id = await place(client, "+14155557001")
        app.track(order_id)
        await until(pilot, lambda: book.get(order_id).final, what="the order to complete")
        await pilot.pause()

        updates = of(seen, OrderPoller.Updated)
        assert updates and all(order_id in [t.order_id for t in u.changed] for u in updates)
        assert [t.order_id for t in updates[-1].finished] == [order_id]
        assert [t.order_id for u in updates[:-1] for t in u.finished] == []
        tracker = app.tracker
        assert tracker.tracked(order_id).status == "Completed"
        row = tracker.row_text(order_id)
        assert row.split()[1:6] == [order_id, "Provision", "P2P", "Completed", "1/0/1"]
        assert any(line.startswith("▸ " + order_id) and "Completed" in line for line in screen_lines(tracker))
        assert len(row) <= tracker.scrollable_content_region.width <= 80
        # finished: the poller stops re-arming until poked
        assert app.poller.running and app.poller.next_delay is None and not app.poller.polling
        calls = len(spy.calls)
        await pilot.pause(0.7)
        assert len(spy.calls) == calls
        assert not of(seen, OrderPoller.Failed)


async def test_partial_order_shows_the_failed_numbers_error_when_expanded(client, book):
    app = TrackerApp(book, client)
    async with app.run_test(size=(80, 24)) as pilot:
        order_id = await place(client, "+14155557002", FAILING)
        app.track(order_id)
        await until(pilot, lambda: (app.tracker.tracked(order_id).status or "") == "PartiallyCompleted",
                    what="PartiallyCompleted")
        tracker = app.tracker
        assert "1/1/2" in tracker.row_text(order_id)
        assert not tracker.is_expanded(order_id)

        tracker.focus()
        await pilot.press("enter")
        assert tracker.is_expanded(order_id)
        screen = "\n".join(screen_lines(tracker))
        assert "+14155557002     Completed" in screen
        assert f"{FAILING}     Failed" in screen
        flat = " ".join(screen.split())
        assert "Number not available from the carrier (sandbox: numbers ending 0100-0199 always fail)" in flat
        assert max(len(line) for line in screen_lines(tracker)) <= 80

        await pilot.press("left")
        assert not tracker.is_expanded(order_id)
        assert FAILING not in "\n".join(screen_lines(tracker))
        await pilot.press("right")
        assert tracker.is_expanded(order_id)
        await pilot.press("space")
        assert not tracker.is_expanded(order_id)


async def test_polls_that_change_nothing_post_nothing_and_write_nothing(sandbox_factory, book):
    sandbox = sandbox_factory(a2p_seconds=120)  # Pending for 24 s: every poll answers the same
    async with client_for(sandbox, retry=fast_retry()) as client:
        spy = Spy(client)
        app = TrackerApp(book, spy, real_terminal=True)  # render as in a terminal, to count the bytes
        seen: list[Message] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            order_id = await place(client, "+14155557003", cls="A2P")
            app.track(order_id, provision_class="A2P")
            await until(pilot, lambda: of(seen, OrderPoller.Updated), what="the first answer")
            assert app.tracker.tracked(order_id).status == "Pending"
            await pilot.pause(0.2)

            written: list[str] = []
            app._driver.write = written.append  # the one place every byte for the terminal goes
            drawn: list[int] = []
            render_line = app.tracker.render_line
            app.tracker.render_line = lambda y: drawn.append(y) or render_line(y)
            seen.clear()
            calls = len(spy.calls)
            await until(pilot, lambda: len(spy.calls) >= calls + 2, timeout=8, what="two more polls")
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)

            assert set(spy.calls) == {order_id}
            assert not of(seen, OrderPoller.Updated) and not of(seen, OrderPoller.Failed)
            assert drawn == [] and "".join(written) == ""
            assert app.poller.next_delay == pytest.approx(2.0, abs=0.6)  # young order: polled every ~2 s

            app.tracker.expand(order_id)  # a real change does reach the terminal
            await pilot.pause()
            assert drawn and len("".join(written)) > 0


@pytest.mark.parametrize("fault", ["503", "down"])
async def test_outage_posts_failed_once_keeps_the_order_pending_then_recovers(sandbox, client, book, fault):
    spy = Spy(client)
    app = TrackerApp(book, spy, outage_delay=0.3)
    seen: list[Message] = []
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        order_id = await place(client, "+14155557004")
        if fault == "503":
            sandbox.faults.error_every = 1
        else:
            sandbox.stop()
        app.track(order_id)
        await until(pilot, lambda: len(spy.calls) >= 3, what="three failing polls")
        await app.workers.wait_for_complete()

        failed = of(seen, OrderPoller.Failed)
        assert len(failed) == 1 and not failed[0].stopped
        assert app.poller.outage is not None and app.poller.running
        tracked = book.get(order_id)
        assert not tracked.final and tracked.status is None  # still pending, never answered
        assert app.tracker.tracked(order_id).status is None
        assert "pending" in app.tracker.row_text(order_id)
        assert app.poller.next_delay >= 1.0  # backing off: 0.5 s, 1 s, 2 s ...

        if fault == "503":
            sandbox.faults.clear()
        else:
            sandbox.start()
        await until(pilot, lambda: book.get(order_id).final, timeout=15, what="recovery")
        await pilot.pause()
        assert len(of(seen, OrderPoller.Failed)) == 1
        assert len(of(seen, OrderPoller.Recovered)) == 1
        assert app.poller.outage is None
        assert app.tracker.tracked(order_id).status == "Completed"


async def test_a_new_app_on_the_same_store_restores_orders_and_polls_the_pending_one(
        sandbox_factory, tmp_path):
    sandbox = sandbox_factory(a2p_seconds=4)
    path = tmp_path / "restart.sqlite3"
    async with client_for(sandbox, retry=fast_retry()) as client:
        p2p = await place(client, "+14155557005")
        a2p = await place(client, "+14155557006", cls="A2P")

        store = Store(path)
        first = TrackerApp(OrderBook(store, "sandbox"), client)
        async with first.run_test(size=(80, 24)) as pilot:
            first.track(p2p)
            first.track(a2p, provision_class="A2P")
            await until(pilot, lambda: first.book.get(p2p).final, what="the P2P order")
            assert not first.book.get(a2p).final
        store.close()

        store = Store(path)
        book = OrderBook(store, "sandbox")
        spy = Spy(client)
        second = TrackerApp(book, spy)
        seen: list[Message] = []
        async with second.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            tracker = second.tracker
            assert tracker.order_ids == [a2p, p2p]  # restored before any poll, newest first
            assert tracker.tracked(p2p).status == "Completed"
            assert not tracker.tracked(a2p).final and "pending" in tracker.row_text(a2p)
            await until(pilot, lambda: book.get(a2p).final, what="the A2P order")
            await pilot.pause()
            assert tracker.tracked(a2p).status == "Completed"
            assert set(spy.calls) == {a2p}  # the final one is never asked for again
            assert a2p in [t.order_id for m in of(seen, OrderPoller.Updated) for t in m.finished]
        store.close()


async def test_polls_never_overlap(sandbox, client, book):
    sandbox.faults.latency_ms = 120  # each answer takes a while: a careless poller would overlap
    spy = Spy(client)
    app = TrackerApp(book, spy)
    running_polls: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        ids = []
        for i in range(3):
            ids.append(await place(client, f"+1415555701{i}"))  # meanwhile the last poll is in flight
            app.track(ids[-1])    # pokes
            app.poller.start()    # already running: just a poke
            app.poller.poke()
            running_polls.append(sum(1 for w in app.workers if w.group == GROUP and w.is_running))

        def done() -> bool:
            running_polls.append(sum(1 for w in app.workers if w.group == GROUP and w.is_running))
            app.poller.poke()
            return all(book.get(i).final for i in ids)

        await until(pilot, done, timeout=15, what="all three orders")
    assert spy.max_in_flight == 1
    assert max(running_polls) == 1
    assert len(spy.calls) >= 4 and len(set(spy.calls)) == 3


async def test_stop_mid_poll_then_start_again_leaves_one_poll_in_charge(sandbox, client, book):
    sandbox.faults.latency_ms = 250
    spy = Spy(client)
    app = TrackerApp(book, spy)
    async with app.run_test(size=(80, 24)) as pilot:
        order_id = await place(client, "+14155557060")
        app.track(order_id)
        await until(pilot, lambda: spy.in_flight == 1, what="a poll in flight")
        app.poller.stop()
        assert not app.poller.running and not app.poller.polling
        app.poller.start()  # e.g. after a new password
        assert app.poller.running and app.poller.polling
        await pilot.pause(0.05)  # the cancelled poll winds down meanwhile ...
        assert app.poller.polling  # ... and leaves the new one's state alone
        await until(pilot, lambda: book.get(order_id).final, what="completion")
        await app.workers.wait_for_complete()
        assert spy.in_flight == 0 and not app.poller.polling and app.poller.next_delay is None


async def test_an_a2p_order_is_polled_less_often_as_it_ages(sandbox_factory, store):
    sandbox = sandbox_factory(a2p_seconds=3600)  # stays pending for the whole test
    clock = FakeClock()
    book = OrderBook(store, "sandbox", clock=clock)
    start = clock.now
    async with client_for(sandbox, retry=fast_retry()) as client:
        spy = Spy(client)
        app = TrackerApp(book, spy, clock=clock)
        async with app.run_test(size=(80, 24)) as pilot:
            order_id = await place(client, "+14155557020", cls="A2P")
            app.track(order_id, provision_class="A2P")
            await app.workers.wait_for_complete()
            assert spy.calls == [order_id]
            assert app.poller.next_delay == 2.0

            delays = []
            for age in (60, 150, 300, 1200):
                clock.now = start + age
                app.poller.poke()
                await app.workers.wait_for_complete()
                delays.append(app.poller.next_delay)
                assert min(60.0, poll_delay(age)) == delays[-1]
            assert delays == [4.0, 10.0, 60.0, 60.0]
            assert len(spy.calls) == 5

            # poked before it is due: the poll asks for nothing, and waits out the rest of the delay
            clock.now = start + 1230
            app.poller.poke()
            await app.workers.wait_for_complete()
            assert len(spy.calls) == 5 and app.poller.next_delay == 30.0

            await pilot.pause()
            assert "pending 20m" in app.tracker.row_text(order_id)  # ages come from app.clock


async def test_only_final_orders_can_be_untracked(sandbox_factory, book):
    sandbox = sandbox_factory(a2p_seconds=120)
    async with client_for(sandbox, retry=fast_retry()) as client:
        app = TrackerApp(book, client)
        seen: list[Message] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            done = await place(client, "+14155557030")
            pending = await place(client, "+14155557031", cls="A2P")
            app.track(done)
            app.track(pending, provision_class="A2P")
            await until(pilot, lambda: book.get(done).final, what="the P2P order")
            await pilot.pause()
            tracker = app.tracker
            tracker.focus()
            assert tracker.order_ids == [pending, done]

            await pilot.press("home", "x")
            assert tracker.cursor_order_id == pending
            assert not of(seen, OrderTracker.Untrack)
            assert pending in [t.order_id for t in book.all()]
            assert any("still pending" in n.notification.message for n in of(seen, Notify))

            await pilot.press("down", "delete")
            assert tracker.cursor_order_id == pending  # the cursor moved to the row left behind
            untracks = of(seen, OrderTracker.Untrack)
            assert [m.order_id for m in untracks] == [done] and untracks[0].control is tracker
            assert [t.order_id for t in book.all()] == [pending]
            assert tracker.order_ids == [pending]
            assert app.poller.running and app.poller.next_delay is not None  # still polling the A2P one


async def test_an_order_the_api_does_not_know_is_recorded_as_notfound_and_final(client, book):
    app = TrackerApp(book, client)
    seen: list[Message] = []
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        app.track("999999")
        await until(pilot, lambda: book.get("999999").final, what="NotFound")
        await pilot.pause()
        assert book.get("999999").status == "NotFound"
        assert "NotFound" in app.tracker.row_text("999999")
        assert [t.order_id for m in of(seen, OrderPoller.Updated) for t in m.finished] == ["999999"]
        assert app.poller.next_delay is None  # never asked again
        assert not of(seen, OrderPoller.Failed)


async def test_a_wrong_password_stops_the_poller_until_started_again(sandbox, client, book):
    wrong = client_for(sandbox, "not-the-password", retry=fast_retry())
    app = TrackerApp(book, wrong)
    seen: list[Message] = []
    try:
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            order_id = await place(client, "+14155557040")
            app.track(order_id)
            await until(pilot, lambda: of(seen, OrderPoller.Failed), what="Failed")
            failed = of(seen, OrderPoller.Failed)
            assert len(failed) == 1 and failed[0].stopped
            assert type(failed[0].error).__name__ == "AuthenticationError"
            assert not app.poller.running and app.poller.next_delay is None
            app.poller.poke()  # stopped: a poke does nothing
            assert not app.poller.polling

            app.poller.client = client  # the app asked for the password, then starts the poller again
            app.poller.start()
            await until(pilot, lambda: book.get(order_id).final, what="completion after start()")
    finally:
        await wrong.aclose()


class FakeTty:
    def __init__(self):
        self.tty = True

    def isatty(self) -> bool:
        return self.tty


async def test_the_poller_exits_the_app_when_the_terminal_is_gone(client, book, monkeypatch):
    app = TrackerApp(book, client, real_terminal=True)
    stdin, stdout = FakeTty(), FakeTty()
    monkeypatch.setattr(sys, "__stdin__", stdin)
    monkeypatch.setattr(sys, "__stdout__", stdout)
    exits: list[bool] = []
    real_exit = app.exit
    monkeypatch.setattr(app, "exit", lambda *a, **kw: exits.append(True) or real_exit(*a, **kw))
    async with app.run_test(size=(80, 24)) as pilot:
        order_id = await place(client, "+14155557050")
        app.track(order_id)
        await app.workers.wait_for_complete()
        assert not exits and app.poller.running  # a terminal: polling goes on

        stdin.tty = False  # the SSH session dropped
        app.poller.poke()  # (or the timer fires)
        await pilot.pause()
        assert exits == [True] and not app.poller.running


async def test_the_poller_never_exits_a_headless_app(client, book, monkeypatch):
    app = TrackerApp(book, client)
    stdin = FakeTty()
    monkeypatch.setattr(sys, "__stdin__", stdin)
    async with app.run_test(size=(80, 24)) as pilot:
        order_id = await place(client, "+14155557051")
        stdin.tty = False
        app.track(order_id)
        await until(pilot, lambda: book.get(order_id).final, what="completion")
        assert app.is_running and not app.poller.terminal_gone()


# --- drawing --------------------------------------------------------------------------------------


def tracked(order_id: str, status: str | None, *, submitted: float, final: bool | None = None,
            items: list[dict] | None = None, action: str = "Provision", cls: str = "P2P") -> TrackedOrder:
    from actui.api.order_models import Order

    order = None
    if items is not None:
        order = Order.model_validate({"orderId": order_id, "status": status, "action": action,
                                      "provisionClass": cls, "createDate": "2025-06-15T15:00:00Z",
                                      "phoneNumbers": items})
    if final is None:
        final = bool(order and order.is_final)
    return TrackedOrder(order_id, action, status, cls, submitted, submitted, final, order)


class StaticApp(HarnessApp):
    def __init__(self, orders: list[TrackedOrder], now: float):
        super().__init__()
        self.orders = orders
        self.clock = lambda: now

    def compose(self) -> ComposeResult:
        yield OrderTracker(id="orders")

    def on_mount(self) -> None:
        self.query_one(OrderTracker).refresh_orders(self.orders)


async def test_values_from_the_api_are_never_markup_and_columns_fit_80():
    now = 1_750_000_000.0
    orders = [
        tracked("12345", "[bold]Weird[/]", submitted=now - 7500,
                items=[{"number": "+14155557001", "status": "[/]", "errorMessage": "[red]boom[/red] x"}]),
        tracked("12346", "PartiallyCompleted", submitted=now - 180, final=True,
                items=[{"number": "+14155557002", "status": "Completed"},
                       {"number": FAILING, "status": "Failed", "errorMessage": "carrier said no"}]),
    ]
    app = StaticApp(orders, now)
    async with app.run_test(size=(80, 24)) as pilot:
        tracker = app.query_one(OrderTracker)
        assert tracker.order_ids == ["12346", "12345"]
        assert tracker.row_text("12345").split()[1:5] == ["12345", "Provision", "P2P", "[bold]Weird[/]"]
        assert tracker.row_text("12345").endswith("pending 2h 5m")
        assert tracker.row_text("12346").endswith("1/1/2 3m")
        tracker.expand("12345")
        await pilot.pause()
        assert "[red]boom[/red] x" in tracker.detail_text("12345")[0]
        assert "CREATED" not in screen_lines(tracker)[0]
        assert all(len(line) <= 80 for line in screen_lines(tracker))
        # colours: status words from their component classes, not from the text
        status = [s for s in tracker.render_line(2) if s.text.strip() == "[bold]Weird[/]"]
        assert status and status[0].style.color == tracker.get_component_rich_style(
            "order-tracker--muted").color

        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert "CREATED" in screen_lines(tracker)[0]
        assert "2025-06-15" in tracker.row_text("12346")


async def test_empty_state_and_ages_refresh_only_changed_lines(monkeypatch):
    now = [1_750_000_000.0]
    app = StaticApp([], 0)
    app.clock = lambda: now[0]
    async with app.run_test(size=(80, 24)) as pilot:
        tracker = app.query_one(OrderTracker)
        assert screen_lines(tracker)[0].strip() == EMPTY
        assert not tracker.ticking

        tracker.refresh_orders([tracked("1", "Pending", submitted=now[0] - 100),
                                tracked("2", "Completed", submitted=now[0] - 30, final=True)])
        await pilot.pause()
        assert tracker.ticking  # a pending order: ages tick
        assert tracker.row_text("1").endswith("pending 1m")
        refreshed: list = []
        real = tracker.refresh_lines
        monkeypatch.setattr(tracker, "refresh_lines", lambda *a: refreshed.append(a) or real(*a))
        now[0] += 25  # "2" (line 1): 30s -> 55s; "1" (line 2): 1m -> 2m
        tracker.refresh_ages()
        assert sorted(refreshed) == [(1, 1), (2, 1)]
        refreshed.clear()
        now[0] += 4  # "2": 59s; "1": still 2m
        tracker.refresh_ages()
        assert refreshed == [(1, 1)]
        refreshed.clear()
        now[0] += 30  # "2": 1m; "1": still 2m
        tracker.refresh_ages()
        assert refreshed == [(1, 1)]
        assert tracker.row_text("1").endswith("pending 2m") and tracker.row_text("2").endswith(" 1m")

        tracker.refresh_orders([tracked("2", "Completed", submitted=now[0] - 60, final=True)])
        await pilot.pause()
        assert not tracker.ticking  # nothing pending: no timer wake-ups


async def test_an_order_another_process_records_final_is_reported_finished(sandbox_factory, store):
    """`actui orders watch` in another terminal saw the order end and wrote it to the shared store: the
    TUI's poller, which no longer finds it pending, still says it finished and the tracker shows it."""
    from actui.api.order_models import Order

    sandbox = sandbox_factory(a2p_seconds=3600)   # pending for the whole test, as far as the server goes
    async with client_for(sandbox) as own:
        order_id = await place(own, "+14155557301", cls="A2P")
        book = OrderBook(store, "sandbox")
        app = TrackerApp(book, own)
        seen: list[Message] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            app.track(order_id, "Provision", "A2P")
            await until(pilot, lambda: app.poller.polls >= 1, what="a first poll")
            await app.workers.wait_for_complete()
            assert not book.get(order_id).final

            other = Store(store.path)   # the CLI's own connection to the same file
            OrderBook(other, "sandbox").record(Order(order_id=order_id, status="Completed"))
            other.close()
            app.poller.poke()           # the poller's next turn (its timer, in a real session)
            await until(pilot, lambda: [t.order_id for m in of(seen, OrderPoller.Updated) for t in m.finished],
                        what="the finished order reported")
            assert [t.order_id for m in of(seen, OrderPoller.Updated) for t in m.finished] == [order_id]
            await pilot.pause()
            assert app.tracker.tracked(order_id).status == "Completed"
