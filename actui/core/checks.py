"""The editor's inline validation of a whole edited document, field by field.

validate_outgoing already checks each value as it will be sent, but pydantic stops at the first bad
address of a list and skips a section's cross-field rules as soon as one of its fields is invalid, and
some rules span sections (opt-in vs opt-out keywords). The rules here see the whole document at once;
where both speak about the same field, the message here (shorter, in the editor's words) wins.

Only what the user changed is judged (given the document as loaded): a value the server already holds
that the client's rules dislike ("P2P Legacy", "@daily", an address the validator rejects) must not block
a save of the description. A rule spanning fields (end after start) is judged when one of its fields
changed. `preexisting(original)` lists those odd values, for the editor to flag without blocking.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from ..api.errors import FieldProblem, InvalidInput
from ..api.number_models import UPDATABLE_FIELDS, PhoneNumberUpdate, read_problems
from ..api.outgoing import validate_outgoing
from ..api.value_checks import email_problem
from .form_spec import form_fields
from .patch import get_path, leaves, update_patch

_IN, _OUT = "settings.optIn", "settings.optOut"
_KEYWORD_NAMES = {
    f"{_IN}.text": "opt-in keyword",
    f"{_IN}.allText": "opt-in 'all' keyword",
    f"{_OUT}.text": "opt-out keyword",
    f"{_OUT}.allText": "opt-out 'all' keyword",
}


# A rule's finding: the field it is shown on -> (message, every field the rule looked at).
Found = dict[str, tuple[str, tuple[str, ...]]]


def check_document(doc: Mapping[str, Any], original: Mapping[str, Any] | None = None) -> list[FieldProblem]:
    """Every problem in an edited update document, in form order (fields not on the form last).

    With `original` (the document as loaded), only problems of fields the user changed are reported
    (for a rule spanning fields, when one of them changed)."""
    doc = {k: v for k, v in doc.items() if k in UPDATABLE_FIELDS}   # only these are ever sent
    own: Found = {}
    _keywords(doc, own)
    _out_of_office(doc, own)
    _auto_forward(doc, own)
    found = [(FieldProblem(path, message), involved) for path, (message, involved) in own.items()]
    try:
        validate_outgoing(PhoneNumberUpdate, doc)
    except InvalidInput as exc:
        # where a rule here speaks about a field (or about a whole list), its message replaces the model's
        found += [(p, (p.field,)) for p in exc.problems if p.field not in own and _item_of(p.field) not in own]
    if original is not None:
        changed = _Changes(original, doc)
        found = [(p, involved) for p, involved in found if any(changed.touches(f) for f in involved)]
    return sorted((p for p, _ in found), key=_form_order)


def check_field(doc: Mapping[str, Any], path: str, original: Mapping[str, Any] | None = None) -> str | None:
    """The problem with the one field at `path` (items of a list included), or None."""
    found = [p.message for p in check_document(doc, original)
             if p.field == path or p.field.startswith(path + "[")]
    return "; ".join(found) or None


def preexisting(original: Mapping[str, Any]) -> list[FieldProblem]:
    """The odd values a number already holds in its updatable fields, in form order: wrongly typed ones
    ("not a number: abc") and ones the client's rules dislike. For flagging only, never for blocking."""
    doc = {k: v for k, v in original.items() if k in UPDATABLE_FIELDS}
    typed = [p for p in read_problems(doc) if _item_of(p.field).split(".")[0] in UPDATABLE_FIELDS]
    covered = [p.field for p in typed]
    rules = [p for p in check_document(doc)
             if not any(p.field == c or p.field.startswith((c + ".", c + "[")) for c in covered)]
    return sorted(typed + rules, key=_form_order)


class _Changes:
    """Which fields of `doc` differ from `original` (a list item: one the list did not hold before)."""

    def __init__(self, original: Mapping[str, Any], doc: Mapping[str, Any]):
        self.original = original
        self.doc = doc
        self.paths = [path for path, _ in leaves(update_patch(original, doc))]

    def touches(self, field: str) -> bool:
        match = _ITEM.fullmatch(field)
        if match:
            base, index = match.group(1), int(match.group(2))
            if not self._path_changed(base):
                return False
            items, before = get_path(self.doc, base), get_path(self.original, base)
            item = items[index] if isinstance(items, list) and index < len(items) else None
            return not isinstance(before, list) or item not in before
        return self._path_changed(field)

    def _path_changed(self, field: str) -> bool:
        return any(p == field or p.startswith(field + ".") or field.startswith(p + ".") for p in self.paths)


# --- rules ----------------------------------------------------------------------------------------


def _enabled(doc: Mapping[str, Any], section: str) -> bool:
    return get_path(doc, f"{section}.enabled") is True


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _keywords(doc: Mapping[str, Any], out: Found) -> None:
    for section, words in ((_IN, "opt-in"), (_OUT, "opt-out")):
        if _enabled(doc, section) and _blank(get_path(doc, f"{section}.text")):
            out[f"{section}.text"] = (f"a keyword is required while {words} is on",
                                      (f"{section}.text", f"{section}.enabled"))
    # a keyword that both opts in and opts out: say so on both fields, naming the other
    keywords = {path: get_path(doc, path) for path in _KEYWORD_NAMES}
    folded = {p: v.strip().casefold() for p, v in keywords.items() if isinstance(v, str) and v.strip()}
    for path, word in folded.items():
        other_side = _OUT if path.startswith(_IN) else _IN
        clashes = [o for o, w in folded.items() if o.startswith(other_side) and w == word]
        if clashes:
            names = " and the ".join(_KEYWORD_NAMES[o] for o in clashes)
            out[path] = (f"the {_KEYWORD_NAMES[path]} is also the {names}", (path, *clashes))


def _out_of_office(doc: Mapping[str, Any], out: Found) -> None:
    section = "settings.outOfOffice"
    start, end = get_path(doc, f"{section}.startDate"), get_path(doc, f"{section}.endDate")
    if _enabled(doc, section):
        for name, value in (("startDate", start), ("endDate", end)):
            if _blank(value):
                out[f"{section}.{name}"] = ("required while out of office is on",
                                            (f"{section}.{name}", f"{section}.enabled"))
    first, last = _moment(start), _moment(end)
    if first and last and last <= first:
        out[f"{section}.endDate"] = ("must be after the start date", (f"{section}.startDate", f"{section}.endDate"))


def _auto_forward(doc: Mapping[str, Any], out: Found) -> None:
    path = "settings.autoForward.emailAddresses"
    addresses = get_path(doc, path)
    if not isinstance(addresses, list):
        addresses = []
    if _enabled(doc, "settings.autoForward") and all(_blank(a) for a in addresses):
        out[path] = ("add at least one address while auto-forward is on", (path, "settings.autoForward.enabled"))
        return
    for index, address in enumerate(addresses):
        problem = _email_problem(address) if isinstance(address, str) else "is not an email address"
        if problem:
            out[f"{path}[{index}]"] = (problem, (f"{path}[{index}]",))


@lru_cache(maxsize=512)
def _email_problem(address: str) -> str | None:
    # per keystroke the same addresses are checked again and again
    return email_problem(address) if address.strip() else "an address is required (or remove the line)"


def _moment(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


@lru_cache(maxsize=1)
def _positions() -> dict[str, int]:
    return {spec.path: index for index, spec in enumerate(form_fields())}


_ITEM = re.compile(r"(.*)\[(\d+)\]")


def _item_of(path: str) -> str:
    """'settings.autoForward.emailAddresses[1]' -> 'settings.autoForward.emailAddresses'."""
    match = _ITEM.fullmatch(path)
    return match.group(1) if match else path


def _form_order(problem: FieldProblem) -> tuple[int, int, str]:
    match = _ITEM.fullmatch(problem.field)
    base, index = (match.group(1), int(match.group(2))) if match else (problem.field, -1)
    return _positions().get(base, len(_positions())), index, problem.field
