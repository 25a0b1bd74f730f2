"""`actui undo` and `actui resume`: their arguments, apart from the commands (bulk_cmd.py) so that building
the parser imports nothing of the bulk engine."""

from __future__ import annotations

import argparse
from typing import Any

from .arg_types import positive_int


def add_parsers(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    undo = sub.add_parser("undo", parents=parents,
                          help="write back the old values of what a run changed (fields changed since are left)")
    undo.add_argument("run_id", type=positive_int, metavar="RUN_ID")
    undo.add_argument("--number", action="append", metavar="N", help="only this number (repeatable)")
    undo.add_argument("--dry-run", action="store_true",
                      help="show what would be written back, per number and field; send nothing")
    undo.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    undo.add_argument("--concurrency", type=positive_int, metavar="N", help="requests in flight")
    undo.add_argument("--json", action="store_true", help="print JSON")

    resume = sub.add_parser("resume", parents=parents, help="finish a run that was cut short (crash, kill)")
    resume.add_argument("run_id", nargs="?", type=positive_int, metavar="RUN_ID",
                        help="the run (default: the only resumable one)")
    resume.add_argument("--dry-run", action="store_true",
                        help="show what is left to send, per number and field, from the journal; send nothing "
                             "(no request)")
    resume.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    resume.add_argument("--concurrency", type=positive_int, metavar="N", help="requests in flight")
    resume.add_argument("--json", action="store_true", help="print JSON")
