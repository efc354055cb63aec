#!/usr/bin/env bash
# Analytical-model throughput over every accepted reference mapping (docs/PERFORMANCE.md).
# Per file: layers/s including parsing (`baton analyze` wall time, whole process) and layers/s
# of evaluation alone (`baton bench analyze`: schedule build + evaluation, parsing excluded).
# Usage: bench/analyze_all.sh [HW_FILE] [SECONDS_PER_BENCH]
set -euo pipefail
cd "$(dirname "$0")/.."
R=validation/reference/maestro/inputs
HW=${1:-$R/hw/accelerator_1.m}
SECS=${2:-2}
BATON=build/bin/baton
printf "%-28s %7s %14s %14s\n" mapping layers "incl_parse/s" "eval_only/s"
for f in $R/mapping/*.m $R/validation/*/*.m; do
  if ! $BATON schedule --mapping "$f" --hw "$HW" >/dev/null 2>&1; then continue; fi
  layers=$($BATON schedule --mapping "$f" --hw "$HW" --json 2>/dev/null | grep -c '"layer_index"')
  start=$(date +%s.%N)
  $BATON analyze --mapping "$f" --hw "$HW" >/dev/null 2>&1
  end=$(date +%s.%N)
  incl=$(awk -v n="$layers" -v a="$start" -v b="$end" 'BEGIN { print n / (b - a) }')
  eval_only=$($BATON bench analyze --mapping "$f" --hw "$HW" --seconds "$SECS" 2>/dev/null |
              tail -1 | awk '{print $2}')
  printf "%-28s %7d %14.1f %14s\n" "$(basename "$f" .m)" "$layers" "$incl" "$eval_only"
done
