"""How the API answers refusals, in one place: another organisation's object is a 404 (the same as a
missing one), bad input a 422 that names the fields, an illegal state change a 409 with the reason.
Never a 5xx. The handlers only raise (or let a service's exception through)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

NOT_FOUND = {"detail": "Not found."}


def field_errors(exc: ValidationError, where: str = "body") -> dict[str, Any]:
    """A service's ``ValidationError`` in the shape of django-ninja's own input errors."""
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": [where] if field == "__all__" else [where, field], "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"loc": [where], "msg": message} for message in exc.messages]
    return {"detail": detail}


def install(api: NinjaAPI) -> None:
    """Register the exception handlers on ``api``."""

    def not_found(request: HttpRequest, exc: object) -> HttpResponse:
        return api.create_response(request, NOT_FOUND, status=404)

    def refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # Field errors are bad input (422); a message without a field is a rule of the object's
        # state, e.g. a step the exchange is not ready for (409).
        if hasattr(exc, "error_dict"):
            return api.create_response(request, field_errors(exc), status=422)
        return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409)

    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": exc.errors}, status=422)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, not_found)
    # Ninja types a handler's exception as "the exception or its class"; it always passes the exception.
    api.add_exception_handler(ValidationError, refused)  # type: ignore[arg-type]
    api.add_exception_handler(NinjaValidationError, invalid)  # type: ignore[arg-type]
