#!/usr/bin/env bash
# The import figure: a 200,000-row ACLED-format file (bench/acled_gen.py)
# imported into a copy of the example site with the release binary, then
# imported again (nothing may change), then the site built. Prints each
# command's summary line, wall time and peak memory.
#
#   bench/import.sh [ROWS]        # default 200000
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
rows="${1:-200000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/annals-import-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
(cd "$repo" && cargo build --release --locked --quiet)
bin="$repo/target/release/annals"
python3 "$here/acled_gen.py" "$rows" "$work/acled.csv"
echo "file: $rows rows, $(du -h "$work/acled.csv" | cut -f1)"
mkdir "$work/site"
cp -r "$repo/site.yaml" "$repo/content" "$work/site/"
measure() {
  /usr/bin/time -f "  %e s wall, %M KB peak" "$@" 2>&1 | grep -E "^(acled|built|  [0-9])" || true
}
echo "import:"
measure "$bin" -r "$work/site" import --format acled "$work/acled.csv"
echo "import again (the same file):"
measure "$bin" -r "$work/site" import --format acled "$work/acled.csv"
echo "build:"
measure "$bin" -r "$work/site" build -o "$work/out"
