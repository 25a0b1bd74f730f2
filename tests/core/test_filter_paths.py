"""Which wire paths a filter knows (from the models), how a written path resolves, and that the TUI's
start-up (which imports the filter) does not pay for the models."""

from __future__ import annotations

import subprocess
import sys

import pytest

from actui.core import fieldpaths
from actui.core.filter_ast import BOOL, DATE, LIST, NUMBER, TEXT
from actui.core.filter_paths import resolve
from actui.core.filtering import FilterError, known_paths


def test_known_paths_come_from_the_models_sections_included():
    paths = known_paths()
    assert len(paths) == len(set(paths)) > 60
    for path in ("phoneNumber", "status", "campaignId", "isMMSEnabled", "capabilities", "capabilities.sms",
                 "createdAt", "settings", "settings.optOut", "settings.optOut.enabled",
                 "settings.autoForward.emailAddresses", "settings.outOfOffice.endDate", "settings.rateLimit",
                 "settings.notifications.microsoftTeams.notificationName", "settings.aiSettings.isEnabled"):
        assert path in paths, path
    assert set(fieldpaths.known_paths()) <= set(paths)   # every updatable path may be asked about too


@pytest.mark.parametrize("written, path, kind", [
    ("settings.optOut.enabled", "settings.optOut.enabled", BOOL),
    ("SETTINGS.OPTOUT.ENABLED", "settings.optOut.enabled", BOOL),
    ("settings.opt_out.periodic_cron", "settings.optOut.periodicCron", TEXT),
    ("settings.rateLimit", "settings.rateLimit", NUMBER),
    ("settings.autoForward.emailAddresses", "settings.autoForward.emailAddresses", LIST),
    ("settings.outOfOffice.startDate", "settings.outOfOffice.startDate", DATE),
    ("ismmsenabled", "isMMSEnabled", BOOL),
    ("owner.Name", "owner.Name", None),                  # below an untyped field: as written
])
def test_a_written_path_resolves_to_the_wire_spelling(written, path, kind):
    assert resolve(written, written) == (path, kind)


def test_a_path_the_models_do_not_know_needs_a_number_that_holds_it():
    asked = []

    def held(path):
        asked.append(path)
        return path == "settings.businessHours.timezone"

    assert resolve("settings.businessHours.timezone", "t", held) == ("settings.businessHours.timezone", None)
    assert resolve("SETTINGS.businessHours.timezone", "t", held)[0] == "settings.businessHours.timezone"
    with pytest.raises(FilterError, match="no number holds it"):
        resolve("settings.businessHours.Timezone", "t", held)   # unknown parts keep their case
    with pytest.raises(FilterError, match="unknown field"):
        resolve("settings.businessHours.timezone", "t")
    assert asked == ["settings.businessHours.timezone"] * 2 + ["settings.businessHours.Timezone"]


@pytest.mark.parametrize("written", ["settings.", ".settings", "a..b", "settings.opt out", "settings.x\x1b[2J"])
def test_malformed_paths_are_refused(written):
    with pytest.raises(FilterError):
        resolve(written, written)


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(','.join(sorted(m for m in sys.modules if m.startswith('pydantic'))))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return {m for m in result.stdout.strip().split(",") if m}


def test_importing_the_filter_and_running_terms_does_not_import_pydantic():
    assert _modules_after("from actui.core.filtering import compile_filter, narrows\n"
                          "import actui.core.inventory\n"
                          "compile_filter('class:a2p !inactive (acme or 415) plan>5').select([])\n"
                          "narrows('a', 'ab')") == set()
    # path terms are checked against the generated table, not the models
    assert _modules_after("from actui.core.filtering import compile_filter\n"
                          "compile_filter('settings.rateLimit>5 settings.optOut.enabled:true').select([])") == set()
    # the check can fail: walking the models loads pydantic
    assert "pydantic" in _modules_after("from actui.core.filter_paths import paths_from_models\n"
                                        "paths_from_models()")
