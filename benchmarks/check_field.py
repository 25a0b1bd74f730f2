"""check_field() runs on every keystroke in the editor: how long one call takes on a full document.

    python benchmarks/check_field.py            # --runs 1000

Moved out of tests/core/test_checks.py, where it only printed a time (a test that could not fail).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actui.core.checks import check_field  # noqa: E402
from tests.core.test_checks import with_  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    doc = with_("settings.optIn.text", "STOP", with_("settings.autoForward.emailAddresses",
                                                      [f"user{i}@example.com" for i in range(10)]))
    check_field(doc, "settings.optIn.text")  # warm up (imports, caches)
    per_call = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for _ in range(args.runs):
            check_field(doc, "settings.optIn.text")
        per_call.append((time.perf_counter() - started) / args.runs)
    print(f"check_field: median {statistics.median(per_call) * 1000:.3f} ms per call "
          f"(best {min(per_call) * 1000:.3f}) on a {len(str(doc))}-character document, "
          f"{args.rounds} rounds of {args.runs}")


if __name__ == "__main__":
    main()
