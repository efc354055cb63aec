#!/usr/bin/env bash
# tools/read_trace.py on a small event-level trace (mesh NoC): all three PNGs must exist and be non-empty.
set -euo pipefail
BATON=$1; SRC=$2; OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
SC_COPYRIGHT_MESSAGE=DISABLE "$BATON" simulate --layer fc6 --noc mesh --trace "$OUT/t.h5" \
  --trace-level event >/dev/null 2>&1
/usr/bin/python3 "$SRC/tools/read_trace.py" "$OUT/t.h5" fc6 "$OUT/fc6"
for f in "$OUT/fc6_pe_utilisation.png" "$OUT/fc6_noc_heatmap.png" "$OUT/fc6_link_heatmap.png"; do
  [ -s "$f" ] || { echo "missing or empty: $f"; exit 1; }
  head -c 8 "$f" | od -An -c | grep -q "P   N   G" || { echo "not a PNG: $f"; exit 1; }
done
echo "python example: PNGs written"
