#!/usr/bin/env bash
# The JVM start-up comparison recorded in bench/README.md ("JVM start-up"): Java 17 vs Temurin 25, with and
# without AppCDS / the JDK 25 AOT cache, fast-jar vs aot-jar packaging. Configurations are interleaved
# (one run of each per round) so that load from other processes on a shared machine hits them alike.
#
# Usage: deploy/docker/startup-matrix.sh FAST_JAR_APP_DIR AOT_JAR_APP_DIR
#   FAST_JAR_APP_DIR: finance-realtime/target/quarkus-app of a normal build
#   AOT_JAR_APP_DIR:  the same built with -Dquarkus.package.jar.type=aot-jar (copy it elsewhere first)
#   env: ROUNDS (5), IDLE_S (10), J17, J25, FLAGS (-XX:+UseSerialGC -Xmx256m)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fast=$(cd "$1" && pwd) aotjar=$(cd "$2" && pwd)
rounds=${ROUNDS:-5}
j17=${J17:-java} j25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
read -r -a flags <<<"${FLAGS:--XX:+UseSerialGC -Xmx256m}"
export KEY=${KEY:-$here/../../dev/keys/dev-public.pem} HTTP_PORT=${HTTP_PORT:-18081} MGMT_PORT=${MGMT_PORT:-19081}

# Caches, each trained by the same workload in the directory it is used from.
(cd "$fast" && [ -s app-cds-17.jsa ] || "$here/aot-train.sh" app-cds-17.jsa "$j17" "${flags[@]}")
(cd "$fast" && [ -s app-25.aot ] || "$here/aot-train.sh" app-25.aot "$j25" "${flags[@]}")
(cd "$aotjar" && [ -s app-25.aot ] || "$here/aot-train.sh" app-25.aot "$j25" "${flags[@]}")

run() { # label app java flags...
    local label=$1 app=$2
    shift 2
    APP=$app RUNS=1 "$here/measure-startup.sh" "$label" "$@" | grep ' run '
}
out=$(mktemp)
for round in $(seq 1 "$rounds"); do
    {
        run j17-fastjar "$fast" "$j17" "${flags[@]}"
        run j17-fastjar-appcds "$fast" "$j17" "${flags[@]}" -XX:SharedArchiveFile=app-cds-17.jsa
        run j25-fastjar "$fast" "$j25" "${flags[@]}"
        run j25-fastjar-aotcache "$fast" "$j25" "${flags[@]}" -XX:AOTCache=app-25.aot
        run j25-aotjar "$aotjar" "$j25" "${flags[@]}"
        run j25-aotjar-aotcache "$aotjar" "$j25" "${flags[@]}" -XX:AOTCache=app-25.aot
    } | sed "s/ run 1:/ round $round:/" | tee -a "$out"
done
echo
echo "medians over $rounds rounds (load now: $(cut -d' ' -f1-3 /proc/loadavg)):"
awk '
    # "<label> round <n>: ready <ms> ms, cpu <ms> ms, quarkus started in <s>s, idle RSS <MiB> MiB"
    { label=$1; started_s=$13; gsub(/[^0-9.]/, "", started_s)
      n[label]++; ready[label, n[label]]=$5; cpu[label, n[label]]=$8; started[label, n[label]]=started_s; rss[label, n[label]]=$16
      if (!(label in seen)) { seen[label]=1; order[++k]=label } }
    function med(a, l, c,   i, j, t, v) { for (i = 1; i <= c; i++) v[i] = a[l, i] + 0
        for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }
    END { printf "%-24s %10s %10s %12s %10s\n", "config", "ready ms", "cpu ms", "started s", "RSS MiB"
          for (i = 1; i <= k; i++) { l = order[i]
            printf "%-24s %10s %10s %12s %10s\n", l, med(ready, l, n[l]), med(cpu, l, n[l]), med(started, l, n[l]), med(rss, l, n[l]) } }
' "$out"
rm -f "$out"
