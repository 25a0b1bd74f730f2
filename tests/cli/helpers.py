"""Helpers of the CLI tests: which sandbox numbers a filter matches, and the journal the CLI writes."""

from __future__ import annotations

from actui.core.filtering import compile_filter
from actui.core.inventory import NumberRow
from actui.core.journal import Journal
from actui.core.store import Store


def matching(server, query: str) -> list[str]:
    keep = compile_filter(query)
    return [n for n in server.state.numbers() if keep(NumberRow.from_wire(server.state.detail(n)))]


def journal_for(server) -> Journal:
    host = server.base_url.split("//")[1].split("/")[0]
    return Journal(Store(), f"{server.user}@{host}")
