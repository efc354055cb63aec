#!/usr/bin/env bash
# The main job on the bundled default (configs/default: network.m + accelerator.yaml):
# installs dependencies, builds, compiles every layer (schedule), runs the analytical model and
# the SystemC simulation, cross-checks them, prints the discrepancy report and writes a
# step-level HDF5 trace.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
mkdir -p out
export SC_COPYRIGHT_MESSAGE=DISABLE
./build/bin/baton schedule --json=out/schedule.json >/dev/null
./build/bin/baton analyze --csv out/analyze.csv --json=out/analyze.json >/dev/null
./build/bin/baton simulate --csv out/simulate.csv --json=out/simulate.json >/dev/null
./build/bin/baton check --report out/report --trace out/trace.h5 --trace-level step "$@"
./build/bin/baton trace info out/trace.h5 | head -4
echo "written: out/schedule.json out/analyze.{csv,json} out/simulate.{csv,json}" \
     "out/report/discrepancy.{csv,json,md} out/trace.h5"
