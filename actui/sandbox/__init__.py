"""The embedded sandbox: a strict emulator of the Approved Contact phone-number API on loopback.

    from actui.sandbox import SandboxServer
    with SandboxServer(db_path, numbers=500) as server:
        ...  # server.base_url, server.user, server.password, server.faults, server.state

Modules: `state` (SQLite inventory, orders, LOA files), `seed` (deterministic inventory), `odd`
(odd-but-real values at fixed positions, `--odd`), `rules` (what a request may hold, from the guide; never
the client's models), `app` (the ASGI routes), `faults` (what to inject: `--faults SPEC`, every key in
`fault_help`), `fault_middleware` and `fault_bodies` (injecting it), `server` (serving). Names are
imported lazily, so `import actui.sandbox` costs nothing until one is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

DEFAULT_USER = "sandbox@actui.dev"

_EXPORTS = {
    "SandboxServer": "server", "serve_forever": "server",
    "SandboxState": "state",
    "Faults": "faults", "FaultSpecError": "faults",
    "SandboxOptions": "app", "LIST_SHAPES": "app", "build_app": "app",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
