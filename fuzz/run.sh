#!/usr/bin/env bash
# Runs the fuzz targets one at a time, each for SECONDS (or until RUNS
# executions, when set), and prints executions, time and peak memory per
# target. A target fails on a panic, on one input taking over 1 s
# (-timeout=1; TIMEOUT=N for N s) or on memory past 512 MB (-rss_limit_mb=512); the input is
# kept in fuzz/artifacts/TARGET/ and the log in fuzz/logs/TARGET.log.
#
#   fuzz/run.sh TARGET|all SECONDS        e.g. fuzz/run.sh all 600
#   RUNS=10000000 fuzz/run.sh date_parse 1800
#   TIMEOUT=10 fuzz/run.sh markdown 600   # on a machine loaded far beyond its cores
#
# The timeout is wall time: on a loaded machine a process at low priority
# can wait over a second for the CPU on an input that takes milliseconds.
# Replay a timeout's input (below) to tell a stall from a slow input.
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Columns: executions, wall seconds, CPU seconds (user + system: on a busy
# machine the wall time says more about the load than about the target),
# executions per wall second, peak resident memory in MB (libFuzzer's),
# and how many inputs libFuzzer reported as the slowest yet past 1 s.
# Builds without a sanitizer (safe Rust: what is sought is panics, stalls
# and memory growth) but with debug assertions and overflow checks.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
targets=(date_parse front_matter events_yaml config_yaml import_dates markdown)

if [[ $# -lt 2 || ! $2 =~ ^[0-9]+$ ]]; then
    echo "usage: fuzz/run.sh TARGET|all SECONDS   (targets: ${targets[*]})" >&2
    exit 2
fi
if [[ $1 == all ]]; then
    chosen=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $1 "* ]]; then
    chosen=("$1")
else
    echo "unknown target '$1' (targets: ${targets[*]})" >&2
    exit 2
fi
seconds=$2
runs=${RUNS:--1}
timeout=${TIMEOUT:-1}

build_target=()
[[ $1 == all ]] || build_target=("$1")
if ! cargo +nightly fuzz build --sanitizer none "${build_target[@]}" >logs.build 2>&1; then
    cat logs.build >&2
    exit 1
fi
rm -f logs.build
# Seeds from the example content (kept and added to between runs).
[[ -d corpus ]] || python3 seed.py >/dev/null
mkdir -p logs

bin=target/x86_64-unknown-linux-gnu/release
failed=0
printf '%-14s %12s %8s %8s %8s %8s %6s  %s\n' target executions seconds "CPU s" "exec/s" "peak MB" "slow" result
for t in "${chosen[@]}"; do
    mkdir -p "artifacts/$t" "corpus/$t"
    log="logs/$t.log"
    start=$(date +%s.%N)
    status=0
    /usr/bin/time -o "logs/$t.time" -f '%U %S %M' "$bin/$t" "corpus/$t" \
        -max_total_time="$seconds" -runs="$runs" \
        -timeout="$timeout" -rss_limit_mb=512 -malloc_limit_mb=512 \
        -report_slow_units=1 -artifact_prefix="artifacts/$t/" -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    end=$(date +%s.%N)
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    peak=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    if [[ -z $execs ]]; then
        # A run that stopped on a finding prints no final stats: take the last status line.
        execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
        peak=$(grep -o 'rss: [0-9]*Mb' "$log" | tail -1 | grep -o '[0-9]*')
    fi
    # libFuzzer names each new slowest input past 1 s (-report_slow_units=1):
    # with TIMEOUT above 1, this is how an input over a second is still seen.
    slow=$(grep -c '^Slowest unit:' "$log" || true)
    elapsed=$(echo "$end - $start" | bc)
    rate=$(echo "${execs:-0} / $elapsed" | bc)
    # CPU time (user + system) tells the speed apart from the machine's load.
    read -r user sys max_kb < <(tail -1 "logs/$t.time")
    cpu=$(echo "$user + $sys" | bc)
    if [[ $status -eq 0 ]]; then
        result=ok
    else
        failed=1
        result="FAILED ($(grep -oE 'deadly signal|panicked|timeout|out-of-memory|rss limit' "$log" | head -1 || echo "exit $status")); see fuzz/$log"
    fi
    printf '%-14s %12s %8.0f %8.0f %8s %8s %6s  %s\n' "$t" "${execs:-?}" "$elapsed" "$cpu" "$rate" \
        "${peak:-$((max_kb / 1024))}" "$slow" "$result"
done
exit $failed
