"""The settings tree of a number (settings.* on the wire), typed; the rules the guide gives for it are
judged only when the settings are about to be sent (see wire.is_outgoing)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationInfo, field_validator, model_validator
from pydantic.alias_generators import to_camel

from .value_checks import cron_problem, email_problem
from .wire import Timestamp, WireModel, aware, is_outgoing


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


def _keyword_required(section: OptIn | OptOut, info: ValidationInfo, field: str = "text") -> None:
    if is_outgoing(info) and section.enabled and getattr(section, field) is not None:
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
    def _keyword(self, info: ValidationInfo) -> OptIn:
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
        if value is not None and is_outgoing(info):
            problem = cron_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _keyword(self, info: ValidationInfo) -> OptOut:
        _keyword_required(self, info)
        return self


class AutoForward(WireModel):
    enabled: bool | None = None
    email_addresses: list[str] | None = None

    @field_validator("email_addresses")
    @classmethod
    def _emails(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if value is not None and is_outgoing(info):
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
        if isinstance(value, str) and is_outgoing(info):
            raise ValueError(f"{value!r} is not an ISO 8601 date-time (e.g. 2025-01-15T00:00:00Z)")
        return value

    @model_validator(mode="after")
    def _order(self, info: ValidationInfo) -> OutOfOffice:
        if is_outgoing(info) and isinstance(self.start_date, datetime) and isinstance(self.end_date, datetime):
            if aware(self.end_date) <= aware(self.start_date):
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
        if value is not None and is_outgoing(info) and value < 0:
            raise ValueError("must be a non-negative integer")
        return value
