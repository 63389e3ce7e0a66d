#!/usr/bin/env bash
# Stops the nginx started by start.sh and waits until its master and worker(s) are gone.
# Usage: stop.sh [RUN_DIR]   (default /tmp/nchan-bench)
set -euo pipefail

run_dir=${1:-/tmp/nchan-bench}
pid_file=$run_dir/nginx.pid
[[ -s $pid_file ]] || { echo "no $pid_file: not running" >&2; exit 0; }
master=$(cat "$pid_file")
kill -0 "$master" 2>/dev/null || { echo "master $master not running" >&2; exit 0; }
# Note the workers now: once the master is gone they can no longer be found by parent.
pids="$master $(pgrep -P "$master" || true)"

# TERM = fast shutdown: a graceful quit (-s quit) would wait up to 25 s for every parked long-poll.
kill -TERM "$master"
for _ in $(seq 100); do
    alive=0
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    (( alive )) || exit 0
    sleep 0.1
done
echo "nginx ($pids) still alive after 10 s; sending KILL" >&2
kill -KILL $pids 2>/dev/null || true
