#!/usr/bin/env bash
# The recorded benchmark (bench/README.md): every scenario against the service (the image's collector, Serial,
# one HTTP event loop) and against nginx + Nchan (one worker), into one JSON-lines file; S4 also with G1 and
# periodic collections, the collector that gives memory back; then the summary table. About 2.5 hours.
# Usage: bench/load/run-all.sh [RUNS=3]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
runs="${1:-3}"
export RESULTS="${RESULTS:-$here/results/$(date -u +%F).jsonl}"
serial="-XX:+UseSerialGC -Xmx512m -XX:+UseTransparentHugePages"
# G1 for S4: a periodic collection every 5 s of quiet, a full one (it compacts, so the heap can shrink to what is
# live), and at most 30 % of the heap left free after it (bench/README.md, S4).
g1="-XX:+UseG1GC -Xmx768m -XX:G1PeriodicGCInterval=5000 -XX:-G1PeriodicGCInvokesConcurrent -XX:MinHeapFreeRatio=10"
g1="$g1 -XX:MaxHeapFreeRatio=30 -XX:+UseTransparentHugePages"

# Runs one scenario against both; a failed one is reported and the rest still run.
each() {
    local scenario="$1" n="$2"
    shift 2
    JAVA_OPTS="$serial" LABEL=serial "$here/run.sh" ours "$scenario" "$n" "$@" || echo "FAILED: ours $scenario"
    LABEL=nchan "$here/run.sh" nchan "$scenario" "$n" "$@" || echo "FAILED: nchan $scenario"
}
# A minute of load first: the JVM is still compiling after 20 s (Nchan is indifferent to it).
each s1 "$runs" --warmup 60
each s3 "$runs"
for polls in 19000 10000 5000 1000; do
    each s2 "$runs" --polls "$polls"
done
# Ten minutes each.
each s5 "$runs"
# A million orgs need a 768 MiB heap (~750 B per org with a live event), and only G1 gives memory back when idle.
JAVA_OPTS="$g1" LABEL=g1-full-periodic "$here/run.sh" ours s4 "$runs" || echo "FAILED: ours g1-full-periodic s4"
# Nchan has no idle eviction beyond message expiry: give it two minutes, not four.
LABEL=nchan "$here/run.sh" nchan s4 "$runs" --evict-timeout 120 || echo "FAILED: nchan s4"
java -jar "$here/target/load.jar" summary "$RESULTS"
