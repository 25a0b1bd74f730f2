"""100,000 numbers: seeded, paged through to the end, the last one readable. How long it takes is measured
by benchmarks/sandbox_timings.py, not asserted here (wall-clock limits fail on a loaded machine)."""

from __future__ import annotations

import httpx

from actui.sandbox import SandboxServer


def test_seed_and_page_through_100k(tmp_path):
    with SandboxServer(tmp_path / "big.sqlite3", numbers=100_000) as s:
        with httpx.Client(base_url=s.base_url, auth=(s.user, s.password)) as c:
            c.get("/phone-numbers/active", params={"limit": 1})
            for page, limit in ((1, 100), (1000, 100), (1, 1000), (100, 1000)):
                body = c.get("/phone-numbers/active", params={"page": page, "limit": limit}).json()
                assert len(body["phoneNumbers"]) == limit and body["total"] == 100_000
            assert body["hasMore"] is False
            last = body["phoneNumbers"][-1]["phoneNumber"]
            assert c.get(f"/phone-numbers/{last}").status_code == 200
        assert s.state.numbers()[-1] == last
