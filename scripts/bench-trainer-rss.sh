#!/usr/bin/env bash
# Resident-set benchmark of the trainer: trains a small Fashion-MNIST run on the worker's code path
# and prints VmRSS (from /proc/self/status) after every epoch, then the growth after epoch 1.
# Usage: scripts/bench-trainer-rss.sh [epochs=20] [trainSubset=256] [batchSize=32]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

EPOCHS="${1:-20}"
SUBSET="${2:-256}"
BATCH="${3:-32}"

# The same native settings as the worker's launcher and image: glibc arenas and malloc
# thresholds, heap, threads.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}"
export BYOV_THREADS="${BYOV_THREADS:-2}"
export BYOV_DATA_ROOT="${BYOV_DATA_ROOT:-$HOME/.byov/datasets}"
# The heap is committed and touched up front (-Xms = -Xmx, AlwaysPreTouch), so that the JVM
# growing its heap does not show up as resident-set growth; what grows then is native memory,
# metaspace and the code cache. BYOV_BENCH_HEAP_OPTS="-Xmx1g" measures the worker's own setting.
read -r -a HEAP_OPTS <<< "${BYOV_BENCH_HEAP_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
# Further JVM flags, for example -XX:NativeMemoryTracking=summary, which adds the JVM's own
# native memory by category (and what lies outside it) to every line.
read -r -a EXTRA_OPTS <<< "${BYOV_BENCH_JAVA_OPTS:-}"

CLASSPATH_FILE="$(mktemp)"
CHECKPOINTS="$(mktemp -d)"
trap 'rm -rf "$CLASSPATH_FILE" "$CHECKPOINTS"' EXIT
# One reactor build: sibling modules resolve to their target/classes, and trainer-worker, built
# last, leaves its runtime class path in the file.
mvn -B -q -pl trainer-worker -am compile dependency:build-classpath \
  -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=runtime

java "${HEAP_OPTS[@]}" ${EXTRA_OPTS[@]+"${EXTRA_OPTS[@]}"} \
  -XX:+ExitOnOutOfMemoryError -Dai.djl.offline=true \
  -cp "trainer-worker/target/classes:$(cat "$CLASSPATH_FILE")" \
  org.byov.trainer.bench.ResidentSetBenchmark "$EPOCHS" "$SUBSET" "$BATCH" "$CHECKPOINTS"
