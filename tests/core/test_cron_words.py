from datetime import datetime

import pytest

from actui.api.value_checks import cron_problem
from actui.core.cron_words import describe_schedule

NOW = datetime(2026, 11, 15, 12, 0)   # a Sunday


@pytest.mark.parametrize("expr, words", [
    ("0 0 1 * *", "at 00:00, on day 1 of the month; next 2026-12-01 00:00"),
    ("*/15 * * * *", "every 15 minutes; next 2026-11-15 12:15"),
    ("0 9 * * 1-5", "at 09:00, Monday through Friday; next 2026-11-16 09:00"),
    ("30 8 * * 1", "at 08:30, only on Monday; next 2026-11-16 08:30"),
    ("0 0 1 1 *", "at 00:00, on day 1 of the month, only in January; next 2027-01-01 00:00"),
    ("* * * * *", "every minute; next 2026-11-15 12:01"),
    ("45 23 * * *", "at 23:45; next 2026-11-15 23:45"),
    ("0 8 * * MON,wed,Fri", "at 08:00, only on Monday, Wednesday, and Friday; next 2026-11-16 08:00"),
    ("15 10 29 2 *", "at 10:15, on day 29 of the month, only in February; next 2028-02-29 10:15"),
])
def test_common_shapes_in_plain_words(expr, words):
    assert describe_schedule(expr, NOW) == words


@pytest.mark.parametrize("expr, words", [
    ("5 1,13 * * *", "at 01:05 and 13:05; next 2026-11-15 13:05"),
    ("0 */2 * * *", "every 2 hours; next 2026-11-15 14:00"),
    ("*/10 9-17 * * 1-5", "every 10 minutes, between 09:00 and 17:59, Monday through Friday; next 2026-11-16 09:00"),
    ("0 6 1 */3 *", "at 06:00, on day 1 of the month, every 3 months; next 2027-01-01 06:00"),
    ("0 12 * 1-3 *", "at 12:00, January through March; next 2027-01-01 12:00"),
    ("0 0 1,15 * 1", "at 00:00, on day 1 and 15 of the month, or on Monday; next 2026-11-16 00:00"),
    ("5-30/5 3 * * *", "every 5 minutes, minutes 5 through 30 past the hour, between 03:00 and 03:59; "
                       "next 2026-11-16 03:05"),
])
def test_lists_ranges_and_steps_stay_exact(expr, words):
    assert describe_schedule(expr, NOW) == words


@pytest.mark.parametrize("expr, words", [
    ("0 0 L * *", "at 00:00, on the last day of the month; next 2026-11-30 00:00"),
    ("0 9 * * MON#2", "at 09:00, on the second Monday of the month; next 2026-12-14 09:00"),
    ("0 0 15W * *", "at 00:00, on the weekday nearest day 15 of the month; next 2026-11-16 00:00"),
])
def test_last_nearest_weekday_and_nth_weekday_in_words(expr, words):
    assert describe_schedule(expr, NOW) == words


@pytest.mark.parametrize("expr", ["0 0 * * 0,7", "0 0 * * sun,7", "0 0 * * SUN,sun"])
def test_sunday_named_twice_is_said_once(expr):
    assert describe_schedule(expr, NOW) == "at 00:00, only on Sunday; next 2026-11-22 00:00"


def test_an_expression_the_describer_cannot_read_is_shown_as_written(monkeypatch):
    import cron_descriptor

    def refuse(self, *args, **kwargs):
        raise cron_descriptor.FormatException("unreadable")

    monkeypatch.setattr(cron_descriptor.ExpressionDescriptor, "get_description", refuse)
    assert describe_schedule("0 0 L * *", NOW) == "as written: 0 0 L * *; next 2026-11-30 00:00"


def test_the_next_run_counts_from_now():
    assert describe_schedule("0 0 1 * *", datetime(2027, 3, 1, 0, 0)).endswith("; next 2027-04-01 00:00")
    assert "; next " in describe_schedule("0 0 1 * *")   # defaults to the current time


@pytest.mark.parametrize("expr", ["", "every day", "0 0 1 *", "0 0 1 * * *", "0 0 32 * *", "61 * * * *"])
def test_invalid_expressions_raise_the_models_message(expr):
    with pytest.raises(ValueError) as caught:
        describe_schedule(expr, NOW)
    assert str(caught.value) == cron_problem(expr)
