"""The numbers marked in the list for a bulk action, in the order they were marked.

Marks are E.164 numbers, not rows or indexes: they survive paging, filtering, sorting and refreshes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator


class Marks:
    def __init__(self) -> None:
        self._numbers: dict[str, None] = {}

    def __len__(self) -> int:
        return len(self._numbers)

    def __contains__(self, number: object) -> bool:
        return number in self._numbers

    def __iter__(self) -> Iterator[str]:
        return iter(self._numbers)

    def numbers(self) -> list[str]:
        return list(self._numbers)

    def toggle(self, number: str) -> bool:
        """Mark or unmark; True when it is marked now."""
        if number in self._numbers:
            del self._numbers[number]
            return False
        self._numbers[number] = None
        return True

    def add(self, numbers: Iterable[str]) -> int:
        """Mark these; returns how many were not marked before."""
        before = len(self._numbers)
        self._numbers.update(dict.fromkeys(numbers))
        return len(self._numbers) - before

    def clear(self) -> int:
        count = len(self._numbers)
        self._numbers.clear()
        return count

    def hidden(self, shown: Callable[[str], bool]) -> int:
        """How many marked numbers `shown` says the current filter hides."""
        return sum(1 for number in self._numbers if not shown(number))
