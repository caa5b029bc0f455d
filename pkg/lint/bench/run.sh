#!/usr/bin/env bash
# Measures `corsdiag lint` on a template with 1,000 routes (SAM: 500 paths,
# GET and PUT, Cors, an authorizer, gateway responses), one origin.
# Target: under a second per run.
#   pkg/lint/bench/run.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/../../.."
go test ./pkg/lint/ -run '^$' -bench BenchmarkLint1000Routes -benchmem -count "${1:-5}"
