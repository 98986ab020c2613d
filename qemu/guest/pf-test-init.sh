#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the pf-test guest (scripts/pf-test.sh): the vendor's PF-side
# drivers against the emulated PF-side devices: a thunderx-nicpf at
# 00:01.0 (its VFs, thunderx-vnic, from 00:01.1 on) and a thunderx-bgx at
# 00:10.0 with pftest.lmacs= LMACs.  Each step prints
# "PFTEST PASS <step>" or "PFTEST FAIL <step>: <why>", then "PFTEST done".
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
# busybox's shell prefers its own applets: iproute2 by its path
ip() { /bin/ip "$@"; }
peer() { ip netns exec peer "$@"; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /run/netns /var/run /tmp
ln -s /run/netns /var/run/netns
ip link set lo up
lmacs=$(sed -n 's/.*pftest\.lmacs=\([0-9]*\).*/\1/p' /proc/cmdline)
BGX=/sys/bus/pci/devices/0000:00:10.0
failed=0

step() {
	local name=$1 rc
	shift
	("$@") >/tmp/step.out 2>&1
	rc=$?
	sed "s/^/pftest: $name: /" /tmp/step.out
	if [ $rc -eq 0 ]; then
		echo "PFTEST PASS $name"
	else
		failed=$((failed + 1))
		echo "PFTEST FAIL $name: $(tail -n 1 /tmp/step.out)"
	fi
}

fail() {
	echo "$*"
	exit 1
}

# The firmware's description reached the function: its of_node, with a
# node per LMAC
bgx_fdt() {
	[ -d "$BGX/of_node" ] || fail "00:10.0 has no device-tree node"
	n=$(ls -d "$BGX"/of_node/*@* 2>/dev/null | wc -l)
	echo "LMAC nodes: $(ls "$BGX/of_node" | grep @ | tr '\n' ' ')"
	[ "$n" = "$lmacs" ] || fail "$n LMAC nodes, not $lmacs"
}

# thunder_bgx probes the BGX: it finds the LMACs firmware left, their
# PCS resets complete, and it brings each up without an error
bgx_probe() {
	depmod || fail depmod
	modprobe thunder_bgx || fail "modprobe thunder_bgx"
	sleep 3
	drv=$(basename "$(readlink "$BGX/driver")")
	[ "$drv" = thunder_bgx ] || fail "00:10.0 is bound to '${drv:-nothing}'"
	dmesg | grep -i 'bgx' | tail -n 20
	# (one line for a QLM's LMACs: they share LMAC 0's mode)
	n=$(dmesg | grep -c 'BGX0 QLM mode: XFI')
	[ "$n" = 1 ] || fail "BGX0 not reported in XFI mode"
	dmesg | grep -Ei 'thunder_bgx|BGX' | grep -Eiq 'not completed|fail|error|timeout' &&
		fail "thunder_bgx reported an error"
	return 0
}

PF=/sys/bus/pci/devices/0000:00:01.0
MAC0=02:00:00:00:b0:0

# nicpf probes the PF, asks thunder_bgx for the LMACs and enables one VF
# per LMAC through SR-IOV, and with more than 8 CPUs secondary queue set
# VFs after them (5 per primary on one node, as many as TotalVFs leaves)
nicpf_probe() {
	modprobe nicpf || fail "modprobe nicpf"
	drv=$(basename "$(readlink "$PF/driver")")
	[ "$drv" = nicpf ] || fail "00:01.0 is bound to '${drv:-nothing}'"
	dmesg | grep -i 'nicpf' | tail -n 10
	n=$(cat "$PF/sriov_numvfs")
	sqs=0
	# (5 per primary VF on one node, as nic_num_sqs_en() gives them)
	[ "$(nproc)" -gt 8 ] && sqs=$((lmacs * 5))
	echo "$n VFs: $lmacs primary, $((n - lmacs)) secondary queue sets"
	[ "$n" = $((lmacs + sqs)) ] || fail "nicpf enabled $n VFs, not $((lmacs + sqs))"
	ls -d /sys/bus/pci/devices/0000:00:01.[1-9] | wc -l
	dmesg | grep -Ei 'nicpf' | grep -Eiq 'fail|error|timeout' && fail "nicpf reported an error"
	return 0
}

# A nicvf on those VFs ($1: ours, /nicvf.ko, or the kernel's own): its
# mailbox goes to nicpf, whose answer to READY carries the MAC
# thunder_bgx read from the device tree
vf_ready() {
	local d i vf mac n
	if [ "$1" = ours ]; then
		insmod /nicvf.ko || fail "insmod nicvf.ko"
	else
		modprobe nicvf || fail "modprobe nicvf (in-tree)"
	fi
	sleep 2
	dmesg | grep 'nicvf' | tail -n 12
	# VF i is LMAC i's (nicpf maps them in order), with that LMAC's MAC
	i=0
	while [ $i -lt "$lmacs" ]; do
		vf=/sys/bus/pci/devices/0000:00:01.$((i + 1))
		d=$(ls "$vf/net" 2>/dev/null)
		[ -n "$d" ] || fail "VF $i (00:01.$((i + 1))) has no interface"
		mac=$(cat "$vf/net/$d/address")
		echo "VF $i: $d $mac"
		[ "$mac" = "$MAC0$i" ] || fail "VF $i has MAC $mac, not LMAC $i's $MAC0$i"
		i=$((i + 1))
	done
	# The secondary queue sets: bound, and no interface of their own
	n=0
	for vf in $(vf_paths); do
		[ -d "$vf/net" ] && continue
		[ "$(basename "$(readlink "$vf/driver")")" = nicvf ] ||
			fail "$(basename "$vf") is not bound to nicvf"
		n=$((n + 1))
	done
	echo "$n VFs without an interface (secondary queue sets)"
	[ "$n" = $(($(cat "$PF/sriov_numvfs") - lmacs)) ] ||
		fail "$n VFs without an interface, not the $(($(cat "$PF/sriov_numvfs") - lmacs)) secondary queue sets"
}

# CPUs 0..$1-1 online, the others off.  nicpf counts the online CPUs
# when it enables SR-IOV and the in-tree nicvf when it probes; the rest
# runs on 2, as 9 vCPUs of TCG on this host's 2 cores stall RCU
cpus() {
	local c n
	for c in /sys/devices/system/cpu/cpu[1-9]*; do
		n=${c##*cpu}
		if [ "$n" -lt "$1" ]; then echo 1; else echo 0; fi >"$c/online" ||
			fail "cpu$n online"
	done
	echo "$(nproc) CPUs online"
	[ "$(nproc)" = "$1" ] || fail "$(nproc) CPUs online, not $1"
}

# Every VF nicpf enabled
vf_paths() {
	for v in "$PF"/virtfn*; do readlink -f "$v"; done
}

# VF $1's interface (in this namespace)
vf_if() { ls "$(readlink -f "$PF/virtfn$1")/net" 2>/dev/null; }

# Frames between VF 0 and VF 1 through the BGX (their LMACs share a QEMU
# hub), VF 1 in a namespace: ping, and four TCP streams, which RSS
# spreads over the receive queues.  $1: that many channels first on both
# ends: beyond 8 either driver asks nicpf for secondary queue sets;
# VF 1's indirection table then sends everything to its queue 8, the
# first of its secondary queue set, which nicpf's RSS table names by that
# VF's queue set number: every frame VF 1 receives takes that path.  With
# ours, VF 0 also sends only on queues 8 and up (XPS of the others
# cleared), the SQS VF's send queues
vf_traffic() {
	local a b ch=$1 q n
	a=$(vf_if 0)
	b=$(vf_if 1)
	[ -n "$a" ] && [ -n "$b" ] || fail "VF 0 or 1 has no interface"
	# (what a failed step before left)
	[ -e /var/run/netns/peer ] && ip netns del peer
	if [ -n "$ch" ]; then
		ethtool -L "$a" rx "$ch" tx "$ch" || fail "ethtool -L $a rx $ch tx $ch"
		ethtool -L "$b" rx "$ch" tx "$ch" || fail "ethtool -L $b rx $ch tx $ch"
	fi
	ip netns add peer || fail "ip netns add"
	ip link set "$b" netns peer || fail "move $b"
	ip addr add 10.9.0.1/24 dev "$a" && ip link set "$a" up || fail "$a up"
	peer ip link set lo up
	peer ip addr add 10.9.0.2/24 dev "$b" && peer ip link set "$b" up || fail "$b up"
	# (the in-tree driver's open resets the table: after it)
	if [ -n "$ch" ]; then
		peer ethtool -X "$b" weight 0 0 0 0 0 0 0 0 1 || fail "ethtool -X $b: all to queue 8"
	fi
	ours=
	ethtool -S "$a" | grep -q '^ *txq0_packets:' && ours=1
	if [ -n "$ours" ] && [ -n "$ch" ] && [ "$ch" -gt 8 ]; then
		for q in 0 1 2 3 4 5 6 7; do
			echo 0 >"/sys/class/net/$a/queues/tx-$q/xps_cpus" ||
				fail "clear XPS of $a tx-$q"
		done
	fi
	ethtool -l "$a" | sed -n '/Current/,$p'
	sleep 4
	ping -c 3 -W 5 10.9.0.2 || fail "ping VF 1 from VF 0"
	peer iperf3 -s -D -I /tmp/iperf3.pid >/dev/null 2>&1 || fail "iperf3 -s"
	sleep 1
	iperf3 -c 10.9.0.2 -t 3 -P 4 >/tmp/iperf3.out 2>&1
	q=$?
	tail -n 4 /tmp/iperf3.out
	kill "$(cat /tmp/iperf3.pid)" 2>/dev/null
	[ $q = 0 ] || fail "iperf3 VF 0 -> VF 1 failed"
	# The receive queues that took frames (ours: rxqN_packets; the
	# in-tree driver: "rxqN: frames: M")
	peer ethtool -S "$b" >/tmp/stats
	n=$(awk '($1 ~ /^rxq[0-9]+_packets:$/ && $2 > 0) || ($1 ~ /^rxq[0-9]+:$/ && $2 == "frames:" && $3 > 0) { print $1 }' /tmp/stats | tr '\n' ' ')
	echo "receive queues with frames: $n"
	if [ -n "$ch" ] && [ "$ch" -gt 8 ]; then
		# (the queues before it took what came before ethtool -X)
		n=$(awk '($1 == "rxq8:" && $2 == "frames:") { print $3 } $1 == "rxq8_packets:" { print $2 }' /tmp/stats)
		echo "queue 8 (the secondary queue set's first): ${n:-no} frames"
		[ "${n:-0}" -ge 100 ] || fail "the streams did not reach queue 8: ${n:-no} frames"
		if [ -n "$ours" ]; then
			ethtool -S "$a" >/tmp/stats
			n=$(awk '$1 ~ /^txq[0-9]+_packets:$/ { q = substr($1, 4) + 0; if (q >= 8) s += $2 } END { print s + 0 }' /tmp/stats)
			echo "sent on queues 8 and up (the secondary queue set's): $n"
			[ "$n" -ge 100 ] || fail "$a sent $n packets on its secondary queue set's queues"
		fi
	else
		[ "$(echo "$n" | wc -w)" -ge 2 ] || fail "RSS spread the flows over fewer than 2 queues: $n"
	fi
	ip netns del peer
	sleep 2
	ip link set "$a" down
	ip addr flush dev "$a"
	b=$(vf_if 1)
	[ -n "$b" ] || fail "VF 1's interface did not come back from the namespace"
	ip addr flush dev "$b"
}

# Each VF up: its queue-set, RSS and CPI messages and CFG_DONE go to
# nicpf, every one answered; the link is what nicpf answers to the VF's
# poll, from thunder_bgx's view of the LMAC; then down again
vf_updown() {
	for n in $(vf_paths); do
		[ -d "$n/net" ] || continue
		n=$(echo "$n"/net/*)
		d=$(basename "$n")
		ip link set "$d" up || fail "ip link set $d up"
	done
	sleep 5
	for n in $(vf_paths); do
		[ -d "$n/net" ] || continue
		n=$(echo "$n"/net/*)
		d=$(basename "$n")
		echo "$d: operstate $(cat "$n/operstate") carrier $(cat "$n/carrier" 2>/dev/null)"
		ethtool "$d" | grep -E 'Speed|Duplex|Link detected'
		[ "$(cat "$n/carrier")" = 1 ] || fail "$d: no carrier"
	done
	ethtool -S "$d" | grep -Ei 'mbx|nack|timeout'
	for n in $(vf_paths); do
		[ -d "$n/net" ] || continue
		n=$(echo "$n"/net/*)
		ip link set "$(basename "$n")" down || fail "ip link set down"
	done
	dmesg | grep -E 'nicvf|nicpf' | grep -Eiq 'nack|timed out|did not answer' &&
		fail "a mailbox message was refused or not answered"
	return 0
}

# IPv6 between VF 0 and VF 1 after the in-tree driver ran: the BGX still
# filters on the multicast list it left, so neighbour discovery for an
# address added now (its solicited-node group) and for the link-local
# addresses works only once our open has put our own list in the CAM
vf_ipv6() {
	local a b ll
	a=$(vf_if 0)
	b=$(vf_if 1)
	[ -n "$a" ] && [ -n "$b" ] || fail "VF 0 or 1 has no interface"
	[ -e /var/run/netns/peer ] && ip netns del peer
	ip netns add peer || fail "ip netns add"
	ip link set "$b" netns peer || fail "move $b"
	ip link set "$a" up && peer ip link set "$b" up || fail "up"
	ip -6 addr add fd09::1/64 dev "$a" nodad || fail "ip -6 addr"
	peer ip -6 addr add fd09::2/64 dev "$b" nodad || fail "peer ip -6 addr"
	sleep 4
	ping6 -c 3 -W 5 fd09::2 || fail "ping6 VF 1 from VF 0"
	peer ping6 -c 3 -W 5 fd09::1 || fail "ping6 VF 0 from VF 1"
	ll=$(peer ip -6 -o addr show dev "$b" scope link | awk '{ sub("/.*", "", $4); print $4 }')
	ping6 -c 3 -W 5 -I "$a" "$ll" || fail "ping6 VF 1's link-local $ll"
	ip netns del peer
	sleep 2
	ip link set "$a" down
	ip addr flush dev "$a"
}
# What our driver said of its secondary queue sets: each interface got
# the one it asked for, and nothing it was lent was refused
sqs_log() {
	dmesg | grep -E 'secondary queue set' | tail -n 8
	dmesg | grep -q 'secondary queue sets asked of the PF are usable' &&
		fail "nicpf lent fewer secondary queue sets than asked"
	dmesg | grep -Eq 'is not a free VF of this driver|lends this secondary queue set to another' &&
		fail "a secondary queue set nicpf lent was not usable"
	return 0
}

vf_unload() {
	rmmod nicvf || fail "rmmod nicvf"
	[ -e /sys/bus/pci/devices/0000:00:01.1/driver ] && fail "a VF is still bound"
	return 0
}

nicpf_remove() {
	rmmod nicpf || fail "rmmod nicpf"
	[ -e /sys/bus/pci/devices/0000:00:01.1 ] && fail "the VFs are still there"
	return 0
}

bgx_remove() {
	rmmod thunder_bgx || fail "rmmod thunder_bgx"
	[ -e "$BGX/driver" ] && fail "00:10.0 still bound"
	return 0
}

# Every kernel report fails it but one, an upstream defect: thunder_bgx's
# bgx_remove() calls pci_disable_device() on the device its probe enabled
# with pcim_enable_device(), whose managed release then disables it again
# ("disabling already-disabled device", a WARN at rmmod)
kernel_log() {
	local reports known
	reports=$(dmesg | grep -cE 'WARNING:|BUG:|Oops|KASAN|UBSAN|Unable to handle|general protection')
	known=$(dmesg | grep -c 'thunder_bgx .*: disabling already-disabled device')
	[ "$known" -eq 0 ] ||
		echo "known upstream defect ($known): thunder_bgx disables its pcim-enabled device in bgx_remove()"
	[ "$reports" -le "$known" ] || {
		dmesg | grep -E 'WARNING:|BUG:|Oops|KASAN|UBSAN|Unable to handle|general protection'
		fail "kernel report"
	}
	return 0
}

kver=$(uname -r)
echo "PFTEST kernel $kver, $(nproc) CPUs, $lmacs LMACs"
step bgx_fdt bgx_fdt
step bgx_probe bgx_probe
step nicpf_probe nicpf_probe
step cpus_2 cpus 2
step vf_ready vf_ready ours
step vf_updown vf_updown
step vf_traffic vf_traffic
step vf_unload vf_unload
# The vendor's nicvf on the same VFs, against the same nicpf
# (probed with 9 online: up to 9 queues, one on a secondary queue set)
step cpus_9 cpus 9
step intree_ready vf_ready intree
step cpus_2_again cpus 2
step intree_updown vf_updown
step intree_traffic vf_traffic 9
step intree_unload vf_unload
# Ours again, on what the in-tree driver left in the BGX
step again_ready vf_ready ours
step again_ipv6 vf_ipv6
# More than 8 queues, ours: secondary queue sets lent by nicpf
step again_sqs vf_traffic 12
step again_sqs_log sqs_log
step again_unload vf_unload
step nicpf_remove nicpf_remove
step bgx_remove bgx_remove
step kernel_log kernel_log
echo "PFTEST done, $failed failed"
poweroff -f
