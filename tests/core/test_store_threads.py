"""The store's connection is shared with threads (the TUI reads the local copy off its UI thread): closing
it waits for a query another thread is running, instead of pulling the connection from under it (which
crashed the process)."""

import threading
import time

from actui.core.store import Store

COUNT = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c"


def test_closing_waits_for_a_query_running_in_another_thread(tmp_path):
    store = Store(tmp_path / "state.sqlite3")
    counted: list[int] = []
    reader = threading.Thread(target=lambda: counted.append(store.query(COUNT)[0][0]))
    reader.start()
    deadline = time.monotonic() + 10
    while not store._lock.locked():   # the query holds the store's lock while it runs
        assert time.monotonic() < deadline and reader.is_alive(), "the query never started"
        time.sleep(0.001)
    store.close()
    reader.join(10)
    assert counted == [2_000_000]
