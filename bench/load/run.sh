#!/usr/bin/env bash
# Runs one scenario of the load benchmark N times against a freshly started server each time, appending every
# run's figures to a JSON-lines file, then prints the medians (min-max) of that file.
# Usage: bench/load/run.sh ours|nchan s1|s2|s3|s4|s5 [RUNS=3] [extra load.jar options...]
# Env: RESULTS (default bench/load/results/<UTC date>.jsonl), JAVA_OPTS for the service (see ours/start.sh),
#      LABEL (stored with each run, e.g. "before fix").
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
target="$1" scenario="$2" runs="${3:-3}"
shift $(( $# >= 3 ? 3 : $# ))
jar="$root/bench/load/target/load.jar"
[ -f "$jar" ] || { echo "build the tool first: ./mvnw -B -ntp -Pbench -pl bench/load -am package -DskipTests" >&2; exit 1; }
results="${RESULTS:-$root/bench/load/results/$(date -u +%F).jsonl}"
mkdir -p "$(dirname "$results")"
dir="$(mktemp -d /tmp/realtime-load.XXXXXX)"
server=""

stop() {
    [ -n "$server" ] || return 0
    if [ "$target" = nchan ]; then
        "$root/bench/load/nchan/stop.sh" "$dir/nchan"
    else
        kill "$server" 2>/dev/null || true
        # The next run must not share the cores with this one's shutdown.
        while kill -0 "$server" 2>/dev/null; do sleep 0.2; done
    fi
    server=""
}
trap stop EXIT

for run in $(seq 1 "$runs"); do
    if [ "$target" = nchan ]; then
        server="$("$root/bench/load/nchan/start.sh" "$dir/nchan")"
    else
        server="$("$root/bench/load/ours/start.sh" "$dir/ours")"
    fi
    sleep 2
    echo "== $scenario against $target, run $run of $runs (server pid $server)"
    (cd "$root" && java -Xmx2g -jar "$jar" "$scenario" --target "$target" --pid "$server" --out "$results" \
        --label "${LABEL:-}" "$@")
    if [ "$target" = nchan ] && grep -q "exited on signal" "$dir/nchan/error.log" 2>/dev/null; then
        echo "nginx worker crashed during the run (see $dir/nchan/error.log): figures are not valid" >&2
        exit 1
    fi
    stop
done
java -jar "$jar" summary "$results"
