"""`numbers update --where ... --set PATH=VALUE` with a PATH no model knows: a typo, unless a selected number
already holds that field (the API keeps fields the guide does not list; they stay editable).

Such a path is left for later when the command line is checked, set as given (JSON, else text) in the plan,
and refused after the selected numbers are read, before anything is written, when none of them holds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..api.errors import FieldProblem
from ..core.fieldpaths import UnknownField, field_type, holds, parse_assignment, wire_path
from ..core.patch import set_path


def where_change(assignments: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The nested change every PATH=VALUE makes, and the paths in it no model knows."""
    change: dict[str, Any] = {}
    unknown: list[str] = []
    for text in assignments:
        try:
            path, value = parse_assignment(text)
        except UnknownField:
            path = wire_path(text.partition("=")[0].strip())
            path, value = parse_assignment(text, _holding(path))   # valued as for a number holding it
            unknown.append(path)
        set_path(change, path, value)
    return change, unknown


def require_held(unknown: list[str], documents: Iterable[Mapping[str, Any]]) -> None:
    """Refuse (UnknownField, naming the closest known path) every path none of `documents` holds."""
    documents = list(documents)
    problems: list[FieldProblem] = []
    for path in unknown:
        if any(holds(document, path) for document in documents):
            continue
        try:
            field_type(path)
        except UnknownField as exc:
            problems += [FieldProblem(p.field, f"{p.message} (and none of the {len(documents)} selected "
                                               "numbers holds it)") for p in exc.problems]
    if problems:
        raise UnknownField(problems)


def _holding(path: str) -> dict[str, Any]:
    document: dict[str, Any] = {}
    set_path(document, path, None)
    return document
