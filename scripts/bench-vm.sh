#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench-vm: our nicvf and the kernel's own on the same QEMU device,
# in the same arm64 kernel, measured by what the guest executes.
#
#   1. The benchmark's kernel: Debian's 6.12 without the debug options
#      (arm64_flavour=bench in scripts/arm64-kernel.sh), cached; nicvf.ko
#      built against it; the in-tree nicvf from its own build.
#   2. QEMU with our device (scripts/qemu.sh) and the TCG plugin
#      bench/vm/window-plugin.c, which counts guest instructions, and the
#      calls of a few kernel functions found in System.map, between two
#      marks the guest executes (HINT #126 and #127, see the plugin).
#   3. One boot per driver (BENCHVM_DRIVERS, "ours intree"), IOMMU mode
#      (BENCHVM_MODES, "strict lazy identity": the SMMUv3 translating with
#      strict or lazy (flush-queue) invalidation, or in identity) and
#      receive queue count (BENCHVM_QUEUES, "1 2 4"; the in-tree driver
#      not above 2, see intree_queue_limit), with as many vCPUs as queues
#      and at least 2, and one thunderx-vnic with bench=on.  The guest's /init
#      (bench/vm/bench-init.sh) runs /vnic-bench (bench/vm/vnic-bench.c)
#      for 64, 1518 and 9000-byte frames: the
#      device's source sends UDP frames as fast as the rings have room,
#      up to a socket that never reads, so the stack drops each where it
#      would drop any (the socket's receive buffer), the same for both
#      drivers.  A warm-up run, then the measured one.  On the 2-queue
#      boots, two more functions on a QEMU hub carry TCP send between
#      them (bench.tcp=, BENCHVM_TCP bytes), with TSO on, then off.
#   4. build/bench/guest.json (every cell: instructions, calls, guest
#      time) and the table: per packet, ours, in-tree and their ratio;
#      make bench adds it to results.json and the chart.
# Logs: build/bench/vm/<driver>-<mode>-<queues>.{console,qemu}.log
#
# usage: scripts/bench-vm.sh          build what is missing, run, report
#        scripts/bench-vm.sh smoke    make check's: both drivers, strict
#                                     mode, 2 queues, 64 and 9000 bytes,
#                                     5000 frames, into build/bench/vm-smoke,
#                                     on the debug kernel vm-test boots
#                                     (KASAN, lockdep: no benchmark kernel
#                                     to build; no timing or count is
#                                     judged; every frame must go up, with
#                                     no guest error or kernel report)
#        scripts/bench-vm.sh ready    exit 0 if everything is built
# Environment: BENCHVM_DRIVERS, BENCHVM_MODES, BENCHVM_QUEUES ("1 2 4"),
# BENCHVM_SIZES ("64 1518 9000"), BENCHVM_COUNT (measured frames per
# cell, 50000: six times the in-tree driver's 8192-buffer ring, so the
# window holds its refills), BENCHVM_WARMUP (10000: more than a ring, so
# the window starts in steady state), NICVF_CACHE.
set -euo pipefail

prog=bench-vm
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
# shellcheck source=scripts/arm64-kernel.sh
. "$root/scripts/arm64-kernel.sh"

say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: FAILED: %s\n' "$prog" "$*" >&2; exit 1; }

drivers=${BENCHVM_DRIVERS:-ours intree}
modes=${BENCHVM_MODES:-strict lazy identity}
queues=${BENCHVM_QUEUES:-1 2 4}
# Why the in-tree driver has no more than 2 queues here: on a function
# that is not an SR-IOV VF (ours is a plain PCI function until the PF is
# emulated), nicvf_probe() sizes the net_device by
# netif_get_num_default_rss_queues(), half the cores above 2, while
# nicvf_set_qset_resources() asks for one queue per online CPU (up to 8):
# with more than 2 CPUs the probe fails (-EINVAL, "Failed to set no of Tx
# queues"), and with 2, ethtool -L cannot go above 2
intree_queue_limit="the in-tree nicvf probes a non-SR-IOV function only with 2 CPUs or fewer, and then has at most 2 queues (nicvf_probe() against nicvf_set_qset_resources())"
sizes=${BENCHVM_SIZES:-64 1518 9000}
count=${BENCHVM_COUNT:-50000}
warmup=${BENCHVM_WARMUP:-10000}
# TCP send, TSO on and off, on the boots with this many queues
tcp_bytes=${BENCHVM_TCP:-16777216}
tcp_queues=2
out=$root/build/bench/vm
json=$root/build/bench/guest.json
jobs=2
arm64_flavour=bench
if [ "${1:-}" = smoke ]; then
	modes=strict queues=2 sizes="64 9000" count=5000 warmup=1000
	tcp_bytes=1048576
	out=$root/build/bench/vm-smoke
	json=$out/guest.json
	# The rig, not the numbers: the debug kernel make check has built
	# already, whose checkers also watch the run
	arm64_flavour=
	# (the report's setup line names it; bench-vm-report.py's default is
	# the benchmark kernel)
	export BENCHVM_KERNEL="Linux 6.12 with vm-test's debug options (smoke: no number judged)"
fi

# The kernel functions the plugin counts calls of: DMA API map and unmap
# (every mode), IOMMU map and unmap (a translating domain), the SMMUv3
# driver's IOTLB invalidations (a range: strict unmaps; all of a
# context: lazy mode's flush queue), and the IOMMU walk our driver's
# receive path makes
functions=(dma_map_page_attrs dma_unmap_page_attrs __iommu_map __iommu_unmap
	   __arm_smmu_tlb_inv_range arm_smmu_tlb_inv_context
	   iommu_iova_to_phys)

mode_args() {
	case $1 in
	strict) echo "" ;;
	lazy) echo "iommu.strict=0" ;;
	identity) echo "iommu.passthrough=1" ;;
	*) die "unknown mode $1 (strict, lazy, identity)" ;;
	esac
}

ready() {
	local q
	arm64_key 6.12
	q=$(bash "$root/scripts/qemu.sh" path 2>/dev/null) || return 1
	[ -f "$kbuild/.nicvf-built" ] && [ -x "$q" ]
}

# The plugin, against the QEMU source's plugin header
build_plugin() {
	local inc
	inc=$(dirname "$qemu")/../src/include/qemu
	gcc -O2 -Wall -Wextra -Wno-unused-parameter -Werror -shared -fPIC \
		-I "$inc" -o "$out/window-plugin.so" "$root/bench/vm/window-plugin.c" ||
		die "the TCG plugin does not build"
}

prepare_guest() {
	local log=$out/modules.log cav=$kbuild/drivers/net/ethernet/cavium
	mkdir -p "$out/mod"
	rm -f "$out"/mod/*
	(cd "$root" && nicvf_files | xargs cp -t "$out/mod/")
	kmake M="$out/mod" -j"$jobs" modules >"$log" 2>&1 || {
		cat "$log" >&2
		die "nicvf.ko build against the benchmark kernel failed"
	}
	"${cross}gcc" -static -O2 -Wall -Wextra -Werror -o "$out/vnic-bench" \
		"$root/bench/vm/vnic-bench.c"
	{
		bash "$root/scripts/guest-userspace.sh" list
		initramfs_head "$root/bench/vm/bench-init.sh"
		echo "dir /lib/modules 0755 0 0"
		echo "file /nicvf.ko $out/mod/nicvf.ko 0644 0 0"
		echo "file /vnic-bench $out/vnic-bench 0755 0 0"
		echo "dir /intree 0755 0 0"
		echo "dir /intree/thunder 0755 0 0"
		echo "dir /intree/common 0755 0 0"
		echo "file /intree/thunder/nicvf.ko $cav/thunder/nicvf.ko 0644 0 0"
		echo "file /intree/common/cavium_ptp.ko $cav/common/cavium_ptp.ko 0644 0 0"
	} >"$out/initramfs.list"
	"$kbuild/usr/gen_init_cpio" "$out/initramfs.list" >"$out/initramfs.cpio"
}

# fn=name@address for each function System.map has
plugin_args() {
	local f a args=""
	for f in "${functions[@]}"; do
		a=$(awk -v f="$f" '$3 == f { print $1; exit }' "$kbuild/System.map")
		if [ -z "$a" ]; then
			say "no $f in System.map: not counted"
			continue
		fi
		args+=",fn=$f@0x$a"
	done
	echo "$args"
}

boot() {
	local drv=$1 mode=$2 q=$3 name=$1-$2-$3 start=$SECONDS cpus=$3
	local console=$out/$name.console.log qlog=$out/$name.qemu.log
	local tcp=() tcp_arg=
	[ "$cpus" -ge 2 ] || cpus=2
	# Two more functions on a hub for the TCP runs
	if [ "$q" = "$tcp_queues" ] && [ "$tcp_bytes" -gt 0 ]; then
		tcp=(-netdev hubport,id=pa,hubid=1 -netdev hubport,id=pb,hubid=1
		     -device thunderx-vnic,netdev=pa,vf=1,mac=52:54:00:00:00:21
		     -device thunderx-vnic,netdev=pb,vf=2,mac=52:54:00:00:00:22)
		tcp_arg=" bench.tcp=$tcp_bytes"
	fi
	rm -f "$console" "$qlog"
	say "$name: booting, $cpus vCPUs (console: $console)"
	timeout --foreground 1800 nice "$qemu" \
		-machine virt,gic-version=3,iommu=smmuv3 -cpu max,pauth-impdef=on \
		-smp "$cpus" -m 2048 -nographic -no-reboot -monitor none -serial stdio -nic none \
		-device thunderx-vnic,bench=on,vf=0,mac=52:54:00:00:00:20 "${tcp[@]}" \
		-plugin "$out/window-plugin.so$plugin" -d plugin,guest_errors -D "$qlog" \
		-kernel "$kbuild/arch/arm64/boot/Image.gz" -initrd "$out/initramfs.cpio" \
		-append "console=ttyAMA0 rdinit=/init panic=-1 quiet bench.driver=$drv bench.queues=$q bench.sizes=${sizes// /,} bench.count=$count bench.warmup=$warmup$tcp_arg $(mode_args "$mode")" \
		</dev/null 2>&1 | tr -d '\r' >"$console" || true
	say "$name: $((SECONDS - start)) s"
	grep -q '^VMBENCH done' "$console" || die "$name: the guest did not finish (console: $console)"
	if grep -q '^VMBENCH FAIL' "$console"; then
		grep '^VMBENCH FAIL' "$console" >&2
		die "$name: a run failed"
	fi
	if grep -q 'thunderx-vnic' "$qlog"; then
		grep 'thunderx-vnic' "$qlog" | head -n 10 >&2
		die "$name: the device logged guest errors"
	fi
	if grep -Eq "$kernel_reports" "$console"; then
		grep -E "$kernel_reports" "$console" >&2
		die "$name: kernel report"
	fi
}

# The cells into build/bench/results.json (beside make bench's, which it
# keeps), and the chart redrawn from both
merge() {
	local res=$root/build/bench/results.json
	python3 - "$res" "$root/build/bench/guest.json" <<-'EOF'
	import json, os, sys
	res, guest = sys.argv[1:]
	doc = {}
	if os.path.exists(res):
	    with open(res) as f:
	        doc = json.load(f)
	with open(guest) as f:
	    doc["guest"] = json.load(f)
	with open(res, "w") as f:
	    json.dump(doc, f, indent=1)
	EOF
	python3 "$root/scripts/bench-report.py" "$res" "$root/build/bench" >/dev/null
}

main() {
	local drv mode q start=$SECONDS ran=()
	if [ "${1:-}" = ready ]; then
		ready
		exit
	fi
	read -ra kpkgs <<<"$(arm64_pkgs 6.12)"
	bash "$root/scripts/install-deps.sh" "${kpkgs[@]}" python3 gnuplot-nox >&2
	qemu=$(bash "$root/scripts/qemu.sh" build)
	arm64_kernel 6.12 >&2
	mkdir -p "$out"
	build_plugin
	prepare_guest
	plugin=$(plugin_args)
	for drv in $drivers; do
		for mode in $modes; do
			for q in $queues; do
				if [ "$drv" = intree ] && [ "$q" -gt 2 ]; then
					say "$drv-$mode-$q: not run: $intree_queue_limit"
					continue
				fi
				boot "$drv" "$mode" "$q"
				ran+=("$drv-$mode-$q")
			done
		done
	done
	python3 "$root/scripts/bench-vm-report.py" "$out" "$json" "${ran[@]}" |
		tee "$out/table.txt"
	if [ "${1:-}" = smoke ]; then
		say "smoke: $((SECONDS - start)) s"
		return 0
	fi
	merge
	say "$((SECONDS - start)) s; chart: $root/build/bench/bench.png"
}

main "$@"
