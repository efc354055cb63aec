#!/usr/bin/env bash
# The contention study of docs/CONTENTION-STUDY.md: the bundled network on a bus and a 2D mesh,
# each with 64 and 8 elements/cycle per link; prints runtime and NoC statistics per layer.
set -euo pipefail
cd "$(dirname "$0")/.."
export SC_COPYRIGHT_MESSAGE=DISABLE
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
printf "%-5s %4s %-6s %10s %10s %13s %12s %16s\n" noc bw layer cycles noc_busy busiest_link fork_stalls operand_stall_pe_cycles
for topo in bus mesh; do
  for bw in 64 8; do
    cat > "$TMP/hw.yaml" <<YAML
pes: 256
l2_ports: {read: unlimited, write: unlimited}
noc: {topology: $topo, bandwidth: $bw elem/cycle, hop_latency: 1 cycle, buffer_depth: 8 flits}
offchip: {bandwidth: 32 elem/cycle, latency: 0 cycles}
YAML
    build/bin/baton simulate --hw "$TMP/hw.yaml" --json 2>/dev/null | /usr/bin/python3 -c "
import json, sys
for l in json.load(sys.stdin)['layers']:
    s = l['stats']; d = s['accelerator.noc.distribution']; p = s['accelerator.pe_array']
    print('%-5s %4s %-6s %10d %10d %13d %12d %16d' % ('$topo', '$bw', l['layer'], l['runtime_cycles'],
          d['busy_cycles'], d['busiest_link_flits'], d['fork_stalls'],
          p['stall_input'] + p['stall_weight']))"
  done
done
