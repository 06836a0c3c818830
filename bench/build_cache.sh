#!/usr/bin/env bash
# The build cache (.annals/build/) on a generated site: a clean build
# (--no-cache), a first build that writes the cache, then one event's title
# edited and built again with the cache; the rebuilt output is compared with
# a clean build of the edited site, and the files it rewrote are counted.
#
# Usage: bench/build_cache.sh [EVENTS] [ARTICLES]   (default 10000 2000)
# Env:   ANNALS (binary, default target/release/annals), GEN (the corpus
#        generator, default ../shared/bench/gen_corpus.py), WORK (scratch
#        folder, default /dev/shm/annals-cache-bench; removed at the end).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
events="${1:-10000}"
articles="${2:-2000}"
bin="${ANNALS:-$repo/target/release/annals}"
work="${WORK:-/dev/shm/annals-cache-bench}"
trap 'rm -rf "$work"' EXIT
rm -rf "$work"
mkdir -p "$work"
gen="${GEN:-$repo/../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || gen="$repo/../../shared/bench/gen_corpus.py"
python3 "$gen" --events "$events" --articles "$articles" \
  --format annals --seed 1 "$work/site" >/dev/null
site="$work/site"
secs() { python3 -c 'import sys,time; print(f"{time.time()-float(sys.argv[1]):.2f}")' "$1"; }
run() { # label, args...
  local label="$1"; shift
  local t0; t0="$(python3 -c 'import time; print(time.time())')"
  "$bin" -r "$site" build "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
  echo "$label: $(secs "$t0") s"
}
echo "annals build cache, $events events + $articles articles; load: $(cut -d' ' -f1-3 /proc/loadavg)"
run "clean build (--no-cache)" --no-cache -o "$work/clean"
run "first cached build (writes the cache)" -o "$work/out"
touch "$work/mark"
run "cached build, nothing changed" -o "$work/out"
find "$work/out" -type f -newer "$work/mark" | wc -l | xargs echo "  files rewritten:"
file="$(find "$site/content/events" -name '*.yaml' | sort | head -1)"
python3 - "$file" <<'EOF'
import re, sys
p = sys.argv[1]
t = open(p, encoding="utf-8").read()
open(p, "w", encoding="utf-8").write(re.sub(r"(?m)^(\s*(?:- )?title: )(.*)$", r"\1\2 (edited)", t, count=1))
EOF
touch "$work/mark"
run "cached build after one event's title edited" -o "$work/out"
find "$work/out" -type f -newer "$work/mark" | wc -l | xargs echo "  files rewritten:"
run "clean build of the edited site" --no-cache -o "$work/clean"
if diff -r -q "$work/clean" "$work/out" >/dev/null; then
  echo "  the cached output equals the clean build byte for byte"
else
  echo "  DIFFERENT from the clean build:"; diff -r -q "$work/clean" "$work/out" | head
  exit 1
fi
echo "cache: $(du -h "$site/.annals/build/cache.bin" | cut -f1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
