"""Every on-disk location actui uses, in one place (platformdirs).

Tests point these into tmp_path by setting XDG_CONFIG_HOME / XDG_DATA_HOME, or ACTUI_CONFIG_DIR /
ACTUI_DATA_DIR which win over everything.
"""

from __future__ import annotations

import os
from pathlib import Path

from .api.errors import ActuiError

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


def policies_file() -> Path:
    """The policy file (`actui check`, `actui fix`, the health screen): beside config.toml."""
    return config_dir() / "policies.toml"


def sandbox_db() -> Path:
    """The embedded sandbox's inventory and orders (its own file, shared by TUI, CLI and `actui sandbox`)."""
    return data_dir() / "sandbox.sqlite3"


def state_db() -> Path:
    """actui's own local state: tracked orders, journal, drafts."""
    return data_dir() / "actui.sqlite3"


def cache_db() -> Path:
    """What actui can rebuild from the server (the list's first page): its own file, so a damaged or
    read-only cache never takes the journal with it."""
    return data_dir() / "actui-cache.sqlite3"


class LocalFileError(ActuiError):
    """A file or directory of actui's own cannot be written; the message names it and the fix."""


def setting_for(path: Path) -> str:
    """The environment variable that moves the directory holding path."""
    try:
        Path(path).relative_to(config_dir())
        return "ACTUI_CONFIG_DIR"
    except ValueError:
        return "ACTUI_DATA_DIR"


def cannot_write(path: Path, error: OSError) -> LocalFileError:
    reason = error.strerror or str(error)
    return LocalFileError(f"cannot write {path} ({reason}): fix the permissions of {path.parent}, "
                          f"or set {setting_for(path)} to a directory you can write")


def ensure_private_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise LocalFileError(f"cannot create the directory {path} ({error.strerror or error}): fix the "
                             f"permissions of its parent, or set {setting_for(path / 'x')} to a directory "
                             "you can write") from None
    return path


def write_private_file(path: Path, text: str) -> None:
    """Write text to path with mode 0600, atomically (a crash never leaves half a file)."""
    ensure_private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise cannot_write(path, error) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise cannot_write(path, error) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
