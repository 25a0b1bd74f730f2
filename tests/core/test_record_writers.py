"""CSV, TSV, JSON and NDJSON records: written one document at a time, hostile text made safe, JSON exact."""

from __future__ import annotations

import csv
import io
import json

import pytest

from actui.core.field_select import DEFAULT_FIELDS
from actui.core.record_writers import open_writer
from tests.fixtures.hostile import FORMULA, HOSTILE, assert_terminal_safe

DOCS = [
    {"phoneNumber": "+14155550100", "status": "Active", "description": "a, \"quoted\"\nline",
     "settings": {"optOut": {"enabled": True}}},
    {"phoneNumber": "+14155550101", "status": None, "settings": {}},
]
FIELDS = ("phoneNumber", "status", "settings.optOut.enabled")


def written(fmt, docs, fields=FIELDS, header=True):
    out = io.StringIO()
    writer = open_writer(fmt, out, fields, header)
    for doc in docs:
        writer.write(doc)
    writer.close()
    return out.getvalue()


def test_csv_has_the_paths_as_header_and_one_row_a_document():
    rows = list(csv.reader(io.StringIO(written("csv", DOCS))))
    assert rows == [list(FIELDS), ["+14155550100", "Active", "yes"], ["+14155550101", "", ""]]


def test_without_fields_csv_carries_the_lists_columns():
    rows = list(csv.reader(io.StringIO(written("csv", DOCS, fields=None))))
    assert rows[0] == list(DEFAULT_FIELDS)
    assert rows[1][DEFAULT_FIELDS.index("description")] == "a, \"quoted\"\nline"   # quoted, kept


def test_no_header():
    assert written("csv", DOCS[:1], header=False) == "+14155550100,Active,yes\n"
    assert written("tsv", DOCS[:1], header=False) == "+14155550100\tActive\tyes\n"


def test_tsv_keeps_each_record_on_one_line():
    text = written("tsv", DOCS, fields=("phoneNumber", "description"))
    assert text.splitlines() == ["phoneNumber\tdescription", "+14155550100\ta, \"quoted\"␊line",
                                 "+14155550101\t"]


def test_json_is_an_indented_array_exactly_as_json_dumps_writes_it():
    assert json.loads(written("json", DOCS, fields=None)) == DOCS
    assert written("json", DOCS, fields=None) == json.dumps(DOCS, indent=2, ensure_ascii=False) + "\n"
    assert written("json", []) == "[]\n"


def test_json_with_fields_holds_only_them_nested_as_on_the_wire():
    assert json.loads(written("json", DOCS)) == [
        {"phoneNumber": "+14155550100", "status": "Active", "settings": {"optOut": {"enabled": True}}},
        {"phoneNumber": "+14155550101", "status": None}]


def test_ndjson_is_one_object_a_line_and_written_as_each_comes():
    out = io.StringIO()
    writer = open_writer("ndjson", out, ("phoneNumber",))
    writer.write(DOCS[0])
    assert out.getvalue() == '{"phoneNumber":"+14155550100"}\n'   # before the next one or close
    writer.write(DOCS[1])
    writer.close()
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {"phoneNumber": "+14155550100"}, {"phoneNumber": "+14155550101"}]


def test_json_array_items_are_written_as_they_come():
    out = io.StringIO()
    writer = open_writer("json", out, None)
    writer.write(DOCS[0])
    assert out.getvalue().startswith('[\n  {\n    "phoneNumber": "+14155550100"')
    writer.close()
    writer.close()   # closing twice ends the array once
    assert out.getvalue().count("]") == 1


HOSTILE_DOC = {"phoneNumber": "+14155550100", "status": HOSTILE, "description": FORMULA + HOSTILE,
               "settings": {"optOut": {"text": HOSTILE + "\t\n"}}, "x": {"y": [HOSTILE]}}
HOSTILE_FIELDS = ("phoneNumber", "status", "description", "settings.optOut.text", "x")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_every_delimited_cell_is_safe_and_no_formula(fmt):
    text = written(fmt, [HOSTILE_DOC], fields=HOSTILE_FIELDS)
    assert_terminal_safe(text)
    assert "'=HYPERLINK" in text and "wiped" in text
    if fmt == "tsv":
        assert len(text.splitlines()) == 2


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_json_keeps_hostile_values_exact_yet_safe_for_a_terminal(fmt):
    for fields in (None, HOSTILE_FIELDS):
        text = written(fmt, [HOSTILE_DOC], fields=fields)
        assert_terminal_safe(text)
        records = json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
        assert records == [HOSTILE_DOC]


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="one of csv, tsv, json, ndjson"):
        open_writer("xml", io.StringIO(), None)
