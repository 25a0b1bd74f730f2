"""Helpers of the core tests shared with other folders."""

from __future__ import annotations

from actui.core.journal import FieldChange, PlannedItem


def planned(count: int) -> list[PlannedItem]:
    return [PlannedItem(f"+1415555{i:04d}", {"description": f"line {i} " + "x" * 200},
                        (FieldChange("description", "old", f"line {i}"),)) for i in range(count)]
