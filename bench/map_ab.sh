#!/usr/bin/env bash
# The map and media against the build before them (issue 22, point 5):
# builds the 12,000-entry benchmark corpus with each given annals binary in
# turn (A B A B ..., so that both meet the same load), output on tmpfs, and
# prints each run's wall time, CPU time and peak memory, then the medians and
# the output's size. Then it adds 40 large images to a copy of the corpus and
# builds it twice with the last binary and --timings: the first build
# resizes them, the second takes every variant from .annals/media/.
#
#   bench/map_ab.sh BIN_BEFORE BIN_AFTER [RUNS]
#
# Release binaries: `git archive COMMIT | tar -x -C DIR && cargo build
# --release` in DIR (bench/README.md, "The map and media"). The corpus comes
# from the benchmark's generator (../shared/bench/gen_corpus.py, or $GEN).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
[ $# -ge 2 ] || { sed -n '2,14p' "$0"; exit 2; }
bins=("$1" "$2")
runs="${3:-3}"
gen="${GEN:-}"
for g in "$repo/../shared/bench/gen_corpus.py" "$repo/../../shared/bench/gen_corpus.py"; do
  [ -n "$gen" ] || { [ -f "$g" ] && gen="$g"; }
done
[ -f "$gen" ] || { echo "no gen_corpus.py (set GEN)" >&2; exit 2; }
base="$(mktemp -d "${TMPDIR:-/dev/shm}/annals-map-ab.XXXXXX")"
trap 'rm -rf "$base"' EXIT
python3 "$gen" --events 10000 --articles 2000 --format annals "$base/site" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  for i in 0 1; do
    rm -rf "$base/out"
    /usr/bin/time -f "%e %U %S %M" -o "$base/t" "${bins[$i]}" --root "$base/site" build --output "$base/out" >/dev/null
    read -r wall user sys rss < "$base/t"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
    echo "$i $wall $cpu $rss" >> "$base/results"
    printf 'run %d  %-6s wall %6.2f s  cpu %6.2f s  peak %5d MB\n' "$run" "$([ $i = 0 ] && echo before || echo after)" "$wall" "$cpu" $((rss / 1024))
    [ "$run" = 1 ] && du -sb "$base/out" | awk -v w="$i" '{print w, $1}' >> "$base/bytes"
    [ "$run" = 1 ] && find "$base/out" -type f | wc -l | awk -v w="$i" '{print w, $1}' >> "$base/files"
  done
done
for i in 0 1; do
  name=$([ $i = 0 ] && echo before || echo after)
  wall=$(awk -v w=$i '$1 == w {print $2}' "$base/results" | median)
  cpu=$(awk -v w=$i '$1 == w {print $3}' "$base/results" | median)
  rss=$(awk -v w=$i '$1 == w {print $4}' "$base/results" | median)
  bytes=$(awk -v w=$i '$1 == w {print $2}' "$base/bytes")
  files=$(awk -v w=$i '$1 == w {print $2}' "$base/files")
  printf 'median %-6s wall %6.2f s  cpu %6.2f s  peak %5d MB  output %d files, %.1f MB  (%s)\n' \
    "$name" "$wall" "$cpu" $((${rss%.*} / 1024)) "$files" "$(awk -v b="$bytes" 'BEGIN {print b / 1e6}')" "${bins[$i]}"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Images: 40 photographs' worth of pixels (2400 x 1600 PNG), each on an event.
python3 - "$base/site" <<'PY'
import struct, sys, zlib
from pathlib import Path
site = Path(sys.argv[1])
(site / "content/media").mkdir(parents=True, exist_ok=True)
w, h = 2400, 1600
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
lines = []
for n in range(40):
    rows = b"".join(b"\x00" + bytes((x * 7 + y * 3 + n * 11) % 256 for x in range(w * 3)) for y in range(0, h, 1))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")
    (site / f"content/media/photo-{n:02}.png").write_bytes(png)
    lines += [f"- id: photo-event-{n:02}", f"  date: 2023-05-{n % 28 + 1:02}", f"  title: Photographed event {n}",
              "  media:", f"    - file: media/photo-{n:02}.png", f"      alt: Test pattern {n}", "      credit: annals bench", ""]
(site / "content/events/zz-photos.yaml").write_text("\n".join(lines), encoding="utf-8")
PY
for pass in first second; do
  rm -rf "$base/out"
  echo "images, $pass build ($(basename "${bins[1]}") --timings):"
  "${bins[1]}" --root "$base/site" build --output "$base/out" --timings 2>&1 | grep -E "^ *images:|^built" | sed 's/^/  /'
done
