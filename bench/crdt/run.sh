#!/usr/bin/env bash
# Editing-trace benchmark: our engine (crdt_bench) against Yjs and ywasm on the same traces
# in the same run, printed as one table per trace with ratios. A benchmark, not a test.
#
# Usage: bench/crdt/run.sh [RUNS] [TRACE.json.gz...]
#   RUNS defaults to 5 (medians); traces default to every sequential trace in
#   ../shared/bench-data. Env: MOCKLOOP_BENCH_BUILD (build dir, default build-bench),
#   MOCKLOOP_BENCH_SKIP_JS=1 (ours only), MOCKLOOP_BENCH_OUT (keep results there).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${1:-5}
shift || true
if [ "$#" -gt 0 ]; then
  TRACES=("$@")
else
  TRACES=("$ROOT"/../shared/bench-data/editing-traces/sequential_traces/*.json.gz)
fi
BUILD=${MOCKLOOP_BENCH_BUILD:-$ROOT/build-bench}
OUT=${MOCKLOOP_BENCH_OUT:-$(mktemp -d /tmp/crdt-bench.XXXXXX)}
mkdir -p "$OUT"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMOCKLOOP_WITH_NET=OFF > "$OUT/cmake.log"
if cmake --build "$BUILD" --target crdt_bench -j2 > "$OUT/build.log" 2>&1; then
  echo "# ours: $BUILD/bench/crdt_bench"
  "$BUILD/bench/crdt_bench" --runs "$RUNS" --json "$OUT/cpp.json" --out-dir "$OUT" "${TRACES[@]}" || true
else
  echo "# crdt_bench did not build (see $OUT/build.log); reporting Yjs and ywasm only"
fi
if [ "${MOCKLOOP_BENCH_SKIP_JS:-0}" != 1 ]; then
  node --expose-gc "$ROOT/bench/crdt/run.mjs" --runs "$RUNS" --json "$OUT/js.json" --out-dir "$OUT" "${TRACES[@]}"
fi
node "$ROOT/bench/crdt/run.mjs" --table "$OUT/cpp.json" "$OUT/js.json"
echo "# results and encoded states: $OUT"
