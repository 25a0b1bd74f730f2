"""When and how long to wait before trying a GET or PUT again. POSTs never come here."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .errors import ActuiError, NetworkError, RateLimited, ServerError


@dataclass
class RetryPolicy:
    retries: int = 4              # attempts after the first
    base: float = 0.5             # seconds; doubles each attempt
    cap: float = 20.0             # longest back-off between attempts
    max_retry_after: float = 120.0  # a longer Retry-After is reported, not waited out
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def should_retry(self, error: ActuiError, attempt: int) -> bool:
        if attempt > self.retries:
            return False
        if isinstance(error, RateLimited):
            return error.retry_after is None or error.retry_after <= self.max_retry_after
        return isinstance(error, (NetworkError, ServerError))

    def delay(self, error: ActuiError, attempt: int) -> float:
        """Exponential back-off with full jitter; never shorter than the server's Retry-After."""
        backoff = self.rng.uniform(0, min(self.cap, self.base * 2 ** (attempt - 1)))
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return retry_after + self.rng.uniform(0, min(1.0, self.base))
        return backoff


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # "nan" says nothing (None: the usual back-off); "inf" is longer than any cap (reported, not waited)
        return None if math.isnan(seconds) else max(0.0, seconds)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
