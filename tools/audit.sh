#!/usr/bin/env bash
# Known vulnerabilities in the pinned dependencies (requirements.lock), by pip-audit against
# PyPI's advisory data (https://pypi.org/pypi/<name>/<version>/json, pip-audit's default service).
#
# When that service does not answer from this machine, nothing can be checked: the script says
# so in a banner and exits 0, or exits 1 when REQUIRE_AUDIT is set (a machine that must audit).
# An advisory may be ignored only with a reason, in IGNORE below (see docs/security.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
LOCK=requirements.lock

# --ignore-vuln ID   # why it does not apply to this app, and when to look again
IGNORE=()

# Probe the service with the first package of the lock file, exactly as pip-audit will ask.
probe=$(grep -m1 -E '^[A-Za-z0-9_.-]+==' "$LOCK" | sed -E 's#^([^=]+)==(.*)$#https://pypi.org/pypi/\1/\2/json#')
status=$("$PY" - "$probe" <<'PYEOF'
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=20).status)
except urllib.error.HTTPError as error:
    print(error.code)
except Exception as error:  # no route, DNS, TLS: the service is out of reach
    print(type(error).__name__)
PYEOF
)
if [ "$status" != "200" ]; then
  echo "=================================================================================="
  echo "== pip-audit NOT RUN: PyPI's vulnerability service does not answer from here"
  echo "==   $probe -> $status"
  echo "== The dependencies were NOT checked for known vulnerabilities. Run 'make audit' on"
  echo "== a machine with internet access to pypi.org (README, Security)."
  echo "=================================================================================="
  [ -n "${REQUIRE_AUDIT:-}" ] && exit 1
  exit 0
fi
echo "== pip-audit: $LOCK against PyPI's advisory data"
# --strict: a package that cannot be checked fails the run instead of being skipped quietly.
exec "$PY" -m pip_audit --strict --no-deps --disable-pip --progress-spinner off \
  -r "$LOCK" "${IGNORE[@]}"
