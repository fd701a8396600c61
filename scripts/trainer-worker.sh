#!/usr/bin/env bash
# Starts a trainer worker on this machine with explicit native-memory settings: heap (-Xmx),
# glibc arenas and malloc thresholds (read by glibc only at process start) and PyTorch threads
# (BYOV_THREADS, which the worker turns into ai.djl.pytorch.num_threads before DJL loads).
# Queue mode by default; set BYOV_WORKER_TASK_ID to run one task and exit.
# Usage: BYOV_WORKER_TOKEN=... scripts/trainer-worker.sh [extra Spring arguments]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# Fixed thresholds (glibc's defaults, 128 KiB) stop glibc from raising them as PyTorch frees large
# tensors, which would keep that memory in the heap (docs/trainer.md, "Native memory").
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}"
export BYOV_THREADS="${BYOV_THREADS:-2}"
export BYOV_DATA_ROOT="${BYOV_DATA_ROOT:-$HOME/.byov/datasets}"
HEAP="${BYOV_WORKER_HEAP:-3g}"

jar="$(ls trainer-worker/target/trainer-worker-*-exec.jar 2>/dev/null | head -1 || true)"
if [[ -z "$jar" ]]; then
  mvn -B -q -pl trainer-worker -am package -DskipTests
  jar="$(ls trainer-worker/target/trainer-worker-*-exec.jar | head -1)"
fi
exec java "-Xmx$HEAP" -XX:+ExitOnOutOfMemoryError -Dai.djl.offline=true -jar "$jar" "$@"
