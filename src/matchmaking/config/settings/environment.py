"""Reading settings from the environment (12-factor), with errors that name the variable."""

from __future__ import annotations

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str, default: str = "") -> list[str]:
    """A comma-separated list of IP addresses or networks (``10.0.0.0/24``), checked and normalised."""
    networks = []
    for item in env_list(name, default):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks separated by commas; {item!r} is neither."
            ) from exc
    return networks


# Parts of the throwaway keys of the dev, demo and test profiles and of common placeholders.
_PLACEHOLDER_KEYS = (
    "insecure",
    "change-me",
    "changeme",
    "replace-me",
    "your-secret",
    "secret-key",
    "example",
)
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 10


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` is too weak to sign production sessions and tokens, or None when it is strong enough."""
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters; use at least {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE:
        return f"it has only {len(set(key))} different characters; use at least {SECRET_KEY_MIN_UNIQUE}"
    lowered = key.lower()
    if any(part in lowered for part in _PLACEHOLDER_KEYS):
        return "it is a published example or development key"
    return None
