#!/usr/bin/env bash
# Proves the container recipe (issue 22) with Debian's podman and Debian's packages only:
# no registry is needed. The base image is a debootstrap'd Debian 12 minbase root imported
# into podman (`localhost/debian:bookworm-minbase`, passed as the Containerfile's DEBIAN
# build argument), the image is built from Containerfile (the server compiled inside, so
# this takes a while), run with a named volume on /data, and checked from the host:
# /readyz answers, the database file lands in the volume, and the container's health check
# (the Containerfile's HEALTHCHECK; built in docker format, as OCI images have none) passes.
# Then the container and volume are removed.
# Usage (root; slow, not part of scripts/test.sh; needs debootstrap and podman):
#   sudo bash scripts/container-check.sh [ROOT_DIR]   (default /var/tmp/mockloop-deb12-base)
# Environment: PORT (host port, default 18491), RUNTIME (OCI runtime, default runc: Debian's
# crun refuses the hybrid cgroup v1 layout some VMs have).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
root=${1:-/var/tmp/mockloop-deb12-base}
port=${PORT:-18491}
runtime=${RUNTIME:-runc}
[ "$(id -u)" -eq 0 ] || { echo "container-check: needs root (debootstrap, podman)" >&2; exit 1; }
for tool in debootstrap podman; do
  command -v $tool >/dev/null || { echo "container-check: $tool is missing (apt-get install debootstrap podman runc)" >&2; exit 1; }
done
# A VM's limits can be lower than podman's defaults (nofile, nproc), and runc may not raise
# RLIMIT_NPROC to the host's own hard limit: fixed, modest values that a build needs.
limits=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)

base=localhost/debian:bookworm-minbase
if ! podman image exists $base; then
  if [ ! -f "$root/etc/debian_version" ]; then
    echo "==> debootstrap --variant=minbase bookworm $root"
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
  fi
  # The host's extra CA certificates (a TLS-intercepting proxy) go into the base, so
  # apt and npm inside the build trust what the host trusts.
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/* "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive bash -c \
    'apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null && update-ca-certificates >/dev/null'
  echo "==> podman import $root as $base"
  tar -C "$root" -c . | podman import - $base >/dev/null
fi
echo "==> podman build (Containerfile, DEBIAN=$base)"
t0=$(date +%s)
podman build --format docker --runtime "$runtime" "${limits[@]}" --network host --build-arg DEBIAN=$base \
  --build-arg NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
  -t localhost/mockloop:check -f "$repo/Containerfile" "$repo" >/tmp/container-check-build.log 2>&1 \
  || { tail -30 /tmp/container-check-build.log; echo "container-check: FAILED: podman build" >&2; exit 1; }
echo "    built in $(( $(date +%s) - t0 )) s; image $(podman image inspect localhost/mockloop:check --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"

name=mockloop-check-$$
podman volume create "$name" >/dev/null
cleanup() { podman rm -f "$name" >/dev/null 2>&1 || true; podman volume rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
podman run --runtime "$runtime" "${limits[@]}" -d --name "$name" -p "127.0.0.1:$port:8080" -v "$name:/data" \
  localhost/mockloop:check >/dev/null
ok=0
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ok=1; break; fi
  sleep 1
done
[ $ok = 1 ] || { podman logs "$name" | tail -20; echo "container-check: FAILED: /readyz did not answer" >&2; exit 1; }
echo "    /readyz: $(curl -fsS "http://127.0.0.1:$port/readyz")"
podman exec "$name" test -s /data/mockloop.db || { echo "container-check: FAILED: no /data/mockloop.db" >&2; exit 1; }
echo "    /data/mockloop.db is in the volume"
podman healthcheck run "$name" >/dev/null && echo "    health check: healthy" \
  || { echo "container-check: FAILED: the image's health check" >&2; exit 1; }
echo "container-check: OK (image built from Debian packages, served /readyz, data in the volume)"
