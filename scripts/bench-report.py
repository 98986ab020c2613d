#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn nicvf_bench's Google Benchmark JSON into a table and a PNG chart.

usage: bench-report.py results.json outdir

Prints, per IOMMU mode and queue count, packets/s for ours and the
upstream baseline by frame size with their ratio, and the per-packet DMA
map calls and IOMMU walks of each. Writes outdir/bench.dat and
outdir/bench.gp, and runs gnuplot on the latter to make outdir/bench.png.
If results.json holds the guest benchmark's cells too (key "guest", which
make bench-vm adds), their table follows and the chart gets a second row:
guest instructions per packet, ours and the in-tree driver.
"""
import importlib.util
import json
import os
import subprocess
import sys


def guest_report():
    """scripts/bench-vm-report.py, for its table"""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench-vm-report.py")
    spec = importlib.util.spec_from_file_location("bench_vm_report", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

MODES = ["none", "identity", "translating"]


def load(path):
    with open(path) as f:
        doc = json.load(f)
    runs = {}
    for b in doc.get("benchmarks", []):
        if b.get("error_occurred"):
            sys.exit("bench-report: %s failed: %s" % (b["name"], b.get("error_message")))
        # Repeated runs report aggregates: take the median
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        # rx/<impl>/<mode>/<n>q/<frame>/real_time[_median]
        _, impl, mode, q, frame = b["name"].split("/")[:5]
        runs[(impl, mode, int(q[:-1]), int(frame))] = b
    return doc, runs


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    doc, runs = load(sys.argv[1])
    out = sys.argv[2]
    frames = sorted({k[3] for k in runs})
    queues = sorted({k[2] for k in runs})
    ctx = doc.get("context", {})
    if runs:
        print("nicvf receive path, simulated VNIC: %s, %d CPUs at %s MHz, %s pages"
              % (ctx.get("host_name", "?"), ctx.get("num_cpus", 0),
                 ctx.get("mhz_per_cpu", "?"), os.environ.get("NICVF_BENCH_PAGES", "64K")))
        print("Mpps per core (median of the runs); device model time excluded (timer")
        print("paused while it works); maps: DMA map calls per million packets;")
        print("walks: iommu_iova_to_phys() calls per packet")
    rows = []
    for q in queues:
        for mode in MODES:
            print()
            print("IOMMU %s, %s" % (mode, "1 receive queue" if q == 1 else
                                     "%d receive queues sharing the RBDR" % q))
            print("%6s %9s %9s %6s %8s %8s %9s %9s %9s %9s" % (
                "frame", "ours", "upstream", "ratio", "ns/pkt", "ns/pkt",
                "maps/M", "maps/M", "walks", "walks"))
            print("%6s %9s %9s %6s %8s %8s %9s %9s %9s %9s" % (
                "bytes", "Mpps", "Mpps", "", "ours", "upstream",
                "ours", "upstream", "ours", "upstream"))
            for fr in frames:
                o = runs.get(("ours", mode, q, fr))
                b = runs.get(("baseline", mode, q, fr))
                if not o or not b:
                    continue
                om, bm = o["items_per_second"] / 1e6, b["items_per_second"] / 1e6
                print("%6d %9.3f %9.3f %6.2f %8.1f %8.1f %9.0f %9.0f %9.2f %9.2f" % (
                    fr, om, bm, om / bm, 1e3 / om, 1e3 / bm,
                    o["dma_map_per_pkt"] * 1e6, b["dma_map_per_pkt"] * 1e6,
                    o["iova_to_phys_per_pkt"], b["iova_to_phys_per_pkt"]))
                rows.append((q, mode, fr, om, bm))

    # (the chart is of received packets: the TCP send cells are the table's)
    guest = [c for c in doc.get("guest", {}).get("cells", []) if "size" in c]
    if guest:
        print()
        guest_report().table(doc["guest"])
    gqueues = sorted({c["queues"] for c in guest})
    gmodes = list(dict.fromkeys(c["mode"] for c in guest))
    dat = os.path.join(out, "bench.dat")
    gdat = os.path.join(out, "bench-guest.dat")
    with open(dat, "w") as f:
        # one block per (queues, mode): frame ours baseline
        for q in queues:
            for mode in MODES:
                f.write("# %dq %s\n" % (q, mode))
                for r in rows:
                    if r[0] == q and r[1] == mode:
                        f.write("%d %.4f %.4f\n" % (r[2], r[3], r[4]))
                f.write("\n\n")
    with open(gdat, "w") as f:
        # one block per (queues, mode): frame, instructions per packet of
        # ours and of the in-tree driver (NaN: not measured)
        cells = {(c["driver"], c["mode"], c["queues"], c["size"]): c for c in guest}
        for q in gqueues:
            for mode in gmodes:
                f.write("# %dq %s\n" % (q, mode))
                for size in sorted({c["size"] for c in guest}):
                    o, t = cells.get(("ours", mode, q, size)), cells.get(("intree", mode, q, size))
                    f.write("%d %s %s\n" % (size, "%.0f" % o["insns_per_packet"] if o else "NaN",
                                            "%.0f" % t["insns_per_packet"] if t else "NaN"))
                f.write("\n\n")
    gp = os.path.join(out, "bench.gp")
    png = os.path.join(out, "bench.png")
    nrows = (1 if rows else 0) + (1 if guest else 0)
    ncols = max(len(queues) if rows else 0, len(gqueues))
    with open(gp, "w") as f:
        f.write('set terminal pngcairo size 1400,%d font ",10"\n' % (600 * max(nrows, 1)))
        f.write('set output "%s"\n' % png)
        f.write("set multiplot layout %d,%d title "
                '"nicvf receive path: ours (solid) against upstream (dashed)"\n'
                % (max(nrows, 1), max(ncols, 1)))
        f.write("set logscale x 2\nset xlabel \"frame bytes\"\n")
        f.write("set grid\nset key top right\nset yrange [0:*]\n")
        block = 0
        for q in queues if rows else []:
            f.write('set ylabel "Mpps per core"\n')
            f.write('set title "harness, %d queue%s: ours vs upstream\'s algorithm"\n'
                    % (q, "s" if q > 1 else ""))
            plots = []
            for i, mode in enumerate(MODES):
                plots.append('"%s" index %d using 1:2 with linespoints lc %d dt 1 title "ours, %s"'
                             % (dat, block, i + 1, mode))
                plots.append('"%s" index %d using 1:3 with linespoints lc %d dt 2 title "upstream, %s"'
                             % (dat, block, i + 1, mode))
                block += 1
            f.write("plot " + ", \\\n     ".join(plots) + "\n")
        for _ in range(ncols - len(queues) if rows and guest else 0):
            f.write("set multiplot next\n")
        block = 0
        for q in gqueues:
            f.write('set ylabel "guest instructions per packet"\n')
            f.write('set title "QEMU guest, %d queue%s: ours vs the in-tree nicvf"\n'
                    % (q, "s" if q > 1 else ""))
            plots = []
            for i, mode in enumerate(gmodes):
                plots.append('"%s" index %d using 1:2 with linespoints lc %d dt 1 title "ours, %s"'
                             % (gdat, block, i + 1, mode))
                plots.append('"%s" index %d using 1:3 with linespoints lc %d dt 2 title "in-tree, %s"'
                             % (gdat, block, i + 1, mode))
                block += 1
            f.write("plot " + ", \\\n     ".join(plots) + "\n")
        f.write("unset multiplot\n")
    subprocess.run(["gnuplot", gp], check=True)
    print()
    print("JSON: %s\nchart: %s" % (sys.argv[1], png))


if __name__ == "__main__":
    main()
