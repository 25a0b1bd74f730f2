"""`--json` on failure: nothing on stdout (no `[` or half an array), the error on stderr, exit not 0."""

import json

from actui.sandbox.app import ApiProblem


def fail_from_page(sandbox, monkeypatch, first_failing: int) -> list[int]:
    """The sandbox answers pages before `first_failing` and refuses the rest (403: never retried)."""
    real_page = sandbox.state.page
    served: list[int] = []

    def page(number: int, limit: int, **options):
        if number >= first_failing:
            raise ApiProblem(403, f"page {number} is not for you")
        served.append(number)
        return real_page(number, limit, **options)

    monkeypatch.setattr(sandbox.state, "page", page)
    return served


def test_a_listing_that_fails_midway_prints_no_partial_json(run, sandbox, monkeypatch):
    served = fail_from_page(sandbox, monkeypatch, first_failing=2)
    code, out, err = run("numbers", "list", "--all", "--json")
    assert served[:1] == [1]         # the first page did arrive, and used to be printed
    assert code == 1 and out == ""          # a 403 is "not allowed", not exit 4 (authentication)
    assert err.startswith("actui: GET /phone-numbers/active") and "not allowed" in err and err.count("\n") == 1


def test_the_same_listing_without_the_fault_prints_one_whole_document(run):
    code, out, err = run("numbers", "list", "--all", "--json")
    assert code == 0 and len(json.loads(out)) == 120


def test_a_failed_show_prints_nothing_on_stdout(run):
    code, out, err = run("numbers", "show", "+14155559876", "--json")
    assert code == 1 and out == "" and "not found" in err
