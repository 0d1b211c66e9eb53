from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from matchmaking.api.auth import AUTH
from matchmaking.api.exchanges import router as exchanges_router
from matchmaking.api.mobility import router as mobility_router
from matchmaking.api.organisations import router as organisations_router
from matchmaking.api.participants import router as participants_router

api = NinjaAPI(
    title="Mobility Matchmaking Tool API",
    version="1",
    description="Organisations, opportunities and exchanges of the network. "
    "Authenticate with a personal token: `Authorization: Bearer mmt_...`.",
    auth=AUTH,
    urls_namespace="api",
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(NinjaValidationError)
def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


api.add_router("/", organisations_router)
# Before the mobility router: its "/exchanges/{id}/{action}" would otherwise catch ".../visitors".
api.add_router("/", exchanges_router)
api.add_router("/", mobility_router)
api.add_router("/", participants_router)

urlpatterns = [path("", api.urls)]
