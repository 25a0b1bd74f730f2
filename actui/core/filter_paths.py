"""The wire paths a filter's path terms may name, from the models, and how a written path resolves.

Imported only when a query holds a path term: the models pull in pydantic, which the TUI's start-up
(that imports core.filtering) must not pay for.

A written path resolves part by part, ignoring case and underscores (`settings.opt_out.ENABLED` ->
`settings.optOut.enabled`). Where a part is not a field the models know:
- close to one of the fields known at that level (a typo: `enabeld`) -> refused, naming the closest;
- below a field that holds a plain value (`settings.rateLimit.x`) -> refused;
- otherwise -> taken as written, case kept: the API keeps fields the guide does not list (`tags`,
  `settings.businessHours.timezone`), and a filter may ask for them.
"""

from __future__ import annotations

import datetime
import difflib
import re
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .filter_ast import ANY, BOOL, COLUMN_NAMES, DATE, LIST, NUMBER, SECTION, TEXT, FilterError

_PART = re.compile(r"^[\w$-]+$")
TYPO_CUTOFF = 0.75  # difflib ratio from which an unknown name is taken for a typo of a known one


@dataclass
class _Node:
    spelling: str
    kind: str
    children: dict[str, _Node] = field(default_factory=dict)  # by folded name


def fold(name: str) -> str:
    return name.replace("_", "").lower()


@cache
def _tree() -> _Node:
    from ..api.number_models import PhoneNumber
    from .fieldpaths import annotation_options, model_in

    def kind_of(annotation: Any) -> str:
        options = annotation_options(annotation)
        if model_in(annotation) is not None:
            return SECTION
        for option in options:
            if option is bool:
                return BOOL
            if option in (int, float):
                return NUMBER
            if option is datetime.datetime:
                return DATE
            if typing.get_origin(option) is list:
                return LIST
        return TEXT if str in options else ANY

    def walk(model: Any, node: _Node) -> None:
        for name, info in model.model_fields.items():
            spelling = info.alias or name
            child = _Node(spelling, kind_of(info.annotation))
            node.children[fold(spelling)] = child
            inner = model_in(info.annotation)
            if inner is not None:
                walk(inner, child)

    root = _Node("", SECTION)
    walk(PhoneNumber, root)
    return root


@cache
def known_paths() -> tuple[str, ...]:
    """Every wire path the models know, sections included: capabilities, capabilities.sms, ..., settings,
    settings.optOut, settings.optOut.enabled, ..."""
    found: list[str] = []

    def walk(node: _Node, prefix: str) -> None:
        for child in node.children.values():
            found.append(prefix + child.spelling)
            walk(child, prefix + child.spelling + ".")

    walk(_tree(), "")
    return tuple(found)


def resolve(written: str, term: str) -> tuple[str, str | None]:
    """The wire path `written` names, and what it holds (None: a field the models do not know).

    `term` is the whole term, for the error message. Raises FilterError (see the module's doc)."""
    parts = written.split(".")
    if any(not part for part in parts):
        raise FilterError(f"{written!r} has an empty part between dots (in {term!r})")
    bad = next((part for part in parts if not _PART.match(part)), None)
    if bad is not None:
        raise FilterError(f"{written!r} is not a field path: {bad!r} (in {term!r})")
    node: _Node | None = _tree()
    spelled: list[str] = []
    for depth, part in enumerate(parts):
        if node is None:  # below a field the models do not know: as written
            spelled.append(part)
            continue
        child = node.children.get(fold(part))
        if child is not None:
            spelled.append(child.spelling)
            node = child if (child.children or depth == len(parts) - 1) else _leaf_or_any(child, spelled, term)
            continue
        siblings = {fold(n.spelling): n.spelling for n in node.children.values()}
        if depth == 0:
            siblings.update({fold(name): name for name in COLUMN_NAMES})
        close = difflib.get_close_matches(fold(part), siblings, n=1, cutoff=TYPO_CUTOFF)
        if close:
            suggestion = ".".join([*spelled, siblings[close[0]]])
            raise FilterError(f"unknown field {written!r} (did you mean {suggestion}?)")
        spelled.append(part)
        node = None
    return ".".join(spelled), (node.kind if node is not None else None)


def _leaf_or_any(child: _Node, spelled: list[str], term: str) -> _Node | None:
    """A field with more parts after it: fine below a section or an untyped field, refused below a value."""
    if child.kind in (ANY, SECTION):
        return None
    raise FilterError(f"{'.'.join(spelled)} holds a {child.kind} value, not fields (in {term!r})")
