"""Refuse input that no database can store, before any view sees it.

PostgreSQL rejects the NUL character in text; a search box or an API call that sent one would fail with
a server error deep in a query. Forms already refuse it field by field; this covers query strings,
paths and JSON bodies everywhere, with a clear 400.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

_NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if _NUL in request.path:
        return True
    if any(_NUL in key or any(_NUL in v for v in values) for key, values in request.GET.lists()):
        return True
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH") and content_type.endswith("json"):
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    return False


class RejectNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("The request contains a NUL character (\\x00), which cannot be stored.")
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": message}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return HttpResponseBadRequest(message)
        return self.get_response(request)
