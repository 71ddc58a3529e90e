# Shared by run.sh and test.sh: stage timing and the npm install step.
# shellcheck shell=bash
STAGE_LOG=()
stage() {  # stage NAME CMD...: runs CMD, records how long it took
  local name=$1; shift
  local t0; t0=$(date +%s)
  echo "==> $name"
  "$@"
  local rc=$?
  local t1; t1=$(date +%s)
  STAGE_LOG+=("$(printf '%-34s %5ss  %s' "$name" "$((t1 - t0))" "$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")")")
  return $rc
}
print_stages() {
  echo
  echo "Stage timings:"
  printf '  %s\n' "${STAGE_LOG[@]}"
}
npm_install() {  # npm_install DIR: installs DIR's pinned dependencies (lockfile) when missing or stale
  local dir=$1
  [ -f "$dir/package.json" ] || return 0
  if [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    return 0
  fi
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
}
