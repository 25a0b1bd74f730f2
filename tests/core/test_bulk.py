"""The bulk engine against the sandbox on loopback: plans, faults, 429s, cancel, resume, retry, undo, orders."""

from __future__ import annotations

import asyncio

import pytest

from actui.api.client import ApiClient
from actui.api.errors import AuthenticationError, InvalidInput
from actui.core.bulk import BulkEngine, PlannedItem, plan_update
from actui.core.journal import FieldChange, Journal, JournalError, changes_between
from actui.core.patch import get_path
from actui.core.rate import AdaptiveRate
from tests.helpers import TENANT, client_for, fast_retry

OPT_OUT = {"settings": {"optOut": {"enabled": True, "text": "HALT"}}, "billingPlanName": "500"}


@pytest.fixture
def journal(store):
    return Journal(store, "sandbox", "sandbox")


def make_client(server, **options) -> ApiClient:
    options.setdefault("retry", fast_retry())
    return client_for(server, options.pop("password", None), timeout=10, **options)


def holds(doc: dict, requested: dict) -> bool:
    return all(get_path(doc, path) == value for path, value in leaves_of(requested))


def leaves_of(requested: dict):
    from actui.core.patch import leaves

    return list(leaves(requested))


async def test_plan_keeps_only_what_differs_and_skips_numbers_already_as_asked(sandbox, client, journal):
    numbers = sandbox.state.numbers()[:20]
    await client.update_number(numbers[0], OPT_OUT)  # already as asked
    await client.update_number(numbers[1], {"billingPlanName": "500"})  # half as asked
    sandbox.state.put_counts.clear()
    calls = []
    plan = await plan_update(client, numbers, OPT_OUT, on_progress=lambda done, total: calls.append((done, total)))
    assert plan.unchanged == [numbers[0]] and plan.unreadable == {}
    assert [i.number for i in plan.items] == numbers[1:]
    second = plan.items[0]
    assert "billingPlanName" not in second.patch and second.patch["settings"]["optOut"]["text"] == "HALT"
    assert "settings.optOut.text" in {c.path for c in second.changes}
    docs = [sandbox.state.detail(n) for n in numbers[1:]]
    assert plan.field_counts()["billingPlanName"] == sum(d["billingPlanName"] != "500" for d in docs)
    assert plan.field_counts()["settings.optOut.text"] == 19
    assert calls[-1] == (20, 20)
    result = await BulkEngine(client, journal).apply(plan)
    assert result.counts() == {"changed": 19, "unchanged": 1}
    assert numbers[0] not in sandbox.state.put_counts  # never sent
    assert all(sandbox.state.put_counts[n] == 1 for n in numbers[1:])
    for number in numbers:
        assert holds(sandbox.state.detail(number), OPT_OUT)
    assert result.run.counts == {"changed": 19, "unchanged": 1} and result.run.state == "done"


async def test_invalid_input_is_refused_before_any_request(sandbox, client):
    numbers = sandbox.state.numbers()[:5]
    before = sandbox.faults.stats.requests
    with pytest.raises(InvalidInput, match=r"settings\.optOut\.periodicCron"):
        await plan_update(client, numbers, {"settings": {"optOut": {"periodicCron": "0 0 1 *"}}})
    with pytest.raises(InvalidInput, match="owner"):
        await plan_update(client, numbers, {"owner": "someone"})
    with pytest.raises(InvalidInput, match="empty"):
        await plan_update(client, numbers, {})
    assert sandbox.faults.stats.requests == before


async def test_a_thousand_numbers_through_faults_end_as_the_journal_says(sandbox_factory, journal):
    server = sandbox_factory(numbers=1000, faults="error_every=5,drop_every=7,rate_limit=400")
    numbers = server.state.numbers()
    requested = {"settings": {"autoResponse": {"enabled": True, "message": "Back soon"}}, "description": "bulk"}
    # a third of all requests fail (every 5th, every 7th): 8 retries make a number that fails them all rare
    async with make_client(server, retry=fast_retry(8)) as api:
        engine = BulkEngine(api, journal, concurrency=8)
        plan = await engine.plan(numbers, requested)
        assert len(plan.items) + len(plan.unchanged) + len(plan.unreadable) == 1000
        result = await engine.apply(plan)
    stats = server.faults.stats
    # the faults did happen; 429s come only on a machine faster than 400 requests a second (whether they
    # do is load, not behaviour: test_429s_slow_the_engine_down_to_the_servers_rate makes sure of them)
    assert stats.errors > 50 and stats.dropped > 50
    server.faults.clear()
    by_state = {o.number: o.state for o in result.outcomes}
    assert set(by_state) == set(numbers) and set(by_state.values()) <= {"changed", "unchanged", "failed"}
    assert result.run.state == "done" and result.run.open == 0
    journaled = {i.number: i.state for i in journal.items(result.run.id)}
    assert journaled == by_state
    async with make_client(server) as api:
        docs = await asyncio.gather(*(api.get_number(n) for n in numbers))
    for number, doc in zip(numbers, docs, strict=True):
        if by_state[number] in ("changed", "unchanged"):
            assert holds(doc.to_wire(), requested), number
    failed = [o for o in result.outcomes if o.state == "failed"]
    assert all(o.error for o in failed)
    assert len(failed) <= 5  # with four retries each, failures are rare


async def test_429s_slow_the_engine_down_to_the_servers_rate(sandbox_factory, journal):
    server = sandbox_factory(numbers=100)
    numbers = server.state.numbers()
    pauses = []

    async def sleep(seconds):
        pauses.append(seconds)
        await asyncio.sleep(seconds)

    limiter = AdaptiveRate(sleep=sleep)
    async with make_client(server) as api:
        engine = BulkEngine(api, journal, concurrency=8, limiter=limiter)
        plan = await engine.plan(numbers, {"description": "paced"})
        # a full bucket (20) now, then 20 a second: slower than loopback on any machine, so 429s come
        server.faults.rate_limit = 20
        requests_before = server.faults.stats.requests
        result = await engine.apply(plan)
    stats = server.faults.stats
    assert result.counts() == {"changed": 100}
    assert stats.rate_limited > 0 and limiter.rate is not None   # it was throttled, and slowed down
    # every 429 reached the rate (the client's own retry leaves 429s alone: no Retry-After waited out
    # twice) and was sent again exactly once
    assert limiter.throttled_count == stats.rate_limited
    assert stats.requests - requests_before == 100 + stats.rate_limited
    assert all(server.state.put_counts[n] == 1 for n in numbers)
    # no wait longer than the server asked for (Retry-After: 1 s here), and few 429s: it paced itself
    assert pauses and max(pauses) <= 1.0 + 1e-6
    assert stats.rate_limited < 40


async def test_adaptive_rate_paces_under_the_ceiling_without_pausing_every_worker():
    now = [0.0]
    slept = []

    async def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    rate = AdaptiveRate(clock=lambda: now[0], sleep=sleep)
    assert await rate.acquire() == 0.0 and rate.rate is None
    for _ in range(50):
        rate.succeeded()
    now[0] = 0.5
    assert rate.throttled(0.4, 1.0) == 1.0   # the refused request waits out its Retry-After...
    assert rate.rate == pytest.approx(49.0) and rate.paused_until == 0.0   # ...the others go on, paced
    rate.throttled(0.45, 1.0)  # sent before the adjustment: the same episode
    assert rate.rate == pytest.approx(49.0)
    starts = [await rate.acquire() for _ in range(6)]
    assert starts[:3] == [0.5] * 3                             # a little slack for late wake-ups
    assert starts[5] - starts[2] == pytest.approx(3 / 49)      # then paced


async def test_progress_is_throttled_and_ends_with_a_final_call(sandbox, client, journal):
    from actui.core.bulk_progress import PROGRESS_INTERVAL

    numbers = sandbox.state.numbers()[:60]
    clock = SteppingClock(step=0.001)   # moves on a little at every reading: a run of known length
    engine = BulkEngine(client, journal, clock=clock)
    plan = await engine.plan(numbers, {"description": "progress"})
    calls = []
    started = clock.now
    await engine.apply(plan, on_progress=calls.append)
    span = clock.now - started
    assert 2 <= len(calls) <= span / PROGRESS_INTERVAL + 2   # at most one per interval, plus the final one
    assert len(calls) < 60
    last = calls[-1]
    assert (last.total, last.done, last.changed, last.failed, last.in_flight, last.remaining) == (60, 60, 60, 0, 0, 0)
    assert last.eta == 0.0 and last.rate > 0


class SteppingClock:
    def __init__(self, step: float):
        self.now, self.step = 1000.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


async def test_cancel_lets_in_flight_requests_finish_and_leaves_nothing_open(sandbox_factory, journal):
    server = sandbox_factory(numbers=80, faults="latency=30ms")
    numbers = server.state.numbers()
    cancel = asyncio.Event()

    def progress(p):
        if p.done >= 10:
            cancel.set()

    async with make_client(server) as api:
        engine = BulkEngine(api, journal, concurrency=4)
        plan = await engine.plan(numbers, {"description": "cancelled"})
        result = await engine.apply(plan, on_progress=progress, cancel=cancel)
    counts = result.counts()
    assert result.cancelled and result.run.state == "cancelled"
    assert set(counts) == {"changed", "cancelled"} and 10 <= counts["changed"] <= 20
    assert result.run.open == 0 and journal.resumable() == []
    for outcome in result.outcomes:
        sent = server.state.put_counts[outcome.number]
        if outcome.state == "changed":  # in flight when cancelled: finished and recorded
            assert sent == 1 and server.state.detail(outcome.number)["description"] == "cancelled"
        else:
            assert sent == 0 and server.state.detail(outcome.number)["description"] != "cancelled"


async def test_resume_reads_back_items_caught_sending_and_writes_no_number_twice(sandbox, client, journal, store):
    numbers = sandbox.state.numbers()[:12]
    plan = await plan_update(client, numbers, {"description": "resumed"})
    run = journal.begin("bulk", plan.items, "crashed run")
    # the crash: 0-3 changed and recorded; 4-5 sent and applied but not recorded; 6-7 marked sending, never
    # arrived; the rest pending
    for number in numbers[:6]:
        await client.update_number(number, {"description": "resumed"})
    for number in numbers[:4]:
        journal.finish_item(run.id, number, "changed")
    for number in numbers[4:8]:
        journal.sending(run.id, number)
    journal.release(run.id)  # as if this process had died
    assert [r.id for r in journal.resumable()] == [run.id]
    result = await BulkEngine(client, journal).resume(run.id)
    assert result.counts() == {"changed": 12} and result.run.state == "done"
    assert all(sandbox.state.put_counts[n] == 1 for n in numbers)
    assert all(sandbox.state.detail(n)["description"] == "resumed" for n in numbers)
    assert journal.resumable() == []
    with pytest.raises(JournalError, match="nothing to resume"):
        await BulkEngine(client, journal).resume(run.id)


async def test_an_authentication_failure_stops_the_run_and_leaves_it_resumable(sandbox, client, journal):
    numbers = sandbox.state.numbers()[:10]
    plan = await plan_update(client, numbers, {"description": "after login"})
    async with make_client(sandbox, password="wrong") as wrong:
        with pytest.raises(AuthenticationError):
            await BulkEngine(wrong, journal).apply(plan)
        with pytest.raises(AuthenticationError):
            await plan_update(wrong, numbers, {"description": "x"})
    (run,) = journal.resumable()
    assert run.counts == {"pending": 10} and not sandbox.state.put_counts
    result = await BulkEngine(client, journal).resume(run.id)
    assert result.counts() == {"changed": 10}


async def test_retry_failed_runs_only_the_failures_again(sandbox, client, journal):
    numbers = sandbox.state.numbers()[:10]
    late = {"settings": {"outOfOffice": {"startDate": "2031-01-01T00:00:00Z", "endDate": "2032-01-01T00:00:00Z"}}}
    for number in numbers[:3]:  # an end date before these start dates is refused by the server
        await client.update_number(number, late)
    requested = {"settings": {"outOfOffice": {"endDate": "2030-06-01T00:00:00Z"}}}
    engine = BulkEngine(client, journal)
    first = await engine.apply(await engine.plan(numbers, requested))
    assert first.counts() == {"changed": 7, "failed": 3}
    assert {o.number for o in first.failed} == set(numbers[:3])
    assert all("endDate" in o.error and "400" in o.error for o in first.failed)
    for number in numbers[:3]:
        await client.update_number(number, {"settings": {"outOfOffice": {"startDate": "2030-01-01T00:00:00Z"}}})
    sandbox.state.put_counts.clear()
    again = await engine.retry_failed(first.run.id)
    assert again.run.id != first.run.id and again.run.kind == "bulk"
    assert again.counts() == {"changed": 3} and set(sandbox.state.put_counts) == set(numbers[:3])
    with pytest.raises(JournalError, match="no failed numbers"):
        await engine.retry_failed(again.run.id)


async def test_undo_restores_old_values_and_reports_conflicts(sandbox, client, journal):
    numbers = sandbox.state.numbers()[:6]
    before = {n: sandbox.state.detail(n) for n in numbers}
    engine = BulkEngine(client, journal)
    done = await engine.apply(await engine.plan(numbers, OPT_OUT))
    assert done.counts() == {"changed": 6}
    # behind actui's back: one number's plan changed, another's optOut text
    plan = next(p for p in ("Pooled", "2000", "1000") if p != before[numbers[0]]["billingPlanName"])
    await client.update_number(numbers[0], {"billingPlanName": plan})
    await client.update_number(numbers[1], {"settings": {"optOut": {"text": "QUIT"}}})
    undone = await engine.undo(done.run.id)
    assert undone.run.kind == "undo" and undone.run.undoes == done.run.id
    assert undone.counts() == {"changed": 4, "conflict": 2}
    conflicts = {o.number: o for o in undone.conflicts}
    assert set(conflicts) == set(numbers[:2])
    assert 'billingPlanName: expected "500"' in conflicts[numbers[0]].error
    assert f'found "{plan}"' in conflicts[numbers[0]].error
    after = {n: sandbox.state.detail(n) for n in numbers}
    assert after[numbers[0]]["billingPlanName"] == plan  # left alone
    assert after[numbers[0]]["settings"]["optOut"].get("text") == before[numbers[0]]["settings"]["optOut"].get("text")
    assert after[numbers[1]]["settings"]["optOut"]["text"] == "QUIT"
    assert after[numbers[1]]["billingPlanName"] == before[numbers[1]]["billingPlanName"]
    for number in numbers[2:]:
        for path in ("billingPlanName", "settings.optOut.enabled", "settings.optOut.text"):
            assert get_path(after[number], path) == get_path(before[number], path), (number, path)


async def test_undo_of_a_single_edit_and_of_some_numbers_only(sandbox, client, journal):
    number, other = sandbox.state.numbers()[:2]
    old = (await client.get_number(number)).to_wire()
    await client.update_number(number, {"description": "edited"})
    edit = journal.record_edit(number, old, {"description": "edited"}, "changed")
    engine = BulkEngine(client, journal)
    result = await engine.undo(edit.id)
    assert result.counts() == {"changed": 1}
    assert sandbox.state.detail(number)["description"] == old["description"]
    other_was = sandbox.state.detail(other)["description"]
    bulk = await engine.apply(await engine.plan([number, other], {"description": "both"}))
    plan = await engine.plan_undo(bulk.run.id, [other])
    assert [i.number for i in plan.items] == [other]
    assert plan.items[0].changes == (FieldChange("description", "both", other_was),)
    with pytest.raises(JournalError, match="changed no"):
        await engine.plan_undo(bulk.run.id, ["+14155550199"])


async def test_orders_are_never_retried_a_dropped_post_leaves_its_numbers_unknown(sandbox, client, journal):
    numbers = ["+14155550201", "+14155550202", "+14155550203"]

    def provision(batch):
        return client.provision({"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
            {"number": n, "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}} for n in batch]})

    engine = BulkEngine(client, journal)
    sandbox.faults.drop_every = 1
    sandbox.faults.reset_stats()
    result = await engine.order("provision", numbers, provision, batch_size=2)
    assert sandbox.faults.stats.requests == 2  # one POST per batch, neither sent again
    assert result.counts() == {"unknown": 3} and len(result.failed) == 3
    assert all("actui orders show" in o.error and "order tracker" in o.error for o in result.outcomes)
    assert sandbox.state.order(12345) is not None and sandbox.state.order(12346) is not None  # they exist
    assert journal.resumable() == []
    sandbox.faults.clear()
    placed = await engine.order("unprovision", numbers[:1] + sandbox.state.numbers()[:2],
                                lambda batch: client.unprovision(TENANT, batch))
    assert placed.counts() == {"failed": 3}  # +14155550201 is not in the inventory yet: the server refuses
    good = await engine.order("unprovision", sandbox.state.numbers()[:2], lambda b: client.unprovision(TENANT, b))
    assert good.counts() == {"ordered": 2} and [a.order_id for a in good.orders] == [12347]
    assert good.outcomes[0].changes == (FieldChange("action", None, "Unprovision"), FieldChange("orderId", None, 12347))


async def test_resuming_an_order_run_never_sends_what_was_being_sent(sandbox, client, journal):
    numbers = sandbox.state.numbers()[:4]
    items = [PlannedItem(n, {"number": n}, (FieldChange("action", None, "Unprovision"),)) for n in numbers]
    run = journal.begin("unprovision", items)
    journal.sending_many(run.id, numbers[:2])  # killed mid-POST
    journal.release(run.id)
    engine = BulkEngine(client, journal)
    with pytest.raises(JournalError, match="needs the order's details"):
        await engine.resume(run.id)
    sent = []

    async def unprovision(batch):
        sent.append(list(batch))
        return await client.unprovision(TENANT, batch)

    result = await engine.resume(run.id, make_request=unprovision)
    assert sent == [numbers[2:]]
    states = {o.number: o.state for o in result.outcomes}
    assert states == {numbers[0]: "unknown", numbers[1]: "unknown", numbers[2]: "ordered", numbers[3]: "ordered"}


def test_planned_item_changes_come_from_the_old_document():
    doc = {"settings": {"optOut": {"text": "STOP"}}}
    patch = {"settings": {"optOut": {"text": "HALT"}}}
    assert PlannedItem("+14155550101", patch, changes_between(doc, patch)).changes == (
        FieldChange("settings.optOut.text", "STOP", "HALT"),)


async def test_a_403_fails_that_number_and_the_run_goes_on(sandbox, scripted_proxy, journal):
    from tests.scripted_proxy import number_path

    proxy = scripted_proxy(sandbox)
    numbers = sandbox.state.numbers()[:6]
    forbidden = numbers[2]
    proxy.script("PUT", number_path(forbidden), 403, json={"message": "Forbidden: not your tenant"})
    async with make_client(proxy) as api:
        engine = BulkEngine(api, journal, concurrency=2)
        plan = await engine.plan(numbers, {"description": "all but one"})
        result = await engine.apply(plan)
    by_state = {o.number: o.state for o in result.outcomes}
    assert by_state == {n: "failed" if n == forbidden else "changed" for n in numbers}
    assert result.run.state == "done" and result.run.open == 0
    (failed,) = [o for o in result.outcomes if o.state == "failed"]
    assert "403" in failed.error or "not allowed" in failed.error.lower()
    assert len(proxy.answered(403)) == 1                      # an answer, not a fault: not retried
    assert sandbox.state.detail(forbidden)["description"] != "all but one"
    assert all(sandbox.state.detail(n)["description"] == "all but one" for n in numbers if n != forbidden)
    assert {i.number: i.state for i in journal.items(result.run.id)} == by_state
