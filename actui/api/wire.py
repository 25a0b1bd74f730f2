"""The base of every wire model: camelCase on the wire, snake_case in Python, unknown fields kept.

Every model keeps fields the guide does not list (extra="allow"), so a read-modify-write never drops them.
Reading is tolerant; a validator that judges only what is about to be sent checks `is_outgoing(info)`
(validate_outgoing in outgoing.py sets that context).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo
from pydantic.alias_generators import to_camel

# ISO 8601 where it parses; the server's text as it came where not. (Left to right, all in pydantic-core:
# a Python validator here would cost more than the rest of a listed number's parsing.)
Timestamp = Annotated[datetime | str | None, Field(union_mode="left_to_right")]


class WireModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def to_wire(self) -> dict[str, Any]:
        """The JSON document as it goes on the wire: camelCase, only what was set, unknown fields kept."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def is_outgoing(info: ValidationInfo) -> bool:
    """Whether the document is being judged before it is sent (strict), not read from the server."""
    return bool(info.context and info.context.get("outgoing"))


def to_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def aware(value: datetime) -> datetime:
    """A naive date-time read as UTC, so two can be compared."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
