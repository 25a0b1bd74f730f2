"""The list screen against a server that lies about its list (tests/api/lying_server.py): an answer that is
not JSON is retried like a network fault, `]` pressed twice while a page loads goes two pages on, load-all
reads past a total that is too low, and what was odd is said."""

from actui.tui.screens import inventory as inventory_screen
from actui.tui.widgets.banner import Banner
from tests.api.lying_server import envelope, numbers
from tests.helpers import until
from tests.tui.app_pilot import started, status, table

REAL = numbers(300)


def shown(app) -> list[str]:
    """The notifications the app has shown."""
    return [n.message for n in app._notifications]


async def test_a_list_answer_that_is_not_json_shows_the_banner_and_is_retried(lying_server, app_for,
                                                                               monkeypatch):
    monkeypatch.setattr(inventory_screen, "RETRY_DELAYS", (0.2,))
    answers = iter([b"<html>maintenance</html>", b"<html>maintenance</html>"])
    server = lying_server(lambda page, limit: next(answers, None) or envelope(REAL, page, limit, total=300))
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        banner = app.screen.query_one(Banner)
        await until(pilot, lambda: banner.has_class("-shown"))
        assert "not JSON" in str(banner.render()) and "Retrying" in str(banner.render())
        await started(pilot)
        assert len(table(app).rows) == 100
        await until(pilot, lambda: not banner.has_class("-shown"))
        assert server.pages_asked()[:3] == [1, 1, 1]


async def test_next_page_pressed_twice_while_a_page_loads_goes_two_pages_on(lying_server, app_for):
    server = lying_server(lambda page, limit: envelope(REAL, page, limit, total=300))
    server.hold_from = 2  # page 2 and later wait until released: "while a page loads"
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.screen.wanted_page == 3
        server.release()
        await until(pilot, lambda: "page 3/3" in status(app))
        assert table(app).rows[0].number == REAL[200]["phoneNumber"]


async def test_load_all_reads_past_a_total_that_is_too_low_and_says_so(lying_server, app_for):
    items = REAL[:100] + REAL[:3] + REAL[100:250]
    server = lying_server(lambda page, limit: envelope(items, page, limit, total=120, totalPages=2))
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("L")
        await until(pilot, lambda: app.inventory.all_loaded)
        assert [r.number for r in table(app).rows] == [n["phoneNumber"] for n in REAL[:250]]
        await until(pilot, lambda: any("duplicate" in m for m in shown(app)))
        warning = next(m for m in shown(app) if "duplicate" in m)
        assert "3 duplicate numbers across pages" in warning
        assert "the server's total said 120 numbers, but 250 arrived" in warning


async def test_a_malformed_item_is_left_out_and_named(lying_server, app_for):
    page1 = REAL[:40] + [None, {"phoneNumber": None}] + REAL[40:60]
    server = lying_server(lambda page, limit: page1 if page == 1 else [])
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert len(table(app).rows) == 60
        await until(pilot, lambda: any("item 41" in m for m in shown(app)))
        warning = next(m for m in shown(app) if "item 41" in m)
        assert "page 1, item 41: null instead of a number; skipped" in warning
        assert "page 1, item 42: phoneNumber is empty; skipped" in warning


async def test_what_a_prefetched_page_met_is_said_when_it_is_shown(lying_server, app_for):
    page2 = REAL[100:110] + [5] + REAL[110:150]
    server = lying_server(lambda page, limit: {1: REAL[:100], 2: page2}.get(page, []))
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await until(pilot, lambda: 2 in app.inventory.pages)  # prefetched
        assert not any("item 11" in m for m in shown(app))
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: any("page 2, item 11" in m for m in shown(app)))
        assert len(table(app).rows) == 50
