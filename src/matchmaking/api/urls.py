"""The REST API: one ``NinjaAPI`` with token authentication, the error mapping, and each app's router."""

from __future__ import annotations

from typing import Any

from django.urls import path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from matchmaking.api import errors
from matchmaking.api.auth import AUTH
from matchmaking.api.docs import SchemaPage
from matchmaking.events.api import router as events_router
from matchmaking.exchanges.api import router as exchanges_router
from matchmaking.exchanges.api_conversations import router as conversations_router
from matchmaking.exchanges.api_proposals import router as proposals_router
from matchmaking.exchanges.api_reports import router as reports_router
from matchmaking.library.api import router as library_router
from matchmaking.mobility.api import router as mobility_router
from matchmaking.organisations.api import router as organisations_router
from matchmaking.participants.api import router as participants_router
from matchmaking.placements.api import router as placements_router


class MatchmakingAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The handler's name only (they are unique), so moving code between modules keeps the ids.
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Every operation may answer 422 naming the field at fault (bad parameters, NUL characters):
        say so once for all of them, as the error mapping in ``api/errors.py`` answers it."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        invalid = {
            "description": "A parameter or field is invalid; each error names where.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FieldErrorsOut"}}},
        }
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                operation.setdefault("responses", {}).setdefault(422, invalid)
        return schema


api = MatchmakingAPI(
    title="Mobility Matchmaking Tool API",
    version="1",
    description="Organisations, opportunities and exchanges of the network. "
    "Authenticate with a personal token: `Authorization: Bearer mmt_...`.",
    auth=AUTH,
    urls_namespace="api",
    # The documentation is rendered on the server in the site's layout (no script, no other site).
    docs=SchemaPage(),
)
errors.install(api)

api.add_router("/", organisations_router)
api.add_router("/", mobility_router)
# The library before exchanges: its GET /exchanges/{id}/story must come before the exchanges'
# POST /exchanges/{id}/{action}, which would otherwise answer it with 405.
api.add_router("/", library_router)
# Likewise the proposals (GET/POST /exchanges, the thread) and the report.
api.add_router("/", proposals_router)
api.add_router("/", reports_router)
api.add_router("/", exchanges_router)
api.add_router("/", conversations_router)
api.add_router("/", placements_router)
api.add_router("/", participants_router)
api.add_router("/", events_router)

urlpatterns = [path("", api.urls)]
