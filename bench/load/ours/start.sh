#!/usr/bin/env bash
# Starts one finance replica in JVM mode (embedded fan-out, dev key pair) for the load benchmark and prints
# exactly one line: its PID. Logs go to RUN_DIR/server.log.
# Usage: bench/load/ours/start.sh [RUN_DIR]
# Env: JAVA (default: Temurin 25, what deploy/docker/Dockerfile.jvm ships), JAVA_OPTS (default: the image's
#      collector, Serial, with a 512 MiB heap and transparent huge pages; run-all.sh also runs G1, and
#      bench/README.md says why), IO_THREADS (HTTP event loops, 1), APP (the quarkus-app directory),
#      PORT (8081), MGMT_PORT (9081).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
dir="${1:-/tmp/realtime-bench}"
java="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
[ -x "$java" ] || java=java
app="${APP:-$root/finance-realtime/target/quarkus-app}"
port="${PORT:-8081}" mgmt="${MGMT_PORT:-9081}"
[ -f "$app/quarkus-run.jar" ] || { echo "no $app/quarkus-run.jar: build it with ./mvnw -pl finance-realtime -am package -DskipTests" >&2; exit 1; }
mkdir -p "$dir"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
# One HTTP event loop, as Nchan runs one nginx worker: the load tool needs the other core (bench/README.md).
nohup "$java" ${JAVA_OPTS:--XX:+UseSerialGC -Xmx512m -XX:+UseTransparentHugePages} \
    -Dquarkus.http.io-threads="${IO_THREADS:-1}" \
    -Dmp.jwt.verify.publickey.location="$root/dev/keys/dev-public.pem" \
    -Dquarkus.http.port="$port" -Dquarkus.management.port="$mgmt" \
    -jar "$app/quarkus-run.jar" > "$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    if curl -fs -o /dev/null "http://127.0.0.1:$mgmt/q/health/ready"; then
        echo "$pid"
        exit 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "server exited; see $dir/server.log" >&2; exit 1; }
    sleep 0.1
done
echo "not ready after 60 s; see $dir/server.log" >&2
kill "$pid"
exit 1
