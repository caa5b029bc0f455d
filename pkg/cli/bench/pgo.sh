#!/usr/bin/env bash
# Writes cmd/corsdiag/default.pgo: the CPU profile `go build` (and `go
# install`, goreleaser) optimises corsdiag with, profile-guided
# optimisation (go.dev/doc/pgo). It holds the work whose speed matters:
# `har -o json` and `har` (text) on a generated Chrome-style HAR, four runs
# each, and `har -o json` on every recorded HAR of testdata, merged.
# Refresh it after large changes to the reader, the engine or the reports;
# go test does not use it.
#
# Usage: pkg/cli/bench/pgo.sh [HAR_ENTRIES]   (20000 entries is about 600 MB)
set -euo pipefail

entries=${1:-20000}
root=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
go build -o "$tmp/corsdiag" ./cmd/corsdiag
go build -o "$tmp/genhar" ./pkg/harfile/bench/genhar
"$tmp/genhar" -entries "$entries" -o "$tmp/gen.har"

n=0
profile() { # ARGS...: one run of corsdiag har ARGS with a CPU profile
  n=$((n + 1))
  rc=0
  "$tmp/corsdiag" har "$@" --cpuprofile "$tmp/$n.prof" >/dev/null 2>&1 || rc=$?
  # 0 and 1 are answers (1: something was blocked).
  [ "$rc" -le 1 ] || { echo "pgo: corsdiag har $* exited $rc" >&2; exit 1; }
}
for _ in 1 2 3 4; do
  profile "$tmp/gen.har" -o json
  profile "$tmp/gen.har"
done
for f in testdata/har/*.har; do
  profile "$f" -o json
done
go tool pprof -proto "$tmp"/*.prof >"$tmp/default.pgo"
mv "$tmp/default.pgo" cmd/corsdiag/default.pgo
echo "wrote cmd/corsdiag/default.pgo ($(stat -c %s cmd/corsdiag/default.pgo) bytes, $n profiles)"
