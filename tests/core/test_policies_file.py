"""The policy file (core/policies.py, policy_file.py): the example written on first use, what a file
declares, and every error naming its line."""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest

from actui.core import policies
from actui.core.builtin_checks import BUILTIN_NAMES
from actui.core.policies import EXAMPLE, PolicyFileError, load_policies, policies_file
from actui.core.policy_model import DateValue
from actui.paths import LocalFileError


def write(tmp_path, text: str):
    path = tmp_path / "policies.toml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def error_of(tmp_path, text: str) -> PolicyFileError:
    with pytest.raises(PolicyFileError) as caught:
        load_policies(write(tmp_path, text))
    return caught.value


def test_first_use_writes_the_commented_example_beside_config_which_holds_no_policy(isolated_env):
    path = policies_file()
    assert path == isolated_env / "config" / "policies.toml"
    assert not path.exists()

    loaded = load_policies()

    assert path.read_text(encoding="utf-8") == EXAMPLE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert loaded.path == path
    assert loaded.names() == list(BUILTIN_NAMES)
    assert all(policy.builtin for policy in loaded.policies)


def test_without_write_example_nothing_is_written(isolated_env):
    assert load_policies(write_example=False).names() == list(BUILTIN_NAMES)
    assert not policies_file().exists()


def test_a_config_directory_that_cannot_be_written_still_gives_the_builtin_checks(isolated_env, monkeypatch):
    def refuse(path, text):
        raise LocalFileError(f"cannot write {path} (Permission denied)")

    monkeypatch.setattr(policies, "write_private_file", refuse)

    assert load_policies().names() == list(BUILTIN_NAMES)
    assert not policies_file().exists()


def test_every_example_parses_once_uncommented(tmp_path):
    uncommented = "\n".join(line[2:] if line.startswith("# ") else line for line in EXAMPLE.splitlines())
    loaded = load_policies(write(tmp_path, uncommented))

    assert loaded.names()[:2] == ["a2p-stop", "support-forwarding"]
    assert "no-outbound-activated" not in loaded.names()
    stop = loaded.policies[0]
    assert (stop.where, [(r.path, r.condition.kind, r.condition.value) for r in stop.requires]) == (
        "class:a2p", [("settings.optOut.enabled", "equals", True), ("settings.optOut.text", "equals", "STOP")])
    forwarding = loaded.policies[1]
    assert [(r.path, r.condition.describe()) for r in forwarding.requires] == [
        ("settings.autoForward.enabled", "true"), ("settings.autoForward.emailAddresses", "present"),
        ("settings.rateLimit", "<= 2000")]


def test_a_missing_policies_file_given_is_an_error_naming_it(tmp_path):
    with pytest.raises(PolicyFileError) as caught:
        load_policies(tmp_path / "nowhere.toml")
    assert "nowhere.toml" in str(caught.value)
    assert not (tmp_path / "nowhere.toml").exists()


def test_policies_read_with_their_lines_paths_spelled_as_the_wire_and_nested_tables(tmp_path):
    loaded = load_policies(write(tmp_path, """
        # a comment
        [[policy]]
        name = "stop"
        where = "class:a2p"
        require = { "settings.opt_out.ENABLED" = true }

        [[policy]]
        name = "limits"
        description = "sane"

        [policy.require]
        settings.rateLimit = { min = 1, max = 2000 }
        "settings.outOfOffice.endDate" = { max = 2027-01-31 }
        campaignId = { not = "" }
        "settings.outOfOffice.startDate" = "2027-01-01T02:00:00+02:00"
        """))

    stop, limits = loaded.policies[:2]
    assert (stop.name, stop.line, stop.requires[0].path, stop.requires[0].line) == (
        "stop", 3, "settings.optOut.enabled", 5)
    assert (limits.name, limits.description, limits.line, limits.where) == ("limits", "sane", 8, "")
    assert [(r.path, r.condition.describe(), r.line) for r in limits.requires] == [
        ("settings.rateLimit", ">= 1", 12), ("settings.rateLimit", "<= 2000", 12),
        ("settings.outOfOffice.endDate", "<= 2027-01-31T00:00:00Z", 13), ("campaignId", 'not ""', 14),
        ("settings.outOfOffice.startDate", "2027-01-01T00:00:00Z", 15)]   # a date as the wire sends it
    assert isinstance(limits.requires[2].condition.value, DateValue)


def test_the_builtin_table_switches_checks_off(tmp_path):
    loaded = load_policies(write(tmp_path, """
        [builtin]
        ooo-ended = false
        opt-out-cron = true
        """))
    assert loaded.names() == [name for name in BUILTIN_NAMES if name != "ooo-ended"]


ERRORS = [
    ("unknown field", """
        [[policy]]
        name = "x"

        require = { "settings.optOut.enabld" = true }
        """, 4, "settings.optOut.enabld: unknown field (did you mean settings.optOut.enabled?)"),
    ("wrong type", """
        [[policy]]
        name = "x"
        [policy.require]
        "settings.optOut.enabled" = true
        "settings.rateLimit" = "fast"
        """, 5, 'settings.rateLimit: expected a number, not "fast"'),
    ("bool for text", """
        [[policy]]
        name = "x"
        require = { "settings.optOut.text" = true }
        """, 3, "settings.optOut.text: expected text, not true"),
    ("date text that is no date", """
        [[policy]]
        name = "x"
        require = { "settings.outOfOffice.endDate" = "soon" }
        """, 3, "a date"),
    ("max on text", """
        [[policy]]
        name = "x"
        require = { "settings.optOut.text" = { max = 3 } }
        """, 3, "settings.optOut.text: max compares numbers or dates"),
    ("max of text on a number", """
        [[policy]]
        name = "x"
        require = { "settings.rateLimit" = { max = "lots" } }
        """, 3, 'settings.rateLimit: max needs a number, not "lots"'),
    ("max below an open field", """
        [[policy]]
        name = "x"
        require = { "owner.level" = { max = true } }
        """, 3, "owner.level: max needs a number or a date, not true"),
    ("present not bool", """
        [[policy]]
        name = "x"
        require = { "campaignId" = { present = "yes" } }
        """, 3, "campaignId: present is true or false"),
    ("unknown condition", """
        [[policy]]
        name = "x"
        require = { "settings.rateLimit" = { max = 3, maxx = 4 } }
        """, 3, "settings.rateLimit: unknown condition 'maxx' (the conditions: equals, present, not, max, min)"),
    ("a policy table, not an array", """
        # policies
        [policy]
        name = "x"
        """, 2, "policy: write each policy as a [[policy]] table"),
    ("a section", """
        [[policy]]
        name = "x"
        require = { "settings.optOut" = true }
        """, 3, "settings.optOut: a section, not a field"),
    ("bad where", """
        [[policy]]
        name = "x"
        where = "settings.optOut.enabeld:true"
        require = { "settings.optOut.enabled" = true }
        """, 3, "where: unknown field 'settings.optOut.enabeld'"),
    ("unknown key", """
        [[policy]]
        name = "x"
        requires = { "settings.optOut.enabled" = true }
        """, 3, "requires: unknown key in a policy"),
    ("no name", """
        [[policy]]
        require = { "settings.optOut.enabled" = true }

        [[policy]]
        description = "nameless"
        require = { "settings.optOut.enabled" = true }
        """, 1, "name: every policy needs a name"),
    ("no require", """
        [[policy]]
        name = "x"
        [[policy]]
        name = "y"
        """, 2, "require: policy 'x' requires nothing"),
    ("twice the same name", """
        [[policy]]
        name = "x"
        require = { "settings.optOut.enabled" = true }
        [[policy]]
        name = "x"
        require = { "settings.optOut.enabled" = false }
        """, 5, "name: 'x' is already the name of the policy on line 2"),
    ("a built-in's name", """
        [[policy]]
        name = "ooo-ended"
        require = { "settings.optOut.enabled" = true }
        """, 2, "built-in check's name"),
    ("unknown built-in", """
        [[policy]]
        name = "x"
        require = { "settings.optOut.enabled" = true }

        [builtin]
        ooo-ended = false
        ooo-endd = false
        """, 7, "builtin.ooo-endd: unknown built-in check"),
    ("built-in not a bool", """
        [builtin]
        ooo-ended = "off"
        """, 2, 'builtin.ooo-ended: true or false, not "off"'),
    ("unknown table", """
        [[policy]]
        name = "x"
        require = { "settings.optOut.enabled" = true }

        [policys]
        a = 1
        """, 5, "policys: unknown table or key"),
    ("not TOML", """
        [[policy]]
        name = "x"
        require = { "settings.optOut.enabled" = tru }
        """, 3, "not valid TOML"),
]


@pytest.mark.parametrize(("text", "line", "message"), [case[1:] for case in ERRORS], ids=[c[0] for c in ERRORS])
def test_every_error_names_the_file_and_line(tmp_path, text, line, message):
    error = error_of(tmp_path, text)

    assert (error.line, error.path) == (line, tmp_path / "policies.toml")
    assert message in error.message
    assert str(error) == f"policies.toml:{line}: {error.message}"


def test_the_unknown_field_message_is_the_documented_one(tmp_path):
    error = error_of(tmp_path, '[[policy]]\nname = "x"\nrequire = { "settings.optOut.enabld" = true }\n')
    assert str(error) == ("policies.toml:3: settings.optOut.enabld: unknown field "
                          "(did you mean settings.optOut.enabled?)")


def test_the_readme_example_reads(tmp_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Policies"):]
    example = section[section.index("```toml") + len("```toml"):section.index("```\n", section.index("```toml"))]

    loaded = load_policies(write(tmp_path, example))

    assert loaded.names() == ["a2p-stop", "support-forwarding",
                              *[name for name in BUILTIN_NAMES if name != "no-outbound-activated"]]
    assert [r.condition.describe() for r in loaded.policies[1].requires] == ["true", "present", ">= 1", "<= 2000"]


def test_a_byte_order_mark_and_windows_line_ends_are_read(tmp_path):
    path = tmp_path / "policies.toml"
    path.write_bytes(b'\xef\xbb\xbf[[policy]]\r\nname = "x"\r\nrequire = { "isActivated" = true }\r\n')

    assert load_policies(path).policies[0].requires[0].line == 3
