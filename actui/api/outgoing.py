"""Judging a document before it is sent: every rule the guide gives, each bad field named by its wire path.

validate_outgoing judges a whole document. check_outgoing judges a partial update: a PUT sends only what
changed, but a list goes whole, and an address the number already held, which the client's rules
dislike, must not block adding another.
"""

from __future__ import annotations

import copy
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import FieldProblem, InvalidInput
from .tolerant import MAX_REPAIRS
from .vocabulary import IMMUTABLE_FIELDS

M = TypeVar("M", bound=BaseModel)


def validate_outgoing(model: type[M], data: Any) -> M:
    """Validate a document about to be sent; raise InvalidInput naming every bad field."""
    try:
        return model.model_validate(data, context={"outgoing": True})
    except ValidationError as exc:
        raise InvalidInput(problems_from(exc)) from None


def check_outgoing(model: type[BaseModel], data: Any, *, unchanged_from: Any = None) -> None:
    """validate_outgoing for a partial update, judging only what the user changes.

    With `unchanged_from` (the number as read before the change), a value sent as it already was there
    (an address already in the list when the list is sent whole) is not judged: odd data already on the
    server must not block an unrelated change. Raises InvalidInput naming every other bad field.
    """
    kept_items: dict[str, list[int]] = {}   # a list shortened below: the sent index of each item left
    for _ in range(MAX_REPAIRS):
        try:
            model.model_validate(data, context={"outgoing": True})
            return
        except ValidationError as exc:
            problems = problems_from(exc)
        if not isinstance(unchanged_from, dict):
            raise InvalidInput(problems)
        new = [p for p in problems if not _already_there(data, unchanged_from, p.field)]
        if new:
            raise InvalidInput([_as_sent(p, kept_items) for p in new])
        # every complaint was about a value already there, and pydantic stops at the first bad item of a
        # list: judge again without those values
        data = copy.deepcopy(data)
        for problem in problems:
            _drop_old(data, unchanged_from, problem.field, kept_items)


def _as_sent(problem: FieldProblem, kept_items: dict[str, list[int]]) -> FieldProblem:
    match = re.fullmatch(r"(.*)\[(\d+)\]", problem.field)
    if not match or match.group(1) not in kept_items:
        return problem
    return FieldProblem(f"{match.group(1)}[{kept_items[match.group(1)][int(match.group(2))]}]", problem.message)


def _drop_old(data: Any, before: dict[str, Any], path: str, kept_items: dict[str, list[int]]) -> None:
    match = re.fullmatch(r"(.*)\[(\d+)\]", path)
    base = match.group(1) if match else path
    parent_path, _, key = base.rpartition(".")
    parent = _path_value(data, parent_path)
    if not isinstance(parent, dict) or key not in parent:
        return
    if match and isinstance(parent[key], list):
        old = _path_value(before, base)
        indices = kept_items.get(base, list(range(len(parent[key]))))
        left = [(i, item) for i, item in zip(indices, parent[key], strict=False)
                if not (isinstance(old, list) and item in old)]
        kept_items[base] = [i for i, _ in left]
        parent[key] = [item for _, item in left]
    else:
        del parent[key]


def _already_there(data: Any, before: dict[str, Any], path: str) -> bool:
    match = re.fullmatch(r"(.*)\[(\d+)\]", path)
    if match:   # a list item: already anywhere in the list it had
        items, old = _path_value(data, match.group(1)), _path_value(before, match.group(1))
        index = int(match.group(2))
        return (isinstance(items, list) and isinstance(old, list) and index < len(items)
                and items[index] in old)
    value = _path_value(data, path)
    return value is not _ABSENT and value == _path_value(before, path)


_ABSENT = object()


def _path_value(doc: Any, path: str) -> Any:
    node = doc
    for part in path.split(".") if path else ():
        if not isinstance(node, dict) or part not in node:
            return _ABSENT
        node = node[part]
    return node


def problems_from(exc: ValidationError) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for err in exc.errors(include_url=False, include_input=False):
        path = _join_loc(err["loc"])
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        # A model-level rule names its own field as "field: text"; nest it under the model's path.
        head, sep, tail = message.partition(": ")
        if sep and re.fullmatch(r"[A-Za-z][\w.\[\]]*( and [A-Za-z]\w*)?", head):
            for field in head.split(" and "):
                problems.append(FieldProblem(f"{path}.{field}" if path else field, tail))
            continue
        elif message.startswith("[") and "]" in message:
            index, _, rest = message.partition("] ")
            path, message = f"{path}{index}]", rest
        if err["type"] == "extra_forbidden":
            field = path.rsplit(".", 1)[-1]
            message = ("cannot be changed after provisioning" if field in IMMUTABLE_FIELDS
                       else "is not an updatable field")
        elif err["type"] == "literal_error":
            message = "must be one of " + message.split("Input should be ", 1)[-1].replace(" or ", ", ")
        problems.append(FieldProblem(path, message))
    return problems


def _join_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
