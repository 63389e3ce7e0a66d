#!/usr/bin/env bash
# Starts nginx + Nchan as the benchmark peer and prints the PID of its single worker.
# Usage: start.sh [RUN_DIR]   (default /tmp/nchan-bench; port from $PORT, default 8090)
set -euo pipefail

run_dir=${1:-/tmp/nchan-bench}
port=${PORT:-8090}
here=$(cd "$(dirname "$0")" && pwd)

# nginx needs an absolute prefix; the temp dirs must exist before it starts.
mkdir -p "$run_dir"/tmp
run_dir=$(cd "$run_dir" && pwd)
sed -e "s|@RUN_DIR@|$run_dir|g" -e "s|@PORT@|$port|g" \
    "$here/nginx.conf.template" >"$run_dir/nginx.conf"

# -p/-c keep nginx off /etc/nginx. Errors before the config is read go to stderr (Debian's build default).
nginx -p "$run_dir/" -c "$run_dir/nginx.conf"

# Wait (up to ~10 s) until the port answers HTTP and the master has forked its worker.
worker=""
for _ in $(seq 100); do
    if [[ -s $run_dir/nginx.pid ]] &&
        curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
        worker=$(pgrep -P "$(cat "$run_dir/nginx.pid")" || true)
        [[ -n $worker ]] && break
    fi
    sleep 0.1
done
if [[ -z $worker || $(wc -w <<<"$worker") -ne 1 ]]; then
    echo "nginx did not come up with exactly one worker (got '$worker'); see $run_dir/error.log" >&2
    exit 1
fi
echo "$worker"
