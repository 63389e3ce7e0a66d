#!/usr/bin/env bash
# Training run for the JDK 25 AOT cache (JEP 483/514): starts the service with -XX:AOTCacheOutput, waits until
# it is ready, exercises the paths every poll takes (health, metrics, the subscribe and publish resources with
# their 401 problem answers), then stops it with SIGTERM; the JVM writes the cache as it exits.
# Used by Dockerfile.jvm (inside the runtime image, so the cache matches that exact JVM) and by
# bench/README.md's measurements. Needs only bash (no curl in the image).
#
# Usage: aot-train.sh CACHE_FILE JAVA_BIN [JVM flags...]   (run in the quarkus-app directory)
#   CACHE_FILE ending in .jsa writes a dynamic AppCDS archive instead (-XX:ArchiveClassesAtExit, JDK 13+),
#   the closest equivalent on Java 17.
#   env: MGMT_PORT (default 9000), HTTP_PORT (8080), DOMAIN (finance), KEY (a PEM public key: any valid key)
set -euo pipefail
cache=$1 java=$2
shift 2
mgmt=${MGMT_PORT:-9000} http=${HTTP_PORT:-8080} domain=${DOMAIN:-finance}
key=${KEY:?KEY must name a PEM public key file (a throw-away one is fine: no token is verified)}

# GET/POST over bash's /dev/tcp; prints the status line's code.
request() { # method port path
    local code
    exec 3<>"/dev/tcp/127.0.0.1/$2" || return 1
    printf '%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}' \
        "$1" "$3" >&3
    read -r _ code _ <&3 || true
    cat <&3 >/dev/null || true
    exec 3<&-
    echo "${code:-000}"
}

case "$cache" in
    *.jsa) output="-XX:ArchiveClassesAtExit=$cache" ;;
    *) output="-XX:AOTCacheOutput=$cache" ;;
esac
"$java" "$@" "$output" -Dmp.jwt.verify.publickey.location="$key" \
    -Dquarkus.http.port="$http" -Dquarkus.management.port="$mgmt" -Dquarkus.shutdown.delay-enabled=false \
    -jar quarkus-run.jar &
pid=$!
for _ in $(seq 1 600); do
    if [ "$(request GET "$mgmt" /q/health/ready 2>/dev/null)" = 200 ]; then
        break
    fi
    kill -0 "$pid" 2>/dev/null || { echo "aot-train: service exited before ready" >&2; exit 1; }
    sleep 0.1
done
for _ in 1 2 3; do
    request GET "$mgmt" /q/health/live >/dev/null
    request GET "$mgmt" /q/metrics >/dev/null
    request GET "$http" "/$domain/realtime/subscribe" >/dev/null   # 401 token_missing
    request POST "$http" "/$domain/realtime/events" >/dev/null     # 401 token_missing
done
kill -TERM "$pid"
wait "$pid" || true
[ -s "$cache" ] || { echo "aot-train: no cache written to $cache" >&2; exit 1; }
echo "aot-train: wrote $cache ($(du -h "$cache" | cut -f1))"
