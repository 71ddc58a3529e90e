#!/usr/bin/env bash
# Sets up and runs every test on a fresh Debian 12 machine: installs what is missing,
# builds everything (release, with -Werror on our code), runs ctest (C++ unit tests and
# the Node tests against the real server process), all of them again under ASan+UBSan
# (the server binary too, except the slow crash test), clang-tidy on the server sources
# changed since the last clean full run (.ci/tidy-base; TIDY=full: all of them), a bounded
# fuzz run, the web client's unit tests and the browser end-to-end tests.
# Prints each stage's time. Exits non-zero if any stage fails.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
export CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-2}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
failed=0
run() { stage "$@" || failed=1; }

stage "install Debian packages (test)" bash scripts/install-deps.sh test || { print_stages; exit 1; }
run "node test deps: npm install" npm_install tests/js
run "web client: npm install" npm_install client-web
run "e2e: npm install" npm_install tests/e2e
if [ -f client-web/package.json ]; then
  run "web client: build" bash -c 'cd client-web && npm run build --silent'
fi
stage "C++: configure (Release)" cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null || { print_stages; exit 1; }
if stage "C++: build (Release)" cmake --build build; then
  run "ctest (Release)" ctest --test-dir build --output-on-failure --timeout 600
else
  failed=1
fi
# clang-tidy (.clang-tidy) on the server's sources, as the Release build compiles them.
# TIDY=changed (default): every source changed since the last commit whose full run was
# clean, recorded in .ci/tidy-base (or since TIDY_BASE when set), so a fresh clone of main
# checks all that came after it, not only the last commit; every source when that commit is
# unknown to the clone (shallow) or .clang-tidy changed since it. TIDY=full: every source
# (about 12 CPU-minutes for ~100 files, measured 2026-12-05 at 7 s of CPU a file: too slow
# for every run, the test command stays near 40 minutes); after a clean full run, write
# HEAD into .ci/tidy-base (until then: the sources changed since origin/main or HEAD~1).
# TIDY=off: skipped.
TIDY=${TIDY:-changed}
if [ "$TIDY" = full ]; then
  run "clang-tidy (all server sources)" bash scripts/tidy.sh build
elif [ "$TIDY" = changed ] && [ -n "${TIDY_BASE:-}" ]; then
  run "clang-tidy (changed since ${TIDY_BASE:0:10})" bash scripts/tidy.sh build --changed "$TIDY_BASE"
elif [ "$TIDY" = changed ] && [ -f .ci/tidy-base ]; then
  run "clang-tidy (changed since .ci/tidy-base)" bash scripts/tidy.sh build --since-clean
elif [ "$TIDY" = changed ]; then
  # No clean full run recorded yet: where this branch left origin/main, on main HEAD~1.
  tidy_base=$(git merge-base HEAD origin/main 2>/dev/null || true)
  if [ -z "$tidy_base" ] || [ "$tidy_base" = "$(git rev-parse HEAD)" ]; then
    tidy_base=$(git rev-parse HEAD~1 2>/dev/null || true)
  fi
  if [ -n "$tidy_base" ]; then
    run "clang-tidy (changed since ${tidy_base:0:10})" bash scripts/tidy.sh build --changed "$tidy_base"
  fi
fi
if stage "C++: configure (ASan+UBSan)" cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DMOCKLOOP_SANITIZE=ON >/dev/null \
   && stage "C++: build (ASan+UBSan)" cmake --build build-asan; then
  run "ctest (ASan+UBSan)" env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure --timeout 900 -LE slow
else
  failed=1
fi
if [ -x fuzz/run.sh ]; then
  run "fuzz (${FUZZ_SECONDS}s)" fuzz/run.sh "$FUZZ_SECONDS"
fi
if [ -f client-web/package.json ]; then
  run "web client: unit tests (vitest)" bash -c 'cd client-web && npm test --silent'
fi
if [ -f tests/e2e/package.json ]; then
  run "browser end-to-end tests" bash -c 'cd tests/e2e && MOCKLOOP_BIN=../../build/server/app/mockloop npm test --silent'
fi
print_stages
[ $failed -eq 0 ] && echo "ALL TESTS PASSED" || echo "SOME TESTS FAILED"
exit $failed
