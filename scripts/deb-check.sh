#!/usr/bin/env bash
# Proves the .deb (issue 22): builds it on this (Debian 12) machine with
# scripts/package-deb.sh, installs it with apt-get into a Debian 12 root (debootstrap
# minbase, Debian's packages only; systemd added), enables the unit, boots the root with
# systemd-nspawn so the service runs under systemd with the unit's whole sandboxing set
# (DynamicUser, StateDirectory, ProtectSystem=strict, RestrictNamespaces=~cgroup, ...),
# then from the host: /readyz answers, the state directory belongs to the dynamic user,
# and a loop's code runs in Python, JavaScript and C++ give their output through the
# runner's sandbox inside the unit's (the check turns on allow-anonymous-create in the
# root's config to create that loop). Stops the container.
# Usage (root; slow, not part of scripts/test.sh; needs debootstrap and systemd-container):
#   sudo bash scripts/deb-check.sh [ROOT_DIR]      (default /var/tmp/mockloop-deb12-pkg)
# Environment: PORT (default 18490), BOOT_TIMEOUT (s, default 120).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
root=${1:-/var/tmp/mockloop-deb12-pkg}
port=${PORT:-18490}
[ "$(id -u)" -eq 0 ] || { echo "deb-check: needs root (debootstrap, chroot, systemd-nspawn)" >&2; exit 1; }
for tool in debootstrap systemd-nspawn; do
  command -v $tool >/dev/null || { echo "deb-check: $tool is missing (apt-get install debootstrap systemd-container)" >&2; exit 1; }
done

echo "==> the .deb (scripts/package-deb.sh)"
deb=$(bash "$repo/scripts/package-deb.sh" | tail -1)
echo "    $deb"

if [ ! -f "$root/etc/debian_version" ]; then
  echo "==> debootstrap --variant=minbase bookworm $root"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
fi
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" && rm -f "$root/etc/apt/sources.list"
fi
cp /etc/apt/apt.conf.d/99artifact-registry "$root/etc/apt/apt.conf.d/" 2>/dev/null || true
mkdir -p "$root/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/* "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive bash -c "$1"; }

echo "==> apt-get install systemd and the .deb (with its recommends) in the root"
cp "$deb" "$root/tmp/mockloop.deb"
in_root 'apt-get update -qq && apt-get install -y -qq systemd systemd-sysv dbus >/dev/null
  apt-get install -y -qq --reinstall /tmp/mockloop.deb >/dev/null && rm /tmp/mockloop.deb
  dpkg -s mockloop | grep -E "^(Version|Depends|Recommends):"
  sed -i "s/^listen = .*/listen = 127.0.0.1:'"$port"'/" /etc/mockloop/mockloop.conf
  grep -q "^allow-anonymous-create" /etc/mockloop/mockloop.conf || echo "allow-anonymous-create = on" >>/etc/mockloop/mockloop.conf
  systemctl enable mockloop.service 2>&1 | tail -1'

echo "==> boot the root with systemd-nspawn; the unit starts at boot"
nspawn_flags=(-q -D "$root" -b)
# Without a system bus here (a container or VM without systemd as PID 1) nspawn can
# neither register the machine nor make a scope unit for it.
[ -S /run/dbus/system_bus_socket ] || nspawn_flags+=(--register=no --keep-unit)
systemd-nspawn "${nspawn_flags[@]}" >"$root/../$(basename "$root").boot.log" 2>&1 &
nspawn_pid=$!
trap 'kill -TERM $nspawn_pid 2>/dev/null; wait $nspawn_pid 2>/dev/null || true' EXIT
ok=0
for _ in $(seq 1 "${BOOT_TIMEOUT:-120}"); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ok=1; break; fi
  kill -0 $nspawn_pid 2>/dev/null || break
  sleep 1
done
[ $ok = 1 ] || { echo "deb-check: FAILED: /readyz did not answer within ${BOOT_TIMEOUT:-120} s" >&2; exit 1; }
echo "    /readyz: $(curl -fsS "http://127.0.0.1:$port/readyz")"
owner=$(stat -c %u "$root/var/lib/private/mockloop")
echo "    /var/lib/private/mockloop owned by uid $owner (DynamicUser)"
[ "$owner" != 0 ] || { echo "deb-check: FAILED: the state directory belongs to root" >&2; exit 1; }
made=$(curl -fsS -X POST -H 'content-type: application/json' \
  -d '{"templateId":"single-coding","candidateName":"Cam","hostName":"Hana"}' "http://127.0.0.1:$port/api/loops")
loop=$(printf '%s' "$made" | python3 -c 'import json,sys; print(json.load(sys.stdin)["loop"]["id"])')
host=$(printf '%s' "$made" | python3 -c 'import json,sys; print([i["token"] for i in json.load(sys.stdin)["invites"] if i["role"]=="ROLE_HOST"][0])')
echo "    POST /api/loops: loop $loop"
echo "    GET /api/runtimes: sandbox $(curl -fsS "http://127.0.0.1:$port/api/runtimes" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sandbox"])')"
# One run per CI language through the unit's sandboxing (bwrap inside systemd's).
failed=0
for lang in python javascript cpp; do
  body=$(python3 -c 'import json,sys
code={"python":"print(6*7)","javascript":"console.log(6*7)",
      "cpp":"#include <cstdio>\nint main() { std::printf(\"%d\\n\", 6 * 7); }"}[sys.argv[1]]
print(json.dumps({"language":sys.argv[1],"code":code,"tests":"none"}))' "$lang")
  run=$(curl -fsS -X POST -H "authorization: Bearer $host" -H 'content-type: application/json' -d "$body" \
    "http://127.0.0.1:$port/api/loops/$loop/rounds/0/runs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["runId"])')
  verdict=""
  for _ in $(seq 1 60); do
    got=$(curl -fsS -H "authorization: Bearer $host" "http://127.0.0.1:$port/api/loops/$loop/rounds/0/runs/$run")
    verdict=$(printf '%s' "$got" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r.get("verdict","") if r.get("status")=="done" else "")')
    [ -n "$verdict" ] && break
    sleep 1
  done
  out=$(printf '%s' "$got" | python3 -c 'import json,sys; r=json.load(sys.stdin); print((r.get("tests") or [{}])[0].get("stdout","").strip())')
  echo "    run $lang: $verdict, stdout '$out'"
  [ "$verdict" = OK ] && [ "$out" = 42 ] || failed=1
done
[ $failed = 0 ] || { echo "deb-check: FAILED: a run did not give OK / 42 under the unit" >&2; exit 1; }
echo "deb-check: OK (the .deb installed, its service answering under systemd, code runs sandboxed inside the unit)"
