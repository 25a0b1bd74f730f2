"""The sync's details and the server's limit: the list's pages count against the same limit, so the pace
the details learn at their first 429 must count them (core/sync.py, _Sync.limiter)."""

from __future__ import annotations

import asyncio

import pytest

import actui.core.sync as sync_module
from actui.core.local_copy import open_local_copy
from actui.core.rate import AdaptiveRate
from actui.core.sync import sync
from tests.core.rate_sim import Sliding, run_virtual, simulate


@pytest.fixture
def copy(store):
    return open_local_copy(store, "sandbox")


async def test_every_list_page_counts_in_the_details_pace_before_the_first_detail(sandbox, client, copy,
                                                                                  monkeypatch):
    limiters: list[AdaptiveRate] = []
    events: list[str] = []

    class Recording(AdaptiveRate):
        def __init__(self, **options):
            super().__init__(**options)
            limiters.append(self)

        def succeeded(self, sent_at=None):
            events.append("got through")
            super().succeeded(sent_at)

        async def acquire(self):
            events.append("detail")
            return await super().acquire()

    monkeypatch.setattr(sync_module, "AdaptiveRate", Recording)
    result = await sync(client, copy, details=True, page_size=10)

    assert result.details_read == 120
    assert len(limiters) == 1                  # the list and the details share one pace
    first_detail = events.index("detail")
    # 120 numbers, 10 a page (and the list may ask once more to be sure it ended)
    assert set(events[:first_detail]) == {"got through"} and first_detail >= 12, events[:first_detail]


def _first_ceiling(*, list_pages_counted: bool) -> float | None:
    """A sliding window of 200/s; 20 list pages in its last second, then details until the first 429."""
    async def scenario(loop):
        server = Sliding(200)
        rate = AdaptiveRate(clock=loop.time)
        for _ in range(20):
            await asyncio.sleep(0.005)
            assert server.admit(loop.time()) is None
            if list_pages_counted:
                rate.succeeded()
        await simulate(loop, server, requests=400, rate=rate)
        return rate

    return run_virtual(scenario).ceiling


def test_with_the_list_pages_counted_the_first_429_measures_the_whole_limit():
    assert 199 <= _first_ceiling(list_pages_counted=True) <= 201
    # what the sync did before: the limit less the list's pages (paced ~10% under it until a probe)
    assert _first_ceiling(list_pages_counted=False) <= 181
