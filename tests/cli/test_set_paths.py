"""`--set` paths: a typo or an empty part is refused before anything is written, naming the closest known
path; a field the guide does not list may be set where the number already holds it."""

import pytest


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


def test_a_typo_in_a_path_is_refused_naming_the_closest_one(run, sandbox, writes):
    number = sandbox.state.numbers()[0]
    before = sandbox.state.detail(number)
    code, out, err = run("numbers", "update", number, "--set", "settings.optOut.enabeld=true")
    assert code == 1 and out == "" and writes == []
    assert err == ("actui: settings.optOut.enabeld: is not a field actui knows; did you mean "
                   "settings.optOut.enabled? (and the number does not hold it)\n")
    assert sandbox.state.detail(number) == before


def test_an_empty_part_is_refused_before_any_request(run, sandbox, writes):
    number = sandbox.state.numbers()[0]
    requests = sandbox.faults.stats.requests
    code, out, err = run("numbers", "update", number, "--set", "settings..rateLimit=5")
    assert code == 1 and writes == [] and sandbox.faults.stats.requests == requests
    assert "settings..rateLimit: has an empty part" in err and "did you mean settings.rateLimit?" in err


def test_a_bulk_update_refuses_unknown_paths_before_any_request(run, sandbox, writes):
    requests = sandbox.faults.stats.requests
    code, out, err = run("numbers", "update", "--where", "class:p2p", "--set", "settings.optOut.enabeld=true",
                         "--yes")
    assert code == 1 and writes == [] and sandbox.faults.stats.requests == requests
    assert "did you mean settings.optOut.enabled?" in err


def test_a_field_the_number_already_holds_may_be_set(run, sandbox, writes):
    number = sandbox.state.numbers()[0]
    doc = sandbox.state.detail(number)
    doc["settings"]["businessHours"] = {"open": 8}
    sandbox.state.put_raw(doc)
    code, out, err = run("numbers", "update", number, "--set", "settings.businessHours.open=9")
    assert code == 0, err
    assert writes == [(number, {"settings": {"businessHours": {"open": 9}}})]
    assert sandbox.state.detail(number)["settings"]["businessHours"] == {"open": 9}
