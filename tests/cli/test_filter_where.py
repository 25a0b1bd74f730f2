"""`--where` with the new filter terms: settings paths, `or` and parentheses parse; a bad filter is a
usage error naming the term, before any request."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("where, message", [
    ("settings.optOut.enabeld:false",
     "unknown field 'settings.optOut.enabeld' (did you mean settings.optOut.enabled?)"),
    ("class:a2p (inactive", "unbalanced parenthesis"),
    ("settings.rateLimit<lots", "'<' needs a number or a date after it"),
    ("class:a2p or", "'or' needs a term after it"),
])
def test_a_bad_filter_is_refused_before_any_request(run, sandbox, where, message):
    before = sandbox.faults.stats.requests
    code, out, err = run("numbers", "update", "--where", where, "--set", "description=x", "--yes")
    assert code == 2 and out == ""
    assert f"--where: {message}" in err
    assert sandbox.faults.stats.requests == before


def test_settings_terms_or_and_parentheses_parse(run, sandbox):
    # which numbers they match depends on the local copy (wired by the sync); here: that they are accepted
    code, out, err = run("numbers", "update", "--where", "(class:a2p or inactive) !settings.optOut.enabled:true "
                         "settings.rateLimit>500", "--set", "description=x", "--dry-run")
    assert code == 0, err
    assert "unknown column" not in err
