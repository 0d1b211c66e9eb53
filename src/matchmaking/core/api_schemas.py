"""What the apps' API routers share: the error bodies, paging, the id bounds and an input check.

This sits below the apps, so their routers can use it; the API package above them (``matchmaking.api``)
holds the one place that turns exceptions into these bodies. A handler raises ``Http404`` or
``PermissionDenied`` (answered 404, the same for missing and forbidden) or lets a service's
``ValidationError`` through (422 naming the fields, or 409 with the reason when no field is at fault).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import time
from typing import Annotated, Any, Generic, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import WithJsonSchema

# The largest id the database can hold; anything above is simply not found.
MAX_ID = 2**62

# Offsets beyond this are answered with an empty page rather than a slow query.
MAX_OFFSET = 1_000_000


class ErrorOut(Schema):
    detail: str


# A time of day in the exchange's own time zone. JSON Schema's "time" format demands an offset, which
# these times deliberately do not have, so the schema says what the API really takes and gives.
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "description": "Local time in the exchange's time zone, HH:MM or HH:MM:SS, without an offset.",
            "examples": ["09:30"],
        }
    ),
]


class FieldError(Schema):
    loc: list[str | int]
    msg: str


class FieldErrorsOut(Schema):
    detail: list[FieldError]


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


def clean_text(text: str) -> str:
    """A query or path value as looked up: without NUL characters and surrounding spaces."""
    return text.replace("\x00", "").strip()


_Item = TypeVar("_Item")
_Cut_co = TypeVar("_Cut_co", covariant=True)


class Cuttable(Protocol[_Cut_co]):
    """What a page can be cut from: a query set, a list, or a list's pages with more (``WithTerms``)."""

    def __getitem__(self, page: slice, /) -> Iterable[_Cut_co]: ...


class Shown(Generic[_Item]):
    """A query set (or list) whose items become response data with ``show``, only for the page cut.

    Use it when an item needs more than its model's attributes, or when showing it has an effect
    (a participant read is logged): only the items actually sent are shown.
    """

    def __init__(self, items: Cuttable[_Item], show: Callable[[_Item], dict[str, Any]]) -> None:
        self.items = items
        self.show = show

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [self.show(item) for item in self.items[page]]


class Paging(LimitOffsetPagination):
    """``limit`` and ``offset`` query parameters; the answer stays a plain JSON list.

    Out-of-range values are brought into range rather than refused (a limit below 1 is 1, above the
    maximum is the maximum; a negative offset is 0), as the API has always done.
    """

    max_limit = 200

    class Input(Schema):
        limit: int = Field(50, description="How many items (at most 200).")
        offset: int = Field(0, description="How many items to skip.")

    Output = None  # type: ignore[assignment]  # the list itself, no envelope

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=self.max_limit, **kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> list[Any]:
        limit = max(1, min(pagination.limit, self.max_limit))
        offset = max(0, min(pagination.offset, MAX_OFFSET))
        return list(queryset[offset : offset + limit])


class ListPaging(Paging):
    """For the lists inside one object (a round's proposals, an exchange's visitors and programme, an
    opportunity's suggestions): pages are long enough that one request usually holds the whole list."""

    max_limit = 1000

    class Input(Schema):
        limit: int = Field(500, description="How many items (at most 1000).")
        offset: int = Field(0, description="How many items to skip.")
