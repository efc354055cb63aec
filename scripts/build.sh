#!/usr/bin/env bash
# Configures and builds baton. Usage: scripts/build.sh [--sanitize] ; build dir: build/ or
# build-asan/ (ASan + UBSan).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=build; EXTRA=()
if [ "${1:-}" = "--sanitize" ]; then DIR=build-asan; EXTRA=(-DBATON_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug); fi
cmake -S . -B "$DIR" -G Ninja "${EXTRA[@]}" >/dev/null
cmake --build "$DIR" -j "$(nproc)"
