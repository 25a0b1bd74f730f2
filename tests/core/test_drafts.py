import sqlite3
from datetime import UTC, datetime

import pytest

from actui.core.drafts import Draft, Drafts
from actui.core.store import MIGRATIONS, Store

NUMBER = "+14155551234"
BASE = {"phoneNumber": NUMBER, "status": "Active", "description": "Main line",
        "settings": {"optOut": {"enabled": False, "text": "STOP"}, "custom": {"keep": 1}}}
EDITED = {"phoneNumber": NUMBER, "status": "Active", "description": "Support line",
          "settings": {"optOut": {"enabled": True, "text": "STOP"}, "custom": {"keep": 1}}}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        self.now += 1
        return self.now


@pytest.fixture
def path(tmp_path):
    return tmp_path / "state.sqlite3"


def test_save_and_load_round_trip_with_the_patch(path):
    drafts = Drafts(Store(path), "user@api", clock=Clock())
    saved = drafts.save(NUMBER, BASE, EDITED)
    loaded = drafts.load(NUMBER)
    assert loaded == saved
    assert isinstance(loaded, Draft)
    assert (loaded.base, loaded.edited, loaded.saved_at) == (BASE, EDITED, 1001.0)
    assert loaded.patch == {"description": "Support line", "settings": {"optOut": {"enabled": True}}}
    assert drafts.load("+14155550000") is None


def test_saving_again_replaces_the_draft(path):
    drafts = Drafts(Store(path), "user@api", clock=Clock())
    drafts.save(NUMBER, BASE, EDITED)
    drafts.save(NUMBER, BASE, {**EDITED, "description": "Sales"})
    assert [d.edited["description"] for d in drafts.all()] == ["Sales"]
    assert drafts.load(NUMBER).saved_at == 1002.0


def test_a_draft_that_changes_nothing_is_removed(path):
    drafts = Drafts(Store(path), "user@api")
    drafts.save(NUMBER, BASE, EDITED)
    # the user typed the old value back
    assert drafts.save(NUMBER, BASE, dict(BASE)) is None
    assert drafts.load(NUMBER) is None
    # read-only fields are never sent, so changing only those is no draft either
    assert drafts.save(NUMBER, BASE, {**BASE, "status": "Inactive"}) is None
    assert drafts.all() == []


def test_drafts_survive_reopening_the_store_as_after_a_crash(path):
    first = Store(path)
    Drafts(first, "user@api").save(NUMBER, BASE, EDITED)
    # no close(): the process died
    reopened = Drafts(Store(path), "user@api").load(NUMBER)
    assert reopened is not None and reopened.edited == EDITED
    # and another connection to the file (a second actui) sees it too
    raw = sqlite3.connect(path).execute("SELECT number FROM drafts").fetchall()
    assert raw == [(NUMBER,)]


def test_accounts_are_separate(path):
    store = Store(path)
    mine, theirs = Drafts(store, "me@api"), Drafts(store, "sandbox")
    mine.save(NUMBER, BASE, EDITED)
    assert theirs.load(NUMBER) is None and theirs.all() == []
    theirs.save(NUMBER, BASE, {**BASE, "description": "Other"})
    theirs.discard(NUMBER)
    assert mine.load(NUMBER).edited == EDITED


def test_all_is_newest_first_and_discard_removes(path):
    drafts = Drafts(Store(path), "user@api", clock=Clock())
    for n in ("+14155551231", "+14155551232", "+14155551233"):
        drafts.save(n, BASE, EDITED)
    assert [d.number for d in drafts.all()] == ["+14155551233", "+14155551232", "+14155551231"]
    drafts.discard("+14155551232")
    assert [d.number for d in drafts.all()] == ["+14155551233", "+14155551231"]


def test_typed_dates_are_kept_as_iso_text(path):
    drafts = Drafts(Store(path), "user@api")
    start = datetime(2025, 1, 15, tzinfo=UTC)
    drafts.save(NUMBER, BASE, {**EDITED, "settings": {"outOfOffice": {"startDate": start}}})
    assert drafts.load(NUMBER).edited["settings"]["outOfOffice"]["startDate"] == "2025-01-15T00:00:00Z"


def test_an_existing_state_file_gains_the_drafts_table(path):
    old = sqlite3.connect(path)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            old.execute(statement)
    old.execute("PRAGMA user_version=1")
    old.commit()
    old.close()
    store = Store(path)
    assert store.query("PRAGMA user_version")[0][0] == len(MIGRATIONS)
    Drafts(store, "user@api").save(NUMBER, BASE, EDITED)
    assert Drafts(store, "user@api").load(NUMBER) is not None
