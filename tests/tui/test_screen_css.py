"""Screens' CSS lives in .tcss files beside them (read into DEFAULT_CSS), shipped as package data; every dialog
is centred."""

import importlib
import importlib.resources
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.app import App
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList

import actui
import actui.tui
from actui.tui.app import ActuiApp
from actui.tui.screens.diff import ChangeRow, DiffScreen, LeaveScreen, RestoreDraftScreen
from actui.tui.screens.edit_conflict import ConflictRow, EditConflictScreen
from actui.tui.screens.modal import ModalDialog
from actui.tui.screens.prompts import ChoiceScreen
from tests.helpers import until

ROOT = Path(actui.__file__).parent


def _tui_classes():
    for info in pkgutil.walk_packages(actui.tui.__path__, "actui.tui."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == module.__name__:
                yield cls


SCREENS = [cls for cls in _tui_classes() if issubclass(cls, Screen)]
TCSS = sorted(ROOT.rglob("*.tcss"))


def _read_by(cls) -> Path | None:
    """The .tcss file a screen's own DEFAULT_CSS was read from, if any."""
    css = cls.__dict__.get("DEFAULT_CSS")
    return next((path for path in TCSS if css and path.read_text(encoding="utf-8") == css), None)


def test_no_screen_keeps_its_css_in_the_module():
    assert SCREENS and [cls.__name__ for cls in SCREENS
                        if "DEFAULT_CSS" in cls.__dict__ and _read_by(cls) is None] == []
    # CSS_PATH would be loaded with a reparse of the whole stylesheet on each first push (see screens/tcss.py)
    assert [cls.__name__ for cls in SCREENS if cls.CSS_PATH is not None] == []


def test_every_tcss_is_read_and_is_package_data():
    read = {_read_by(cls) for cls in SCREENS} | {Path(inspect.getfile(ActuiApp)).parent / ActuiApp.CSS_PATH}
    assert set(TCSS) == read - {None}
    for path in TCSS:
        relative = path.relative_to(ROOT)
        assert importlib.resources.files("actui").joinpath(*relative.parts).is_file(), relative


def test_a_build_ships_every_tcss(tmp_path):
    """What a non-editable install gets: setuptools' build_py with pyproject's package-data."""
    pytest.importorskip("setuptools")  # the build backend; a venv made by python3 -m venv has it
    subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
                    "--build-lib", str(tmp_path)], cwd=ROOT.parent, check=True, capture_output=True)
    built = {path.relative_to(tmp_path / "actui") for path in (tmp_path / "actui").rglob("*.tcss")}
    assert TCSS and built == {path.relative_to(ROOT) for path in TCSS}


ROW = ChangeRow("description", "Number · Description", "old", "new")
DIALOGS = {
    "diff": lambda: DiffScreen([ROW], "+13125555622"),
    "leave": lambda: LeaveScreen(["Opt-out · Keyword"]),
    "restore-draft": lambda: RestoreDraftScreen("15:50", [ROW], ["Number · Description"]),
    "conflict": lambda: EditConflictScreen("+13125555622", [ConflictRow("description", "Description", "a", "b", "c")],
                                           []),
}


@pytest.mark.parametrize("make", DIALOGS.values(), ids=DIALOGS.keys())
async def test_the_editors_dialogs_are_centred_like_the_others(make):
    app = App()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = make()
        assert isinstance(screen, ModalDialog)
        await app.push_screen(screen)
        await until(pilot, lambda: screen.query_one(".dialog").region.height > 0)
        box = screen.query_one(".dialog", Vertical).region
        above, below = box.y, 30 - box.bottom
        left, right = box.x, 100 - box.right
        assert abs(above - below) <= 1 and abs(left - right) <= 1, (box, above, below)


async def test_the_sort_choice_keeps_its_list_border_when_focused():
    """As it has always been drawn: its `border: none` (default CSS) loses to OptionList's own :focus rule,
    which a CSS_PATH or app.tcss rule would not."""
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ChoiceScreen("Sort by", [("number", "Number"), ("status", "Status")])
        await app.push_screen(screen)
        await until(pilot, lambda: screen.query_one(OptionList).has_focus)
        options = screen.query_one(OptionList)
        assert options.styles.border_top[0] == "tall"


def _first_names(path: Path) -> set[str]:
    from textual.css.stylesheet import Stylesheet

    sheet = Stylesheet(variables=App().get_css_variables())
    sheet.read(path)
    sheet.parse()
    return {selectors.selectors[0].name for rule in sheet.rules for selectors in rule.selector_set}


@pytest.mark.parametrize("path", [path for path in TCSS if path.parent.name == "screens"], ids=lambda p: p.name)
def test_every_rule_of_a_screen_file_names_a_screen(path):
    """dialogs.tcss is read unscoped (and a screen's own file is scoped to it only because its rules start
    with its name): a rule that starts with a widget or a class would reach every screen."""
    screen_names = {base.__name__ for screen in SCREENS for base in screen.__mro__
                    if base.__module__.startswith("actui.") and issubclass(base, Screen)}
    assert _first_names(path) <= screen_names
