"""Write paths for the taxonomies: copy the data files into the database."""

from __future__ import annotations

import gettext
from functools import cache
from typing import Any

import pycountry
from django.db import transaction

from matchmaking.taxonomies import codelists, regions
from matchmaking.taxonomies.models import Region, Term

LANGUAGES_SCHEME = "languages"


# The interface's languages besides English, in which every language gets its name.
_LABEL_LANGUAGES = ("sv", "nb", "de", "es", "ca")
# Self-names where pycountry's catalogue of a language has none (it leaves "Norwegian Bokmål" in English).
_NATIVE = {"sv": "svenska", "nb": "norsk bokmål", "de": "Deutsch", "es": "español", "ca": "català"}


@cache
def _language_catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _language_terms() -> list[dict[str, Any]]:
    """ISO 639-1 languages from pycountry, named in each interface language from the ISO 639 translations
    pycountry ships (English where a catalogue has no name); the interface's own languages carry their
    native names in their own language."""
    terms = []
    for position, language in enumerate(
        sorted((lang for lang in pycountry.languages if hasattr(lang, "alpha_2")), key=lambda x: x.name)
    ):
        labels = {"en": language.name}
        for reader in _LABEL_LANGUAGES:
            name = _language_catalogue(reader).gettext(language.name)
            if name != language.name:
                labels[reader] = name
        if language.alpha_2 in _NATIVE:
            labels[language.alpha_2] = _NATIVE[language.alpha_2]
        terms.append({"code": language.alpha_2, "labels": labels, "definitions": {}, "position": position})
    return terms


@transaction.atomic
def taxonomy_sync(*, term_model: Any = None, region_model: Any = None) -> dict[str, int]:
    """Upsert every code list, language and region from the files; idempotent.

    Models can be passed in so a data migration can use its historical models.
    """
    if term_model is None or region_model is None:
        term_model, region_model = Term, Region
    counts: dict[str, int] = {}
    for scheme_name in codelists.SCHEMES:
        scheme = codelists.load_scheme(scheme_name)
        rows = [
            {
                "code": t.code,
                "labels": t.labels,
                "definitions": t.definitions or {"en": t.definition},
                "position": i,
            }
            for i, t in enumerate(scheme.terms)
        ]
        counts[scheme_name] = _upsert_terms(term_model, scheme_name, rows)
    counts[LANGUAGES_SCHEME] = _upsert_terms(term_model, LANGUAGES_SCHEME, _language_terms())
    for region in regions.load_regions().values():
        region_model.objects.update_or_create(
            code=region.code, defaults={"name": region.name, "country": region.country}
        )
    counts["regions"] = len(regions.load_regions())
    return counts


def _upsert_terms(term_model: Any, scheme: str, rows: list[dict[str, Any]]) -> int:
    existing = {t.code: t for t in term_model.objects.filter(scheme=scheme)}
    for row in rows:
        term = existing.pop(row["code"], None)
        if term is None:
            term_model.objects.create(scheme=scheme, active=True, **row)
            continue
        changed = False
        for key in ("labels", "definitions", "position"):
            if getattr(term, key) != row[key]:
                setattr(term, key, row[key])
                changed = True
        if not term.active:
            term.active, changed = True, True
        if changed:
            term.save()
    # Codes removed from a file are retired, not deleted: old records still point at them.
    for term in existing.values():
        if term.active:
            term.active = False
            term.save(update_fields=["active"])
    return len(rows)


def taxonomy_sync_after_migrate(sender: object, **kwargs: object) -> None:
    """Re-read the data files after every ``migrate``, so an edited code list takes effect."""
    taxonomy_sync()
