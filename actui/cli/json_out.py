"""`--json`: stdout holds one whole JSON document or nothing.

What a command writes to stdout is held back (in memory, spilling to a temporary file past a few MB, so
`--all` over a large inventory stays bounded) and written out only when the command returns. When it
fails, nothing reaches stdout: no `[` or half an array for a script to choke on; the error is on stderr
and the exit code is not 0. A command that completes with an exit code of its own (a bulk run with
failures, an order that did not complete) still prints its whole document.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

IN_MEMORY = 8 * 1024 * 1024


@contextmanager
def json_only_on_success() -> Iterator[None]:
    real = sys.stdout
    held = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY, mode="w+", encoding="utf-8", newline="")
    sys.stdout = held  # type: ignore[assignment]
    try:
        yield
    except BaseException:
        sys.stdout = real
        held.close()
        raise
    sys.stdout = real
    try:
        held.seek(0)
        shutil.copyfileobj(held, real)
        real.flush()
    finally:
        held.close()
