"""A bulk edit whose numbers someone changes while the preview is open (the profile reads a number again
before writing it when its reading is older than bulk_reread_after): a conflict, or, after `o` in the
preview, overwritten with the journal's "old" as just read."""

from __future__ import annotations

import pytest

from actui.core.journal import Journal
from actui.tui.screens.bulk_preview import BulkPreviewScreen
from tests.helpers import until
from tests.tui.app_pilot import started, table
from tests.tui.bulk_pilot import describe_marked, send_with_count


def hint(preview: BulkPreviewScreen) -> str:
    return str(preview.query_one("#preview-hint").render())


@pytest.mark.parametrize("overwrite", [False, True], ids=["conflict", "overwrite"])
async def test_a_number_changed_while_the_preview_is_open(sandbox, client, app_for, overwrite):
    app = app_for(sandbox, bulk_reread_after=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        numbers = [r.number for r in table(app).rows[:2]]
        await describe_marked(pilot, "bulk", "space", "space")
        preview = app.screen
        assert not preview.plan.overwrite and "left alone" in hint(preview)
        await client.update_number(numbers[0], {"description": "theirs"})   # a colleague, meanwhile
        if overwrite:
            await pilot.press("o")
            assert preview.plan.overwrite and "OVERWRITTEN" in hint(preview)
        run_screen = await send_with_count(pilot, 2)
        await until(pilot, lambda: run_screen.result is not None)
        states = {o.number: o.state for o in run_screen.result.outcomes}
        journal = Journal(app.store, app.connection.account_key)
        [run] = journal.runs()
        changes = {i.number: [(c.path, c.old, c.new) for c in i.changes] for i in journal.items(run.id)}
    if overwrite:
        assert states == {numbers[0]: "changed", numbers[1]: "changed"}
        assert changes[numbers[0]] == [("description", "theirs", "bulk")]
        assert sandbox.state.detail(numbers[0])["description"] == "bulk"
    else:
        assert states == {numbers[0]: "conflict", numbers[1]: "changed"}
        assert sandbox.state.detail(numbers[0])["description"] == "theirs"
