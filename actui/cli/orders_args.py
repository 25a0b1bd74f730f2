"""`actui provision`, `unprovision` and `orders show|watch|list`: their arguments, apart from the commands so
that building the parser (every command does) imports nothing of the orders machinery."""

from __future__ import annotations

import argparse
from typing import Any

from .sync_args import max_age_arg


def add_parsers(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    prov = sub.add_parser("provision", parents=parents, help="order numbers to be provisioned")
    prov.add_argument("numbers", nargs="+", metavar="NUMBER")
    prov.add_argument("--class", dest="provision_class", required=True, choices=["P2P", "A2P"])
    prov.add_argument("--type", required=True, choices=["SMS", "MMS", "SMSMMS"])
    prov.add_argument("--campaign-id", help="10DLC campaign id (required for A2P)")
    prov.add_argument("--brand-id", help="10DLC brand id (required for A2P)")
    prov.add_argument("--email")
    prov.add_argument("--description")
    prov.add_argument("--domain")
    prov.add_argument("--platform", help="TeamsIndividual, TeamsChannel, WebexSpace, RingCentral or Zoom")
    prov.add_argument("--billing-plan", help="e.g. P2P500, A2P250")
    prov.add_argument("--loa-url", help="LOA document URL")
    prov.add_argument("--loa-file", help="upload this LOA document first and use its URL")
    prov.add_argument("--wait", action="store_true", help="follow the order until it is final")
    prov.add_argument("--json", action="store_true", help="print JSON")

    unprov = sub.add_parser("unprovision", parents=parents, help="release numbers")
    unprov.add_argument("numbers", nargs="+", metavar="NUMBER")
    unprov.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    unprov.add_argument("--wait", action="store_true", help="follow the order until it is final")
    unprov.add_argument("--json", action="store_true", help="print JSON")

    orders = sub.add_parser("orders", parents=parents, help="provisioning orders")
    osub = orders.add_subparsers(dest="orders_action", metavar="ACTION", required=True)
    olist = osub.add_parser("list", parents=parents, help="the orders actui tracks, newest first (no request)",
                            description="The orders placed with actui (here or in the TUI, whose order tracker "
                                        "shows the same ones), newest first, with the status they had when "
                                        "last checked. Answered from the local store: no request, no password.")
    olist.add_argument("--pending", action="store_true", help="only the orders not final yet")
    olist.add_argument("--json", action="store_true", help="print JSON")
    oshow = osub.add_parser("show", parents=parents, help="one order with per-number status")
    oshow.add_argument("order_id")
    oshow.add_argument("--json", action="store_true", help="print JSON")
    owatch = osub.add_parser("watch", parents=parents,
                             help="live status until final; exit 0 when Completed, 3 otherwise",
                             description="Follow one order, a line per change, until it is final: exit 0 when "
                                         "it ends Completed, 3 when it ends otherwise, 1 when --timeout "
                                         "passes first (the order goes on; watch it again to keep following).")
    owatch.add_argument("order_id")
    owatch.add_argument("--timeout", type=max_age_arg, metavar="DURATION",
                        help="give up after DURATION (90s, 5m, 1h; default: wait until final)")
    owatch.add_argument("--json", action="store_true", help="print the final order as JSON")
