"""The minimal partial update between two versions of a document, and applying one.

PUT merges on the server (API-NOTES), so an update carries only what changed: nested dicts are diffed
key by key, everything else (scalars, lists) is sent whole when it differs. A key missing from `new`
means "unchanged", never "delete": a partial PUT cannot delete.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..api.number_models import UPDATABLE_FIELDS


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of `new` whose values differ from `old`, recursing into dicts on both sides."""
    out: dict[str, Any] = {}
    for key, value in new.items():
        if key not in old:
            out[key] = copy.deepcopy(value)
            continue
        before = old[key]
        if isinstance(value, Mapping) and isinstance(before, Mapping):
            nested = diff(before, value)
            if nested:
                out[key] = nested
        elif value != before or type(value) is not type(before):
            out[key] = copy.deepcopy(value)
    return out


def update_patch(old: Mapping[str, Any], new: Mapping[str, Any],
                 fields: Iterable[str] = UPDATABLE_FIELDS) -> dict[str, Any]:
    """The PUT document turning number `old` into `new`: only updatable top-level fields, only changes."""
    allowed = set(fields)
    return diff({k: v for k, v in old.items() if k in allowed}, {k: v for k, v in new.items() if k in allowed})


def apply(doc: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `doc` with `patch` deep-merged in (what the server does with a partial PUT)."""
    out = copy.deepcopy(dict(doc))
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = apply(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def leaves(patch: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Each changed leaf as (dotted path, value): what a diff view or a journal lists field by field."""
    for key, value in patch.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping) and value:
            yield from leaves(value, path)
        else:
            yield path, value


def get_path(doc: Mapping[str, Any], path: str, default: Any = None) -> Any:
    node: Any = doc
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return default
        node = node[part]
    return node


def set_path(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set a dotted path in doc (creating dicts on the way); returns doc."""
    parts = path.split(".")
    node = doc
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value
    return doc
