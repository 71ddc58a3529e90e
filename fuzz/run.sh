#!/usr/bin/env bash
# Builds the CRDT libFuzzer target with clang (ASan + UBSan) in its own build dir and runs
# it for a bounded time on a scratch copy of the committed corpus (fuzz/corpus/crdt).
# Exit status 0 when no crash was found; crash inputs are left in the build dir.
#
# Usage: fuzz/run.sh [SECONDS=60]   env: MOCKLOOP_FUZZ_BUILD (default build-fuzz),
#        MOCKLOOP_FUZZ_JOBS (parallel fuzzing processes, default 1)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_TO_RUN=${1:-60}
BUILD=${MOCKLOOP_FUZZ_BUILD:-$ROOT/build-fuzz}
JOBS=${MOCKLOOP_FUZZ_JOBS:-1}
FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"

mkdir -p "$BUILD"
if grep -q 'add_subdirectory(fuzz)' "$ROOT/CMakeLists.txt"; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOCKLOOP_FUZZ=ON \
    -DMOCKLOOP_WITH_NET=OFF -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_C_FLAGS="$FLAGS" -DCMAKE_CXX_FLAGS="$FLAGS" > "$BUILD/configure.log"
  cmake --build "$BUILD" --target crdt_fuzz -j2 > "$BUILD/build.log" 2>&1 || { tail -40 "$BUILD/build.log"; exit 2; }
  FUZZER=$(find "$BUILD" -name crdt_fuzz -type f -perm -u+x | head -1)
else
  # The top-level CMakeLists.txt does not include fuzz/ yet: compile directly.
  echo "# fuzz/ not wired into CMake yet; compiling crdt_fuzz directly with clang++"
  clang++ -std=c++20 $FLAGS -fsanitize=fuzzer -I"$ROOT/server" \
    "$ROOT"/server/crdt/*.cpp "$ROOT/fuzz/crdt_fuzz.cpp" -o "$BUILD/crdt_fuzz" 2> "$BUILD/build.log" \
    || { tail -40 "$BUILD/build.log"; exit 2; }
  FUZZER=$BUILD/crdt_fuzz
fi

WORK=$BUILD/corpus-work
mkdir -p "$WORK" "$BUILD/artifacts"
cp -n "$ROOT"/fuzz/corpus/crdt/* "$WORK/" 2>/dev/null || true
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "# running $FUZZER for ${SECONDS_TO_RUN}s on $(ls "$WORK" | wc -l) corpus files"
"$FUZZER" "$WORK" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -seed="${FUZZ_SEED:-1}" -jobs="$JOBS" -workers="$JOBS" -artifact_prefix="$BUILD/artifacts/" -print_final_stats=1 2>&1 | tail -25
status=${PIPESTATUS[0]}
if ls "$BUILD"/artifacts/crash-* "$BUILD"/artifacts/leak-* "$BUILD"/artifacts/timeout-* > /dev/null 2>&1; then
  echo "# findings in $BUILD/artifacts:"; ls "$BUILD/artifacts"
  exit 1
fi
exit "$status"
