#!/usr/bin/env bash
# Measures JVM-mode start-up of one domain service: wall time from exec to the first 200 of
# /q/health/ready on the management port (JVM boot included), the CPU time (user+sys) the JVM used until
# then (less sensitive than wall time to other load on a shared machine), Quarkus' own "started in"
# figure, and the idle RSS after IDLE_S seconds. Prints one line per run and a median line per label.
#
# Usage: deploy/docker/measure-startup.sh LABEL JAVA_BIN [JVM flags...]
#   APP=finance-realtime/target/quarkus-app  RUNS=5  IDLE_S=10  HTTP_PORT=18081  MGMT_PORT=19081
# Example (see bench/README.md "JVM start-up" for the full set):
#   deploy/docker/measure-startup.sh j25-aot /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
#       -XX:+UseSerialGC -Xmx256m -XX:AOTCache=app.aot
set -euo pipefail
label=$1 java=$2
shift 2
root="$(cd "$(dirname "$0")/../.." && pwd)"
app=${APP:-$root/finance-realtime/target/quarkus-app}
runs=${RUNS:-5} idle=${IDLE_S:-10} http=${HTTP_PORT:-18081} mgmt=${MGMT_PORT:-19081}
key=${KEY:-$root/dev/keys/dev-public.pem}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
ready_ms=() cpu_ms=() started=() rss=()
tick=$(getconf CLK_TCK)
for run in $(seq 1 "$runs"); do
    log=$(mktemp)
    t0=$(now_ms)
    (cd "$app" && exec "$java" "$@" -Dmp.jwt.verify.publickey.location="$key" \
        -Dquarkus.http.port="$http" -Dquarkus.management.port="$mgmt" -jar quarkus-run.jar) >"$log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$mgmt/q/health/ready"; do
        if ! kill -0 "$pid" 2>/dev/null; then echo "service exited:" >&2; cat "$log" >&2; exit 1; fi
        sleep 0.01
    done
    t1=$(now_ms)
    c=$(awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat")
    sleep "$idle"
    r=$(awk '/^VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
    s=$(grep -o 'started in [0-9.]*s' "$log" | grep -o '[0-9.]*' | head -1)
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    if grep -qiE 'error|warning.*(aot|cds|shared)' "$log"; then
        grep -iE 'error|warning' "$log" | head -3 >&2
    fi
    rm -f "$log"
    ready_ms+=($((t1 - t0))) cpu_ms+=("$c") started+=("$s") rss+=("$r")
    echo "$label run $run: ready ${ready_ms[-1]} ms, cpu ${c} ms, quarkus started in ${s}s, idle RSS ${r} MiB"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "$label median: ready $(median "${ready_ms[@]}") ms, cpu $(median "${cpu_ms[@]}") ms, started in $(median "${started[@]}") s, idle RSS $(median "${rss[@]}") MiB (runs=$runs, load $(cut -d' ' -f1-3 /proc/loadavg))"
