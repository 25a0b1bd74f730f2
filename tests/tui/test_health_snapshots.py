"""Snapshots of the health screen at 80x24 and 120x40, and of a policy file's error: the overview, the coverage
line and the rows of a policy file and the built-in checks. Deterministic: the seeded sandbox's 500 numbers
in the local copy (details read 14 minutes before the frozen now, 20 of them missing; created over the last
26 weeks), frozen clocks.
Look at the SVGs under tests/tui/__snapshots__/test_health_snapshots/ when they change."""

import pytest

from tests.tui.app_pilot import FROZEN, SIZES, list_ready, snapshot_app, wait_for
from tests.tui.health_pilot import A2P_STOP, health, seed_copy, write_policies

POLICIES = A2P_STOP + '''
[[policy]]
name = "support-forwards"
description = "Support lines forward to the support inbox"
where = "support"
require = { "settings.autoForward.enabled" = true, "settings.rateLimit" = { max = 1000 } }
'''


def seeded(app, sandbox) -> None:
    seed_copy(app, sandbox, details=480, read_at=FROZEN - 20 * 60, detail_at=FROZEN - 14 * 60, recent=True)


async def opened(pilot):
    await wait_for(pilot, lambda: list_ready(pilot))
    await pilot.press("H")
    await wait_for(pilot, lambda: health(pilot.app) is not None and health(pilot.app).evaluation is not None)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_health_screen(snap_compare, snap_sandbox, tmp_path, size):
    write_policies(POLICIES)
    app = snapshot_app(snap_sandbox, tmp_path)
    seeded(app, snap_sandbox)
    assert snap_compare(app, terminal_size=size, run_before=opened)


def test_health_screen_policy_file_error(snap_compare, snap_sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))   # the file is shown as ~/config/policies.toml
    write_policies(POLICIES.replace("settings.rateLimit", "settings.rateLimt"))
    app = snapshot_app(snap_sandbox, tmp_path)
    seeded(app, snap_sandbox)
    assert snap_compare(app, terminal_size=(80, 24), run_before=opened)
