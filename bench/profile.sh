#!/usr/bin/env bash
# Collects the evidence docs/perf.md gives for missed targets (about 2 minutes): CPU profiles (JFR) of the file
# backend where it trails a baseline, the thread states of the layered call, the bytes and segments a time-range
# query touches, and the system calls of one record save, one lock pair and one single-event append, beside the
# preallocated raw writer's (strace, when installed).
#
#   bench/profile.sh [RESULTS_DIR]      default: bench/results/latest; writes RESULTS_DIR/profiles/*.md
#
# Needs storage-bench/target/benchmarks.jar and the query data set of bench/run.sh (bench/results/data).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/storage-bench/target/benchmarks.jar"
OUT="$(cd "${1:-$ROOT/bench/results/latest}" && pwd)/profiles"
DATA="$ROOT/bench/results/data"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mkdir -p "$OUT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/prodigy-bench-profile-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
PROPS=(-Dbench.dataDir="$DATA" -Dbench.workDir="$WORK")
HOT='io\.prodigy|jackson|java\.time|sqlite'

# jfr NAME TOP-REGEX JMH-ARGS...: runs one configuration under JFR and summarizes its hottest methods.
jfr() {
  local name="$1" regex="$2"; shift 2
  echo "== profile $name: $*"
  "$JAVA" "${PROPS[@]}" -jar "$JAR" "$@" -f 1 -wi 1 -i 3 -prof "jfr:dir=$WORK/$name;configName=profile" \
    > "$OUT/$name.log" 2>&1
  {
    echo "# $name"
    echo
    echo "JMH arguments: \`$*\`"
    echo
    grep -E '^[A-Za-z]+Bench\.' "$OUT/$name.log" | sed 's/^/    /'
    echo
    "$JAVA" -cp "$JAR" io.prodigy.storage.bench.report.JfrHotMethods "$(find "$WORK/$name" -name '*.jfr' | head -1)" \
      "$regex" 25
  } > "$OUT/$name.md"
}

jfr fullscan-file "$HOT" 'EventQueryBench.fullScan' -p impl=file
jfr fullscan-jsonl "$HOT" 'EventQueryBench.fullScan' -p impl=jsonl
jfr append-file-t01-b100 "$HOT" 'EventAppendBench.threads01' -p impl=file -p batch=100

# stack NAME JMH-ARGS...: thread states and where threads wait (JMH's stack profiler), for waits JFR cannot see.
stack() {
  local name="$1"; shift
  echo "== profile $name: $*"
  "$JAVA" "${PROPS[@]}" -jar "$JAR" "$@" -f 1 -wi 1 -i 3 -prof 'stack:lines=6;top=4;detailLine=false' \
    > "$OUT/$name.log" 2>&1
  {
    echo "# $name: thread states (JMH stack profiler)"
    echo
    echo "JMH arguments: \`$*\`"
    echo
    sed -n '/^Benchmark /,$p' "$OUT/$name.log" | grep -v ':stack' | sed 's/^/    /'
    echo
    grep -E 'Parameters:|Thread state|^ *[0-9.]+% +[0-9.]+% |^ {14}[a-z]' "$OUT/$name.log" \
      | grep -v 'jmh_generated\|reflect\|openjdk.jmh' | sed 's/^/    /'
  } > "$OUT/$name.md"
}

stack append-t16-b1-stack 'EventAppendBench.threads16' -p impl=file,raw -p batch=1
stack layers-stack 'LayerOverheadBench.sessionLoad' -p backend=memory,file

echo "== time-range query: the segments it has to read"
SEGDIR="$(find "$DATA/query-1000000/file/events" -mindepth 2 -maxdepth 2 -type d | head -1)"
{
  echo "# time-range query: segments of the 1,000,000-event job"
  echo
  ls -l "$SEGDIR" | tail -n +2 | awk '{printf "    %12d  %s\n", $5, $9}'
  echo
  for idx in "$SEGDIR"/*.index.json; do
    echo "$(basename "$idx"): $(tr -d ' \n' < "$idx" | grep -o '"min_timestamp":"[^"]*","max_timestamp":"[^"]*"')"
    echo
  done
} > "$OUT/timerange-segments.md"

# per_call N TRACE: system calls per loop iteration in an strace -f log: those of the thread that printed the loop's
# "loop start" line, from that line on (class loading and setup before it, and the JVM's own threads, are left out),
# as "calls-per-iteration name", busiest first.
per_call() {
  awk -v n="$1" '/write\(1, "loop start/ {on = 1; tid = $1; next}
    on && $1 == tid && /^[0-9]+ +[a-z_0-9]+\(/ {split($2, a, "("); c[a[1]]++}
    END {for (k in c) printf "%8.2f  %s\n", c[k] / n, k}' "$2" | sort -rn
}

if command -v strace > /dev/null; then
  echo "== record saves and lock pairs under strace"
  FILE_CALLS=fsync,fdatasync,rename,renameat,renameat2,openat,close,fcntl,flock,pwrite64,write,read,pread64,statx,newfstatat,lstat,getdents64,unlink,unlinkat,mkdir
  for impl in file sqlite; do
    for op in sessionSave checkpointSave; do
      strace -f -o "$WORK/trace-$op-$impl.txt" -e trace=$FILE_CALLS \
        "$JAVA" "${PROPS[@]}" -cp "$JAR" io.prodigy.storage.bench.records.RecordLoop "$impl" "$op" 4096 200 \
        > "$WORK/loop-$op-$impl.txt" 2>&1
      {
        echo "# system calls per $op (4 KiB), $impl: mean of 200 calls, from the loop's start"
        echo
        grep 'us per call' "$WORK/loop-$op-$impl.txt" || true
        echo
        per_call 200 "$WORK/trace-$op-$impl.txt" | sed 's/^/    /'
      } > "$OUT/strace-$op-$impl.md"
    done
  done
  for impl in file rawPrealloc; do
    strace -f -o "$WORK/trace-append-$impl.txt" -e trace=$FILE_CALLS,fdatasync,pwrite64,writev,lseek,futex \
      "$JAVA" "${PROPS[@]}" -cp "$JAR" io.prodigy.storage.bench.append.AppendLoop "$impl" 1 2000 \
      > "$WORK/loop-append-$impl.txt" 2>&1
    {
      echo "# system calls per single-event durable append, $impl: mean of 2,000 appends, from the loop's start"
      echo
      grep 'us per call' "$WORK/loop-append-$impl.txt" || true
      echo
      per_call 2000 "$WORK/trace-append-$impl.txt" | sed 's/^/    /'
    } > "$OUT/strace-append-$impl.md"
  done
  strace -f -o "$WORK/trace-lock.txt" -e trace=$FILE_CALLS \
    "$JAVA" "${PROPS[@]}" -cp "$JAR" io.prodigy.storage.bench.lock.LockLoop 200 > "$WORK/loop-lock.txt" 2>&1
  {
    echo "# system calls per lock acquire + release, file: mean of 200 pairs, from the loop's start"
    echo
    grep 'us per pair' "$WORK/loop-lock.txt" || true
    echo
    per_call 200 "$WORK/trace-lock.txt" | sed 's/^/    /'
  } > "$OUT/strace-lock-file.md"
fi
echo "== profiles in $OUT"
