"""Driving the DetailScreen in pilot tests: a harness app around one detail screen, and reading what it shows."""

from __future__ import annotations

from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from actui.api.client import ApiClient
from actui.tui.screens.detail import DetailScreen
from tests.tui.harness import HarnessApp

FIXED = 1_736_000_000.0  # 2025-01-04T14:13:20Z: "now" for every age on screen
MISSING = "+14155550150"  # 555-01xx is never seeded


class DetailApp(HarnessApp):
    def __init__(self, number: str, client: ApiClient, **options):
        super().__init__(client=client)
        self.animation_level = "none"  # scrolling jumps: keys take effect at once
        self.number, self.options = number, options
        self.copied: list[str] = []
        self.notes: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(DetailScreen(self.number, self.client, clock=lambda: FIXED, **self.options))

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)
        super().copy_to_clipboard(text)

    def notify(self, message, **kw) -> None:  # type: ignore[override]
        self.notes.append(str(message))
        super().notify(message, **kw)


def _shown(widget: Widget) -> bool:
    node: object = widget
    while isinstance(node, Widget) and not isinstance(node, Screen):
        if not node.display:
            return False
        node = node.parent
    return True


def rendered(screen: Screen, within: str | None = None) -> str:
    """The text every visible Static of the screen renders at its laid-out size (scrolled out or not)."""
    root = screen.query_one(within) if within else screen
    lines: list[str] = []
    widgets = [root] if isinstance(root, Static) else []
    for widget in [*widgets, *root.query(Static)]:
        if not _shown(widget) or not widget.size.area:
            continue
        strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
        lines.extend(strip.text.rstrip() for strip in strips)
    return "\n".join(lines)


def line_with(text: str, *needles: str) -> str:
    """The first rendered line holding every needle."""
    for line in text.splitlines():
        if all(n in line for n in needles):
            return line
    raise AssertionError(f"no line holds {needles!r} in:\n{text}")


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
