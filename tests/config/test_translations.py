"""The interface's translation catalogues: complete enough, compiled, placeholder-safe, and used by the pages.

The catalogues are read as plain text (no third-party .po parser) and the compiled .mo files with
Python's gettext. New strings added to the code arrive untranslated until the next translation round
(docs/translations.md), so coverage is checked against a threshold rather than 100 %.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ["sv", "nb", "de", "es", "ca"]
MIN_TRANSLATED = 0.95
PLURAL_FORMS = dict.fromkeys(LANGUAGES, "nplurals=2; plural=(n != 1);")

# One string per language that the anonymous home page and the login page must show.
HOME_WORDS = {
    "sv": "Logga in",
    "nb": "Logg inn",
    "de": "Anmelden",
    "es": "Iniciar sesión",
    "ca": "Inicia la sessió",
}
# The signed-in shell's navigation.
NAV_WORDS = {"sv": "Organisationer", "nb": "Organisasjoner", "de": "Organisationen", "es": "Organizaciones",
             "ca": "Organitzacions"}  # fmt: skip


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and "fuzzy" not in self.flags


def parse_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header (as a dict) and the live entries of a .po file; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] = ("msgid", 0)
    started = False

    def finish() -> None:
        nonlocal entry, started
        if started:
            entries.append(entry)
        entry, started = Entry(), False

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and entry.msgstr:
                finish()  # entries not separated by a blank line
            if m := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
                target = ("msgstr", int(m.group(1)))
            elif keyword in ("msgid", "msgid_plural", "msgctxt", "msgstr"):
                target = (keyword, 0)
            else:
                raise AssertionError(f"{path}: cannot read line {raw!r}")
            started = True
            _append(entry, target, ast.literal_eval(value))

    headers = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(headers) == 1, f"{path}: expected one header entry"
    header = dict(line.split(": ", 1) for line in headers[0].msgstr.get(0, "").splitlines() if ": " in line)
    return header, [e for e in entries if e is not headers[0]]


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    keyword, index = target
    if keyword == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    else:
        setattr(entry, keyword, (getattr(entry, keyword) or "") + text)


def catalogue(lang: str) -> tuple[dict[str, str], list[Entry]]:
    return parse_po(LOCALE_DIR / lang / "LC_MESSAGES" / "django.po")


# --- Placeholders -------------------------------------------------------------------------------
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]"  # %(name)s
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifr]"  # %s, %d
    r"|\{\{\s*[\w.]+\s*\}\}"  # {{ counter }}
    r"|\{\w*(?:[.:!][^{}]*)?\}"  # {name}, {0}, {}
)
HTML_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def tags(text: str) -> list[str]:
    return sorted(t.lower() for t in HTML_TAG.findall(text))


# --- Tests -------------------------------------------------------------------------------------
def test_every_interface_language_has_a_catalogue():
    codes = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert codes == set(LANGUAGES)
    for lang in LANGUAGES:
        assert (LOCALE_DIR / lang / "LC_MESSAGES" / "django.po").is_file()
        assert (LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo").is_file()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_header(lang):
    header, _entries = catalogue(lang)
    assert header["Language"] == lang
    assert header["Plural-Forms"] == PLURAL_FORMS[lang]
    assert header["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_translated(lang):
    _header, entries = catalogue(lang)
    assert len(entries) > 200, "the catalogue looks empty: run scripts/update-translations.sh"
    missing = [e.msgid for e in entries if not e.translated]
    share = 1 - len(missing) / len(entries)
    assert share >= MIN_TRANSLATED, (
        f"{lang}: only {share:.1%} of {len(entries)} strings translated; untranslated or fuzzy: "
        + "; ".join(repr(m[:60]) for m in missing[:30])
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(lang):
    """The committed .mo holds every translation of the .po (run the script after editing a .po)."""
    _header, entries = catalogue(lang)
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    stale = []
    for e in entries:
        if not e.translated:
            continue
        if e.msgid_plural is None:
            got = [mo.gettext(e.msgid) if e.msgctxt is None else mo.pgettext(e.msgctxt, e.msgid)]
        elif e.msgctxt is None:
            got = [mo.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
        else:
            got = [mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n) for n in (1, 2)]
        if got != [e.msgstr[i] for i in sorted(e.msgstr)]:
            stale.append(e.msgid)
    assert not stale, f"{lang}: django.mo is older than django.po for: " + "; ".join(
        repr(s[:60]) for s in stale[:20]
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_placeholders_and_markup(lang):
    _header, entries = catalogue(lang)
    problems = []
    for e in entries:
        if not e.translated:
            continue
        for index, text in e.msgstr.items():
            sources = [e.msgid] if e.msgid_plural is None else ([e.msgid, e.msgid_plural] if index == 0 else
                                                                  [e.msgid_plural])  # fmt: skip
            if not any(placeholders(text) == placeholders(s) for s in sources):
                problems.append(f"{e.msgid!r}: {placeholders(text)} != {placeholders(sources[-1])}")
            if not any(tags(text) == tags(s) for s in sources):
                problems.append(f"{e.msgid!r}: HTML tags {tags(text)} != {tags(sources[-1])}")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


def test_placeholder_pattern():
    assert placeholders("%(counter)s of %(total)d, %s, {name} and {} – 100%%") == sorted(
        ["%(counter)s", "%(total)d", "%s", "{name}", "{}"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_in_each_language(client, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert HOME_WORDS[lang] in html
    assert ">Log in<" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_login_page_follows_accept_language(client, lang):
    response = client.get("/accounts/login/", headers={"accept-language": f"{lang},en;q=0.5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert HOME_WORDS[lang] in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_signed_in_pages_in_each_language(client, staff, lang):
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get("/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert NAV_WORDS[lang] in html
