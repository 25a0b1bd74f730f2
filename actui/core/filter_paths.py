"""The wire paths a filter's path terms may name, from the models, and how a written path resolves.

Imported only when a query holds a path term: the models pull in pydantic, which the TUI's start-up
(that imports core.filtering) must not pay for.

A written path resolves part by part, ignoring case and underscores (`settings.opt_out.ENABLED` ->
`settings.optOut.enabled`). A path the models do not know (`tags`, `settings.businessHours.timezone`:
the API keeps fields the guide does not list) is taken as written, case kept, when some number holds
it (the caller says so); otherwise it is refused, naming the closest known field or the fields known
where it went astray (`settings.optOut.enabeld` -> did you mean settings.optOut.enabled?). Below a
field the models leave open (`owner: Any`) anything goes; below a plain value (`settings.rateLimit.x`)
nothing does.
"""

from __future__ import annotations

import datetime
import difflib
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .filter_ast import ANY, BOOL, DATE, FIELDS, LIST, NUMBER, SECTION, TEXT, FilterError

_PART = re.compile(r"^[\w$-]+$")
SUGGEST_CUTOFF = 0.75  # difflib ratio from which a known name is offered for an unknown one


@dataclass
class _Node:
    spelling: str
    kind: str
    children: dict[str, _Node] = field(default_factory=dict)  # by folded name


def fold(name: str) -> str:
    return name.replace("_", "").lower()


@cache
def _tree() -> _Node:
    """The known paths as a tree, from the generated table (no pydantic import)."""
    from .filter_path_table import PATHS

    root = _Node("", SECTION)
    for path, kind in PATHS:
        *parents, name = path.split(".")
        node = root
        for parent in parents:
            node = node.children[fold(parent)]
        node.children[fold(name)] = _Node(name, kind)
    return root


def paths_from_models() -> list[tuple[str, str]]:
    """(path, kind) of every field the models know, walking them: what filter_path_table.PATHS must hold."""
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
    found: list[tuple[str, str]] = []

    def flatten(node: _Node, prefix: str) -> None:
        for child in node.children.values():
            found.append((prefix + child.spelling, child.kind))
            flatten(child, prefix + child.spelling + ".")

    flatten(root, "")
    return found


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


def resolve(written: str, term: str, held: Callable[[str], bool] | None = None) -> tuple[str, str | None]:
    """The wire path `written` names, and what it holds (None: a field the models do not know).

    `term` is the whole term, for messages; `held(path)`: whether some number's document holds a path
    (None: not known, so a path the models do not know is refused). Raises FilterError."""
    parts = written.split(".")
    if any(not part for part in parts):
        raise FilterError(f"{written!r} has an empty part between dots (in {term!r})")
    bad = next((part for part in parts if not _PART.match(part)), None)
    if bad is not None:
        raise FilterError(f"{written!r} is not a field path: {bad!r} (in {term!r})")
    node: _Node | None = _tree()
    spelled: list[str] = []
    stranger: tuple[_Node, int] | None = None  # where the models first did not know a part
    for depth, part in enumerate(parts):
        if node is None:  # below a field the models leave open, or do not know: as written
            spelled.append(part)
            continue
        child = node.children.get(fold(part))
        if child is None:
            stranger = (node, depth)
            spelled.append(part)
            node = None
            continue
        spelled.append(child.spelling)
        node = child if (child.children or depth == len(parts) - 1) else _leaf_or_any(child, spelled, term)
    path = ".".join(spelled)
    if stranger is not None and not (held is not None and held(path)):
        raise FilterError(_unknown(written, spelled, *stranger, checked=held is not None))
    return path, (node.kind if node is not None else None)


@cache
def _known_by_fold() -> dict[str, str]:
    return {fold(path): path for path in known_paths()}


def _unknown(written: str, spelled: list[str], parent: _Node, depth: int, checked: bool) -> str:
    """`unknown field 'settings.optOut.enabeld' (did you mean settings.optOut.enabled?)`; without a close
    one, the fields known where it went astray."""
    names = [child.spelling for child in parent.children.values()]
    if depth == 0:
        names = [*FIELDS, *names]
    by_fold = {fold(name): name for name in names}
    close = difflib.get_close_matches(fold(spelled[depth]), by_fold, n=1, cutoff=SUGGEST_CUTOFF)
    what = "unknown column" if "." not in written else "unknown field"
    nobody = "no number holds it; " if checked else ""
    if close:
        suggestion = ".".join([*spelled[:depth], by_fold[close[0]]])
        whole = ".".join([suggestion, *written.split(".")[depth + 1:]])  # settings.optOt.enabled: all of it
        suggestion = _known_by_fold().get(fold(whole), suggestion)
        return f"{what} {written!r} ({nobody}did you mean {suggestion}?)"
    if depth == 0:
        return (f"{what} {written!r} ({nobody}columns: {', '.join(FIELDS)}; or a field of the number "
                f"such as settings.optOut.enabled)")
    where = ".".join(spelled[:depth])
    return f"{what} {written!r} ({nobody}the fields of {where}: {', '.join(names)})"


def _leaf_or_any(child: _Node, spelled: list[str], term: str) -> _Node | None:
    """A field with more parts after it: fine below a section or an untyped field, refused below a value."""
    if child.kind in (ANY, SECTION):
        return None
    raise FilterError(f"{'.'.join(spelled)} holds a {child.kind} value, not fields (in {term!r})")


if __name__ == "__main__":   # regenerate the table's body after a model change
    for row in paths_from_models():
        print(f"    {row!r},".replace("'", '"'))
