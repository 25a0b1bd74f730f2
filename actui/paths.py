"""Every on-disk location actui uses, in one place (platformdirs).

Tests point these into tmp_path by setting XDG_CONFIG_HOME / XDG_DATA_HOME, or ACTUI_CONFIG_DIR /
ACTUI_DATA_DIR which win over everything.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "actui"


def config_dir() -> Path:
    override = os.environ.get("ACTUI_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    override = os.environ.get("ACTUI_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    return config_dir() / "config.toml"


def sandbox_db() -> Path:
    """The embedded sandbox's inventory and orders (its own file, shared by TUI, CLI and `actui sandbox`)."""
    return data_dir() / "sandbox.sqlite3"


def state_db() -> Path:
    """actui's own local state: tracked orders, journal, drafts."""
    return data_dir() / "actui.sqlite3"


def ensure_private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_private_file(path: Path, text: str) -> None:
    """Write text to path with mode 0600, atomically (a crash never leaves half a file)."""
    ensure_private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
