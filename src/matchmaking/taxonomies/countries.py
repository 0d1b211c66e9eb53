"""Country names in the reader's language, from the ISO 3166 translations pycountry ships."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str = "en") -> str:
    """The country's common name in ``language`` (English if there is no translation); the code if unknown."""
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if country is None:
        return code
    english = getattr(country, "common_name", None) or country.name
    return _catalogue(language.split("-")[0]).gettext(english)


def country_choices(language: str = "en") -> list[tuple[str, str]]:
    """Every country as (code, name), sorted by the name as the reader sees it."""
    return sorted(
        ((c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries),
        key=lambda pair: pair[1],
    )
