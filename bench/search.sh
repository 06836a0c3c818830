#!/usr/bin/env bash
# annals' sharded search against Pagefind on the same built sites.
#
#   bench/search.sh [ENTRIES|EVENTS+ARTICLES ...]   # default: 12000 170000+30000
#
# For each size: generates the benchmark corpus (gen_corpus.py, 5:1 events to
# articles) and builds it with annals, both under $WORK (default /dev/shm/annals-search-bench),
# copies the output and runs Pagefind (`pagefind[extended]` from PyPI, installed
# into $VENV, default /tmp/annals-pagefind-venv, outside the repository) on the copy,
# then measures three queries in headless Chromium (bench/search_bench.js): bytes
# downloaded, requests, time to the first result on screen, and for annals the
# time again once the shards are loaded. Prints the index sizes and one JSON line
# per tool and query; deletes each size's corpus and outputs after it.
#
# Environment: ANNALS (binary; default target/release/annals, built if missing),
# GEN_CORPUS (gen_corpus.py), QUERIES (comma-separated), RUNS (default 3), CHROMIUM.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="${WORK:-/dev/shm/annals-search-bench}"
venv="${VENV:-/tmp/annals-pagefind-venv}"
queries="${QUERIES:-ceasefire,drone strike,tribunal}"
runs="${RUNS:-3}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(12000 170000+30000)

gen="${GEN_CORPUS:-}"
for g in "$repo/../shared/bench/gen_corpus.py" "$repo/../../shared/bench/gen_corpus.py"; do
  [ -n "$gen" ] || { [ -f "$g" ] && gen="$g"; } || true
done
[ -f "$gen" ] || { echo "no gen_corpus.py: set GEN_CORPUS" >&2; exit 1; }
annals="${ANNALS:-$repo/target/release/annals}"
if [ ! -x "$annals" ]; then
  (cd "$repo" && cargo build --release --locked --quiet)
fi
if [ ! -x "$venv/bin/pagefind" ] && ! "$venv/bin/python" -c 'import pagefind' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'pagefind[extended]'
fi
[ -f "$repo/tests/browser/node_modules/playwright-core/package.json" ] ||
  (cd "$repo/tests/browser" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)

mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
echo "load: $(uptime)"
for size in "${sizes[@]}"; do
  # ENTRIES (5:1 events to articles) or EVENTS+ARTICLES: the generator's
  # 166,666 + 33,334 links one article it does not write, so 200,000 is
  # asked as 170000+30000 (the split of bench/run.sh).
  if [[ "$size" == *+* ]]; then events=${size%+*} articles=${size#*+}; else events=$((size * 5 / 6)) articles=$((size - size * 5 / 6)); fi
  n=$((events + articles))
  src="$work/src-$n" out="$work/out-$n" pf="$work/pf-$n"
  python3 "$gen" --events "$events" --articles "$articles" --format annals "$src" >/dev/null
  start=$(date +%s.%N)
  "$annals" --root "$src" build --output "$out" >/dev/null
  echo "$n entries: annals build $(echo "$(date +%s.%N) - $start" | bc) s"
  cp -r "$out" "$pf"
  start=$(date +%s.%N)
  "$venv/bin/python" -m pagefind --site "$pf" >/dev/null
  echo "$n entries: pagefind indexing $(echo "$(date +%s.%N) - $start" | bc) s"
  echo "$n entries: index size: annals $(($(du -sb "$out/search" | cut -f1) + $(stat -c %s "$out/search-index.js"))) bytes in $(($(find "$out/search" -type f | wc -l) + 1)) files (manifest $(stat -c %s "$out/search-index.js") bytes), pagefind $(du -sb "$pf/pagefind" | cut -f1) bytes in $(find "$pf/pagefind" -type f | wc -l) files"
  node "$here/search_bench.js" --site "$out" --pagefind "$pf" --queries "$queries" --runs "$runs" | sed "s/^/$n entries: /"
  rm -rf "$src" "$out" "$pf"
done
