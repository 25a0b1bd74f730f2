"""Policies judged over a local copy filled from a real sandbox (core/policy_eval.py), and fix_targets
merging what several policies set, clashes left out."""

from __future__ import annotations

import copy as deep
import textwrap
from pathlib import Path

import pytest

from actui.core import copy_select
from actui.core.filtering import ABSENT, compile_filter
from actui.core.local_copy import LocalCopy, open_local_copy
from actui.core.patch import set_path
from actui.core.policies import (
    Breach,
    PolicyNameError,
    PolicyResult,
    PolicySet,
    evaluate,
    fix_targets,
    load_policies,
    needed_paths,
)
from actui.core.policy_model import Condition, Policy, Requirement
from actui.core.sync import sync
from tests.fixtures.hostile import seed_hostile

POLICIES = """
    [[policy]]
    name = "a2p-stop"
    description = "A2P numbers honour STOP"
    where = "class:a2p"
    require = { "settings.optOut.enabled" = true, "settings.optOut.text" = "STOP" }

    [[policy]]
    name = "sane-rate"
    where = "settings.rateLimit:*"
    require = { "settings.rateLimit" = { max = 1000 } }

    [[policy]]
    name = "support-words"
    where = "support !inactive"
    require = { "settings.autoForward.enabled" = true }

    [builtin]
    no-outbound-activated = false
    """


def policy_set(tmp_path, text: str = POLICIES) -> PolicySet:
    path = tmp_path / "policies.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_policies(path)


@pytest.fixture
def copy(store):
    return open_local_copy(store, "sandbox")


def judged(policies: PolicySet, copy, names=None) -> list[PolicyResult]:
    """evaluate every way its columns come, each the same: read from the documents (first), read back from
    the cache file by a new process (core/copy_column_cache: coded, nothing read from the documents), and
    kept built in the copy's values (the health screen judging again)."""
    first = evaluate(policies, copy, names)
    fresh = LocalCopy(copy.store, copy.account)
    assert evaluate(policies, fresh, names) == first
    assert fresh.values().paths == ()   # the columns kept in the cache were used
    assert evaluate(policies, copy, names, keep_columns=True) == first
    assert evaluate(policies, copy, names, keep_columns=True) == first
    return first


def plain_pass(docs: dict[str, dict], keep, check) -> tuple[list[str], list[str]]:
    """The oracle: (numbers kept, numbers breaking) by one plain Python pass over the documents."""
    kept = [number for number, doc in docs.items() if keep(doc)]
    return kept, [number for number in kept if not check(docs[number])]


def settings_of(doc: dict, section: str) -> dict:
    value = doc.get("settings", {}).get(section)
    return value if isinstance(value, dict) else {}


async def test_where_and_require_over_a_copy_filled_from_the_sandbox(tmp_path, sandbox, client, copy):
    numbers = sandbox.state.numbers()
    a2p = [n for n in numbers if sandbox.state.detail(n)["provisionClass"] == "A2P"]
    changed = deep.deepcopy(sandbox.state.detail(a2p[0]))
    changed["settings"]["optOut"] = {"enabled": True, "text": "stop"}
    sandbox.state.put_raw(changed)
    changed = deep.deepcopy(sandbox.state.detail(a2p[1]))
    changed["settings"]["rateLimit"] = 5000
    changed["settings"]["optOut"].pop("text", None)
    sandbox.state.put_raw(changed)
    seed_hostile(sandbox, numbers[3])
    await sync(client, copy, details=True, max_age=900)
    docs = {number: sandbox.state.detail(number) for number in numbers}

    results = {r.policy.name: r for r in judged(policy_set(tmp_path), copy)}

    assert list(results) == ["a2p-stop", "sane-rate", "support-words", "ooo-ended", "forward-no-address",
                             "auto-response-empty", "opt-out-empty", "a2p-no-campaign", "opt-out-cron"]
    stop = results["a2p-stop"]
    expected = plain_pass(docs, lambda d: d.get("provisionClass") == "A2P",
                          lambda d: settings_of(d, "optOut").get("enabled") is True
                          and settings_of(d, "optOut").get("text") == "STOP")
    assert (stop.checked, list(stop.breaking)) == expected
    assert a2p[0] in stop.breaking and a2p[1] in stop.breaking
    assert stop.breaking[a2p[0]] == [Breach("settings.optOut.text", '"STOP"', "stop")]
    assert stop.fixes[a2p[0]] == {"settings": {"optOut": {"text": "STOP"}}}
    assert stop.unfixable == {}
    rate = results["sane-rate"]
    expected = plain_pass(docs, lambda d: "rateLimit" in d.get("settings", {}),
                          lambda d: type(limit := d["settings"]["rateLimit"]) in (int, float) and limit <= 1000)
    assert (rate.checked, list(rate.breaking)) == expected
    assert rate.breaking[a2p[1]] == [Breach("settings.rateLimit", "<= 1000", 5000)]
    assert rate.fixes == {} and rate.unfixable == rate.breaking   # a condition: reported, never guessed
    words = results["support-words"]
    assert words.checked and len(words.checked) < len(numbers)
    assert words.checked == copy_select.matching(copy, compile_filter("support !inactive"))   # the list's filter
    assert list(words.breaking) == [n for n in words.checked
                                    if settings_of(docs[n], "autoForward").get("enabled") is not True]


async def test_numbers_without_a_detail_are_not_judged(tmp_path, sandbox, client, copy):
    await sync(client, copy, details=True, max_age=900)
    a2p = [n for n in copy.numbers() if sandbox.state.detail(n)["provisionClass"] == "A2P"]
    copy.forget_detail(a2p[0])

    result = judged(policy_set(tmp_path), copy, names=["a2p-stop"])[0]

    assert a2p[0] not in result.checked
    assert result.checked == a2p[1:]


async def test_a_list_only_copy_judges_nothing(tmp_path, sandbox, client, copy):
    await sync(client, copy, details=False)

    results = evaluate(policy_set(tmp_path), copy)

    assert all(result.checked == [] and result.breaking == {} for result in results)


def test_names_choose_policies_in_the_sets_order_and_an_unknown_name_is_refused(tmp_path, copy):
    policies = policy_set(tmp_path)

    assert [r.policy.name for r in evaluate(policies, copy, names=["opt-out-cron", "a2p-stop"])] == [
        "a2p-stop", "opt-out-cron"]
    with pytest.raises(PolicyNameError) as caught:
        evaluate(policies, copy, names=["nope", "a2p-stop"])
    assert str(caught.value).startswith("no policy named nope (the policies: a2p-stop, sane-rate, ")
    assert caught.value.unknown == ("nope",)
    assert isinstance(caught.value, KeyError)


def test_needed_paths_are_what_the_policies_read(tmp_path):
    policies = policy_set(tmp_path)

    assert needed_paths(policies, ["a2p-stop"]) == ("provisionClass", "settings.optOut.enabled",
                                                    "settings.optOut.text")
    assert needed_paths(policies, ["ooo-ended"]) == ("settings.outOfOffice.enabled", "settings.outOfOffice.endDate")
    everything = needed_paths(policies)
    assert {"settings.rateLimit", "description", "settings.autoForward.enabled", "campaignId"} <= set(everything)


# --- fix_targets ---------------------------------------------------------------------------------------

def policy(name: str, *requires: tuple[str, Condition]) -> Policy:
    return Policy(name, "", "", tuple(Requirement(path, cond, 1) for path, cond in requires), 1)


def result(name: str, fixes: dict[str, dict], unfixable: dict | None = None) -> PolicyResult:
    breaking = {number: [Breach("x", "y", ABSENT)] for number in fixes}
    return PolicyResult(policy(name), list(fixes), breaking, fixes, unfixable or {})


def test_fix_targets_merge_every_policy_setting_a_number_into_one_change():
    first = result("a2p-stop", {"+1": {"settings": {"optOut": {"enabled": True, "text": "STOP"}}},
                                "+2": {"settings": {"optOut": {"text": "STOP"}}}})
    second = result("forwarding", {"+1": {"settings": {"autoForward": {"enabled": True}}, "description": "x"},
                                   "+3": {"settings": {"optOut": {"text": "STOP"}}}})

    targets, left_out = fix_targets([first, second])

    assert targets == {
        "+1": {"settings": {"optOut": {"enabled": True, "text": "STOP"}, "autoForward": {"enabled": True}},
               "description": "x"},
        "+2": {"settings": {"optOut": {"text": "STOP"}}},
        "+3": {"settings": {"optOut": {"text": "STOP"}}},
    }
    assert left_out == {}


def test_two_policies_asking_different_values_of_a_field_clash_and_the_number_is_left_alone():
    first = result("stop", {"+1": {"settings": {"optOut": {"text": "STOP"}}},
                            "+2": {"settings": {"optOut": {"text": "STOP"}}}})
    second = result("quit", {"+1": {"settings": {"optOut": {"text": "QUIT"}, "rateLimit": 5}},
                             "+2": {"settings": {"optOut": {"text": "STOP"}}}})
    third = result("rate", {"+1": {"settings": {"rateLimit": 9}}})

    targets, left_out = fix_targets([first, second, third])

    assert targets == {"+2": {"settings": {"optOut": {"text": "STOP"}}}}
    assert left_out == {"+1": "stop and quit ask different values of settings.optOut.text: nothing set"}


def test_true_and_one_are_different_values():
    targets, left_out = fix_targets([result("a", {"+1": {"settings": {"rateLimit": 1}}}),
                                     result("b", {"+1": {"settings": {"rateLimit": True}}})])
    assert targets == {} and list(left_out) == ["+1"]


def test_a_policy_with_two_conditions_on_one_field_sets_nothing_there(tmp_path, copy):
    copy.put_list_items([{"phoneNumber": "+14155550001", "settings": {"rateLimit": 5}}], seen_at=1.0)
    policies = policy_set(tmp_path, """
        [[policy]]
        name = "odd"
        require = { "settings.rateLimit" = { equals = 2000, not = 5 } }
        """)

    found = evaluate(policies, copy, names=["odd"])[0]

    assert found.fixes == {}
    assert [b.expected for b in found.unfixable["+14155550001"]] == ["2000", "not 5"]


def test_a_policy_from_a_path_not_a_file_keeps_its_path(tmp_path):
    assert policy_set(tmp_path).path == Path(tmp_path / "policies.toml")


WHERES = ["settings.optOut.enabled:true", "!settings.optOut.enabled:true", "settings.rateLimit>500",
          "externalId:", "campaignId:*", "provisionClass=a2p settings.optOut.text:stop",
          "settings.autoForward.emailAddresses:example or settings.rateLimit<=100",
          "!(settings.outOfOffice.enabled:true or settings.optIn.enabled:false) settings.rateLimit:*",
          "settings.outOfOffice.endDate<2026-06-01", "class:a2p !inactive", "acme or settings.rateLimit>900",
          "4155", "number:0101", "description:", "acme support", "!acme", "type:mms", "plan:2000", "status=active",
          "number=+14155550100", "user:a", "email:example", "(415) 5", "wiped", "plan:", "platform:teams !class:p2p"]


@pytest.mark.parametrize("where", WHERES)
async def test_a_where_keeps_what_the_lists_filter_keeps(tmp_path, sandbox, client, copy, where):
    seed_hostile(sandbox, sandbox.state.numbers()[7])
    await sync(client, copy, details=True, max_age=900)
    policies = policy_set(tmp_path, f"""
        [[policy]]
        name = "w"
        where = '{where}'
        require = {{ "settings.optOut.enabled" = true }}
        """)

    found = judged(policies, copy, names=["w"])[0]

    assert found.checked == copy_select.matching(copy, compile_filter(where))


MANY = """
    [[policy]]
    name = "eq-two"
    where = "settings.optOut.enabled:*"
    require = { "settings.optOut.enabled" = true, "settings.optOut.text" = "STOP", "settings.rateLimit" = 500 }

    [[policy]]
    name = "conditions"
    [policy.require]
    campaignId = { present = true }
    "settings.rateLimit" = { min = 100, max = 1000 }
    "settings.signature.message" = { not = "" }

    [[policy]]
    name = "dates-lists"
    where = "!inactive"
    require.settings.outOfOffice.endDate = { max = 2026-06-01 }
    require.settings.autoForward.emailAddresses = { present = false }

    [[policy]]
    name = "absent-ok"
    where = "settings.aiSettings.isEnabled:true or class:p2p"
    require = { "settings.aiSettings.isEnabled" = false, "externalId" = { present = false } }
    """


async def test_every_result_is_what_a_plain_pass_over_the_documents_finds(tmp_path, sandbox, client, copy):
    from actui.core.filter_values import value_at

    numbers = sandbox.state.numbers()
    seed_hostile(sandbox, numbers[5])
    odd = deep.deepcopy(sandbox.state.detail(numbers[6]))
    odd["settings"]["rateLimit"] = True
    odd["settings"]["optOut"] = {"enabled": 1, "text": None}
    sandbox.state.put_raw(odd)
    await sync(client, copy, details=True, max_age=900)
    docs = {number: sandbox.state.detail(number) for number in copy.numbers()}
    policies = policy_set(tmp_path, MANY)

    for found in judged(policies, copy, names=["eq-two", "conditions", "dates-lists", "absent-ok"]):
        policy = found.policy
        kept_ = copy_select.matching(copy, compile_filter(policy.where))
        expected: dict[str, list[Breach]] = {}
        for number in kept_:
            for requirement in policy.requires:
                actual = value_at(docs[number], requirement.path.split("."))
                if not requirement.condition.holds(actual):
                    expected.setdefault(number, []).append(
                        Breach(requirement.path, requirement.condition.describe(), actual))
        assert found.checked == kept_
        assert found.breaking == expected, policy.name
        assert 0 < len(found.breaking) < len(found.checked), policy.name   # the case discriminates
        settable = {r.path for r in policy.requires if r.condition.settable}
        for number, breaches in expected.items():
            fix: dict = {}
            for breach in breaches:
                if breach.path in settable:
                    set_path(fix, breach.path, next(r.condition.value for r in policy.requires
                                                    if r.path == breach.path))
            assert found.fixes.get(number, {}) == fix
            assert found.unfixable.get(number, []) == [b for b in breaches if b.path not in settable]


async def test_the_columns_read_are_let_go_unless_kept(tmp_path, sandbox, client, copy):
    await sync(client, copy, details=True, max_age=900)
    values = copy.values()
    values.prepare(["settings.rateLimit"])
    policies = policy_set(tmp_path)

    evaluate(policies, copy)
    assert "settings.rateLimit" in values.paths and len(values.paths) <= 3

    evaluate(policies, copy, keep_columns=True)
    assert set(needed_paths(policies)) <= set(values.paths)


@pytest.mark.parametrize("where", ["sip", "sip-", "555-01", "(415)", "office", "!sip", "tel"])
def test_a_word_matches_numbers_that_are_not_nanp_as_the_lists_filter_does(tmp_path, copy, where):
    odd = ["SIP-Office", "+442071838750", "+1415555010\nsip", "tel:+14155550102"]
    items = [{"phoneNumber": number, "status": "Active", "description": "desk",
              "settings": {"optOut": {"enabled": False}}} for number in ["+14155550100", *odd, "+14155550101"]]
    copy.put_list_items(items, 1.0)
    policies = policy_set(tmp_path, f"""
        [[policy]]
        name = "w"
        where = '{where}'
        require = {{ "settings.optOut.enabled" = true }}
        """)

    found = judged(policies, copy, names=["w"])[0]

    assert found.checked == copy_select.matching(copy, compile_filter(where))
