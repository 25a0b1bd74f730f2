"""What the start path imports before the first page is drawn (checked in a fresh interpreter): every module
counts against the warm start-up goal (issue 11: ≤ 1.35x a bare Textual app), so what only a later key needs
is imported by that key."""

import subprocess
import sys

# what `actui` imports before the inventory screen draws its cached first page
START_PATH = ("actui.cli", "actui.cli.connect", "actui.tui", "actui.tui.app", "actui.tui.screens.inventory",
              "actui.core.list_cache", "actui.core.cache_store")


def imported_after_start(prefixes: tuple[str, ...]) -> list[str]:
    code = ("import importlib, sys\n"
            f"for name in {START_PATH!r}: importlib.import_module(name)\n"
            f"print(','.join(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [name for name in result.stdout.strip().split(",") if name]


def test_the_filter_modules_wait_for_the_first_filter():
    """The filter parser and evaluator (~5 ms of imports) are imported by the first `/` keystroke."""
    assert imported_after_start(("actui.core.filter",)) == []


def test_the_start_path_still_imports_the_inventory_screen():
    """The check above looks at the modules a start really imports (not an empty set by mistake)."""
    assert "actui.tui.screens.inventory" in imported_after_start(("actui.tui.screens",))
