"""The sandbox's own rules (rules.py), written from the guide: independent of the client, judging only
what a request sends, and never blocking a PUT because of an odd value already stored."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from actui.sandbox import SandboxServer
from actui.sandbox.rules import Refused, check_order, check_update, cron_problem, email_problem, parse_date

from .helpers import order_body, path, provision_entry

SANDBOX = Path(__file__).resolve().parents[2] / "actui" / "sandbox"


def test_the_sandbox_never_checks_requests_with_the_clients_models():
    for source in SANDBOX.glob("*.py"):
        tree = ast.parse(source.read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
        assert not any(m.endswith(("_models", "api.outgoing", "api.value_checks")) for m in imported), source.name
        assert not {"validate_outgoing", "PhoneNumberUpdate", "ProvisionRequest", "check_e164"} & names, source.name


@pytest.mark.parametrize("cron, ok", [
    ("0 0 1 * *", True), ("*/15 0-6 * JAN-MAR MON-FRI", True), ("30 8 1 */3 *", True), ("0 9 * * 7", True),
    ("@daily", False), ("0 0 1 *", False), ("60 0 * * *", False), ("0 24 * * *", False), ("0 0 0 * *", False),
    ("0 0 * 13 *", False), ("5-1 * * * *", False), ("*/0 * * * *", False), ("every day", False),
])
def test_cron_is_five_fields_in_range(cron, ok):
    assert (cron_problem(cron) is None) is ok, cron_problem(cron)


@pytest.mark.parametrize("address, ok", [
    ("support@example.com", True), ("first.last+tag@mail.example.co.uk", True),
    ("ops@localhost", False), ("a..b@example.com", False), ("no-at-sign", False), ("a b@example.com", False),
    (5, False),
])
def test_email_addresses(address, ok):
    assert (email_problem(address) is None) is ok


def test_iso_dates():
    assert parse_date("2025-01-15T00:00:00Z") and parse_date("2025-01-15T00:00:00+02:00")
    assert parse_date("tomorrow") is None and parse_date("2025-13-01T00:00:00Z") is None and parse_date(5) is None


def test_a_put_is_judged_only_on_what_it_sends():
    stored = {"provisionClass": "P2P", "billingPlanName": "P2P Legacy",
              "settings": {"optOut": {"periodicCron": "@daily"}, "rateLimit": "unlimited"}}
    check_update({"description": "new", "settings": {"optOut": {"text": "QUIT"}}}, stored)
    with pytest.raises(Refused) as refused:
        check_update({"billingPlanName": "P2P Legacy", "settings": {"optOut": {"periodicCron": "@daily"}}},
                     stored)
    assert {p.field for p in refused.value.problems} == {"billingPlanName", "settings.optOut.periodicCron"}


@pytest.mark.parametrize("body, field", [
    ({"isActivated": "yes"}, "isActivated"), ({"description": 5}, "description"),
    ({"settings": {"rateLimit": True}}, "settings.rateLimit"), ({"settings": {"optOut": "STOP"}}, "settings.optOut"),
    ({"settings": {"outOfOffice": {"startDate": "soon"}}}, "settings.outOfOffice.startDate"),
    ({"settings": {"autoForward": {"emailAddresses": "a@example.com"}}}, "settings.autoForward.emailAddresses"),
    ({"settings": "on"}, "settings"), ({"friendlyName": "x"}, "friendlyName"), ({"provider": "x"}, "provider"),
])
def test_put_types_are_the_guides(body, field):
    with pytest.raises(Refused) as refused:
        check_update(body, {})
    assert field in {p.field for p in refused.value.problems}


def test_a2p_numbers_keep_their_campaign_and_brand():
    with pytest.raises(Refused) as refused:
        check_update({"campaignId": None, "brandId": ""}, {"provisionClass": "A2P"})
    assert {p.field for p in refused.value.problems} == {"campaignId", "brandId"}
    check_update({"campaignId": None}, {"provisionClass": "P2P"})


def test_orders_guid_number_and_plan():
    check_order(order_body("Provision", provision_entry("+14155557001")))
    check_order(order_body("Unprovision", {"number": "+14155557001"}))
    with pytest.raises(Refused) as refused:
        check_order({"action": "Provision", "tenantId": "{not-a-guid}",
                     "phoneNumbers": [provision_entry("+19995551234", email="ops@localhost",
                                                      billingPlan="P2P Legacy"), "x"]})
    fields = {p.field for p in refused.value.problems}
    assert fields == {"tenantId", "phoneNumbers[0].number", "phoneNumbers[0].email",
                      "phoneNumbers[0].billingPlan", "phoneNumbers[1]"}


def test_a_number_that_cannot_exist_is_looked_up_not_refused(client, server):
    # a lookup needs only a possible number: reading is never refused, it is a 404 when not held
    r = client.get(path("+19995551234"))
    assert r.status_code == 404 and "not found" in r.json()["message"]
    # ... and one the server holds anyway is served
    doc = server.state.detail(server.state.numbers()[0])
    server.state.put_raw({**doc, "phoneNumber": "+19995551234"})
    assert client.get(path("+19995551234")).json()["phoneNumber"] == "+19995551234"
    # provisioning one is refused: a carrier cannot activate it
    r = client.post("/phone-numbers/provision", json=order_body("Provision", provision_entry("+19995551235")))
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "phoneNumbers[0].number"


def test_odd_seed_stores_odd_values_at_fixed_positions_and_unrelated_puts_pass(tmp_path):
    with SandboxServer(tmp_path / "odd.sqlite3", numbers=20, odd=True) as server:
        numbers = server.state.numbers()
        docs = [server.state.detail(n) for n in numbers]
        assert docs[1]["billingPlanName"] == "P2P Legacy"
        assert docs[2]["settings"]["optOut"]["periodicCron"] == "@daily"
        assert docs[3]["settings"]["autoForward"]["emailAddresses"][0] == "ops@localhost"
        assert docs[4]["legacyRouting"] and docs[4]["settings"]["smsGateway"]
        assert docs[4]["settings"]["optOut"]["keywordMatch"] == "exact"
        assert docs[5]["status"] == "Porting"
        assert docs[6]["settings"]["rateLimit"] == "unlimited"
        import httpx

        with httpx.Client(base_url=server.base_url, auth=(server.user, server.password)) as client:
            for position in range(1, 7):
                r = client.put(path(numbers[position]), json={"description": f"edited {position}",
                                                               "settings": {"signature": {"enabled": False}}})
                assert r.status_code == 200, r.text
                kept = r.json()
                assert kept["description"] == f"edited {position}"
                # the odd value is kept as it was
                for key in ("billingPlanName", "status", "legacyRouting"):
                    assert kept.get(key) == docs[position].get(key)
            # touching the odd value itself with another odd value is refused, naming it
            r = client.put(path(numbers[2]), json={"settings": {"optOut": {"periodicCron": "@weekly"}}})
            assert r.status_code == 400 and r.json()["errors"][0]["field"] == "settings.optOut.periodicCron"
            edited = client.get(path(numbers[1])).json()
    # a restart keeps what was edited: the odd values are stored once, not again over the edits
    with SandboxServer(tmp_path / "odd.sqlite3", numbers=20, odd=True) as server:
        assert server.state.detail(numbers[1]) == edited
