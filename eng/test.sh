#!/usr/bin/env bash
# Sets up a fresh machine (C++ runtime, sample data), runs every test project of the solution in Release, then the
# outside-consumer tests against the packed packages (eng/consumer-test.sh).
# Ends with one summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash eng/setup.sh || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test BackdoorKit.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# Then BackdoorKit as an application outside the repository sees it: packed, restored from a local feed (eng/consumer-test.sh).
bash eng/consumer-test.sh "$@" 2>&1 | tee -a "$log"
consumer=${PIPESTATUS[0]}
[ "$status" -ne 0 ] || status=$consumer
# dotnet test prints one "Failed: a, Passed: b, Skipped: c, Total: d" line per test project; add them up.
awk '/Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {
       for (i = 1; i <= NF; i++) { v = $(i + 1); gsub(/,/, "", v)
         if ($i == "Failed:") f += v; else if ($i == "Passed:") p += v; else if ($i == "Skipped:") s += v } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
