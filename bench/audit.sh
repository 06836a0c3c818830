#!/usr/bin/env bash
# Audits a generated site the way issue #3 checks the theme: builds a
# synthetic corpus with the release binary and runs the shared audit
# (HTML validity, links, accessibility, console errors, screenshots) on it,
# then measures the index page's long tasks in Chromium.
#
#   bench/audit.sh [EVENTS ARTICLES] [OUTDIR]     # default 1600 400 /tmp/annals-audit
#
# The corpus cites its sources on https://example.org/news/..., the host of
# its own base_url (https://example.org/war/). The audit counts every link
# on the site's host as internal, so those citations would show up as
# thousands of "broken links" outside the base path. The site is therefore
# built with --base-url https://chronology.example.net/war/: the same site
# served from its own host, and the citations external, as they are.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
shared="$(cd "$repo/../shared" && pwd)"
events="${1:-1600}"
articles="${2:-400}"
out="${3:-/tmp/annals-audit}"
corpus="$out/corpus-${events}e-${articles}a"
site="$out/site"

(cd "$repo" && cargo build --release --locked --quiet)
if [ ! -f "$corpus/site.yaml" ]; then
  python3 "$shared/bench/gen_corpus.py" --events "$events" --articles "$articles" --format annals --force "$corpus" >/dev/null
fi
"$repo/target/release/annals" --root "$corpus" build --output "$site" --base-url https://chronology.example.net/war/
bash "$shared/audit/audit.sh" "$site" "$out/report"
if [ -f "$repo/tests/browser/node_modules/playwright-core/package.json" ]; then
  node "$repo/tests/browser/longtasks.js" --site "$site" --runs 10
else
  echo "long tasks: run tests/browser/run.sh once to install playwright-core" >&2
fi
