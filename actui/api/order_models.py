"""Provisioning and orders: the provision (or unprovision) request, the endpoint's acknowledgement, and
an order with its items as the orders endpoint reports them."""

from __future__ import annotations

import re
import uuid

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .phone import InvalidNumber, check_e164
from .settings_models import Settings
from .value_checks import email_problem
from .vocabulary import BILLING_PLANS, Action, PlatformType, ProvisionClass, ProvisionType
from .wire import Timestamp, WireModel, is_outgoing, to_snake

# Final order / order-item states (API-NOTES: any case). Everything else keeps being polled.
FINAL_STATUSES: frozenset[str] = frozenset(
    {"completed", "failed", "partiallycompleted", "cancelled", "canceled", "rejected", "error"}
)
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_final_status(status: str | None) -> bool:
    return status is not None and status.strip().lower() in FINAL_STATUSES


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
        if value is not None and is_outgoing(info):
            problem = email_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _class_rules(self) -> ProvisionNumber:
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
    def _features(self) -> ProvisionRequest:
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
