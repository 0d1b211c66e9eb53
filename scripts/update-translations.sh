#!/usr/bin/env bash
# Refresh the interface's translation catalogues and compile them.
#
#   bash scripts/update-translations.sh
#
# 1. makemessages: collects every string marked for translation in src/matchmaking (templates and
#    Python; not the engine, which has no user interface) into
#    src/matchmaking/locale/<lang>/LC_MESSAGES/django.po for each interface language.
#    New strings arrive with an empty msgstr; strings that disappeared from the code are dropped.
# 2. compilemessages: turns each .po into the .mo file Django reads at run time.
#
# Commit both the .po and the .mo files: a fresh clone then shows translations without gettext.
# Needs the gettext tools (xgettext, msgmerge, msgfmt): apt-get install gettext.
# See docs/translations.md for the glossary and the translators' workflow.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$REPO_DIR/.venv/bin/python}"
LANGS=(sv nb de es ca)
LOCALE_DIR="$REPO_DIR/src/matchmaking/locale"
export DJANGO_SETTINGS_MODULE=matchmaking.config.settings.dev

for tool in xgettext msgmerge msgfmt; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "$tool not found: install gettext (sudo apt-get install -y gettext)" >&2
    exit 1
  }
done

lang_args=()
for lang in "${LANGS[@]}"; do lang_args+=(--locale="$lang"); done

# Keep a copy of each catalogue so that a run that changes nothing but the POT-Creation-Date
# header leaves the file untouched (no churn in version control).
backup="$(mktemp -d)"
trap 'rm -rf "$backup"' EXIT
for lang in "${LANGS[@]}"; do
  po="$LOCALE_DIR/$lang/LC_MESSAGES/django.po"
  [ -f "$po" ] && mkdir -p "$backup/$lang" && cp "$po" "$backup/$lang/django.po"
done

# makemessages and compilemessages walk the current directory, so they run inside the package:
# that limits the scan to src/matchmaking (and keeps compilemessages away from the virtualenv's
# own catalogues). The ignore patterns drop the engine and any tests, benchmarks or virtualenv.
cd "$REPO_DIR/src/matchmaking"
"$PYTHON" "$REPO_DIR/manage.py" makemessages \
  "${lang_args[@]}" \
  --domain=django \
  --extension=html,txt,py \
  --ignore=engine \
  --ignore=tests \
  --ignore=benchmarks \
  --ignore=.venv \
  --ignore=locale \
  --no-obsolete \
  --no-location

strip_date() { grep -v '^"POT-Creation-Date:' "$1"; }
for lang in "${LANGS[@]}"; do
  po="$LOCALE_DIR/$lang/LC_MESSAGES/django.po"
  old="$backup/$lang/django.po"
  if [ -f "$old" ] && cmp -s <(strip_date "$old") <(strip_date "$po"); then
    cp "$old" "$po"
  fi
done

"$PYTHON" "$REPO_DIR/manage.py" compilemessages "${lang_args[@]}" --ignore=.venv

# Report what the translators have left to do.
for lang in "${LANGS[@]}"; do
  po="$LOCALE_DIR/$lang/LC_MESSAGES/django.po"
  printf '%s: ' "$lang"
  msgfmt --statistics --output-file=/dev/null "$po" 2>&1
done
