"""Policies: how numbers must be set, declared in `policies.toml` beside config.toml (README "Policies"),
and the built-in checks; judging the local copy by them; the change that fixes each breaking number.

The entry for `actui check`, `actui fix` and the health screen. Behind it: policy_model (the shapes, how a
value is judged), policy_file (reading the TOML, errors with their line), builtin_checks, policy_eval
(judging the copy fast).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..paths import LocalFileError, policies_file, write_private_file
from .builtin_checks import BUILTIN_CHECKS, BUILTIN_NAMES
from .filter_values import ABSENT
from .patch import get_path, leaves, set_path
from .policy_eval import evaluate, needed_paths
from .policy_file import parse_policies
from .policy_model import (
    Breach,
    Condition,
    Policy,
    PolicyFileError,
    PolicyNameError,
    PolicyResult,
    PolicySet,
    Requirement,
)

__all__ = ["ABSENT", "BUILTIN_NAMES", "Breach", "Condition", "EXAMPLE", "Policy", "PolicyFileError", "PolicyNameError",
           "PolicyResult", "PolicySet", "Requirement", "evaluate", "fix_targets", "load_policies",
           "needed_paths", "policies_file"]

EXAMPLE = """\
## actui's policies: how your numbers must be set. `actui check` lists the numbers that break them
## (exit 5 when any does), `actui fix` sets them as required through the bulk preview, and the TUI's
## health screen (H) shows both. Every example below is commented out: remove the single '#' of
## its lines to use one (lines starting '##' are notes).
#
## A policy: a name, which numbers it covers (`where`, the filter language of the list's `/`; empty or
## left out: every number) and what it requires of them: wire paths (as the API names the fields) and
## the value each must hold, of the field's type.
#
# [[policy]]
# name = "a2p-stop"
# description = "A2P numbers honour STOP"
# where = "class:a2p"
# require = { "settings.optOut.enabled" = true, "settings.optOut.text" = "STOP" }
#
## Where one value does not fit, a condition: { present = true } (not empty), { not = "" },
## { max = 2000 } and { min = 1 } (numbers and dates). `fix` sets only plain values; a number breaking
## a condition is reported, never guessed.
#
# [[policy]]
# name = "support-forwarding"
# description = "support numbers forward to someone, at a sane rate"
# where = "description:support"
# [policy.require]
# "settings.autoForward.enabled" = true
# "settings.autoForward.emailAddresses" = { present = true }
# "settings.rateLimit" = { max = 2000 }
#
## The built-in checks, each on unless switched off by name in [builtin]:
{checks}
#
# [builtin]
# no-outbound-activated = false
""".replace("{checks}", "\n".join(f"##   {check.name}: {check.description}" for check in BUILTIN_CHECKS))


def load_policies(path: Path | None = None, *, write_example: bool = True) -> PolicySet:
    """The policies of `path` (None: policies_file(), written with the commented examples when missing and
    `write_example`; a directory that cannot be written is no error: the built-in checks still run). A
    missing `path` given by the user is a PolicyFileError; so is any error in the file, naming its line."""
    default = path is None
    target = policies_file() if path is None else Path(path)
    try:
        text = target.read_text(encoding="utf-8-sig")   # an editor's byte order mark is no TOML error
    except FileNotFoundError:
        if not default:
            raise PolicyFileError(target, None, f"no such file: {target}") from None
        if write_example:
            try:
                write_private_file(target, EXAMPLE)
            except LocalFileError:
                pass   # a config directory that cannot be written: the built-in checks still run
        text = EXAMPLE
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise PolicyFileError(target, None, f"cannot read {target}: {reason}") from None
    return parse_policies(text, target)


def fix_targets(results: Sequence[PolicyResult]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Per number, one nested change merging what all its breaking policies set; and the numbers left out
    with why: two policies asking different values of one field (a clash: nothing is set on that number).
    A number with breaches that have no value to set is still fixed for those that have one."""
    merged: dict[str, dict[str, Any]] = {}
    setters: dict[str, dict[str, str]] = {}   # number -> path -> the policy setting it
    clashes: dict[str, str] = {}
    for result in results:
        for number, change in result.fixes.items():
            if number in clashes:
                continue
            target = merged.setdefault(number, {})
            owners = setters.setdefault(number, {})
            for path, value in leaves(change):
                before = get_path(target, path, _UNSET)
                if before is not _UNSET and (before != value or type(before) is not type(value)):
                    clashes[number] = (f"{owners[path]} and {result.policy.name} ask different values of "
                                       f"{path}: nothing set")
                    break
                set_path(target, path, value)
                owners[path] = result.policy.name
    for number in clashes:
        merged.pop(number, None)
    return merged, clashes


_UNSET: Any = object()


def describe_change(change: Mapping[str, Any]) -> list[str]:
    """`path = value` for each leaf of a change (for a log line or a test's message)."""
    return [f"{path} = {value!r}" for path, value in leaves(change)]

