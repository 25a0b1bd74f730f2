"""The items of list pages read tolerantly: a malformed item is set aside with its position, a number seen on
an earlier page is dropped, and what a whole listing met is gathered for one warning at its end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from .list_page import ItemProblem, Page

if TYPE_CHECKING:
    from pydantic import BaseModel

NUMBER_KEYS = ("phoneNumber", "number", "phone_number")  # ListedNumber's aliases, in its order
_WARN_ITEMS = 5  # problems named one by one; beyond, a count


def number_of(item: Any) -> str | None:
    """The item's phone number, when it is an object naming one (a non-empty string)."""
    if type(item) is not dict:
        return None
    value = item.get("phoneNumber")
    if type(value) is str and value.strip():
        return value  # the common case (a list page holds a hundred), ahead of the loop
    for key in NUMBER_KEYS:
        if key in item:
            value = item[key]
            return value if isinstance(value, str) and value.strip() else None
    return None


def screen(items: list[Any], page: int) -> tuple[list[dict[str, Any]], list[ItemProblem]]:
    """(the items naming a number, a problem for each other one)."""
    good = [item for item in items if number_of(item) is not None]
    if len(good) == len(items):
        return items, []
    problems = [ItemProblem(page, index, _what_is_wrong(item))
                for index, item in enumerate(items, 1) if number_of(item) is None]
    return good, problems


def _what_is_wrong(item: Any) -> str:
    if item is None:
        return "null instead of a number"
    if not isinstance(item, dict):
        kind = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}
        return f"{kind.get(type(item), 'a value')} instead of an object"
    present = [key for key in NUMBER_KEYS if key in item]
    if not present:
        return "no phoneNumber"
    return f"{present[0]} is {'empty' if item[present[0]] in ('', None) else 'not text'}"


def read_items(items: list[Any], page: int, parse: Callable[[list[Any]], list[Any]] | None,
               ) -> tuple[list[Any], list[ItemProblem]]:
    """A page's raw items as `parse` makes them (ListedNumber models without one), with a problem for each
    item left out or read in part."""
    if parse is not None:
        good, problems = screen(items, page)
        return parse(good), problems
    from pydantic import ValidationError

    from .list_fast_parse import NUMBERS
    from .number_models import ListedNumber

    try:
        parsed = NUMBERS.validate_python(items)
    except ValidationError:
        return validate_each(items, page, ListedNumber)
    return parsed, []


def validate_each(items: list[Any], page: int, model: type[BaseModel]) -> tuple[list[Any], list[ItemProblem]]:
    """Raw items as `model`s, one at a time: an item naming no number is set aside; a field of the wrong
    type is dropped and named, the number kept. Slow, for pages the one-pass parse refused."""
    from pydantic import ValidationError

    parsed: list[Any] = []
    problems: list[ItemProblem] = []
    for index, item in enumerate(items, 1):
        number = number_of(item)
        if number is None:
            problems.append(ItemProblem(page, index, _what_is_wrong(item)))
            continue
        try:
            parsed.append(model.model_validate(item))
            continue
        except ValidationError as error:
            bad = sorted({str(e["loc"][0]) for e in error.errors() if e["loc"]} - set(NUMBER_KEYS))
        try:
            parsed.append(model.model_validate({k: v for k, v in item.items() if k not in bad}))
        except ValidationError:
            problems.append(ItemProblem(page, index, f"{number} could not be read"))
            continue
        problems.append(ItemProblem(page, index, f"{number}: {', '.join(bad)} of an unexpected type, left out",
                                    skipped=False))
    return parsed, problems


def key_function(sample: Any) -> Callable[[Any], Any]:
    """What identifies an item as a parser made it: a row's number, a model's, or a raw item's."""
    for attribute in ("number", "phone_number"):
        if isinstance(getattr(sample, attribute, None), str):
            return attrgetter(attribute)
    if isinstance(sample, dict):
        return number_of
    return lambda item: item


@dataclass
class ListingNotes:
    """What reading a whole list met that the user should hear of; `warnings()` says it."""

    problems: list[ItemProblem] = field(default_factory=list)
    duplicates: int = 0
    kept: int = 0
    claimed_total: int | None = None
    complete: bool = False
    _seen: set[Any] = field(default_factory=set, repr=False)

    def take(self, page: Page) -> Page:
        """The page without the numbers an earlier page already held (first wins); noted."""
        if page.total is not None and self.claimed_total is None:
            self.claimed_total = page.total
        self.problems.extend(page.problems)
        items = page.items
        if items:
            key = key_function(items[0])
            keys = [key(item) for item in items]
            fresh = set(keys)
            if len(fresh) != len(keys) or not self._seen.isdisjoint(fresh):
                kept = []
                for item, k in zip(items, keys, strict=True):
                    if k not in self._seen:
                        self._seen.add(k)
                        kept.append(item)
                self.duplicates += len(items) - len(kept)
                page = Page(kept, page.page, page.limit, page.total, page.total_pages, page.has_more,
                            page.problems, page.received)
            else:
                self._seen |= fresh
        self.kept += len(page.items)
        return page

    @property
    def skipped(self) -> int:
        return sum(1 for p in self.problems if p.skipped)

    def warnings(self) -> list[str]:
        out = [str(p) for p in self.problems[:_WARN_ITEMS]]
        if len(self.problems) > _WARN_ITEMS:
            out.append(f"{len(self.problems) - _WARN_ITEMS} more items of the list could not be read as sent "
                       f"({self.skipped} skipped in all)")
        if self.duplicates:
            out.append(f"{self.duplicates} duplicate number{'s' if self.duplicates != 1 else ''} across pages: "
                       "each number is listed once")
        arrived = self.kept + self.skipped
        if self.complete and self.claimed_total is not None and self.claimed_total != arrived:
            out.append(f"the server's total said {self.claimed_total} numbers, but {arrived} arrived "
                       "(read until a page came back short): every number that arrived is listed")
        return out
