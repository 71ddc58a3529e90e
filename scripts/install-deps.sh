#!/usr/bin/env bash
# Installs the Debian 12 packages MockLoop needs. Idempotent: when every package is
# already present it only checks (about a second) and installs nothing.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev
  protobuf-compiler libprotobuf-dev
  libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  nlohmann-json3-dev libssl-dev openssl
  clang libclang-rt-14-dev
  nodejs npm
  nginx-light curl
)
# Markdown rendering of the written work (issue 21): needed to build and to run the server.
PKGS+=(libcmark-gfm-dev libcmark-gfm-extensions-dev)
# Code runner (issue 16): needed to RUN the server (sandbox) and to build mockloop-runner.
PKGS+=(bubblewrap libseccomp-dev python3)
# Calls (issue 17): coturn, started on loopback by tests/e2e/call_turn.e2e.mjs (test-only).
PKGS+=(coturn)
WITH_BROWSER=${WITH_BROWSER:-0}
[ "$WITH_BROWSER" = 1 ] && PKGS+=(chromium)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm may come from elsewhere than Debian (e.g. a newer node on PATH): accept them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
