import pytest

from actui.core.sms import GSM_BASIC, describe_segments, segments


@pytest.mark.parametrize("text, encoding, characters, count, per_segment, remaining", [
    ("", "GSM-7", 0, 0, 160, 160),
    ("Hello", "GSM-7", 5, 1, 160, 155),
    ("a" * 160, "GSM-7", 160, 1, 160, 0),
    ("a" * 161, "GSM-7", 161, 2, 153, 145),
    ("a" * 306, "GSM-7", 306, 2, 153, 0),
    ("a" * 307, "GSM-7", 307, 3, 153, 152),
    ("€", "GSM-7", 2, 1, 160, 158),
    ("a" * 159 + "€", "GSM-7", 161, 2, 153, 145),
    ("中" * 70, "UCS-2", 70, 1, 70, 0),
    ("中" * 71, "UCS-2", 71, 2, 67, 63),
    ("😀", "UCS-2", 2, 1, 70, 68),
    ("😀" * 35, "UCS-2", 70, 1, 70, 0),
    ("😀" * 36, "UCS-2", 72, 2, 67, 61),
])
def test_known_counts(text, encoding, characters, count, per_segment, remaining):
    info = segments(text)
    assert (info.encoding, info.characters, info.segments, info.per_segment, info.remaining) == (
        encoding, characters, count, per_segment, remaining)


def test_every_extension_character_takes_two_septets():
    for char in "^{}\\[~]|€":
        assert segments(char).characters == 2, char
    assert segments("Ünïcödé? no: Ü ö ñ are GSM").encoding == "UCS-2"   # ï is not in GSM-7
    assert segments("Ü ö ñ à é").encoding == "GSM-7"
    assert len(GSM_BASIC) == 127   # 128 code points less the escape


def test_a_two_unit_character_is_never_split_across_parts():
    # 152 septets then an escape pair: the pair does not fit the first part's last septet
    info = segments("a" * 152 + "€" + "a" * 10)
    assert (info.characters, info.segments, info.remaining) == (164, 2, 153 - 12)
    info = segments("a" * 66 + "😀" + "中" * 10)
    assert (info.characters, info.segments, info.remaining) == (78, 2, 67 - 12)


def test_one_smart_quote_switches_the_whole_message_to_ucs2_and_says_which():
    info = segments("It’s here — " + "a" * 80)
    assert info.encoding == "UCS-2" and info.segments == 2
    assert info.non_gsm == ("’", "—")


def test_describe_segments():
    assert describe_segments("a" * 190) == "2 SMS segments (GSM-7, 190/306 characters)"
    assert describe_segments("Hi") == "1 SMS segment (GSM-7, 2/160 characters)"
    assert describe_segments("") == "0 SMS segments (GSM-7, 0/160 characters)"
    assert describe_segments("中" * 71) == "2 SMS segments (UCS-2, 71/134 characters)"
