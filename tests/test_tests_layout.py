"""The tests keep their helpers in one place: no test module imports another test module (what several
share lives in conftest.py fixtures or helper modules without the `test_` prefix: tests/helpers.py,
tests/tui/*_pilot.py, tests/<area>/helpers.py), every wait polls through tests.helpers.until, and clients
and connections to a test server come from one builder each (tests.helpers.client_for,
tests.tui.app_pilot.connection_for)."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent
WAIT_HELPERS = {TESTS / "helpers.py"}   # the one polling loop (until) lives here
BUILDERS = {TESTS / "helpers.py", TESTS / "tui" / "app_pilot.py"}   # client_for, connection_for


def test_module_imports(source: str) -> list[str]:
    """The imports in `source` (at any depth: in functions too) that reach a `test_*` module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [f"{node.module or ''}.{alias.name}" for alias in node.names] + [node.module or ""]
        else:
            continue
        if any(part.startswith("test_") for name in names for part in name.split(".")):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


test_module_imports.__test__ = False  # a helper, not a test (its name starts with test_)


def polling_loops(source: str) -> list[str]:
    """`while` loops that sleep or pause inside: hand-written waits (tests.helpers.until is the one wait)."""
    found = []
    for loop in ast.walk(ast.parse(source)):
        if not isinstance(loop, ast.While):
            continue
        for node in ast.walk(loop):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("sleep", "pause"):
                found.append(f"line {loop.lineno}: while {ast.unparse(loop.test)}")
                break
    return found


def hand_built_connections(source: str) -> list[str]:
    """ApiClient(x.base_url, …) and Connection(base_url=x.base_url, …): a client or connection built by hand
    for a test server (clients for a made-up address, with a mock transport, are fine)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("ApiClient", "Connection")):
            continue
        urls = node.args[:1] + [k.value for k in node.keywords if k.arg == "base_url"]
        if any(isinstance(url, ast.Attribute) and url.attr == "base_url" for url in urls):
            found.append(f"line {node.lineno}: {node.func.id}(…)")
    return found


def python_files() -> list[Path]:
    files = sorted(TESTS.rglob("*.py"))
    assert len(files) > 80 and TESTS / "conftest.py" in files
    return files


def test_no_test_module_imports_another():
    found = [f"{path.relative_to(TESTS.parent)} {hit}" for path in python_files()
             for hit in test_module_imports(path.read_text())]
    assert not found, "move what is shared into a fixture or a helper module:\n" + "\n".join(found)


def test_every_wait_goes_through_until():
    found = [f"{path.relative_to(TESTS.parent)} {hit}" for path in python_files() if path not in WAIT_HELPERS
             for hit in polling_loops(path.read_text())]
    assert not found, "wait with tests.helpers.until (or until_sync), which has a timeout:\n" + "\n".join(found)


def test_clients_and_connections_come_from_one_builder():
    found = [f"{path.relative_to(TESTS.parent)} {hit}" for path in python_files() if path not in BUILDERS
             for hit in hand_built_connections(path.read_text())]
    assert not found, "use tests.helpers.client_for or tests.tui.app_pilot.connection_for:\n" + "\n".join(found)


def test_the_checks_see_every_form():
    source = ("import tests.cli.test_bulk_cli\n"
              "from tests.tui.test_editor import opened\n"
              "from tests.tui import test_editor\n"
              "from tests.tui.editor_pilot import opened\n"
              "from . import test_faults\n"
              "def f():\n"
              "    from tests.core.test_store_safety import planned\n"
              "async def g(pilot, server):\n"
              "    while not done():\n"
              "        await pilot.pause()\n"
              "    while server.count < 3:\n"
              "        time.sleep(0.01)\n"
              "    while True:\n"
              "        break\n")
    lines = ["line 1", "line 2", "line 3", "line 5", "line 7"]
    assert [hit.split(":")[0] for hit in test_module_imports(source)] == lines
    assert [hit.split(":")[0] for hit in polling_loops(source)] == ["line 9", "line 11"]
    built = ("ApiClient(sandbox.base_url, sandbox.user, sandbox.password)\n"
             "ApiClient('http://api.test/api/v1', 'u', 'p', transport=mock)\n"
             "Connection(profile=None, base_url=server.base_url, user=server.user)\n"
             "Connection(profile=None, base_url=None, user=None, sandbox=True)\n")
    assert [hit.split(":")[0] for hit in hand_built_connections(built)] == ["line 1", "line 3"]
