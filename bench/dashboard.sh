#!/usr/bin/env bash
# Measures the dashboard on a job of a million events (issue 15): server time per request (the dashboard's own
# Server-Timing header) and bytes sent, for the job page and every API endpoint of that job, on the file backend.
#
#   bench/dashboard.sh                 1,000,000 events, 30 measured requests per URL after 10 warm-up requests
#   bench/dashboard.sh 1000000 50 20   events, measured requests, warm-up requests
#
# It reuses the query benchmarks' data set under bench/results/data (built first if missing, 10-30 s) and prints a
# Markdown table; docs/dashboard.md and docs/perf.md hold the numbers of the last run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/storage-bench/target/benchmarks.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ ! -f "$JAR" || "${BUILD:-0}" == 1 ]]; then
  echo "== building $JAR"
  (cd "$ROOT" && { mvn -q -o -B -DskipTests -pl storage-bench -am package || mvn -q -B -DskipTests -pl storage-bench -am package; })
fi
mkdir -p "$ROOT/bench/results/data"
exec "$JAVA" -Xmx1g -Dbench.dataDir="$ROOT/bench/results/data" -cp "$JAR" \
  io.prodigy.storage.bench.dashboard.DashboardPageLoad "$@"
