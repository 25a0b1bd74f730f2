"""A profile's `color` on the header of every screen, so production never looks like staging.

The colour becomes the CSS variable `$profile-color` and the app carries the class `-profile-color` while
there is one; app.tcss colours each screen's header (Textual's Header, and the title line of the screens
that have no Header) with it. Without a colour the headers are drawn as the theme draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.content import Content

    from .app import ActuiApp

VARIABLE = "profile-color"
CLASS = "-profile-color"
_UNUSED = "#000000"   # app.tcss names the variable, so it must always exist; unused while the class is off


class ProfileColorHeader:
    """The app's side (a base of ActuiApp): the colour in the stylesheet's variables and the header's words."""

    header_color: str | None = None   # the profile's colour as CSS; None: the theme's header

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **css_variables(self.header_color)}  # type: ignore[misc]

    def format_title(self, title: str, sub_title: str) -> Content:
        if self.header_color:
            return header_title(title, sub_title)
        return super().format_title(title, sub_title)  # type: ignore[misc]


def css_color(value: str | None) -> str | None:
    """`value` (profiles.check_color's forms) as Textual's CSS takes it: Textual's reading of a name both know
    ("red" is #FF0000, not the terminal's dim ANSI red), else Rich's (bright_red, dark_orange, grey50);
    None for no colour or one neither knows."""
    if not value:
        return None
    from textual.color import Color, ColorParseError

    try:
        return Color.parse(value).hex
    except ColorParseError:
        pass
    from rich.color import Color as RichColor
    from rich.color import ColorParseError as RichColorParseError

    try:
        parsed = RichColor.parse(value)
    except RichColorParseError:
        return None
    return None if parsed.is_default else parsed.get_truecolor().hex.upper()


def css_variables(color: str | None) -> dict[str, str]:
    """The variable app.tcss reads (the app's get_theme_variable_defaults adds it)."""
    return {VARIABLE: color or _UNUSED}


def show_header_color(app: ActuiApp, value: str | None) -> None:
    """The header in the colour `value` (a profile's `color`; None: the theme's) from now on: the app's
    `header_color`, its class, and the stylesheet's variable (a running app restyles every screen, so only
    when the colour changes)."""
    color = css_color(value)
    if color == app.header_color:
        return
    app.header_color = color
    app.set_class(color is not None, CLASS)
    if app.is_running:
        app.refresh_css(animate=False)
    else:   # at start: before the stylesheet is first parsed, the variable is enough
        app.stylesheet.set_variables(app.get_css_variables())


def header_title(title: str, sub_title: str) -> Content:
    """The header's words on a profile's colour: the profile's name (the sub-title) in bold, where Textual
    dims it (a dim name on red is hard to read, and it is the point of the colour)."""
    from textual.content import Content

    return Content.assemble(Content(title), " — ", Content(sub_title).stylize("bold")) if sub_title else Content(title)
