"""The local store when its files are damaged or cannot be written: the journal is never lost, caches
rebuild themselves, reading works read-only, and every refusal names the file and the fix.

Tests run as root, where file modes stop no write: read-only here is SQLite's own (`mode=ro`), chosen
through the injected `writable` probe; tests/cli/test_store_errors.py runs the real thing as `nobody`.
"""

from __future__ import annotations

import sqlite3

import pytest

from actui.core.cache_store import CacheStore
from actui.core.drafts import Drafts
from actui.core.inventory import NumberRow
from actui.core.journal import Journal
from actui.core.list_cache import ListCache
from actui.core.store import Store, StoreDamagedError, StoreReadOnlyError, open_store
from actui.paths import LocalFileError
from tests.core.helpers import planned

GARBAGE = b"this is not SQLite at all \x00\xff" * 300
READ_ONLY = "its directory is read-only"


def store_with_a_run(path, count: int = 300) -> int:
    """A store whose journal holds one run of `count` numbers; the run's id."""
    store = Store(path)
    try:
        run = Journal(store, "acct").begin("bulk", planned(count), "a run to keep")
        return run.id
    finally:
        store.close()


def aside_files(directory, name: str) -> list:
    """The damaged files moved aside (their -wal and -shm companions left out)."""
    return sorted(p for p in directory.glob(f"{name}.damaged-*") if not p.name.endswith(("-wal", "-shm")))


# --- damaged files ---------------------------------------------------------------------------------


def test_garbage_store_is_moved_aside_with_its_bytes_and_a_new_one_started(tmp_path):
    path = tmp_path / "actui.sqlite3"
    path.write_bytes(GARBAGE)
    store = Store(path)
    try:
        [aside] = aside_files(tmp_path, "actui.sqlite3")
        assert aside.read_bytes() == GARBAGE                   # moved, never deleted or rewritten
        [notice] = store.take_notices()
        assert str(path) in notice.text and str(aside) in notice.text
        assert "journal" in notice.text and notice.severity == "warning"
        assert not store.read_only
        run = Journal(store, "acct").begin("edit", planned(1))   # the new store works
        assert Journal(store, "acct").run(run.id) is not None
        assert store.take_notices() == []                       # said once
    finally:
        store.close()


def test_truncated_store_is_moved_aside_where_the_notice_says(tmp_path):
    path = tmp_path / "actui.sqlite3"
    store_with_a_run(path)
    whole = path.read_bytes()
    assert len(whole) > 16 * 4096
    path.write_bytes(whole[: len(whole) // 2])
    store = Store(path)
    try:
        [aside] = aside_files(tmp_path, "actui.sqlite3")
        assert aside.read_bytes() == whole[: len(whole) // 2]
        assert str(aside) in store.take_notices()[0].text
        assert Journal(store, "acct").runs() == []
    finally:
        store.close()


def test_a_damaged_store_keeps_its_wal_beside_it_under_the_name_sqlite_looks_for(tmp_path):
    path = tmp_path / "actui.sqlite3"
    path.write_bytes(GARBAGE)
    (tmp_path / "actui.sqlite3-wal").write_bytes(b"wal frames")
    store = Store(path)
    store.close()
    [aside] = aside_files(tmp_path, "actui.sqlite3")
    assert (tmp_path / f"{aside.name}-wal").read_bytes() == b"wal frames"


def test_two_damaged_starts_in_one_second_keep_both_old_files(tmp_path):
    path = tmp_path / "actui.sqlite3"
    for content in (GARBAGE, GARBAGE[::-1]):
        path.write_bytes(content)
        Store(path, clock=lambda: 1_700_000_000.0).close()
    kept = aside_files(tmp_path, "actui.sqlite3")
    assert sorted(p.read_bytes() for p in kept) == sorted([GARBAGE, GARBAGE[::-1]])


def test_a_damaged_store_that_cannot_be_moved_is_an_error_naming_file_and_fix(tmp_path, monkeypatch):
    path = tmp_path / "actui.sqlite3"
    path.write_bytes(GARBAGE)

    def refuse(*_):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("actui.core.store.move_aside", refuse)
    with pytest.raises(StoreDamagedError) as caught:
        Store(path)
    message = str(caught.value)
    assert str(path) in message and "ACTUI_DATA_DIR" in message and "Permission denied" in message
    assert path.read_bytes() == GARBAGE


def test_open_store_stands_in_read_only_when_the_damaged_file_cannot_be_moved(tmp_path):
    path = tmp_path / "actui.sqlite3"
    path.write_bytes(GARBAGE)
    store = open_store(path, writable=lambda p: READ_ONLY)   # damaged, and read-only: cannot move it
    try:
        assert store.read_only
        [notice] = store.take_notices()
        assert notice.severity == "error"
        assert "damaged" in notice.text and str(path) in notice.text and "ACTUI_DATA_DIR" in notice.text
        assert Journal(store, "acct").runs() == []
        with pytest.raises(StoreReadOnlyError):
            Journal(store, "acct").begin("edit", planned(1))
    finally:
        store.close()
    assert path.read_bytes() == GARBAGE


def test_damage_found_while_in_use_names_the_file(tmp_path):
    path = tmp_path / "actui.sqlite3"
    store = Store(path)
    try:
        store.db.close()
        store.db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        error = sqlite3.DatabaseError("database disk image is malformed")
        translated = store.error(error)
        assert isinstance(translated, StoreDamagedError)
        assert str(path) in str(translated) and "journal" in str(translated)
    finally:
        store.close()


def cached(cache: ListCache) -> list[tuple]:
    return [(row.number, row.cells) for row in cache.load(50).rows]


# --- caches ----------------------------------------------------------------------------------------


def test_a_damaged_cache_is_moved_aside_and_rebuilt_without_touching_the_journal(tmp_path):
    path = tmp_path / "actui.sqlite3"
    run_id = store_with_a_run(path, count=3)
    before = path.read_bytes()
    (tmp_path / "actui-cache.sqlite3").write_bytes(GARBAGE)
    store = Store(path)
    try:
        cache = ListCache(store, "acct")
        assert cache.load(50) is None
        cache.save(50, [NumberRow("+14155550100", ("a", "b"))], 1, 1, 1.0)
        assert cached(cache) == [("+14155550100", ("a", "b"))]
        [notice] = store.take_notices()
        assert notice.severity == "information" and "list cache" in notice.text
        [aside] = aside_files(tmp_path, "actui-cache.sqlite3")
        assert aside.read_bytes() == GARBAGE
        assert Journal(store, "acct").run(run_id).description == "a run to keep"
        assert aside_files(tmp_path, "actui.sqlite3") == []
    finally:
        store.close()
    assert path.read_bytes()[:100] == before[:100]


def test_the_list_cache_has_its_own_file(tmp_path):
    store = Store(tmp_path / "actui.sqlite3")
    try:
        ListCache(store, "acct").save(50, [NumberRow("+14155550100", ("a",))], 1, 1, 1.0)
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "list_cache" not in tables
        assert (tmp_path / "actui-cache.sqlite3").exists()
    finally:
        store.close()


def test_a_read_only_cache_is_read_and_never_written(tmp_path):
    path = tmp_path / "actui.sqlite3"
    store = Store(path)
    ListCache(store, "acct").save(50, [NumberRow("+14155550100", ("a",))], 1, 1, 1.0)
    store.close()
    cache_bytes = (tmp_path / "actui-cache.sqlite3").read_bytes()
    store = Store(path, writable=lambda p: READ_ONLY)
    try:
        cache = ListCache(store, "acct")
        assert cached(cache) == [("+14155550100", ("a",))]
        cache.save(50, [NumberRow("+14155550199", ("z",))], 1, 1, 2.0)   # skipped, no error
        cache.clear()
        assert cached(cache) == [("+14155550100", ("a",))]
    finally:
        store.close()
    assert (tmp_path / "actui-cache.sqlite3").read_bytes() == cache_bytes


def test_a_cache_that_cannot_be_created_lasts_the_run_in_memory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cache = CacheStore(blocker / "data" / "actui-cache.sqlite3")
    try:
        assert not cache.read_only and cache.notices == []
        cache.execute("INSERT INTO list_cache VALUES ('a', 1, 1, 1, 1.0, '[]')")
        assert cache.query("SELECT count(*) FROM list_cache")[0][0] == 1
    finally:
        cache.close()


# --- read-only -------------------------------------------------------------------------------------


def test_a_read_only_store_reads_its_journal_and_refuses_writes_naming_path_and_fix(tmp_path):
    path = tmp_path / "actui.sqlite3"
    run_id = store_with_a_run(path, count=3)
    before = path.read_bytes()
    store = Store(path, writable=lambda p: READ_ONLY)
    try:
        assert store.read_only
        journal = Journal(store, "acct")
        assert [r.id for r in journal.runs()] == [run_id]
        assert len(journal.items(run_id)) == 3
        with pytest.raises(StoreReadOnlyError) as caught:
            journal.begin("edit", planned(1))
        message = str(caught.value)
        assert str(path) in message and READ_ONLY in message and "ACTUI_DATA_DIR" in message
        with pytest.raises(StoreReadOnlyError):
            Drafts(store, "acct").save("+14155550100", {"description": "a"}, {"description": "b"})
        with pytest.raises(StoreReadOnlyError):
            store.require_writable("change numbers")
    finally:
        store.close()
    assert path.read_bytes() == before


def test_sqlite_refusing_a_write_is_a_read_only_error_even_when_the_probe_said_yes(tmp_path):
    path = tmp_path / "actui.sqlite3"
    store_with_a_run(path, count=1)
    store = Store(path)
    try:
        store.db.close()
        store.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False,
                                   isolation_level=None)
        with pytest.raises(StoreReadOnlyError) as caught:
            Journal(store, "acct").begin("edit", planned(1))
        assert str(path) in str(caught.value)
        assert store.read_only
    finally:
        store.close()


def test_a_store_that_cannot_be_created_is_empty_read_only_and_says_so(tmp_path):
    blocker = tmp_path / "home"
    blocker.write_text("a file where a directory should be")
    path = blocker / "share" / "actui" / "actui.sqlite3"
    store = Store(path)
    try:
        assert store.read_only
        assert Journal(store, "acct").runs() == []
        [notice] = store.take_notices()
        assert str(path) in notice.text and "ACTUI_DATA_DIR" in notice.text
        with pytest.raises(StoreReadOnlyError) as caught:
            Journal(store, "acct").begin("edit", planned(1))
        assert str(path) in str(caught.value)
    finally:
        store.close()


def test_a_read_only_store_from_an_older_actui_says_it_needs_an_upgrade(tmp_path):
    path = tmp_path / "actui.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE tracked_orders (account TEXT)")
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    with pytest.raises(StoreReadOnlyError) as caught:
        Store(path, writable=lambda p: READ_ONLY)
    assert str(path) in str(caught.value) and "older actui" in str(caught.value)


def test_private_files_that_cannot_be_written_name_path_and_setting(tmp_path, monkeypatch):
    from actui.paths import ensure_private_dir, write_private_file

    blocker = tmp_path / "config-file"
    blocker.write_text("")
    monkeypatch.setenv("ACTUI_CONFIG_DIR", str(blocker / "actui"))
    with pytest.raises(LocalFileError) as caught:
        write_private_file(blocker / "actui" / "config.toml", "x = 1\n")
    assert str(blocker / "actui") in str(caught.value) and "ACTUI_CONFIG_DIR" in str(caught.value)
    with pytest.raises(LocalFileError) as caught:
        ensure_private_dir(blocker / "data")
    assert "ACTUI_DATA_DIR" in str(caught.value)
