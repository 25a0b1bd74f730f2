"""The guide's closed lists of values and its sets of field names, as they appear on the wire."""

from __future__ import annotations

from typing import Literal, get_args

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
