"""The TUI: `actui` with no command, or `actui open NUMBER`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Connection


def run(connection: Connection, open_number: str | None = None) -> int:
    """`connection`: resolved by the caller, its password asked for (if at all) before the screen opens."""
    sandbox = None
    if connection.sandbox:
        from ..embedded import SandboxProcess

        sandbox = SandboxProcess()  # boots on the other core while Textual is imported
    try:
        from .app import make_app

        app = make_app(connection, open_number=open_number, sandbox=sandbox)
        app.run()
    finally:
        if sandbox is not None:
            sandbox.stop()
    return app.return_code or 0
