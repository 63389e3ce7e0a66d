#!/usr/bin/env bash
# Native smoke check that runs without GraalVM/Mandrel: Quarkus' native build steps for every domain
# (-Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true). Each domain must end with
# target/native-sources/ holding the runner jar and native-image.args, i.e. everything a native-image
# compiler would need. The real native build and its @QuarkusIntegrationTest run happen in
# .github/workflows/native.yml.
#
# Usage: deploy/native-sources-check.sh            (from anywhere; builds the shared modules too)
#        DOMAINS="finance tasks" deploy/native-sources-check.sh
#        MAVEN_ARGS="-o" deploy/native-sources-check.sh   (offline, when ~/.m2 is warm; Maven 3.9 reads MAVEN_ARGS)
# Run it after `./mvnw verify` (CI): it repackages the domain modules' target/ in native-sources form.
set -euo pipefail
cd "$(dirname "$0")/.."

domains=${DOMAINS:-"finance tasks staff analytics users"}
modules=""
for domain in $domains; do
    modules="${modules:+$modules,}${domain}-realtime"
done

# No stale result may pass for a fresh one.
for domain in $domains; do
    rm -rf "${domain}-realtime/target/native-sources"
done

# One reactor: the shared modules are built once, every domain is attempted even when one fails.
status=0
./mvnw -B -ntp package -DskipTests --fail-at-end -pl "$modules" -am \
    -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true || status=$?

failed=0
for domain in $domains; do
    dir="${domain}-realtime/target/native-sources"
    if [ -s "$dir/native-image.args" ] && [ -s "$dir/${domain}-realtime-"*"-runner.jar" ] \
        && grep -q -- "--no-fallback" "$dir/native-image.args"; then
        echo "native-sources ${domain}: ok ($dir)"
    else
        echo "native-sources ${domain}: FAILED (no native-image.args or runner jar in $dir)" >&2
        failed=$((failed + 1))
    fi
done
count=$(echo $domains | wc -w)
echo "native-sources: $((count - failed)) passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    exit 1
fi
