#!/usr/bin/env bash
# Checks the example site's exports with standard readers: builds annals and
# the site, installs Python's `icalendar` and `gpxpy` from PyPI into a
# virtualenv under target/ (once), and runs check.py. Ends with "ok" lines, or a FAIL line and
# a non-zero status.
#
#   tests/exports/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/target/exports-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import icalendar, gpxpy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'icalendar>=5,<7' 'gpxpy>=1.6,<2'
fi
(cd "$repo" && cargo build --locked --quiet)
out="$(mktemp -d "${TMPDIR:-/tmp}/annals-exports.XXXXXX")"
trap 'rm -rf "$out"' EXIT
"$repo/target/debug/annals" --root "$repo" build --output "$out" >/dev/null
"$venv/bin/python" "$here/check.py" "$out"
