"""Opening the local store for a CLI command: what happened to it on stderr, writes refused up front."""

from __future__ import annotations

import sys

from ..core.store import Store


def open_store(doing: str | None = None) -> Store:
    """The local store; `doing` names what the command will write ("change numbers"), refused before any
    request when the store is read-only. Notices (a damaged file moved aside, ...) go to stderr."""
    store = Store()
    for notice in store.take_notices():
        print(f"actui: {notice.text}", file=sys.stderr)
    if doing is not None:
        try:
            store.require_writable(doing)
        except BaseException:
            store.close()
            raise
    return store
