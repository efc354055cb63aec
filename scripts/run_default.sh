#!/usr/bin/env bash
# The main job on the bundled default (configs/default: network.m + accelerator.yaml):
# installs dependencies, builds, compiles every layer (schedule) and runs the analytical model;
# writes out/schedule.json, out/analyze.csv, out/analyze.json and prints the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
mkdir -p out
./build/bin/baton schedule --json=out/schedule.json >/dev/null
echo "schedule: out/schedule.json"
./build/bin/baton analyze --csv out/analyze.csv --json=out/analyze.json "$@"
echo "analysis: out/analyze.csv, out/analyze.json"
