#!/usr/bin/env bash
# Every test of the project, in the order CI runs them. Needs Java 17+, Node 20+, and (installed by .ci/run)
# redis-server and Debian's chromium; kubectl for the deploy checks.
set -euo pipefail
cd "$(dirname "$0")"

# Java: core unit/model/stress tests; every domain's contract suite in-process, against the packaged app,
# and (finance) in Redis mode, with two replicas, SIGKILL, Redis restart and SIGTERM drain.
./mvnw -B -ntp verify

# Browser client: unit tests (Vitest, fake timers), then the seven scenarios + idle check in headless
# Chromium against the packaged finance service (built by the verify above) and the demo page.
npm --prefix src ci --no-audit --no-fund
npm --prefix src run typecheck
npm --prefix src test
npm --prefix src run test:e2e

# Deploy: rendered Kubernetes manifests, env keys, workflow, alert rules and dashboard, checked offline;
# then the native-sources build of every domain (last: it repackages the domains' target/).
npm --prefix deploy/test ci --no-audit --no-fund
npm --prefix deploy/test test
deploy/native-sources-check.sh
