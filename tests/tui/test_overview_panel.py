"""The overview panel (tui/widgets/overview.py) in a small harness app: what it shows of an overview, how a
breakdown folds into "+N more" at 80 columns and shows more at 120, show() again with new data, hostile
values made safe and never read as markup; and snapshots at 80x24 and 120x40 of deterministic data. Look at
the SVGs under tests/tui/__snapshots__/test_overview_panel/ when they change."""

from __future__ import annotations

import pytest
from textual.widgets import Sparkline

from actui.core.overview import NONE_KEY, InventoryOverview
from actui.tui.widgets.overview import KEY_WIDTH, OverviewPanel
from tests.fixtures.hostile import HOSTILE, assert_terminal_safe
from tests.tui.harness import HarnessApp

SIZES = [(80, 24), (120, 40)]
ROWS = ("#overview-total", "#overview-class", "#overview-type", "#overview-status", "#overview-platform",
        "#overview-plan", "#overview-weeks-label", "#overview-weeks-range")


def weeks(counts: list[int], first_month: int = 6) -> list[tuple[str, int]]:
    """Mondays from 2026-06-01 on, one per count."""
    from datetime import date, timedelta

    start = date(2026, first_month, 1)
    return [((start + timedelta(weeks=index)).isoformat(), count) for index, count in enumerate(counts)]


def inventory(**changes) -> InventoryOverview:
    fields = dict(
        total=1234,
        by_class={"P2P": 734, "A2P": 500},
        by_type={"New": 900, "Port": 300, "Toll-free": 34},
        by_status={"Active": 1000, "Pending": 200, "Inactive": 30, NONE_KEY: 4},
        by_platform={"TeamsIndividual": 600, "Zoom": 300, "WebexSpace": 200, "RingCentral": 100,
                     "TeamsChannel": 34},
        by_plan={"500": 400, "1000": 300, "250": 200, "2000": 150, "Pooled": 100, "Volume Pricing": 84},
        orders_pending=2,
        per_week=weeks([3, 5, 0, 0, 8, 13, 21, 9, 4, 0, 2, 6, 11, 17, 12, 7, 3, 1, 0, 0, 5, 9, 14, 20, 25, 4]),
        undated=3,
    )
    fields.update(changes)
    return InventoryOverview(**fields)


class PanelApp(HarnessApp):
    def __init__(self, shown: InventoryOverview | None = None):
        super().__init__()
        self.shown = shown

    def compose(self):
        yield OverviewPanel(id="overview")

    def on_mount(self) -> None:
        if self.shown is not None:
            self.query_one(OverviewPanel).show(self.shown)


def row_text(app, selector: str) -> str:
    return str(app.query_one(selector).render())


def panel_text(app) -> list[str]:
    return [row_text(app, selector) for selector in ROWS]


async def test_before_show_the_panel_says_it_has_nothing_yet():
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert row_text(app, "#overview-total") == "Overview: not read yet"
        assert app.query_one(Sparkline).data == []


async def test_at_80_columns_it_fits_seven_rows_biggest_first_the_rest_folded():
    app = PanelApp(inventory())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.query_one(OverviewPanel).outer_size.height == 7
        total, klass, kind, status, platform, plan, label, span = panel_text(app)
        assert total == "1,234 numbers · 2 orders pending · 3 without a creation date"
        assert klass == "Class     P2P 734 · A2P 500"
        assert status == "Status    Active 1,000 · Pending 200 · Inactive 30 · (none) 4"
        assert platform == "Platform  TeamsIndividual 600 · Zoom 300 · WebexSpace 200 · +2 more"
        assert plan.startswith("Plan      500 400 · 1000 300") and plan.endswith(" · +1 more")
        assert label == "Per week"
        assert span == "2026-06-01 … 2026-11-23, max 25"
        for text in (total, klass, kind, status, platform, plan):
            assert len(text) <= 78


async def test_at_120_columns_more_of_each_breakdown_shows():
    app = PanelApp(inventory())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        _, _, _, _, platform, plan, _, span = panel_text(app)
        assert platform.endswith("RingCentral 100 · TeamsChannel 34")
        assert plan.endswith("Pooled 100 · Volume Pricing 84")
        assert span == "2026-06-01 … 2026-11-23, max 25 a week, 199 in 26 weeks"


async def test_the_sparkline_has_one_bar_per_week():
    shown = inventory()
    app = PanelApp(shown)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sparkline = app.query_one(Sparkline)
        assert list(sparkline.data) == [count for _, count in shown.per_week]
        assert sparkline.size.width == 26


async def test_show_again_draws_the_new_data():
    app = PanelApp(inventory())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.query_one(OverviewPanel).show(inventory(total=1, by_class={"A2P": 1}, orders_pending=1, undated=0,
                                                    per_week=weeks([0, 1]), by_plan={}))
        await pilot.pause()
        total, klass, *_, plan, _, span = panel_text(app)
        assert total == "1 number · 1 order pending"
        assert klass == "Class     A2P 1"
        assert plan == "Plan      —"
        assert span == "2026-06-01 … 2026-06-08, max 1 a week, 1 in 2 weeks"   # the sparkline is narrower
        assert app.query_one(Sparkline).data == [0, 1] and app.query_one(Sparkline).size.width == 2


async def test_an_empty_copy_and_no_weeks_say_so():
    app = PanelApp(inventory(total=0, by_class={}, by_type={}, by_status={}, by_platform={}, by_plan={},
                             orders_pending=0, per_week=[], undated=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        total, klass, *_, span = panel_text(app)
        assert total == "No numbers in the local copy · 0 orders pending"
        assert klass == "Class     —"
        assert span == "no weeks"
        assert not app.query_one(Sparkline).display


async def test_weeks_with_no_number_provisioned_say_so_rather_than_max_0():
    app = PanelApp(inventory(per_week=weeks([0] * 26)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        *_, span = panel_text(app)
        assert span == f"none provisioned since {weeks([0] * 26)[0][0]}"


async def test_hostile_values_are_made_safe_and_never_read_as_markup():
    long_value = "Platform-" + "x" * 60
    shown = inventory(by_status={HOSTILE: 7, "[bold red]loud[/]": 2},
                      by_platform={long_value: 5, "Zoom\nline": 1})
    app = PanelApp(shown)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        texts = panel_text(app)
        for text in texts:
            assert_terminal_safe(text)
        status, platform = texts[3], texts[4]
        assert "[bold red]loud[/] 2" in status
        assert "Zoom␊line 1" in platform
        cut = platform.split(" · ")[0][len("Platform  "):]
        assert cut == long_value[:KEY_WIDTH - 1] + "… 5"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot(snap_compare, size):
    assert snap_compare(PanelApp(inventory()), terminal_size=size)
