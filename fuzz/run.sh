#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in their own build dir and runs each
# for a bounded time on a scratch copy of its committed corpus (fuzz/corpus/<target>), in
# SECONDS in all (plus the build):
#   crdt       update decoding, applying, encoding and rendering (server/crdt), SECONDS/2
#   awareness  awareness payloads and their JSON states (wire + crdt::parse_json), SECONDS/4
#   ws_frame   the WebSocket frame reader (server/net/ws_frame), SECONDS/4
# Each input gets FUZZ_TIMEOUT seconds (default 10: a slow input, such as a quadratic
# decoder, is a finding) and FUZZ_RSS_MB of memory (default 2048).
# Exit status 0 when no crash was found; crash inputs are left in the build dir.
#
# Usage: fuzz/run.sh [SECONDS=60]   env: MOCKLOOP_FUZZ_BUILD (default build-fuzz),
#        MOCKLOOP_FUZZ_JOBS (parallel fuzzing processes, default 1), FUZZ_SEED (default 1)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_TO_RUN=${1:-60}
BUILD=${MOCKLOOP_FUZZ_BUILD:-$ROOT/build-fuzz}
JOBS=${MOCKLOOP_FUZZ_JOBS:-1}
FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"

mkdir -p "$BUILD"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOCKLOOP_FUZZ=ON \
  -DMOCKLOOP_WITH_NET=OFF -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_FLAGS="$FLAGS" -DCMAKE_CXX_FLAGS="$FLAGS" > "$BUILD/configure.log"
cmake --build "$BUILD" --target crdt_fuzz awareness_fuzz ws_frame_fuzz -j2 > "$BUILD/build.log" 2>&1 || { tail -40 "$BUILD/build.log"; exit 2; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$BUILD/artifacts"

# run_target NAME SECONDS MAX_LEN
run_target() {
  local name=$1 secs=$2 max_len=$3
  local fuzzer work
  fuzzer=$(find "$BUILD" -name "${name}_fuzz" -type f -perm -u+x | head -1)
  work=$BUILD/corpus-work/$name
  mkdir -p "$work"
  cp -n "$ROOT"/fuzz/corpus/"$name"/* "$work/" 2>/dev/null || true
  echo "# running $fuzzer for ${secs}s on $(ls "$work" | wc -l) corpus files"
  "$fuzzer" "$work" -max_total_time="$secs" -max_len="$max_len" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" \
    -seed="${FUZZ_SEED:-1}" -jobs="$JOBS" -workers="$JOBS" -artifact_prefix="$BUILD/artifacts/${name}-" \
    -print_final_stats=1 2>&1 | tail -25
  return "${PIPESTATUS[0]}"
}

status=0
QUARTER=$(( SECONDS_TO_RUN / 4 > 0 ? SECONDS_TO_RUN / 4 : 1 ))
run_target crdt $(( SECONDS_TO_RUN - 2 * QUARTER > 0 ? SECONDS_TO_RUN - 2 * QUARTER : 1 )) 65536 || status=$?
run_target awareness "$QUARTER" 131072 || status=$?
run_target ws_frame "$QUARTER" 16384 || status=$?
if ls "$BUILD"/artifacts/*crash-* "$BUILD"/artifacts/*leak-* "$BUILD"/artifacts/*timeout-* > /dev/null 2>&1; then
  echo "# findings in $BUILD/artifacts:"; ls "$BUILD/artifacts"
  exit 1
fi
exit "$status"
