"""Errors about the body of a successful answer: too large to read, or not the document asked for."""

from __future__ import annotations

from typing import Any

from .errors import ApiError

DEFAULT_MAX_BODY_MB = 64
MB = 1024 * 1024


class ResponseTooLarge(ApiError):
    """The body grew past the cap (max_body_mb) and was not read further. Never retried: it would only
    grow as large again."""

    hint = ("Ask for less (a smaller --limit or page_size), or raise max_body_mb in the profile "
            "(or ACTUI_MAX_BODY_MB) if the answer is expected to be this large.")

    def __init__(self, limit_bytes: int, **kw: Any):
        self.limit_bytes = limit_bytes
        where = f"{kw.get('method', '')} {kw.get('path', '')}".strip()
        mb = f"{limit_bytes / MB:g}"
        super().__init__(f"{where + ': ' if where else ''}the server's answer is larger than {mb} MB "
                         f"(max_body_mb); actui stopped reading it.", **kw)


class UnreadableAnswer(ApiError):
    """A successful status with a body that is not the document asked for (not JSON, or no list in it).
    Often passing (a proxy's page, a server restarting): the list retries it as it does network faults."""
