#!/usr/bin/env bash
# The build cache (.annals/build/) on a generated site: a clean build
# (--no-cache), a first build that writes the cache, a build with nothing
# changed, then one event's title edited and built again with the cache,
# then the same event's date moved a year (the chronology's order changes);
# after each edit the cached output is compared with a clean build of the
# edited site, and the files each build rewrote are counted. Every figure
# comes with its peak memory, the load average and the pages the build
# kept and rendered (ANNALS_CACHE_REPORT).
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
  ANNALS_CACHE_REPORT=1 /usr/bin/time -f "%M" -o "$work/rss" \
    "$bin" -r "$site" build --timings "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
  echo "$label: $(secs "$t0") s, peak $(( $(tail -1 "$work/rss") / 1024 )) MB; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  grep '^build cache:' "$work/err" | sed 's/^/  /' || true
  # The stages of --timings on one line, in seconds.
  awk '/^  [a-z][a-z ]* +[0-9.]+ ms$/ { printf "%s%s %.2f", sep, $1 ($2 ~ /^[a-z]/ ? " " $2 : ""), $(NF-1) / 1000; sep = ", " }
       END { if (sep) print "" }' "$work/err" | sed 's/^/  stages (s): /'
}
rewritten() {
  find "$work/out" -type f -newer "$work/mark" | wc -l | xargs echo "  files rewritten:"
}
same_as_clean() {
  run "  (clean build of the edited site)" --no-cache -o "$work/clean"
  if diff -r -q "$work/clean" "$work/out" >/dev/null; then
    echo "  the cached output equals the clean build byte for byte"
    rm -rf "$work/clean"
  else
    echo "  DIFFERENT from the clean build:"; diff -r -q "$work/clean" "$work/out" | head
    exit 1
  fi
}
edit() { # python expression over t (the file's text)
  python3 - "$file" "$1" <<'PY'
import re, sys
p = sys.argv[1]
t = open(p, encoding="utf-8").read()
open(p, "w", encoding="utf-8").write(eval(sys.argv[2]))
PY
}
echo "annals build cache, $events events + $articles articles; load: $(cut -d' ' -f1-3 /proc/loadavg)"
run "clean build (--no-cache)" --no-cache -o "$work/clean"
rm -rf "$work/clean"  # (a large site's output is gigabytes of memory under /dev/shm)
run "first cached build (writes the cache)" -o "$work/out"
echo "  cache: $(du -h "$site/.annals/build/cache.bin" | cut -f1)"
touch "$work/mark"
run "cached build, nothing changed" -o "$work/out"
rewritten
# (sed, not head: head would close the pipe early, and pipefail stop the script)
file="$(find "$site/content/events" -name '*.yaml' | sort | sed -n 1p)"
edit 're.sub(r"(?m)^(\s*(?:- )?title: )(.*)$", r"\1\2 (edited)", t, count=1)'
touch "$work/mark"
run "cached build after one event's title edited" -o "$work/out"
rewritten
same_as_clean
edit 're.sub(r"(?m)^(\s*(?:- )?date: )(\d{4})", lambda m: m.group(1) + str(int(m.group(2)) - 1), t, count=1)'
touch "$work/mark"
run "cached build after that event's date moved a year earlier" -o "$work/out"
rewritten
same_as_clean
echo "cache: $(du -h "$site/.annals/build/cache.bin" | cut -f1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
