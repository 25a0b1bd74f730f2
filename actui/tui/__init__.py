"""The TUI: `actui` with no command, or `actui open NUMBER`."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace, open_number: str | None = None) -> int:
    from ..cli.session import connection_from_args
    from .app import make_app

    connection = connection_from_args(args)  # a password prompt, if any, happens before the screen opens
    app = make_app(connection, open_number=open_number)
    app.run()
    return app.return_code or 0
