"""Dotted field paths of the update document (`settings.optOut.text`) and typed values for them.

The CLI's `--set PATH=VALUE` and the bulk editor share this: a path is checked against the models, and
the text value becomes the type the field holds, or an error naming the field. A path the models do not
know (`settings.optOut.enabeld`, `settings..rateLimit`) is refused naming the closest known one, unless
the number already holds that field (the API keeps fields the guide does not list; they may be set).
Unknown top-level fields are always refused.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from ..api.errors import FieldProblem, InvalidInput
from ..api.number_models import PhoneNumberUpdate
from ..api.vocabulary import IMMUTABLE_FIELDS

_TRUE = {"true", "yes", "on", "1", "y"}
_FALSE = {"false", "no", "off", "0", "n"}


class UnknownField(InvalidInput):
    """A path no model knows and the number (if read yet) does not hold."""


def field_type(path: str, current: Mapping[str, Any] | None = None) -> Any:
    """The annotation of the field at `path`; None for a field the guide does not list that `current`
    (the number's document) already holds.

    Raises InvalidInput for a path that cannot be updated, UnknownField for one nobody knows.
    """
    parts = path.split(".")
    if "" in parts:
        raise InvalidInput([FieldProblem(path, "has an empty part between dots" + _did_you_mean(path, "; "))])
    model: type[BaseModel] | None = PhoneNumberUpdate
    annotation: Any = None
    for depth, part in enumerate(parts):
        if model is None:  # a part below a field that has none
            return _held_or_unknown(path, current)
        by_alias = {(f.alias or n): f for n, f in model.model_fields.items()}
        info = by_alias.get(part) or model.model_fields.get(part)
        if info is None:
            if depth == 0:
                why = ("cannot be changed after provisioning" if part in IMMUTABLE_FIELDS
                       else "is not an updatable field" + _did_you_mean(path, "; ")
                       + " (updatable: " + ", ".join(by_alias) + ")")
                raise InvalidInput([FieldProblem(path, why)])
            return _held_or_unknown(path, current)
        annotation = info.annotation
        model = model_in(annotation)
    return annotation


def _held_or_unknown(path: str, current: Mapping[str, Any] | None) -> None:
    if current is not None and holds(current, path):
        return None
    raise UnknownField([FieldProblem(path, "is not a field actui knows" + _did_you_mean(path, "; ")
                                     + ("" if current is None else " (and the number does not hold it)"))])


def holds(document: Mapping[str, Any], path: str) -> bool:
    """Whether `document` has a key at every part of `path` (its value may be null)."""
    node: Any = document
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _did_you_mean(path: str, sep: str = " ") -> str:
    wanted = ".".join(p for p in path.split(".") if p)
    close = difflib.get_close_matches(wanted, known_paths(), n=1, cutoff=0.6)
    return f"{sep}did you mean {close[0]}?" if close and close[0] != path else ""


@cache
def known_paths() -> tuple[str, ...]:
    """Every updatable path the models describe, sections included: description, settings.optOut, ..."""
    found: list[str] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            path = prefix + (info.alias or name)
            found.append(path)
            inner = model_in(info.annotation)
            if inner is not None:
                walk(inner, path + ".")

    walk(PhoneNumberUpdate, "")
    return tuple(found)


def wire_path(path: str) -> str:
    """Accept snake_case too: settings.opt_out.periodic_cron -> settings.optOut.periodicCron."""
    from pydantic.alias_generators import to_camel

    return ".".join(to_camel(p) if "_" in p else p for p in path.split("."))


def coerce(path: str, raw: str, current: Mapping[str, Any] | None = None) -> Any:
    """The typed value of text `raw` for the field at `path` (`current`: see field_type)."""
    annotation = field_type(path, current)
    if annotation is None:
        return _json_or_text(raw)
    options = annotation_options(annotation)
    if raw.strip().lower() in ("null", "none") and type(None) in options:
        return None
    if model_in(annotation) is not None:
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, dict):
            raise InvalidInput([FieldProblem(path, "is a section: give a JSON object, or set its fields "
                                             f"one by one ({path}.FIELD=VALUE)")])
        return value
    for option in options:
        if typing.get_origin(option) is Literal:
            allowed = [str(a) for a in typing.get_args(option)]
            if raw in allowed:
                return raw
            raise InvalidInput([FieldProblem(path, "must be one of " + ", ".join(allowed))])
    if bool in options:
        word = raw.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise InvalidInput([FieldProblem(path, f"{raw!r} is not true or false")])
    if int in options:
        try:
            return int(raw.strip())
        except ValueError:
            raise InvalidInput([FieldProblem(path, f"{raw!r} is not a whole number")]) from None
    if any(typing.get_origin(o) is list for o in options):
        text = raw.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InvalidInput([FieldProblem(path, f"not a JSON list ({exc.msg})")]) from None
            if isinstance(value, list):
                return value
        return [part.strip() for part in text.split(",") if part.strip()]
    return raw


def parse_assignment(text: str, current: Mapping[str, Any] | None = None) -> tuple[str, Any]:
    """'settings.autoResponse.enabled=true' -> ('settings.autoResponse.enabled', True).

    `current`: the number's document, when read; a path only it holds may then be set.
    """
    path, sep, raw = text.partition("=")
    path = wire_path(path.strip())
    if not sep or not path:
        raise InvalidInput([FieldProblem(path or text, "expected PATH=VALUE, e.g. settings.optOut.text=STOP")])
    return path, coerce(path, raw, current)


def parse_assignments(texts: list[str], current: Mapping[str, Any] | None = None, *,
                      defer_unknown: bool = False) -> dict[str, Any]:
    """Every PATH=VALUE as one nested change; InvalidInput names every bad one at once.

    `defer_unknown`: leave out (rather than refuse) paths no model knows, for a first check made before
    the number is read; parse again with `current` to settle them.
    """
    from .patch import set_path

    change: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for text in texts:
        try:
            path, value = parse_assignment(text, current)
        except UnknownField as exc:
            if not defer_unknown:
                problems.extend(exc.problems)
            continue
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        set_path(change, path, value)
    if problems:
        raise InvalidInput(problems)
    return change


def _json_or_text(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def annotation_options(annotation: Any) -> list[Any]:
    """The types an annotation admits: `int | None` -> [int, NoneType]; Annotated is looked through."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return annotation_options(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in annotation_options(arg)]
    return [annotation]


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (a settings section), if any."""
    for option in annotation_options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None
