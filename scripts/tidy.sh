#!/usr/bin/env bash
# clang-tidy with the project's .clang-tidy over the server's sources (server/**/*.cpp, as
# the build at BUILD_DIR compiles them: its compile_commands.json). Prints every warning
# in our code and fails if there is one.
# Usage: scripts/tidy.sh [BUILD_DIR] [--changed BASE | --since-clean]   (BUILD_DIR default build)
#   --changed BASE: only the sources changed since git revision BASE (committed or not),
#   and for each changed header the source of the same name; nothing changed, nothing run.
#   Every source instead when BASE is not a commit this clone has (a shallow clone) or when
#   .clang-tidy itself changed since BASE (its checks then apply to code they never saw).
#   --since-clean: --changed with the commit recorded in .ci/tidy-base, the last one whose
#   full run was clean (every source when the file is missing). After a clean full run,
#   record it: `git rev-parse HEAD` as the file's first line (a commit main keeps).
# TIDY_JOBS (default 2) clang-tidy processes run at once.
set -uo pipefail
cd "$(dirname "$0")/.."
build=build
base=""
while [ $# -gt 0 ]; do
  case $1 in
    --changed) base=${2:?--changed needs a git revision}; shift 2 ;;
    --since-clean)
      base=$(sed -n '1s/[[:space:]].*//p' .ci/tidy-base 2>/dev/null)
      [ -n "$base" ] || { echo "tidy: no commit in .ci/tidy-base: checking every source"; base=""; }
      shift ;;
    *) build=$1; shift ;;
  esac
done
jobs=${TIDY_JOBS:-2}
if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy: $build/compile_commands.json is missing: configure the build first" >&2
  exit 2
fi
tidy=$(command -v run-clang-tidy || command -v run-clang-tidy-14) || {
  echo "tidy: run-clang-tidy not found (Debian: apt-get install clang-tidy)" >&2
  exit 2
}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Every server source but net/beast_src.cpp (Boost's own implementation, compiled once).
mapfile -t sources < <(git ls-files --cached --others --exclude-standard 'server/*.cpp' | grep -v '^server/net/beast_src\.cpp$')
if [ -n "$base" ] && ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  echo "tidy: $base is not a commit of this clone (shallow?): checking every source"
  base=""
fi
if [ -n "$base" ] && ! git diff --quiet "$base" -- .clang-tidy; then
  echo "tidy: .clang-tidy changed since $base: checking every source"
  base=""
fi
if [ -n "$base" ]; then
  changed=$( { git diff --name-only "$base" -- server; git ls-files --others --exclude-standard server; } \
    | sed 's/\.\(hpp\|h\)$/.cpp/' | sort -u)
  mapfile -t sources < <(printf '%s\n' "${sources[@]}" | grep -Fx -f <(printf '%s\n' "$changed") || true)
  if [ ${#sources[@]} -eq 0 ]; then
    echo "tidy: no server source changed since $base"
    exit 0
  fi
fi
mapfile -t files < <(printf '%s\n' "${sources[@]}" | sed "s|^|^$PWD/|; s|\.|\\.|g; s|$|\$|")
# The compile commands are g++'s: clang does not know some of its warning flags.
"$tidy" -p "$build" -j "$jobs" -quiet -extra-arg=-Wno-unknown-warning-option "${files[@]}" >"$out" 2>&1
rc=$?
# Our code's warnings only (the header filter in .clang-tidy keeps the rest out), each once:
# a header's warning is reported by every file that includes it. run-clang-tidy colours its
# output even into a file: the colour codes go first.
sed -i 's/\x1b\[[0-9;]*m//g' "$out"
warnings=$(grep -E "^$PWD/(server|tests)/.*: (warning|error): " "$out" | sort -u)
if [ -n "$warnings" ]; then
  echo "$warnings"
  echo "tidy: $(echo "$warnings" | wc -l) warning(s)"
  exit 1
fi
if [ $rc -ne 0 ]; then
  grep -E "error|Error" "$out" | head -20
  echo "tidy: clang-tidy failed ($rc)"
  exit 1
fi
echo "tidy: no warnings in ${#files[@]} server sources${base:+ (changed since $base)}"
