#!/usr/bin/env bash
# Instructions per layer evaluation of `baton bench analyze` under callgrind (deterministic, unlike
# wall time on a shared machine): the difference between a 3 s run and a near-empty one, divided by
# the difference in evaluations. Needs valgrind. docs/PERFORMANCE.md quotes its figures.
# Usage: bench/analyze_instructions.sh [MAPPING_FILE] [HW_FILE] [BATON_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
R=validation/reference/maestro/inputs
M=${1:-$R/mapping/Resnet50_kcp_ws.m}
H=${2:-$R/hw/accelerator_1.m}
B=${3:-build/bin/baton}
command -v valgrind >/dev/null || { echo "analyze_instructions.sh: valgrind not found (apt-get install valgrind)" >&2; exit 1; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
run() {  # $1: seconds, $2: output prefix
  valgrind --tool=callgrind --callgrind-out-file="$T/$2.out" "$B" bench analyze --mapping "$M" \
    --hw "$H" --seconds "$1" > "$T/$2.txt" 2>/dev/null
  evals=$(awk '/^evaluations:/ {print $2}' "$T/$2.txt")
  instr=$(callgrind_annotate "$T/$2.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  echo "$evals $instr"
}
read -r e0 i0 < <(run 0.001 short)
read -r e1 i1 < <(run 3 long)
echo "$(basename "$M" .m): $((e1 - e0)) evaluations, $(((i1 - i0) / (e1 - e0))) instructions per layer evaluation"
