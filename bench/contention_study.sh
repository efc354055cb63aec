#!/usr/bin/env bash
# The contention study of docs/CONTENTION-STUDY.md: the bundled network on every NoC topology
# (bus, crossbar, mesh, tree with arity 4 and 2, systolic), each with 64 and 8 elements/cycle per
# link; prints the analytical runtime, then runtime and NoC statistics per layer and network.
# Configurations: a topology name, `tree2` (tree of arity 2; `tree` has the default arity 4) or
# `crossbar-l2` (crossbar with the default accelerator's L2 ports, 64 elements/cycle each way;
# everything else runs with L2 ports not limiting).
# Usage: bench/contention_study.sh [CONFIG...]   (default: all; each run takes 5–20 s)
set -euo pipefail
cd "$(dirname "$0")/.."
export SC_COPYRIGHT_MESSAGE=DISABLE
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
CONFIGS=("${@:-bus crossbar crossbar-l2 mesh tree tree2 systolic}")
hw() {  # hw TOPOLOGY ARITY BANDWIDTH [L2_PORT]
  cat > "$TMP/hw.yaml" <<YAML
pes: 256
l2_ports: {read: ${4:-unlimited}, write: ${4:-unlimited}}
noc: {topology: $1, tree_arity: $2, bandwidth: $3 elem/cycle, hop_latency: 1 cycle, buffer_depth: 8 flits}
offchip: {bandwidth: 32 elem/cycle, latency: 0 cycles}
YAML
}
hw bus 4 64
echo "analytical (rule 13, 64 elem/cycle):"
build/bin/baton analyze --hw "$TMP/hw.yaml" --json 2>/dev/null | /usr/bin/python3 -c "
import json, sys
print(' '.join('%s=%d' % (l['layer'], l['runtime_cycles']) for l in json.load(sys.stdin)['layers']))"
printf "%-11s %4s %-6s %10s %10s %13s %12s %12s %12s %16s\n" noc bw layer cycles noc_busy \
  busiest_link fork_stalls credit_stall reduce_waits operand_stall_pe_cycles
for config in ${CONFIGS[@]}; do
  topo=$config; arity=4; port=unlimited
  case $config in
    tree2) topo=tree; arity=2 ;;
    crossbar-l2) topo=crossbar; port="64 elem/cycle" ;;
  esac
  for bw in 64 8; do
    hw "$topo" "$arity" "$bw" "$port"
    build/bin/baton simulate --hw "$TMP/hw.yaml" --json 2>/dev/null | /usr/bin/python3 -c "
import json, sys
for l in json.load(sys.stdin)['layers']:
    s = l['stats']; d = s['accelerator.noc.distribution']; c = s['accelerator.noc.collection']
    p = s['accelerator.pe_array']
    print('%-11s %4s %-6s %10d %10d %13d %12d %12d %12d %16d' % ('$config', '$bw', l['layer'],
          l['runtime_cycles'], d['busy_cycles'], d['busiest_link_flits'], d['fork_stalls'],
          d['credit_stalls'] + c['credit_stalls'], c['reduction_waits'],
          p['stall_input'] + p['stall_weight']))"
  done
done
