"""The export's file (core/export_file.py) and its documents (core/export_rows.py): the name offered, the
folder checked, the writing through a temporary file renamed at the end (nothing left on a failure or a
cancel, the user's umask as mode), and the documents read from the local copy in list order."""

import json
import os
import stat

import pytest

from actui.core.export_file import ExportCancelled, default_name, target_path, target_problem, with_format, write_export
from actui.core.export_rows import BATCH, count_without_detail, export_documents
from actui.core.inventory import rows_from_wire
from actui.core.local_copy import open_local_copy

NOON = 1_764_000_000.0


def test_the_name_offered_names_the_profile_and_the_minute(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    try:
        assert default_name("prod eu/1", "csv", NOON) == "actui-numbers-prod-eu-1-20251124-1600.csv"
        assert default_name("", "json", NOON) == "actui-numbers-default-20251124-1600.json"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(("name", "fmt", "expected"), [
    ("numbers.csv", "json", "numbers.json"), ("numbers.JSON", "csv", "numbers.csv"),
    ("numbers.txt", "csv", "numbers.txt.csv"), ("", "json", "")])
def test_switching_the_format_changes_the_suffix(name, fmt, expected):
    assert with_format(name, fmt) == expected


def test_a_target_whose_folder_cannot_take_it_is_named(tmp_path):
    (tmp_path / "a-file").write_text("x")
    assert target_problem(tmp_path / "out.csv") is None
    assert "does not exist" in target_problem(tmp_path / "nosuch" / "out.csv")
    assert "is not a folder" in target_problem(tmp_path / "a-file" / "out.csv")
    assert "is a folder" in target_problem(tmp_path)
    assert target_path("~/x.csv", tmp_path).is_absolute() and target_path("x.csv", tmp_path) == tmp_path / "x.csv"


def test_written_whole_with_the_umask_mode_and_no_temporary_file_left(tmp_path):
    old = os.umask(0o022)
    try:
        count = write_export(tmp_path / "out.json", "json", ["phoneNumber"], iter([{"phoneNumber": "+1"}] * 3))
    finally:
        os.umask(old)
    assert count == 3 and os.listdir(tmp_path) == ["out.json"]
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == 0o644
    assert json.loads((tmp_path / "out.json").read_text()) == [{"phoneNumber": "+1"}] * 3


@pytest.mark.parametrize("stop", ["cancel", "failure"])
def test_a_cancel_or_a_failure_leaves_the_old_file_and_no_temporary_one(tmp_path, stop):
    target = tmp_path / "out.csv"
    target.write_text("before\n")
    seen = []

    def documents():
        for index in range(10):
            if index == 4 and stop == "failure":
                raise OSError(28, "No space left on device")
            yield {"phoneNumber": f"+1{index}"}

    with pytest.raises(ExportCancelled if stop == "cancel" else OSError):
        write_export(target, "csv", ["phoneNumber"], documents(), on_written=seen.append,
                     cancelled=lambda: len(seen) == 4)
    assert os.listdir(tmp_path) == ["out.csv"] and target.read_text() == "before\n"


def test_documents_come_from_the_copy_in_the_rows_order_else_from_the_rows_cells(store):
    copy = open_local_copy(store, "sandbox")
    held = [{"phoneNumber": f"+1415555{i:04d}", "status": "Active", "description": None, "x-extra": i,
             **({"settings": {"rateLimit": i}} if i % 3 == 0 else {})} for i in range(BATCH + 20)]
    copy.put_list_items(held, NOON)
    stranger = {"phoneNumber": "+12125550100", "status": "Inactive", "description": "not in the copy"}
    rows = rows_from_wire(list(reversed(held)) + [stranger])
    documents = list(export_documents(copy, rows))
    assert documents[:-1] == list(reversed(held))          # exact, unknown fields and nulls kept
    assert documents[-1] == {"phoneNumber": "+12125550100", "status": "Inactive", "description": "not in the copy"}
    numbers = [row.number for row in rows]
    assert count_without_detail(copy, numbers) == len(numbers) - len([d for d in held if "settings" in d])
    assert list(export_documents(None, rows[-1:])) == documents[-1:]
    assert count_without_detail(None, numbers) == len(numbers)
