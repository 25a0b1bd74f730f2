"""`actui numbers show` reads any number-like text and any odd document (issue 9, item 3)."""

from __future__ import annotations

import copy
import json


def test_show_asks_the_server_for_a_number_libphonenumber_calls_invalid(run, sandbox):
    before = sandbox.faults.stats.requests
    code, out, err = run("numbers", "show", "+19995551234")
    assert sandbox.faults.stats.requests == before + 1   # it reached the server
    assert code == 1 and out == ""
    assert err.startswith("actui: +19995551234: not found") and "404" in err and err.count("\n") == 1
    code, _, err = run("numbers", "show", "(999) 555-1234")
    assert code == 1 and "+19995551234: not found" in err


def test_show_a_number_with_wrongly_typed_fields(run, sandbox):
    state = sandbox.state
    number = state.numbers()[0]
    doc = copy.deepcopy(state.detail(number))
    doc["settings"]["rateLimit"] = "abc"
    doc["settings"]["optOut"] = "STOP"
    doc["capabilities"] = None
    state.put_raw(doc)
    code, out, err = run("numbers", "show", number, "--json")
    assert code == 0 and json.loads(out) == doc   # exact
    code, out, err = run("numbers", "show", number)
    assert code == 0 and err == ""
    assert "⚠ settings.rateLimit: not a number: abc" in out and "⚠ settings.optOut: not an object: STOP" in out
    state.put_raw({**doc, "settings": 5})
    code, out, err = run("numbers", "show", number)
    assert code == 0 and "⚠ settings: not an object: 5" in out
