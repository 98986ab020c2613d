#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Instructions per packet from a callgrind profile of nicvf_bench.

usage: callgrind-per-packet.py callgrind.out refill_function batch [source...]

The profile must be collected with --toggle-collect='*Rig::Poll*', so the
total is the driver's polls; each poll ends with exactly one call to the
RBDR refill function (nicvf_rbdr_refill or bl_rbdr_refill) and handles
`batch` packets. With sources (e.g. the driver's .c files), also the
instructions executed in those files' own functions, i.e. the driver's code
without the (mocked) kernel services it calls.
"""
import re
import subprocess
import sys


def self_cost(path, sources):
    out = subprocess.run(["callgrind_annotate", "--threshold=100", path],
                         capture_output=True, text=True, check=True).stdout
    total = 0
    for line in out.splitlines():
        m = re.match(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S+?):", line)
        if m and m.group(2).endswith(tuple(sources)):
            total += int(m.group(1).replace(",", ""))
    return total


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    path, target, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    names = {}
    total = calls = 0
    pending = None
    with open(path) as f:
        for line in f:
            m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
            if m:
                if m.group(3):
                    names[m.group(2)] = m.group(3)
                pending = m.group(2) if m.group(1) == "cfn" else None
                continue
            if line.startswith("calls=") and pending and names.get(pending) == target:
                calls += int(line.split("=")[1].split()[0])
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
    if not calls:
        sys.exit("callgrind-per-packet: no calls to %s in %s" % (target, path))
    pkts = calls * batch
    print("%.0f instructions per packet (%d polls of %d packets, %d instructions)"
          % (total / pkts, calls, batch, total))
    sources = sys.argv[4:]
    if sources:
        own = self_cost(path, sources)
        print("%.0f of them in %s %s" % (own / pkts, ", ".join(sources),
                                         "itself" if len(sources) == 1 else "themselves"))


if __name__ == "__main__":
    main()
