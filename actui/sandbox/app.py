"""The sandbox's HTTP API: every endpoint of the vendor's guide, strict in what it accepts.

`build_app(state, user=..., password=...)` returns the ASGI app: HTTP Basic auth over `/api/v1/*`,
fault injection outermost (when given), and JSON error bodies everywhere:
`{"status", "title", "message", "errors": [{"field", "message"}]}` (`errors` only for field problems).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import secrets
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .fault_middleware import FaultMiddleware
from .faults import Faults
from .rules import Problem, Refused, check_order, number_problem
from .state import SandboxState

API = "/api/v1"
LIST_SHAPES = ("envelope", "array", "data", "items", "results", "nototal")
DEFAULT_LIMIT = 100
LOA_MAX_BYTES = 10 * 1024 * 1024
# magic bytes -> (content type, URL extension)
LOA_KINDS = {b"%PDF-": ("application/pdf", "pdf"), b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
             b"\xff\xd8\xff": ("image/jpeg", "jpg")}
# /phone-numbers/<these> are endpoints, not numbers: another method on them is a 405, not a bad number
_FIXED = {"provision": "POST", "loa": "POST", "active": "GET, HEAD"}


@dataclass
class SandboxOptions:
    """Server behaviour the guide leaves open; mutable while the server runs."""

    list_shape: str = "envelope"
    max_limit: int | None = None
    list_settings: bool = False   # list items carry each number's settings (the guide does not say)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "list_shape" and value not in LIST_SHAPES:
            raise ValueError(f"list_shape: must be one of {', '.join(LIST_SHAPES)}")
        if name == "max_limit" and value is not None and (not isinstance(value, int) or value < 1):
            raise ValueError("max_limit: must be a positive integer or None")
        super().__setattr__(name, value)


class ApiProblem(Exception):
    def __init__(self, status: int, message: str, errors: list[Problem] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.errors, self.headers = status, message, errors, headers


def problem_response(status: int, message: str, errors: list[Problem] | None = None,
                     headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "title": HTTPStatus(status).phrase, "message": message}
    if errors:
        body["errors"] = [{"field": p.field, "message": p.message} for p in errors]
    return JSONResponse(body, status_code=status, headers=headers)


def invalid(exc: Refused) -> ApiProblem:
    return ApiProblem(400, f"Invalid request: {exc}", exc.problems)


def build_app(state: SandboxState, *, user: str, password: str, options: SandboxOptions | None = None,
              faults: Faults | None = None) -> Any:
    api = _Api(state, user, options or SandboxOptions(), faults or Faults())
    prefix = f"{API}/phone-numbers"
    app = Starlette(
        routes=[
            Route(f"{prefix}/provision", api.provision, methods=["POST"]),
            Route(f"{prefix}/loa", api.upload_loa, methods=["POST"]),
            Route(f"{prefix}/active", api.list_active, methods=["GET"]),
            Route(prefix + "/orders/{order_id}", api.order, methods=["GET"]),
            Route(prefix + "/{number}", api.get_number, methods=["GET"]),
            Route(prefix + "/{number}", api.put_number, methods=["PUT"]),
        ],
        exception_handlers={ApiProblem: _on_problem, HTTPException: _on_http, Exception: _on_crash},
    )
    app = BasicAuth(app, user, password)
    return FaultMiddleware(app, faults) if faults is not None else app


class _Api:
    def __init__(self, state: SandboxState, user: str, options: SandboxOptions, faults: Faults):
        self.state = state
        self.user = user
        self.options = options
        self.faults = faults

    async def provision(self, request: Request) -> Response:
        body = await _json_object(request)
        try:
            check_order(body)
            order_id = self.state.submit(body, owner=self.user)
        except Refused as exc:
            raise invalid(exc) from None
        return JSONResponse({"orderId": order_id, "status": "Pending"}, status_code=202)

    async def order(self, request: Request) -> Response:
        raw = request.path_params["order_id"]
        order = self.state.order(int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
        if order is None:
            raise ApiProblem(404, f"Order {raw} was not found")
        return JSONResponse(order)

    async def list_active(self, request: Request) -> Response:
        params = request.query_params
        problems: list[Problem] = []
        page = _positive_int(params.get("page"), "page", 1, problems)
        limit = _positive_int(params.get("limit"), "limit", DEFAULT_LIMIT, problems)
        max_limit = self.options.max_limit
        if not problems and max_limit is not None and limit > max_limit:
            problems.append(Problem("limit", f"must be at most {max_limit}"))
        if problems:
            raise ApiProblem(400, "; ".join(map(str, problems)), problems)
        rows, total = self._page(page, limit)
        faults = self.faults
        if faults.duplicates and page > 1 and rows:
            # the previous page's tail again, as a list shifted by inserts between two reads shows it
            rows = self._page(page - 1, limit)[0][-faults.duplicates:] + rows
            faults.note("duplicates")
        if faults.lying_total is not None:
            total = faults.lying_total
            faults.note("lying_total")
        items = f"[{','.join(rows)}]"
        more = "true" if page * limit < total else "false"
        shape = self.options.list_shape
        if shape == "array":
            text = items
        elif shape == "data":
            text = f'{{"data":{items},"totalCount":{total}}}'
        elif shape == "items":
            text = f'{{"items":{items},"count":{total}}}'
        elif shape == "results":
            text = f'{{"results":{items},"hasMore":{more}}}'
        elif shape == "nototal":
            text = f'{{"phoneNumbers":{items}}}'
        else:
            text = (f'{{"phoneNumbers":{items},"page":{page},"limit":{limit},"total":{total},'
                    f'"totalPages":{math.ceil(max(total, 0) / limit)},"hasMore":{more}}}')
        return Response(text, media_type="application/json")

    def _page(self, page: int, limit: int) -> tuple[list[str], int]:
        if self.options.list_settings:
            return self.state.page(page, limit, with_settings=True)
        return self.state.page(page, limit)

    async def get_number(self, request: Request) -> Response:
        number = self._listed(request)
        text = self.state.detail_json(number)
        if text is None:
            raise _not_in_inventory(number)
        return Response(text, media_type="application/json")

    async def put_number(self, request: Request) -> Response:
        number = self._listed(request)
        body = await _json_object(request)
        try:
            text = self.state.update(number, body)
        except Refused as exc:
            raise invalid(exc) from None
        if text is None:
            raise _not_in_inventory(number)
        return Response(text, media_type="application/json")

    def _listed(self, request: Request) -> str:
        """The number in the path; a 404 when the vanish_every fault says it was deleted after listing."""
        number = _number(request)
        if self.faults.vanish_every:
            numbers = self.state.numbers()
            if number in numbers and self.faults.vanished(numbers.index(number)):
                self.faults.note("vanished")
                raise _not_in_inventory(number)
        return number

    async def upload_loa(self, request: Request) -> Response:
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise _loa_problem("required: send the document as multipart/form-data with a 'file' field")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > LOA_MAX_BYTES + 64 * 1024:
            raise _loa_problem("must be at most 10 MB")
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise _loa_problem("required: the document as a file part named 'file'")
            data = await upload.read(LOA_MAX_BYTES + 1)
            name = upload.filename or ""
        if not data:
            raise _loa_problem("is empty")
        if len(data) > LOA_MAX_BYTES:
            raise _loa_problem("must be at most 10 MB")
        kind = next((k for magic, k in LOA_KINDS.items() if data.startswith(magic)), None)
        if kind is None:
            raise _loa_problem("must be a PDF, PNG or JPEG document")
        content_type, extension = kind
        stored = self.state.store_loa(name or f"loa.{extension}", content_type, data, extension)
        return JSONResponse(stored, status_code=201)


def _number(request: Request) -> str:
    raw = request.path_params["number"]
    if raw in _FIXED:
        raise HTTPException(405, headers={"Allow": _FIXED[raw]})
    if raw == "orders":
        raise ApiProblem(404, "An order id is required: /phone-numbers/orders/{orderId}")
    problem = number_problem(raw, valid=False)  # a lookup: the number need only be possible, not valid
    if problem:
        raise ApiProblem(400, problem, [Problem("number", problem)])
    return raw


def _not_in_inventory(number: str) -> ApiProblem:
    return ApiProblem(404, f"Phone number {number} was not found in the inventory")


def _loa_problem(message: str) -> ApiProblem:
    problem = Problem("file", message)
    return ApiProblem(400, str(problem), [problem])


def _positive_int(raw: str | None, name: str, default: int, problems: list[Problem]) -> int:
    if raw is None:
        return default
    if raw.isascii() and raw.isdigit() and int(raw) >= 1:
        return int(raw)
    problems.append(Problem(name, f"{raw!r} is not a positive integer"))
    return default


async def _json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ApiProblem(400, f"The request body is not valid JSON ({exc.msg} at position {exc.pos})") from None
    except UnicodeDecodeError:
        raise ApiProblem(400, "The request body is not valid JSON (not UTF-8)") from None
    if not isinstance(body, dict):
        raise ApiProblem(400, "The request body must be a JSON object")
    return body


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return problem_response(exc.status, exc.message, exc.errors, exc.headers)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    where = f"{request.method} {request.url.path}"
    if exc.status_code == 404:
        message = f"No such endpoint: {where}"
    elif exc.status_code == 405:
        message = f"Method not allowed: {where} (allowed: {(exc.headers or {}).get('Allow', '?')})"
    else:
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return problem_response(exc.status_code, message, headers=exc.headers)


async def _on_crash(request: Request, exc: Exception) -> Response:
    return problem_response(500, f"Internal sandbox error: {type(exc).__name__}")


class BasicAuth:
    """HTTP Basic over `/api/v1/*`: 401 with a JSON body and `WWW-Authenticate: Basic` otherwise."""

    def __init__(self, app: Any, user: str, password: str, prefix: str = API):
        self.app = app
        self.prefix = prefix
        self.expected = f"{user}:{password}".encode()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix) and not self._allowed(scope):
            response = problem_response(
                401, "Authentication required: HTTP Basic with the account's email and password",
                headers={"WWW-Authenticate": 'Basic realm="Approved Contact sandbox"'})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _allowed(self, scope: dict) -> bool:
        header = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
        scheme, _, token = header.partition(b" ")
        if scheme.lower() != b"basic":
            return False
        try:
            given = base64.b64decode(token.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        return secrets.compare_digest(given, self.expected)
