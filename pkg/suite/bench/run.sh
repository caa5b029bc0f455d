#!/usr/bin/env bash
# Measures `corsdiag ci` end to end: 1,000 checks against a loopback server
# that answers in 20 ms, with --concurrency 64 --per-host 64 (target: under
# 4 s, peak RSS under 50 MiB), and the serial time (--concurrency 1) on a
# smaller suite, extrapolated to 1,000 checks, for the speed-up ratio.
#   pkg/suite/bench/run.sh [CHECKS] [SERIAL_CHECKS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
checks=${1:-1000}
serial_checks=${2:-100}
work=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/corsdiag" ./cmd/corsdiag
go build -o "$work/server" ./pkg/suite/bench/server
"$work/server" -delay 20ms >"$work/addr" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/addr" ] && break; sleep 0.1; done
base="http://$(cat "$work/addr")"

config() { # config N FILE
  { echo "defaults:"; echo "  origin: https://app.example.com"; echo "checks:"
    for i in $(seq 1 "$1"); do echo "  - name: check $i"; echo "    url: $base/items/$i"; done; } >"$2"
}
config "$checks" "$work/suite.yaml"
config "$serial_checks" "$work/serial.yaml"

measure() { # measure LABEL FILE ARGS...
  local label=$1 file=$2; shift 2
  /usr/bin/time -v "$work/corsdiag" ci -f "$file" "$@" >"$work/out" 2>"$work/time" || {
    echo "$label: corsdiag failed"; tail -5 "$work/out"; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
  echo "$label: wall ${wall}s, peak RSS $((rss / 1024)) MiB ($(tail -1 "$work/out"))"
}

measure "concurrent ($checks checks, --concurrency 64 --per-host 64)" "$work/suite.yaml" --concurrency 64 --per-host 64
conc_wall=$wall; conc_rss=$rss
measure "serial ($serial_checks checks, --concurrency 1)" "$work/serial.yaml" --concurrency 1 --per-host 1
serial_wall=$(awk -v w="$wall" -v n="$serial_checks" -v c="$checks" 'BEGIN { printf "%.2f", w * c / n }')
echo "serial time extrapolated to $checks checks: ${serial_wall}s"
awk -v s="$serial_wall" -v c="$conc_wall" 'BEGIN { printf "speed-up over serial: %.1fx\n", s / c }'

fail=0
awk -v c="$conc_wall" 'BEGIN { exit !(c < 4) }' || { echo "FAIL: ${conc_wall}s is not under 4 s"; fail=1; }
[ "$conc_rss" -lt $((50 * 1024)) ] || { echo "FAIL: peak RSS $((conc_rss / 1024)) MiB is not under 50 MiB"; fail=1; }
[ $fail = 0 ] && echo "PASS: under 4 s and under 50 MiB"
exit $fail
