#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the fuzz targets' seed corpora: for fuzz_rx real packets as the
device model receives them, in both CQE_RX layouts, plus a hand-made
completion and a fault; for fuzz_tx TSO and plain packets on each chip's
TSO, an error completion, a full queue and mapping faults; in the input
format each target reads (see its header comment).

usage: seeds.py OUTDIR    (writes OUTDIR/<target>/<name>)
"""
import os
import struct
import sys

# The rig's net_device and the sender, as kOurMac and kPeerMac in
# harness/testlib/frame.h
OUR_MAC = bytes([0x02, 0x1F, 0xB7, 0x00, 0x00, 0x03])
PEER = bytes([0x02, 0x00, 0x00, 0x00, 0x00, 0x77])


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(proto, payload):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64,
                      proto, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(proto, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), proto, 64,
                       bytes(range(16)), bytes(range(16, 32))) + payload


def udp(n):
    data = bytes((i * 7) & 0xFF for i in range(n))
    return struct.pack("!HHHH", 1000, 2000, 8 + n, 0) + data


def tcp(n):
    data = bytes((i * 13) & 0xFF for i in range(n))
    return struct.pack("!HHIIBBHHH", 1000, 2000, 1, 0, 0x50, 0x18, 512, 0,
                       0) + data


def ether(ethertype, payload, vlan=None):
    tag = struct.pack("!HH", 0x8100, vlan) if vlan is not None else b""
    return OUR_MAC + PEER + tag + struct.pack("!H", ethertype) + payload


FRAMES = {
    "ipv4-udp-64": ether(0x0800, ipv4(17, udp(18))),
    "ipv4-tcp-1514": ether(0x0800, ipv4(6, tcp(1460))),
    "ipv6-udp-512": ether(0x86DD, ipv6(17, udp(450))),
    "vlan-ipv4-udp-300": ether(0x0800, ipv4(17, udp(250)), vlan=5),
    "arp-60": ether(0x0806, bytes(46)),
    "ipv4-udp-jumbo-9000": ether(0x0800, ipv4(17, udp(8958))),
}


def rx_record(frame, pad=0):
    """Opcode 0: the device receives `frame` (headers given, up to 255
    bytes; the rest the target fills with its pattern)."""
    given = frame[:255]
    return (bytes([0]) + struct.pack("<H", len(frame) - 1) + bytes([pad]) +
            bytes([len(given)]) + given + bytes([0]))


def poll(budget=64):
    return bytes([2, budget])


def seeds_rx():
    out = {}
    for layout in (0, 1):
        name = "rx2" if layout else "pass1"
        for fname, frame in FRAMES.items():
            out["%s-%s" % (name, fname)] = (bytes([layout]) +
                                            rx_record(frame) + poll())
        # A burst, one with an alignment pad, polled with a small budget
        burst = b"".join(rx_record(f, pad=i % 8)
                         for i, f in enumerate(FRAMES.values()))
        out["%s-burst" % name] = bytes([layout]) + burst + poll(3) + poll()
        # A completion of the device's own: three posted buffers, lengths
        # 1500, 1500, 100, no bit flipped
        own = bytes([1, 3])
        for n in (1500, 1500, 100):
            own += bytes([1]) + struct.pack("<H", n)
        own += bytes([0, 0])
        out["%s-own-cqe" % name] = bytes([layout]) + own + poll()
        # The first two translations fail, then a frame and a refill
        fault = bytes([4, 0, 0, 1])
        out["%s-iova-fault" % name] = (bytes([layout]) + fault +
                                      rx_record(FRAMES["ipv4-udp-64"]) +
                                      poll() + bytes([3]))
    return out


def tx_packet(how, length, headlen, fraglen, gso_size=0, more=0):
    """Opcode 0 of fuzz_tx: the stack sends a packet. `how`: bit 0 IPv6,
    1 TCP, 2 tagged, 3 GSO, 4 checksum request (see Packet())."""
    rec = bytes([0, more, how])
    if how & 4:
        rec += bytes([5])                       # the tag
    rec += struct.pack("<H", length - 15) + bytes([1, 0])  # seed, no bytes
    rec += struct.pack("<HH", headlen, fraglen - 64)
    if (how & 8) and (how & 2):
        rec += struct.pack("<H", gso_size)
        if how & 32:
            rec += struct.pack("<H", 1)
        rec += bytes([0])                       # no extra gso_type bits
    return rec


def seeds_tx():
    out = {}
    for mode, name in ((0, "no-tso"), (1, "tso"), (2 | 4, "tso-tail")):
        for auto in (0, 8):
            setup = bytes([mode | auto])
            run = "-auto" if auto else ""
            # A 64K-class TSO packet over IPv4 and one over IPv6, a plain
            # UDP packet with a checksum request, then send and poll
            recs = (tx_packet(2 | 8 | 16, 9000, 120, 1460, 1460) +
                    tx_packet(1 | 2 | 8 | 16, 6000, 100, 1000, 1440) +
                    tx_packet(16, 700, 64, 256) +
                    bytes([1, 7]) + bytes([3, 64]))
            out["%s%s" % (name, run)] = setup + recs
            # A completion of the device's own with an error status, then
            # a full send queue's worth of packets, each sent and polled
            own = bytes([2, 2, 0x84])
            out["%s%s-error" % (name, run)] = (
                setup + tx_packet(2 | 8 | 16, 4000, 80, 512, 1000) + own +
                bytes([1, 1, 3, 64]))
            burst = b"".join(tx_packet(2 | 8 | 16 | 4, 3000, 90, 700, 536,
                                       more=1) for _ in range(20))
            out["%s%s-burst" % (name, run)] = setup + burst + bytes([3, 8])
            # Mappings fail for the next packets
            out["%s%s-map-fault" % (name, run)] = (
                setup + bytes([4, 0, 0, 3]) +
                tx_packet(2 | 8 | 16, 5000, 100, 1000, 1460) +
                tx_packet(16, 300, 60, 100) + bytes([1, 7, 3, 64]))
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for target, seeds in (("fuzz_rx", seeds_rx()), ("fuzz_tx", seeds_tx())):
        d = os.path.join(sys.argv[1], target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
