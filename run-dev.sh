#!/usr/bin/env bash
# Starts the five domain services locally (embedded buffers, no Redis) with the DEV-ONLY key pair in dev/keys.
# Build first: ./mvnw -B -ntp install -DskipTests
#   finance 8081 · tasks 8082 · staff 8083 · analytics 8084 · users 8085 (management: 9081-9085)
# Ctrl-C stops them all. Set DOMAINS="finance tasks" to start fewer.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
domains=${DOMAINS:-"finance tasks staff analytics users"}
origins=${REALTIME_CORS_ORIGINS:-"http://localhost:5173,http://127.0.0.1:5173"}
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
for domain in $domains; do
    jar="$root/$domain-realtime/target/quarkus-app/quarkus-run.jar"
    if [ ! -f "$jar" ]; then
        echo "missing $jar: run ./mvnw -B -ntp install -DskipTests first" >&2
        exit 1
    fi
    java -XX:+UseSerialGC -Xmx256m \
        -Dmp.jwt.verify.publickey.location="$root/dev/keys/dev-public.pem" \
        -Dquarkus.http.cors.origins="$origins" \
        -jar "$jar" &
    pids+=($!)
done
echo "started: $domains (Ctrl-C to stop)"
wait
