"""Screens keep their CSS in .tcss files beside their modules; `css_beside` reads one into DEFAULT_CSS.

Not CSS_PATH: Textual loads a screen's CSS_PATH when the screen is first pushed by re-parsing the whole
stylesheet and restyling every node (60-480 ms measured on the first open of each screen, with the
inventory behind it), and that CSS would apply app-wide and above every widget's own. As DEFAULT_CSS the
rules are parsed alone, once, below app.tcss, as they were written.
"""

from __future__ import annotations

from pathlib import Path


def css_beside(module_file: str, name: str) -> str:
    """The text of the .tcss file `name` in the folder of `module_file` (a module's __file__)."""
    return (Path(module_file).parent / name).read_text(encoding="utf-8")
