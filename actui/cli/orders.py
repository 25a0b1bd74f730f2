"""`actui provision`, `actui unprovision`, `actui orders show|watch`."""

from __future__ import annotations

import argparse
import sys

from ..api.errors import ConfigError, FieldProblem, InvalidInput
from ..api.models import Order, ProvisionRequest, validate_outgoing
from ..config import require_tenant_id
from ..core.order_runs import place_orders
from ..core.orders import OrderBook, account_key, summary, watch_order
from .local_store import open_store
from . import output
from .numbers import number_arg
from ..core.session import Session
from .session import is_interactive

EXIT_ORDER_NOT_COMPLETED = 3


def _refuse_read_only(session: Session, what: str) -> None:
    if session.connection.read_only:
        raise ConfigError(f"read-only: {what} is refused (drop --read-only or use a profile that allows writes)")


def provision_request(args: argparse.Namespace, tenant_id: str, country: str) -> dict:
    """The provision document from the command line; every number checked before anything is sent."""
    numbers, problems = [], []
    for index, text in enumerate(args.numbers):
        try:
            numbers.append(number_arg(text, country))
        except InvalidInput as exc:
            problems.extend(FieldProblem(f"phoneNumbers[{index}].number", p.message) for p in exc.problems)
    if problems:
        raise InvalidInput(problems)
    entries = []
    for number in numbers:
        entry: dict = {
            "number": number,
            "messagingFeature": {"provisionType": args.type, "provisionClass": args.provision_class},
        }
        for flag, key in (("email", "email"), ("description", "description"), ("domain", "domain"),
                          ("platform", "platformType"), ("campaign_id", "campaignId"), ("brand_id", "brandId"),
                          ("billing_plan", "billingPlan"), ("loa_url", "loaUrl")):
            value = getattr(args, flag, None)
            if value is not None:
                entry[key] = value
        entries.append(entry)
    return {"action": "Provision", "tenantId": tenant_id, "phoneNumbers": entries}


async def provision(session: Session, args: argparse.Namespace) -> int:
    _refuse_read_only(session, "provisioning")
    tenant_id = require_tenant_id(session.connection)
    request = provision_request(args, tenant_id, session.connection.country)
    if args.loa_file:
        validate_outgoing(ProvisionRequest, request)  # refuse bad input before uploading anything
        url = await session.client.upload_loa(args.loa_file)
        for entry in request["phoneNumbers"]:
            entry["loaUrl"] = url
    numbers = [entry["number"] for entry in request["phoneNumbers"]]
    ack = await _one_order(session, "provision", numbers, lambda _: session.client.provision(request))
    return await _after_submit(session, args, ack.order_id, ack.status, "provision", len(numbers))


async def unprovision(session: Session, args: argparse.Namespace) -> int:
    _refuse_read_only(session, "unprovisioning")
    tenant_id = require_tenant_id(session.connection)
    numbers = [number_arg(n, session.connection.country) for n in args.numbers]
    if not args.yes:
        if not is_interactive():
            raise ConfigError("unprovision needs --yes when not run in a terminal")
        if not confirm_unprovision(numbers):
            print("nothing unprovisioned", file=sys.stderr)
            return 1
    ack = await _one_order(session, "unprovision", numbers,
                           lambda batch: session.client.unprovision(tenant_id, batch))
    return await _after_submit(session, args, ack.order_id, ack.status, "unprovision", len(numbers))


async def _one_order(session: Session, kind: str, numbers: list[str], request):
    """One order for all the numbers, journaled per number like the TUI's (never retried)."""
    from .bulk_cmd import open_journal

    with open_journal(session.connection) as journal:
        [ack] = await place_orders(session.client, journal, kind, numbers, request,
                                   batch_size=max(1, len(numbers)))
    return ack


def confirm_unprovision(numbers: list[str], ask=input) -> bool:
    """Default no: the user types the count (or 'yes' for one number) to go ahead."""
    if len(numbers) == 1:
        answer = ask(f"Unprovision {numbers[0]}? This releases the number. Type yes to confirm: ")
        return answer.strip().lower() == "yes"
    listing = ", ".join(numbers[:5]) + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")
    answer = ask(f"Unprovision {len(numbers)} numbers ({listing})? Type {len(numbers)} to confirm: ")
    return answer.strip() == str(len(numbers))


async def _after_submit(session: Session, args: argparse.Namespace, order_id, status, verb: str, count: int) -> int:
    track(session, order_id, verb, getattr(args, "provision_class", None))
    if args.json and not args.wait:
        output.print_json({"orderId": order_id, "status": status})
        return 0
    if not args.json:
        print(f"{verb} order {order_id} submitted for {count} number{'s' if count != 1 else ''} ({status or 'no status'})")
    if not args.wait:
        if not args.json:
            print(f"follow it with: actui orders watch {order_id}")
        return 0
    return await _watch(session, order_id, args.json)


def track(session: Session, order_id, verb: str, provision_class: str | None) -> None:
    """Orders submitted here show up in the TUI's order tracker too (it reads the same local store)."""
    store = open_store("track the order")
    try:
        OrderBook(store, account_key(session.connection)).track(order_id, verb.capitalize(), provision_class)
    finally:
        store.close()


async def show(session: Session, args: argparse.Namespace) -> int:
    order = await session.client.get_order(args.order_id)
    if args.json:
        output.print_json(order.to_wire())
    else:
        output.show_order(order)
    return 0


async def watch(session: Session, args: argparse.Namespace) -> int:
    return await _watch(session, args.order_id, getattr(args, "json", False))


async def _watch(session: Session, order_id, as_json: bool) -> int:
    def changed(order: Order) -> None:
        if not as_json:
            print(summary(order), flush=True)

    final = await watch_order(session.client, order_id, changed)
    if as_json:
        output.print_json(final.to_wire())
    else:
        output.show_order(final)
    return 0 if (final.status or "").lower() == "completed" else EXIT_ORDER_NOT_COMPLETED
