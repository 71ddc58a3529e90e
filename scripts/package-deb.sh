#!/usr/bin/env bash
# Builds the Debian package: the server without tests, installed under /usr with the
# config file in /etc/mockloop, the systemd unit and the built web client (built here
# first when client-web/dist is missing). Prints the .deb's path.
#   bash scripts/package-deb.sh            # -> build-deb/mockloop_<version>_amd64.deb
# Install it: apt-get install ./build-deb/mockloop_*.deb (the service starts under systemd).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
if [ ! -f client-web/dist/index.html ]; then
  npm_install client-web
  (cd client-web && npm run build --silent)
fi
cmake -S . -B build-deb -G Ninja -DCMAKE_BUILD_TYPE=Release -DMOCKLOOP_BUILD_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build build-deb --target mockloop mockloop-runner
(cd build-deb && cpack -G DEB >/dev/null)
ls "$PWD"/build-deb/mockloop_*.deb
