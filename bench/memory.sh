#!/usr/bin/env bash
# Where a clean build's memory goes: for each size, a generated site built
# once with `annals build` (the cached path, as bench/run.sh times it) and
# once with `--no-cache` and ANNALS_MEMTRACE=1 (resident memory after each
# step of the plain build), each under /usr/bin/time (peak RSS, CPU).
#
# Usage: bench/memory.sh [EVENTS+ARTICLES ...]   (default 10000+2000 50000+10000@3)
#        a size may end in @SEED (default 1); 170000+30000 is bench/run.sh's 200000.
# Env:   ANNALS (binary, default target/release/annals), BEFORE (another
#        binary, e.g. a build of main: each size is also built with it, the
#        two plain builds one after the other, for a before/after under the
#        same load), GEN (the corpus
#        generator, default ../shared/bench/gen_corpus.py), WORK (scratch
#        folder on a tmpfs, default /dev/shm/annals-memory-bench; removed at
#        the end), NICE (default 5).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
bin="${ANNALS:-$repo/target/release/annals}"
work="${WORK:-/dev/shm/annals-memory-bench}"
nice="${NICE:-5}"
gen="${GEN:-$repo/../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || gen="$repo/../../shared/bench/gen_corpus.py"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000+2000 50000+10000@3)
trap 'rm -rf "$work"' EXIT
for size in "${sizes[@]}"; do
  seed=1
  case "$size" in *@*) seed="${size#*@}"; size="${size%@*}" ;; esac
  events="${size%+*}"
  articles="${size#*+}"
  rm -rf "$work"
  mkdir -p "$work"
  python3 "$gen" --events "$events" --articles "$articles" \
    --format annals --seed "$seed" "$work/site" >/dev/null
  echo "== $events events + $articles articles (seed $seed); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  runs=("$bin cached" "$bin plain")
  [ -n "${BEFORE:-}" ] && runs+=("$BEFORE plain")
  for run in "${runs[@]}"; do
    exe="${run% *}"
    mode="${run##* }"
    args=()
    [ "$mode" = plain ] && args=(--no-cache)
    rm -rf "$work/out" "$work/site/.annals"
    ANNALS_MEMTRACE=1 nice -n "$nice" /usr/bin/time -f 'time %e s wall, %U s user, %S s sys, peak RSS %M KB' \
      "$exe" --root "$work/site" build "${args[@]}" --output "$work/out" 2>"$work/err" >/dev/null \
      || { tail -5 "$work/err"; exit 1; }
    echo "-- $exe build ${args[*]:-(cached path)}; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    grep -E '^(memtrace|time) ' "$work/err" || true
  done
done
