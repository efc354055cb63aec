#!/usr/bin/env bash
# The main job on the bundled default (configs/default: network.m + accelerator.yaml):
# installs dependencies, builds, and runs baton on it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
./build/bin/baton schedule "$@"
