"""Checks of single values the guide gives rules for (a cron expression, an email address): None when the
value is good, else why not, in words for the user."""

from __future__ import annotations


def cron_problem(expr: str) -> str | None:
    """None when expr is a valid 5-field cron expression, else why not."""
    fields = expr.split()
    if len(fields) != 5:
        return f"{expr!r} is not a 5-field cron expression (minute hour day month weekday, e.g. '0 0 1 * *')"
    from croniter import croniter

    if not croniter.is_valid(expr):
        return f"{expr!r} is not a valid cron expression"
    return None


def email_problem(address: str) -> str | None:
    """None when address is a valid email address, else why not."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return f"{address!r} is not a valid email address ({str(exc).rstrip('.')})"
    return None
