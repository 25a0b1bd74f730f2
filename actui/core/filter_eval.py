"""A parsed filter made runnable: per row (`test(row, values)`) and over a whole list (`select`).

`select` is what the list's filter runs on every keystroke over up to 100,000 rows: each term of an
`and` narrows the rows in turn with a comprehension whose condition is inline (no call per row for
words and phone digits), so a query costs about one substring search per row per term. `or` and `not`
combine the selections by identity; a path term looks its values up once per filter when the values
offer a whole column (PathValues.column).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .filter_ast import And, Column, Node, Not, Or, Path, Word, digits
from .filter_match import matcher
from .filter_values import ABSENT, PathValues

Test = Callable[[Any, PathValues | None], bool]
Select = Callable[[Sequence[Any], PathValues | None], list[Any]]


def compile_node(node: Node) -> tuple[Test, Select]:
    if isinstance(node, Word):
        return _word(node)
    if isinstance(node, Column):
        return _column(node)
    if isinstance(node, Path):
        return _path(node)
    if isinstance(node, Not):
        return _not(node)
    if isinstance(node, And):
        return _and(node)
    return _or(node)


def _word(node: Word) -> tuple[Test, Select]:
    text = node.text
    if node.phone:
        return (lambda row, values: text in row.digits,
                lambda rows, values: [row for row in rows if text in row.digits])
    return (lambda row, values: text in row.haystack,
            lambda rows, values: [row for row in rows if text in row.haystack])


def _column(node: Column) -> tuple[Test, Select]:
    field, text = node.field, node.value
    test: Test
    if node.phone:
        if field == "number":
            test = lambda row, values: text in row.digits  # noqa: E731
        else:
            test = lambda row, values: text in digits(row.field_text(field))  # noqa: E731
    elif node.op == ":" and text:
        test = lambda row, values: text in row.field_text(field).lower()  # noqa: E731
    else:
        match = matcher(node.op, text)
        if field == "number" and node.op != ":":   # compares the number itself, not "E.164 friendly"
            test = lambda row, values: match(row.number)  # noqa: E731
        else:
            test = lambda row, values: match(row.field_text(field))  # noqa: E731
    return test, _rows_where(test)


def _path(node: Path) -> tuple[Test, Select]:
    path = node.path
    match = matcher(node.op, node.value, node.kind, node.present)
    unknown = match(ABSENT)

    def test(row: Any, values: PathValues | None) -> bool:
        return match(values.get(row.number, path)) if values is not None else unknown

    def select(rows: Sequence[Any], values: PathValues | None) -> list[Any]:
        if values is None:
            return list(rows) if unknown else []
        column = getattr(values, "column", None)
        if column is None:
            get = values.get
            return [row for row in rows if match(get(row.number, path))]
        held = column(path).get
        return [row for row in rows if match(held(row.number, ABSENT))]

    return test, select


def _not(node: Not) -> tuple[Test, Select]:
    inner_test, inner_select = compile_node(node.child)

    def select(rows: Sequence[Any], values: PathValues | None) -> list[Any]:
        hit = set(map(id, inner_select(rows, values)))
        return [row for row in rows if id(row) not in hit]

    if isinstance(node.child, Word) and not node.child.phone:  # `!inactive`: the common negation, inline
        text = node.child.text
        return (lambda row, values: text not in row.haystack,
                lambda rows, values: [row for row in rows if text not in row.haystack])
    return (lambda row, values: not inner_test(row, values)), select


def _and(node: And) -> tuple[Test, Select]:
    parts = [compile_node(child) for child in node.children]
    tests = [test for test, _ in parts]
    selects = [select for _, select in parts]

    def test(row: Any, values: PathValues | None) -> bool:
        for one in tests:
            if not one(row, values):
                return False
        return True

    def select(rows: Sequence[Any], values: PathValues | None) -> list[Any]:
        kept: Sequence[Any] = rows
        for one in selects:
            kept = one(kept, values)
            if not kept:
                break
        return list(kept)

    return test, select


def _or(node: Or) -> tuple[Test, Select]:
    parts = [compile_node(child) for child in node.children]
    tests = [test for test, _ in parts]
    selects = [select for _, select in parts]

    def test(row: Any, values: PathValues | None) -> bool:
        for one in tests:
            if one(row, values):
                return True
        return False

    def select(rows: Sequence[Any], values: PathValues | None) -> list[Any]:
        hit: set[int] = set()
        rest: Sequence[Any] = rows
        for one in selects:
            hit.update(map(id, one(rest, values)))
            rest = [row for row in rest if id(row) not in hit]  # each row is tested until one side holds
        return [row for row in rows if id(row) in hit]

    return test, select


def _rows_where(test: Test) -> Select:
    return lambda rows, values: [row for row in rows if test(row, values)]
