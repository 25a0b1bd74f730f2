"""Where a filter's path terms read a number's fields: the PathValues protocol, ABSENT, and DocValues.

A path term (`settings.optOut.enabled:false`) is answered from a number's full document, which the list
row does not hold. The caller passes a PathValues: the local copy's per-path columns in the TUI, whole
documents (DocValues) in the CLI. Values are JSON values as sent (str, int, float, bool, None, list,
dict); ABSENT when the document lacks the path or the number is not known.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class _Absent:
    """The one value meaning "the document has no such field" (None is the field holding null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


class PathValues(Protocol):
    """Values of wire paths per number. An implementation may also offer
    `column(path) -> Mapping[number, value]` (numbers lacking the path left out), returning the same
    object until the values change and a new one then (never changed in place): a filter then looks a
    whole column up once per list instead of calling `get` for every row on every keystroke, and a path
    the models do not know is accepted when some number holds it."""

    def get(self, number: str, path: str) -> Any: ...


class DocValues:
    """PathValues over whole documents: number -> the detail as sent (dict). The documents are read as
    they are: a column, once built, is kept (a changed document needs a new DocValues)."""

    __slots__ = ("docs", "_columns")

    def __init__(self, docs: Mapping[str, Mapping[str, Any]]):
        self.docs = docs
        self._columns: dict[str, dict[str, Any]] = {}

    def get(self, number: str, path: str) -> Any:
        doc = self.docs.get(number)
        if doc is None:
            return ABSENT
        return value_at(doc, path.split("."))

    def column(self, path: str) -> dict[str, Any]:
        found = self._columns.get(path)
        if found is None:
            parts = path.split(".")
            found = self._columns[path] = {number: value for number, doc in self.docs.items()
                                           if (value := value_at(doc, parts)) is not ABSENT}
        return found


def value_at(node: Any, parts: list[str]) -> Any:
    """The value at `parts` below `node`; a list met on the way is looked through (each element that has
    the rest of the path gives its value; ABSENT when none does)."""
    for index, part in enumerate(parts):
        if isinstance(node, Mapping):
            if part not in node:
                return ABSENT
            node = node[part]
        elif isinstance(node, list):
            rest = parts[index:]
            found = [value for item in node if (value := value_at(item, rest)) is not ABSENT]
            return found if found else ABSENT
        else:
            return ABSENT
    return node
