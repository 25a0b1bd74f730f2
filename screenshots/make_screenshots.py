"""Make the SVG screenshots in this folder from the sandbox's deterministic data.

    python screenshots/make_screenshots.py

Each screen is driven headless, as a user would through the keyboard, against a sandbox seeded with
the default 500 numbers, clocks frozen so the pictures only change when the screens do.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["TEXTUAL_ANIMATIONS"] = "none"
HERE = Path(__file__).resolve().parent
FROZEN = 1_764_000_000.0
TENANT = "11111111-2222-3333-4444-555555555555"


HEALTH_POLICIES = """
[[policy]]
name = "a2p-stop"
description = "A2P numbers honour STOP"
where = "class:a2p"
require = { "settings.optOut.enabled" = true, "settings.optOut.text" = "STOP" }

[[policy]]
name = "support-forwards"
description = "Support lines forward their texts"
where = "support"
require = { "settings.autoForward.enabled" = true, "settings.rateLimit" = { max = 1000 } }
"""


def created_lately(index: int, count: int) -> str:
    """A createdAt within the 26 weeks before FROZEN, more of them lately (the seeded numbers are years old:
    the health screen's weeks then have something to draw)."""
    from datetime import UTC, datetime

    share = (index * 37 % count) / count
    return datetime.fromtimestamp(FROZEN - 182 * 86400 * share ** 1.2, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


async def until(pilot, condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("a screen did not get ready in time")
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def shoot(name: str, size: tuple[int, int], steps, sandbox, workdir: Path) -> None:
    from actui.config import Connection
    from actui.core.store import Store
    from actui.credentials import Secret
    from actui.tui.app import UiSettings, make_app

    connection = Connection(profile=None, base_url=sandbox.base_url, user=sandbox.user,
                            password=Secret(sandbox.password), tenant_id=TENANT, sandbox=True)
    app = make_app(connection, store=Store(workdir / f"{name}.sqlite3"),
                   settings=UiSettings(clock=lambda: FROZEN, poll_orders=name == "orders"))
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.screen.id == "inventory" and app.screen.query_one("NumberTable").rows)
        await steps(pilot)
        app.clear_notifications()
        await pilot.pause()
        svg = app.export_screenshot(title=f"actui — {name.replace('-', ' ')}")
    (HERE / f"{name}.svg").write_text(svg, encoding="utf-8")
    print(f"wrote screenshots/{name}.svg")


async def main() -> None:
    from actui.api.client import ApiClient
    from actui.sandbox.server import SandboxServer

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.environ["ACTUI_CONFIG_DIR"] = str(workdir / "config")   # the health shots' policies.toml, not yours
        clock = Clock(FROZEN - 3600)
        sandbox = SandboxServer(workdir / "sandbox.sqlite3", numbers=500, clock=clock, a2p_seconds=40.0,
                                p2p_seconds=3.0)
        sandbox.start()
        try:
            async with ApiClient(sandbox.base_url, sandbox.user, sandbox.password) as api:
                orders = []
                for numbers, cls in ((["+14155550234"], "P2P"), (["+14155550235", "+14155550150"], "P2P"),
                                     (["+14155550237"], "A2P")):
                    extra = {"campaignId": "C1A2B3C", "brandId": "B9X8Y7Z"} if cls == "A2P" else {}
                    ack = await api.provision({"action": "Provision", "tenantId": TENANT, "phoneNumbers": [
                        {"number": n, "messagingFeature": {"provisionType": "SMS", "provisionClass": cls}, **extra}
                        for n in numbers]})
                    orders.append((str(ack.order_id), cls))
            clock.now += 10

            async def nothing(pilot):
                pass

            async def filtered(pilot):
                await pilot.press("L")
                await until(pilot, lambda: pilot.app.inventory.all_loaded)
                pilot.app.screen.sort_by("description")
                await pilot.press("slash", *"(415) 5", "enter")
                await until(pilot, lambda: pilot.app.screen.query_text == "(415) 5")

            async def detail(pilot):
                await pilot.press("enter")
                await until(pilot, lambda: getattr(pilot.app.screen, "phone", None) is not None)

            async def raw(pilot):
                await detail(pilot)
                await pilot.press("y")

            async def tracker(pilot):
                for order_id, cls in orders:
                    pilot.app.track(order_id, "Provision", cls)
                await until(pilot, lambda: sum(t.final for t in pilot.app.book.all()) == 2
                            and all(t.order for t in pilot.app.book.all()))
                widget = pilot.app.screen.query_one("OrderTracker")
                widget.expand(orders[1][0])
                widget.focus()

            async def help_screen(pilot):
                await pilot.press("question_mark")

            async def palette(pilot):
                await pilot.press("ctrl+p")
                await pilot.pause(0.2)
                await pilot.press(*"415555")
                await pilot.pause(0.5)

            async def editor(pilot):
                await pilot.press("e")
                await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "EditorScreen"
                            and bool(pilot.app.screen.query("Input")))

            async def provision(pilot):
                await pilot.press("p")
                await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ProvisionScreen")

            async def unprovision(pilot):
                await pilot.press("u")
                await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "UnprovisionScreen")

            async def marks(pilot):
                await pilot.press("space", "space", "down", "space", "down")

            async def bulk_edit(pilot):
                await marks(pilot)
                await pilot.press("b")
                await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "BulkEditScreen")
                screen = pilot.app.screen
                screen.form.focus_field("billingPlanName")
                await pilot.pause(0.2)
                await pilot.press("enter", "down", "down", "enter")
                screen.form.focus_field("settings.optOut.text")
                await pilot.pause(0.2)
                await pilot.press(*"STOP")
                await pilot.pause(0.2)

            async def bulk_preview(pilot, edit=bulk_edit):
                await edit(pilot)
                await pilot.press("ctrl+s")
                await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "BulkPreviewScreen")

            async def bulk_results(pilot, edit=bulk_edit):
                await bulk_preview(pilot, edit)
                count = len(pilot.app.screen.plan.items)
                await pilot.press("enter")
                await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "TypeCountScreen")
                await pilot.press(*str(count), "enter")
                await until(pilot, lambda: getattr(pilot.app.screen, "result", None) is not None)

            async def describe(pilot):   # a change of its own: the shots share one sandbox
                await marks(pilot)
                await pilot.press("b")
                await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "BulkEditScreen")
                pilot.app.screen.form.focus_field("description")
                await pilot.pause(0.2)
                await pilot.press(*"Shared front desk")
                await pilot.pause(0.2)

            async def health(pilot):
                from actui.paths import policies_file

                path = policies_file()
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(HEALTH_POLICIES, encoding="utf-8")
                copy = pilot.app.copy_keeper.copy   # the list read 20 minutes ago, 480 details 14 minutes ago
                numbers = sandbox.state.numbers()
                docs = [{**sandbox.state.detail(n), "createdAt": created_lately(i, len(numbers))}
                        for i, n in enumerate(numbers)]
                copy.put_list_items([{k: v for k, v in doc.items() if k != "settings"} for doc in docs],
                                    FROZEN - 20 * 60)
                copy.keep_only(numbers, FROZEN - 20 * 60)
                copy.put_details([(n, doc, FROZEN - 14 * 60) for n, doc in zip(numbers[:480], docs, strict=False)])
                await pilot.press("H")
                await until(pilot, lambda: getattr(pilot.app.screen, "evaluation", None) is not None)

            async def journal(pilot):
                await bulk_results(pilot, describe)
                await pilot.press("escape")
                await until(pilot, lambda: pilot.app.screen.id == "inventory")
                await pilot.press("j")
                await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "JournalScreen")
                await pilot.pause(0.3)

            shots = [
                ("list", (80, 24), nothing), ("list-wide", (120, 40), nothing),
                ("filter-and-sort", (80, 24), filtered), ("detail", (80, 24), detail),
                ("detail-wide", (160, 45), detail), ("raw-json", (80, 24), raw),
                ("orders", (100, 30), tracker), ("help", (80, 24), help_screen), ("palette", (80, 24), palette),
                ("editor", (80, 24), editor), ("editor-wide", (120, 40), editor),
                ("provision", (100, 30), provision), ("unprovision", (80, 24), unprovision),
                ("marks", (80, 24), marks), ("bulk-edit", (80, 24), bulk_edit),
                ("bulk-preview", (100, 30), bulk_preview), ("bulk-results", (80, 24), bulk_results),
                ("journal", (100, 30), journal), ("health", (80, 24), health), ("health-wide", (120, 40), health),
            ]
            wanted = set(sys.argv[1:])
            for name, size, steps in shots:
                if not wanted or name in wanted:
                    await shoot(name, size, steps, sandbox, workdir)
        finally:
            sandbox.stop()


if __name__ == "__main__":
    asyncio.run(main())
