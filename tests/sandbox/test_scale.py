"""100,000 numbers: seeding takes seconds, a page stays cheap."""

from __future__ import annotations

import time

import httpx

from actui.sandbox import SandboxServer


def test_seed_and_page_through_100k(tmp_path):
    started = time.perf_counter()
    with SandboxServer(tmp_path / "big.sqlite3", numbers=100_000) as s:
        seeded = time.perf_counter() - started
        with httpx.Client(base_url=s.base_url, auth=(s.user, s.password)) as c:
            c.get("/phone-numbers/active", params={"limit": 1})
            timings = {}
            for page, limit in ((1, 100), (1000, 100), (1, 1000), (100, 1000)):
                started = time.perf_counter()
                body = c.get("/phone-numbers/active", params={"page": page, "limit": limit}).json()
                timings[page, limit] = time.perf_counter() - started
                assert len(body["phoneNumbers"]) == limit and body["total"] == 100_000
            assert body["hasMore"] is False
            last = body["phoneNumbers"][-1]["phoneNumber"]
            assert c.get(f"/phone-numbers/{last}").status_code == 200
        assert s.state.numbers()[-1] == last
    print(f"\nseed 100k: {seeded:.2f} s; pages: " +
          ", ".join(f"page {p} x{l}: {t * 1000:.1f} ms" for (p, l), t in timings.items()))
    assert seeded < 15
    assert max(timings.values()) < 0.5
