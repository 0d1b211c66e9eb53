"""Roles, and the rules every app's ``access.py`` builds on. Default deny.

``roles`` says who holds which role in which organisation; each app decides who may see or change its
own objects in its ``access.py`` (``can_*`` answer yes or no; ``access_*`` fetch an object for a user
and raise ``Http404`` both when it does not exist and when the user may not see it).
"""

# TRANSITIONAL (removed once the API routers call the apps' access modules directly).
import importlib as _importlib

_AREAS = (
    "roles",
    "organisations",
    "mobility",
    "exchanges",
    "library",
    "participants",
    "placements",
    "pathways",
)


def __getattr__(name: str) -> object:
    if name == "_active":
        name = "is_active_user"
    for area in _AREAS:
        module = _importlib.import_module(
            "matchmaking.permissions.roles" if area == "roles" else f"matchmaking.{area}.access"
        )
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(name)
