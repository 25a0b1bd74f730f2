"""The provision form and the unprovision dialog against the sandbox on loopback (no client mocks).

A small App pushes the screen under test and records what it posts (OrderSubmitted) and what the screen
is dismissed with. "Nothing was sent" is checked on the server side: the sandbox counts every request.
"""


import pytest
from textual.widgets import Input, Select

from actui.api.errors import NotFound
from actui.api.order_models import OrderAck
from actui.sandbox.state import FIRST_ORDER_ID
from actui.tui.screens.provision import ProvisionScreen, SummaryScreen
from actui.tui.screens.unprovision import UnprovisionScreen
from actui.tui.widgets.number_input import NumberInput
from tests.helpers import TENANT, until
from tests.tui.provision_pilot import fill, form, provision_app, sent, submit_and_confirm, text_of, unprovision_app

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def numbers_in_inventory(client) -> set[str]:
    return {n.phone_number for n in await client.list_all()}


async def until_provisioned(pilot, client, numbers, present=True, timeout=10.0):
    async def done() -> bool:
        held = await numbers_in_inventory(client)
        return all((n in held) == present for n in numbers)

    await until(pilot, done, timeout, step=0.1, what=f"{numbers} {'in' if present else 'out of'} the inventory")


# --- provisioning -----------------------------------------------------------------------------------


async def test_p2p_numbers_in_two_formats_are_ordered_tracked_and_provisioned(sandbox, client):
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, "+14155550201\n(415) 555-0202\n")
        assert "2 numbers ready" in text_of(form(app), "#ni-status")
        await submit_and_confirm(pilot)
        assert len(app.results) == 1 and isinstance(app.results[0], OrderAck)
        ack = app.results[0]
        assert [(m.order_id, m.action, m.provision_class) for m in app.submitted] == [
            (str(ack.order_id), "Provision", "P2P")]
        assert sent(sandbox) == 1 and client.stats.requests == 1
        order = await client.get_order(ack.order_id)
        assert [i.number for i in order.phone_numbers] == ["+14155550201", "+14155550202"]
        assert (order.provision_class, order.provision_type) == ("P2P", "SMSMMS")
        await until_provisioned(pilot, client, ["+14155550201", "+14155550202"])


async def test_the_summary_names_the_count_and_escape_goes_back_without_sending(sandbox, client):
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, "+14155550201\n+14155550202\n+14155550203\n", billingPlan="P2P500")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        rows = dict(app.screen.rows)
        assert rows["Numbers"].startswith("(415) 555-0201, (415) 555-0202, (415) 555-0203")
        assert (rows["Class"], rows["Type"], rows["Billing plan"], rows["Tenant"]) == (
            "P2P", "SMSMMS", "P2P500", TENANT)
        assert "Campaign ID" not in rows
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ProvisionScreen))
        await pilot.app.workers.wait_for_complete()
        assert sent(sandbox) == 0 and app.results == [] and app.submitted == []


async def test_a2p_without_campaign_is_refused_before_anything_is_sent(sandbox, client):
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = form(app)
        assert not screen.query_one("#row-campaignId").display
        await fill(pilot, "+14155550201\n", provisionClass="A2P")
        assert screen.query_one("#row-campaignId").display
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProvisionScreen)
        assert "required for A2P numbers" in text_of(screen, "#error-campaignId")
        assert "required for A2P numbers" in text_of(screen, "#error-brandId")
        assert "Nothing was sent" in text_of(screen, "#prov-message")
        assert sent(sandbox) == 0 and client.stats.requests == 0 and app.submitted == []
        # fixing one field clears its message at once
        await fill(pilot, campaignId="C1")
        assert text_of(screen, "#error-campaignId") == ""


async def test_a2p_with_campaign_and_brand_is_accepted(sandbox_factory, client_factory):
    sandbox = sandbox_factory(a2p_seconds=0.3)
    client = client_factory(sandbox)
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, "4155550211\n", provisionClass="A2P", campaignId="C123", brandId="B456",
                   billingPlan="A2P250", provisionType="SMS")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        rows = dict(app.screen.rows)
        assert (rows["Class"], rows["Campaign ID"], rows["Brand ID"], rows["Billing plan"]) == (
            "A2P", "C123", "B456", "A2P250")
        await pilot.press("enter")
        await until(pilot, lambda: app.results)
        assert [(m.action, m.provision_class) for m in app.submitted] == [("Provision", "A2P")]
        await until_provisioned(pilot, client, ["+14155550211"])
        number = await client.get_number("+14155550211")
        assert (number.campaign_id, number.brand_id, number.provision_class) == ("C123", "B456", "A2P")


async def test_billing_plan_follows_the_class_and_keeps_its_tier(sandbox, client):
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = form(app)
        await fill(pilot, billingPlan="P2P500")
        await fill(pilot, provisionClass="A2P")
        plan = screen.query_one("#f-billingPlan", Select)
        assert plan.value == "A2P500"
        assert all(str(label).startswith("A2P") for label, _ in plan._options[1:])


async def test_live_status_counts_ready_numbers_and_names_bad_lines(sandbox, client):
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = form(app)
        await fill(pilot, "+14155550201\n415-555-0202\n(415) 555-0203\n12\n")
        status = text_of(screen, "#ni-status")
        assert status.startswith("3 numbers ready · line 4: '12' is not")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Numbers: 1 problem" in text_of(screen, "#prov-message")
        assert sent(sandbox) == 0


async def test_typed_numbers_update_the_status_live(sandbox, client):
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = form(app)
        assert "No numbers yet" in text_of(screen, "#ni-status")
        await pilot.press(*"4155550201", "enter", *"12")
        await pilot.pause()
        assert text_of(screen, "#ni-status").startswith("1 number ready · line 2: ")


async def test_csv_with_bad_rows_reports_each_by_line_and_sends_nothing(sandbox, client, tmp_path):
    csv = tmp_path / "numbers.csv"
    csv.write_text("number,email,class,type\n"                  # line 1
                   "+14155550221,a@example.com,P2P,SMS\n"      # 2 good
                   "+1415555,b@example.com,P2P,SMS\n"          # 3 bad number
                   "+14155550223,not-an-email,P2P,SMS\n"       # 4 bad email
                   "+14155550224,,B2B,SMS\n")                  # 5 bad class
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = form(app)
        await fill(pilot, csv=str(csv))
        status = text_of(screen, "#ni-status")
        assert status.startswith("1 number ready from the CSV")
        for line in ("line 3: number:", "line 4: email:", "line 5: provisionClass:"):
            assert line in status
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SummaryScreen)
        assert "Numbers: 3 problems" in text_of(screen, "#prov-message")
        assert sent(sandbox) == 0 and app.submitted == []


async def test_a_good_csv_is_provisioned_with_its_columns_and_the_form_defaults(sandbox, client, tmp_path):
    csv = tmp_path / "numbers.csv"
    csv.write_text("Phone Number,Email,Description\n"
                   "(415) 555-0231,front@example.com,\"Front desk, west\"\n"
                   "+14155550232,,Spare\n")
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, csv=str(csv), email="ops@example.com", provisionType="SMS")
        assert "2 numbers ready from the CSV" in text_of(form(app), "#ni-status")
        await submit_and_confirm(pilot)
        assert app.results and app.submitted[0].action == "Provision"
        await until_provisioned(pilot, client, ["+14155550231", "+14155550232"])
        first = await client.get_number("+14155550231")
        second = await client.get_number("+14155550232")
        assert (first.email, first.description) == ("front@example.com", "Front desk, west")
        assert (second.email, second.description) == ("ops@example.com", "Spare")


async def test_numbers_and_a_csv_at_once_are_refused(sandbox, client, tmp_path):
    csv = tmp_path / "numbers.csv"
    csv.write_text("number\n+14155550241\n")
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, "+14155550242\n", csv=str(csv))
        assert "not both" in text_of(form(app), "#ni-status")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sent(sandbox) == 0


async def test_loa_file_is_uploaded_after_confirming_and_its_url_is_used(sandbox, client, tmp_path):
    loa = tmp_path / "loa.pdf"
    loa.write_bytes(PDF)
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, "+14155550251\n", loaFile=str(loa))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert dict(app.screen.rows)["LOA"] == "loa.pdf (uploaded first)"
        assert sandbox.state.loa_count() == 0 and sent(sandbox) == 0   # not before the user confirms
        await pilot.press("enter")
        await until(pilot, lambda: app.results)
        assert sandbox.state.loa_count() == 1 and sent(sandbox) == 2    # the upload, then the order
        await until_provisioned(pilot, client, ["+14155550251"])
        number = await client.get_number("+14155550251")
        assert number.loa_url.startswith("https://sandbox.actui.invalid/loa/") and number.loa_url.endswith(".pdf")


async def test_loa_problems_stand_beside_the_field_and_nothing_is_sent(sandbox, client, tmp_path):
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = form(app)
        await fill(pilot, "+14155550252\n", loaFile=str(tmp_path / "missing.pdf"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "no file at" in text_of(screen, "#error-loaFile")
        await fill(pilot, loaUrl="https://example.com/loa.pdf")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not both" in text_of(screen, "#error-loaFile")
        assert sent(sandbox) == 0


async def test_no_tenant_id_says_how_to_set_one_and_refuses_to_submit(sandbox, client):
    app = provision_app(sandbox, client, tenant_id=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = form(app)
        how_to = text_of(screen, "#prov-tenant-missing")
        assert "ACTUI_TENANT_ID" in how_to and "--tenant-id" in how_to and "tenant_id" in how_to
        await fill(pilot, "+14155550261\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProvisionScreen)
        assert "No tenant id" in text_of(screen, "#prov-message")
        assert sent(sandbox) == 0 and app.submitted == []


async def test_a_dropped_post_leaves_the_state_unknown_and_is_never_retried(sandbox, client):
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = form(app)
        await fill(pilot, "+14155550271\n+14155550272\n")
        sandbox.faults.drop_every = 1        # the order is placed, then the connection is cut
        await submit_and_confirm(pilot)
        assert app.screen is screen and app.results == [] and app.submitted == []
        message = text_of(screen, "#prov-message")
        for words in ("state is UNKNOWN", "NOT retried", "refresh the list", "actui numbers show +14155550271",
                      "actui orders show", "order tracker", "Submitting again could order twice"):
            assert words in message
        assert sent(sandbox) == 1 and client.stats.requests == 1 and client.stats.retries == 0
        sandbox.faults.clear()
        # the POST did run, once: exactly one order exists
        order = await client.get_order(FIRST_ORDER_ID)
        assert [i.number for i in order.phone_numbers] == ["+14155550271", "+14155550272"]
        with pytest.raises(NotFound):
            await client.get_order(FIRST_ORDER_ID + 1)
        await until_provisioned(pilot, client, ["+14155550271", "+14155550272"])
        # submitting again warns in the summary that it could order twice
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert app.screen.state_unknown
        assert "could order twice" in text_of(app.screen, ".summary-warning")
        await pilot.press("escape")


async def test_the_server_refusing_a_number_is_shown_and_the_form_stays(sandbox, client):
    taken = (await client.list_page(1, 1)).items[0].phone_number
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = form(app)
        await fill(pilot, f"{taken}\n")
        await submit_and_confirm(pilot)
        assert app.screen is screen and app.submitted == []
        message = text_of(screen, "#prov-message")
        assert "HTTP 400" in message and "already provisioned" in message


async def test_escape_on_a_filled_form_asks_again_before_leaving(sandbox, client):
    app = provision_app(sandbox, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, "+14155550281\n")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProvisionScreen)
        assert "escape again" in text_of(app.screen, "#prov-message")
        await pilot.press("escape")
        await until(pilot, lambda: app.results == [None])


async def test_read_only_connection_gets_a_refusal_only(sandbox, client):
    app = provision_app(sandbox, client, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = form(app)
        assert text_of(screen, "#prov-refused").startswith("read-only:")
        assert not screen.query(Input) and not screen.query(NumberInput)
        await pilot.press("ctrl+s")
        await pilot.press("escape")
        await until(pilot, lambda: app.results == [None])
        assert sent(sandbox) == 0


# --- unprovisioning ---------------------------------------------------------------------------------


async def first_numbers(client, count):
    return [n.phone_number for n in (await client.list_page(1, count)).items]


def dialog(app) -> UnprovisionScreen:
    assert isinstance(app.screen, UnprovisionScreen), app.screen
    return app.screen


async def test_unprovision_refuses_a_wrong_count_then_escape_and_sends_nothing(sandbox, client):
    numbers = await first_numbers(client, 3)
    app = unprovision_app(sandbox, client, numbers)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = dialog(app)
        assert text_of(screen, "#unprov-title") == "Unprovision 3 numbers?"
        assert app.focused.id == "unprov-cancel"
        await pilot.press("2", "enter")          # typing goes to the box even from Cancel
        await pilot.pause()
        assert screen.query_one("#unprov-confirm", Input).value == "2"
        assert "'2' is not 3" in text_of(screen, "#unprov-error")
        assert "nothing was sent" in text_of(screen, "#unprov-error")
        assert app.screen is screen
        await pilot.press("escape")
        await until(pilot, lambda: app.results == [None])
        assert sent(sandbox) == 1 and app.submitted == []     # (1: listing the numbers above)


async def test_unprovision_default_is_no(sandbox, client):
    numbers = await first_numbers(client, 2)
    app = unprovision_app(sandbox, client, numbers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")                 # Cancel has the focus
        await until(pilot, lambda: app.results == [None])
    app = unprovision_app(sandbox, client, numbers)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog(app).query_one("#unprov-confirm", Input).focus()
        await pilot.press("enter")                 # enter on an empty box
        await until(pilot, lambda: app.results == [None])
    assert sent(sandbox) == 1


async def test_unprovision_with_the_right_count_places_the_order(sandbox, client):
    numbers = await first_numbers(client, 12)
    app = unprovision_app(sandbox, client, numbers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "2", "enter")      # typed from Cancel: both digits reach the box
        await until(pilot, lambda: app.results)
        ack = app.results[0]
        assert isinstance(ack, OrderAck)
        assert [(m.order_id, m.action, m.provision_class) for m in app.submitted] == [
            (str(ack.order_id), "Unprovision", None)]
        order = await client.get_order(ack.order_id)
        assert order.action == "Unprovision" and [i.number for i in order.phone_numbers] == numbers
        await until_provisioned(pilot, client, numbers, present=False)


async def test_one_number_is_confirmed_by_typing_it_in_national_format(sandbox, client):
    number = (await first_numbers(client, 1))[0]
    national = f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    app = unprovision_app(sandbox, client, [number])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = dialog(app)
        assert text_of(screen, "#unprov-title") == f"Unprovision {national}?"
        await pilot.press("1", "enter")          # the count is not enough for one number
        await pilot.pause()
        assert "is not the number being unprovisioned" in text_of(screen, "#unprov-error")
        screen.query_one("#unprov-confirm", Input).value = ""
        await pilot.press(*national, "enter")
        await until(pilot, lambda: app.results)
        assert isinstance(app.results[0], OrderAck)
        await until_provisioned(pilot, client, [number], present=False)


async def test_unprovision_dropped_post_is_unknown_and_not_retried(sandbox, client):
    numbers = await first_numbers(client, 2)
    before = sent(sandbox)
    app = unprovision_app(sandbox, client, numbers)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = dialog(app)
        sandbox.faults.drop_every = 1
        await pilot.press("2", "enter")
        await until(pilot, lambda: not screen.busy and "UNKNOWN" in text_of(screen, "#unprov-error"))
        await pilot.app.workers.wait_for_complete()
        error = text_of(screen, "#unprov-error")
        assert "NOT retried" in error and "could order twice" in error
        assert app.screen is screen and app.results == [] and app.submitted == []
        assert sent(sandbox) == before + 1
        assert screen.query_one("#unprov-confirm", Input).value == ""   # placing it again means retyping


async def test_unprovision_read_only_and_missing_tenant_refuse(sandbox, client):
    numbers = await first_numbers(client, 2)
    for conn, words in (({"read_only": True}, "read-only:"), ({"tenant_id": None}, "tenant id")):
        app = unprovision_app(sandbox, client, numbers, **conn)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = dialog(app)
            assert words in text_of(screen, "#unprov-refused")
            assert not screen.query(Input)
            await pilot.press("escape")
            await until(pilot, lambda app=app: app.results == [None])
    assert sent(sandbox) == 1


