"""Rules for every request and response.

``RejectNulCharactersMiddleware`` refuses input that no database can store, before any view sees it.
PostgreSQL rejects the NUL character in text; a search box or an API call that sent one would fail with
a server error deep in a query. Forms already refuse it field by field; this covers query strings,
paths and JSON bodies everywhere, with a clear 400.

``PermissionsPolicyMiddleware`` switches off the browser features no page uses (camera, microphone,
location, payment, USB, ...), so that no page, and nothing a page might embed, can ask for them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

_NUL = "\x00"


def _path_to_nul(value: Any, here: list[str | int]) -> list[str | int] | None:
    """Where in decoded JSON the first NUL character is (keys and list positions), or None."""
    if isinstance(value, str):
        return here if _NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if _NUL in str(key):
                return [*here, str(key)]
            found = _path_to_nul(item, [*here, str(key)])
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _path_to_nul(item, [*here, index])
            if found is not None:
                return found
    return None


def _where_nul(request: HttpRequest) -> list[str | int] | None:
    """The location of a NUL character in the request, in the API's error shape, or None."""
    if _NUL in request.path:
        return ["path"]
    for key, values in request.GET.lists():
        if _NUL in key or any(_NUL in v for v in values):
            return ["query", key]
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH") and content_type.endswith("json"):
        body = request.body
        if b"\x00" not in body and b"\\u0000" not in body:
            return None
        try:
            return _path_to_nul(json.loads(body), ["body"]) or ["body"]
        except (ValueError, UnicodeDecodeError):
            return ["body"]
    return None


class RejectNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = _where_nul(request)
        if where is None:
            return self.get_response(request)
        message = _("The request contains a NUL character (\\x00), which cannot be stored.")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": [{"type": "nul_character", "loc": where, "msg": message}]}, status=422
            )
        return HttpResponseBadRequest(f"{'.'.join(map(str, where))}: {message}")


class PermissionsPolicyMiddleware:
    """Switch off the browser features no page uses (settings.PERMISSIONS_POLICY_DENY) on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
