"""ESCO look-ups for skills mapping, through ``matchmaking.taxonomies.esco`` when it is installed.

The taxonomy module owns the ESCO data (search over every skill's text and labels, occupations,
suggestions from free text). This adapter turns whatever it returns into ``EscoItem`` rows and, if the
module is not there or fails, falls back to the small catalogue shipped with the demo data, so skills
mapping never breaks a page.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

CATALOGUE = Path(__file__).resolve().parent / "data" / "demo_esco.json"
DEFAULT_VERSION = "1.1.1"


@dataclass(frozen=True)
class EscoItem:
    uri: str
    label: str
    kind: str = "skill"  # or "occupation"


def esco_module() -> Any:
    try:
        from matchmaking.taxonomies import esco  # type: ignore[attr-defined]
    except ImportError:
        return None
    return esco


def esco_version() -> str:
    """The ESCO version stored with every mapped skill."""
    module = esco_module()
    for name in ("ESCO_VERSION", "VERSION", "version"):
        value = getattr(module, name, None) if module else None
        if callable(value):
            try:
                value = value()
            except Exception:
                value = None
        if value:
            return str(value)[:20]
    return DEFAULT_VERSION


@cache
def catalogue() -> dict[str, Any]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def _catalogue_items(kind: str) -> list[EscoItem]:
    data = catalogue()
    if kind == "occupation":
        return [EscoItem(o["uri"], o["label"], "occupation") for o in data["occupations"]]
    seen: dict[str, EscoItem] = {}
    for occupation in data["occupations"]:
        for skill in occupation["skills"]:
            seen.setdefault(skill["uri"], EscoItem(skill["uri"], skill["label"]))
    for skill in data["transversal"]:
        seen.setdefault(skill["uri"], EscoItem(skill["uri"], skill["label"]))
    return list(seen.values())


def _one(entry: Any) -> tuple[str, str] | None:
    """(uri, label) from a dict, an object with ``uri``/``label``, a (uri, label) pair or an (item, score)."""
    if isinstance(entry, tuple | list) and entry:
        if isinstance(entry[0], str):
            return (entry[0], str(entry[1])) if len(entry) > 1 and isinstance(entry[1], str) else None
        return _one(entry[0])
    if isinstance(entry, dict):
        uri, label = entry.get("uri"), entry.get("label") or entry.get("preferred_label")
    else:
        uri = getattr(entry, "uri", None)
        label = getattr(entry, "label", None) or getattr(entry, "preferred_label", None)
        if uri is None:
            inner = getattr(entry, "skill", None) or getattr(entry, "occupation", None)
            return _one(inner) if inner is not None else None
    return (str(uri), str(label)) if uri and label else None


def _normalise(found: Any, kind: str) -> list[EscoItem]:
    items = []
    for entry in found or ():
        pair = _one(entry)
        if pair:
            items.append(EscoItem(pair[0], pair[1], kind))
    return items


def _call(name: str, text: str, limit: int, kind: str) -> list[EscoItem] | None:
    module = esco_module()
    func = getattr(module, name, None) if module else None
    if func is None:
        return None
    try:
        try:
            found = func(text, limit=limit)
        except TypeError:
            found = func(text)
        return _normalise(found, kind)[:limit]
    except Exception:
        logger.exception("ESCO look-up %s failed", name)
        return None


def _fallback(text: str, limit: int, kind: str) -> list[EscoItem]:
    words = {w for w in text.lower().replace(",", " ").split() if len(w) > 2}
    if not words:
        return []
    scored = []
    for item in _catalogue_items(kind):
        label_words = set(item.label.lower().split())
        hits = sum(1 for w in words if any(lw.startswith(w[:5]) for lw in label_words))
        if hits:
            scored.append((-hits, len(label_words) - hits, item.label, item))
    return [item for *_, item in sorted(scored)[:limit]]


def search_skills(text: str, limit: int = 10) -> list[EscoItem]:
    text = text.strip()
    if not text:
        return []
    found = _call("search_skills", text, limit, "skill")
    return found if found is not None else _fallback(text, limit, "skill")


def search_occupations(text: str, limit: int = 10) -> list[EscoItem]:
    text = text.strip()
    if not text:
        return []
    found = _call("search_occupations", text, limit, "occupation")
    return found if found is not None else _fallback(text, limit, "occupation")


def suggest_skills(text: str, limit: int = 12) -> list[EscoItem]:
    """Skills suggested from a free-text story ("I looked after my grandmother ...")."""
    text = text.strip()
    if not text:
        return []
    found = _call("suggest_skills_from_text", text, limit, "skill")
    return found if found is not None else _fallback(text, limit, "skill")


def skill_label(uri: str) -> str:
    for item in _catalogue_items("skill"):
        if item.uri == uri:
            return item.label
    return uri.rsplit("/", 1)[-1]
