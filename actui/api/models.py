"""pydantic v2 models of every object in the vendor's guide.

camelCase on the wire, snake_case in Python. Every model keeps fields the guide does not list
(extra="allow"), so a read-modify-write never drops them.

Reading is tolerant: what the server sends is accepted as it comes (unknown status words, odd dates),
and a wrongly typed field in a number's detail (`rateLimit: "abc"`, `optOut: "STOP"`) never makes the
number unreadable: PhoneNumber keeps the exact document and names each bad field in `problems`.
Writing is strict: validate_outgoing() checks every rule the guide gives and raises InvalidInput with the
field's wire path, before any request is sent, judging only the fields being sent.
"""

from __future__ import annotations

import copy
import re
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from . import tolerant
from .errors import FieldProblem, InvalidInput
from .phone import InvalidNumber, check_e164

PlatformType = Literal["TeamsIndividual", "TeamsChannel", "WebexSpace", "RingCentral", "Zoom"]
ProvisionType = Literal["SMS", "MMS", "SMSMMS"]
ProvisionClass = Literal["P2P", "A2P"]
Action = Literal["Provision", "Unprovision"]
# PUT's billingPlanName: the guide's closed list.
BillingPlanName = Literal["250", "500", "1000", "2000", "Pooled", "Volume Pricing"]

PLATFORM_TYPES: tuple[str, ...] = get_args(PlatformType)
PROVISION_TYPES: tuple[str, ...] = get_args(ProvisionType)
PROVISION_CLASSES: tuple[str, ...] = get_args(ProvisionClass)
BILLING_PLAN_NAMES: tuple[str, ...] = get_args(BillingPlanName)
# The provision request's billingPlan: the guide lists "P2P250, P2P500, P2P1000, P2P2000, P2PPooled,
# A2P250, etc."; actui reads the "etc." as the same tiers for A2P, and the prefix must match the class.
BILLING_PLANS: tuple[str, ...] = tuple(
    f"{cls}{tier}" for cls in PROVISION_CLASSES[::-1] for tier in ("250", "500", "1000", "2000", "Pooled")
)

# Fields that cannot change after provisioning (the guide: Owner, BillableOwner, Provider, Number,
# Microsoft tenant information), as they appear on the wire.
IMMUTABLE_FIELDS: frozenset[str] = frozenset(
    {"phoneNumber", "number", "phoneNumberId", "owner", "billableOwner", "provider",
     "microsoftTenantId", "microsoftTenant", "microsoftTenantInfo", "tenantId",
     "friendlyName", "status", "provisionType", "provisionClass", "capabilities",
     "createdAt", "activatedAt"}
)
# The guide's documented immutable fields, for messages and the detail view.
DOCUMENTED_IMMUTABLE: frozenset[str] = frozenset(
    {"phoneNumber", "number", "owner", "billableOwner", "provider", "microsoftTenantId",
     "microsoftTenant", "microsoftTenantInfo"}
)

# Final order / order-item states (API-NOTES: any case). Everything else keeps being polled.
FINAL_STATUSES: frozenset[str] = frozenset(
    {"completed", "failed", "partiallycompleted", "cancelled", "canceled", "rejected", "error"}
)


def is_final_status(status: str | None) -> bool:
    return bool(status) and status.strip().lower() in FINAL_STATUSES


def _outgoing(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("outgoing"))


# ISO 8601 where it parses; the server's text as it came where not. (Left to right, all in pydantic-core:
# a Python validator here would cost more than the rest of a listed number's parsing.)
Timestamp = Annotated[datetime | str | None, Field(union_mode="left_to_right")]


class WireModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def to_wire(self) -> dict[str, Any]:
        """The JSON document as it goes on the wire: camelCase, only what was set, unknown fields kept."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


# --- settings -------------------------------------------------------------------------------------


class MicrosoftTeams(WireModel):
    enabled: bool | None = None
    notification_name: str | None = None


class Webex(WireModel):
    enabled: bool | None = None


class Notifications(WireModel):
    enable_sound: bool | None = None
    selected_sound: str | None = None
    microsoft_teams: MicrosoftTeams | None = None
    webex: Webex | None = None


class AutoResponse(WireModel):
    enabled: bool | None = None
    message: str | None = None
    new_threads_only: bool | None = None


def _keyword_required(section: WireModel, info: ValidationInfo, field: str = "text") -> None:
    if _outgoing(info) and section.enabled and getattr(section, field) is not None:
        if not getattr(section, field).strip():
            raise ValueError(f"{to_camel(field)}: a keyword is required while the section is enabled")


class OptIn(WireModel):
    enabled: bool | None = None
    name: str | None = None
    text: str | None = None
    message: str | None = None
    all_text: str | None = None
    all_message: str | None = None

    @model_validator(mode="after")
    def _keyword(self, info: ValidationInfo) -> "OptIn":
        _keyword_required(self, info)
        return self


class OptOut(WireModel):
    enabled: bool | None = None
    text: str | None = None
    text_response: str | None = None
    all_text: str | None = None
    all_text_response: str | None = None
    periodic_enabled: bool | None = None
    periodic_cron: str | None = None

    @field_validator("periodic_cron")
    @classmethod
    def _cron(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and _outgoing(info):
            problem = cron_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _keyword(self, info: ValidationInfo) -> "OptOut":
        _keyword_required(self, info)
        return self


class AutoForward(WireModel):
    enabled: bool | None = None
    email_addresses: list[str] | None = None

    @field_validator("email_addresses")
    @classmethod
    def _emails(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if value is not None and _outgoing(info):
            for index, address in enumerate(value):
                problem = email_problem(address)
                if problem:
                    raise ValueError(f"[{index}] {problem}")
        return value


class OutOfOffice(WireModel):
    enabled: bool | None = None
    message: str | None = None
    start_date: Timestamp = None
    end_date: Timestamp = None

    @field_validator("start_date", "end_date")
    @classmethod
    def _iso(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and _outgoing(info):
            raise ValueError(f"{value!r} is not an ISO 8601 date-time (e.g. 2025-01-15T00:00:00Z)")
        return value

    @model_validator(mode="after")
    def _order(self, info: ValidationInfo) -> "OutOfOffice":
        if _outgoing(info) and isinstance(self.start_date, datetime) and isinstance(self.end_date, datetime):
            if _aware(self.end_date) <= _aware(self.start_date):
                raise ValueError("endDate: must be after startDate")
        return self


class Signature(WireModel):
    enabled: bool | None = None
    message: str | None = None


class AiSettings(WireModel):
    is_enabled: bool | None = None
    response_generation_context: str | None = None


class Settings(WireModel):
    notifications: Notifications | None = None
    auto_response: AutoResponse | None = None
    opt_in: OptIn | None = None
    opt_out: OptOut | None = None
    auto_forward: AutoForward | None = None
    out_of_office: OutOfOffice | None = None
    signature: Signature | None = None
    ai_settings: AiSettings | None = None
    rate_limit: int | None = None
    no_outbound_texts: bool | None = None

    @field_validator("rate_limit")
    @classmethod
    def _rate(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and _outgoing(info) and value < 0:
            raise ValueError("must be a non-negative integer")
        return value


# --- phone numbers --------------------------------------------------------------------------------


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

    capabilities: Capabilities | None = None
    created_at: Timestamp = None
    activated_at: Timestamp = None
    settings: Settings | None = None

    _document: dict[str, Any] | None = PrivateAttr(default=None)
    _problems: tuple[FieldProblem, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _tolerant(cls, data: Any, handler: Any) -> "PhoneNumber":
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


# --- provisioning ---------------------------------------------------------------------------------


class MessagingFeature(WireModel):
    provision_type: ProvisionType
    provision_class: ProvisionClass


class ProvisionNumber(WireModel):
    """One entry of phoneNumbers[] in a provision (or unprovision) request."""

    number: str
    email: str | None = None
    description: str | None = None
    domain: str | None = None
    platform_type: PlatformType | None = None
    campaign_id: str | None = None
    brand_id: str | None = None
    loa_url: str | None = None
    messaging_feature: MessagingFeature | None = None
    billing_plan: str | None = None
    settings: Settings | None = None

    @field_validator("number")
    @classmethod
    def _e164(cls, value: str) -> str:
        try:
            return check_e164(value)
        except InvalidNumber as exc:
            raise ValueError(str(exc)) from None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and _outgoing(info):
            problem = email_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _class_rules(self) -> "ProvisionNumber":
        feature = self.messaging_feature
        if feature is not None and feature.provision_class == "A2P":
            missing = [n for n in ("campaignId", "brandId") if not getattr(self, to_snake(n))]
            if missing:
                raise ValueError(f"{' and '.join(missing)}: required for A2P numbers")
        if self.billing_plan is not None:
            if self.billing_plan not in BILLING_PLANS:
                raise ValueError(f"billingPlan: must be one of {', '.join(BILLING_PLANS)}")
            if feature is not None and not self.billing_plan.startswith(feature.provision_class):
                raise ValueError(f"billingPlan: {self.billing_plan} is not a {feature.provision_class} plan")
        return self


class ProvisionRequest(WireModel):
    action: Action
    tenant_id: str
    phone_numbers: list[ProvisionNumber] = Field(min_length=1)

    @field_validator("tenant_id")
    @classmethod
    def _guid(cls, value: str) -> str:
        try:
            uuid.UUID(value)
        except (ValueError, AttributeError, TypeError):
            raise ValueError(f"{value!r} is not a GUID (e.g. 00000000-0000-0000-0000-000000000000)") from None
        if not _GUID.match(value.strip("{}")):
            raise ValueError(f"{value!r} is not a GUID (e.g. 00000000-0000-0000-0000-000000000000)")
        return value

    @model_validator(mode="after")
    def _features(self) -> "ProvisionRequest":
        if self.action == "Provision":
            for index, entry in enumerate(self.phone_numbers):
                if entry.messaging_feature is None:
                    raise ValueError(f"phoneNumbers[{index}].messagingFeature: required to provision")
        return self


class OrderAck(WireModel):
    """The provision endpoint's answer."""

    order_id: int | str
    status: str | None = None


class OrderItem(WireModel):
    number: str | None = None
    phone_number_id: str | None = None
    status: str | None = None
    email: str | None = None

    @property
    def error_message(self) -> str | None:
        extra = self.model_extra or {}
        for key in ("errorMessage", "error", "message", "reason", "statusMessage"):
            if extra.get(key):
                return str(extra[key])
        return None


class Order(WireModel):
    order_id: int | str
    status: str | None = None
    action: str | None = None
    tenant_id: str | None = None
    provision_class: str | None = None
    provision_type: str | None = None
    create_date: Timestamp = None
    completion_date: Timestamp = None
    phone_numbers: list[OrderItem] = Field(default_factory=list)

    @property
    def is_final(self) -> bool:
        return is_final_status(self.status)

    def count(self, *statuses: str) -> int:
        wanted = {s.lower() for s in statuses}
        return sum(1 for item in self.phone_numbers if (item.status or "").lower() in wanted)


# --- validation helpers ---------------------------------------------------------------------------

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

M = TypeVar("M", bound=BaseModel)


def to_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


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


def validate_outgoing(model: type[M], data: Any) -> M:
    """Validate a document about to be sent; raise InvalidInput naming every bad field."""
    try:
        return model.model_validate(data, context={"outgoing": True})
    except ValidationError as exc:
        raise InvalidInput(problems_from(exc)) from None


def read_problems(document: dict[str, Any]) -> list[FieldProblem]:
    """The fields of a number's document that PhoneNumber cannot read as typed (PhoneNumber.problems)."""
    return PhoneNumber.model_validate({**document, "phoneNumber": str(document.get("phoneNumber", ""))}).problems


def problems_from(exc: ValidationError) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for err in exc.errors(include_url=False, include_input=False):
        path = _join_loc(err["loc"])
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        # A model-level rule names its own field as "field: text"; nest it under the model's path.
        head, sep, tail = message.partition(": ")
        if sep and re.fullmatch(r"[A-Za-z][\w.\[\]]*( and [A-Za-z]\w*)?", head):
            for field in head.split(" and "):
                problems.append(FieldProblem(f"{path}.{field}" if path else field, tail))
            continue
        elif message.startswith("[") and "]" in message:
            index, _, rest = message.partition("] ")
            path, message = f"{path}{index}]", rest
        if err["type"] == "extra_forbidden":
            field = path.rsplit(".", 1)[-1]
            message = ("cannot be changed after provisioning" if field in IMMUTABLE_FIELDS
                       else "is not an updatable field")
        elif err["type"] == "literal_error":
            message = "must be one of " + message.split("Input should be ", 1)[-1].replace(" or ", ", ")
        problems.append(FieldProblem(path, message))
    return problems


def _join_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _aware(value: datetime) -> datetime:
    from datetime import timezone

    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
