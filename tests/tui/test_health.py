"""The health screen (H, palette "Health: policies and overview") over a local copy filled from the sandbox:
rows with counts, a policy file's error shown with its line, missing details read by `d`, enter narrowing
the list to the breaking numbers (marked), `f` fixing them through the preview, the typed count, the run
and the journal; writes refused read-only and offline; hostile text drawn safe."""

from __future__ import annotations

from actui.core.journal import Journal
from actui.tui.screens.bulk_preview import BulkPreviewScreen
from actui.tui.screens.bulk_run import BulkRunScreen
from actui.tui.screens.inventory import InventoryScreen
from tests.fixtures.hostile import assert_terminal_safe, seed_hostile
from tests.helpers import until
from tests.tui.app_pilot import started, table
from tests.tui.bulk_pilot import send_with_count
from tests.tui.health_pilot import (
    A2P_STOP,
    a2p_without_stop,
    evaluated,
    health,
    line,
    reevaluated,
    rows,
    seed_copy,
    select,
    write_policies,
)

BUILTIN = ("ooo-ended", "forward-no-address", "auto-response-empty", "opt-out-empty", "a2p-no-campaign",
           "opt-out-cron", "no-outbound-activated")


async def test_H_opens_the_health_screen_and_escape_goes_back(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("H")
        screen = await evaluated(pilot)
        assert list(rows(screen))[0] == "a2p-stop"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen))


async def test_help_lists_H_everywhere(sandbox, app_for):
    from actui.tui.screens.help import HelpScreen

    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.plain_text()
        assert "  H  Health: policies and overview" in text.split("Everywhere")[1]


async def test_on_a_form_H_is_a_letter(sandbox, app_for):
    from actui.tui.screens.provision import ProvisionScreen

    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ProvisionScreen))
        assert app.check_action("health", ()) is False
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, ProvisionScreen)


async def test_back_from_help_nothing_is_judged_again(sandbox, app_for):
    from actui.tui.screens.help import HelpScreen

    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        before = screen.evaluation
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await until(pilot, lambda: health(app) is screen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.evaluation is before       # actui changed nothing meanwhile: no second judging


async def test_the_palette_command_opens_it(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Health: policies")
        await until(pilot, lambda: "overview" in app.export_screenshot().split("ctrl+p")[-1])
        await pilot.press("enter")
        await evaluated(pilot)


async def test_the_policies_are_read_and_judged_off_the_ui_thread(sandbox, app_for, monkeypatch):
    import threading

    from actui.core import policies

    threads = []

    def recorded(function):
        def run(*args, **kwargs):
            threads.append(threading.current_thread())
            return function(*args, **kwargs)
        return run

    monkeypatch.setattr(policies, "load_policies", recorded(policies.load_policies))
    monkeypatch.setattr(policies, "evaluate", recorded(policies.evaluate))
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        assert "a2p-stop" in rows(screen)
        assert len(threads) == 2 and threading.main_thread() not in threads


async def test_an_older_judging_that_ends_late_never_replaces_a_newer_one(sandbox, app_for, monkeypatch):
    import threading

    from actui.core import policies

    held, release = threading.Event(), threading.Event()
    real = policies.evaluate
    calls = []

    def second_held(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            held.set()
            release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(policies, "evaluate", second_held)
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        await pilot.press("r")                                   # judges a2p-stop, held in its thread
        await until(pilot, lambda: held.is_set())
        write_policies(A2P_STOP.replace('"a2p-stop"', '"a2p-stop-2"'))
        before = screen.evaluation
        await pilot.press("r")                                   # a newer judging: a2p-stop-2
        await until(pilot, lambda: screen.evaluation is not before)
        assert "a2p-stop-2" in rows(screen)
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "a2p-stop-2" in rows(screen) and "a2p-stop" not in rows(screen)


async def test_rows_count_the_numbers_matched_and_breaking_and_the_coverage(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    breaking = a2p_without_stop(sandbox)
    a2p = [n for n in sandbox.state.numbers() if sandbox.state.detail(n).get("provisionClass") == "A2P"]
    assert 0 < len(breaking) < len(a2p)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        found = rows(screen)
        assert list(found) == ["a2p-stop", *BUILTIN]
        name, source, matched, breaking_count, description = found["a2p-stop"]
        assert (source, int(matched), int(breaking_count)) == ("line 3", len(a2p), len(breaking))
        assert description == "A2P numbers honour STOP"
        assert {found[n][1] for n in BUILTIN} == {"built-in"}
        result = screen.evaluation.results[0]
        assert set(result.breaking) == breaking
        assert "Coverage: 120/120 with details, oldest 1m" in line(screen, "health-coverage")


async def test_a_policy_file_error_is_shown_with_its_file_and_line_and_r_reads_it_again(sandbox, app_for,
                                                                                          monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = write_policies(A2P_STOP.replace('"settings.optOut.text"', '"settings.optOut.txet"'))
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        said = line(screen, "health-message")
        assert "policies.toml:6:" in said and "settings.optOut.txet" in said
        assert f"The file: ~/{path.relative_to(tmp_path)}" in said
        assert screen.has_class("-file-error") and rows(screen) == {}
        before = screen.evaluation
        write_policies(A2P_STOP)
        await pilot.press("r")
        await reevaluated(pilot, screen, before)
        assert "a2p-stop" in rows(screen) and not screen.has_class("-file-error")
        assert not screen.query_one("#health-message").has_class("-shown")


async def test_missing_details_are_counted_and_d_reads_them(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox, details=False)
        await pilot.press("H")
        screen = await evaluated(pilot)
        assert "0/120 with details" in line(screen, "health-coverage")
        assert "120 not judged: d reads them" in line(screen, "health-coverage")
        assert rows(screen)["a2p-stop"][2:4] == ["0", "0"]
        before = screen.evaluation
        await pilot.press("d")
        await until(pilot, lambda: app.copy_keeper.last_read is not None, timeout=20)
        await reevaluated(pilot, screen, before)
        assert app.copy_keeper.last_read.details_read == 120
        assert "120/120 with details" in line(screen, "health-coverage")
        assert int(rows(screen)["a2p-stop"][3]) == len(a2p_without_stop(sandbox))


async def test_on_an_empty_copy_d_reads_the_list_then_the_details(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("H")
        screen = await evaluated(pilot)
        assert "the local copy holds no numbers yet: d reads the list" in line(screen, "health-coverage")
        before = screen.evaluation
        await pilot.press("d")
        await until(pilot, lambda: app.copy_keeper.last_read is not None, timeout=20)
        await reevaluated(pilot, screen, before)
        read = app.copy_keeper.last_read
        assert (read.listed, read.list_complete, read.details_read) == (120, True, 120)
        assert "Coverage: 120/120 with details" in line(screen, "health-coverage")
        assert int(rows(screen)["a2p-stop"][3]) == len(a2p_without_stop(sandbox))


async def test_enter_shows_only_the_breaking_numbers_in_the_list_marked(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    breaking = a2p_without_stop(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        select(screen, "a2p-stop")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen) and app.inventory.all_loaded)
        await until(pilot, lambda: {row.number for row in table(app).rows} == breaking)
        inventory = app.screen
        assert set(inventory.marks.numbers()) == breaking
        assert f"{len(breaking)} breaking a2p-stop" in inventory.query_one("#filter").placeholder
        assert f"{len(breaking)} marked" in str(inventory.query_one("#status").render())
        assert f"{len(breaking)} match" in str(inventory.query_one("#status").render())
        await pilot.press("slash", *"platform:teamsc")   # a filter narrows them further
        teams = {n for n in breaking if sandbox.state.detail(n)["platformType"] == "TeamsChannel"}
        assert 0 < len(teams) < len(breaking)
        await until(pilot, lambda: {row.number for row in table(app).rows} == teams)
        await pilot.press("escape")             # the narrowing goes, the marks stay
        await until(pilot, lambda: len(table(app).rows) == 120)
        assert set(inventory.marks.numbers()) == breaking
        assert "match" not in str(inventory.query_one("#status").render())
        assert "breaking" not in inventory.query_one("#filter").placeholder


async def test_enter_in_the_empty_filter_box_ends_the_narrowing_too(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        select(screen, "a2p-stop")
        await pilot.press("enter")
        count = len(a2p_without_stop(sandbox))
        await until(pilot, lambda: isinstance(app.screen, InventoryScreen) and len(table(app).rows) == count)
        await pilot.press("slash", "enter")      # the box closes: so does the narrowing its label named
        await until(pilot, lambda: len(table(app).rows) == 120)
        assert not app.screen.query_one("#filter").display


async def test_f_fixes_the_breaking_numbers_through_the_preview_and_the_journal(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    breaking = a2p_without_stop(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        select(screen, "a2p-stop")
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, BulkPreviewScreen), timeout=20)
        preview = app.screen
        assert {item.number for item in preview.plan.items} == breaking
        run = await send_with_count(pilot, len(breaking))
        assert isinstance(run, BulkRunScreen)
        await until(pilot, lambda: run.result is not None, timeout=30)
        assert a2p_without_stop(sandbox) == set()
        journal = Journal(app.store, app.connection.account_key)
        last = journal.runs()[0]
        assert last.description == "fix a2p-stop" and last.counts.get("changed") == len(breaking)
        before = screen.evaluation
        await pilot.press("escape")                   # back on the health screen: judged again
        await until(pilot, lambda: health(app) is screen)
        await reevaluated(pilot, screen, before)
        assert rows(screen)["a2p-stop"][3] == "0"     # the copy holds the answers of the writes
        app.bulk.undo(last.id)                        # as the journal's U does: one run, undone as one
        await until(pilot, lambda: isinstance(app.screen, BulkPreviewScreen), timeout=20)
        undo = await send_with_count(pilot, len(breaking))
        await until(pilot, lambda: undo.result is not None, timeout=30)
        assert a2p_without_stop(sandbox) == breaking


async def test_fix_is_refused_read_only(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        select(screen, "a2p-stop")
        await pilot.press("f", "F")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert health(app) is screen and not screen.check_action("fix", ())
        assert "Fix" not in app.export_screenshot()


async def test_fix_is_refused_offline_with_one_message_and_nothing_planned(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        app.set_offline(True)
        select(screen, "a2p-stop")
        await pilot.press("f")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert health(app) is screen and a2p_without_stop(sandbox)
        said = [n.message for n in app._notifications]
        assert any("The API is unreachable: fixing is refused" in text for text in said)


async def test_enter_on_a_policy_nothing_breaks_says_so_and_stays(sandbox, app_for):
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        select(screen, "opt-out-cron")
        await pilot.press("enter")
        await pilot.pause()
        assert health(app) is screen
        assert "No number breaks opt-out-cron" in [n.message for n in app._notifications]


async def test_a_check_that_fails_is_said_on_the_screen_not_a_crash(sandbox, app_for, monkeypatch):
    from actui.core import policies

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(policies, "evaluate", broken)
    write_policies(A2P_STOP)
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        assert "The policies could not be judged: unexpected RuntimeError: boom" in line(screen, "health-message")
        assert rows(screen) == {}


async def test_hostile_text_from_the_server_and_the_file_is_drawn_safe(sandbox, app_for):
    number = seed_hostile(sandbox)
    write_policies('''
[[policy]]
name = "evil\\u009b31m"
description = "\\u001b]0;owned\\u0007 \\u202etxet"
where = ""
require = { "settings.optOut.enabled" = true }
''')
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(160, 60)) as pilot:
        await started(pilot)
        seed_copy(app, sandbox)
        await pilot.press("H")
        screen = await evaluated(pilot)
        svg = app.export_screenshot()
        assert_terminal_safe(svg, "the health screen")
        assert "evil\\x9b31m" in svg and "␛]0;owned␇" in svg and "&lt;U+202E&gt;txet" in svg   # the file's
        assert "␛[2J" in svg                                                  # the server's, in the overview
        assert number in {n for r in screen.evaluation.results for n in r.checked}
