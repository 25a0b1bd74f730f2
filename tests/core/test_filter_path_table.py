"""The filter's table of known paths (generated, so that the path check needs no pydantic) is what the
models say: a model change without regenerating it fails here."""

from actui.core.filter_path_table import PATHS
from actui.core.filter_paths import known_paths, paths_from_models


def test_the_table_is_what_the_models_hold():
    assert list(PATHS) == paths_from_models()
    assert ("settings.optOut.enabled", "bool") in PATHS and len(PATHS) > 50


def test_known_paths_come_from_the_table_in_order():
    assert known_paths() == tuple(path for path, _ in PATHS)
