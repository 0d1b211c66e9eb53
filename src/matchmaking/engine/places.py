"""Where a request wants to go: country and region names read from its text, in six languages.

"Return visit to a Norwegian region", "i Norge", "in Spain", "einer norwegischen Region", "una región
noruega": each becomes a preference for a country (or a region), which partner scoring counts as
one explained part. Read are

* country names (pycountry's names, translated into Swedish, Norwegian, German, Spanish and
  Catalan, plus the English ones), anywhere in the text;
* country adjectives ("Norwegian", "norsk", "norwegisch", "noruego", "noruec" …, matched by their
  stem so inflected forms count) only next to a word for a place or a service ("region", "fylke",
  "Stadt", "servicios" …, within two words either side): "English or Swedish" names languages,
  not places;
* region names given by the caller (e.g. the NUTS regions of the network).

Only the countries passed in ``countries`` (those of the network) are looked for, so a word that
happens to be a faraway country's name does not count, and the asking organisation's own country is
ignored (an exchange goes abroad; "Swedish colleagues" is no wish to stay home).
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

LANGUAGES = ("sv", "nb", "nn", "de", "es", "ca")

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)

# Stems of country adjectives (and demonyms) in English, Swedish, Norwegian, German, Spanish and
# Catalan, lower case without accents. A word counts when it starts with a stem.
ADJECTIVE_STEMS: dict[str, tuple[str, ...]] = {
    "AT": ("austrian", "osterreich", "osterrik", "osterrik", "austriac", "austriak"),
    "BE": ("belgian", "belgisch", "belgisk", "belga", "belgue"),
    "CH": ("swiss", "schweizer", "schweizisk", "sveitsisk", "suiz", "suis"),
    "CZ": ("czech", "tschechi", "tjeckisk", "tsjekkisk", "checo", "checa", "txec"),
    "DE": ("german", "deutsch", "tysk", "aleman", "alemany", "alemanya"),
    "DK": ("danish", "danisch", "dansk", "danes", "danesa"),
    "ES": ("spanish", "spanisch", "spansk", "espanol", "espanyol"),
    "FI": ("finnish", "finnisch", "finsk", "finlandes", "finlandesa"),
    "FR": ("french", "franzosisch", "fransk", "frances", "francesa"),
    "IE": ("irish", "irisch", "irlandsk", "irsk", "irlandes"),
    "IT": ("italian", "italienisch", "italiensk", "italiano", "italiana", "italia"),
    "NL": ("dutch", "niederlandisch", "nederlandsk", "holland", "neerlandes"),
    "NO": ("norwegian", "norwegisch", "norsk", "norueg", "noruec"),
    "PL": ("polish", "polnisch", "polsk", "polaco", "polaca", "polones"),
    "PT": ("portugues", "portugies", "portugisisk", "portugal"),
    "SE": ("swedish", "schwedisch", "svensk", "sueco", "sueca", "suec"),
    "SI": ("slovenian", "slowenisch", "slovensk", "esloven"),
}

# Words for a place or a service that make a country adjective a wish for a place.
_PLACE_WORDS = """
    region regions county counties city cities municipality municipalities country countries town
    partner partners organisation organisations organization organizations colleagues service
    services system systems authority authorities employment
    region regionen län kommun kommuner stad städer land landet partner partnern kollegor
    myndighet tjänster system
    fylke fylket kommune kommunen byen by landet kolleger kollegaer tjenester tjeneste etat
    region regionen stadt land bundesland kommune partner partnerin kollegen behörde behörden
    dienst dienste system arbeitsverwaltung
    región regiones ciudad país socio socios colegas servicio servicios sistema comunidad
    regió regions ciutat país soci socis col legues servei serveis sistema comarca
    """

# Other names of countries not in pycountry's lists, lower case without accents.
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "NO": ("noreg", "norge"),
    "CZ": ("czechia",),
    "NL": ("holland",),
}


def fold(text: str) -> str:
    """Lower case without accents: ``Österreich`` → ``osterreich``.

    Most words of a description are ASCII, which has nothing to decompose: their lower case is the
    answer, and decomposing them character by character was a tenth of what a refresh spent reading
    the places the listings ask for."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


PLACE_WORDS = frozenset(fold(_PLACE_WORDS).split())


@dataclass(frozen=True)
class PlacePreference:
    """Countries and regions a text asks for, and the words that said so (for the reason).

    Examples
    --------
    >>> PlacePreference().stated
    False
    """

    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()

    @property
    def stated(self) -> bool:
        return bool(self.countries or self.regions)

    def fits(self, country: str, region: str | None) -> bool:
        """Does a partner in ``country`` / ``region`` fit the wish?"""
        return country in self.countries or (region is not None and region in self.regions)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, frozenset[str]]:
    """Country code → its names in English and the five other languages, folded."""
    import pycountry

    translations = []
    for lang in LANGUAGES:
        try:
            translations.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:
            continue
    names: dict[str, frozenset[str]] = {}
    for country in pycountry.countries:
        english = [country.name, getattr(country, "common_name", country.name)]
        found = {fold(n) for n in english}
        for t in translations:
            found.update(fold(t.gettext(n)) for n in english)
        found.update(EXTRA_NAMES.get(country.alpha_2, ()))
        names[country.alpha_2] = frozenset(n for n in found if n)
    return names


@lru_cache(maxsize=1)
def _country_phrases() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(country code, the words of one of its names), every name of every country, folded."""
    return tuple(
        (code, tuple(WORD.findall(name)))
        for code, names in sorted(_country_names().items())
        for name in sorted(names)
        if WORD.findall(name)
    )


@lru_cache(maxsize=1)
def _phrases_by_first_word() -> dict[str, tuple[tuple[int, str, tuple[str, ...]], ...]]:
    """The phrases of ``_country_phrases`` by their first word, each with its place in that list."""
    found: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
    for at, (code, parts) in enumerate(_country_phrases()):
        found.setdefault(parts[0], []).append((at, code, parts))
    return {word: tuple(phrases) for word, phrases in found.items()}


def _find(phrase: str, folded_words: list[str]) -> tuple[int, int] | None:
    """Where the (folded) ``phrase`` stands in the words: (first, end), or ``None``."""
    parts = WORD.findall(phrase)
    n = len(parts)
    for i in range(len(folded_words) - n + 1 if parts else 0):
        if folded_words[i : i + n] == parts:
            return i, i + n
    return None


@lru_cache(maxsize=8192)
def _region_words(label: str) -> tuple[tuple[str, ...], ...]:
    """The names of a region's label that may be looked for, each with its folded words. Worked out
    once per label: every listing's description is read against every member region's names, which
    folded them again each time (a sixth of a nightly refresh at 30,000 listings)."""
    found = []
    for name in label.split("/"):
        words = tuple(WORD.findall(fold(name)))
        # "Centro (ES)": a name that needs its country to be told apart is too common a word.
        if len(name) >= 4 and "(" not in name and words:
            found.append(words)
    return tuple(found)


def place_preference(
    text: str,
    *,
    countries: Iterable[str],
    own_country: str = "",
    regions: Mapping[str, str] | None = None,
) -> PlacePreference:
    """The countries and regions ``text`` asks for, among ``countries`` (and ``regions``).

    Parameters
    ----------
    text : str
    countries : iterable of str
        ISO 3166 alpha-2 codes to look for (those of the network).
    own_country : str, optional
        Never a preference (an exchange goes abroad).
    regions : mapping of str to str, optional
        Region code → its name(s) (several names separated by ``/``), e.g. the NUTS regions;
        names with a parenthesis ("Centro (ES)") are skipped.

    Returns
    -------
    PlacePreference

    Examples
    --------
    >>> found = place_preference("Return visit to a Norwegian region", countries={"NO", "ES", "SE"},
    ...     own_country="SE")
    >>> sorted(found.countries), found.words
    (['NO'], ('Norwegian',))
    >>> place_preference("Four staff, English or Swedish.", countries={"SE", "IE"}).stated
    False
    >>> sorted(place_preference("Queremos visitar un servicio en España", countries={"ES"}).countries)
    ['ES']
    """
    raw_words = WORD.findall(text)
    folded = [fold(w) for w in raw_words]
    wanted = {c for c in countries if c and c != own_country}
    found_countries: set[str] = set()
    said: list[str] = []
    starts = set(folded)
    by_first = _phrases_by_first_word()
    # The phrases whose first word is in the text, in the order of the whole list.
    phrases = sorted(p for word in starts for p in by_first.get(word, ()))
    for _, code, parts in phrases:
        if code in wanted and code not in found_countries:
            at = _find(" ".join(parts), folded)
            if at is not None:
                found_countries.add(code)
                said.append(" ".join(raw_words[at[0] : at[1]]))
    # Adjectives count only next to a word for a place or a service: look only there.
    near_places = sorted(
        {i for j, w in enumerate(folded) if w in PLACE_WORDS for i in range(j - 2, j + 3) if i != j}
    )
    for i in near_places:
        if 0 <= i < len(folded):
            for code in sorted(wanted - found_countries):
                if folded[i].startswith(ADJECTIVE_STEMS.get(code, ())):
                    found_countries.add(code)
                    said.append(raw_words[i])
    found_regions: set[str] = set()
    for code, label in sorted((regions or {}).items()):
        for words_of_name in _region_words(label):
            if words_of_name[0] not in starts:
                continue
            at = _find(" ".join(words_of_name), folded)
            if at is not None:
                found_regions.add(code)
                said.append(" ".join(raw_words[at[0] : at[1]]))
                break
    return PlacePreference(frozenset(found_countries), frozenset(found_regions), tuple(dict.fromkeys(said)))
