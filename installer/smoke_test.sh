#!/usr/bin/env bash
# Build the app as a victim gets it (`make dist`) and run the built executable:
# --version, a CLI round trip offscreen, the GUI offscreen and under Xvfb, portable mode with
# an empty HOME (tests/dist/test_frozen.py). Prints the build time and the sizes.
# CI runs it after `make test`; it needs the dev extras (pytest) that `make test` installs.
# Set SMOKE_SKIP_BUILD=1 to test an existing dist/evidence-app.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

if [ "${SMOKE_SKIP_BUILD:-}" != "1" ]; then
    start=$(date +%s)
    make dist
    end=$(date +%s)
    echo "smoke: build_seconds=$((end - start))"
fi
if [ ! -x dist/evidence-app/evidence-app ]; then
    echo "smoke: dist/evidence-app/evidence-app was not built" >&2
    exit 1
fi
echo "smoke: folder_mib=$(du -sm dist/evidence-app | cut -f1)"
for archive in dist/evidence-locker-*-linux-*.tar.gz; do
    [ -e "$archive" ] && echo "smoke: archive=$archive archive_mib=$(du -sm "$archive" | cut -f1)"
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
"$PY" -m pytest -q -rs -m dist tests/dist 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
    exit "$status"
fi
if ! grep -Eq '[0-9]+ passed' "$log" || grep -Eq '[0-9]+ skipped' "$log"; then
    echo "smoke: every test of the built app must run and pass (see the skip reasons above)" >&2
    exit 1
fi
echo "smoke: the built app passed"
