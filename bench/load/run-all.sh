#!/usr/bin/env bash
# The recorded benchmark (bench/README.md): every scenario against the service with the image's collector
# (serial), with G1 and periodic collections (g1: returns memory when idle, which S4 needs), and against
# nginx + Nchan, into one JSON-lines file; then the summary table. About 100 minutes.
# Usage: bench/load/run-all.sh [RUNS=3]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
runs="${1:-3}"
export RESULTS="${RESULTS:-$here/results/$(date -u +%F).jsonl}"
serial="-XX:+UseSerialGC -Xmx512m -XX:+UseTransparentHugePages"
g1="-XX:+UseG1GC -Xmx768m -XX:G1PeriodicGCInterval=5000 -XX:+UseTransparentHugePages"

# Runs one scenario against all three; a failed one is reported and the rest still run.
each() {
    local scenario="$1" n="$2"
    shift 2
    JAVA_OPTS="$serial" LABEL=serial "$here/run.sh" ours "$scenario" "$n" "$@" || echo "FAILED: ours serial $scenario"
    JAVA_OPTS="$g1" LABEL=g1 "$here/run.sh" ours "$scenario" "$n" "$@" || echo "FAILED: ours g1 $scenario"
    "$here/run.sh" nchan "$scenario" "$n" "$@" || echo "FAILED: nchan $scenario"
}
each s1 "$runs" --warmup 20
each s2 "$runs" --polls 19000
each s3 "$runs"
# A million orgs need a 768 MiB heap (~750 B per org with a live event), and only G1 gives memory back.
JAVA_OPTS="$g1" LABEL=g1 "$here/run.sh" ours s4 "$runs" || echo "FAILED: ours g1 s4"
# Nchan has no idle eviction beyond message expiry: give it two minutes, not four.
"$here/run.sh" nchan s4 "$runs" --evict-timeout 120 || echo "FAILED: nchan s4"
# Ten minutes each: one run per target.
JAVA_OPTS="$serial" LABEL=serial "$here/run.sh" ours s5 1 || echo "FAILED: ours serial s5"
"$here/run.sh" nchan s5 1 || echo "FAILED: nchan s5"
java -jar "$here/target/load.jar" summary "$RESULTS"
