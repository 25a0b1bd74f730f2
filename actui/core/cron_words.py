"""A 5-field cron expression in words, with its next run: what the editor shows under optOut.periodicCron.

The words come from cron-descriptor (it knows L, W, # and names: "on the last day of the month", "on the
second Monday of the month"); croniter validates the expression and finds the next run.
"""

from __future__ import annotations

from datetime import datetime

from ..api.value_checks import cron_problem

_WEEKDAY_NUMBERS = {name: str(n) for n, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}


def describe_schedule(expr: str, now: datetime | None = None) -> str:
    """'0 9 * * 1-5' -> 'at 09:00, Monday through Friday; next 2026-06-01 09:00'. ValueError when invalid."""
    problem = cron_problem(expr)
    if problem:
        raise ValueError(problem)
    from croniter import croniter

    following = croniter(expr, now or datetime.now()).get_next(datetime)
    return f"{schedule_words(expr)}; next {following:%Y-%m-%d %H:%M}"


def schedule_words(expr: str) -> str:
    """A valid 5-field expression in words, starting lower-case; the expression itself where
    cron-descriptor cannot read what croniter accepts."""
    from cron_descriptor import ExpressionDescriptor, FormatException, Options, WrongArgumentException

    options = Options()
    options.use_24hour_time_format = True
    minute, hour, day, month, weekday = expr.split()
    try:
        text = ExpressionDescriptor(" ".join((minute, hour, day, month, _one_sunday(weekday))),
                                    options).get_description()
    except (FormatException, WrongArgumentException):
        return f"as written: {expr}"
    return text[:1].lower() + text[1:]


def _one_sunday(weekday: str) -> str:
    """The weekday list without a day named twice (0 and 7 are both Sunday): cron-descriptor would say
    "Sunday and Sunday"."""
    seen: set[str] = set()
    kept: list[str] = []
    for part in weekday.split(","):
        day = _WEEKDAY_NUMBERS.get(part.lower(), part)
        day = "0" if day == "7" else day
        if day not in seen:
            seen.add(day)
            kept.append(part)
    return ",".join(kept)
