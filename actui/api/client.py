"""The async client for the Approved Contact phone-number API, on httpx.

GET and PUT are retried on network faults, 5xx and 429 (RetryPolicy); POST never is.
Outgoing documents are validated first (outgoing.validate_outgoing): bad input never leaves the machine.
"""

from __future__ import annotations

import asyncio
import gc
import mimetypes
import platform
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from .. import __version__
from .body_errors import DEFAULT_MAX_BODY_MB, MB, UnreadableAnswer
from .errors import (
    ActuiError,
    ApiError,
    FieldProblem,
    InvalidInput,
    OrderStateUnknown,
    ServerError,
    ServerValidationError,
)
from .http_errors import error_from_response, error_from_transport
from .list_items import ListingNotes, read_items
from .list_page import ItemProblem, Page, split_envelope, totals
from .phone import InvalidNumber, check_e164, for_lookup
from .retry import RetryPolicy
from .transport import Wire, basic_authorization, make_transport

if TYPE_CHECKING:  # the models are imported where used: the TUI's first page needs none of them
    from .number_models import PhoneNumber
    from .order_models import Order, OrderAck, ProvisionRequest


USER_AGENT = f"actui/{__version__} httpx/{httpx.__version__} Python/{platform.python_version()}"
Parser = Callable[[list[Any]], list[Any]]


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RetryEvent:
    """Told to on_retry before each wait: what failed, which attempt follows, and for how long we wait."""

    method: str
    path: str
    attempt: int
    delay: float
    error: ActuiError


class ApiClient:
    def __init__(
        self,
        base_url: str,
        user: str,
        password: Any,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        max_connections: int = 16,
        on_retry: Callable[[RetryEvent], None] | None = None,
        max_body_mb: float = DEFAULT_MAX_BODY_MB,
    ):
        secret = password.reveal() if hasattr(password, "reveal") else str(password)
        self.base_url = base_url.rstrip("/")
        self.user = user
        self.retry = retry or RetryPolicy()
        self.stats = ClientStats()
        self.on_retry = on_retry
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        self._root = self.base_url + "/"
        self._wire = Wire(
            transport or make_transport(self._root, limits),
            # AsyncClient's default headers, ours over them
            {"Accept": "application/json", "Accept-Encoding": "gzip, deflate", "Connection": "keep-alive",
             "User-Agent": USER_AGENT, "Authorization": basic_authorization(user, secret)},
            httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            max_body=int(max_body_mb * MB),
        )

    def __repr__(self) -> str:
        return f"ApiClient(base_url={self.base_url!r}, user={self.user!r})"

    async def aclose(self) -> None:
        await self._wire.aclose()

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- numbers ----------------------------------------------------------------------------------

    async def list_page(self, page: int = 1, limit: int = 100, parse: Parser | None = None) -> Page[Any]:
        """One page of active numbers, as ListedNumber models (or whatever `parse` makes of the raw
        items: the list view turns them straight into compact rows). Items naming no number are left
        out, each noted in the page's `problems` with its position."""
        return await self._list_page(page, limit, parse, _list_json)

    async def _list_page(self, page: int, limit: int, parse: Parser | None,
                         decode: Callable[[httpx.Response], Any]) -> Page[Any]:
        if page < 1 or limit < 1:
            raise InvalidInput([FieldProblem("page" if page < 1 else "limit", "must be at least 1")])
        response = await self._send("GET", "phone-numbers/active", query=f"?page={page}&limit={limit}")
        fast = None
        if parse is None:
            from .list_fast_parse import parse_common_shapes

            fast = parse_common_shapes(response.content)
        if fast is not None:
            parsed, meta = fast
            sent, problems = len(parsed), list[ItemProblem]()
        else:
            items, meta = split_envelope(decode(response))
            parsed, problems = read_items(items, page, parse)
            sent = len(items)
        total, total_pages, has_more = totals(meta)
        return Page(parsed, page, limit, total, total_pages, has_more, tuple(problems), sent)

    async def iter_pages(self, limit: int = 100, concurrency: int = 8, parse: Parser | None = None,
                         notes: ListingNotes | None = None) -> AsyncIterator[Page[Any]]:
        """Every page of active numbers, in order, each number once (first wins).

        With a total known from the first page, the pages it implies are fetched `concurrency` at a time;
        then, or without one, sequentially while pages come back full (a total may be wrong: a full
        page means read on). A 400 on the first page with a large limit halves the limit and tries
        again (API-NOTES: never assume a maximum limit). `notes` gathers what the user should hear of:
        malformed items skipped, duplicates dropped, a total that disagrees with what arrived.
        """
        from .paging import iterate

        with _few_collections():
            async for page in iterate(self, limit, concurrency, parse,
                                      ListingNotes() if notes is None else notes):
                yield page

    async def iter_numbers(self, limit: int = 100, concurrency: int = 8,
                           notes: ListingNotes | None = None) -> AsyncIterator[PhoneNumber]:
        async for page in self.iter_pages(limit, concurrency, notes=notes):
            for number in page.items:
                yield number

    async def list_all(self, limit: int = 100, concurrency: int = 8,
                       notes: ListingNotes | None = None) -> list[PhoneNumber]:
        return [n async for n in self.iter_numbers(limit, concurrency, notes)]

    async def get_number(self, number: str, *, retry: RetryPolicy | None = None) -> PhoneNumber:
        """`retry`: this call's policy instead of the client's (the bulk engine handles 429s itself).

        Reading is never refused for the number's form: any number-like text is asked for (see
        phone.for_lookup), and the server's 404 says whether it exists. A detail with wrongly typed
        fields is read tolerantly (PhoneNumber.problems names them)."""
        path = _lookup_path(number)
        return _detail(await self._get_document(path, retry), "GET", path)

    async def update_number(self, number: str, patch: Mapping[str, Any], *,
                            retry: RetryPolicy | None = None,
                            current: Mapping[str, Any] | None = None) -> PhoneNumber:
        """PUT a partial document (core.patch.update_patch makes one); returns the server's new state.

        `current`: the number as read before the change; a value the patch sends as it already was
        (an old address in a list sent whole) is not judged (outgoing.check_outgoing)."""
        if not patch:
            raise InvalidInput([FieldProblem("", "nothing to update: the change is empty")])
        path = _number_path(number)
        from .number_models import PhoneNumberUpdate
        from .outgoing import check_outgoing

        check_outgoing(PhoneNumberUpdate, dict(patch), unchanged_from=dict(current) if current else None)
        response = await self._send("PUT", path, json=dict(patch), retry=retry)
        if response.content.strip():
            try:
                return _detail(_json(response), "PUT", path)
            except (ApiError, ValueError):
                # a 2xx whose body is cut short or not JSON: a proxy's page (nothing written) or the API's
                # answer mangled on the way (written): only reading the number again can tell
                return await self._read_back(number, path, patch, response.status_code, retry)
        return await self.get_number(number, retry=retry)

    async def _read_back(self, number: str, path: str, patch: Mapping[str, Any], status: int,
                         retry: RetryPolicy | None) -> PhoneNumber:
        """After a PUT answered with an unreadable body: the number if it holds the change, else why not."""
        said = f"PUT /{path}: the server answered HTTP {status} with a body that is not JSON"
        try:
            phone = await self.get_number(number, retry=retry)
        except ActuiError:
            raise ServerError(f"{said}, and the number could not be read back: the change may or may not have "
                              "been applied.", status=status, method="PUT", path="/" + path) from None
        if not _holds(phone.to_wire(), patch):
            raise ServerError(f"{said}; reading the number back shows the change was not applied.",
                              status=status, method="PUT", path="/" + path)
        return phone

    # --- orders -----------------------------------------------------------------------------------

    async def provision(self, request: ProvisionRequest | Mapping[str, Any]) -> OrderAck:
        """POST a provision or unprovision request. Never retried: a retry could order twice."""
        from .order_models import OrderAck, ProvisionRequest
        from .outgoing import validate_outgoing

        data = request.to_wire() if isinstance(request, ProvisionRequest) else dict(request)
        document = validate_outgoing(ProvisionRequest, data).to_wire()
        response = await self._send("POST", "phone-numbers/provision", json=document, may_act=True)
        try:
            return OrderAck.model_validate(_json(response))
        except (ApiError, ValueError):
            # accepted (2xx), but the answer cannot be read: the order id is lost, not the order
            raise OrderStateUnknown(f"POST /phone-numbers/provision: the server answered HTTP "
                                    f"{response.status_code} with a body that is not a readable order.",
                                    method="POST", path="/phone-numbers/provision") from None

    async def unprovision(self, tenant_id: str, numbers: Iterable[str]) -> OrderAck:
        return await self.provision({
            "action": "Unprovision",
            "tenantId": tenant_id,
            "phoneNumbers": [{"number": n} for n in numbers],
        })

    async def get_order(self, order_id: int | str) -> Order:
        text = str(order_id).strip()
        if not text or not text.replace("-", "").isalnum():
            raise InvalidInput([FieldProblem("orderId", f"{order_id!r} is not an order id")])
        document = await self._get_document(f"phone-numbers/orders/{quote(text, safe='')}", None)
        from .order_models import Order

        return Order.model_validate(document)

    async def upload_loa(self, path: Path | str) -> str:
        """POST /phone-numbers/loa (undocumented by the guide): multipart upload; returns the loaUrl."""
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise InvalidInput([FieldProblem("loaFile", f"cannot read {path}: {exc.strerror}")]) from None
        if not content:
            raise InvalidInput([FieldProblem("loaFile", f"{path} is empty")])
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        response = await self._send("POST", "phone-numbers/loa", files={"file": (path.name, content, kind)},
                                    may_act=False)
        body = _json(response)
        url = body.get("loaUrl") or body.get("url") if isinstance(body, dict) else None
        if not url:
            raise ApiError("the LOA upload answered without a loaUrl", status=response.status_code)
        return str(url)

    # --- transport --------------------------------------------------------------------------------

    async def _first_page(self, limit: int, parse: Parser | None) -> Page[Any]:
        while True:
            try:
                return await self.list_page(1, limit, parse)
            except ServerValidationError:
                if limit <= 10:
                    raise
                limit = max(10, limit // 2)

    async def _pages_concurrently(self, numbers: range, limit: int, concurrency: int,
                                  parse: Parser | None) -> AsyncIterator[Page]:
        """Fetch pages with at most `concurrency` requests in flight; yield them in order.

        Requests run ahead of the page being yielded by a bounded window, so one slow page does not
        stall the others (and memory stays bounded for streaming callers).
        """
        gate = asyncio.Semaphore(max(1, concurrency))
        window = max(1, concurrency) * 4

        async def fetch(number: int) -> Page[Any]:
            async with gate:
                return await self._list_page(number, limit, parse, _json_in_bulk)

        pending: dict[int, asyncio.Task[Page[Any]]] = {}
        upcoming = iter(numbers)
        try:
            for number in numbers:
                while len(pending) < window:
                    nxt = next(upcoming, None)
                    if nxt is None:
                        break
                    pending[nxt] = asyncio.ensure_future(fetch(nxt))
                page = await pending.pop(number)
                yield page
                if not page.received:
                    return
        finally:
            for task in pending.values():
                task.cancel()
            if pending:
                await asyncio.gather(*pending.values(), return_exceptions=True)

    async def _get_document(self, path: str, retry: RetryPolicy | None) -> Any:
        """GET one JSON document; an answer that is not JSON (a proxy's page, a body cut short) is retried
        as a 5xx is: a GET changes nothing."""
        policy = retry or self.retry
        attempt = 0
        while True:
            attempt += 1
            response = await self._send("GET", path, retry=retry)
            try:
                return _json(response)
            except ServerError as error:
                if not policy.should_retry(error, attempt):
                    raise
                delay = policy.delay(error, attempt)
                self.stats.retries += 1
                if self.on_retry:
                    self.on_retry(RetryEvent("GET", "/" + path, attempt + 1, delay, error))
                await asyncio.sleep(delay)

    async def _send(self, method: str, path: str, *, query: str = "", may_act: bool = False,
                    retry: RetryPolicy | None = None, **content: Any) -> httpx.Response:
        retryable = method in ("GET", "PUT", "HEAD", "DELETE") and not may_act
        policy = retry or self.retry
        url = self._root + path + query
        attempt = 0
        while True:
            attempt += 1
            self.stats.requests += 1
            try:
                response = await self._wire.send(method, url, **content)
            except httpx.HTTPError as exc:
                error: ActuiError = error_from_transport(exc, method, "/" + path, may_have_acted=may_act)
            else:
                status = response.status_code
                by_status = self.stats.by_status
                by_status[status] = by_status.get(status, 0) + 1
                if status < 400:
                    return response
                error = error_from_response(response, method, "/" + path)
                if may_act and isinstance(error, ServerError):
                    error = OrderStateUnknown(str(error.args[0]), method=method, path="/" + path)
            if not retryable or not policy.should_retry(error, attempt):
                raise error
            delay = policy.delay(error, attempt)
            self.stats.retries += 1
            if self.on_retry:
                self.on_retry(RetryEvent(method, "/" + path, attempt + 1, delay, error))
            await asyncio.sleep(delay)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Fewer young-generation garbage collections while a bulk listing runs.

    Parsing 100,000 numbers allocates millions of short-lived, acyclic objects (freed by reference
    counting); at the default threshold the cyclic collector runs thousands of times for nothing,
    which costs a sixth of the fetch. The threshold is restored when the listing ends.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], 50_000), old[1], old[2])
    try:
        yield
    finally:
        if gc.get_threshold()[0] == max(old[0], 50_000):
            gc.set_threshold(*old)


def _holds(document: Any, change: Any) -> bool:
    """Whether `document` holds every value of a partial `change` (objects compared key by key)."""
    if isinstance(change, Mapping):
        return isinstance(document, Mapping) and all(
            _holds(document.get(key), value) for key, value in change.items())
    return document == change


def _number_path(number: str) -> str:
    try:
        e164 = check_e164(number)
    except InvalidNumber as exc:
        raise InvalidInput([FieldProblem("number", str(exc))]) from None
    return "phone-numbers/" + quote(e164, safe="")


def _lookup_path(number: str) -> str:
    """The path to read one number: normalised where it can be, percent-encoded always, never refused
    for being a number libphonenumber does not know."""
    try:
        key = for_lookup(number)
    except InvalidNumber as exc:
        raise InvalidInput([FieldProblem("number", str(exc))]) from None
    return "phone-numbers/" + quote(key, safe="")


def _detail(body: Any, method: str, path: str) -> PhoneNumber:
    """A number's detail, read tolerantly; an answer that is no number at all is the server's error."""
    from pydantic import ValidationError

    from .number_models import PhoneNumber

    try:
        return PhoneNumber.model_validate(body)
    except ValidationError:
        kind = "an object without a usable phoneNumber" if isinstance(body, dict) else f"JSON {type(body).__name__}"
        raise ApiError(f"{method} /{path}: the server answered with {kind}, not a phone number",
                       method=method, path="/" + path) from None


def _json_in_bulk(response: httpx.Response) -> Any:
    """The body parsed by pydantic-core, for the pages a listing fetches in bulk: list pages repeat the same
    keys a hundred times, and it makes each key string once ("keys"), which takes a third off json.loads.
    (Not for the first page: the TUI shows that one before pydantic-core is imported.)"""
    from pydantic_core import from_json

    try:
        return from_json(response.content, cache_strings="keys")
    except ValueError:
        return _list_json(response)  # whatever json.loads makes of it (another encoding), or its error


def _list_json(response: httpx.Response) -> Any:
    """The body of a list page; UnreadableAnswer when it is not JSON (worth retrying later: a proxy's page,
    a server restarting)."""
    try:
        return response.json()
    except ValueError:
        raise UnreadableAnswer(
            f"{response.request.method} {response.request.url.path}: the server answered "
            f"HTTP {response.status_code} with a body that is not JSON",
            status=response.status_code,
        ) from None


def _json(response: httpx.Response) -> Any:
    """The body as JSON; a body that is not (an HTML page, a cut-off answer) is a server fault: callers
    retry or report it as they do a 5xx."""
    try:
        return response.json()
    except ValueError:
        raise ServerError(
            f"{response.request.method} {response.request.url.path}: the server answered "
            f"HTTP {response.status_code} with a body that is not JSON",
            status=response.status_code,
        ) from None
