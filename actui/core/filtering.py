"""The filter language of the list's `/`, `actui numbers ... --where` and the palette (README: "Filters").

    4155                       a number in any format: matches the digits (+14155551234, "(415) 5", 415-555)
    acme support               every word must match somewhere in the list's columns, case-insensitively
    class:a2p                  one column: number, status, class, type, platform, user, email, description, plan
    settings.optOut.enabled:false     any wire field of the number's document (a path term)
    settings.rateLimit>500     < <= > >= compare numbers, dates (2026-01-01) and times of day
    externalId:  campaignId:*  empty or absent / present
    !inactive  not (a or b)    negation; `or` between terms (`and` binds tighter), parentheses
    "sales west"               quotes keep words together

The public entry: `compile_filter(query, values=None) -> Filter` (FilterError for a bad query),
`narrows`, `known_paths`, the values a path term reads (`PathValues`, `DocValues`, `ABSENT`), and
`RowList`: a list of rows over which path terms keep their column index between keystrokes. The parts:
filter_parse (words to a tree), filter_paths (the models' paths, loaded only for a path term),
filter_match (one value against one term), filter_eval (a tree over rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from .filter_ast import FIELDS, And, ColumnTerm, FilterError, Node, Not, Or, PathTerm, Word
from .filter_eval import compile_node
from .filter_index import RowList
from .filter_parse import parse
from .filter_values import ABSENT, DocValues, PathValues

__all__ = ["ABSENT", "FIELDS", "DocValues", "Filter", "FilterError", "PathValues", "RowList", "Searchable",
           "compile_filter", "known_paths", "narrows", "parse"]


class Searchable(Protocol):
    """A row as the filter reads it (core.inventory.NumberRow)."""

    number: str
    digits: str
    haystack: str

    def field_text(self, field: str) -> str: ...


class Filter:
    """A compiled query. `flt(row, values=None)`: whether the row matches; `values` answers the path
    terms (without it every path reads ABSENT). `flt.select(rows, values=None)`: the matching rows in
    order, the fast way for a whole list (a RowList keeps path terms' column index between calls).
    `paths`: the wire paths the path terms read (`unknown`: those the models do not know); `text`: the
    query."""

    __slots__ = ("text", "paths", "unknown", "tree", "_test", "_select")

    def __init__(self, text: str, tree: Node | None):
        self.text = text
        self.tree = tree
        path_terms = [term for term in terms_of(tree) if isinstance(term, PathTerm)]
        self.paths: tuple[str, ...] = tuple(dict.fromkeys(term.path for term in path_terms))
        # paths the models do not know, taken as written (a caller may say so: "tags: not a field actui knows")
        self.unknown: tuple[str, ...] = tuple(dict.fromkeys(t.path for t in path_terms if t.kind is None))
        if tree is None:
            self._test = lambda row, values: True
            self._select = lambda rows, values: list(rows)
        else:
            self._test, self._select, _ = compile_node(tree)

    def __call__(self, row: Any, values: PathValues | None = None) -> bool:
        return self._test(row, values)

    def select(self, rows: Sequence[Any], values: PathValues | None = None) -> list[Any]:
        return self._select(rows, values)

    def __repr__(self) -> str:
        return f"Filter({self.text!r})"


def compile_filter(query: str, values: PathValues | None = None) -> Filter:
    """The filter of `query`; an empty query keeps every row. Raises FilterError naming the bad term.

    `values`: what the path terms will read, if known now; a path the models do not know is accepted
    only when some number holds it (values.column(path) is not empty), else refused like a typo."""
    return Filter(query, parse(query, _holder(values)))


def _holder(values: PathValues | None) -> Callable[[str], bool] | None:
    column = getattr(values, "column", None)
    if column is None:
        return None
    return lambda path: bool(column(path))


def known_paths() -> tuple[str, ...]:
    """Every dotted wire path the models know (sections included), for errors and completion."""
    from .filter_paths import known_paths as from_models

    return from_models()


def narrows(old: str, new: str) -> bool:
    """True when every row matching `new` also matches `old`, so `new` need only search old's results.

    Holds for queries of plain terms (words, digits, `column:text`) when each term of `old` has a
    counterpart in `new` of the same kind that contains its text (a row holding "acme" holds "acm").
    False whenever unsure: negations, `or`, parentheses around more than a term, comparisons, path terms.
    """
    try:
        old_terms, new_terms = _plain_terms(parse(old)), _plain_terms(parse(new))
    except FilterError:
        return False
    if old_terms is None or new_terms is None or len(new_terms) < len(old_terms):
        return False
    for before, after in zip(old_terms, new_terms, strict=False):
        if before[:2] != after[:2] or before[2] not in after[2]:
            return False
    return True


def _plain_terms(tree: Node | None) -> list[tuple[str | None, bool, str]] | None:
    """(column or None, phone, text) for each term of a plain query; None for any other query."""
    terms = [] if tree is None else list(tree.children) if isinstance(tree, And) else [tree]
    plain: list[tuple[str | None, bool, str]] = []
    for term in terms:
        if isinstance(term, Word):
            plain.append((None, term.phone, term.text))
        elif isinstance(term, ColumnTerm) and term.op == ":" and term.value:
            plain.append((term.field, term.phone, term.value))
        else:
            return None
    return plain


def terms_of(tree: Node | None) -> Iterable[Node]:
    """The leaf terms of a filter's tree (words, columns, paths), under any and/or/not."""
    if tree is None:
        return
    if isinstance(tree, (And, Or)):
        for child in tree.children:
            yield from terms_of(child)
    elif isinstance(tree, Not):
        yield from terms_of(tree.child)
    else:
        yield tree
