"""The `numbers` command's parser: list, show, update."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from .arg_types import positive_int

LIST_FORMATS = ("table", "csv", "tsv", "json", "ndjson")

_FIELDS_HELP = (
    "the fields to print, a comma list: the list's columns by name (number, status, class, type, platform, "
    "user, email, description, plan) or any wire path, as in --where (e.g. "
    "number,status,settings.optOut.enabled). A settings path needs each number's detail: the list is then "
    "answered from the local copy, which first reads the details it lacks or holds older than the "
    "profile's max_age: one GET per number (the page's numbers; with --all or --where every number's, "
    "minutes for a large inventory the first time), none while they are fresh")


class FormatAction(argparse.Action):
    """--format FORMAT, and --json / --csv as its short forms: all set `format`; `json` says whether stdout
    holds one JSON document (the CLI then prints it only on success). NDJSON is not held: it streams, one
    whole object a line."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        chosen = self.const if self.const is not None else values
        already = getattr(namespace, "format", None)
        if already is not None and already != chosen:
            parser.error(f"{option_string}: the output format is already {already}")
        namespace.format = chosen
        namespace.json = chosen == "json"


def add_parser(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    numbers = sub.add_parser("numbers", parents=parents, help="list, show and update numbers")
    nsub = numbers.add_subparsers(dest="numbers_action", metavar="ACTION", required=True)
    _add_list(nsub, parents)
    show = nsub.add_parser("show", parents=parents, help="everything about one number")
    show.add_argument("number", help="E.164 or national format, e.g. '(415) 555-1234'")
    show.add_argument("--fields", metavar="LIST",
                      help="only these fields, as 'path: value' lines (or a JSON object holding only them), "
                           "e.g. status,settings.optOut.enabled")
    show.add_argument("--json", action="store_true", help="print JSON")
    _add_update(nsub, parents)


def _add_list(nsub: Any, parents: list[argparse.ArgumentParser]) -> None:
    lst = nsub.add_parser("list", parents=parents, help="list active numbers",
                          description="The server's list, a page at a time or --all. With --where, the "
                                      "numbers FILTER keeps, answered from the local copy (brought up to date "
                                      "first). When the API is unreachable, the local copy answers. A table "
                                      "fits the terminal's width (COLUMNS, else the terminal, else 100 "
                                      "when piped): long cells are cut with '…'.")
    lst.add_argument("--where", metavar="FILTER",
                     help="only numbers matching FILTER, e.g. 'class:a2p settings.optOut.enabled:false' "
                          "(README: Filters); --page/--limit page the matches")
    lst.add_argument("--page", type=positive_int, default=1, help="page number (default 1)")
    size = lst.add_mutually_exclusive_group()
    size.add_argument("--limit", type=positive_int, help="numbers per page (default: the profile's page size)")
    size.add_argument("--all", action="store_true", help="every page (streamed)")
    lst.add_argument("--fields", metavar="LIST", help=_FIELDS_HELP)
    lst.add_argument("--format", action=FormatAction, choices=LIST_FORMATS, metavar="FORMAT",
                     help="table (default), csv, tsv, json (an array) or ndjson (one object a line); JSON "
                          "with --fields holds only those fields, nested as on the wire")
    lst.add_argument("--json", action=FormatAction, nargs=0, const="json", help="print JSON (--format json)")
    lst.add_argument("--csv", action=FormatAction, nargs=0, const="csv", help="print CSV (--format csv)")
    lst.add_argument("--no-header", dest="header", action="store_false",
                     help="no heading line (table, csv, tsv)")
    lst.set_defaults(format=None, json=False)


def _add_update(nsub: Any, parents: list[argparse.ArgumentParser]) -> None:
    upd = nsub.add_parser("update", parents=parents,
                          help="change fields of one number, or of every number a filter selects")
    upd.add_argument("number", nargs="?", help="the number to change (or --where)")
    upd.add_argument("--where", metavar="FILTER",
                     help="every active number matching FILTER (the list's / filter, e.g. 'class:p2p acme')")
    upd.add_argument("--set", action="append", metavar="PATH=VALUE",
                     help="e.g. settings.autoResponse.enabled=true or description='Main line' (repeatable)")
    upd.add_argument("--expect", action="append", metavar="PATH=VALUE",
                     help="refuse (nothing written) unless the number holds VALUE at PATH now (one NUMBER; repeatable)")
    upd.add_argument("--overwrite", action="store_true",
                     help="with --where: write even numbers whose fields changed on the server since the preview "
                          "(default: report them as conflicts)")
    upd.add_argument("--dry-run", action="store_true", help="show what would change; send nothing")
    upd.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    upd.add_argument("--concurrency", type=positive_int, metavar="N",
                     help="requests in flight (default: the profile's bulk_concurrency, 8)")
    upd.add_argument("--json", action="store_true", help="print JSON")
