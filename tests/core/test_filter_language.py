"""The filter language: today's terms, path terms with each operator, lists, absent fields, or/and/not,
parentheses, quotes, and the errors; every query run both ways (per row and over the list) must agree."""

from __future__ import annotations

import pytest

from actui.core.filtering import ABSENT, DocValues, FilterError, compile_filter, narrows
from actui.core.inventory import Row


def doc(number, *, status="Active", cls="P2P", description="Support line", plan="500", **top):
    settings = top.pop("settings", None)
    document = {"phoneNumber": number, "status": status, "provisionClass": cls, "provisionType": "SMS",
                "platformType": "Zoom", "userId": "ann@acme.com", "email": "support@acme.com",
                "description": description, "billingPlanName": plan, **top}
    if settings is not None:
        document["settings"] = settings
    return document


DOCS = [
    doc("+14155550001", externalId="CRM-1", campaignId="C1", cls="A2P", settings={
        "optOut": {"enabled": False, "text": "STOP"}, "rateLimit": 1000,
        "autoForward": {"enabled": True, "emailAddresses": ["lead0@example.com", "desk@example.com"]},
        "outOfOffice": {"enabled": True, "startDate": "2025-12-20T00:00:00Z", "endDate": "2025-12-31T23:59:59Z"},
        "businessHours": {"open": "08:30"}}),
    doc("+14155550002", externalId="", campaignId=None, settings={
        "optOut": {"enabled": True, "text": "STOP"}, "rateLimit": 250,
        "autoForward": {"enabled": True, "emailAddresses": ["boss@example.com"]},
        "outOfOffice": {"enabled": False, "endDate": "2026-01-01T00:00:00Z"},
        "businessHours": {"open": "9:00"}}, tags=["west", "sales"]),
    doc("+14155550003", status="Inactive", description="Sales West", settings={
        "optOut": {"enabled": True}, "rateLimit": "abc",                    # odd data: a text limit
        "outOfOffice": {"endDate": "not a date"}}),
    doc("+14155550004", cls="A2P", plan="2000"),                              # no settings at all
]
ROWS = [Row.from_wire(d) for d in DOCS]
VALUES = DocValues({d["phoneNumber"]: d for d in DOCS})


def found(query: str, values=VALUES) -> list[str]:
    """The last four digits of every match, checked to be the same per row and over the list."""
    flt = compile_filter(query, values)
    per_row = [row.number[-4:] for row in ROWS if flt(row, values)]
    selected = [row.number[-4:] for row in flt.select(ROWS, values)]
    assert per_row == selected, query
    return selected


@pytest.mark.parametrize("query, expected", [
    # today's terms, unchanged
    ("0003", ["0003"]), ("(415) 555-0002", ["0002"]), ("sales", ["0003"]), ("class:a2p", ["0001", "0004"]),
    ("provisionClass:A2P", ["0001", "0004"]), ("provision_class:a2p", ["0001", "0004"]),
    ("!inactive", ["0001", "0002", "0004"]), ('"sales west"', ["0003"]), ("description:'sales west'", ["0003"]),
    ("status:active support", ["0001", "0002", "0003", "0004"]), ("number:0004", ["0004"]),
    ("class:", ["0001", "0002", "0003", "0004"]),
    ("", ["0001", "0002", "0003", "0004"]), ("o'brien", []),
    # column terms with the new operators, answered from the row
    ("plan>500", ["0004"]), ("plan<=500", ["0001", "0002", "0003"]), ("class=a2", []), ("class=a2p", ["0001", "0004"]),
    ('description:""', []),
])
def test_list_column_terms(query, expected):
    assert found(query) == expected


@pytest.mark.parametrize("query, expected", [
    # booleans: true/false/yes/no, case-insensitive, any spelling of the path
    ("settings.optOut.enabled:false", ["0001"]), ("settings.optOut.enabled:no", ["0001"]),
    ("settings.optOut.enabled:TRUE", ["0002", "0003"]), ("settings.opt_out.Enabled:yes", ["0002", "0003"]),
    ("!settings.optOut.enabled:true", ["0001", "0004"]),       # negation: absent counts as not true
    # text: ":" is a case-insensitive substring, "=" the whole value
    ("settings.optOut.text:sto", ["0001", "0002"]), ("settings.optOut.text=sto", []),
    ("settings.optOut.text=stop", ["0001", "0002"]),
    # a list matches when an element does
    ("settings.autoForward.emailAddresses:lead0@example.com", ["0001"]),
    ("settings.autoForward.emailAddresses=desk@example.com", ["0001"]),
    ("settings.autoForward.emailAddresses:example.com", ["0001", "0002"]),
    ("tags:west", ["0002"]),                                   # a field the models do not know, held
    # numbers compare as numbers; text that is no number never matches
    ("settings.rateLimit>500", ["0001"]), ("settings.rateLimit>=250", ["0001", "0002"]),
    ("settings.rateLimit<251", ["0002"]), ("settings.rateLimit:250", ["0002"]), ("settings.rateLimit:25", []),
    ("settings.rateLimit:abc", ["0003"]),
    # dates: a date-only bound against the date part; a date-time as an instant; odd text never matches
    ("settings.outOfOffice.endDate<2026-01-01", ["0001"]),
    ("settings.outOfOffice.endDate<=2026-01-01", ["0001", "0002"]),
    ("settings.outOfOffice.endDate>2025-12-31", ["0002"]),
    ("settings.outOfOffice.endDate<2026-01-01T00:00:00Z", ["0001"]),
    ("settings.outOfOffice.endDate<=2026-01-01T01:00:00+01:00", ["0001", "0002"]),
    ("settings.outOfOffice.endDate>2025-12-31T23:00:00", ["0001", "0002"]),
    ("settings.outOfOffice.endDate:2025-12", ["0001"]),
    # times of day
    ("settings.businessHours.open<09:00", ["0001"]), ("settings.businessHours.open>=9:00", ["0002"]),
    # empty or absent / present
    ("externalId:", ["0002", "0003", "0004"]), ('externalId:""', ["0002", "0003", "0004"]), ("externalId:*", ["0001"]),
    ("campaignId:*", ["0001"]), ("campaignId:", ["0002", "0003", "0004"]), ("settings:", ["0004"]),
    ("settings.autoForward.emailAddresses:*", ["0001", "0002"]),
    # a section matches when one of its values does
    ("settings.optOut:stop", ["0001", "0002"]),
    # columns and paths together
    ("class:a2p settings.optOut.enabled:false", ["0001"]), ("class:a2p !campaignId:*", ["0004"]),
])
def test_path_terms(query, expected):
    assert found(query) == expected


@pytest.mark.parametrize("query, expected", [
    ("class:a2p or inactive", ["0001", "0003", "0004"]),
    ("class:a2p plan:2000 or inactive", ["0003", "0004"]),          # `and` binds tighter
    ("class:a2p (plan:2000 or crm)", ["0004"]),                       # crm: only 0001's externalId, not a column
    ("class:a2p and (plan:2000 or support)", ["0001", "0004"]),
    ("not (class:a2p or inactive)", ["0002"]), ("!(class:a2p or inactive)", ["0002"]),
    ("! inactive", ["0001", "0002", "0004"]),
    ("not not inactive", ["0003"]), ("OR_ELSE", []), ('"or" west', ["0003"]), ("()", ["0001", "0002", "0003", "0004"]),
    ("settings.rateLimit>500 or settings.optOut.enabled:true", ["0001", "0002", "0003"]),
    ("(settings.rateLimit>500 or tags:sales) !settings.optOut.enabled:false", ["0002"]),
    ("acme (415) 555", ["0001", "0002", "0003", "0004"]),            # a group of one term, as before
])
def test_or_and_not_and_parentheses(query, expected):
    assert found(query) == expected


def test_without_values_every_path_reads_absent():
    assert found("externalId:", values=None) == ["0001", "0002", "0003", "0004"]
    assert found("campaignId:*", values=None) == []
    assert compile_filter("settings.optOut.enabled:false")(ROWS[0]) is False


def test_values_offering_only_get_give_the_same_answers():
    class GetOnly:
        def get(self, number, path):
            return VALUES.get(number, path)

    for query in ("settings.optOut.enabled:false", "!settings.rateLimit>500", "externalId: or campaignId:*",
                  "settings.autoForward.emailAddresses:example.com class:p2p"):
        assert found(query, GetOnly()) == found(query), query


def test_doc_values_read_paths_lists_and_absence():
    values = DocValues({"+1": {"a": {"b": None, "items": [{"name": "x"}, {"other": 1}, {"name": "y"}]}}})
    assert values.get("+1", "a.b") is None
    assert values.get("+1", "a.c") is ABSENT and values.get("+2", "a") is ABSENT
    assert values.get("+1", "a.items.name") == ["x", "y"]   # a list met on the way is looked through
    assert values.get("+1", "a.b.c") is ABSENT
    assert values.column("a.items.name") == {"+1": ["x", "y"]} and values.column("zzz") == {}


def test_filter_tells_its_paths_and_text():
    flt = compile_filter("class:a2p settings.opt_out.enabled:false or "
                         "(settings.rateLimit>5 !settings.optOut.enabled:*)")
    assert flt.paths == ("settings.optOut.enabled", "settings.rateLimit")
    assert flt.unknown == () and flt.text.startswith("class:a2p")
    assert compile_filter("class:a2p acme").paths == () and compile_filter("").paths == ()
    assert compile_filter("tags:west", VALUES).unknown == ("tags",)


@pytest.mark.parametrize("query, message", [
    ("settings.optOut.enabeld:false",
     "unknown field 'settings.optOut.enabeld' (did you mean settings.optOut.enabled?)"),
    ("settings.optOt.enabled:false", "did you mean settings.optOut.enabled?"),
    ("stauts:active", "unknown column 'stauts' (did you mean status?)"),
    ("colour:red", "unknown column 'colour' (columns: number, status, class"),
    ("settings.bogus:1", "the fields of settings: notifications, autoResponse"),
    ("(class:a2p or inactive", "unbalanced parenthesis"), ("class:a2p)", "unbalanced parenthesis"),
    ("settings.rateLimit<abc", "'<' needs a number or a date after it (in 'settings.rateLimit<abc')"),
    ("settings.rateLimit>", "'>' needs a number or a date after it"), ("plan>=x", "'>=' needs a number or a date"),
    ("settings.outOfOffice.endDate<2026-13-01", "'<' needs a number or a date"),
    ("settings.optOut.enabled:maybe", "settings.optOut.enabled is true or false: 'maybe' is neither"),
    ("settings..rateLimit:1", "has an empty part between dots"),
    ("settings.rateLimit.max:1", "settings.rateLimit holds a number value, not fields"),
    ("a or", "'or' needs a term after it"), ("or a", "'or' needs a term before it"), ("a or or b", "'or' needs a term"),
    ("not", "'not' needs a term after it"), ("a and", "'and' needs a term on each side"),
])
def test_errors_name_the_term(query, message):
    with pytest.raises(FilterError) as raised:
        compile_filter(query)
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_an_unknown_field_nobody_holds_is_refused_and_one_somebody_holds_is_not():
    with pytest.raises(FilterError, match=r"unknown column 'tags' \(no number holds it"):
        compile_filter("tags:west", DocValues({"+1": {"phoneNumber": "+1"}}))
    with pytest.raises(FilterError, match="unknown column 'tags'"):
        compile_filter("tags:west")           # nothing says any number holds it
    assert compile_filter("settings.businessHours.open>9:00", VALUES).paths == ("settings.businessHours.open",)
    assert compile_filter("owner.name:acme").paths == ("owner.name",)   # below a field the models leave open


def test_a_typed_query_never_raises_while_evaluating_odd_values():
    odd = DocValues({row.number: {"settings": {"rateLimit": value, "optOut": {"enabled": value}},
                                  "externalId": value}
                     for row, value in zip(ROWS, [[1, "2"], {"x": None}, 1.5, "2025-01-01T99:00"], strict=True)})
    for query in ("settings.rateLimit>1", "settings.optOut.enabled:true", "externalId<2026-01-01T00:00:00Z",
                  "externalId>2024-01-01", "externalId<10:00", "externalId=1.5", "settings.rateLimit:*"):
        found(query, odd)
    assert found("settings.rateLimit>1", odd) == ["0001", "0003"]    # [1, "2"]: "2" > 1; 1.5 > 1


def test_a_store_that_holds_booleans_as_1_and_0_still_answers_boolean_terms():
    ints = DocValues({"+14155550001": {"settings": {"optOut": {"enabled": 0}}},
                      "+14155550002": {"settings": {"optOut": {"enabled": 1}}}})
    assert found("settings.optOut.enabled:false", ints) == ["0001"]
    assert found("settings.optOut.enabled:true", ints) == ["0002"]


@pytest.mark.parametrize("old, new, expected", [
    ("acm", "acme", True), ("acme", "acme sup", True), ("class:a", "class:a2p", True), ("", "x", True),
    ("acme", "acme or x", False), ("acme", "(acme)", True), ("acme", "(acme x)", True),
    ("acme x", "(acme x) or y", False),
    ("x", "!x", False), ("!x", "!xy", False), ("plan>5", "plan>50", False), ("class=a", "class=a2", False),
    ("settings.rateLimit:5", "settings.rateLimit:50", False), ("acme", "acme settings.rateLimit>5", False),
    ("acme", "acme (", False), ('description:""', 'description:"x"', False),
])
def test_narrowing_only_for_plain_terms(old, new, expected):
    assert narrows(old, new) is expected


@pytest.mark.parametrize("query, expected", [
    ('"sales we', ["0003"]),                      # an unclosed quote runs to the end: still typing
    ("'sales west'", ["0003"]), (r"sales\ west", ["0003"]), ("sales\u3000west", ["0003"]),
    ("o'brien sales", []), ("description:'sales", []),   # apostrophes are letters
    ('"not" sales', []), ("NOT sales", ["0001", "0002", "0004"]), ("sales AND west", ["0003"]),
    ('"!inactive"', []), ("!\"sales west\"", ["0001", "0002", "0004"]),
    ("09:00", []), ("settings.\x1b[2J:1", []),   # not a field name: a word to search for
])
def test_quotes_keywords_and_words(query, expected):
    assert found(query) == expected


def test_any_typed_text_compiles_or_raises_filter_error_and_never_fails_to_evaluate():
    import random

    pieces = ["a", "sales", "4155", "(", ")", "!", " ", " or ", " and ", "not ", '"', "'", "\\", ":", "=", "<",
              ">=", "*", "class", "settings.optOut.enabled", "settings.rateLimit", "tags", ".", "2026-01-01",
              "09:00", "true", "\x1b", "é", "\u202e"]
    chooser = random.Random(11)
    compiled = 0
    for _ in range(3000):
        query = "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 9)))
        try:
            flt = compile_filter(query, VALUES)
        except FilterError:
            continue
        compiled += 1
        assert [r for r in ROWS if flt(r, VALUES)] == flt.select(ROWS, VALUES), query
        narrows(query, query + "x")
    assert compiled > 1000
