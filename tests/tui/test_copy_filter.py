"""The list's `/` over the local copy: `L` fills the copy (list items, and the details a list carrying settings
brings), a settings term reads the details the copy lacks in the background (the whole list first, as L
reads it), says how many on the status line, and filters again when they are in."""

from actui.tui.screens import inventory_copy
from tests.helpers import until
from tests.tui.app_pilot import FROZEN, started, status, table


def limit_over(sandbox, bound: int) -> set[str]:
    """The numbers whose settings.rateLimit (an integer) is above `bound`, as the sandbox holds them."""
    found = set()
    for number in sandbox.state.numbers():
        limit = (sandbox.state.detail(number).get("settings") or {}).get("rateLimit")
        if type(limit) is int and limit > bound:
            found.add(number)
    return found


def said_progress(monkeypatch) -> list[str]:
    """What the status line said of background reads, in order."""
    said: list[str] = []
    real = inventory_copy.progress_text

    def record(progress):
        said.append(real(progress))
        return said[-1]

    monkeypatch.setattr(inventory_copy, "progress_text", record)
    return said


async def test_load_all_fills_the_copy_with_the_list_and_the_details_the_list_carries(sandbox_factory, app_for):
    server = sandbox_factory(list_settings=True)
    app = app_for(server)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        copy = app.copy_keeper.copy
        copy.put_list_items([{"phoneNumber": "+15550000000", "status": "Active"}], FROZEN - 60)   # gone since
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded and "with details" in status(app))
        held = copy.status()
        assert (held.numbers, held.with_details, held.list_synced_at) == (120, 120, FROZEN)
        assert [item["phoneNumber"] for item in copy.list_items()] == [row.number for row in app.inventory.loaded]
        number = server.state.numbers()[5]
        assert copy.detail(number) == (server.state.detail(number), FROZEN)
        assert "120 with details, oldest 0s" in status(app)


async def test_load_all_of_a_list_without_settings_holds_list_items_and_no_details(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded)
        held = app.copy_keeper.copy.status()
        assert (held.numbers, held.with_details) == (120, 0)
        assert "with details" not in status(app)


async def test_a_settings_term_reads_the_missing_details_in_the_background_and_filters_when_in(
        sandbox, app_for, monkeypatch):
    said = said_progress(monkeypatch)
    app = app_for(sandbox)
    over_500, over_1000 = limit_over(sandbox, 500), limit_over(sandbox, 1000)
    assert 0 < len(over_1000) < len(over_500) < 120
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        assert not app.inventory.all_loaded
        await pilot.press("slash", *"settings.rateLimit>500")
        await until(pilot, lambda: app.copy_keeper.last_read is not None)
        await until(pilot, lambda: {row.number for row in table(app).rows} == over_500)
        first = app.copy_keeper.last_read
        assert app.inventory.all_loaded                      # the whole list first, as L reads it
        assert (first.details_read, first.details_failed) == (120, 0)
        assert said[0] == "reading 120 details… 0" and said[-1] == "reading 120 details… 120"
        assert f"{len(over_500)} match" in status(app) and "120 with details, oldest 0s" in status(app)
        # another path, the details now fresh: filtered at once, nothing read again
        await pilot.press("backspace", "backspace", "backspace", *"1000")
        await until(pilot, lambda: {row.number for row in table(app).rows} == over_1000)
        assert app.copy_keeper.last_read is first and app.copy_keeper.progress is None


async def test_only_details_missing_or_older_than_max_age_are_read(sandbox, app_for, monkeypatch):
    said = said_progress(monkeypatch)
    app = app_for(sandbox, max_age=600.0)
    numbers = sandbox.state.numbers()
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded)
        copy = app.copy_keeper.copy
        copy.put_details([(n, sandbox.state.detail(n), FROZEN - 60) for n in numbers[:100]])     # fresh
        copy.put_details([(n, sandbox.state.detail(n), FROZEN - 601) for n in numbers[100:110]])  # too old
        await pilot.press("slash", *"settings.rateLimit>500")
        await until(pilot, lambda: app.copy_keeper.last_read is not None)
        assert app.copy_keeper.last_read.details_read == 20
        assert said[0] == "reading 20 details… 0"
        await until(pilot, lambda: {row.number for row in table(app).rows} == limit_over(sandbox, 500))


async def test_a_bad_path_is_said_on_the_status_line_naming_the_closest_field(sandbox, app_for):
    app = app_for(sandbox)
    async with app.run_test(size=(160, 30)) as pilot:
        await started(pilot)
        await pilot.press("slash", *"settings.optOt.enabled:false")
        await until(pilot, lambda: "settings.optOut.enabled" in status(app))
        assert "settings.optOt.enabled" in status(app)
        assert app.copy_keeper.progress is None and not app.screen.loading_all   # nothing read for a typo


async def test_a_write_to_the_copy_shows_in_the_filtered_list_at_once(sandbox_factory, app_for):
    """actui's own writes put the server's answer in the copy (core/copy_writes); the list filtered on a
    path follows on its next pass, the column it had indexed being replaced, never changed in place."""
    server = sandbox_factory(list_settings=True)
    app = app_for(server)
    over_500 = limit_over(server, 500)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded)
        await pilot.press("slash", *"settings.rateLimit>500", "enter")
        await until(pilot, lambda: {row.number for row in table(app).rows} == over_500)
        number = sorted(over_500)[0]
        doc = server.state.detail(number)
        app.copy_keeper.copy.put_detail(number, {**doc, "settings": {**doc["settings"], "rateLimit": 5}}, FROZEN)
        app.screen.show_rows()
        assert {row.number for row in table(app).rows} == over_500 - {number}
