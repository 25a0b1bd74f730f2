"""A phone number as the list and the detail endpoints return it, and the update a PUT sends.

Reading is tolerant: what the server sends is accepted as it comes (unknown status words, odd dates),
and a wrongly typed field in a number's detail (`rateLimit: "abc"`, `optOut: "STOP"`) never makes the
number unreadable: PhoneNumber keeps the exact document and names each bad field in `problems`.
Writing is strict: outgoing.validate_outgoing() judges an update before any request is sent.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import AliasChoices, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from . import tolerant
from .errors import FieldProblem
from .settings_models import Settings
from .vocabulary import BillingPlanName, PlatformType
from .wire import Timestamp, WireModel


class Capabilities(WireModel):
    sms: bool | None = None
    mms: bool | None = None


class ListedNumber(WireModel):
    """A number as the list endpoint returns it: flat and cheap to parse (a list may hold 100,000).

    `capabilities` and `settings` stay plain dicts and the dates stay text as sent; PhoneNumber, the
    detail, types them.
    """

    phone_number_id: str | None = None
    # Some answers name the number "number" (as orders and provision requests do).
    phone_number: str = Field(validation_alias=AliasChoices("phoneNumber", "number", "phone_number"))
    friendly_name: str | None = None
    email: str | None = None
    status: str | None = None
    provision_type: str | None = None
    provision_class: str | None = None
    capabilities: dict[str, Any] | None = None
    created_at: str | None = None
    activated_at: str | None = None
    user_id: str | None = None
    platform_type: str | None = None
    description: str | None = None
    external_id: str | None = None
    campaign_id: str | None = None
    brand_id: str | None = None
    loa_url: str | None = None
    is_activated: bool | None = None
    is_mms_enabled: bool | None = Field(default=None, alias="isMMSEnabled")
    billing_plan_name: str | None = None
    settings: dict[str, Any] | None = None
    # immutable after provisioning (the guide names them; their shape is not documented)
    owner: Any = None
    billable_owner: Any = None
    provider: Any = None
    microsoft_tenant_id: Any = None


class PhoneNumber(ListedNumber):
    """One number in detail (GET /phone-numbers/{number}), settings tree typed.

    Parsed tolerantly: a field whose value has the wrong type is left out of the typed model and named
    in `problems` (wire path, e.g. "settings.rateLimit": 'not a number: abc'); a date that does not parse
    is named too. `to_wire()` is the document exactly as it came, bad fields included, so showing it,
    diffing against it and writing it back never lose or alter what the server holds.
    """

    # The detail types what the list keeps as sent: pydantic lets a subclass narrow a field's type, which
    # mypy reads as an incompatible override.
    capabilities: Capabilities | None = None  # type: ignore[assignment]
    created_at: Timestamp = None  # type: ignore[assignment]
    activated_at: Timestamp = None  # type: ignore[assignment]
    settings: Settings | None = None  # type: ignore[assignment]

    _document: dict[str, Any] | None = PrivateAttr(default=None)
    _problems: tuple[FieldProblem, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _tolerant(cls, data: Any, handler: Any) -> PhoneNumber:
        if not isinstance(data, dict):
            return handler(data)
        attempt: dict[str, Any] = data
        problems: list[FieldProblem] = []
        for _ in range(tolerant.MAX_REPAIRS):
            try:
                model = handler(attempt)
                break
            except ValidationError as exc:
                attempt, found = tolerant.without_bad_values(data, attempt, exc)
                if not found:   # e.g. no phoneNumber at all: nothing to show
                    raise
                problems += found
        else:
            model = handler(attempt)
        model._document = data
        model._problems = tuple(problems) + tuple(tolerant.odd_dates(model))
        return model

    @property
    def problems(self) -> list[FieldProblem]:
        """Each field of the document the model could not read as the guide types it, by wire path."""
        return list(self._problems)

    def to_wire(self) -> dict[str, Any]:
        """The document exactly as the server sent it (unknown and wrongly typed fields included)."""
        if self._document is not None:
            return copy.deepcopy(self._document)
        return super().to_wire()


class PhoneNumberUpdate(WireModel):
    """PUT /phone-numbers/{number}: only the guide's updatable fields; every one optional (PUT merges)."""

    model_config = ConfigDict(extra="forbid")

    user_id: str | None = None
    platform_type: PlatformType | None = None
    description: str | None = None
    external_id: str | None = None
    campaign_id: str | None = None
    brand_id: str | None = None
    loa_url: str | None = None
    is_activated: bool | None = None
    is_mms_enabled: bool | None = Field(default=None, alias="isMMSEnabled")
    billing_plan_name: BillingPlanName | None = None
    settings: Settings | None = None


UPDATABLE_FIELDS: tuple[str, ...] = tuple(
    (f.alias or name) for name, f in PhoneNumberUpdate.model_fields.items()
)


def read_problems(document: dict[str, Any]) -> list[FieldProblem]:
    """The fields of a number's document that PhoneNumber cannot read as typed (PhoneNumber.problems)."""
    return PhoneNumber.model_validate({**document, "phoneNumber": str(document.get("phoneNumber", ""))}).problems
