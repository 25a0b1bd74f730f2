"""What start-up does before the first page is drawn, which counts against the warm start-up goal (issue 11:
≤ 1.35x a bare Textual app): the modules it imports (checked in a fresh interpreter; what only a later key
needs is imported by that key), and the garbage collector it leaves off until the first frame."""

import subprocess
import sys

# what `actui` imports before the inventory screen draws its cached first page
START_PATH = ("actui.cli", "actui.cli.connect", "actui.tui", "actui.tui.app", "actui.tui.screens.inventory",
              "actui.core.list_cache", "actui.core.cache_store")


def imported_after_start(prefixes: tuple[str, ...]) -> list[str]:
    code = ("import importlib, sys\n"
            f"for name in {START_PATH!r}: importlib.import_module(name)\n"
            f"print(','.join(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [name for name in result.stdout.strip().split(",") if name]


def test_the_filter_modules_wait_for_the_first_filter():
    """The filter parser and evaluator (~5 ms of imports) are imported by the first `/` keystroke."""
    assert imported_after_start(("actui.core.filter",)) == []


def test_the_start_path_still_imports_the_inventory_screen():
    """The check above looks at the modules a start really imports (not an empty set by mistake)."""
    assert "actui.tui.screens.inventory" in imported_after_start(("actui.tui.screens",))


async def test_garbage_collection_turned_off_for_start_up_is_back_on_after_the_first_frame(sandbox, app_for):
    """actui.tui.run turns the cyclic collector off for start-up (its collections cost ~14 ms of a warm
    start); the app turns it back on once the first frame is drawn, with what start-up made frozen."""
    import gc

    from tests.helpers import until

    app = app_for(sandbox, poll=False)
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, gc.isenabled, what="the collector back on")
            assert app.screen.id == "inventory"
            assert gc.get_freeze_count() > frozen
    finally:
        gc.enable()
        gc.unfreeze()


async def test_the_app_leaves_a_running_collector_alone(sandbox, app_for):
    """Started another way (tests, an embedding program), with the collector on: nothing is frozen."""
    import gc

    from tests.helpers import until

    app = app_for(sandbox, poll=False)
    frozen = gc.get_freeze_count()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.id == "inventory")
        await pilot.pause()
        assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_the_start_without_a_config_file_imports_no_toml_parser():
    """tomllib is imported to read a config file (~1.5 ms), not by the modules of the start path."""
    assert imported_after_start(("tomllib",)) == []


async def test_the_inventory_is_the_first_screen_itself(sandbox, app_for):
    """No blank default screen beneath it to compose, style, lay out and draw first (~5 ms of a warm start):
    the stack holds the inventory alone, and the screens opened over it come back to it."""
    from tests.helpers import until
    from tests.tui.app_pilot import started

    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert [screen.id for screen in app.screen_stack] == ["inventory"]
        await pilot.press("question_mark")
        await until(pilot, lambda: len(app.screen_stack) == 2, what="help over the inventory")
        await pilot.press("escape")
        await until(pilot, lambda: [screen.id for screen in app.screen_stack] == ["inventory"],
                    what="back to the inventory")
