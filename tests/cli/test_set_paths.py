"""`--set` and `--expect` paths: a typo or an empty part is a usage error (exit 2) and nothing is written,
naming the closest known path; a field the guide does not list may be set (or expected) where the number
already holds it, and with --where where any selected number holds it."""

import pytest

from tests.cli.helpers import journal_for


@pytest.fixture
def writes(sandbox, monkeypatch):
    """Every PUT the sandbox receives (number, body), passed through."""
    seen = []
    real_update = sandbox.state.update

    def update(number, body):
        seen.append((number, body))
        return real_update(number, body)

    monkeypatch.setattr(sandbox.state, "update", update)
    return seen


def holding_legacy_routing(sandbox, number: str) -> None:
    """The number as a server that keeps a field the guide does not list sends it."""
    doc = sandbox.state.detail(number)
    doc["settings"]["legacyRouting"] = {"open": 8}
    sandbox.state.put_raw(doc)


def test_a_typo_in_a_path_is_refused_naming_the_closest_one(run, sandbox, writes):
    number = sandbox.state.numbers()[0]
    before = sandbox.state.detail(number)
    code, out, err = run("numbers", "update", number, "--set", "settings.optOut.enabeld=true")
    assert code == 2 and out == "" and writes == []
    assert err == ("actui: settings.optOut.enabeld: is not a field actui knows; did you mean "
                   "settings.optOut.enabled? (and the number does not hold it)\n")
    assert sandbox.state.detail(number) == before and journal_for(sandbox).runs() == []


def test_an_unknown_settings_key_is_refused_not_sent(run, sandbox, writes):
    number = sandbox.state.numbers()[0]
    code, out, err = run("numbers", "update", number, "--set", "settings.nosuch=1")
    assert code == 2 and out == "" and writes == []
    assert err.startswith("actui: settings.nosuch: is not a field actui knows; did you mean settings.")
    assert "nosuch" not in sandbox.state.detail(number)["settings"]


def test_an_empty_part_is_refused_before_any_request(run, sandbox, writes):
    number = sandbox.state.numbers()[0]
    requests = sandbox.faults.stats.requests
    code, out, err = run("numbers", "update", number, "--set", "settings..rateLimit=5")
    assert code == 2 and writes == [] and sandbox.faults.stats.requests == requests
    assert "settings..rateLimit: has an empty part" in err and "did you mean settings.rateLimit?" in err


def test_a_bulk_update_refuses_a_path_no_selected_number_holds_before_any_write(run, sandbox, writes):
    code, out, err = run("numbers", "update", "--where", "class:p2p", "--set", "settings.optOut.enabeld=true",
                         "--yes")
    assert code == 2 and out == "" and writes == []
    assert "settings.optOut.enabeld: is not a field actui knows; did you mean settings.optOut.enabled?" in err
    assert "selected numbers holds it" in err
    assert journal_for(sandbox).runs() == []


def test_a_field_the_number_already_holds_may_be_set(run, sandbox, writes):
    number = sandbox.state.numbers()[0]
    holding_legacy_routing(sandbox, number)
    code, out, err = run("numbers", "update", number, "--set", "settings.legacyRouting.open=9")
    assert code == 0, err
    assert writes == [(number, {"settings": {"legacyRouting": {"open": 9}}})]
    assert sandbox.state.detail(number)["settings"]["legacyRouting"] == {"open": 9}


def test_a_bulk_update_may_set_a_field_one_selected_number_holds(run, sandbox, writes):
    holder, other = sandbox.state.numbers()[:2]
    holding_legacy_routing(sandbox, holder)
    code, out, err = run("numbers", "update", "--where", f"number:{holder} or number:{other}",
                         "--set", "settings.legacyRouting.open=9", "--yes")
    assert code == 0, err
    assert sorted(writes) == sorted([(holder, {"settings": {"legacyRouting": {"open": 9}}}),
                                     (other, {"settings": {"legacyRouting": {"open": 9}}})])


def test_expect_on_a_path_no_model_knows_is_refused_unless_the_number_holds_it(run, sandbox, writes):
    number = sandbox.state.numbers()[0]
    code, out, err = run("numbers", "update", number, "--set", "description=x", "--expect",
                         "settings.legacyRouting.open=8")
    assert code == 2 and writes == [], err
    assert err.startswith("actui: --expect: settings.legacyRouting.open: is not a field actui knows")

    holding_legacy_routing(sandbox, number)
    code, out, err = run("numbers", "update", number, "--set", "description=x", "--expect",
                         "settings.legacyRouting.open=8")
    assert code == 0, err
    assert writes == [(number, {"description": "x"})]
