#!/usr/bin/python3
"""Load a baton HDF5 trace (docs/TRACES.md) and plot one layer.

Usage: tools/read_trace.py TRACE.h5 LAYER OUT_PREFIX
Writes OUT_PREFIX_pe_utilisation.png (fraction of PEs computing per time bin, from pe_events)
OUT_PREFIX_noc_heatmap.png (elements moved per time bin by each NoC, from noc_packets) and
OUT_PREFIX_link_heatmap.png (utilisation of the 48 busiest distribution and collection links per
time bin, from link_util; link names from the layer's links_<network> attributes).
Needs Debian's python3-h5py and python3-matplotlib (apt install python3-h5py python3-matplotlib).
"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main(path, layer, prefix):
    with h5py.File(path, "r") as f:
        assert int(f.attrs["schema_version"]) == 1, "unknown trace schema"
        g = f["layers"][layer]
        ev = g["pe_events"][:]
        pk = g["noc_packets"][:]
        lu = g["link_util"][:] if "link_util" in g else None
        names = [
            [l.split(" ")[0] for l in str(g.attrs.get(a, "")).splitlines()]
            for a in ("links_distribution", "links_collection")
        ]
    kinds = h5py.check_enum_dtype(ev.dtype["kind"])
    compute = kinds["compute"]
    end = int(max((ev["cycle"] + ev["duration"]).max(), pk["arrive_cycle"].max())) + 1
    bins = max(1, min(200, end))
    edges = np.linspace(0, end, bins + 1)
    pes = int(ev["pe"].max()) + 1
    busy = np.zeros(bins)
    for c, d, k in zip(ev["cycle"], ev["duration"], ev["kind"]):
        if k != compute:
            continue
        lo, hi = np.searchsorted(edges, [c, c + d], side="right") - 1
        busy[lo : hi + 1] += 1
    width = edges[1] - edges[0]
    plt.figure(figsize=(8, 3))
    plt.plot(edges[:-1], np.minimum(busy * width / (pes * width), 1.0))
    plt.xlabel("cycle")
    plt.ylabel("PEs computing (fraction)")
    plt.title(f"{layer}: PE utilisation")
    plt.tight_layout()
    plt.savefig(f"{prefix}_pe_utilisation.png")
    heat = np.zeros((2, bins))
    for net, t, n in zip(pk["network"], pk["inject_cycle"], pk["elements"]):
        heat[int(net), min(bins - 1, int(np.searchsorted(edges, t, side="right") - 1))] += n
    plt.figure(figsize=(8, 2.5))
    plt.imshow(heat, aspect="auto", interpolation="nearest", extent=[0, end, 1.5, -0.5])
    plt.yticks([0, 1], ["distribution", "collection"])
    plt.xlabel("cycle")
    plt.colorbar(label="elements injected per bin")
    plt.title(f"{layer}: NoC load")
    plt.tight_layout()
    plt.savefig(f"{prefix}_noc_heatmap.png")
    link_heatmap(lu, names, layer, prefix)


def link_heatmap(lu, names, layer, prefix):
    """Links x time bins, colour = flits per lane per cycle (the link_util dataset)."""
    rows, labels = {}, []
    if lu is not None and len(lu):
        load = {}
        for net, link, flits in zip(lu["network"], lu["link"], lu["flits"]):
            load[(int(net), int(link))] = load.get((int(net), int(link)), 0) + int(flits)
        for key in sorted(load, key=lambda k: (-load[k], k))[:48]:
            rows[key] = len(rows)
            net, link = key
            name = names[net][link] if link < len(names[net]) else f"link{link}"
            labels.append(("D " if net == 0 else "C ") + name)
    bins = sorted({int(b) for b in lu["bin_start_cycle"]}) if rows else [0]
    col = {b: i for i, b in enumerate(bins)}
    heat = np.zeros((max(1, len(rows)), len(bins)))
    if rows:
        for net, link, b, u in zip(lu["network"], lu["link"], lu["bin_start_cycle"], lu["utilisation"]):
            r = rows.get((int(net), int(link)))
            if r is not None:
                heat[r, col[int(b)]] = u
    plt.figure(figsize=(9, 2 + 0.15 * len(labels)))
    plt.imshow(heat, aspect="auto", interpolation="nearest", vmin=0, vmax=max(heat.max(), 1e-9))
    plt.yticks(range(len(labels)), labels, fontsize=6)
    plt.xlabel("time bin")
    plt.colorbar(label="flits per lane per cycle")
    plt.title(f"{layer}: busiest links (D = distribution, C = collection)")
    plt.tight_layout()
    plt.savefig(f"{prefix}_link_heatmap.png")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
