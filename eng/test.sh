#!/usr/bin/env bash
# Sets up a fresh machine (C++ runtime, sample data) and runs every test project of the solution in Release.
# Ends with one summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash eng/setup.sh || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test BackdoorKit.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# dotnet test prints one "Failed: a, Passed: b, Skipped: c, Total: d" line per test project; add them up.
awk '/Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {
       for (i = 1; i <= NF; i++) { v = $(i + 1); gsub(/,/, "", v)
         if ($i == "Failed:") f += v; else if ($i == "Passed:") p += v; else if ($i == "Skipped:") s += v } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
