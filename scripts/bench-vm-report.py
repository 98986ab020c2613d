#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The table and JSON of make bench-vm (scripts/bench-vm.sh).

usage: bench-vm-report.py LOGDIR OUT.json BOOT...   (BOOT: driver-mode-queues)
       bench-vm-report.py --table GUEST.json

Pairs each measured run the guest reports on its console (VMBENCH RUN)
with the TCG plugin's window of the same number in QEMU's log (warm-ups
are windows too), checks that every frame the source sent reached the
driver and a socket, and writes per cell (driver, mode, queues, frame
size): guest instructions and kernel function calls per packet, and
packets per second of guest time (emulated: TCG's speed, not silicon's).
The TCP send runs (VMBENCH TCP, TSO on and off; TSO sends must be there
with it on and absent with it off) give instructions per byte, DMA maps
per KiB and Mbit/s of guest time. Then prints ours against the in-tree
driver, cell by cell.
"""
import json
import os
import re
import sys

CALLS = [("dma_map_page_attrs", "dma map"), ("dma_unmap_page_attrs", "dma unmap"),
         ("__iommu_map", "iommu map"), ("__iommu_unmap", "iommu unmap"),
         ("__arm_smmu_tlb_inv_range", "inv range"),
         ("arm_smmu_tlb_inv_context", "inv all"),
         ("iommu_iova_to_phys", "iova>phys")]


def parse(logdir, name):
    drv, mode, _ = name.split("-")
    runs = []
    with open(os.path.join(logdir, name + ".console.log"), errors="replace") as f:
        for line in f:
            t = re.match(r"VMBENCH TCP (on|off) tcp (\d+) ns (\d+) tso (\d+)", line)
            if t:
                tso, nbytes, ns, sends = t.groups()
                runs.append(dict(kind="tcp", tso=tso, bytes=int(nbytes), ns=int(ns),
                                 tso_sends=int(sends)))
                continue
            m = re.match(r"VMBENCH RUN (\d+) (\d+) (\w+) sent (\d+) dropped (\d+) "
                         r"ns (\d+) pps \S+ rx (\d+) udp (\d+)", line)
            if m:
                q, size, kind, sent, dropped, ns, rx, udp = m.groups()
                runs.append(dict(queues=int(q), size=int(size), kind=kind,
                                 sent=int(sent), dropped=int(dropped), ns=int(ns),
                                 rx=int(rx), udp=int(udp)))
    windows = []
    with open(os.path.join(logdir, name + ".qemu.log"), errors="replace") as f:
        for line in f:
            m = re.match(r"window (\d+) insns (\d+)(.*)", line)
            if m:
                calls = dict(kv.split("=") for kv in m.group(3).split())
                windows.append(dict(insns=int(m.group(2)),
                                    calls={k: int(v) for k, v in calls.items()}))
    if len(windows) != len(runs):
        sys.exit("bench-vm-report: %s: %d runs on the console, %d plugin windows"
                 % (name, len(runs), len(windows)))
    cells = []
    for r, w in zip(runs, windows):
        if r["kind"] == "tcp":
            where = "%s TCP send, TSO %s" % (name, r["tso"])
            if (r["tso_sends"] > 0) != (r["tso"] == "on"):
                sys.exit("bench-vm-report: %s: %d TSO sends" % (where, r["tso_sends"]))
            cells.append(dict(driver=drv, mode=mode, tcp_tso=r["tso"], bytes=r["bytes"],
                              guest_ns=r["ns"], insns=w["insns"],
                              insns_per_byte=w["insns"] / r["bytes"],
                              calls_per_kbyte={k: v * 1024 / r["bytes"]
                                               for k, v in w["calls"].items()},
                              mbit_emulated=r["bytes"] * 8e3 / r["ns"]))
            continue
        if r["kind"] != "measured":
            continue
        n = r["sent"]
        where = "%s %d queues %d bytes" % (name, r["queues"], r["size"])
        if r["dropped"] or r["rx"] != n or r["udp"] != n:
            sys.exit("bench-vm-report: %s: sent %d, device dropped %d, driver "
                     "received %d, UDP took %d: not every frame went up"
                     % (where, n, r["dropped"], r["rx"], r["udp"]))
        cells.append(dict(driver=drv, mode=mode, queues=r["queues"], size=r["size"],
                          packets=n, guest_ns=r["ns"], insns=w["insns"],
                          insns_per_packet=w["insns"] / n,
                          calls_per_packet={k: v / n for k, v in w["calls"].items()},
                          pps_emulated=n * 1e9 / r["ns"]))
    return cells


def tcp_table(doc):
    cells = {(c["driver"], c["mode"], c["tcp_tso"]): c
             for c in doc["cells"] if "tcp_tso" in c}
    if not cells:
        return
    print()
    print("TCP send between two functions (both ends in the guest): guest instructions")
    print("per byte, DMA maps per KiB, Mbit/s of guest time (emulated)")
    print("%-8s %4s | %7s %7s %5s | %11s | %8s %8s" % (
        "mode", "TSO", "insns/B", "insns/B", "ratio", "maps/KiB", "Mbit/s", "Mbit/s"))
    print("%-8s %4s | %7s %7s %5s | %11s | %8s %8s" % (
        "", "", "ours", "in-tree", "", "ours/intree", "ours", "in-tree"))
    for mode in dict.fromkeys(k[1] for k in cells):
        for tso in ("on", "off"):
            o = cells.get(("ours", mode, tso))
            t = cells.get(("intree", mode, tso))
            if not o and not t:
                continue
            ipb = lambda c: "%7.2f" % c["insns_per_byte"] if c else "%7s" % "-"
            ratio = ("%5.2f" % (o["insns_per_byte"] / t["insns_per_byte"])
                     if o and t else "%5s" % "-")
            maps = lambda c: ("%.2f" % c["calls_per_kbyte"].get("dma_map_page_attrs", 0)
                              if c else "-")
            mbit = lambda c: "%8.1f" % c["mbit_emulated"] if c else "%8s" % "-"
            print("%-8s %4s | %s %s %s | %11s | %s %s" % (
                mode, tso, ipb(o), ipb(t), ratio, maps(o) + "/" + maps(t), mbit(o), mbit(t)))


def table(doc):
    cells = {(c["driver"], c["mode"], c["queues"], c["size"]): c
             for c in doc["cells"] if "size" in c}
    modes = list(dict.fromkeys(c["mode"] for c in doc["cells"] if "size" in c))
    print("Guest: %s" % doc["setup"])
    print("Per received packet: guest instructions (all vCPUs, between the guest's")
    print("marks), kernel calls; packets/s of guest time are emulated (TCG), not silicon's")
    hdr = "%-8s %2s %5s | %8s %8s %5s | %s | %9s %9s" % (
        "mode", "q", "frame", "insns", "insns", "ratio",
        " ".join("%-11s" % label for _, label in CALLS), "kpps", "kpps")
    sub = "%-8s %2s %5s | %8s %8s %5s | %s | %9s %9s" % (
        "", "", "bytes", "ours", "in-tree", "", " ".join(
            "%-11s" % "ours/intree" for _ in CALLS), "ours", "in-tree")
    print(hdr)
    print(sub)
    for mode in modes:
        for q in sorted({k[2] for k in cells}):
            for size in sorted({k[3] for k in cells}):
                o = cells.get(("ours", mode, q, size))
                t = cells.get(("intree", mode, q, size))
                if not o and not t:
                    continue
                def ins(c):
                    return "%8.0f" % c["insns_per_packet"] if c else "%8s" % "-"
                ratio = ("%5.2f" % (o["insns_per_packet"] / t["insns_per_packet"])
                         if o and t else "%5s" % "-")
                calls = []
                for fn, _ in CALLS:
                    a = "%.2f" % o["calls_per_packet"].get(fn, 0) if o else "-"
                    b = "%.2f" % t["calls_per_packet"].get(fn, 0) if t else "-"
                    calls.append("%-11s" % (a + "/" + b))
                kpps = lambda c: "%9.1f" % (c["pps_emulated"] / 1e3) if c else "%9s" % "-"
                print("%-8s %2d %5d | %s %s %s | %s | %s %s" % (
                    mode, q, size, ins(o), ins(t), ratio, " ".join(calls), kpps(o), kpps(t)))
    tcp_table(doc)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--table":
        with open(sys.argv[2]) as f:
            table(json.load(f))
        return
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    logdir, out = sys.argv[1:3]
    cells = []
    for name in sys.argv[3:]:
        cells += parse(logdir, name)
    # (bench-vm.sh says which kernel: the smoke runs on the debug one)
    kernel = os.environ.get("BENCHVM_KERNEL", "Linux 6.12 without debug options")
    doc = dict(setup="QEMU TCG (virt, SMMUv3, max(2, queues) vCPUs), %s, "
                     "one thunderx-vnic with its benchmark source" % kernel,
               cells=cells)
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
    table(doc)


if __name__ == "__main__":
    main()
