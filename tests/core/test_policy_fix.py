"""core/policy_fix.py against the sandbox on loopback: the bulk plan that fixes what policies find, planned from
the copy's fresh details without a GET (the others read and kept), numbers left out with why."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from actui.core.bulk import BulkEngine
from actui.core.cache_store import CacheStore
from actui.core.journal import Journal
from actui.core.local_copy import LocalCopy
from actui.core.policies import BUILTIN_NAMES, evaluate
from actui.core.policy_file import parse_policies
from actui.core.policy_fix import common_change, fix_description, fixing_policies, plan_fix
from actui.core.sync import sync

OFF = "\n[builtin]\n" + "".join(f"{name} = false\n" for name in BUILTIN_NAMES)
MAX_AGE = 900.0


def policies(text: str):
    return parse_policies(text + OFF, Path("policies.toml"))


@pytest.fixture
async def copy(tmp_path, client):
    store = CacheStore(tmp_path / "actui-cache.sqlite3")
    held = LocalCopy(store, "sandbox")
    await sync(client, held, details=True)
    yield held
    store.close()


@pytest.fixture
def engine(client, store):
    return BulkEngine(client, Journal(store, "sandbox", "sandbox"))


def a2p_numbers(server) -> list[str]:
    return [n for n in server.state.numbers() if server.state.detail(n).get("provisionClass") == "A2P"]


DESCRIBED = """
[[policy]]
name = "a2p-line"
where = "class:a2p"
require = { description = "A2P line", "settings.optOut.enabled" = true }
"""


async def test_a_fresh_copy_plans_every_breaking_number_without_a_get(sandbox, copy, engine):
    a2p = a2p_numbers(sandbox)
    results = evaluate(policies(DESCRIBED), copy)
    before = sandbox.faults.stats.requests

    plan, left_out = await plan_fix(engine, copy, results, max_age=MAX_AGE)

    assert sandbox.faults.stats.requests == before
    assert [item.number for item in plan.items] == list(results[0].fixes) and left_out == {}
    assert set(results[0].breaking) <= set(a2p) and len(plan.items) == len(results[0].breaking)
    for item in plan.items:
        assert item.patch.get("description", "A2P line") == "A2P line"
        assert {c.path for c in item.changes} <= {"description", "settings.optOut.enabled"}
        assert all(c.old != c.new for c in item.changes)
    assert plan.kind == "bulk" and plan.conflicts == {} and plan.unreadable == {}


async def test_stale_details_are_read_and_kept_and_a_number_fixed_meanwhile_is_unchanged(sandbox, copy, engine):
    results = evaluate(policies(DESCRIBED), copy)
    breaking = list(results[0].breaking)
    old = time.time() - 2 * MAX_AGE
    copy.put_details([(n, copy.detail(n)[0], old) for n in breaking[:3]])
    sandbox.state.update(breaking[0], {"description": "A2P line", "settings": {"optOut": {"enabled": True}}})
    before = sandbox.faults.stats.requests
    progress: list[tuple[int, int]] = []

    plan, _ = await plan_fix(engine, copy, results, max_age=MAX_AGE,
                             on_progress=lambda done, total: progress.append((done, total)))

    assert sandbox.faults.stats.requests - before == 3 and progress[-1] == (3, 3)
    assert plan.unchanged == [breaking[0]]
    assert [item.number for item in plan.items] == breaking[1:]
    assert all(copy.detail(n)[1] > old for n in breaking[:3])      # what was read is kept in the copy
    assert copy.detail(breaking[0])[0]["description"] == "A2P line"


async def test_clashes_and_breaches_no_value_fixes_are_left_out_with_why(sandbox, copy, engine):
    a2p = a2p_numbers(sandbox)
    doc = sandbox.state.detail(a2p[0])
    doc["settings"]["autoForward"] = {"enabled": True, "emailAddresses": []}
    doc["description"] = "A2P line"
    sandbox.state.put_raw(doc)
    await sync(engine.client, copy, details=True, max_age=0)
    set_ = policies("""
[[policy]]
name = "forward"
where = "class:a2p"
require = { "settings.autoForward.emailAddresses" = { present = true }, description = "A2P line" }

[[policy]]
name = "first-marked"
where = "number:""" + a2p[1][-4:] + """"
require = { description = "First" }
""")
    results = evaluate(set_, copy)

    plan, left_out = await plan_fix(engine, copy, results, max_age=MAX_AGE)

    assert left_out[a2p[0]] == ("forward: settings.autoForward.emailAddresses must be present "
                                "(no single value to set: not guessed)")
    assert left_out[a2p[1]] == "forward and first-marked ask different values of description: nothing set"
    planned = {item.number for item in plan.items}
    assert a2p[0] not in planned and a2p[1] not in planned
    assert planned == set(results[0].fixes) - {a2p[1]}
    assert fixing_policies(results, plan) == ["forward"]


async def test_a_builtin_finding_is_left_out_to_be_fixed_by_hand(sandbox, copy, engine):
    number = sandbox.state.numbers()[0]
    doc = sandbox.state.detail(number)
    doc["settings"]["outOfOffice"] = {"enabled": True, "endDate": "2020-01-31T23:59:59Z"}
    sandbox.state.put_raw(doc)
    await sync(engine.client, copy, details=True, max_age=0)
    results = evaluate(parse_policies("", Path("policies.toml")), copy, ["ooo-ended"])

    plan, left_out = await plan_fix(engine, copy, results, max_age=MAX_AGE)

    assert plan.items == [] and left_out[number].startswith("ooo-ended: settings.outOfOffice.endDate must be ")
    assert left_out[number].endswith("(a built-in check: fixed by hand)")


def test_the_runs_requested_change_is_the_common_one_or_nothing():
    same = {"description": "x"}
    assert common_change({"+1": same, "+2": dict(same)}) == same
    assert common_change({"+1": same, "+2": {"description": "y"}}) == {}
    assert common_change({}) == {}


def test_the_description_names_the_policies_once():
    assert fix_description(["a2p-stop", "ooo-ended", "a2p-stop"]) == "fix a2p-stop, ooo-ended"
    assert fix_description([]) == "fix"
