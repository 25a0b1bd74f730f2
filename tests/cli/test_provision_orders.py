"""`actui provision`: duplicates refused before anything is sent, at most 100 numbers to an order, every
number journaled, a POST never retried."""

import json

import pytest

from tests.helpers import TENANT


def fresh_numbers(sandbox, count: int) -> list[str]:
    held = set(sandbox.state.numbers())
    numbers = [f"+1415555{i:04d}" for i in range(1000, 1000 + count + len(held))]
    return [n for n in numbers if n not in held][:count]


def provision(run, *numbers: str, extra: tuple[str, ...] = ()):
    return run("--tenant-id", TENANT, "provision", *numbers, "--class", "P2P", "--type", "SMS", *extra)


@pytest.mark.parametrize("numbers, named", [
    (("+14155550123", "+14155550234", "+14155550123"), "+14155550123 is given twice (NUMBER 1 and 3: "
                                                       "'+14155550123')"),
    (("+14155550123", "(415) 555-0123"), "+14155550123 is given twice (NUMBER 1 and 2: '+14155550123' and "
                                         "'(415) 555-0123')"),
])
def test_duplicates_are_refused_before_anything_is_sent(run, sandbox, numbers, named):
    requests = sandbox.faults.stats.requests
    code, out, err = provision(run, *numbers)
    assert code == 2 and out == "" and named in err
    assert sandbox.faults.stats.requests == requests


def test_unprovision_refuses_duplicates_too(run, sandbox):
    number = sandbox.state.numbers()[0]
    national = f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    code, out, err = run("--tenant-id", TENANT, "unprovision", number, national, "--yes")
    assert code == 2 and f"{number} is given twice" in err


def test_many_numbers_go_out_as_orders_of_at_most_100_each_journaled(run, sandbox):
    numbers = fresh_numbers(sandbox, 250)
    code, out, err = provision(run, *numbers, extra=("--json",))
    assert code == 0, err
    answer = json.loads(out)
    assert [o["numbers"] for o in answer["orders"]] == [100, 100, 50] and "orderId" not in answer
    ordered = []
    for order in answer["orders"]:
        ordered.extend(item["number"] for item in sandbox.state.order(order["orderId"])["phoneNumbers"])
    assert ordered == numbers                                  # each number once, in order
    code, out, _ = run("journal", "--run", "1", "--json")
    run_doc = json.loads(out)
    assert run_doc["kind"] == "provision" and run_doc["counts"] == {"ordered": 250}
    order_of = {i["number"]: next(c["new"] for c in i["changes"] if c["path"] == "orderId")
                for i in run_doc["items"]}
    assert set(order_of) == set(numbers) and len(set(order_of.values())) == 3


def test_one_order_keeps_its_short_json(run, sandbox):
    code, out, err = provision(run, *fresh_numbers(sandbox, 2), extra=("--json",))
    answer = json.loads(out)
    assert code == 0 and answer["orderId"] == answer["orders"][0]["orderId"] and answer["orders"][0]["numbers"] == 2


def test_a_post_is_never_retried(run, sandbox):
    numbers = fresh_numbers(sandbox, 150)
    sandbox.faults.error_every = 1                           # every request answers 503
    code, out, err = provision(run, *numbers)
    assert code == 1 and "NOT retried" in err and "Traceback" not in err
    assert sandbox.faults.stats.requests == 2                # one POST per order, none sent twice
    sandbox.faults.clear()
    code, out, _ = run("journal", "--run", "1", "--json")
    assert json.loads(out)["counts"] == {"unknown": 150}
