"""The detail screen of the hostile fixture's number at 80x24: escape sequences drawn as stand-ins (␛[2J),
C1 and bidi spelled out (\\x9b, <U+202E>), markup literal. Look at the SVG when it changes."""

from tests.fixtures.hostile import seed_hostile
from tests.tui.app_pilot import list_ready, snapshot_app, wait_for


def test_detail_of_a_hostile_number(snap_compare, snap_sandbox, tmp_path):
    number = seed_hostile(snap_sandbox)

    async def ready(pilot):
        await wait_for(pilot, lambda: list_ready(pilot))
        pilot.app.open_detail(number)
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "phone", None) is not None)

    assert snap_compare(snapshot_app(snap_sandbox, tmp_path), terminal_size=(80, 24), run_before=ready)
