"""`actui provision`, `actui unprovision`, `actui orders show|watch` (`orders list` is orders_list.py)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from ..api.errors import ActuiError, ConfigError, FieldProblem, InvalidInput
from ..api.order_models import Order, ProvisionRequest
from ..api.outgoing import validate_outgoing
from ..config import require_tenant_id
from ..core.order_runs import BATCH_SIZE, place_orders
from ..core.orders import OrderBook, summary, watch_order
from ..core.session import Session
from . import output
from .common import number_arg, open_journal, refuse_read_only
from .connect import is_interactive
from .interaction import ask_on_stderr
from .local_store import open_command_store

EXIT_ORDER_NOT_COMPLETED = 3


def numbers_args(texts: list[str], country: str) -> list[str]:
    """The NUMBER arguments in E.164, each once; a bad or repeated one (also two spellings of one number)
    is refused, naming it, before anything is sent."""
    numbers: list[str] = []
    problems: list[FieldProblem] = []
    first: dict[str, tuple[int, str]] = {}
    for index, text in enumerate(texts):
        where = f"phoneNumbers[{index}].number"
        try:
            number = number_arg(text, country)
        except InvalidInput as exc:
            problems.extend(FieldProblem(where, p.message) for p in exc.problems)
            continue
        if number in first:
            at, spelled = first[number]
            both = f"{spelled!r} and {text!r}" if spelled != text else repr(text)
            problems.append(FieldProblem(where, f"{number} is given twice (NUMBER {at + 1} and {index + 1}: "
                                                f"{both}); give each number once"))
            continue
        first[number] = (index, text)
        numbers.append(number)
    if problems:
        raise InvalidInput(problems)
    return numbers


def provision_request(args: argparse.Namespace, tenant_id: str, country: str) -> dict:
    """The provision document from the command line; every number checked before anything is sent."""
    entries = []
    for number in numbers_args(args.numbers, country):
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
    refuse_read_only(session.connection, "provisioning is")
    tenant_id = require_tenant_id(session.connection)
    request = provision_request(args, tenant_id, session.connection.country)
    validate_outgoing(ProvisionRequest, request)  # refuse bad input before uploading or ordering anything
    if args.loa_file:
        url = await session.client.upload_loa(args.loa_file)
        for entry in request["phoneNumbers"]:
            entry["loaUrl"] = url
    by_number = {entry["number"]: entry for entry in request["phoneNumbers"]}

    def order(batch: list[str]):
        return session.client.provision({**request, "phoneNumbers": [by_number[n] for n in batch]})

    acks = await _orders(session, args, "provision", list(by_number), order)
    return await _after_submit(session, args, acks, "provision", list(by_number))


async def unprovision(session: Session, args: argparse.Namespace) -> int:
    refuse_read_only(session.connection, "unprovisioning is")
    tenant_id = require_tenant_id(session.connection)
    numbers = numbers_args(args.numbers, session.connection.country)
    if not args.yes:
        if not is_interactive():
            raise ConfigError("unprovision needs --yes when not run in a terminal")
        if not confirm_unprovision(numbers):
            print("nothing unprovisioned", file=sys.stderr)
            return 1
    acks = await _orders(session, args, "unprovision", numbers,
                         lambda batch: session.client.unprovision(tenant_id, batch))
    return await _after_submit(session, args, acks, "unprovision", numbers)


async def _orders(session: Session, args: argparse.Namespace, kind: str, numbers: list[str], request) -> list:
    """Orders of at most BATCH_SIZE numbers, one after another, each number journaled like the TUI's; a
    POST is never retried. When one fails, the orders placed all the same are tracked and named."""
    with open_journal(session.connection) as journal:
        try:
            return await place_orders(session.client, journal, kind, numbers, request, batch_size=BATCH_SIZE)
        except Exception as exc:
            placed = getattr(exc, "placed", [])
            for ack in placed:
                track(session, ack.order_id, kind, getattr(args, "provision_class", None))
            if placed:
                ids = ", ".join(str(ack.order_id) for ack in placed)
                output.say(f"actui: {len(placed)} of the orders were placed all the same ({ids}): follow them "
                           f"with actui orders watch ID", sys.stderr)
            raise


def confirm_unprovision(numbers: list[str], ask=ask_on_stderr) -> bool:
    """Default no: the user types the count (or 'yes' for one number) to go ahead."""
    if len(numbers) == 1:
        answer = ask(f"Unprovision {numbers[0]}? This releases the number. Type yes to confirm: ")
        return answer.strip().lower() == "yes"
    listing = ", ".join(numbers[:5]) + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")
    answer = ask(f"Unprovision {len(numbers)} numbers ({listing})? Type {len(numbers)} to confirm: ")
    return answer.strip() == str(len(numbers))


async def _after_submit(session: Session, args: argparse.Namespace, acks: list, verb: str,
                        numbers: list[str]) -> int:
    sizes = [len(numbers[i:i + BATCH_SIZE]) for i in range(0, len(numbers), BATCH_SIZE)]
    for ack in acks:
        track(session, ack.order_id, verb, getattr(args, "provision_class", None))
    if args.json and not args.wait:
        orders = [{"orderId": ack.order_id, "status": ack.status, "numbers": size}
                  for ack, size in zip(acks, sizes, strict=False)]
        single = {"orderId": acks[0].order_id, "status": acks[0].status} if len(acks) == 1 else {}
        output.print_json({**single, "orders": orders})
        return 0
    if not args.json:
        for ack, size in zip(acks, sizes, strict=False):
            output.say(f"{verb} order {ack.order_id} submitted for {size} number{'s' if size != 1 else ''} "
                       f"({ack.status or 'no status'})")
    if not args.wait:
        if not args.json:
            for ack in acks:
                output.say(f"follow it with: actui orders watch {ack.order_id}")
        return 0
    finals = [await _final(session, ack.order_id, args.json) for ack in acks]
    if args.json:
        output.print_json(finals[0].to_wire() if len(finals) == 1 else {"orders": [f.to_wire() for f in finals]})
    completed = all((f.status or "").lower() == "completed" for f in finals)
    return 0 if completed else EXIT_ORDER_NOT_COMPLETED


def remember(session: Session, order: Order) -> None:
    """What the API said of an order actui tracks, kept for `orders list` and the TUI's tracker (an order
    not tracked, or a read-only store, is left as it is)."""
    store = open_command_store()
    try:
        if not store.read_only:
            OrderBook(store, session.connection.account_key).record(order)
    finally:
        store.close()


def track(session: Session, order_id, verb: str, provision_class: str | None) -> None:
    """Orders submitted here show up in the TUI's order tracker too (it reads the same local store)."""
    store = open_command_store("track the order")
    try:
        OrderBook(store, session.connection.account_key).track(order_id, verb.capitalize(), provision_class)
    finally:
        store.close()


async def show(session: Session, args: argparse.Namespace) -> int:
    order = await session.client.get_order(args.order_id)
    remember(session, order)
    if args.json:
        output.print_json(order.to_wire())
    else:
        output.print_order(order)
    return 0


async def watch(session: Session, args: argparse.Namespace) -> int:
    as_json = getattr(args, "json", False)
    timeout = getattr(args, "timeout", None)
    try:
        final = await _final(session, args.order_id, as_json, timeout)
    except WatchTimedOut as stop:
        status = stop.last.status if stop.last is not None and stop.last.status else "not answered"
        raise ActuiError(f"order {args.order_id} is still {status} after {_duration(timeout or 0)}; "
                         f"`actui orders watch {args.order_id}` to keep following it") from None
    if as_json:
        output.print_json(final.to_wire())
    return 0 if (final.status or "").lower() == "completed" else EXIT_ORDER_NOT_COMPLETED


def _duration(seconds: float) -> str:
    """A --timeout as given: 5m, 1h, 90s."""
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


class WatchTimedOut(Exception):
    """--timeout passed before the order was final; `last` is what the API said last (None: nothing yet)."""

    def __init__(self, last: Order | None):
        super().__init__("timed out")
        self.last = last


async def _final(session: Session, order_id, as_json: bool, timeout: float | None = None) -> Order:
    """Follow one order until it is final, a line per change (none with --json); then the order. With a
    `timeout` (seconds), WatchTimedOut once it has passed: the poll due then is the last one."""
    last: list[Order] = []

    def changed(order: Order) -> None:
        last[:] = [order]
        remember(session, order)
        if not as_json:
            output.say(summary(order))
            sys.stdout.flush()

    sleep = asyncio.sleep
    if timeout is not None:
        deadline = time.monotonic() + timeout

        async def sleep(delay: float) -> None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WatchTimedOut(last[0] if last else None)
            await asyncio.sleep(min(delay, left))

    final = await watch_order(session.client, order_id, changed, sleep=sleep)
    if not as_json:
        output.print_order(final)
    return final
