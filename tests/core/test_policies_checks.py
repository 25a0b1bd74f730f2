"""Each condition a requirement may hold, and each built-in check, true and false (core/policy_model.py,
core/builtin_checks.py), judged over a local copy."""

from __future__ import annotations

import datetime

import pytest

from actui.core.builtin_checks import BUILTIN_CHECKS, BUILTIN_NAMES
from actui.core.cache_store import CacheStore
from actui.core.filtering import ABSENT
from actui.core.local_copy import LocalCopy
from actui.core.policies import Condition, PolicySet, evaluate
from actui.core.policy_model import DateValue, instant

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC).timestamp()
END = DateValue("2027-01-31T00:00:00Z", instant("2027-01-31T00:00:00Z"))

CASES = [   # condition, value that holds, values that do not
    (Condition("equals", True), [True], [False, 1, "true", None, ABSENT]),
    (Condition("equals", "STOP"), ["STOP"], ["stop", " STOP", None, ABSENT, ["STOP"]]),
    (Condition("equals", 500), [500, 500.0], [True, "500", 501, ABSENT]),
    (Condition("equals", ["a@x.example"]), [["a@x.example"]], [[], ["a@x.example", "b"], "a@x.example"]),
    (Condition("equals", END), ["2027-01-31T00:00:00Z", "2027-01-31T01:00:00+01:00"], ["2027-01-30", "x", ABSENT]),
    (Condition("present", True), ["x", 0, False, ["a"]], [ABSENT, None, "", "  ", [], {}]),
    (Condition("present", False), [ABSENT, None, "", []], ["x", 0, False]),
    (Condition("not", ""), ["STOP", ABSENT, None, 0], [""]),
    (Condition("not", True), [False, ABSENT, 1], [True]),
    (Condition("max", 2000), [2000, 1, -5, 1999.5], [2001, "100", True, None, ABSENT]),
    (Condition("min", 1), [1, 2000], [0, "5", ABSENT]),
    (Condition("max", END), ["2027-01-31T00:00:00Z", "2026-05-01"], ["2027-02-01T00:00:00Z", "soon", 5, ABSENT]),
    (Condition("min", END), ["2027-02-01"], ["2027-01-30T23:59:59Z", ABSENT]),
]


@pytest.mark.parametrize(("condition", "holding", "breaking"), CASES, ids=[c[0].describe() for c in CASES])
def test_each_condition_holds_for_its_values_and_never_raises_on_others(condition, holding, breaking):
    assert [value for value in holding if not condition.holds(value)] == []
    assert [value for value in breaking if condition.holds(value)] == []


def test_conditions_describe_themselves_and_only_equals_is_settable():
    described = {c.describe(): c.settable for c, _h, _b in CASES}
    assert described == {"true": True, '"STOP"': True, "500": True, '["a@x.example"]': True,
                         "2027-01-31T00:00:00Z": True, "present": False, "absent": False, 'not ""': False,
                         "not true": False, "<= 2000": False, ">= 1": False, "<= 2027-01-31T00:00:00Z": False,
                         ">= 2027-01-31T00:00:00Z": False}


# --- the built-in checks ----------------------------------------------------------------------------

GOOD = {
    "provisionClass": "A2P", "campaignId": "C1", "brandId": "B1", "isActivated": True,
    "settings": {
        "outOfOffice": {"enabled": True, "endDate": "2027-01-16T23:59:59Z"},
        "autoForward": {"enabled": True, "emailAddresses": ["ops@x.example"]},
        "autoResponse": {"enabled": True, "message": "Thanks"},
        "optOut": {"enabled": True, "text": "STOP", "textResponse": "Bye", "periodicEnabled": True,
                   "periodicCron": "0 0 1 * *"},
        "noOutboundTexts": False,
    },
}
BAD = {   # check -> what breaks it (merged into GOOD's settings or top level), the path it names
    "ooo-ended": ({"settings": {"outOfOffice": {"enabled": True, "endDate": "2026-11-30T23:59:59Z"}}},
                  "settings.outOfOffice.endDate"),
    "forward-no-address": ({"settings": {"autoForward": {"enabled": True, "emailAddresses": [" "]}}},
                           "settings.autoForward.emailAddresses"),
    "auto-response-empty": ({"settings": {"autoResponse": {"enabled": True, "message": ""}}},
                            "settings.autoResponse.message"),
    "opt-out-empty": ({"settings": {"optOut": {"enabled": True, "text": "STOP", "textResponse": "  "}}},
                      "settings.optOut.textResponse"),
    "a2p-no-campaign": ({"campaignId": ""}, "campaignId"),
    "opt-out-cron": ({"settings": {"optOut": {"enabled": True, "periodicCron": "0 0 32 * *"}}},
                     "settings.optOut.periodicCron"),
    "no-outbound-activated": ({"settings": {"noOutboundTexts": True}}, "settings.noOutboundTexts"),
}
OFF = {   # check -> the same mistake where the check does not apply (section off, P2P, not activated)
    "ooo-ended": {"settings": {"outOfOffice": {"enabled": False, "endDate": "2026-11-30T23:59:59Z"}}},
    "forward-no-address": {"settings": {"autoForward": {"enabled": False, "emailAddresses": []}}},
    "auto-response-empty": {"settings": {"autoResponse": {"enabled": False, "message": ""}}},
    "opt-out-empty": {"settings": {"optOut": {"enabled": False, "textResponse": ""}}},
    "a2p-no-campaign": {"provisionClass": "P2P", "campaignId": None, "brandId": None},
    "opt-out-cron": {"settings": {"optOut": {"enabled": True, "periodicEnabled": False, "periodicCron": ""}}},
    "no-outbound-activated": {"isActivated": False, "settings": {"noOutboundTexts": True}},
}


def merged(base: dict, change: dict) -> dict:
    out = dict(base)
    for key, value in change.items():
        out[key] = merged(base.get(key, {}), value) if isinstance(value, dict) else value
    return out


@pytest.fixture
def copy(tmp_path):
    store = CacheStore(tmp_path / "actui-cache.sqlite3")
    held = LocalCopy(store, "sandbox", clock=lambda: NOW)
    yield held
    store.close()


def fill(copy: LocalCopy, docs: dict[str, dict]) -> None:
    copy.put_list_items([{"phoneNumber": number, **doc} for number, doc in docs.items()], seen_at=NOW - 60)


def builtins() -> PolicySet:
    from pathlib import Path

    return PolicySet(Path("policies.toml"), [check.policy() for check in BUILTIN_CHECKS])


def test_every_builtin_is_covered_here():
    assert set(BAD) == set(OFF) == set(BUILTIN_NAMES)


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_each_builtin_check_finds_its_mistake_and_only_where_it_applies(copy, name):
    change, path = BAD[name]
    fill(copy, {"+14155550001": GOOD, "+14155550002": merged(GOOD, change), "+14155550003": merged(GOOD, OFF[name])})

    results = {result.policy.name: result for result in evaluate(builtins(), copy)}

    result = results[name]
    assert result.policy.builtin
    assert "+14155550003" not in result.checked
    assert result.checked[:2] == ["+14155550001", "+14155550002"]
    assert list(result.breaking) == ["+14155550002"]
    assert [breach.path for breach in result.breaking["+14155550002"]] == [path]
    assert result.fixes == {}   # nothing guessed
    assert result.unfixable == result.breaking
    others = [other for other, found in results.items() if found.breaking and other != name]
    assert others == []


def test_a2p_without_both_ids_names_both_and_absent_counts_as_missing(copy):
    doc = {k: v for k, v in GOOD.items() if k not in ("campaignId", "brandId")}
    fill(copy, {"+14155550001": doc})

    result = evaluate(builtins(), copy, names=["a2p-no-campaign"])[0]

    assert [(b.path, b.actual) for b in result.breaking["+14155550001"]] == [
        ("campaignId", ABSENT), ("brandId", ABSENT)]


def test_the_end_date_is_judged_against_the_now_given(copy):
    fill(copy, {"+14155550001": GOOD})
    later = datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC).timestamp()

    assert evaluate(builtins(), copy, names=["ooo-ended"])[0].breaking == {}
    assert list(evaluate(builtins(), copy, names=["ooo-ended"], now=later)[0].breaking) == ["+14155550001"]


def test_periodic_opt_out_on_without_a_cron_breaks_and_odd_values_never_raise(copy):
    fill(copy, {
        "+14155550001": merged(GOOD, {"settings": {"optOut": {"periodicEnabled": True, "periodicCron": None}}}),
        "+14155550002": merged(GOOD, {"settings": {"optOut": {"periodicEnabled": "yes", "periodicCron": 5}}}),
        "+14155550003": merged(GOOD, {"settings": {"outOfOffice": {"enabled": True, "endDate": 20240101},
                                                   "autoForward": {"enabled": True, "emailAddresses": "a@x"}}}),
    })

    results = {r.policy.name: r for r in evaluate(builtins(), copy)}

    assert list(results["opt-out-cron"].breaking) == ["+14155550001", "+14155550002"]
    assert list(results["forward-no-address"].breaking) == ["+14155550003"]
    assert results["ooo-ended"].breaking == {}


def test_a_breach_shows_its_value_as_text_and_as_json():
    from actui.core.policies import Breach

    assert Breach("settings.optOut.text", '"STOP"', "stop").actual_text() == '"stop"'
    assert Breach("campaignId", "present", ABSENT).actual_text() == "absent"
    assert Breach("campaignId", "present", None).actual_text() == "null"
    assert Breach("campaignId", "present", ABSENT).to_json() == {
        "path": "campaignId", "expected": "present", "actual": None, "absent": True}
    assert Breach("settings.rateLimit", "<= 10", 50).to_json()["actual"] == 50
