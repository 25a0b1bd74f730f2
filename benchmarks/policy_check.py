"""`actui check`'s core: ten policies (and the built-in checks) judged over a local copy of 100,000 numbers
with details, against baselines over the same copy in the same run.

    python benchmarks/policy_check.py [--numbers 100000] [--rounds 5]

The copy is filled with the sandbox's generated documents (actui.sandbox.seed, what the API sends) as a
sync fills it from a list carrying settings (every item is its number's detail). Contenders, rounds
alternating so the machine's load falls on all alike, each on a fresh LocalCopy (its columns not built:
what one `actui check` process does), except "warm" (evaluate(keep_columns=True): the columns built,
as the health screen may keep them to judge again):

- baseline "--where pass": `numbers list --where settings.optOut.enabled:true`'s filter over the copy
  (copy_select.matching), one path's SQLite pass and filter;
- baseline "parse all": the plain way, every document read from the copy and json.loads'ed (no judging yet);
- "10 policies": core.policies.evaluate of the ten policies below, built-in checks off;
- "10 policies + built-ins": the same with the seven built-in checks on;
- "warm": the latter again on a copy whose columns are built.

With --kept the documents are made to comply first and one in a hundred then breaks a policy (a
well-kept inventory); by default they break a lot (~1.6 breaches per number).

Prints the median wall time and CPU time (process_time) of each, in ms, and the ratio to the --where pass.
Goal: the ten policies over 100,000 in at most 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from actui.core import copy_select  # noqa: E402
from actui.core.cache_store import CacheStore  # noqa: E402
from actui.core.filtering import compile_filter  # noqa: E402
from actui.core.local_copy import LocalCopy  # noqa: E402
from actui.core.policies import evaluate, needed_paths  # noqa: E402
from actui.core.policy_file import parse_policies  # noqa: E402
from actui.sandbox.seed import generate  # noqa: E402

ACCOUNT = "bench"
TEN = """
[[policy]]
name = "a2p-stop"
where = "class:a2p"
require = { "settings.optOut.enabled" = true, "settings.optOut.text" = "STOP" }
[[policy]]
name = "rate-cap"
require = { "settings.rateLimit" = { max = 1000 } }
[[policy]]
name = "a2p-ids"
where = "provisionClass=a2p"
require = { "campaignId" = { present = true }, "brandId" = { present = true } }
[[policy]]
name = "forward-on"
where = "settings.autoForward.emailAddresses:*"
require = { "settings.autoForward.enabled" = true }
[[policy]]
name = "no-ai"
require = { "settings.aiSettings.isEnabled" = false }
[[policy]]
name = "signature"
where = "settings.signature.enabled:true"
require = { "settings.signature.message" = { not = "" } }
[[policy]]
name = "support-sound"
where = "support"
require = { "settings.notifications.enableSound" = true }
[[policy]]
name = "mms"
where = "type:mms"
require = { "isMMSEnabled" = true }
[[policy]]
name = "opt-in-keyword"
where = "settings.optIn.enabled:true"
require = { "settings.optIn.text" = "START" }
[[policy]]
name = "ooo-bounded"
where = "settings.outOfOffice.enabled:true"
require = { "settings.outOfOffice.endDate" = { max = 2027-12-31 } }
"""


def well_kept(doc: dict[str, Any], index: int) -> dict[str, Any]:
    """The document set as the ten policies and the built-in checks require; one in a hundred then breaks
    one of them (rotating through five ways): an inventory kept in order, ~1% of its numbers drifting."""
    settings = doc.setdefault("settings", {})
    section = lambda name: settings.setdefault(name, {})  # noqa: E731
    section("optOut").update(enabled=True, text="STOP", textResponse="You are unsubscribed.", periodicEnabled=False,
                             periodicCron="0 12 15 * *")
    section("optIn").update(enabled=True, text="START")
    section("autoForward").update(enabled=True, emailAddresses=["support@acme.example.com"])
    section("aiSettings")["isEnabled"] = False
    section("signature").update(enabled=True, message="-- Acme Corp")
    section("notifications")["enableSound"] = True
    section("outOfOffice").update(enabled=False, endDate="2027-06-30T23:59:59Z")
    section("autoResponse").update(enabled=True, message="Thanks for your message.")
    settings.update(rateLimit=100, noOutboundTexts=False)
    doc.update(campaignId=doc.get("campaignId") or "CAMP-1", brandId=doc.get("brandId") or "BRAND-1",
               isMMSEnabled=True)
    if index % 100 == 0:
        drift = index // 100 % 5
        if drift == 0:
            settings["rateLimit"] = 5000
        elif drift == 1:
            settings["optOut"]["text"] = "HALT"
        elif drift == 2:
            settings["aiSettings"]["isEnabled"] = True
        elif drift == 3:
            settings["autoForward"]["emailAddresses"] = []
        else:
            settings["optIn"]["text"] = ""
    return doc


def documents(numbers: int, kept: bool = False) -> Iterator[dict[str, Any]]:
    """The sandbox's generated documents (kept: made well_kept)."""
    for index, doc in enumerate(generate(numbers, 1)):
        yield well_kept(doc, index) if kept else doc


def fill(path: Path, numbers: int, kept: bool = False) -> None:
    cache = CacheStore(path)
    copy = LocalCopy(cache, ACCOUNT)
    batch: list[dict[str, Any]] = []
    for doc in documents(numbers, kept):
        batch.append(doc)
        if len(batch) == 1000:
            copy.put_list_items(batch, seen_at=time.time())
            batch = []
    if batch:
        copy.put_list_items(batch, seen_at=time.time())
    cache.close()


def race(contenders: list[tuple[str, Callable[[], int]]], rounds: int) -> list[tuple[str, float, float, int]]:
    wall: list[list[float]] = [[] for _ in contenders]
    cpu: list[list[float]] = [[] for _ in contenders]
    found = [0] * len(contenders)
    for round_ in range(rounds):
        for offset in range(len(contenders)):
            at = (round_ + offset) % len(contenders)
            start, start_cpu = time.perf_counter(), time.process_time()
            found[at] = contenders[at][1]()
            wall[at].append((time.perf_counter() - start) * 1000)
            cpu[at].append((time.process_time() - start_cpu) * 1000)
    return [(name, statistics.median(w), statistics.median(c), n)
            for (name, _), w, c, n in zip(contenders, wall, cpu, found, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--kept", action="store_true", help="well-kept documents: ~1%% of numbers breaking")
    args = parser.parse_args()

    path = Path(tempfile.mkdtemp()) / "copy.sqlite3"
    started = time.perf_counter()
    fill(path, args.numbers, args.kept)
    print(f"copy of {args.numbers:,} numbers with details filled in {time.perf_counter() - started:.1f} s")
    cache = CacheStore(path)
    ten = parse_policies(TEN + '[builtin]\n' + "\n".join(
        f"{name} = false" for name in ("ooo-ended", "forward-no-address", "auto-response-empty", "opt-out-empty",
                                       "a2p-no-campaign", "opt-out-cron", "no-outbound-activated")),
        Path("policies.toml"))
    all_of_them = parse_policies(TEN, Path("policies.toml"))
    where = compile_filter("settings.optOut.enabled:true")
    warm, warm_ten = LocalCopy(cache, ACCOUNT), LocalCopy(cache, ACCOUNT)
    evaluate(all_of_them, warm, keep_columns=True)
    evaluate(ten, warm_ten, keep_columns=True)

    def breaking(policies) -> Callable[[], int]:
        return lambda: sum(len(r.breaking) for r in evaluate(policies, LocalCopy(cache, ACCOUNT)))

    def warmed(policies, copy) -> Callable[[], int]:
        return lambda: sum(len(r.breaking) for r in evaluate(policies, copy, keep_columns=True))

    def parse_all() -> int:
        rows = cache.query("SELECT coalesce(detail, list_item) FROM copy_numbers WHERE account = ?", (ACCOUNT,))
        return len([json.loads(row[0]) for row in rows])

    results = race([
        ("baseline: --where pass (one path)", lambda: len(copy_select.matching(LocalCopy(cache, ACCOUNT), where))),
        ("baseline: parse all documents", parse_all),
        ("10 policies", breaking(ten)),
        ("10 policies, warm", warmed(ten, warm_ten)),
        ("10 policies + 7 built-ins", breaking(all_of_them)),
        ("10 policies + 7 built-ins, warm", warmed(all_of_them, warm)),
    ], args.rounds)
    base = results[0][1]
    paths_ten, paths_all = len(needed_paths(ten)), len(needed_paths(all_of_them))
    print(f"median of {args.rounds} rounds, ms; the ten policies read {paths_ten} paths, with the built-ins "
          f"{paths_all}")
    print(f"{'contender':<36} {'wall':>8} {'ratio':>6} {'CPU':>8}  found")
    for name, wall, cpu, found in results:
        print(f"{name:<36} {wall:8.0f} {wall / base:6.2f} {cpu:8.0f}  {found:,}")
    cache.close()


if __name__ == "__main__":
    main()
