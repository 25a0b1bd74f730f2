from datetime import datetime

import pytest

from actui.api.value_checks import cron_problem
from actui.core.cron_words import describe

NOW = datetime(2026, 11, 15, 12, 0)   # a Sunday


@pytest.mark.parametrize("expr, words", [
    ("0 0 1 * *", "at 00:00 on day 1 of every month; next 2026-12-01 00:00"),
    ("*/15 * * * *", "every 15 minutes; next 2026-11-15 12:15"),
    ("0 9 * * 1-5", "at 09:00 on Monday to Friday; next 2026-11-16 09:00"),
    ("30 8 * * 1", "at 08:30 on Monday; next 2026-11-16 08:30"),
    ("0 0 1 1 *", "at 00:00 on 1 January; next 2027-01-01 00:00"),
    ("* * * * *", "every minute; next 2026-11-15 12:01"),
    ("45 23 * * *", "at 23:45 every day; next 2026-11-15 23:45"),
    ("0 8 * * MON,wed,Fri", "at 08:00 on Monday, Wednesday and Friday; next 2026-11-16 08:00"),
    ("0 0 * * 0,7", "at 00:00 on Sunday; next 2026-11-22 00:00"),
    ("15 10 29 2 *", "at 10:15 on 29 February; next 2028-02-29 10:15"),
])
def test_common_shapes_in_plain_words(expr, words):
    assert describe(expr, NOW) == words


@pytest.mark.parametrize("expr, words", [
    ("5 1,13 * * *", "at minute 5 past hours 1 and 13; next 2026-11-15 13:05"),
    ("0 */2 * * *", "at minute 0 past every 2nd hour; next 2026-11-15 14:00"),
    ("*/10 9-17 * * 1-5", "every 10 minutes during hours 9 to 17 on Monday to Friday; next 2026-11-16 09:00"),
    ("0 6 1 */3 *", "at 06:00 on day 1 of every 3rd month; next 2027-01-01 06:00"),
    ("0 12 * 1-3 *", "at 12:00 every day in January to March; next 2027-01-01 12:00"),
    ("0 0 1,15 * 1", "at 00:00 on days 1 and 15 of the month or on Monday; next 2026-11-16 00:00"),
    ("5-30/5 3 * * *", "every 5th minute from 5 to 30 during hour 3; next 2026-11-16 03:05"),
])
def test_anything_else_field_by_field_and_still_exact(expr, words):
    assert describe(expr, NOW) == words


def test_the_next_run_counts_from_now():
    assert describe("0 0 1 * *", datetime(2027, 3, 1, 0, 0)).endswith("; next 2027-04-01 00:00")
    assert "; next " in describe("0 0 1 * *")   # defaults to the current time


@pytest.mark.parametrize("expr", ["", "every day", "0 0 1 *", "0 0 1 * * *", "0 0 32 * *", "61 * * * *"])
def test_invalid_expressions_raise_the_models_message(expr):
    with pytest.raises(ValueError) as caught:
        describe(expr, NOW)
    assert str(caught.value) == cron_problem(expr)
