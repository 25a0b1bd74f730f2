"""One label per field: the detail and the editor's form name every field they share the same way."""

from __future__ import annotations

from actui.core.detail_view import SETTINGS_SECTIONS, detail_sections
from actui.core.field_catalogue import camel_words, label, label_in_parent, section_title
from actui.core.form_spec import form_fields


def _full_document() -> dict:
    """A value at every path the form edits (and the objects holding them)."""
    doc: dict = {}
    for spec in form_fields():
        node = doc
        *parents, name = spec.path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[name] = "x"
    return doc


def test_the_detail_and_the_form_label_every_shared_field_alike():
    rows = {row.wire: row.label for section in detail_sections(_full_document(), 0) for row in section.rows}
    for spec in form_fields():
        if spec.parent.count(".") >= 2:   # a nested object listed in its parent's section in the detail
            assert rows[spec.path] == label_in_parent(spec.path)
            assert spec.section.endswith(section_title(spec.parent.rpartition(".")[2]))
        else:
            assert rows[spec.path] == spec.label == label(spec.path), spec.path


def test_settings_sections_have_one_title():
    form_titles = {spec.section for spec in form_fields()}
    for section in SETTINGS_SECTIONS:
        assert section.title in form_titles, section.id
    assert section_title("settings") == "Limits"


def test_the_labels_where_the_detail_and_the_form_disagreed():
    assert label("settings.optOut.textResponse") == "Reply"
    assert label("settings.optIn.message") == "Reply"
    assert label("userId") == "User"
    assert label_in_parent("settings.notifications.microsoftTeams.enabled") == "Teams enabled"
    assert label_in_parent("settings.notifications.webex.enabled") == "Webex enabled"


def test_words_from_wire_names():
    assert camel_words("newThreadsOnly") == "New threads only"
    assert camel_words("isMMSEnabled") == "MMS enabled"
    assert camel_words("loaUrl") == "LOA URL"
    assert label("settings.custom.someField") == "Some field"
