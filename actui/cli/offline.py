"""When the API is unreachable: read commands answer from the local copy with one warning line on stderr
naming its age, writes are refused before anything is sent (never queued).

"Unreachable" is a NetworkError (connection refused, reset, a timeout after the client's retries), not an
OrderStateUnknown (a POST that may have reached the server is another story, told as such)."""

from __future__ import annotations

import sys
import time
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING

from ..api.errors import ActuiError, NetworkError, OrderStateUnknown
from ..core.local_copy import LocalCopy
from ..core.timefmt import age

if TYPE_CHECKING:
    from ..api.client import ApiClient


class CopyCannotAnswer(ActuiError):
    """The API is unreachable and the local copy does not hold what was asked."""


class ApiUnreachable(ActuiError):
    """A write refused because the API cannot be reached: nothing was sent, nothing is queued."""

    hint = "actui never queues writes: run the command again once the API answers."


def is_unreachable(error: BaseException) -> bool:
    return isinstance(error, NetworkError) and not isinstance(error, OrderStateUnknown)


def copy_time(copy: LocalCopy, *, details: bool) -> float | None:
    """When the copy's answer was read: the last list pass, or (`details`) the oldest detail if older."""
    status = copy.status()
    times = [status.list_synced_at] + ([status.oldest_detail_at] if details else [])
    known = [t for t in times if t is not None]
    return min(known) if known else None


def answering_from_copy(copy: LocalCopy, error: NetworkError, *, details: bool = False,
                        at: float | None = None) -> None:
    """The one warning line; CopyCannotAnswer when the copy holds no number at all."""
    if copy.status().numbers == 0:
        raise CopyCannotAnswer(f"the API is unreachable ({_reason(error)}) and the local copy holds no numbers "
                               "yet: `actui sync` fills it once the API answers")
    warn_offline(copy_time(copy, details=details) if at is None else at)


def warn_offline(at: float | None, now: float | None = None) -> None:
    sys.stderr.write(f"actui: the API is unreachable; answering from the local copy {copy_age_text(at, now)}\n")


def copy_age_text(at: float | None, now: float | None = None) -> str:
    """'of 09:42 (18 min old)'; the date too when it is not today's."""
    if at is None:
        return "of a sync that never finished"
    now = time.time() if now is None else now
    when, today = datetime.fromtimestamp(at).astimezone(), datetime.fromtimestamp(now).astimezone()
    clock = when.strftime("%H:%M") if when.date() == today.date() else when.strftime("%Y-%m-%d %H:%M")
    return f"of {clock} ({age(now - at, spaced=True)} old)"


def refuse_write(error: NetworkError, what: str) -> ApiUnreachable:
    """The error that refuses a write because the API did not answer (nothing was sent)."""
    return ApiUnreachable(f"the API is unreachable ({_reason(error)}): {what} refused; nothing was sent")


def _reason(error: NetworkError) -> str:
    """What failed, without the hint (the line says what to do itself)."""
    return (str(error.args[0]) if error.args else "no answer").rstrip(".")


def detail_from_copy(copy: LocalCopy, number: str, error: NetworkError) -> dict:
    """`numbers show` when the API is unreachable: the number's detail as the copy holds it (the warning
    line names when it was read); CopyCannotAnswer when the copy holds none."""
    held = copy.detail(number)
    if held is None:
        listed = number in set(copy.numbers())
        said = ("holds only its list item (no detail read yet)" if listed else "does not hold it")
        raise CopyCannotAnswer(f"{number}: the API is unreachable ({_reason(error)}) and the local copy {said}: "
                               "`actui sync --details` reads every detail once the API answers")
    doc, read_at = held
    warn_offline(read_at)
    return doc


def answered(client: ApiClient) -> bool:
    """Whether the API has answered anything in this command (then a write may have been made)."""
    return any(client.stats.by_status.values())


async def refusing_when_unreachable(client: ApiClient, write: Awaitable[int], what: str) -> int:
    """Run a write command; a NetworkError before the API answered anything (so nothing was written: a
    POST that may have reached the server is an OrderStateUnknown) becomes ApiUnreachable."""
    try:
        return await write
    except NetworkError as error:
        if is_unreachable(error) and not answered(client):
            raise refuse_write(error, what) from None
        raise


async def probe(client: ApiClient) -> None:
    """One cheap GET (a list page of one), unless the API already answered in this command: a NetworkError
    when it does not answer (after the client's retries)."""
    if not answered(client):
        await client.list_page(1, 1)


async def require_reachable(client: ApiClient, what: str) -> None:
    """Before a write that would otherwise send its first request as a write: the probe; ApiUnreachable
    when the API does not answer."""
    try:
        await probe(client)
    except NetworkError as error:
        if is_unreachable(error):
            raise refuse_write(error, what) from None
        raise
