"""How the API answers refusals: another organisation's object is a 404, bad input a 422 that names
the fields, an illegal state change a 409 with the reason. Never a 5xx."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Schema

# The largest id the database can hold; anything above is simply not found.
MAX_ID = 2**62


class FieldError(Schema):
    loc: list[str]
    msg: str


class FieldErrorsOut(Schema):
    detail: list[FieldError]


def field_errors(exc: ValidationError, where: str = "body") -> tuple[int, dict[str, Any]]:
    """A service's ``ValidationError`` as a 422 in the shape of django-ninja's own input errors."""
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": [where] if field == "__all__" else [where, field], "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"loc": [where], "msg": message} for message in exc.messages]
    return 422, {"detail": detail}


def no_nul_characters(data: dict[str, Any]) -> None:
    """Text with NUL characters cannot be stored (PostgreSQL refuses it): a field error, not a crash."""
    bad = {
        name: "Remove the NUL (\\x00) characters."
        for name, value in data.items()
        if (isinstance(value, str) and "\x00" in value)
        or (isinstance(value, list) and any(isinstance(v, str) and "\x00" in v for v in value))
    }
    if bad:
        raise ValidationError(bad)
