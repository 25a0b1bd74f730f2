"""The user's keys: config.toml's [keymap] (binding id -> keys) checked against the bindings actui has.

`known_bindings()` walks the binding classes of every module of actui.tui (so the ids cannot drift from the
code), `check_keymap(keymap)` refuses an unknown id (naming the closest) or a malformed key with a
ConfigError, and the app applies a checked keymap with Textual's `App.set_keymap`, which rebinds every
binding with that id: the footer, `?` help and the palette show the new key.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from textual.binding import Binding
from textual.keys import (
    KEY_NAME_REPLACEMENTS,
    KEY_TO_UNICODE_NAME,
    Keys,
    _character_to_key,  # what App.set_keymap applies to one-character keys (Textual 8.2.8)
)

from ..api.errors import ConfigError


class SettingError(ConfigError):
    """A TUI setting in config.toml names what does not exist (a binding id, a key, a column): the command
    line reports it as a usage error (exit 2) before the screen opens."""


MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(key.value for key in Keys if "+" not in key.value and not key.value.startswith("<"))


def binding_classes() -> Iterator[type]:
    """Every class of actui.tui (each module imported) that declares BINDINGS itself."""
    # found by path and imported by name, not `import actui.tui`: the app imports this module
    package = __name__.rpartition(".")[0]
    for info in pkgutil.walk_packages([str(Path(__file__).parent)], package + "."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__ and "BINDINGS" in vars(value):
                yield value


def bindings_with_ids() -> Iterator[tuple[str, Binding, type]]:
    """(id, binding, the class declaring it) for every binding of actui.tui that has an id."""
    for cls in binding_classes():
        for binding in vars(cls)["BINDINGS"]:
            if isinstance(binding, Binding) and binding.id:
                yield binding.id, binding, cls


@cache
def known_bindings() -> dict[str, Binding]:
    """Binding id -> its binding as actui declares it (the default keys)."""
    return {binding_id: binding for binding_id, binding, _ in bindings_with_ids()}


def check_key(keys: str) -> str | None:
    """Why `keys` (Textual's form: "f", "ctrl+j", "question_mark", several split by ",") is not a key,
    or None if every one is."""
    for key in (part.strip() for part in keys.split(",")):
        if not key:
            return "an empty key"
        if len(key) == 1:
            if not key.isprintable() or key.isspace():
                return f"{key!r} is not a key"
            continue
        *modifiers, name = key.split("+")
        unknown = [m for m in modifiers if m not in MODIFIERS]
        if unknown:
            return f"{key!r}: {unknown[0]!r} is not a modifier (ctrl, shift, alt, meta, super, hyper)"
        if not _is_key_name(name):
            return f"{key!r}: {name!r} is not a key name (a character, or a name such as \"f5\", \"enter\", " \
                   "\"question_mark\")"
    return None


def _is_key_name(name: str) -> bool:
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    if name in _NAMED_KEYS or name in KEY_TO_UNICODE_NAME or name in KEY_NAME_REPLACEMENTS.values():
        return True
    try:   # Textual's names of characters: "question_mark", "left_square_bracket", "asterisk"
        unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    return name == name.lower()


def check_keymap(keymap: Mapping[str, str], where: str = "[keymap]") -> dict[str, str]:
    """The keymap if every id is one of actui's bindings and every key is a key; else a ConfigError
    naming the line (an unknown id with the closest known one)."""
    known = known_bindings()
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, known, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else \
                f" (ids look like {', '.join(sorted(known)[:3])}, …: `?` in the TUI lists them)"
            raise SettingError(f"{where}: no binding has the id {binding_id!r}{hint}")
        problem = check_key(keys)
        if problem:
            raise SettingError(f"{where}: {binding_id!r} = {keys!r}: {problem}")
    checked = {binding_id: keys.strip() for binding_id, keys in keymap.items()}
    _refuse_clashes(checked, where)
    return checked


def _refuse_clashes(keymap: Mapping[str, str], where: str) -> None:
    """Two bindings of one screen (or widget) on the same key after the keymap: Textual would quietly keep
    one of them, so the other key would seem dead."""
    for cls in binding_classes():
        owner: dict[str, str] = {}
        for binding in vars(cls)["BINDINGS"]:
            if not isinstance(binding, Binding):
                continue
            keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
            for key in _key_names(keys):
                other = owner.setdefault(key, binding.id or binding.action)
                if other != (binding.id or binding.action) and (binding.id in keymap or other in keymap):
                    mine, theirs = (binding.id, other) if binding.id in keymap else (other, binding.id)
                    raise SettingError(f"{where}: {mine!r} = {keymap[mine]!r}: {key!r} is also the key of {theirs!r} "
                                       f"({cls.__name__}); give one of them another key")


def _key_names(keys: str) -> list[str]:
    """Keys as Textual compares them ("/" is "slash", "?" is "question_mark")."""
    return [_character_to_key(key) if len(key) == 1 else key for key in (k.strip() for k in keys.split(","))]
