"""One exception type per kind of failure, each with a message a person can act on.

No message ever holds the password or the Authorization header: messages are built from the method,
the URL path, the status code and the server's own error text only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def sentence(text: str) -> str:
    """`text` ending like a sentence, so the next cause or hint is not read as part of it."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


class ActuiError(Exception):
    """Base of every error actui reports to a person: one sentence per cause, then what to do (`hint`)."""

    hint: str = ""

    def __str__(self) -> str:
        text = super().__str__()
        return f"{sentence(text)} {self.hint}".strip() if self.hint else text


@dataclass(frozen=True)
class FieldProblem:
    """One invalid value: the field's wire path (e.g. settings.optOut.periodicCron) and why."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidInput(ActuiError):
    """Refused before anything was sent: one or more values are invalid."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems) or "invalid input")

    @property
    def fields(self) -> dict[str, str]:
        return {p.field: p.message for p in self.problems}


class ConfigError(ActuiError):
    """The profile, flags or environment do not make a usable connection."""


class ApiError(ActuiError):
    """The server answered with an error status.

    `body` is the answer's text as the server sent it (capped), for `ACTUI_DEBUG=1`; `body_reduced` says
    the message shows only one line of it (an HTML error page, a traceback). Neither is terminal-safe:
    whoever shows them sanitizes them.
    """

    def __init__(self, message: str, *, status: int | None = None, method: str = "", path: str = "",
                 server_messages: list[str] | None = None, body: str | None = None,
                 body_reduced: bool = False):
        self.status = status
        self.method = method
        self.path = path
        self.server_messages = list(server_messages or [])
        self.body = body
        self.body_reduced = body_reduced
        super().__init__(message)


class AuthenticationError(ApiError):
    hint = "Check the user and password (ACTUI_USER / ACTUI_PASSWORD or the profile)."


class PermissionDenied(ApiError):
    """403: the credentials are right but this account is not allowed to do this. Not an authentication
    failure: asking for the password again would change nothing."""

    hint = "This account is not allowed to do that: check the user's role or the tenant."


class NotFound(ApiError):
    hint = "Check the number or order id; a number appears only once provisioning completes."


class ServerValidationError(ApiError):
    """400/422: the server refused the request; server_messages holds what it said."""

    @property
    def field_messages(self) -> dict[str, str]:
        """The server's messages keyed by the field they name, where they name one ('field: text')."""
        out: dict[str, str] = {}
        for msg in self.server_messages:
            head, sep, tail = msg.partition(":")
            if sep and head and " " not in head.strip():
                out[head.strip()] = tail.strip()
        return out


class RateLimited(ApiError):
    hint = "The API is limiting requests; actui waits and retries reads and updates by itself."

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any):
        self.retry_after = retry_after
        super().__init__(message, **kw)


class ServerError(ApiError):
    hint = "The API had a problem; try again in a moment."


class NetworkError(ActuiError):
    """No usable answer: the connection failed, dropped, or timed out."""

    hint = "Check the network and the base URL, then try again."

    def __init__(self, message: str, *, method: str = "", path: str = "", timeout: bool = False):
        self.method = method
        self.path = path
        self.timeout = timeout
        super().__init__(message)


class OrderStateUnknown(NetworkError):
    """A provision/unprovision POST may or may not have reached the server. It is never retried."""

    hint = ("The order may or may not have been placed. It was NOT retried (a retry could order twice). "
            "Check with `actui numbers show NUMBER` or the order tracker before submitting again.")
