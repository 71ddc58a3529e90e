#!/usr/bin/env bash
# Room benchmark: scenarios (a)-(f) against mockloop (persistence on and --no-persist), the
# npm y-websocket server (@y/websocket-server 0.1.1) and Hocuspocus 4.7.0 (both in memory),
# in one run; prints a markdown table with ratios. About 4.5 minutes per run on 2 cores.
#   bench/room/run.sh                      # one run
#   BENCH_RUNS=3 bench/room/run.sh         # medians of 3 runs
#   SERVERS=mockloop,hocuspocus SCENARIOS=a,d bench/room/run.sh
# Environment: MOCKLOOP_BIN (default build/server/app/mockloop, else builds build-bench),
# BENCH_WORKERS (load-generator processes, default 2), BENCH_SECONDS (per scenario, default 6),
# MOCKLOOP_ARGS (extra server flags, e.g. "--threads 1"), BENCH_GEN=node (the Node workers,
# worker.mjs, instead of the C++ ones, bench/room/worker.cpp, built as build/bench/room_worker),
# BENCH_TICK_MS (C++ workers: writers' shared tick, default 5 as in worker.mjs; 0 = each
# update at its writer's own due time),
# BENCH_CLIENT=ws (the Node workers' clients use the `ws` package instead of rawws.mjs), BENCH_DUMP=path (every delivery to path.<pid>,
# for bench/room/tail.mjs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [[ -z "${MOCKLOOP_BIN:-}" ]]; then
  MOCKLOOP_BIN="$root/build/server/app/mockloop"
  if [[ ! -x "$MOCKLOOP_BIN" ]]; then
    cmake -S "$root" -B "$root/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$root/build-bench" --target mockloop -j2
    MOCKLOOP_BIN="$root/build-bench/server/app/mockloop"
  fi
fi
export MOCKLOOP_BIN
# The C++ load-generator worker (BENCH_GEN=cpp, the default), built beside the server.
if [[ "${BENCH_GEN:-cpp}" == cpp && -z "${BENCH_WORKER_BIN:-}" ]]; then
  BENCH_WORKER_BIN="$(dirname "$(dirname "$(dirname "$MOCKLOOP_BIN")")")/bench/room_worker"
  if [[ ! -x "$BENCH_WORKER_BIN" ]]; then
    bdir="$(dirname "$(dirname "$(dirname "$MOCKLOOP_BIN")")")"
    cmake --build "$bdir" --target room_worker -j2 >&2
  fi
  export BENCH_WORKER_BIN
fi
if [[ ! -d "$root/tests/js/node_modules/yjs" ]]; then
  echo "tests/js/node_modules is missing: run (cd tests/js && npm ci) first" >&2
  exit 1
fi
if [[ ",${SERVERS:-hocuspocus}," == *,hocuspocus,* && ! -d "$here/node_modules/@hocuspocus/server" ]]; then
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error)
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 20000 || true
out="${BENCH_OUT:-$(mktemp -d /tmp/mockloop-room-bench.XXXXXX)}"
mkdir -p "$out"
runs="${BENCH_RUNS:-1}"
files=()
for i in $(seq 1 "$runs"); do
  echo "== run $i/$runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  node "$here/bench.mjs" --servers "${SERVERS:-mockloop,mockloop-nopersist,y-websocket,hocuspocus}" \
    --scenarios "${SCENARIOS:-a,b,c,d,e,f}" --json "$out/run$i.json" >/dev/null
  files+=("$out/run$i.json")
done
echo "results: $out" >&2
node "$here/report.mjs" "${files[@]}"
