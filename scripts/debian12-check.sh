#!/usr/bin/env bash
# Proves the README's two commands on a fresh Debian 12 with Debian's own packages only
# (nodejs 18.20 / npm 9.2, not this machine's Node): makes a bookworm minbase root with
# debootstrap, clones this checkout's HEAD into it and, inside it (its own mount namespace,
# pivot_root, as root):
#   1. bash scripts/run.sh --listen 127.0.0.1:$PORT  until /healthz answers, then stops it;
#   2. CHECK=quick (default): installs the test packages and runs the web client's unit tests
#      (vitest) and one browser test file (E2E_FILE, default board.e2e.mjs) under Node 18;
#      CHECK=full: bash scripts/test.sh (slow: the full suite twice, on 2 cores ~40 min).
# Usage (root; slow, so not part of scripts/test.sh):
#   sudo bash scripts/debian12-check.sh [ROOT_DIR]       (default /var/tmp/mockloop-deb12)
# Environment: CHECK=quick|full, E2E_FILE, PORT, RUN_TIMEOUT (s, default 5400), KEEP_BUILD=1.
# The root is kept for reruns (delete ROOT_DIR for a fresh one); proc/sys/dev are unmounted
# on exit. The machine's extra CA certificates are copied in (a TLS-intercepting proxy).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
root=${1:-/var/tmp/mockloop-deb12}
port=${PORT:-18480}
check=${CHECK:-quick}
e2e_file=${E2E_FILE:-board.e2e.mjs}
[ "$(id -u)" -eq 0 ] || { echo "debian12-check: needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debian12-check: apt-get install debootstrap" >&2; exit 1; }

if [ ! -f "$root/etc/debian_version" ]; then
  echo "==> debootstrap --variant=minbase bookworm $root"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
fi
# Same apt sources, CA certificates and resolver as the host.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" && rm -f "$root/etc/apt/sources.list"
fi
cp /etc/apt/apt.conf.d/99artifact-registry "$root/etc/apt/apt.conf.d/" 2>/dev/null || true
mkdir -p "$root/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/* "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
cp /etc/resolv.conf "$root/etc/resolv.conf"
# minbase has no /etc/hosts, so "localhost" would not resolve (a real install has one).
[ -f "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}" || umount -l "${mounted[$i]}"; done
}
trap cleanup EXIT
for m in proc sys dev; do
  if ! mountpoint -q "$root/$m"; then mount --bind "/$m" "$root/$m"; mounted+=("$root/$m"); fi
done

# A fresh clone of HEAD; KEEP_BUILD=1 instead updates the previous clone and keeps its
# build-run/ and node_modules/ (a rerun on a slow machine; the rest is cleaned).
if [ "${KEEP_BUILD:-0}" = 1 ] && [ -d "$root/src/mockloop/.git" ]; then
  git -C "$root/src/mockloop" fetch -q "$repo" HEAD
  git -C "$root/src/mockloop" checkout -q -f FETCH_HEAD
  git -C "$root/src/mockloop" clean -q -fdx -e build-run/ -e node_modules/
else
  rm -rf "$root/src/mockloop"
  mkdir -p "$root/src"
  git clone -q --no-local "$repo" "$root/src/mockloop"
  git -C "$root/src/mockloop" checkout -q "$(git -C "$repo" rev-parse HEAD)"
fi

# Runs a bash script in the root with a login-like environment. The root is entered with a
# private mount namespace and pivot_root, not chroot: the kernel refuses a new user
# namespace to a process in a chroot (user_namespaces(7)), so under chroot bwrap, and with
# it every code-runner test, failed (stop 30: 25 of 550 ctest tests, all of them the
# sandbox's). The host's tree is unmounted inside; proc, sys and dev stay bound.
in_root() {
  unshare -m bash -c 'set -e
    mount --make-rprivate /
    mount --rbind "$0" "$0"
    cd "$0"; mkdir -p oldroot
    pivot_root . oldroot
    exec /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
      NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt bash -c "umount -l /oldroot; cd /; $1"' "$root" "$1"
}
echo "==> CA certificates in the root"
in_root 'export DEBIAN_FRONTEND=noninteractive
  dpkg -s ca-certificates >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null; }
  update-ca-certificates >/dev/null'

echo "==> 1. bash scripts/run.sh --listen 127.0.0.1:$port (in the root)"
# A server left on the port (an interrupted earlier check) would answer for this one.
if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
  echo "debian12-check: something already answers on 127.0.0.1:$port; stop it or set PORT" >&2; exit 1
fi
in_root "cd /src/mockloop && exec bash scripts/run.sh --listen 127.0.0.1:$port" >"$root/run.log" 2>&1 &
run_pid=$!
ok=0
for _ in $(seq 1 "${RUN_TIMEOUT:-5400}"); do  # seconds; a first build on 2 busy cores is slow
  if ! kill -0 "$run_pid" 2>/dev/null; then break; fi
  if body=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null); then ok=1; break; fi
  sleep 1
done
grep -E '^(==>|  [a-z])|install-deps|WARN|requires Node' "$root/run.log" || true
if [ $ok = 1 ]; then
  echo "run.sh: /healthz answered: $body"
  echo "run.sh: node in the root: $(in_root 'node --version') npm $(in_root 'npm --version')"
else
  echo "run.sh: FAILED (no /healthz); last lines of $root/run.log:"; tail -30 "$root/run.log"
fi
# $run_pid may be the subshell rather than the server (stop 30 found a server of an earlier
# check still answering), so the server is also stopped by its --listen argument.
kill "$run_pid" 2>/dev/null || true
pkill -f -- "--listen 127.0.0.1:$port" 2>/dev/null || true
wait "$run_pid" 2>/dev/null || true
[ $ok = 1 ] || exit 1

if [ "$check" = full ]; then
  echo "==> 2. bash scripts/test.sh (in the root)"
  in_root 'cd /src/mockloop && bash scripts/test.sh'
  exit $?
fi
echo "==> 2. test packages, web client unit tests and $e2e_file under Debian's Node (in the root)"
in_root "set -e; cd /src/mockloop && source scripts/lib.sh
  bash scripts/install-deps.sh test
  npm_install tests/e2e
  echo '--- client-web: npm test (vitest)'; (cd client-web && npm test --silent)
  echo '--- tests/e2e: $e2e_file'
  cd tests/e2e && npm run gen --silent && MOCKLOOP_BIN=../../build-run/server/app/mockloop node --test $e2e_file"
