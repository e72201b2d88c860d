#!/usr/bin/env bash
# Sets up a fresh machine (C++ runtime, sample data) and runs samples/ReproducePaper. Without arguments it runs the
# offline default: the quick preset (plan, run into results/quick one experiment at a time, the
# Grad-CAM panels of its most successful backdoor, and the report in results/quick/report).
# With arguments, they go to ReproducePaper unchanged, e.g.: bash eng/reproduce.sh plan --preset paper
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash eng/setup.sh
# Build output goes to stderr so stdout carries only the command's output (e.g. one JSON object with --json).
dotnet build samples/ReproducePaper -c Release --nologo -v quiet -clp:ErrorsOnly >&2
run() { dotnet samples/ReproducePaper/bin/Release/net10.0/ReproducePaper.dll "$@"; }
if [ "$#" -gt 0 ]; then
  run "$@"
else
  run plan --preset quick
  run run --preset quick --out results/quick
  run explain --out results/quick
  run report --out results/quick
fi
