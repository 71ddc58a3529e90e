#!/usr/bin/env bash
# Sets up and runs MockLoop on a fresh Debian 12 machine: installs what is missing,
# builds the server (release) and the web client, and starts the server on 127.0.0.1
# with its embedded SQLite database under ./data. Extra arguments go to the server
# (e.g. --listen 127.0.0.1:9000). Idempotent; quick when everything is already built.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}

stage "install Debian packages (run)" bash scripts/install-deps.sh run
stage "web client: npm install" npm_install client-web
if [ -f client-web/package.json ]; then
  stage "web client: build" bash -c 'cd client-web && npm run build --silent'
fi
# Its own build dir without tests (no GoogleTest needed); scripts/test.sh uses build/.
stage "server: configure (Release, no tests)" cmake -S . -B build-run -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DMOCKLOOP_BUILD_TESTS=OFF >/dev/null
stage "server: build" cmake --build build-run --target mockloop
print_stages

mkdir -p data
static=()
[ -d client-web/dist ] && static=(--static-dir client-web/dist)
exec build-run/server/app/mockloop --db ./data/mockloop.db --content-dir ./content "${static[@]}" "$@"
