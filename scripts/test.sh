#!/usr/bin/env bash
# Installs dependencies, builds and runs every test. Usage: scripts/test.sh [--sanitize]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh "$@"
DIR=build
if [ "${1:-}" = "--sanitize" ]; then
  DIR=build-asan
  export BATON_TEST_QUICK=1  # heavy cross-checks visit 4 layers per file under ASan/UBSan
fi
export SC_COPYRIGHT_MESSAGE=DISABLE
# SystemC's QuickThreads stacks: see SIM-NOTES.md "Sanitizers with SystemC".
export ASAN_OPTIONS=detect_stack_use_after_return=0:detect_leaks=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$DIR" -j "$(nproc)" --output-on-failure --timeout 600
