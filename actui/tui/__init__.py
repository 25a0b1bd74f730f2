"""The TUI: `actui` with no command, or `actui open NUMBER`."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Connection


def run(connection: Connection, open_number: str | None = None) -> int:
    """`connection`: resolved by the caller, its password asked for (if at all) before the screen opens."""
    # No cyclic garbage collection until the first frame is drawn (ActuiApp.start_up_done): start-up only
    # allocates what lives for the session (modules, classes, widgets), and the collections that importing
    # them triggers cost ~14 ms of a ~230 ms warm start (a bare Textual app pays ~10 of its ~155).
    gc.disable()
    sandbox = None
    if connection.sandbox:
        from ..embedded import SandboxProcess

        sandbox = SandboxProcess()  # boots on the other core while Textual is imported
    try:
        from .app import make_app

        app = make_app(connection, open_number=open_number, sandbox=sandbox)
        app.run()
    finally:
        gc.enable()  # if the first frame never came
        if sandbox is not None:
            sandbox.stop()
    return app.return_code or 0
