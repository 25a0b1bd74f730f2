"""Reading the detail screen in the local copy's tests."""

from actui.tui.screens.detail import DetailScreen


def detail_message(app) -> str:
    """The detail screen's message (an error, what is shown instead), "" until there is one on screen."""
    screen = app.screen
    if not isinstance(screen, DetailScreen):
        return ""
    found = screen.query("#detail-message")
    return str(found.first().render()) if found else ""
