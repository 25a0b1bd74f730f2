"""The TUI: `actui` with no command, or `actui open NUMBER`."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace, open_number: str | None = None) -> int:
    from ..cli.session import connection_from_args

    connection = connection_from_args(args)  # a password prompt, if any, happens before the screen opens
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
