#!/usr/bin/env bash
# Whole-network simulation benchmark (issue #5): `baton simulate` of every layer of
# Resnet50_kcp_ws.m (6.5 M global steps) on bench/resnet50_hw.m (256 PEs, NoC and off-chip
# 64 elements/cycle), no functional values, no trace. Results go in docs/PERFORMANCE.md "Simulator".
#
#   bench/simulate_resnet50.sh [bus|mesh]
#       the full run: wall time, max RSS, simulated cycles, simulated cycles/s and global steps/s
#   bench/simulate_resnet50.sh [bus|mesh] --sample SECONDS
#       too slow to run in full (the mesh): simulates one layer of each distinct shape for at most
#       SECONDS, takes the layer's time from the rate on its progress line (or its full time when
#       it finishes) and extrapolates the network as Σ shape time × layers of that shape.
set -euo pipefail
cd "$(dirname "$0")/.."
export SC_COPYRIGHT_MESSAGE=DISABLE
NOC=${1:-bus}
MAPPING=validation/reference/maestro/inputs/mapping/Resnet50_kcp_ws.m
HW=bench/resnet50_hw.m
BATON=build/bin/baton
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

if [ "${2:-}" != "--sample" ]; then
  /usr/bin/time -v "$BATON" simulate --mapping "$MAPPING" --hw "$HW" --noc "$NOC" \
    --json "$TMP/out.json" > /dev/null 2> "$TMP/err"
  grep -v '^\[' "$TMP/err" | grep -v 'warning: layer name' | grep -v '^  \[' | \
    grep -E 'Elapsed|Maximum resident|User time' || true
  /usr/bin/python3 - "$TMP/out.json" "$TMP/err" <<'EOF'
import json, re, sys
j = json.load(open(sys.argv[1]))
err = open(sys.argv[2]).read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", err)
parts = [float(x) for x in m.group(1).split(":")]
wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cycles = sum(l["runtime_cycles"] for l in j["layers"])
steps = sum(l["steps"] for l in j["layers"])
print(f"layers {len(j['layers'])}, global steps {steps}, simulated cycles {cycles}")
print(f"wall {wall:.1f} s, {cycles / wall:,.0f} simulated cycles/s, {steps / wall:,.0f} steps/s")
EOF
  exit 0
fi

SECONDS_PER_SHAPE=${3:?--sample needs SECONDS}
# One layer (its 0-based index) per distinct Type/Stride/Dimensions, with the shape's layer count.
/usr/bin/python3 - "$MAPPING" > "$TMP/shapes" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
groups = {}
for i, (name, body) in enumerate(re.findall(r"Layer\s+(\S+)\s*\{(.*?)Dataflow", text, re.S)):
    groups.setdefault(re.sub(r"\s+", " ", body.strip()), []).append((i, name))
for members in groups.values():
    print(members[0][0], members[0][1], len(members))
EOF
printf "%-18s %6s %10s %12s %10s  %s\n" layer count steps cycles time_s how
while read -r index name count; do
  start=$(date +%s.%N)
  status=0
  timeout -s INT "$SECONDS_PER_SHAPE" "$BATON" simulate --mapping "$MAPPING" --hw "$HW" \
    --noc "$NOC" --layer "#$index" --json "$TMP/l.json" > /dev/null 2> "$TMP/l.err" || status=$?
  end=$(date +%s.%N)
  /usr/bin/python3 - "$name" "$count" "$status" "$start" "$end" "$TMP/l.json" "$TMP/l.err" <<'EOF'
import json, re, sys
name, count, status, start, end, jf, ef = sys.argv[1:]
si = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9}
def num(s):
    m = re.fullmatch(r"([\d.]+)([kMG]?)", s)
    return float(m.group(1)) * si[m.group(2)]
def secs(s):
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", s)
    h, mi, se = (int(x) if x else 0 for x in m.groups())
    return h * 3600 + mi * 60 + se
if status == "0":
    l = json.load(open(jf))["layers"][0]
    t, how = float(end) - float(start), "complete"
    steps, cycles = l["steps"], l["runtime_cycles"]
else:  # interrupted: the last progress line's elapsed time + ETA, its cycles scaled to the layer
    line = [x for x in open(ef) if x.startswith("  [")][-1]
    m = re.search(r"step (\S+)/(\S+), (\S+) simulated cycles.*elapsed (\S+), ETA (\S+)", line)
    done, steps, cyc = num(m.group(1)), num(m.group(2)), num(m.group(3))
    t = secs(m.group(4)) + secs(m.group(5))
    cycles, how = cyc * steps / done, "extrapolated from %.0f%% of its steps" % (100 * done / steps)
print(f"{name:<18} {count:>6} {steps:>10.0f} {cycles:>12.0f} {t:>10.1f}  {how}")
EOF
done < "$TMP/shapes" | tee "$TMP/table"
awk '{t += $2 * $5; c += $2 * $4; s += $2 * $3} END {
  printf "network (extrapolated): %d global steps, %.3g simulated cycles, %.0f s = %.1f min wall, %.3g simulated cycles/s\n", s, c, t, t / 60, c / t }' "$TMP/table"
