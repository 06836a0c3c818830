#!/usr/bin/env bash
# Browser tests of the built-in theme. Builds annals, the example site (the
# repository root) and a long generated timeline (long-site.js), makes sure
# Chromium and playwright-core are there, runs tests/browser/run.js and ends
# with its "N passed, N failed" line; the exit status is non-zero when a test
# fails or the setup does.
#
#   tests/browser/run.sh            # from anywhere in the repository
#   CHROMIUM=/path/to/chromium tests/browser/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"

fail() { echo "browser tests: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "$chromium" ]; then
  echo "browser tests: installing chromium" >&2
  as_root apt-get update -qq || fail "apt-get update failed"
  as_root apt-get install -y -qq chromium fonts-dejavu-core >/dev/null || fail "cannot install chromium"
  [ -x "$chromium" ] || fail "no Chromium at $chromium"
fi
if ! command -v node >/dev/null; then
  echo "browser tests: installing nodejs" >&2
  as_root apt-get update -qq && as_root apt-get install -y -qq nodejs npm >/dev/null || fail "cannot install nodejs"
fi
command -v npm >/dev/null || { as_root apt-get install -y -qq npm >/dev/null || fail "cannot install npm"; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 18 ] || fail "the browser tests need Node 18 or newer, found $(node --version)"
if [ ! -f "$here/node_modules/playwright-core/package.json" ] || [ ! -f "$here/node_modules/@knight-lab/timelinejs/package.json" ]; then
  echo "browser tests: installing npm packages" >&2
  if [ "$node_major" -ge 20 ]; then
    (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) || fail "npm ci failed"
  else
    # playwright-core 1.57.0 is the last release that runs on Node 18 (Debian 12's).
    (cd "$here" && npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error playwright-core@1.57.0 @knight-lab/timelinejs@3.9.11) ||
      fail "npm install failed"
  fi
fi

echo "browser tests: building annals and the example site" >&2
(cd "$repo" && cargo build --locked --quiet) || fail "cargo build failed"
site="$(mktemp -d "${TMPDIR:-/tmp}/annals-browser-site.XXXXXX")"
long="$(mktemp -d "${TMPDIR:-/tmp}/annals-browser-long.XXXXXX")"
trap 'rm -rf "$site" "$long"' EXIT
"$repo/target/debug/annals" --root "$repo" build --output "$site" >/dev/null || fail "the example site does not build"
node "$here/long-site.js" "$long/src" || fail "cannot write the long timeline"
"$repo/target/debug/annals" --root "$long/src" build --output "$long/out" >/dev/null || fail "the long timeline does not build"

status=0
node "$here/run.js" --site "$site" --long-site "$long/out" --chromium "$chromium" || status=1

# The finder on a large generated site (scale.js): ANNALS_SCALE_ENTRIES entries
# (6,000 by default; the issue's check is 200000), split 5:1 into events and
# articles by the benchmark's generator, built by ANNALS_BIN (default: the debug
# build; a release binary builds 200,000 entries in a fraction of the time),
# corpus and output under /dev/shm when it exists.
entries="${ANNALS_SCALE_ENTRIES:-6000}"
gen=""
for g in "${GEN_CORPUS:-}" "$repo/../shared/bench/gen_corpus.py" "$repo/../../shared/bench/gen_corpus.py"; do
  if [ -n "$g" ] && [ -f "$g" ]; then gen="$g"; break; fi
done
shm="${TMPDIR:-/tmp}"; [ -d /dev/shm ] && shm=/dev/shm
large="$(mktemp -d "$shm/annals-browser-large.XXXXXX")"
trap 'rm -rf "$site" "$long" "$large"' EXIT
if [ -z "$gen" ]; then
  # Without the benchmark's generator (a checkout on its own), the same
  # number of simpler events, written by long-site.js.
  echo "browser tests: no gen_corpus.py (set GEN_CORPUS): the large site is written by long-site.js" >&2
  node "$here/long-site.js" "$large/src" "$entries" || fail "long-site.js failed"
else
  events=$((entries * 5 / 6))
  python3 "$gen" --events "$events" --articles $((entries - events)) --format annals "$large/src" >/dev/null || fail "gen_corpus.py failed"
fi
"${ANNALS_BIN:-$repo/target/debug/annals}" --root "$large/src" build --output "$large/out" >/dev/null || fail "the large site does not build"
node "$here/scale.js" --site "$large/out" --chromium "$chromium" || status=1

# Languages, reading order and embeds (an Arabic copy and `annals serve` of the example site).
node "$here/i18n.js" --site "$site" --repo "$repo" --annals "$repo/target/debug/annals" --chromium "$chromium" || status=1
exit $status
