"""api/, core/ and sandbox/ never import Textual: checked in a fresh interpreter, and in the source."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import actui

PACKAGE = Path(actui.__file__).parent
LAYERS = ("api", "core", "sandbox")


def modules(layer: str) -> list[str]:
    return [f"actui.{layer}.{m.name}" for m in pkgutil.iter_modules([str(PACKAGE / layer)])]


def test_no_textual_after_importing_every_module_below_the_tui():
    names = [name for layer in LAYERS for name in modules(layer)] + ["actui.config", "actui.cli"]
    code = ("import importlib, sys\n"
            f"for name in {names!r}: importlib.import_module(name)\n"
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
            "print(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"Textual imported by a lower layer: {result.stdout}"
    assert len(names) > 15


def test_no_textual_import_statement_in_lower_layers():
    for layer in LAYERS:
        for path in (PACKAGE / layer).glob("*.py"):
            for line in path.read_text().splitlines():
                stripped = line.strip()
                assert not stripped.startswith(("import textual", "from textual")), f"{path}: {stripped}"
