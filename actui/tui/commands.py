"""The command palette's number finder: type any part of a number (any format), a user or a description."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import Hit, Hits, Provider
from textual.markup import escape

from ..api.phone import InvalidNumber, for_lookup, is_e164
from ..core.safe_text import terminal_safe

if TYPE_CHECKING:
    from .app import ActuiApp

MAX_HITS = 20


class NumberFinder(Provider):
    async def search(self, query: str) -> Hits:
        app = cast("ActuiApp", self.app)   # the provider is one of ActuiApp.COMMANDS
        text = query.strip()
        if len(text) < 3:
            return
        exact = None
        try:   # any possible number, known to libphonenumber or not (for_lookup keeps other text as typed)
            candidate = for_lookup(text, app.connection.country)
            exact = candidate if is_e164(candidate) else None
        except (InvalidNumber, ValueError):
            pass
        if exact:
            yield Hit(1.0, Text(f"Open {exact}"), partial(app.open_detail, exact), text=f"Open {exact}",
                      help="Show this number's detail")
        from ..core.filtering import FilterError, compile_filter  # not at start-up: only typing here needs it

        values = app.inventory.path_values
        try:
            keep = compile_filter(text, values)
        except FilterError:  # half typed (`sales or`, `(a`): no numbers to offer yet
            return
        found = 0
        for row in app.inventory.loaded:
            if row.number == exact or not keep(row, values):
                continue
            label = terminal_safe(f"{row.cells[0]}  {row.cells[1]}  {row.cells[7]}")
            people = terminal_safe(" ".join(dict.fromkeys(c for c in (row.cells[5], row.cells[6]) if c)))
            # API text is never markup: "[VIP] Executive Line" must stay as typed (the palette reads help
            # as markup, so it is escaped)
            yield Hit(0.9 - found * 0.001, Text(label), partial(app.open_detail, row.number), text=label,
                      help=escape(people) or None)
            found += 1
            if found >= MAX_HITS:
                return
