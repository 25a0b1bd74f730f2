"""The store's connection is shared with threads (the TUI reads the local copy off its UI thread): closing
it waits for a query another thread is running, instead of pulling the connection from under it (which
crashed the process)."""

import threading

from actui.core.store import Store
from tests.helpers import until_sync

COUNT = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c"


def test_closing_waits_for_a_query_running_in_another_thread(tmp_path):
    store = Store(tmp_path / "state.sqlite3")
    counted: list[int] = []
    reader = threading.Thread(target=lambda: counted.append(store.query(COUNT)[0][0]))
    reader.start()

    def query_running() -> bool:   # the query holds the store's lock while it runs
        assert reader.is_alive(), "the query ended before close"
        return store._lock.locked()

    until_sync(query_running, timeout=10, step=0.001, what="the query started")
    store.close()
    reader.join(10)
    assert counted == [2_000_000]
