"""Provision and unprovision orders: validation, progress by the clock, effects applied once."""

from __future__ import annotations

from actui.api.order_models import is_final_status
from actui.sandbox.state import CARRIER_FAILURE, SandboxState

from .helpers import TENANT, order_body, path, provision_entry

NEW = "+14155557001"
NEW2 = "+12125557002"
FAILING = "+14155550142"


def place(client, action: str, *entries: dict) -> int:
    r = client.post("/phone-numbers/provision", json=order_body(action, *entries))
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "Pending"
    return r.json()["orderId"]


def test_p2p_provision_goes_pending_inprogress_completed_by_the_clock(client, server, clock):
    settings = {"optOut": {"enabled": True, "text": "STOP"}, "customSection": {"x": 1}}
    order_id = place(client, "Provision", provision_entry(NEW, settings=settings))
    assert order_id == 12345
    order = client.get(f"/phone-numbers/orders/{order_id}").json()
    assert order["status"] == "Pending" and order["completionDate"] is None
    assert order["phoneNumbers"][0]["status"] == "Pending"
    assert (order["action"], order["tenantId"], order["provisionClass"], order["provisionType"]) == \
        ("Provision", TENANT, "P2P", "SMSMMS")
    assert "errorMessage" not in order["phoneNumbers"][0]
    assert client.get(path(NEW)).status_code == 404

    clock.advance(1.0)  # 1 s of the default 3 s: past the first 20%
    assert client.get(f"/phone-numbers/orders/{order_id}").json()["status"] == "InProgress"
    assert client.get(path(NEW)).status_code == 404

    clock.advance(2.0)
    order = client.get(f"/phone-numbers/orders/{order_id}").json()
    assert order["status"] == "Completed" and is_final_status(order["status"])
    assert order["completionDate"] is not None and order["completionDate"] >= order["createDate"]
    item = order["phoneNumbers"][0]
    assert item["status"] == "Completed" and item["email"] == "support@example.com"

    d = client.get(path(NEW)).json()
    assert d["status"] == "Active" and d["phoneNumberId"] == item["phoneNumberId"]
    assert d["billingPlanName"] == "500" and d["platformType"] == "TeamsIndividual"
    assert d["createdAt"] == order["createDate"] and d["activatedAt"] == order["completionDate"]
    assert d["friendlyName"] == "(415) 555-7001" and d["capabilities"] == {"sms": True, "mms": True}
    assert d["settings"] == settings and d["microsoftTenantId"] == TENANT
    listed = client.get("/phone-numbers/active", params={"limit": 1000}).json()
    assert listed["total"] == 121 and listed["phoneNumbers"][-1]["phoneNumber"] == NEW


def test_inventory_changes_without_anyone_reading_the_order(client, server, clock):
    place(client, "Provision", provision_entry(NEW))
    clock.advance(3.0)
    assert client.get(path(NEW)).status_code == 200
    assert server.state.count() == 121


def test_a2p_takes_longer_and_needs_campaign_and_brand(client, clock):
    entry = provision_entry(NEW, "A2P")
    del entry["campaignId"], entry["brandId"]
    r = client.post("/phone-numbers/provision", json=order_body("Provision", entry))
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {"phoneNumbers[0].campaignId", "phoneNumbers[0].brandId"}

    order_id = place(client, "Provision", provision_entry(NEW, "A2P"))
    clock.advance(30)
    assert client.get(f"/phone-numbers/orders/{order_id}").json()["status"] == "InProgress"
    clock.advance(10)
    assert client.get(f"/phone-numbers/orders/{order_id}").json()["status"] == "Completed"
    d = client.get(path(NEW)).json()
    assert (d["provisionClass"], d["campaignId"], d["brandId"]) == ("A2P", "C1A2B3C", "B9X8Y7Z")


def test_555_01xx_numbers_fail_partially_or_wholly(client, clock):
    mixed = place(client, "Provision", provision_entry(NEW), provision_entry(FAILING))
    alone = place(client, "Provision", provision_entry("+13125550100"))
    assert alone == mixed + 1
    clock.advance(3)
    order = client.get(f"/phone-numbers/orders/{mixed}").json()
    assert order["status"] == "PartiallyCompleted"
    ok, bad = order["phoneNumbers"]
    assert ok["status"] == "Completed" and "errorMessage" not in ok
    assert bad["status"] == "Failed" and bad["errorMessage"] == CARRIER_FAILURE
    assert client.get(f"/phone-numbers/orders/{alone}").json()["status"] == "Failed"
    assert client.get(path(NEW)).status_code == 200
    assert client.get(path(FAILING)).status_code == 404


def test_unprovision_removes_the_number(client, server, clock):
    victim = server.state.numbers()[3]
    before = server.state.detail(victim)
    order_id = place(client, "Unprovision", {"number": victim})
    order = client.get(f"/phone-numbers/orders/{order_id}").json()
    assert order["action"] == "Unprovision" and order["phoneNumbers"][0]["phoneNumberId"] == before["phoneNumberId"]
    assert order["provisionClass"] == before["provisionClass"]
    assert client.get(path(victim)).status_code == 200
    clock.advance(40)  # the number's class sets the duration: A2P takes a2p_seconds
    assert client.get(f"/phone-numbers/orders/{order_id}").json()["status"] == "Completed"
    assert client.get(path(victim)).status_code == 404
    assert victim not in server.state.numbers() and server.state.count() == 119


def test_refusals(client, server, clock):
    existing = server.state.numbers()[0]
    cases = [
        (order_body("Provision", provision_entry(existing)), "phoneNumbers[0].number", "already provisioned"),
        (order_body("Unprovision", {"number": NEW}), "phoneNumbers[0].number", "not in the inventory"),
        (order_body("Provision", provision_entry(NEW), provision_entry(NEW)), "phoneNumbers[1].number",
         "more than once"),
        (order_body("Provision", {"number": NEW}), "phoneNumbers[0].messagingFeature", "required"),
        ({"action": "Provision", "tenantId": "not-a-guid", "phoneNumbers": [provision_entry(NEW)]}, "tenantId", "GUID"),
        ({"action": "Delete", "tenantId": TENANT, "phoneNumbers": [provision_entry(NEW)]}, "action", "must be one of"),
        (order_body("Provision"), "phoneNumbers", "at least 1"),
        (order_body("Provision", provision_entry("4155557001")), "phoneNumbers[0].number", "E.164"),
        (order_body("Provision", provision_entry(NEW, billingPlan="A2P500")), "phoneNumbers[0].billingPlan",
         "not a P2P plan"),
    ]
    for body, field, words in cases:
        r = client.post("/phone-numbers/provision", json=body)
        assert r.status_code == 400, body
        errors = {e["field"]: e["message"] for e in r.json()["errors"]}
        assert field in errors and words in errors[field], (field, errors)
    assert server.state.count() == 120


def test_a_number_in_an_unfinished_order_cannot_be_ordered_again(client, server, clock):
    first = place(client, "Provision", provision_entry(NEW))
    r = client.post("/phone-numbers/provision", json=order_body("Provision", provision_entry(NEW)))
    assert r.status_code == 400 and f"order {first}" in r.json()["errors"][0]["message"]
    clock.advance(3)
    r = client.post("/phone-numbers/provision", json=order_body("Provision", provision_entry(NEW)))
    assert r.status_code == 400 and "already provisioned" in r.json()["errors"][0]["message"]
    # unprovision twice while the first is unfinished
    place(client, "Unprovision", {"number": NEW})
    r = client.post("/phone-numbers/provision", json=order_body("Unprovision", {"number": NEW}))
    assert r.status_code == 400 and "not complete yet" in r.json()["errors"][0]["message"]


def test_unknown_orders_are_404(client):
    for order_id in ("99999", "abc", "12345.0", "-1", "123456789012345678901234"):
        r = client.get(f"/phone-numbers/orders/{order_id}")
        assert r.status_code == 404 and r.json()["status"] == 404, order_id


def test_effects_apply_exactly_once_across_processes_sharing_the_file(tmp_path, clock):
    db = tmp_path / "shared.sqlite3"
    with SandboxState(db, numbers=10, clock=clock) as a, SandboxState(db, numbers=10, clock=clock) as b:
        order_id = a.submit(order_body("Provision", provision_entry(NEW)))
        clock.advance(5)
        assert b.settle() == 1 and a.settle() == 0
        assert a.count() == b.count() == 11
        assert a.order(order_id)["status"] == b.order(order_id)["status"] == "Completed"


def test_order_ids_and_inventory_survive_a_restart(tmp_path, clock):
    import httpx

    from actui.sandbox import SandboxServer

    db = tmp_path / "restart.sqlite3"
    with SandboxServer(db, numbers=30, clock=clock) as s:
        c = httpx.Client(base_url=s.base_url, auth=(s.user, s.password))
        first = place(c, "Provision", provision_entry(NEW))
        number = s.state.numbers()[0]
        assert c.put(path(number), json={"description": "kept"}).status_code == 200
    clock.advance(10)
    with SandboxServer(db, numbers=999, seed=99, clock=clock) as s:
        c = httpx.Client(base_url=s.base_url, auth=(s.user, s.password))
        assert s.state.count() == 31
        assert c.get(path(number)).json()["description"] == "kept"
        assert c.get(f"/phone-numbers/orders/{first}").json()["status"] == "Completed"
        assert place(c, "Provision", provision_entry(NEW2)) == first + 1
    with SandboxServer(db, numbers=30, reset=True, clock=clock) as s:
        assert s.state.count() == 30 and s.state.order(first) is None
