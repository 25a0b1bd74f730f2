"""The provision form's input: numbers pasted one per line, or a CSV file with a column per field.

Every problem names the line it is on (and the column), so a 200-row file can be fixed in one pass;
good lines are kept. Rows are validated through the same models the request is sent with.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..api.errors import FieldProblem, InvalidInput
from ..api.order_models import ProvisionRequest
from ..api.outgoing import validate_outgoing
from ..api.phone import InvalidNumber, to_e164
from ..api.vocabulary import BILLING_PLANS, PLATFORM_TYPES, PROVISION_CLASSES, PROVISION_TYPES

# Wire name -> the header names accepted for it (compared lower-case, without spaces, _ and -).
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "number": ("number", "phonenumber", "phone"),
    "email": ("email",),
    "description": ("description",),
    "domain": ("domain",),
    "platformType": ("platformtype", "platform"),
    "provisionType": ("provisiontype", "type"),
    "provisionClass": ("provisionclass", "class"),
    "campaignId": ("campaignid", "campaign"),
    "brandId": ("brandid", "brand"),
    "billingPlan": ("billingplan", "plan"),
    "loaUrl": ("loaurl", "loa"),
}
_ALIASES = {alias: wire for wire, aliases in HEADER_NAMES.items() for alias in aliases}
FEATURE = ("provisionType", "provisionClass")   # these two go into messagingFeature
# Closed lists, matched case-insensitively and written back as the guide spells them.
_CHOICES = {"platformType": PLATFORM_TYPES, "provisionType": PROVISION_TYPES,
            "provisionClass": PROVISION_CLASSES, "billingPlan": BILLING_PLANS}
# Only for validating a row on its own: the real tenant comes with build_request.
_DUMMY_TENANT = "00000000-0000-0000-0000-000000000000"


def column_name(header: str) -> str | None:
    """The wire name a CSV header (or a defaults key) stands for: 'Phone Number' -> 'number'."""
    return _ALIASES.get(re.sub(r"[\s_\-]", "", header).lower())


def parse_number_lines(text: str, country: str = "US") -> tuple[list[str], list[FieldProblem]]:
    """One number per line (E.164 or national for `country`); blank lines and # comments skipped."""
    numbers: list[str] = []
    seen: dict[str, int] = {}
    problems: list[FieldProblem] = []
    for n, line in enumerate(text.splitlines(), 1):
        raw = line.split("#", 1)[0].strip()
        if not raw:
            continue
        try:
            number = to_e164(raw, country)
        except InvalidNumber as exc:
            problems.append(FieldProblem(f"line {n}", str(exc)))
            continue
        if number in seen:
            problems.append(FieldProblem(f"line {n}", f"{number} is already on line {seen[number]}"))
            continue
        seen[number] = n
        numbers.append(number)
    return numbers, problems


def parse_csv(text: str, country: str = "US",
              defaults: Mapping[str, Any] | None = None) -> tuple[list[dict[str, Any]], list[FieldProblem]]:
    """Rows of a CSV file as phoneNumbers[] entries, and every problem as 'line N' + 'column: why'.

    A header row names the columns (wire names or aliases, any case). Each good row becomes one entry
    with only the cells it fills; bad rows are reported and left out. With `defaults` (the form's
    values), rows are checked as they will be sent, so e.g. a form-level A2P class with no campaign
    column is reported on each row; without them, a missing type or class is not a problem yet.
    """
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    problems: list[FieldProblem] = []
    header: list[str | None] | None = None
    entries: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    line = 1
    for row in reader:
        start, line = line, reader.line_num + 1   # a quoted cell may span lines: report where the row starts
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = _header(row, start, problems)
            if "number" not in header:
                problems.append(FieldProblem(f"line {start}", "no number column (expected a 'number' or "
                                                              "'phoneNumber' header)"))
                return [], problems
            continue
        entry, row_problems = _row(header, row, country, defaults)
        if entry is not None and entry["number"] in seen:
            row_problems.append(f"number: {entry['number']} is already on line {seen[entry['number']]}")
        if row_problems or entry is None:   # no entry comes without a problem saying why
            problems += [FieldProblem(f"line {start}", message) for message in row_problems]
            continue
        seen[entry["number"]] = start
        entries.append(entry)
    return entries, problems


def build_request(entries: Iterable[Mapping[str, Any] | str], defaults: Mapping[str, Any],
                  tenant_id: str, action: str = "Provision") -> dict[str, Any]:
    """The provision request: each entry (a dict, or just a number) with the form's defaults filled in
    where it has no value of its own. Raises InvalidInput (paths phoneNumbers[i].field) if not valid."""
    numbers = [_with_defaults({"number": e} if isinstance(e, str) else e, defaults) for e in entries]
    request = {"action": action, "tenantId": tenant_id, "phoneNumbers": numbers}
    return validate_outgoing(ProvisionRequest, request).to_wire()


# --- helpers --------------------------------------------------------------------------------------


def _delimiter(text: str) -> str:
    # spreadsheets in many locales save ';'-separated "CSV"; tab for pasted tables
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","


def _header(row: list[str], line: int, problems: list[FieldProblem]) -> list[str | None]:
    header: list[str | None] = []
    for cell in row:
        wire = column_name(cell)
        if not cell.strip():
            pass   # an empty header cell (a trailing comma from a spreadsheet): nothing to read there
        elif wire is None:
            problems.append(FieldProblem(f"line {line}", f"unknown column {cell.strip()!r} is ignored (known: "
                                                         f"{', '.join(HEADER_NAMES)})"))
        elif wire in header:
            problems.append(FieldProblem(f"line {line}", f"column {cell.strip()!r} repeats {wire}; "
                                                         "the first one is used"))
            wire = None
        header.append(wire)
    return header


def _row(header: list[str | None], row: list[str], country: str,
         defaults: Mapping[str, Any] | None) -> tuple[dict[str, Any] | None, list[str]]:
    """(entry, problems 'column: why') for one data row."""
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
        return None, [f"has {len(row)} cells but the header has {len(header)} (a comma inside a value "
                      "needs quotes)"]
    problems: list[str] = []
    entry: dict[str, Any] = {}
    for wire, cell in zip(header, row, strict=False):
        value = cell.strip()
        if wire is None or not value:
            continue
        if wire == "number":
            try:
                value = to_e164(value, country)
            except InvalidNumber as exc:
                problems.append(f"number: {exc}")
                continue
        elif wire in _CHOICES:
            chosen = _choice(wire, value, problems)
            if chosen is None:
                continue
            value = chosen
        if wire in FEATURE:
            entry.setdefault("messagingFeature", {})[wire] = value
        else:
            entry[wire] = value
    if "number" not in entry:
        if not any(p.startswith("number:") for p in problems):
            problems.append("number: required")
        return None, problems
    problems += _model_problems(entry if defaults is None else _with_defaults(entry, defaults),
                                require_feature=defaults is not None)
    return (None if problems else entry), problems


def _choice(wire: str, value: str, problems: list[str]) -> str | None:
    for option in _CHOICES[wire]:
        if option.lower() == value.lower():
            return option
    if wire == "billingPlan":
        return value   # the model names the plans and checks the plan against the class
    options = _CHOICES[wire]
    problems.append(f"{wire}: must be {', '.join(options[:-1])} or {options[-1]}")
    return None


def _model_problems(entry: dict[str, Any], require_feature: bool) -> list[str]:
    entry = copy.deepcopy(entry)
    feature = entry.get("messagingFeature") or {}
    missing = [name for name in FEATURE if name not in feature]
    problems = [f"{name}: required (a column or a form default)" for name in missing if require_feature]
    if missing:
        # Check everything else meanwhile: without a class there is no class rule to apply, and the
        # type affects no other field, so a stand-in type is safe.
        if "provisionClass" in feature:
            entry["messagingFeature"] = {"provisionType": PROVISION_TYPES[0], **feature}
        else:
            entry.pop("messagingFeature", None)
    request = {"action": "Provision", "tenantId": _DUMMY_TENANT, "phoneNumbers": [entry]}
    try:
        validate_outgoing(ProvisionRequest, request)
    except InvalidInput as exc:
        for problem in exc.problems:
            field = problem.field.removeprefix("phoneNumbers[0]").lstrip(".")
            if field == "messagingFeature" and missing:
                continue   # "required to provision": already said above, or left to the form's defaults
            field = field.removeprefix("messagingFeature.")
            problems.append(f"{field}: {problem.message}" if field else problem.message)
    return problems


def _with_defaults(entry: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(entry))
    for key, value in defaults.items():
        wire = column_name(key) or key
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if wire in FEATURE:
            out.setdefault("messagingFeature", {}).setdefault(wire, value)
        elif wire == "messagingFeature" and isinstance(value, Mapping):
            for name, part in value.items():
                out.setdefault("messagingFeature", {}).setdefault(name, part)
        else:
            out.setdefault(wire, copy.deepcopy(value))
    return out
