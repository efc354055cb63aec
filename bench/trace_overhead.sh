#!/usr/bin/env bash
# Trace-writing overhead (issue #6): whole ResNet-50 (Resnet50_kcp_ws.m on bench/resnet50_hw.m,
# bus) simulated without a trace and with a step-level trace, run back to back; then one layer
# at event level for the records/s written. Results go in docs/PERFORMANCE.md "Traces".
#   bench/trace_overhead.sh [bus|mesh]
set -euo pipefail
cd "$(dirname "$0")/.."
export SC_COPYRIGHT_MESSAGE=DISABLE
NOC=${1:-bus}
MAPPING=validation/reference/maestro/inputs/mapping/Resnet50_kcp_ws.m
HW=bench/resnet50_hw.m
BATON=build/bin/baton
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
run() {  # prints the CPU seconds (user + sys) of baton simulate "$@"
  /usr/bin/time -f "%U %S" -o "$TMP/t" "$BATON" simulate --mapping "$MAPPING" --hw "$HW" \
    --noc "$NOC" "$@" > /dev/null 2>&1
  awk '{print $1 + $2}' "$TMP/t"
}
plain=$(run)
traced=$(run --trace "$TMP/step.h5" --trace-level step)
size=$(stat -c %s "$TMP/step.h5")
echo "no trace: ${plain} s CPU; step-level trace: ${traced} s CPU; trace file: ${size} bytes"
awk -v a="$plain" -v b="$traced" 'BEGIN { printf "step-level overhead: %.3fx\n", b / a }'
layer=CONV2_1_1
plain=$(run --layer "$layer")
traced=$(run --layer "$layer" --trace "$TMP/event.h5" --trace-level event)
records=$("$BATON" trace info "$TMP/event.h5" | awk '/records/ {s += $2} END {print s}')
echo "event level, layer $layer: ${records} records, ${plain} s CPU without, ${traced} s CPU with"
awk -v r="$records" -v a="$plain" -v b="$traced" \
  'BEGIN { d = b - a; if (d <= 0) d = 1e-3; printf "event-level records/s (trace cost only): %.0f\n", r / d }'
