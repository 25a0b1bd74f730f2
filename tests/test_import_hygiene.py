"""The layers hold: api/, core/ and sandbox/ never import Textual (checked in a fresh interpreter, and in the
source), no module takes part in an import cycle, and the import-linter contracts are kept."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import actui
from tests.import_graph import cycles, describe, import_graph

PACKAGE = Path(actui.__file__).parent
LAYERS = ("api", "core", "sandbox", "cli")  # the CLI starts the TUI through actui.tui.run only
TOP_LEVEL = ("actui.config", "actui.profiles", "actui.credentials", "actui.paths", "actui.embedded", "actui.cli")


def modules(layer: str) -> list[str]:
    found = pkgutil.iter_modules([str(PACKAGE / layer)])
    return [f"actui.{layer}.{m.name}" for m in found if m.name != "__main__"]  # __main__ runs main()


def test_no_textual_after_importing_every_module_below_the_tui():
    names = [name for layer in LAYERS for name in modules(layer)] + list(TOP_LEVEL)
    code = ("import importlib, sys\n"
            f"for name in {names!r}: importlib.import_module(name)\n"
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
            "print(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"Textual imported by a lower layer: {result.stdout}"
    assert len(names) > 15


def test_no_textual_import_statement_in_lower_layers():
    files = [path for layer in LAYERS for path in (PACKAGE / layer).glob("*.py")]
    files += [PACKAGE / f"{name.removeprefix('actui.')}.py" for name in TOP_LEVEL if name != "actui.cli"]
    assert all(path.exists() for path in files) and len(files) > 60
    for path in files:
        for line in path.read_text().splitlines():
            stripped = line.strip()
            assert not stripped.startswith(("import textual", "from textual")), f"{path}: {stripped}"


# --- no import cycles -----------------------------------------------------------------------------


def test_no_import_cycles_in_actui():
    """Function-level imports count (they run, only later); `if TYPE_CHECKING:` ones do not."""
    graph = import_graph(PACKAGE)
    assert len(graph) > 100 and "actui.cli.bulk_cmd" in graph["actui.cli"]
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(describe(graph, c) for c in found)


def test_the_cycle_finder_sees_function_level_imports_and_skips_type_checking_ones(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from .sub import b\n")
    (package / "sub" / "b.py").write_text("def later():\n    from ..c import thing\n")
    (package / "c.py").write_text("import pkg.a\n")
    (package / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n"
                                  "else:\n    from .sub import b\n")
    (package / "e.py").write_text("from . import d\n")
    (package / "sub" / "f.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                          "    from .. import e\n")
    graph = import_graph(package)
    assert graph["pkg.d"] == {"pkg.sub.b"} and graph["pkg.sub.f"] == set()
    assert cycles(graph) == [["pkg.a", "pkg.c", "pkg.sub.b"]]


def test_the_layer_contracts_hold():
    """pyproject.toml's [tool.importlinter]: cli and tui above core, core above api, the sandbox apart,
    Textual only in tui (the same check `lint-imports` makes in .ci/run)."""
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
                            capture_output=True, text=True, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


MAX_LINES = 450  # issue 10: small modules with one job each; split along the code's seams before this


def test_no_module_is_over_the_line_budget():
    long = {str(path.relative_to(PACKAGE)): n for path in sorted(PACKAGE.rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"modules over {MAX_LINES} lines: {long}"
