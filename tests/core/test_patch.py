from actui.core.patch import apply, diff, get_path, leaves, set_path, update_patch


def test_diff_is_minimal_and_nested():
    old = {"description": "a", "settings": {"optOut": {"enabled": False, "text": "STOP"}, "rateLimit": 10,
                                            "unknown": {"k": 1}}}
    new = {"description": "a", "settings": {"optOut": {"enabled": True, "text": "STOP"}, "rateLimit": 10,
                                            "unknown": {"k": 1}}}
    assert diff(old, new) == {"settings": {"optOut": {"enabled": True}}}


def test_lists_and_types_are_sent_whole():
    old = {"settings": {"autoForward": {"emailAddresses": ["a@x.com", "b@x.com"]}}, "isActivated": 1}
    new = {"settings": {"autoForward": {"emailAddresses": ["a@x.com"]}}, "isActivated": True}
    assert diff(old, new) == {"settings": {"autoForward": {"emailAddresses": ["a@x.com"]}}, "isActivated": True}


def test_missing_keys_mean_unchanged_and_new_keys_are_sent():
    assert diff({"a": 1, "b": 2}, {"a": 1}) == {}
    assert diff({"a": 1}, {"a": 1, "c": {"d": 1}}) == {"c": {"d": 1}}


def test_update_patch_never_sends_immutable_or_read_only_fields():
    old = {"phoneNumber": "+1", "owner": "o", "status": "Active", "description": "x"}
    new = {"phoneNumber": "+2", "owner": "p", "status": "Inactive", "description": "y"}
    assert update_patch(old, new) == {"description": "y"}


def test_apply_deep_merges_like_the_server_and_round_trips_with_diff():
    doc = {"settings": {"optOut": {"text": "STOP", "enabled": False}, "keep": [1]}, "d": 1}
    change = {"settings": {"optOut": {"enabled": True}}}
    merged = apply(doc, change)
    assert merged == {"settings": {"optOut": {"text": "STOP", "enabled": True}, "keep": [1]}, "d": 1}
    assert doc["settings"]["optOut"]["enabled"] is False  # the original is untouched
    assert diff(doc, merged) == change


def test_leaves_and_paths():
    change = {"settings": {"optOut": {"enabled": True, "text": "STOP"}}, "description": "x"}
    assert dict(leaves(change)) == {"settings.optOut.enabled": True, "settings.optOut.text": "STOP",
                                    "description": "x"}
    assert get_path(change, "settings.optOut.text") == "STOP"
    assert get_path(change, "settings.nope.text", "-") == "-"
    assert set_path({}, "settings.signature.message", "--") == {"settings": {"signature": {"message": "--"}}}
