#!/usr/bin/env bash
# The recorded benchmark: every scenario against the service and against nginx + Nchan, interleaved by scenario
# so both see the same machine state, into one JSON-lines file; then the summary table. About 75 minutes.
# Usage: bench/load/run-all.sh [RUNS=3]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
runs="${1:-3}"
export RESULTS="${RESULTS:-$here/results/$(date -u +%F).jsonl}"
# A failed scenario is reported and the rest still run.
for target in ours nchan; do "$here/run.sh" "$target" s1 "$runs" --warmup 20 || echo "FAILED: $target s1"; done
for target in ours nchan; do "$here/run.sh" "$target" s2 "$runs" --polls 19000 || echo "FAILED: $target s2"; done
for target in ours nchan; do "$here/run.sh" "$target" s3 "$runs" || echo "FAILED: $target s3"; done
"$here/run.sh" ours s4 "$runs" || echo "FAILED: ours s4"
# Nchan has no idle eviction of its own beyond message expiry: give it the same two minutes, not four.
"$here/run.sh" nchan s4 "$runs" --evict-timeout 120 || echo "FAILED: nchan s4"
# Ten minutes each: one run per target.
for target in ours nchan; do "$here/run.sh" "$target" s5 1 || echo "FAILED: $target s5"; done
java -jar "$here/target/load.jar" summary "$RESULTS"
