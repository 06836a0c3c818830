#!/usr/bin/env bash
# Uploads a generated 12,000-entry site to a local S3-compatible server
# (moto's, from PyPI, on 127.0.0.1) with `rclone sync --checksum`, edits one
# event, rebuilds and syncs again: the second deploy must upload exactly the
# files whose bytes changed (issue 26, point 4; docs/deploy.md). Installs
# rclone (Debian) when missing and moto[server] into a virtualenv under
# target/ (once); builds annals in release mode. The corpus comes from the
# benchmark's generator (../shared/bench/gen_corpus.py, or --gen PATH) and
# lives under /dev/shm while the test runs. Ends with "ok ..." or "FAIL ...".
#
#   tests/deploy/run.sh [--events 10000 --articles 2000] [--gen PATH]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/target/deploy-venv"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v rclone >/dev/null; then
  echo "deploy test: installing rclone" >&2
  as_root apt-get update -qq && as_root apt-get install -y -qq rclone >/dev/null
fi
if [ ! -x "$venv/bin/moto_server" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]>=5,<6'
fi
(cd "$repo" && cargo build --release --locked --quiet)
echo "deploy test: $(rclone version | head -1), moto $("$venv/bin/python" -c 'import moto; print(moto.__version__)')" >&2
exec python3 "$here/deploy.py" --annals "$repo/target/release/annals" \
  --moto-server "$venv/bin/moto_server" "$@"
