"""The API client against answers that are not what they claim: a 2xx whose body is cut short or is a
proxy's HTML page. A GET reads again; a PUT says it may or may not have been applied (the bulk engine
then reads the number to find out); a POST is never sent twice and says the order's fate is unknown."""

from __future__ import annotations

import pytest

from actui.api.client import ApiClient
from actui.api.errors import OrderStateUnknown, ServerError
from tests.helpers import TENANT, fast_retry


@pytest.fixture
async def api(server):
    async with ApiClient(server.base_url, server.user, server.password, retry=fast_retry(3), timeout=5) as client:
        yield client


def strike_next(server, spec: str) -> None:
    """Switch `spec` (an *_every=2 fault) on so that it strikes the next request and not the one after."""
    server.faults.set(spec)
    requests = server.faults.stats.requests
    server.faults.stats.requests = requests + (1 if requests % 2 == 0 else 0)


@pytest.mark.parametrize("spec", ["html_every=2", "truncate_every=2"])
async def test_a_get_whose_answer_is_not_json_reads_again(api, server, spec):
    number = server.state.numbers()[0]
    strike_next(server, spec)
    doc = await api.get_number(number)
    assert doc.phone_number == number and api.stats.retries == 1


@pytest.mark.parametrize("spec, applied", [("html_every=2", False), ("truncate_every=2", True)])
async def test_a_put_whose_answer_is_not_json_may_have_been_applied(api, server, spec, applied):
    number = server.state.numbers()[0]
    strike_next(server, spec)
    with pytest.raises(ServerError, match="may or may not have been applied"):
        await api.update_number(number, {"description": "Maybe"})
    assert server.faults.stats.puts == 1    # a PUT that may have run is not sent again blindly
    assert (server.state.detail(number)["description"] == "Maybe") is applied


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
