"""A 5-field cron expression in words, with its next run: what the editor shows under optOut.periodicCron.

Common shapes get a plain sentence ("at 09:00 on Monday to Friday"); anything else a field-by-field one
that is still exact. Day of month and weekday both restricted means either (standard cron), and says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from ..api.value_checks import cron_problem

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_NAMES = {**{m[:3].lower(): str(i) for i, m in enumerate(MONTHS, 1)},
          **{d[:3].lower(): str(i) for i, d in enumerate(WEEKDAYS)}}


def describe(expr: str, now: datetime | None = None) -> str:
    """'0 9 * * 1-5' -> 'at 09:00 on Monday to Friday; next 2026-06-01 09:00'. ValueError when invalid."""
    problem = cron_problem(expr)
    if problem:
        raise ValueError(problem)
    from croniter import croniter

    fields = [_normalise(f) for f in expr.split()]
    following = croniter(expr, now or datetime.now()).get_next(datetime)
    return f"{_words(*fields)}; next {following:%Y-%m-%d %H:%M}"


def _normalise(field: str) -> str:
    # month and weekday names (JAN, mon) to numbers, so one parser reads both forms
    return re.sub(r"[A-Za-z]{3}", lambda m: _NAMES.get(m.group().lower(), m.group()), field)


def _words(minute: str, hour: str, dom: str, month: str, dow: str) -> str:
    at = _clock(minute, hour)
    time = at or _time(minute, hour)
    any_dom, any_month, any_dow = dom in ("*", "?"), month == "*", dow in ("*", "?")

    if any_dom and any_dow:
        if any_month:
            return f"{time} every day" if at else time
        return f"{time}{' every day' if at else ''} in {_months(month)}"
    if any_dow:
        if month.isdigit() and dom.isdigit():
            return f"{time} on {int(dom)} {MONTHS[int(month) - 1]}"
        return f"{time} on {_field(dom, 'day')} of {'every month' if any_month else _months(month)}"
    days = _weekdays(dow) if any_dom else f"{_field(dom, 'day')} of the month or on {_weekdays(dow)}"
    return f"{time} on {days}" + ("" if any_month else f" in {_months(month)}")


def _clock(minute: str, hour: str) -> str | None:
    if minute.isdigit() and hour.isdigit():
        return f"at {int(hour):02d}:{int(minute):02d}"
    return None


def _time(minute: str, hour: str) -> str:
    step = re.fullmatch(r"\*/(\d+)", minute)
    if minute == "*" or (step and step.group(1) == "1"):
        words = "every minute"
    elif step:
        words = f"every {step.group(1)} minutes"
    else:
        words = _field(minute, "minute")
        words = words if words.startswith("every") else f"at {words}"
    if hour == "*":
        return words + ("" if words.startswith("every") else " past every hour")
    return f"{words} {'during' if words.startswith('every') else 'past'} {_field(hour, 'hour')}"


def _months(field: str) -> str:
    return _field(field, "month", lambda n: MONTHS[n - 1])


def _weekdays(field: str) -> str:
    return _field(field, "weekday", lambda n: WEEKDAYS[n % 7])


def _field(field: str, unit: str, name: Callable[[int], str] | None = None) -> str:
    """One cron field in words: '1,13' -> 'hours 1 and 13', '*/2' -> 'every 2nd hour', '1-5' with names
    -> 'Monday to Friday'. Tokens this does not know (L, W, #) are kept as written."""
    show = name or str
    values: list[str] = []
    steps: list[str] = []
    for part in field.split(","):
        m = re.fullmatch(r"(\*|\d+)(?:-(\d+))?(?:/(\d+))?", part)
        if not m:
            values.append(part)
            continue
        start, end, step = m.groups()
        if step:
            span = ("" if start == "*" else
                    f" from {show(int(start))}" + (f" to {show(int(end))}" if end else ""))
            steps.append(f"every {'' if step == '1' else _ordinal(int(step)) + ' '}{unit}{span}")
        elif start == "*":
            steps.append(f"every {unit}")
        elif end:
            values.append(f"{show(int(start))} to {show(int(end))}")
        else:
            values.append(show(int(start)))
    values = list(dict.fromkeys(values))   # 0,7 is Sunday twice
    plural = len(values) > 1 or any(" to " in v for v in values)
    head = [] if not values else [_join(values) if name else f"{unit}{'s' if plural else ''} {_join(values)}"]
    return _join(head + steps)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
