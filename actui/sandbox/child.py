"""The sandbox in a child process, for the TUI: it boots on the second core while the TUI starts, and
serving a 100,000-number load never competes with the screen for the GIL.

    python -m actui.sandbox.child DB_PATH     (password in ACTUI_SANDBOX_PASSWORD)

Prints `READY <port>` once it accepts connections, then serves until its stdin closes, which happens
when the parent exits for any reason, so no sandbox outlives its TUI.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    lower_priority()
    from .server import SandboxServer

    server = SandboxServer(argv[0], password=os.environ.get("ACTUI_SANDBOX_PASSWORD"), log_level="critical")
    server.start()
    sys.stdout.write(f"READY {server.port}\n")
    sys.stdout.flush()
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (KeyboardInterrupt, OSError):
        pass
    finally:
        server.stop()
    return 0


NICER_BY = 5


def lower_priority() -> None:
    """A background service of the TUI: where cores are short, its screen goes first (done here, before
    the imports that cost the most, rather than by the parent between fork and exec)."""
    if hasattr(os, "nice"):
        try:
            os.nice(NICER_BY)
        except OSError:
            pass


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
