#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the make bench-vm guest (scripts/bench-vm.sh): one thunderx-vnic
# with bench=on (its traffic source and sink in BAR2), the driver the
# kernel command line's bench.driver= names (ours: /nicvf.ko; intree: the
# kernel's own, under /intree), and for each receive queue count in
# bench.queues= and each frame size in bench.sizes=, two runs of
# /vnic-bench: a warm-up of bench.warmup= frames, then bench.count=
# measured ones.  Every run is one window of the TCG plugin, in order;
# each prints
#   VMBENCH RUN <queues> <size> <warmup|measured> <vnic-bench's numbers>
#       rx <interface's rx_packets> udp <UDP datagrams the stack took in>
# or VMBENCH FAIL <why>; then VMBENCH done.  Sizes are Ethernet frame
# sizes with the FCS, which the BGX strips: the buffers get 4 bytes less.
# With bench.tcp=BYTES, then TCP send from VF 1 (A) to VF 2 (B, in a
# namespace of its own) over the hub QEMU puts between them: BYTES with
# TSO on, then with it off, each one window, each printing
#   VMBENCH TCP <on|off> tcp <bytes> ns <ns> tso <A's tx_tso during it>
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
ip() { /bin/ip "$@"; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /run/netns /var/run /tmp
ln -s /run/netns /var/run/netns
arg() { sed -n "s/.*bench\.$1=\([^ ]*\).*/\1/p" /proc/cmdline | tr , ' '; }
drv=$(arg driver)
queues=$(arg queues)
sizes=$(arg sizes)
count=$(arg count)
warmup=$(arg warmup)
tcp=$(arg tcp)
MAC=52:54:00:00:00:20
A_MAC=52:54:00:00:00:21
B_MAC=52:54:00:00:00:22
MY_IP=10.0.9.1
SRC_IP=10.0.9.2
PORT=9

fail() {
	echo "VMBENCH FAIL $*"
	echo "VMBENCH done"
	poweroff -f
}

ifname() {
	local d
	for d in /sys/class/net/*; do
		[ "$(cat "$d/address" 2>/dev/null)" = "$1" ] && basename "$d" && return 0
	done
	return 1
}

wait_for() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

carrier() { [ "$(cat "/sys/class/net/$IF/carrier" 2>/dev/null)" = 1 ]; }

# UDP datagrams that reached a socket: read (vnic-bench reads what its
# socket's buffer held), or dropped there (InErrors: no room, no memory)
udp_in() {
	awk '$1 == "Udp:" && $2 ~ /^[0-9]+$/ { print $2 + $4 }' /proc/net/snmp
}

kver=$(uname -r)
mods=/lib/modules/$kver
if [ "$drv" = ours ]; then
	mkdir -p "$mods/extra"
	cp /nicvf.ko "$mods/extra/"
else
	mkdir -p "$mods/kernel/drivers/net/ethernet/cavium"
	cp -r /intree/thunder /intree/common "$mods/kernel/drivers/net/ethernet/cavium/"
fi
depmod || fail "depmod"
echo "VMBENCH driver $drv, $(nproc) CPUs, kernel $kver, $(cat /proc/cmdline)"
ip link set lo up

for q in $queues; do
	if [ "$drv" = ours ]; then
		modprobe nicvf queues="$q" || fail "modprobe nicvf queues=$q"
	else
		modprobe nicvf || fail "modprobe nicvf"
	fi
	wait_for 10 ifname $MAC || fail "no interface with MAC $MAC"
	IF=$(ifname $MAC)
	# The in-tree driver takes its queue count from ethtool
	if [ "$drv" != ours ]; then
		ethtool -L "$IF" rx "$q" tx "$q" || fail "ethtool -L $IF rx $q tx $q"
	fi
	ip addr add $MY_IP/24 dev "$IF"
	dev=$(readlink -f "/sys/class/net/$IF/device")
	for size in $sizes; do
		mtu=1500
		[ "$size" -gt 1518 ] && mtu=$((size - 18))
		ip link set "$IF" down
		ip link set "$IF" mtu $mtu || fail "mtu $mtu on $IF"
		ip link set "$IF" up
		wait_for 10 carrier || fail "$IF: no carrier"
		for run in warmup measured; do
			n=$count
			[ $run = warmup ] && n=$warmup
			rx0=$(cat "/sys/class/net/$IF/statistics/rx_packets")
			udp0=$(udp_in)
			out=$(/vnic-bench "$dev" "$n" $((size - 4)) 64 $MY_IP $SRC_IP $PORT) ||
				fail "vnic-bench $q queues, $size bytes: $out"
			rx=$(($(cat "/sys/class/net/$IF/statistics/rx_packets") - rx0))
			udp=$(($(udp_in) - udp0))
			echo "VMBENCH RUN $q $size $run ${out#vnic-bench: } rx $rx udp $udp"
		done
	done
	ip link set "$IF" down
	rmmod nicvf || fail "rmmod nicvf"
done
tx_tso() { ethtool -S "$1" | awk '$1 == "tx_tso:" { print $2 }'; }

if [ -n "$tcp" ]; then
	if [ "$drv" = ours ]; then
		modprobe nicvf queues=2 || fail "modprobe nicvf queues=2"
	else
		modprobe nicvf || fail "modprobe nicvf"
	fi
	wait_for 10 ifname $A_MAC || fail "no interface with MAC $A_MAC"
	wait_for 10 ifname $B_MAC || fail "no interface with MAC $B_MAC"
	A=$(ifname $A_MAC)
	B=$(ifname $B_MAC)
	ip netns add peer || fail "ip netns add"
	ip link set "$B" netns peer || fail "move $B to the namespace"
	ip netns exec peer ip link set lo up
	ip netns exec peer ip addr add 10.0.10.2/24 dev "$B"
	ip netns exec peer ip link set "$B" up
	ip addr add 10.0.10.1/24 dev "$A"
	ip link set "$A" up
	IF=$A
	wait_for 10 carrier || fail "$A: no carrier"
	wait_for 10 ip netns exec peer sh -c "[ \"\$(cat /sys/class/net/$B/carrier)\" = 1 ]" ||
		fail "$B: no carrier"
	for tso in on off; do
		ethtool -K "$A" tso $tso || fail "ethtool -K $A tso $tso"
		# (vnic-bench tcp waits for the sink to listen)
		ip netns exec peer /vnic-bench tcp-sink 5201 &
		sink=$!
		t0=$(tx_tso "$A")
		out=$(/vnic-bench tcp 10.0.10.2 5201 "$tcp") || fail "TCP send, TSO $tso: $out"
		wait $sink
		echo "VMBENCH TCP $tso ${out#vnic-bench: } tso $(($(tx_tso "$A") - t0))"
	done
fi
echo "VMBENCH done"
poweroff -f
