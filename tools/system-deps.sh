#!/usr/bin/env bash
# Install the Debian packages the app and its tests need, when they are missing.
#   tools/system-deps.sh          the app: Pango and HarfBuzz for WeasyPrint (Thai via libthai)
#   tools/system-deps.sh --test   also Chromium, for the real-browser test suite, poppler-utils
#                                 (pdftotext reads the PDFs back in tests/test_pdf_print.py), and
#                                 PDFBox Preflight with a Java runtime (tests/test_pdf_a_preflight.py)
#   tools/system-deps.sh --bench  also wrk (HTTP load) and pgbench, for `make bench-load`
# Runs apt-get as root, or through sudo when available; elsewhere it says what is missing.
set -euo pipefail

packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1"
if [ "${1:-}" = "--test" ]; then
  packages="$packages chromium fonts-thai-tlwg poppler-utils"  # Thai glyphs for the screenshots
  # Preflight needs javax.activation and JAXB, which Java 11 and later no longer ship
  packages="$packages libpdfbox2-java libactivation-java libjaxb-api-java default-jre-headless"
elif [ "${1:-}" = "--bench" ]; then
  packages="$packages wrk postgresql-client"  # postgresql-client has pgbench
fi

if ! command -v dpkg >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; install Pango >= 1.44 and HarfBuzz yourself (see README)"
  exit 0
fi
missing=$(for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done | xargs)
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
  apt=(sudo apt-get)
else
  echo "system-deps: missing Debian packages: $missing (install them as root)" >&2
  exit 1
fi
echo "== installing Debian packages: $missing"
"${apt[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends $missing
