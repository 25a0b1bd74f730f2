"""Fault injection, as a client sees it: 503s, 429 with Retry-After, dropped connections, latency."""

from __future__ import annotations

import time

import httpx
import pytest

from actui.sandbox import Faults, FaultSpecError
from tests.helpers import until

from .helpers import order_body, provision_entry


def statuses(client: httpx.Client, n: int, url: str = "/phone-numbers/active?limit=1") -> list[int]:
    return [client.get(url).status_code for _ in range(n)]


def test_parse_the_cli_spec():
    f = Faults.parse("latency=50ms,error_rate=0.1,error_every=5,rate_limit=20,drop_rate=0.05,drop_every=7,seed=3")
    assert (f.latency_ms, f.error_rate, f.error_every, f.rate_limit, f.drop_rate, f.drop_every, f.seed) == \
        (50, 0.1, 5, 20, 0.05, 7, 3)
    assert Faults.parse(str(f)) == f
    assert Faults.parse("latency=0.2s,error_rate=10%,rate_limit=5/s").latency_ms == 200
    assert not Faults.parse("").active and not Faults.parse("none").active


@pytest.mark.parametrize("spec, words", [
    ("latency", "key=value"), ("lag=5", "unknown fault 'lag'"), ("latency=fast", "not a duration"),
    ("error_rate=2", "between 0 and 1"), ("error_every=-1", "whole number"), ("rate_limit=x", "per second"),
    ("seed=abc", "integer"), ("drop_every=2,drop_every=3", "twice"),
])
def test_bad_specs_say_what_is_wrong(spec, words):
    with pytest.raises(FaultSpecError, match=words):
        Faults.parse(spec)


def test_503_every_nth_request(client, server):
    server.faults.error_every = 3
    got = statuses(client, 9)
    assert got == [200, 200, 503] * 3
    assert server.faults.stats.errors == 3
    r = client.get("/phone-numbers/active")  # the 10th, fine; the 12th fails
    r = client.get("/phone-numbers/active")
    r = client.get("/phone-numbers/active")
    assert r.status_code == 503 and r.json()["status"] == 503 and r.json()["message"]


def test_error_rate_is_random_but_repeatable(tmp_path):
    from actui.sandbox import SandboxServer

    runs = []
    for _ in range(2):
        with SandboxServer(tmp_path / "db.sqlite3", numbers=5, faults="error_rate=0.5,seed=11") as s:
            with httpx.Client(base_url=s.base_url, auth=(s.user, s.password)) as c:
                runs.append(statuses(c, 20))
    assert runs[0] == runs[1] and 3 < runs[0].count(503) < 17


def test_503s_leave_the_inventory_alone(client, server):
    server.faults.error_every = 1
    r = client.post("/phone-numbers/provision", json=order_body("Provision", provision_entry("+14155557001")))
    assert r.status_code == 503
    server.faults.clear()
    assert server.state.order(12345) is None


def test_429_beyond_the_rate_limit_with_retry_after(client, server):
    server.faults.rate_limit = 5
    got = statuses(client, 12)
    assert got[:5] == [200] * 5 and 429 in got[5:]
    limited = client.get("/phone-numbers/active?limit=1")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["status"] == 429
    assert server.faults.stats.rate_limited >= 2
    time.sleep(1.0)  # a second refills the bucket
    assert client.get("/phone-numbers/active?limit=1").status_code == 200


def test_dropped_connection_is_a_transport_error(client, server):
    server.faults.drop_every = 2
    assert client.get("/phone-numbers/active").status_code == 200
    with pytest.raises(httpx.TransportError) as caught:
        client.get("/phone-numbers/active")
    assert isinstance(caught.value, (httpx.RemoteProtocolError, httpx.ReadError))
    assert server.faults.stats.dropped == 1
    assert client.get("/phone-numbers/active").status_code == 200  # a new connection works


def test_a_dropped_post_may_still_have_placed_its_order(client, server):
    server.faults.drop_every = 1
    with pytest.raises(httpx.TransportError):
        client.post("/phone-numbers/provision", json=order_body("Provision", provision_entry("+14155557001")))
    assert server.state.order(12345)["status"] == "Pending"


async def test_latency_is_added_and_concurrent_requests_overlap(server):
    import asyncio

    async with httpx.AsyncClient(base_url=server.base_url, auth=(server.user, server.password)) as c:
        await c.get("/phone-numbers/active?limit=1")  # connect first
        started = time.perf_counter()
        await c.get("/phone-numbers/active?limit=1")
        fast = time.perf_counter() - started
        server.faults.latency_ms = 150
        started = time.perf_counter()
        await c.get("/phone-numbers/active?limit=1")
        slow = time.perf_counter() - started
        # overlap, told by events not by time: all four are in their delay at once, none answered yet
        server.faults.latency_ms = 1000
        answered = []
        c.event_hooks = {"response": [lambda response: _note(answered, response)]}
        requests = [asyncio.ensure_future(c.get("/phone-numbers/active?limit=1")) for _ in range(4)]
        await until(None, lambda: server.faults.stats.delayed >= 5, timeout=10, step=0.01)
        assert answered == []
        results = await asyncio.gather(*requests)
    assert slow >= 0.15 and slow > fast
    assert all(r.status_code == 200 for r in results)
    assert server.faults.stats.delayed == 5


async def _note(events: list, what) -> None:
    events.append(what)


def test_faults_apply_to_the_api_only(server):
    server.faults.error_every = 1
    r = httpx.get(server.url + "/elsewhere")
    assert r.status_code == 404
    assert server.faults.stats.requests == 0
