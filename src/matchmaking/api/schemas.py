from __future__ import annotations

from ninja import Schema


class OrganisationOut(Schema):
    id: str
    name: str
    kind: str
    country: str
    region: str | None
    city: str
    languages: list[str]
    target_groups: list[str]
    expertise: list[str]
    interests: list[str]
    hosting_capacity: int
    description: str
    website: str
    erasmus_id: str | None


class MeOut(Schema):
    email: str
    name: str
    memberships: dict[str, str]


class ErrorOut(Schema):
    detail: str
