"""`actui check --json`'s document as text, exactly as output.print_json writes it (json.dumps with indent 2,
then output.json_safe), but fast over 100,000 breaking numbers: json.dumps with an indent runs the Python
encoder (~2.5 s for 47 MB), so here each breaking number's entry is put together from its number and the
text of its fields, made once per distinct breach list (numbers failing alike share one: core/policy_eval)."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from ..core.policies import Breach, PolicyResult
from . import output

_INDENT = "  "


def document_text(document: dict[str, Any], results: list[PolicyResult]) -> str:
    """output.json_text(document) with its "policies" the result_json of each of `results` (whatever
    `document` holds there), in its order."""
    parts = []
    for key, value in document.items():
        if key == "policies":
            text = _list([_policy(result_head(result), result) for result in results], 1)
        else:
            text = _value(value, 1)
        parts.append(f"{_INDENT}{encode_basestring(key)}: {text}")
    return output.json_safe("{\n" + ",\n".join(parts) + "\n}") if parts else "{}"


def result_head(result: PolicyResult) -> dict[str, Any]:
    """policy_check.result_json without its breaking numbers."""
    policy = result.policy
    return {"name": policy.name, "description": policy.description, "builtin": policy.builtin,
            "where": policy.where, "checked": len(result.checked), "breakingCount": len(result.breaking),
            "fixable": len(result.fixes)}


def _value(value: Any, level: int) -> str:
    """json.dumps(value, indent=2) as it is nested `level` deep (a JSON string never holds a line break)."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + _INDENT * level)


def _list(texts: list[str], level: int) -> str:
    if not texts:
        return "[]"
    inner = _INDENT * (level + 1)
    return "[\n" + ",\n".join(inner + text for text in texts) + "\n" + _INDENT * level + "]"


def _policy(head: dict[str, Any], result: PolicyResult) -> str:
    inner = _INDENT * 3
    parts = [f"{inner}{encode_basestring(key)}: {_value(value, 3)}" for key, value in head.items()]
    parts.append(f'{inner}"breaking": {_breaking(result.breaking)}')
    return "{\n" + ",\n".join(parts) + "\n" + _INDENT * 2 + "}"


def _breaking(breaking: dict[str, list[Breach]]) -> str:
    """policy_check.result_json's "breaking" list, nested in a policy of the document's list."""
    if not breaking:
        return "[]"
    fields: dict[int, str] = {}
    held: list[list[Breach]] = []   # the lists whose ids are keys: alive while their text is looked up
    open_, inner = "{\n" + _INDENT * 5 + '"number": ', ",\n" + _INDENT * 5 + '"fields": '
    close = "\n" + _INDENT * 4 + "}"
    entries = []
    for number, breaches in breaking.items():
        text = fields.get(id(breaches))
        if text is None:
            text = fields[id(breaches)] = _value([breach.to_json() for breach in breaches], 5)
            held.append(breaches)
        entries.append(open_ + encode_basestring(number) + inner + text + close)
    return _list(entries, 3)
