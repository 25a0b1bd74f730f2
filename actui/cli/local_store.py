"""Opening the local store for a CLI command: what happened to it on stderr, writes refused up front."""

from __future__ import annotations

import sys

from ..core.safe_text import terminal_safe
from ..core.store import Store


def open_command_store(doing: str | None = None) -> Store:
    """The local store; `doing` names what the command will write ("change numbers"), refused before any
    request when the store is read-only. Notices (a damaged file moved aside, ...) go to stderr."""
    store = Store()
    if doing is not None and store.read_only:
        store.close()
        store.require_writable(doing)  # the one line that says why (and not the notices as well)
    for notice in store.take_notices():
        print(f"actui: {terminal_safe(notice.text)}", file=sys.stderr)
    return store
