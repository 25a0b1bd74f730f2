"""Messages that cross screens (widget-owned messages live in their widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class Connected(Message):
    """The API client is ready (the embedded sandbox, if any, is serving)."""


@dataclass
class ConnectionFailed(Message):
    error: Exception


@dataclass
class FirstPageSettled(Message):
    """The list's first fresh page is on screen, or failed to come: start-up's own work is done."""


@dataclass
class OrderSubmitted(Message):
    """A provision/unprovision order was placed here: track it at once."""

    order_id: str
    action: str
    provision_class: str | None = None
