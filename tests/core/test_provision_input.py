import pytest

from actui.api.errors import FieldProblem, InvalidInput
from actui.core.provision_input import build_request, parse_csv, parse_number_lines
from tests.helpers import TENANT


def lines(problems: list[FieldProblem]) -> list[str]:
    return [str(p) for p in problems]


# --- pasted numbers -------------------------------------------------------------------------------


def test_numbers_one_per_line_in_any_common_form():
    text = "# front desk\n+14155551234\n\n(415) 555-1235\n415.555.1236   # spare\n  \n"
    numbers, problems = parse_number_lines(text)
    assert numbers == ["+14155551234", "+14155551235", "+14155551236"]
    assert problems == []


def test_bad_lines_and_duplicates_are_reported_by_line_and_good_ones_kept():
    text = "+14155551234\nhello\n415-555-1234\n+1415555123\n+14155551237\n"
    numbers, problems = parse_number_lines(text)
    assert numbers == ["+14155551234", "+14155551237"]
    assert [p.field for p in problems] == ["line 2", "line 3", "line 4"]
    assert problems[1].message == "+14155551234 is already on line 1"
    assert "not a phone number" in problems[0].message


def test_national_numbers_follow_the_country():
    numbers, problems = parse_number_lines("020 7183 8750\n", country="GB")
    assert (numbers, problems) == (["+442071838750"], [])


# --- CSV ------------------------------------------------------------------------------------------

GOOD = """number,email,description,platformType,provisionType,provisionClass,campaignId,brandId,billingPlan
+14155551234,support@example.com,Support,TeamsIndividual,SMSMMS,P2P,,,P2P500
+14155551235,sales@example.com,"Sales, west",zoom,sms,a2p,C1,B1,a2p250
"""


def test_good_csv_becomes_entries():
    entries, problems = parse_csv(GOOD)
    assert problems == []
    assert entries == [
        {"number": "+14155551234", "email": "support@example.com", "description": "Support",
         "platformType": "TeamsIndividual", "messagingFeature": {"provisionType": "SMSMMS", "provisionClass": "P2P"},
         "billingPlan": "P2P500"},
        {"number": "+14155551235", "email": "sales@example.com", "description": "Sales, west",
         "platformType": "Zoom", "messagingFeature": {"provisionType": "SMS", "provisionClass": "A2P"},
         "campaignId": "C1", "brandId": "B1", "billingPlan": "A2P250"},
    ]


def test_friendly_header_names_any_case():
    text = "Phone Number;Email;Platform;Type;Class;Campaign;Brand;Plan;LOA URL;Domain\n" \
           "(415) 555-1234;a@example.com;WebexSpace;MMS;A2P;C9;B9;A2P1000;https://x.example/l;example.com\n"
    entries, problems = parse_csv(text)
    assert problems == []
    assert entries == [{"number": "+14155551234", "email": "a@example.com", "platformType": "WebexSpace",
                        "messagingFeature": {"provisionType": "MMS", "provisionClass": "A2P"},
                        "campaignId": "C9", "brandId": "B9", "billingPlan": "A2P1000",
                        "loaUrl": "https://x.example/l", "domain": "example.com"}]


def test_bad_rows_are_reported_with_line_and_field_and_good_rows_kept():
    text = (
        "number,email,type,class,campaign,brand,plan\n"      # line 1
        "+14155551234,a@example.com,SMS,P2P,,,\n"           # 2 good
        "+14155551235,not-an-email,SMS,P2P,,,\n"            # 3
        "+14155551236,,SMS,B2B,,,\n"                        # 4
        "\n"                                                # 5 blank
        "4155551237,,SMS,P2P,,,\n"                          # 6 good (national)
        "+14155551238,,SMS,A2P,,B1,\n"                      # 7
        "+1415555123,,SMS,P2P,,,\n"                         # 8
        "+14155551239,,SMS,P2P,,,A2P250\n"                  # 9
        "+14155551240,,SMS,P2P,,,P2P9000\n"                 # 10
        ",a@example.com,SMS,P2P,,,\n"                       # 11
    )
    entries, problems = parse_csv(text)
    assert [e["number"] for e in entries] == ["+14155551234", "+14155551237"]
    assert lines(problems)[1:5] == [
        "line 4: provisionClass: must be P2P or A2P",
        "line 7: campaignId: required for A2P numbers",
        "line 8: number: '+1415555123' is not a valid phone number",
        "line 9: billingPlan: A2P250 is not a P2P plan",
    ]
    assert lines(problems)[0].startswith("line 3: email: 'not-an-email' is not a valid email address")
    assert lines(problems)[5].startswith("line 10: billingPlan: must be one of ")
    assert lines(problems)[6] == "line 11: number: required"
    assert len(problems) == 7


def test_a2p_without_campaign_or_brand():
    entries, problems = parse_csv("number,class,type\n+14155551234,A2P,SMS\n")
    assert entries == []
    assert lines(problems) == ["line 2: campaignId: required for A2P numbers",
                               "line 2: brandId: required for A2P numbers"]


def test_unknown_columns_reported_once_and_ignored():
    text = "number,colour,email,\n+14155551234,red,a@example.com,\n+14155551235,blue,,\n"
    entries, problems = parse_csv(text)
    assert entries == [{"number": "+14155551234", "email": "a@example.com"}, {"number": "+14155551235"}]
    assert len(problems) == 1
    assert problems[0].field == "line 1" and problems[0].message.startswith("unknown column 'colour' is ignored")


def test_duplicates_are_reported_on_the_later_line():
    text = "number\n+14155551234\n(415) 555-1234\n+14155551235\n"
    entries, problems = parse_csv(text)
    assert [e["number"] for e in entries] == ["+14155551234", "+14155551235"]
    assert lines(problems) == ["line 3: number: +14155551234 is already on line 2"]


def test_line_numbers_count_physical_lines_of_multiline_cells():
    text = 'number,description\n+14155551234,"two\nlines"\n+1415555123,x\n'
    entries, problems = parse_csv(text)
    assert entries[0]["description"] == "two\nlines"
    assert problems[0].field == "line 4"


def test_no_number_column():
    entries, problems = parse_csv("email,description\na@example.com,x\n")
    assert entries == [] and "no number column" in problems[-1].message


def test_a_row_with_more_cells_than_the_header():
    entries, problems = parse_csv("number,description\n+14155551234,Sales, west\n")
    assert entries == [] and "has 3 cells but the header has 2" in lines(problems)[0]


def test_national_format_follows_the_country_and_a_bom_is_ignored():
    entries, problems = parse_csv("\ufeffNumber\n020 7183 8750\n", country="GB")
    assert (entries, problems) == ([{"number": "+442071838750"}], [])


def test_form_defaults_are_part_of_the_row_check():
    text = "number,campaign\n+14155551234,C1\n+14155551235,\n"
    # without defaults nothing says the class yet: not a problem
    assert parse_csv(text)[1] == []
    entries, problems = parse_csv(text, defaults={"type": "SMS", "class": "A2P", "brandId": "B1"})
    assert entries == [{"number": "+14155551234", "campaignId": "C1"}]   # the row's own cells only
    assert lines(problems) == ["line 3: campaignId: required for A2P numbers"]
    _, problems = parse_csv(text, defaults={"type": "SMS"})
    assert lines(problems) == ["line 2: provisionClass: required (a column or a form default)",
                               "line 3: provisionClass: required (a column or a form default)"]


# --- the request ----------------------------------------------------------------------------------


def test_build_request_fills_defaults_where_entries_lack_them():
    entries = [{"number": "+14155551234", "email": "own@example.com",
                "messagingFeature": {"provisionClass": "A2P"}, "campaignId": "C1", "brandId": "B1"},
               "+14155551235"]
    defaults = {"type": "SMSMMS", "class": "P2P", "email": "desk@example.com", "platform": "TeamsIndividual",
                "description": ""}
    request = build_request(entries, defaults, TENANT)
    assert request == {
        "action": "Provision", "tenantId": TENANT,
        "phoneNumbers": [
            {"number": "+14155551234", "email": "own@example.com", "platformType": "TeamsIndividual",
             "campaignId": "C1", "brandId": "B1",
             "messagingFeature": {"provisionType": "SMSMMS", "provisionClass": "A2P"}},
            {"number": "+14155551235", "email": "desk@example.com", "platformType": "TeamsIndividual",
             "messagingFeature": {"provisionType": "SMSMMS", "provisionClass": "P2P"}},
        ],
    }
    assert entries[1] == "+14155551235" and "platformType" not in entries[0]   # inputs untouched


def test_build_request_refuses_an_invalid_request():
    with pytest.raises(InvalidInput) as caught:
        build_request(["+14155551234"], {"type": "SMS", "class": "A2P"}, TENANT)
    assert caught.value.fields == {"phoneNumbers[0].campaignId": "required for A2P numbers",
                                   "phoneNumbers[0].brandId": "required for A2P numbers"}
    with pytest.raises(InvalidInput) as caught:
        build_request(["+14155551234"], {"type": "SMS", "class": "P2P"}, "not-a-guid")
    assert "tenantId" in caught.value.fields
