#!/usr/bin/env bash
# Installs the Debian 12 packages MockLoop needs, and says which.
#   bash scripts/install-deps.sh run    # building and running the server (scripts/run.sh)
#   bash scripts/install-deps.sh test   # the above plus the test toolchain (scripts/test.sh)
# Idempotent: when every package is already present it only checks (about a second).
# As root it uses apt-get; otherwise sudo; without sudo it prints the apt-get line to run.
# Every package is Debian 12's own (nodejs 18.20 / npm 9.2 included: the npm
# dependencies are pinned to versions whose declared engines accept Node 18).
set -euo pipefail
what=${1:-run}

# Needed to build and run the server and build the web client.
RUN_PKGS=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev
  protobuf-compiler libprotobuf-dev
  libsqlite3-dev
  nlohmann-json3-dev libssl-dev
  nodejs npm
)
# Markdown rendering of the written work (issue 21): needed to build and to run the server.
RUN_PKGS+=(libcmark-gfm-dev libcmark-gfm-extensions-dev)
# Code runner (issue 16): needed to RUN the server (the sandbox) and to build mockloop-runner.
RUN_PKGS+=(bubblewrap libseccomp-dev python3)
# Webhooks (issue 22): the outbound HTTP(S) client.
RUN_PKGS+=(libcurl4-openssl-dev)
# Accounts (issue 20): Argon2id password hashes; needed to build and run the server.
RUN_PKGS+=(libsodium-dev)
# Needed only by the tests (scripts/test.sh): unit-test and benchmark libraries, clang for
# the fuzz run, nginx and curl for the deploy test, chromium for the browser tests.
TEST_PKGS=(
  ccache git sqlite3
  libgtest-dev libgmock-dev googletest libbenchmark-dev zlib1g-dev
  clang libclang-rt-14-dev
  nginx-light curl openssl
  chromium
)
# Calls (issue 17): coturn, started on loopback by tests/e2e/call_turn.e2e.mjs (test-only).
TEST_PKGS+=(coturn)
# Static analysis (issue 23): clang-tidy, run by scripts/tidy.sh from the test command.
TEST_PKGS+=(clang-tidy)

case "$what" in
  run) PKGS=("${RUN_PKGS[@]}") ;;
  test) PKGS=("${RUN_PKGS[@]}" "${TEST_PKGS[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm may come from elsewhere than Debian (e.g. a newer node on PATH): accept them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]+"${missing[@]}"}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps ($what): all ${#PKGS[@]} packages present"
  exit 0
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "install-deps ($what): these Debian packages are missing and this user cannot install them" >&2
    echo "(not root, no sudo). As root, run:" >&2
    echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  SUDO=(sudo)
fi
echo "install-deps ($what): installing ${#missing[@]} Debian package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]+"${SUDO[@]}"}" apt-get update -qq
"${SUDO[@]+"${SUDO[@]}"}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
