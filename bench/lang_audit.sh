#!/usr/bin/env bash
# Audits the example site in other languages (issue #23): builds it as
# `language: ar` and as `languages: [uk, en]` from a copy of the repository
# root, then runs the shared audit (HTML validity, links, axe, console,
# screenshots at 390 and 1280 px) on each, with a screenshot of an inner page
# of every language tree.
#
#   bench/lang_audit.sh [WORKDIR] [ANNALS_BINARY]   # default /tmp/annals-lang-audit, target/debug/annals
#   SITES="uk-en" bench/lang_audit.sh ...            # only some of: ar uk-en
#
# Results: WORKDIR/report-ar/, WORKDIR/report-uk-en/ (summary.txt, *.png),
# and a last line per site with its HTML errors, broken links, axe serious
# and critical findings and console errors.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
shared="$(cd "$repo/../shared" 2>/dev/null && pwd || echo /work/shared)"
work="${1:-/tmp/annals-lang-audit}"
bin="${2:-$repo/target/debug/annals}"
[ -x "$bin" ] || (cd "$repo" && cargo build --locked --quiet)
mkdir -p "$work"

# site NAME LANGUAGE-LINES: a copy of the example site with its language set.
site() {
  local name="$1" lines="$2" dir="$work/site-$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  # The theme (templates, static, i18n) is the binary's own: only the
  # content and the settings are copied.
  cp -r "$repo/content" "$repo/site.yaml" "$dir/"
  grep -v '^language:' "$repo/site.yaml" > "$dir/site.yaml"
  printf '%s\n' "$lines" >> "$dir/site.yaml"
  "$bin" --root "$dir" build --output "$work/public-$name" >/dev/null
}

sites="${SITES:-ar uk-en}"
want() { case " $sites " in *" $1 "*) return 0;; esac; return 1; }
if want ar; then site ar "language: ar"; fi
if want uk-en; then site uk-en "languages: [uk, en]"; fi

audit() {
  local name="$1" inner="$2"
  AUDIT_PAGES="${AUDIT_PAGES:-8}" AUDIT_INNER_PAGE="$inner" \
    bash "$shared/audit/audit.sh" "$work/public-$name" "$work/report-$name" > "$work/report-$name.log" 2>&1 || true
}
first_event() { echo "$(cd "$work/public-$1" && ls -d "${2}"events/*/ | head -1)index.html"; }

if want ar; then audit ar "$(first_event ar '')"; fi
if want uk-en; then audit uk-en "$(first_event uk-en en/)"; fi
# The first screen of a few pages, light and dark, to look at.
if [ -d "$repo/tests/browser/node_modules/playwright-core" ] || [ -d "${AUDIT_DEPS:-$HOME/.cache/site-audit}/node_modules/playwright-core" ]; then
  if want ar; then
    node "$repo/bench/lang_shots.js" --site "$work/public-ar" --out "$work/report-ar" \
      --pages "/,/$(first_event ar '' | sed 's/index.html$//'),/actors/"
  fi
  if want uk-en; then
    node "$repo/bench/lang_shots.js" --site "$work/public-uk-en" --out "$work/report-uk-en" \
      --pages "/,/en/,/$(first_event uk-en uk/ | sed 's/index.html$//')"
  fi
fi
for name in $sites; do
  python3 - "$work/report-$name/summary.json" "$name" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
axe = s.get("axe") or {}
print(f'{sys.argv[2]}: html_errors={s.get("html_errors")} broken_links={s.get("broken_links")} '
      f'missing_anchors={s.get("missing_anchors")} axe_critical={axe.get("critical")} axe_serious={axe.get("serious")} '
      f'axe_moderate={axe.get("moderate")} console={s.get("console_errors_sampled")} '
      f'exceptions={s.get("uncaught_exceptions_sampled")} overflow390={s.get("mobile_overflow_pages")}')
PY
done
