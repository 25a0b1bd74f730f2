import copy

import pytest

from actui.core.checks import check_document, check_field


def good_document() -> dict:
    """An editor state with every form field filled in: no problems."""
    return {
        "userId": "support@example.com", "platformType": "TeamsIndividual", "description": "Support",
        "externalId": "X1", "campaignId": "C67890", "brandId": "B12345", "loaUrl": "https://x.example/loa",
        "isActivated": True, "isMMSEnabled": True, "billingPlanName": "1000",
        "settings": {
            "notifications": {"enableSound": True, "selectedSound": "chime.mp3",
                              "microsoftTeams": {"enabled": True, "notificationName": "SMS"},
                              "webex": {"enabled": False}},
            "autoResponse": {"enabled": True, "message": "Thanks!", "newThreadsOnly": True},
            "optIn": {"enabled": True, "name": "News", "text": "START", "message": "In",
                      "allText": "START ALL", "allMessage": "All in"},
            "optOut": {"enabled": True, "text": "STOP", "textResponse": "Out", "allText": "STOP ALL",
                       "allTextResponse": "All out", "periodicEnabled": True, "periodicCron": "0 0 1 * *"},
            "autoForward": {"enabled": True, "emailAddresses": ["a@example.com", "b@example.com"]},
            "outOfOffice": {"enabled": True, "message": "Away", "startDate": "2025-01-15T00:00:00Z",
                            "endDate": "2025-01-16T23:59:59Z"},
            "signature": {"enabled": True, "message": "\n--\nAcme"},
            "aiSettings": {"isEnabled": False, "responseGenerationContext": "Be nice."},
            "rateLimit": 1000, "noOutboundTexts": False,
            "customVendorThing": {"kept": True},
        },
    }


def with_(path: str, value, doc=None) -> dict:
    doc = copy.deepcopy(doc or good_document())
    node = doc
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    if value is _DELETE:
        node.pop(last, None)
    else:
        node[last] = value
    return doc


_DELETE = object()


def problems(doc) -> dict[str, str]:
    return {p.field: p.message for p in check_document(doc)}


def test_a_good_document_has_no_problems():
    assert check_document(good_document()) == []
    assert check_document({}) == []


def test_model_problems_are_reported_with_their_paths():
    doc = with_("platformType", "Slack", with_("settings.optOut.periodicCron", "every day"))
    found = problems(doc)
    assert found["platformType"].startswith("must be one of")
    assert "5-field cron" in found["settings.optOut.periodicCron"]


@pytest.mark.parametrize("section", ["optIn", "optOut"])
@pytest.mark.parametrize("value", ["", "   ", None, _DELETE])
def test_an_enabled_section_needs_its_keyword(section, value):
    doc = with_(f"settings.{section}.text", value)
    assert "keyword is required" in problems(doc)[f"settings.{section}.text"]
    assert check_document(with_(f"settings.{section}.enabled", False, doc)) == []


def test_keyword_required_even_when_another_field_of_the_section_is_invalid():
    # pydantic skips the section's own rule once a field fails; the editor must not
    doc = with_("settings.optOut.text", "", with_("settings.optOut.periodicCron", "bad"))
    assert set(problems(doc)) == {"settings.optOut.text", "settings.optOut.periodicCron"}


def test_opt_in_and_opt_out_keywords_may_not_overlap():
    doc = with_("settings.optIn.text", "STOP", with_("settings.optOut.text", "stop"))
    found = problems(doc)
    assert found["settings.optIn.text"] == "the opt-in keyword is also the opt-out keyword"
    assert found["settings.optOut.text"] == "the opt-out keyword is also the opt-in keyword"
    assert len(found) == 2


def test_keywords_overlap_across_text_and_all_text():
    doc = with_("settings.optIn.allText", " Stop All ")
    found = problems(doc)
    assert found == {"settings.optIn.allText": "the opt-in 'all' keyword is also the opt-out 'all' keyword",
                     "settings.optOut.allText": "the opt-out 'all' keyword is also the opt-in 'all' keyword"}
    found = problems(with_("settings.optIn.text", "stop all"))
    assert found["settings.optOut.allText"] == "the opt-out 'all' keyword is also the opt-in keyword"


def test_out_of_office_needs_both_dates_while_on():
    doc = with_("settings.outOfOffice.startDate", None, with_("settings.outOfOffice.endDate", _DELETE))
    found = problems(doc)
    assert found == {"settings.outOfOffice.startDate": "required while out of office is on",
                     "settings.outOfOffice.endDate": "required while out of office is on"}
    assert check_document(with_("settings.outOfOffice.enabled", False, doc)) == []


@pytest.mark.parametrize("end", ["2025-01-14T00:00:00Z", "2025-01-15T00:00:00Z", "2025-01-14T18:00:00-05:00"])
def test_end_date_must_be_after_start_date(end):
    found = problems(with_("settings.outOfOffice.endDate", end))
    assert found == {"settings.outOfOffice.endDate": "must be after the start date"}


def test_a_date_that_is_not_iso_is_reported_by_the_model():
    found = problems(with_("settings.outOfOffice.endDate", "next monday"))
    assert "ISO 8601" in found["settings.outOfOffice.endDate"]


def test_auto_forward_needs_an_address_while_on():
    for empty in ([], [""], None, _DELETE):
        found = problems(with_("settings.autoForward.emailAddresses", empty))
        assert found == {"settings.autoForward.emailAddresses": "add at least one address while auto-forward is on"}
    assert check_document(with_("settings.autoForward.enabled", False,
                                with_("settings.autoForward.emailAddresses", []))) == []


def test_every_bad_address_is_reported_at_its_index():
    addresses = ["a@example.com", "nobody", "b@example.com", "x@", "c@example.com"]
    found = problems(with_("settings.autoForward.emailAddresses", addresses))
    assert set(found) == {"settings.autoForward.emailAddresses[1]", "settings.autoForward.emailAddresses[3]"}
    assert "'nobody' is not a valid email address" in found["settings.autoForward.emailAddresses[1]"]


def test_negative_rate_limit():
    assert problems(with_("settings.rateLimit", -1)) == {"settings.rateLimit": "must be a non-negative integer"}
    assert check_document(with_("settings.rateLimit", 0)) == []


def test_problems_come_in_form_order():
    doc = with_("settings.rateLimit", -5, with_("billingPlanName", "42", with_("settings.optIn.text", "STOP")))
    assert [p.field for p in check_document(doc)] == [
        "billingPlanName", "settings.optIn.text", "settings.optOut.text", "settings.rateLimit"]


def test_read_only_fields_in_the_state_are_not_problems():
    # they are never sent (update_patch keeps only updatable fields)
    assert check_document({**good_document(), "phoneNumber": "+14155551234", "status": "Active"}) == []


def test_check_field_reports_only_that_field():
    doc = with_("settings.optIn.text", "STOP", with_("settings.rateLimit", -1))
    assert check_field(doc, "settings.optIn.text") == "the opt-in keyword is also the opt-out keyword"
    assert check_field(doc, "settings.rateLimit") == "must be a non-negative integer"
    assert check_field(doc, "description") is None
    doc = with_("settings.autoForward.emailAddresses", ["bad", "a@example.com", "worse"])
    message = check_field(doc, "settings.autoForward.emailAddresses")
    assert "'bad'" in message and "'worse'" in message
    assert "'worse'" in check_field(doc, "settings.autoForward.emailAddresses[2]")


# --- only what the user changed is judged (issue 9: odd values on the server never block a save) ----


def odd_on_the_server() -> dict:
    """A number as loaded, holding values the client's rules dislike."""
    doc = with_("billingPlanName", "P2P Legacy")
    doc = with_("settings.optOut.periodicCron", "@daily", doc)
    doc = with_("settings.autoForward.emailAddresses", ["ops@@example.com", "b@example.com"], doc)
    doc = with_("settings.outOfOffice.endDate", "2025-01-10T00:00:00Z", doc)   # before the start
    return with_("settings.rateLimit", "abc", doc)


def test_odd_values_already_there_do_not_block_another_field():
    original = odd_on_the_server()
    edited = with_("description", "Front desk", original)
    assert check_document(edited, original) == []
    assert check_field(edited, "billingPlanName", original) is None
    assert {p.field for p in check_document(edited)} >= {   # judged whole, they would all block
        "billingPlanName", "settings.optOut.periodicCron", "settings.autoForward.emailAddresses[0]",
        "settings.outOfOffice.endDate", "settings.rateLimit"}


def test_a_changed_field_is_still_judged():
    original = odd_on_the_server()
    assert set(problems(with_("settings.optOut.periodicCron", "@weekly", original))) >= {"settings.optOut.periodicCron"}
    edited = with_("settings.optOut.periodicCron", "@weekly", original)
    assert [p.field for p in check_document(edited, original)] == ["settings.optOut.periodicCron"]
    edited = with_("billingPlanName", "Gold", original)
    assert [p.field for p in check_document(edited, original)] == ["billingPlanName"]


def test_a_rule_spanning_fields_is_judged_when_one_of_them_changed():
    original = odd_on_the_server()
    moved = with_("settings.outOfOffice.startDate", "2025-01-12T00:00:00Z", original)
    assert [p.field for p in check_document(moved, original)] == ["settings.outOfOffice.endDate"]
    # a keyword the user types that clashes with one already stored on the other side
    typed = with_("settings.optIn.text", "stop", good_document())
    assert {p.field for p in check_document(typed, good_document())} == {
        f"{IN}.text", f"{OUT}.text"}
    # switching a section on while its stored keyword is empty
    blank = with_(f"{OUT}.enabled", False, with_(f"{OUT}.text", ""))
    assert [p.field for p in check_document(with_(f"{OUT}.enabled", True, blank), blank)] == [f"{OUT}.text"]


def test_only_new_addresses_of_a_list_are_judged():
    original = odd_on_the_server()
    added = with_("settings.autoForward.emailAddresses", ["ops@@example.com", "b@example.com", "c@@x"], original)
    assert [p.field for p in check_document(added, original)] == ["settings.autoForward.emailAddresses[2]"]


def test_preexisting_lists_odd_values_for_flagging():
    from actui.core.checks import preexisting

    found = {p.field: p.message for p in preexisting(odd_on_the_server())}
    assert found["settings.rateLimit"] == "not a number: abc"   # the type, in words
    assert "must be one of" in found["billingPlanName"]
    assert "cron" in found["settings.optOut.periodicCron"]
    assert "ops@@example.com" in found["settings.autoForward.emailAddresses[0]"]
    assert found["settings.outOfOffice.endDate"] == "must be after the start date"
    assert preexisting(good_document()) == []
    odd_section = with_("settings.optOut", "STOP")
    assert {p.field: p.message for p in preexisting(odd_section)} == {"settings.optOut": "not an object: STOP"}


IN, OUT = "settings.optIn", "settings.optOut"
