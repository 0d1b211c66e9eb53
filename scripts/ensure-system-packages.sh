#!/usr/bin/env bash
# Make sure the Debian packages the app and its tests need are installed.
#   pdf     – the Pango libraries WeasyPrint needs to make PDFs
#   browser – Chromium, for the browser tests
# As root it installs what is missing with apt-get; otherwise it prints the exact command and fails.
set -euo pipefail
missing=()
for need in "$@"; do
  case "$need" in
    pdf)
      ldconfig -p 2>/dev/null | grep 'libpango-1.0.so' >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
      fc-list 2>/dev/null | grep -i dejavu >/dev/null || missing+=(fonts-dejavu-core)
      ;;
    browser)
      command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
      ;;
    *) echo "unknown need: $need" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
