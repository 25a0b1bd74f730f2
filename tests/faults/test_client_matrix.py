"""The API client against answers that are not what they claim: a 2xx whose body is cut short or is a
proxy's HTML page. A GET reads again; a PUT reads the number back to tell whether it was applied (and
says it may or may not have been when it cannot); a POST is never sent twice and says the order's fate
is unknown."""

from __future__ import annotations

import pytest

from actui.api.errors import OrderStateUnknown, ServerError
from tests.helpers import TENANT, client_for, fast_retry


@pytest.fixture
async def api(server):
    async with client_for(server, retry=fast_retry(3), timeout=5) as client:
        yield client


@pytest.mark.parametrize("spec", ["html_every=2,on=GET", "truncate_every=2,on=GET"])
async def test_a_get_whose_answer_is_not_json_reads_again(api, server, spec):
    number = server.state.numbers()[0]
    server.faults.set(spec)
    await api.get_number(number)                  # the first GET passes, the second meets the fault
    doc = await api.get_number(number)
    assert doc.phone_number == number and api.stats.retries == 1


async def test_a_put_answered_by_a_proxys_page_is_read_back_and_found_not_applied(api, server):
    number = server.state.numbers()[0]
    server.faults.set("html_every=1,on=PUT")
    with pytest.raises(ServerError, match="shows the change was not applied"):
        await api.update_number(number, {"description": "Never"})
    assert server.faults.stats.puts == 1    # never sent again blindly
    assert server.state.detail(number)["description"] != "Never"


async def test_a_put_whose_answer_was_cut_short_is_read_back_and_found_applied(api, server):
    number = server.state.numbers()[0]
    server.faults.set("truncate_every=1,on=PUT")
    phone = await api.update_number(number, {"description": "Landed", "settings": {"rateLimit": 7}})
    assert phone.description == "Landed" and phone.settings.rate_limit == 7
    assert server.faults.stats.puts == 1


async def test_a_put_that_cannot_be_read_back_may_or_may_not_have_been_applied(api, server):
    number = server.state.numbers()[0]
    server.faults.set("truncate_every=1")
    with pytest.raises(ServerError, match="may or may not have been applied"):
        await api.update_number(number, {"description": "Unknown"})
    assert server.faults.stats.puts == 1


@pytest.mark.parametrize("spec, placed", [("html_every=1", False), ("truncate_every=1", True),
                                          ("hostile_every=1", True)])
async def test_an_unreadable_order_answer_is_an_unknown_order_state(api, server, spec, placed):
    server.faults.set(spec)
    order = {"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
        {"number": "+14155557001", "messagingFeature": {"provisionType": "SMS", "provisionClass": "P2P"}}]}
    if spec.startswith("hostile"):
        ack = await api.provision(order)    # readable, only hostile: the order id still comes through
        assert ack.order_id == 12345
    else:
        with pytest.raises(OrderStateUnknown, match="NOT retried"):
            await api.provision(order)
    assert server.faults.stats.posts == 1
    assert (server.state.order(12345) is not None) is placed
