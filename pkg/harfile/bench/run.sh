#!/usr/bin/env bash
# Speed and memory of `corsdiag har` against jq on a generated 600 MB
# Chrome-style HAR (20,000 entries, 40 KiB base64 bodies, a fifth
# preflights, a tenth failed). Targets: corsdiag at least 5x faster than
# `jq '.log.entries|length'`, and a peak RSS under 64 MiB.
#
# Usage: pkg/harfile/bench/run.sh [ENTRIES]   (from anywhere in the repo)
set -euo pipefail

entries=${1:-20000}
root=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v jq >/dev/null || { echo "jq is missing: apt-get install -y jq" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install -y time" >&2; exit 2; }

(cd "$root" && go build -o "$tmp/corsdiag" ./cmd/corsdiag && go build -o "$tmp/genhar" ./pkg/harfile/bench/genhar)
"$tmp/genhar" -entries "$entries" -o "$tmp/big.har"
# Written back to disk before timing: the kernel's writeback of 600 MB of
# dirty pages otherwise runs beside the first runs and slows them by a third.
sync "$tmp/big.har"
size=$(stat -c %s "$tmp/big.har")
echo "file: $((size / 1000000)) MB, $entries entries"

# Warm the page cache so both tools read from memory.
cat "$tmp/big.har" >/dev/null

measure() { # label, command...
	local label=$1; shift
	local rc=0
	/usr/bin/time -v -o "$tmp/$label.time" "$@" >/dev/null 2>"$tmp/$label.err" || rc=$?
	# corsdiag exits 1 because the file holds blocked requests.
	if [ "$label" = corsdiag ] && [ "$rc" -ne 1 ]; then echo "corsdiag exited $rc" >&2; cat "$tmp/$label.err" >&2; exit 1; fi
	if [ "$label" = jq ] && [ "$rc" -ne 0 ]; then echo "jq exited $rc" >&2; cat "$tmp/$label.err" >&2; exit 1; fi
}
seconds() { # elapsed "h:mm:ss" or "m:ss.ss" to seconds
	awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$1"
}
rss() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }

measure corsdiag "$tmp/corsdiag" har "$tmp/big.har" -o json
measure jq jq '.log.entries|length' "$tmp/big.har"

c=$(seconds "$tmp/corsdiag.time"); j=$(seconds "$tmp/jq.time")
crss=$(rss "$tmp/corsdiag.time"); jrss=$(rss "$tmp/jq.time")
ratio=$(awk -v c="$c" -v j="$j" 'BEGIN { if (c == 0) c = 0.01; printf "%.1f", j / c }')
printf 'corsdiag har -o json: %6.2f s, peak RSS %6.1f MiB\n' "$c" "$(awk -v k="$crss" 'BEGIN{print k/1024}')"
printf 'jq .log.entries|length: %4.2f s, peak RSS %6.1f MiB\n' "$j" "$(awk -v k="$jrss" 'BEGIN{print k/1024}')"
echo "ratio (jq / corsdiag): ${ratio}x"
ok=1
awk -v r="$ratio" 'BEGIN { exit !(r >= 5) }' || { echo "FAIL: corsdiag is less than 5x faster than jq"; ok=0; }
[ "$crss" -lt $((64 * 1024)) ] || { echo "FAIL: corsdiag peak RSS is 64 MiB or more"; ok=0; }
[ "$ok" = 1 ] && echo "PASS: targets met (>= 5x faster than jq, peak RSS < 64 MiB)"
[ "$ok" = 1 ]
