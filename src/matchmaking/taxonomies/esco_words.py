"""Words as the ESCO keyword search sees them: folded (lower case, no accents), split, stop words left
out and stemmed (Porter's algorithm, English), and the small table of everyday words that suggestions
from a free-text story also look for. Pure standard library."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# ---------------------------------------------------------------------------------------------------
# Words

_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS_TEXT = (
    "a about above after again all also am an and any are as at be been being both but by can could "
    "did do does doing done during each etc for from further had has have having he her here hers him "
    "his how i if in into is it its itself just me more most my myself no nor not now of off on once "
    "only or other our ours out over own same she should so some such than that the their them then "
    "there these they this those through to too under until up very was we were what when where which "
    "while who whom why will with would you your yours"
)
# Function words of the network's other languages, as ``fold`` leaves them (no accents): the skill
# labels in those languages are searched too, and a Swedish story's "har", "och", "min" must not match
# every label that has them. Words that are also English terms in ESCO ("die" casting, "AV" equipment,
# "PA" systems, "hat", "man", "men", "son", "var") are left out.
_OTHER_STOP_WORDS_TEXT = (
    # sv, nb
    "och og att det som med har inte ikke den till til ar er ett en et om vill vil kan ska skal "
    "skulle eller fra fran hur hvordan vad hva nar der dar har alla alle andra andre min mitt mina "
    "mine din ditt dina dine sin sitt sina sine jag jeg vi ni dere hon hun han sig seg ocksa ogsa "
    "efter etter mellan mellom genom gjennom hos sa nagot noe nagon noen "
    # de
    "der das und mit fur von den dem des ein eine einer einem eines ist sind war waren haben "
    "nicht aber wir ihr sie mein meine unser unsere ihre auch auf aus bei nach uber unter wie "
    "wenn wo oder zum zur im am zu es sich dass durch ich habe hatte "
    # es, ca
    "el la los las els les de del y i e en con amb para per por que una uno unos unas uns unes "
    "es son fue ser esta estan han hay no pero mi mis meu meva su sus seu seva tambien tambe "
    "sobre entre como com cuando quan donde on todos tots otros altres muy molt mas o al se lo "
    "le les li ho he ha hemos yo jo"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split()) | frozenset(_OTHER_STOP_WORDS_TEXT.split())
_VOWELS = frozenset("aeiou")


def fold(text: str) -> str:
    """Lower case without accents."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _consonant(word: str, i: int) -> bool:
    if word[i] in _VOWELS:
        return False
    if word[i] == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences."""
    m, previous_vowel = 0, False
    for i in range(len(stem)):
        consonant = _consonant(stem, i)
        if consonant and previous_vowel:
            m += 1
        previous_vowel = not consonant
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _consonant(stem, i) for i in range(len(stem)))


def _cvc(stem: str) -> bool:
    return (
        len(stem) >= 3
        and _consonant(stem, len(stem) - 3)
        and not _consonant(stem, len(stem) - 2)
        and _consonant(stem, len(stem) - 1)
        and stem[-1] not in "wxy"
    )


@cache
def stem(word: str) -> str:
    """A light Porter stemmer (steps 1a–1c and 5): plurals, -ed, -ing and a final e.

    care, cared, caring -> care; nurse, nurses, nursing -> nurs; welding, welded -> weld.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    # 1a
    if word.endswith(("sses", "ies")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss") and not word.endswith("us"):
        word = word[:-1]
    # 1b
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif len(word) > 1 and word[-1] == word[-2] and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break
    # 1c
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    # 5
    if word.endswith("e"):
        m = _measure(word[:-1])
        if m > 1 or (m == 1 and not _cvc(word[:-1])):
            word = word[:-1]
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Stemmed words without stop words."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


# Everyday words in accounts of experience and the words ESCO uses for the same things. Only for
# suggestions from free text; a small hand-made list, not a thesaurus (see docs/esco.md).
_EVERYDAY_WORDS = {
    "grandmother grandfather grandparent grandma grandpa granny nan elderly old aged": (
        "elderly older adult"
    ),
    "kid child children baby babysit babysat toddler": "children child",
    "mum mom mother dad father parent sibling brother sister family relative": "family",
    "look looked after": "care",
    "help helped": "assist support",
    "shop store supermarket": "retail shop store sales",
    "till checkout cashier": "cash payment register",
    "customer client shopper": "customer client",
    "sold sell selling": "sell sales",
    "fix fixed mend mended repair repaired": "repair maintain",
    "car cars van vehicle": "vehicle car",
    "cook cooked cooking meal meals kitchen": "food cook kitchen",
    "food bank charity donation donated": "donation charity food",
    "volunteer volunteered volunteering": "volunteer community",
    "taught teach tutor tutored coached coach": "teach train coach",
    "clean cleaned cleaning": "clean hygiene",
    "garden gardening": "garden plant",
    "build built": "build construct",
    "computer laptop pc": "computer ICT",
    "phone telephone": "telephone",
    "drive drove driving": "drive",
    "organise organised organize organized": "organise plan",
    "translate translated interpreted": "translate interpret",
}


def _everyday() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for sources, targets in _EVERYDAY_WORDS.items():
        related = tuple(dict.fromkeys(stem(w) for w in words(targets)))
        for word in words(sources):
            key = stem(word)
            table[key] = tuple(dict.fromkeys((*table.get(key, ()), *related)))
    return {k: tuple(r for r in v if r != k) for k, v in table.items()}
