"""`actui sync`'s arguments, apart from the command so that building the parser (every command does) does
not import the sync machinery, the models and the output module."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("sync", parents=parents, help="fill the local copy of the inventory (list, details)",
                            description="Read the list into the local copy; with --details also every number's "
                                        "detail that is missing or older than max_age. --status says what the "
                                        "copy holds (no request).")
    parser.add_argument("--details", action="store_true",
                        help="also read the details that are missing or older than max_age")
    parser.add_argument("--max-age", type=max_age_arg, metavar="DURATION",
                        help="a detail older than this is read again (900, 90s, 15m, 1h; default: the "
                             "profile's max_age, 15m); implies --details")
    parser.add_argument("--status", action="store_true",
                        help="how many numbers the copy holds, how many with details, the oldest age")
    parser.add_argument("--json", action="store_true", help="print JSON")


def max_age_arg(text: str) -> float:
    from ..profiles import parse_duration

    try:
        return parse_duration(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration: give seconds (900) or a number with "
                                         "s, m, h or d (90s, 15m, 1h)") from None
