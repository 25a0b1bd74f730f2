"""Server text never drives the terminal: every screen opened on the hostile fixture's number.

What is checked is what Textual would draw: the SVG screenshot of the screen (the compositor's
segments, as `export_screenshot` records them). It must hold no escape sequence, C1 control or bidi
override (`assert_terminal_safe`), and it must show the hostile text's stand-ins ("␛[2J"), so nothing
is hidden either. The terminal is tall so whole sections are on screen, not scrolled away.
"""

from __future__ import annotations

import pytest
from rich.text import Text

from actui.api.errors import ApiError, AuthenticationError, ServerError, ServerValidationError
from actui.api.order_models import Order
from actui.core.bulk import BulkResult, Outcome
from actui.core.journal import FieldChange, PlannedItem
from actui.core.patch import update_patch
from actui.core.safe_text import is_terminal_safe, terminal_safe
from actui.tui.safe import safe_rich
from actui.tui.screens.bulk_preview import BulkPreviewScreen
from actui.tui.screens.bulk_run import BulkRunScreen
from actui.tui.screens.detail import DetailScreen
from actui.tui.screens.editor import EditorScreen
from actui.tui.screens.journal import JournalScreen
from actui.tui.screens.prompts import PasswordScreen
from actui.tui.screens.resume import ResumeScreen
from actui.tui.screens.unprovision import UnprovisionScreen
from actui.tui.widgets.order_tracker import OrderTracker
from actui.tui.widgets.table_lines import fit_cell
from tests.fixtures.hostile import HOSTILE, assert_terminal_safe, seed_hostile
from tests.helpers import until
from tests.tui.app_pilot import started, table

TALL = (160, 70)
SHOWN = "␛[2J"    # CLEAR as drawn: the stand-ins are on screen


def drawn(app) -> str:
    return app.export_screenshot()


def check(app, where: str, shown: str = SHOWN) -> str:
    svg = drawn(app)
    assert_terminal_safe(svg, where)
    assert shown in svg, f"{where}: the hostile value is not shown ({shown!r} missing)"
    return svg


async def hostile_app(sandbox, app_for, **kw):
    number = seed_hostile(sandbox)
    return number, app_for(sandbox, poll=False, **kw)


# --- the pieces -------------------------------------------------------------------------------------


def test_fit_cell_shows_controls_as_stand_ins():
    cell = fit_cell("\x1b[2Jx\x9b\u202e", 20)
    assert cell.startswith("␛[2Jx\\x9b<U+202E>")
    assert is_terminal_safe(cell)
    clean = "Acme west"
    assert fit_cell(clean, 9) is clean   # a clean cell is not copied (the table stays fast)


def test_safe_rich_keeps_styles_on_what_they_styled():
    text = Text.assemble(("Not saved: ", "bold"), HOSTILE, (" kept", "italic"))
    safe = safe_rich(text)
    assert is_terminal_safe(safe.plain, multiline=True)
    assert safe.plain == terminal_safe(text.plain, multiline=True)
    styles = {(safe.plain[s.start:s.end], str(s.style)) for s in safe.spans}
    assert ("Not saved: ", "bold") in styles and (" kept", "italic") in styles


# --- every screen ------------------------------------------------------------------------------------


async def test_list_and_palette(sandbox, app_for):
    number, app = await hostile_app(sandbox, app_for)
    async with app.run_test(size=TALL) as pilot:
        await started(pilot)
        await until(pilot, lambda: any(r.number == number for r in table(app).rows))
        await pilot.press("slash", *"wiped", "enter")   # the filter reads the raw text; only it is shown
        await until(pilot, lambda: [r.number for r in table(app).rows] == [number])
        check(app, "the list", "␛[2J")
        await pilot.press("ctrl+p", *"wiped")
        await until(pilot, lambda: "Open" not in drawn(app) and "wiped" in drawn(app).split("ctrl+p")[-1])
        await pilot.pause(0.3)
        check(app, "the palette's hits", "␛[2J")


async def test_detail_and_raw_json(sandbox, app_for):
    number, app = await hostile_app(sandbox, app_for)
    async with app.run_test(size=(160, 200)) as pilot:   # every section on screen, unknown fields too
        await started(pilot)
        app.open_detail(number)
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.document is not None)
        await pilot.pause()
        svg = check(app, "the detail screen")
        assert "xwiped" not in svg   # (the unknown field's name is hostile too: shown made safe)
        assert "x␛[2J" in svg and "&lt;U+202E&gt;" in svg and "\\x9b31m" in svg
        assert "[bold&#160;red]markup[/]" in svg   # markup stays literal
        await pilot.press("y")
        await pilot.pause()
        check(app, "the raw JSON view", "\\u001b[2J")   # JSON's own escape for ESC
        svg = drawn(app)
        assert "\\x9b31m" in svg and "&lt;U+202E&gt;" in svg   # C1 and bidi, which JSON leaves raw


async def test_editor_shows_safe_values_and_sends_only_what_is_edited(sandbox, app_for):
    number, app = await hostile_app(sandbox, app_for)
    async with app.run_test(size=(160, 200)) as pilot:
        await started(pilot)
        app.open_editor(number)
        await until(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.form is not None)
        await pilot.pause()
        screen = app.screen
        form = screen.form
        check(app, "the editor")
        description = form.editors["description"]
        raw = form.original["description"]
        assert description.display_value() == terminal_safe(raw)
        assert "␛" in description.stand_ins and "\\x9b" in description.stand_ins
        note = str(description.query_one(".field-note").render())
        assert "holds control characters, shown as ␛" in note and "saving this field replaces them" in note
        assert form.changed_paths() == []
        assert update_patch(form.original, form.document()) == {}   # nothing would be sent
        description.focus_target().focus()
        await pilot.press("end", "x")
        assert form.changed_paths() == ["description"]
        sent = update_patch(form.original, form.document())
        assert sent == {"description": terminal_safe(raw) + "x"}   # what is shown replaces the controls


async def test_order_tracker_status_and_error_message(sandbox, app_for):
    number, app = await hostile_app(sandbox, app_for)
    async with app.run_test(size=TALL) as pilot:
        await started(pilot)
        app.book.track("9001", "Provision", "P2P")
        app.book.record(Order.model_validate({
            "orderId": "9001", "status": HOSTILE, "action": "Provision",
            "phoneNumbers": [{"number": number, "status": HOSTILE, "errorMessage": "refused\n" + HOSTILE}]}))
        app.track("9001")
        tracker = app.screen.query_one(OrderTracker)
        tracker.expand("9001")
        tracker.focus()
        await pilot.pause()
        check(app, "the order tracker (status, expanded errorMessage)", "␛[2J")
        assert all(is_terminal_safe(line) for line in tracker.detail_text("9001"))


async def test_journal_and_resume_replay_stored_values_safely(sandbox, app_for):
    number, app = await hostile_app(sandbox, app_for)
    async with app.run_test(size=TALL) as pilot:
        await started(pilot)
        journal = app.bulk.journal
        change = FieldChange("description", HOSTILE, "calm " + HOSTILE)
        run = journal.begin("edit", [PlannedItem(number, {"description": change.new}, (change,))],
                            "edit " + HOSTILE)
        journal.finish_item(run.id, number, "failed", "the server said: " + HOSTILE)
        journal.finish_run(run.id)
        app.action_journal()
        await until(pilot, lambda: isinstance(app.screen, JournalScreen) and app.screen.loaded)
        await pilot.pause()
        check(app, "the journal (table and run panel)")
        app.screen.dismiss()
        unfinished = journal.begin("bulk", [PlannedItem(number, {"description": "x"}, ())], "bulk " + HOSTILE)
        app.push_screen(ResumeScreen(journal.run(unfinished.id), clock=app.clock))
        await pilot.pause()
        check(app, "the resume offer")


async def test_bulk_preview_and_results(sandbox, app_for):
    number, app = await hostile_app(sandbox, app_for)
    async with app.run_test(size=TALL) as pilot:
        await started(pilot)
        engine = app.bulk.engine()
        plan = await engine.plan([number], {"description": "calm"})
        assert plan.items   # the old value is the hostile one
        app.push_screen(BulkPreviewScreen(plan, "Bulk edit"))
        await pilot.pause()
        check(app, "the bulk preview (old values)")
        app.screen.dismiss(False)
        await pilot.pause()

        async def start(on_progress, cancel):
            return BulkResult(journal_run, [Outcome(number, "failed", "HTTP 400: " + HOSTILE, ())], False)

        journal_run = app.bulk.journal.begin("bulk", plan.items, "bulk")
        app.push_screen(BulkRunScreen("Bulk edit", start))
        await until(pilot, lambda: isinstance(app.screen, BulkRunScreen) and app.screen.result is not None)
        await pilot.pause()
        check(app, "the bulk results (the server's message)")


async def test_error_banner_notification_and_password_prompt(sandbox, app_for):
    _, app = await hostile_app(sandbox, app_for)
    async with app.run_test(size=TALL, notifications=True) as pilot:
        await started(pilot)
        inventory = app.inventory_screen()
        await inventory.failed(ServerError("GET /phone-numbers/active failed: HTTP 503: " + HOSTILE, status=503),
                               retry=lambda: None)
        await pilot.pause()
        check(app, "the error banner")
        await app.report_error(ApiError("PUT failed: " + HOSTILE, status=418))
        await app.report_error(ValueError(HOSTILE))   # an unexpected error's text too
        await until(pilot, lambda: len(app.screen.query("Toast")) == 2)
        await pilot.pause()
        for toast in app.screen.query("Toast"):
            assert "␛[2J" in str(toast.render())
        check(app, "the notifications")
        await app.report_error(AuthenticationError("HTTP 401: " + HOSTILE, status=401), retry=None)
        await until(pilot, lambda: isinstance(app.screen, PasswordScreen))
        await pilot.pause()
        check(app, "the password prompt's reason")


async def test_unprovision_dialog_shows_server_refusal_safely(sandbox, app_for, monkeypatch):
    number, app = await hostile_app(sandbox, app_for)
    async with app.run_test(size=TALL) as pilot:
        await started(pilot)

        async def refuse(tenant, numbers):
            raise ServerValidationError("POST failed: HTTP 400: " + HOSTILE, status=400,
                                        server_messages=[HOSTILE, "phoneNumbers[0].number: " + HOSTILE])

        monkeypatch.setattr(app.client, "unprovision", refuse)
        app.open_unprovision([number])
        await until(pilot, lambda: isinstance(app.screen, UnprovisionScreen) and app.screen.query("#unprov-confirm"))
        box = app.screen.query_one("#unprov-confirm")
        box.value = number
        box.focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query_one("#unprov-error").has_class("-shown"))
        await pilot.pause()
        check(app, "the unprovision dialog")


@pytest.mark.parametrize("where", ["title", "message"])
async def test_notify_is_never_markup(sandbox, app_for, where):
    _, app = await hostile_app(sandbox, app_for)
    async with app.run_test(size=TALL, notifications=True) as pilot:
        await started(pilot)
        # "[/]" closes nothing: parsed as markup it would raise; it must be shown as typed
        if where == "title":
            app.notify("x", title=HOSTILE)
        else:
            app.notify(HOSTILE)
        await until(pilot, lambda: app.screen.query("Toast"))
        await pilot.pause()
        svg = check(app, f"a notification's {where}")
        assert "[/]" in svg


async def test_provision_form_shows_server_refusal_safely(sandbox, app_for, monkeypatch):
    from actui.tui.screens.provision import ProvisionScreen
    from tests.tui.provision_pilot import fill, submit_and_confirm

    _, app = await hostile_app(sandbox, app_for)
    async with app.run_test(size=TALL) as pilot:
        await started(pilot)

        async def refuse(document):
            raise ServerValidationError("POST failed: HTTP 400: " + HOSTILE, status=400, server_messages=[
                HOSTILE, "phoneNumbers[0].number: " + HOSTILE, "phoneNumbers[0].billingPlan: " + HOSTILE])

        monkeypatch.setattr(app.client, "provision", refuse)
        app.open_provision()
        await until(pilot, lambda: isinstance(app.screen, ProvisionScreen) and app.screen.query("#prov-message"))
        await fill(pilot, "+14155550281\n")
        await submit_and_confirm(pilot)
        await until(pilot, lambda: app.screen.query_one("#prov-message").has_class("-error"))
        check(app, "the provision form (message and field errors)")


async def test_ctrl_c_says_how_to_quit_without_markup_tags(sandbox, app_for):
    app = app_for(sandbox, poll=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await started(pilot)
        await pilot.press("ctrl+c")
        await until(pilot, lambda: app.screen.query("Toast"))
        said = str(app.screen.query_one("Toast").render())
        assert "ctrl+q to quit" in said and "[b]" not in said
