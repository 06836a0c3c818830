#!/usr/bin/env bash
# The annals benchmark: annals vs Hugo vs the write-only floor.
# Usage: bench/run.sh [SIZE ...] [--runs N] [--seed S] ... (see bench/README.md,
# or bench/run.sh --help). Results go to /tmp/annals-bench/results/.
set -euo pipefail
exec python3 "$(dirname "$0")/bench.py" "$@"
