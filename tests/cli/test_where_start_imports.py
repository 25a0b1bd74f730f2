"""`actui numbers list --where` answered from a fresh local copy starts light: neither pydantic (the models)
nor httpx (the client) is imported on the way (issue 11's speed goal: about 0.1 s of each start-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import cli_runner

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("pydantic", "httpx", "actui.api.number_models", "actui.core.sync", "actui.cli.sync_cmd")
PROBE = ("import sys\n"
         "from actui.cli import main\n"
         "code = main(sys.argv[1:])\n"
         f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
         "print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
         "sys.exit(code)\n")


def run_fresh(*args: str) -> tuple[int, str, list[str]]:
    """`actui ARGS` in a new interpreter: (exit code, stdout, the heavy modules it had imported)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=60)
    line = next(line for line in done.stderr.splitlines() if line.startswith("HEAVY="))
    return done.returncode, done.stdout, [name for name in line.removeprefix("HEAVY=").split(",") if name]


def test_where_from_a_fresh_copy_imports_neither_pydantic_nor_httpx(sandbox, monkeypatch, capsys):
    run = cli_runner(sandbox, monkeypatch, capsys)
    assert run("sync")[0] == 0
    for where in ("settings.optOut.enabled:true", "class:a2p", "settings.rateLimit>500 or !settings.optIn.enabled"):
        code, online, err = run("numbers", "list", "--where", where, "--all", "--json")
        assert code == 0, err
        code, out, heavy = run_fresh("numbers", "list", "--where", where, "--all", "--json")
        assert code == 0
        assert json.loads(out) == json.loads(online)
        assert heavy == [], f"--where {where!r} imported {heavy}"


def test_the_probe_sees_heavy_imports(sandbox, monkeypatch, capsys):
    """The same probe on a command that needs the client reports it (so the test above can fail)."""
    cli_runner(sandbox, monkeypatch, capsys)
    code, _, heavy = run_fresh("numbers", "list", "--json")
    assert code == 0 and "httpx" in heavy
