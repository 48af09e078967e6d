#!/usr/bin/env bash
# Runs the prodigy-storage benchmarks (storage-bench, JMH) and writes a results directory under bench/results/.
#
#   bench/run.sh                 the standard suite (about 14 minutes on 2 cores); results -> docs/perf.md
#   bench/run.sh --quick         a ~1-minute smoke run of every benchmark family (small data, short iterations)
#
# Options:
#   --quick          smoke run: fails (exit 1) if any benchmark errors
#   --keep-data      reuse the query data set from an earlier run instead of rebuilding it
#   --build          rebuild storage-bench/target/benchmarks.jar even if it exists
#   --out DIR        results directory (default bench/results/<UTC time>[-quick])
#   --wait-quiet N   first wait up to N minutes for the 1-minute load average to drop below 1.5 (the machine may
#                    be shared; the load during the run is recorded either way)
#   -- ARGS          extra JMH arguments, for example: -- EventAppendBench -p impl=file,raw
#
# Output (in the results directory): machine.md (cores, memory, disk, JVM, load), jmh.log, jmh*.json,
# extras.jsonl (latency percentiles, bytes read, heap peaks, the rounds of LayerOverheadAB, which runs after the JMH
# benchmarks whenever the layers are measured), load.txt (load average sampled every 10 s) and results.md (the
# tables of docs/perf.md with ratios and every target of issue 7 marked met or missed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/storage-bench/target/benchmarks.jar"
QUICK=0
KEEP_DATA=0
BUILD=0
OUT=""
WAIT_QUIET=0
EXTRA_ARGS=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --keep-data) KEEP_DATA=1 ;;
    --build) BUILD=1 ;;
    --out) OUT="$2"; shift ;;
    --wait-quiet) WAIT_QUIET="$2"; shift ;;
    --) shift; EXTRA_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "bench/run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ $BUILD -eq 1 || ! -f "$JAR" ]]; then
  echo "== building $JAR"
  # Offline first (the usual case on a developer machine), online if an artifact is missing.
  (cd "$ROOT" && { mvn -q -o -B -DskipTests -pl storage-bench -am package || mvn -q -B -DskipTests -pl storage-bench -am package; })
fi

if [[ $WAIT_QUIET -gt 0 ]]; then
  deadline=$(( $(date +%s) + WAIT_QUIET * 60 ))
  while awk '{exit !($1 >= 1.5)}' /proc/loadavg && [[ $(date +%s) -lt $deadline ]]; do
    echo "== waiting for a quiet machine: load $(cut -d' ' -f1-3 /proc/loadavg)"
    sleep 30
  done
fi

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SUFFIX=""
NOTE=""
if [[ $QUICK -eq 1 ]]; then
  SUFFIX="-quick"
  NOTE=" (quick smoke run: short iterations, small data; not for comparison)"
fi
if [[ -z "$OUT" ]]; then
  OUT="$ROOT/bench/results/$STAMP$SUFFIX"
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
DATA="$ROOT/bench/results/data"
WORK="$OUT/work"
mkdir -p "$DATA" "$WORK"
EXTRAS="$OUT/extras.jsonl"
: > "$EXTRAS"

# ---- the machine, recorded next to the numbers ------------------------------------------------------------------
disk_of() { df -P "$1" | awk 'NR==2 {print $1" mounted on "$6}'; }
{
  echo "Run: $STAMP$NOTE"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') |"
  echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
  echo "| disk | $(disk_of "$WORK"), $(findmnt -n -o FSTYPE --target "$WORK" 2>/dev/null || echo '?') |"
  echo "| kernel | $(uname -sr) |"
  echo "| JVM | $("$JAVA" -version 2>&1 | sed -n 2p) |"
  if git -C "$ROOT" rev-parse --short HEAD > /dev/null 2>&1; then
    echo "| code | git $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes') |"
  fi
  echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
} > "$OUT/machine.md"

# Load sampler: the machine is shared, so the load during the run is part of the result.
( while true; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 10; done ) > "$OUT/load.txt" &
SAMPLER=$!
trap 'kill $SAMPLER 2>/dev/null || true; rm -rf "$WORK"' EXIT

PROPS=(-Dbench.extraFile="$EXTRAS" -Dbench.dataDir="$DATA" -Dbench.workDir="$WORK")
JMH=("$JAVA" "${PROPS[@]}" -jar "$JAR")
START=$(date +%s)
JSON_FILES=()
STATUS=0

# Runs one JMH invocation; $1 names its JSON file, the rest are JMH arguments.
jmh() {
  local name="$1"; shift
  local json="$OUT/jmh-$name.json"
  JSON_FILES+=("$json")
  echo "== jmh $name: $*" | tee -a "$OUT/jmh.log"
  local tries=0
  while true; do
    local mark
    mark=$(wc -c < "$OUT/jmh.log")
    if "${JMH[@]}" -rf json -rff "$json" "$@" >> "$OUT/jmh.log" 2>&1; then
      return 0
    fi
    # JMH refuses to start while another JMH run holds /tmp/jmh.lock (two benchmark runs would disturb each other):
    # wait for it instead of failing, up to 20 minutes.
    if tail -c +"$((mark + 1))" "$OUT/jmh.log" | grep -q 'Unable to acquire the JMH lock' && [[ $tries -lt 40 ]]; then
      tries=$((tries + 1))
      echo "== another JMH run is in progress; waiting 30 s (attempt $tries)" | tee -a "$OUT/jmh.log"
      sleep 30
      continue
    fi
    echo "!! jmh $name failed (see $OUT/jmh.log)" | tee -a "$OUT/jmh.log"
    STATUS=1
    return 0
  done
}

if [[ $QUICK -eq 1 ]]; then
  QUICK_EVENTS=20000
  rm -rf "$DATA/query-$QUICK_EVENTS"
  "$JAVA" "${PROPS[@]}" -cp "$JAR" io.prodigy.storage.bench.query.QueryDataset "$QUICK_EVENTS" | tee -a "$OUT/jmh.log"
  Q=(-f 1 -wi 0 -i 1 -w 200ms -r 300ms -foe true)
  jmh append "${Q[@]}" 'EventAppendBench.threads04' -p batch=100
  jmh machine "${Q[@]}" 'MachineBench.fsync'
  jmh query "${Q[@]}" 'EventQueryBench' -p events=$QUICK_EVENTS
  jmh heap "${Q[@]}" 'QueryHeapBench' -p events=$QUICK_EVENTS -p impl=file
  jmh records "${Q[@]}" 'RecordBench.session' -p bytes=4096
  jmh locks "${Q[@]}" 'LockBench'
  jmh layers "${Q[@]}" 'LayerOverheadBench.sessionLoad'
  COMMAND="bench/run.sh --quick"
else
  if [[ ${#EXTRA_ARGS[@]} -gt 0 ]]; then
    jmh custom "${EXTRA_ARGS[@]}"
    COMMAND="bench/run.sh -- ${EXTRA_ARGS[*]}"
  else
    if [[ $KEEP_DATA -eq 0 ]]; then
      rm -rf "$DATA/query-1000000"
    fi
    "$JAVA" "${PROPS[@]}" -cp "$JAR" io.prodigy.storage.bench.query.QueryDataset 1000000 | tee -a "$OUT/jmh.log"
    # The whole suite in one JMH run; the benchmarks' annotations hold their iteration counts and JVM options.
    # The PostgreSQL benchmarks need a server and a -Pdistributed build: run them with -- 'bench.postgres'.
    jmh suite -e 'bench.postgres'
    COMMAND="bench/run.sh"
  fi
fi

# The layers interleaved in one JVM (LayerOverheadAB): the report judges the file backend's layer overhead on it,
# because JMH's separate JVMs for bare and layered differ from one another by more than the 5% being judged.
if [[ $QUICK -eq 1 || ${#EXTRA_ARGS[@]} -eq 0 || "${EXTRA_ARGS[*]}" == *LayerOverhead* ]]; then
  AB_ROUNDS=21
  [[ $QUICK -eq 1 ]] && AB_ROUNDS=5
  echo "== LayerOverheadAB $AB_ROUNDS" | tee -a "$OUT/jmh.log"
  if ! "$JAVA" "${PROPS[@]}" -cp "$JAR" io.prodigy.storage.bench.layer.LayerOverheadAB "$AB_ROUNDS" \
      >> "$OUT/jmh.log" 2>&1; then
    echo "!! LayerOverheadAB failed (see $OUT/jmh.log)" | tee -a "$OUT/jmh.log"
    STATUS=1
  fi
fi

ELAPSED=$(( $(date +%s) - START ))
kill $SAMPLER 2>/dev/null || true
{
  echo "| load average at end | $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo "| load average during the run (1-min, sampled every 10 s) | $(awk '{s+=$2; if ($2>m) m=$2; if (n==0 || $2<l) l=$2; n++} END {if (n) printf "min %.2f, mean %.2f, max %.2f over %d samples", l, s/n, m, n}' "$OUT/load.txt") |"
  echo "| wall time of the benchmarks | ${ELAPSED} s |"
} >> "$OUT/machine.md"

REPORT_ARGS=()
for f in "${JSON_FILES[@]}"; do REPORT_ARGS+=(--jmh "$f"); done
"$JAVA" -cp "$JAR" io.prodigy.storage.bench.report.ResultsReport "${REPORT_ARGS[@]}" --extras "$EXTRAS" \
  --machine "$OUT/machine.md" --command "$COMMAND" --out "$OUT/results.md"

if grep -q '<failure>' "$OUT/jmh.log"; then
  echo "!! some benchmarks failed: grep -n '<failure>' $OUT/jmh.log" >&2
  STATUS=1
fi
ln -sfn "$OUT" "$ROOT/bench/results/latest"
echo "== done in ${ELAPSED} s: $OUT/results.md"
exit $STATUS
