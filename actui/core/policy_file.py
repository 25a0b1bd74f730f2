"""Reading a policy file (TOML): `[[policy]]` tables and a `[builtin]` table, every error naming its line.

    [[policy]]
    name = "a2p-stop"
    description = "A2P numbers honour STOP"
    where = "class:a2p"
    require = { "settings.optOut.enabled" = true, "settings.optOut.text" = "STOP" }

    [builtin]
    no-outbound-activated = false

tomllib gives no positions, so lines are found in the text: the i-th `[[policy]]` header starts the i-th
policy's block, and a key's line is the first line of its block naming it. A require key may be one quoted
dotted path or nested tables (`require.settings.optOut.enabled = true`); both mean the same path.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .builtin_checks import BUILTIN_CHECKS, BUILTIN_NAMES
from .filter_ast import ANY, BOOL, DATE, LIST, NUMBER, SECTION, TEXT, FilterError
from .filtering import compile_filter
from .policy_model import (
    CONDITION_KINDS,
    EQUALS,
    MAX,
    MIN,
    PRESENT,
    Condition,
    DateValue,
    Policy,
    PolicyFileError,
    PolicySet,
    Requirement,
    instant,
)

POLICY_KEYS = ("name", "description", "where", "require")
_HEADER = re.compile(r"^\s*\[\[\s*policy\s*\]\]")
_TABLE = re.compile(r"^\s*\[")
_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)\s*$")
_UNKNOWN = re.compile(r"^unknown (?:field|column) '(.*)' \((.*)\)$", re.S)
_KIND_WORDS = {BOOL: "true or false", NUMBER: "a number", TEXT: "text", DATE: "a date (2027-01-31 or "
               "2027-01-31T00:00:00Z)", LIST: "a list"}


class _Lines:
    """Where things are in the file's text."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers = [i + 1 for i, line in enumerate(self.lines) if _HEADER.match(line)]

    def block(self, index: int) -> tuple[int, int]:
        """The first and last line (1-based) of the index-th policy's block."""
        if index >= len(self.headers):
            return 1, len(self.lines)
        start = self.headers[index]
        end = len(self.lines)
        for number in range(start + 1, len(self.lines) + 1):
            if _TABLE.match(self.lines[number - 1]) and not self._sub_table(self.lines[number - 1]):
                end = number - 1
                break
        return start, end

    @staticmethod
    def _sub_table(line: str) -> bool:
        return re.match(r"^\s*\[\s*policy\s*\.", line) is not None

    def find(self, key: str, within: tuple[int, int], *, last_part: bool = True) -> int | None:
        """The first line in `within` where `key` is assigned (bare, quoted, or as its last dotted part)."""
        quoted = re.escape(key)
        patterns = [rf"""(^|[\s{{,.])["']{quoted}["']\s*=""", rf"(^|[\s{{,.]){quoted}\s*="]
        if last_part and "." in key:
            tail = re.escape(key.rsplit(".", 1)[1])
            patterns.append(rf"""(^|[\s{{,.])["']?{tail}["']?\s*=""")
        for pattern in patterns:
            compiled = re.compile(pattern)
            for number in range(within[0], within[1] + 1):
                if compiled.search(_code(self.lines[number - 1])):
                    return number
        return None

    def top_key(self, key: str) -> int | None:
        return self.find(key, (1, len(self.lines)), last_part=False)


def _code(line: str) -> str:
    """The line without a trailing comment (a '#' outside quotes)."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:index]
    return line


def parse_policies(text: str, path: Path) -> PolicySet:
    """The policies of a file's text (and the built-in checks it leaves on); PolicyFileError naming the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_AT.search(message)
        line = int(found[1]) if found and found[1] else max(1, len(text.splitlines())) if found else None
        raise PolicyFileError(path, line,
                              f"not valid TOML: {_TOML_AT.sub('', message)}") from None
    lines = _Lines(text)
    for key in data:
        if key not in ("policy", "builtin"):
            raise PolicyFileError(path, lines.top_key(key) or _table_line(lines, key),
                                  f"{key}: unknown table or key (a policy file holds [[policy]] and [builtin])")
    raw = data.get("policy", [])
    if not isinstance(raw, list):
        raise PolicyFileError(path, lines.top_key("policy") or _table_line(lines, "policy"),
                              "policy: write each policy as a [[policy]] table")
    policies: list[Policy] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(raw):
        policy = _policy(table, index, lines, path)
        if policy.name in seen:
            raise PolicyFileError(path, policy.line, f"name: {policy.name!r} is already the name of the "
                                                     f"policy on line {seen[policy.name]}")
        if policy.name in BUILTIN_NAMES:
            raise PolicyFileError(path, policy.line, f"name: {policy.name!r} is a built-in check's name")
        seen[policy.name] = policy.line
        policies.append(policy)
    off = _builtins_off(data.get("builtin", {}), lines, path)
    policies += [check.policy() for check in BUILTIN_CHECKS if check.name not in off]
    return PolicySet(path, policies)


def _table_line(lines: _Lines, key: str) -> int | None:
    pattern = re.compile(rf"^\s*\[+\s*{re.escape(key)}\s*[\].]")
    return next((i + 1 for i, line in enumerate(lines.lines) if pattern.match(line)), None)


def _builtins_off(table: Any, lines: _Lines, path: Path) -> set[str]:
    start = _table_line(lines, "builtin") or lines.top_key("builtin")
    if not isinstance(table, Mapping):
        raise PolicyFileError(path, start, "builtin: a table of check names, each true or false")
    off: set[str] = set()
    span = (start or 1, len(lines.lines))
    for name, enabled in table.items():
        line = lines.find(name, span, last_part=False)
        if name not in BUILTIN_NAMES:
            raise PolicyFileError(path, line, f"builtin.{name}: unknown built-in check (the checks: "
                                              f"{', '.join(BUILTIN_NAMES)})")
        if not isinstance(enabled, bool):
            raise PolicyFileError(path, line, f"builtin.{name}: true or false, not {_toml_text(enabled)}")
        if not enabled:
            off.add(name)
    return off


def _policy(table: Any, index: int, lines: _Lines, path: Path) -> Policy:
    span = lines.block(index)
    header = span[0]
    if not isinstance(table, Mapping):
        raise PolicyFileError(path, header, "policy: write each policy as a [[policy]] table")

    def line_of(key: str) -> int:
        return lines.find(key, span, last_part=False) or header

    for key in table:
        if key not in POLICY_KEYS:
            raise PolicyFileError(path, line_of(key), f"{key}: unknown key in a policy (its keys: "
                                                      f"{', '.join(POLICY_KEYS)})")
    name = table.get("name")
    if name is None:
        raise PolicyFileError(path, header, "name: every policy needs a name")
    if not isinstance(name, str) or not name.strip():
        raise PolicyFileError(path, line_of("name"), "name: a policy's name is non-empty text")
    name_line = line_of("name")
    texts = {}
    for key in ("description", "where"):
        value = table.get(key, "")
        if not isinstance(value, str):
            raise PolicyFileError(path, line_of(key), f"{key}: text, not {_toml_text(value)}")
        texts[key] = value
    try:
        compile_filter(texts["where"])
    except FilterError as error:
        raise PolicyFileError(path, line_of("where"), f"where: {error}") from None
    require = table.get("require")
    if require is None:
        raise PolicyFileError(path, name_line, f"require: policy {name!r} requires nothing (add "
                                               "require = {{ \"path\" = value }})")
    if not isinstance(require, Mapping):
        raise PolicyFileError(path, line_of("require"), "require: a table of wire paths and values")
    requires: list[Requirement] = []
    for written, value in _flatten(require):
        line = lines.find(written, span) or line_of("require")
        requires.extend(_requirements(written, value, line, path))
    if not requires:
        raise PolicyFileError(path, line_of("require"), f"require: policy {name!r} requires nothing")
    return Policy(name.strip(), texts["description"], texts["where"].strip(), tuple(requires), name_line)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted path, value or condition table) for each leaf; a table naming a condition (present, not,
    max, min, equals) is one (any other key in it an error), any other table a level of the path."""
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        written = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and not set(value) & set(CONDITION_KINDS):
            out += _flatten(value, written + ".")
        else:
            out.append((written, value))
    return out


def _requirements(written: str, value: Any, line: int, path: Path) -> list[Requirement]:
    from .filter_paths import resolve

    try:
        wire, kind = resolve(written, written)
    except FilterError as error:
        message = str(error)
        found = _UNKNOWN.match(message)
        if found:
            message = f"unknown field ({found[2]})"
        raise PolicyFileError(path, line, f"{written}: {message}") from None
    if kind == SECTION:
        raise PolicyFileError(path, line, f"{wire}: a section, not a field: name a field inside it "
                                          f"({wire}.enabled, ...)")
    if isinstance(value, Mapping):
        if not value:
            raise PolicyFileError(path, line, f"{wire}: an empty condition (write a value, or one of "
                                              f"{', '.join('{ ' + k + ' = ... }' for k in CONDITION_KINDS)})")
        return [Requirement(wire, _condition(wire, kind, cond, arg, line, path), line)
                for cond, arg in value.items()]
    return [Requirement(wire, _condition(wire, kind, EQUALS, value, line, path), line)]


def _condition(wire: str, kind: str | None, cond: str, arg: Any, line: int, path: Path) -> Condition:
    def refuse(why: str) -> PolicyFileError:
        return PolicyFileError(path, line, f"{wire}: {why}")

    if cond not in CONDITION_KINDS:
        raise refuse(f"unknown condition {cond!r} (the conditions: {', '.join(CONDITION_KINDS)})")
    if cond == PRESENT:
        if not isinstance(arg, bool):
            raise refuse(f"present is true or false, not {_toml_text(arg)}")
        return Condition(PRESENT, arg)
    if cond in (MAX, MIN):
        if kind not in (NUMBER, DATE, ANY, None):
            raise refuse(f"{cond} compares numbers or dates; this field holds {_KIND_WORDS.get(kind, kind)}")
        bound = _typed(arg, kind if kind in (NUMBER, DATE) else None)
        if bound is None or not (isinstance(bound, DateValue) or type(bound) in (int, float)):
            wanted = _KIND_WORDS[kind] if kind in (NUMBER, DATE) else "a number or a date"
            raise refuse(f"{cond} needs {wanted}, not {_toml_text(arg)}")
        return Condition(cond, bound)
    typed = _typed(arg, kind)
    if typed is None:
        raise refuse(f"expected {_KIND_WORDS.get(kind or '', 'a value')}, not {_toml_text(arg)}")
    return Condition(cond, typed)


def _typed(value: Any, kind: str | None) -> Any:
    """The value as a condition holds it if it fits the field's kind, else None."""
    if isinstance(value, (datetime.date, datetime.time)) and not isinstance(value, datetime.datetime):
        if isinstance(value, datetime.time):
            return None
        value = datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, datetime.datetime):
        if kind not in (DATE, ANY, None):
            return None
        moment = instant(value)
        assert moment is not None
        return DateValue(_iso(moment), moment)
    if kind == BOOL:
        return value if isinstance(value, bool) else None
    if kind == NUMBER:
        return value if type(value) in (int, float) else None
    if kind == TEXT:
        return value if isinstance(value, str) else None
    if kind == DATE:
        moment = instant(value) if isinstance(value, str) else None
        return DateValue(_iso(moment), moment) if moment is not None else None
    if kind == LIST:
        return value if isinstance(value, list) else None
    return value   # ANY, or below a field the models leave open


def _iso(moment: datetime.datetime) -> str:
    text = moment.astimezone(datetime.UTC).isoformat()
    return text.replace("+00:00", "Z")


def _toml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) < 40 else "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return str(value)
