"""Free-text similarity of descriptions: TF-IDF weighted word overlap (cosine), in plain Python.

A network has hundreds of organisations, not millions, so a dictionary per description is fast
enough and easy to explain: two descriptions are similar when they share words that few other
descriptions use. The shared words are returned too, so a reason can quote them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)

# Words that say nothing about what an organisation does, per language: function words, and the
# words every description of an exchange uses ("learn", "visit", "based", "related"). Lower case.
STOPWORDS_BY_LANGUAGE = {
    "en": """
        the and for with that this from are was were have has had not but you your our their they
        them its into about also can will would should could more most other some such than then
        there these those which who whom what when where while how all any each both few many much
        very own same too just only over under again further once here out off per via been being
        does did doing work working works worked people organisation organisations organization
        organizations based learn learning learned want wants wanted related see seeing show shows
        visit visits visiting visitor visitors day days week weeks staff new one two three four five
        six use used using well way ways including include includes get make made like way also
        different various within between through across after before during part each every
        take takes taking give gives given need needs needed help helps first year years
        """,
    "sv": """
        och att det som för med har inte den till är var ett en på av om men vill kan ska skulle
        även eller från hur vad när där här alla andra många mycket sina sitt sin vår våra vårt
        deras dem dessa detta denna de vi ni han hon man sig också efter under mellan genom
        arbete arbetar jobba lära lär vilja se besök besöka besökare dag dagar vecka personal
        nya nytt ny två tre fyra fem sex olika inom baserat baserad relaterad
        """,
    "nb": """
        og at det som for med har ikke den til er var ett en et på av om men vil kan skal skulle
        også eller fra hvordan hva når der her alle andre mange mye sine sitt sin vår våre vårt
        deres dem disse dette denne de vi dere han hun man seg etter under mellom gjennom
        arbeid arbeider jobbe lære ønsker se besøk besøke besøkende dag dager uke ansatte
        nye nytt ny to tre fire fem seks ulike innen basert relatert
        """,
    "de": """
        der die das und mit für von den dem des ein eine einer einem eines ist sind war waren
        hat haben nicht aber wir ihr sie unser unsere ihre ihren auch auf aus bei nach über unter
        wie was wenn wo alle andere viele sehr oder zum zur im am an in zu es sich dass durch
        zwischen arbeit arbeiten lernen möchten wollen sehen besuch besuchen besucher tag tage
        woche mitarbeitende mitarbeiter neue neuen zwei drei vier fünf sechs verschiedene basiert
        """,
    "es": """
        el la los las de del y en con para por que una uno unos unas es son fue ser está están
        han hay no pero nosotros nuestra nuestro nuestras nuestros su sus también sobre entre
        como qué cuando donde todos todas otros otras muy más o al se lo le les durante desde
        trabajo trabajar aprender queremos quiere ver visita visitar visitantes día días semana
        personal nuevo nueva nuevos dos tres cuatro cinco seis diferentes basado relacionado
        """,
    "ca": """
        el la els les de del i en amb per que una un uns unes és són va ser està estan han hi
        no però nosaltres nostra nostre nostres seu seva seus seves també sobre entre com quan
        on tots totes altres molt més o al es ho li durant des treball treballar aprendre volem
        vol veure visita visitar visitants dia dies setmana personal nou nova nous dos tres
        quatre cinc sis diferents basat relacionat
        """,
}
STOPWORDS = frozenset(w for ws in STOPWORDS_BY_LANGUAGE.values() for w in ws.split())

MIN_IDF_SHARE = 0.25
"""A shared word is quoted in a reason only if at most this share of the descriptions use it."""


def words(text: str) -> list[str]:
    """Lower-case words of three letters or more, without stop words."""
    return [w for w in (m.group(0).lower() for m in WORD.finditer(text)) if w not in STOPWORDS]


class TextIndex:
    """TF-IDF vectors for a fixed set of documents, keyed by any string id."""

    def __init__(self, documents: Iterable[tuple[str, str]]) -> None:
        counted = {key: Counter(words(text)) for key, text in documents}
        frequency: Counter[str] = Counter()
        for counts in counted.values():
            frequency.update(counts.keys())
        total = max(len(counted), 1)
        self.idf = {w: math.log((1 + total) / (1 + df)) + 1.0 for w, df in frequency.items()}
        # The idf of a word used by MIN_IDF_SHARE of the documents; tiny networks quote every word.
        self.min_idf = math.log((1 + total) / (1 + MIN_IDF_SHARE * total)) + 1.0 if total >= 8 else 0.0
        self.vectors = {key: self._vector(counts) for key, counts in counted.items()}

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        raw = {w: (1 + math.log(c)) * self.idf.get(w, 1.0) for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        return {w: v / norm for w, v in raw.items()}

    def similarity(self, a: str, b: str, top_words: int = 3) -> tuple[float, tuple[str, ...]]:
        """Cosine similarity 0–1 of documents ``a`` and ``b`` and the shared words that weigh most.

        Only informative words are quoted: those used by at most ``MIN_IDF_SHARE`` of the documents
        (in a network of fewer than eight descriptions, every shared word).
        """
        va = self.vectors.get(a, {})
        vb = self.vectors.get(b, {})
        if len(vb) < len(va):
            va, vb = vb, va
        shared = {w: va[w] * vb[w] for w in va if w in vb}
        quotable = [w for w in shared if self.idf.get(w, 0.0) >= self.min_idf]
        best = sorted(quotable, key=lambda w: (-shared[w], w))[:top_words]
        return min(1.0, sum(shared.values())), tuple(best)
