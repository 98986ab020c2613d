#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make kunit`: run the driver's receive path in a real arm64 kernel with
# 64K pages behind qemu's emulated SMMUv3.
#
#   1. Build an arm64 kernel from Debian's linux-source-$KUNIT_KERNEL
#      (default 6.12) with the options in kunit/kernel.config, once: it is
#      cached under $NICVF_CACHE (scripts/arm64-kernel.sh, which the module
#      build matrix shares).
#   2. Build nicvf.ko and the KUnit module nicvf_kunit.ko out of tree
#      against it (W=1; any warning fails), and a static /init.
#   3. Boot qemu-system-aarch64 -M virt,iommu=smmuv3 once per mode:
#        translate  the default translating (DMA) domain
#        identity   iommu.passthrough=1
#        bounce     iommu.passthrough=1 swiotlb=force
#      /init loads and unloads nicvf.ko 100 times, with other parameter
#      values each time (they must show in sysfs, with the version), then
#      loads both modules (the KUnit suites run as the test module loads),
#      unloads them, runs a kmemleak scan and powers off.
#   4. Parse each console log with the kernel's own `kunit.py parse`, and
#      fail on any failed, skipped or missing case and on any WARNING, BUG,
#      KASAN, UBSAN, lockdep, DMA-API or kmemleak report, and on any
#      page_pool released with pages in flight (its trace event).
#
# Environment: NICVF_CACHE, KUNIT_KERNEL (the linux-source-* series: 6.12 or
# 6.1), KUNIT_JOBS (default: nproc), KUNIT_MODES (default: all three),
# KUNIT_TIMEOUT (seconds per boot, default 900).
set -euo pipefail
# Run from make (make -j check): our kbuild runs are not its sub-makes, and
# an inherited jobserver makes them print a warning the log checks catch
unset MAKEFLAGS MFLAGS MAKELEVEL

prog=kunit
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
series=${KUNIT_KERNEL:-6.12}
case $series in
6.12) out=$root/build/kunit ;;
*) out=$root/build/kunit-$series ;;
esac
modes=${KUNIT_MODES:-translate identity bounce}
boot_timeout=${KUNIT_TIMEOUT:-900}
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
# shellcheck source=scripts/arm64-kernel.sh
. "$root/scripts/arm64-kernel.sh"
# /init loads and unloads nicvf.ko this many times first (LOAD_CYCLES)
load_cycles=$(sed -n 's/^#define LOAD_CYCLES \([0-9]*\)$/\1/p' "$root/kunit/init.c")

read -ra pkgs <<<"$(arm64_pkgs "$series") qemu-system-arm"

say() { printf '%s: %s\n' "$prog" "$*"; }
die() { printf '%s: FAILED: %s\n' "$prog" "$*" >&2; exit 1; }

# Run a step with its wall time reported
step() {
	local name=$1 start=$SECONDS
	shift
	"$@"
	say "$name: $((SECONDS - start)) s"
}

# --- 2. modules and initramfs ------------------------------------------------

build_modules() {
	local mod=$out/mod log=$out/modules.log
	rm -rf "$mod"
	mkdir -p "$mod/kunit"
	(cd "$root" && nicvf_files | xargs cp -t "$mod/")
	# vnic_hw.h: the descriptor layouts nicvf_kunit.c shares with the model
	cp "$root"/kunit/Kbuild "$root"/kunit/nicvf_*.c "$root"/kunit/*.h "$mod/kunit/"
	kmake M="$mod" NICVF_KUNIT=m W=1 C=1 -j"$jobs" modules >"$log" 2>&1 || {
		cat "$log" >&2
		die "module build failed"
	}
	if grep -Eiq 'warning:|error:' "$log"; then
		grep -Ei 'warning:|error:' "$log" >&2
		die "module build warnings (log: $log)"
	fi
	cp "$mod/nicvf.ko" "$mod/kunit/nicvf_kunit.ko" \
		"$mod/kunit/nicvf_kunit_dev.ko" "$out/"
	bash "$root/scripts/modinfo-check.sh" "$out/nicvf.ko" \
		"$(kernel_release "$kbuild")"
}

build_initramfs() {
	"${cross}gcc" -static -O2 -Wall -Wextra -Werror \
		-o "$out/init" "$root/kunit/init.c"
	{ echo "dir /dev 0755 0 0"; initramfs_head "$out/init"; } >"$out/initramfs.list"
	cat >>"$out/initramfs.list" <<-EOF
	file /nicvf.ko $out/nicvf.ko 0644 0 0
	file /nicvf_kunit.ko $out/nicvf_kunit.ko 0644 0 0
	file /nicvf_kunit_dev.ko $out/nicvf_kunit_dev.ko 0644 0 0
	EOF
	"$kbuild/usr/gen_init_cpio" "$out/initramfs.list" >"$out/initramfs.cpio"
}

# --- 3. and 4. boot and check ------------------------------------------------

# Once a minute while a guest runs: KUnit results so far, of how many
boot_progress() {
	local mode=$1 log=$2 want start=$SECONDS n last s=
	want=$(wc -l <"$out/expected-cases")
	# Killed when the guest ends: its sleep goes too (see arm64_progress)
	trap 'kill $s 2>/dev/null; exit 0' TERM
	while :; do
		sleep 60 &
		s=$!
		wait "$s"
		n=$(grep -cE '^ *(not )?ok [0-9]+ nk_' "$log" 2>/dev/null || true)
		last=$(grep '^nicvf-init: ' "$log" 2>/dev/null | tail -n1 || true)
		say "boot $mode: ${n:-0} of $want cases reported, $(((SECONDS - start) / 60)) min (${last:-booting})"
	done
}

boot() {
	local mode=$1 log=$out/$1.log extra pid
	extra=$(mode_cmdline "$mode")
	: >"$log"
	boot_progress "$mode" "$log" &
	pid=$!
	# oops=panic and panic=-1 with -no-reboot: a crash ends qemu at once
	timeout --foreground "$boot_timeout" \
	qemu-system-aarch64 -machine virt,iommu=smmuv3 \
		-cpu max,pauth-impdef=on -smp 2 -m 2048 \
		-nographic -no-reboot -monitor none -serial stdio -nic none \
		-kernel "$kbuild/arch/arm64/boot/Image.gz" \
		-initrd "$out/initramfs.cpio" \
		-device pci-testdev \
		-append "console=ttyAMA0 rdinit=/init oops=panic panic=-1 nicvf_kunit.mode=$mode $extra" \
		</dev/null 2>&1 | tr -d '\r' >"$log" || true
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# The KUNIT_CASE() names in the test sources: what every mode must run
expected_cases() {
	sed -nE 's/^[[:space:]]*KUNIT_CASE(_PARAM)?\(([a-z0-9_]+).*/\2/p' \
		"$root"/kunit/*.c | sort -u
}

check_mode() {
	local mode=$1 log=$out/$1.log json=$out/$1.json fail=0 c

	# The built-in executor prints an empty KTAP header at boot (there are
	# no built-in suites): parse from the point /init loads our modules.
	sed -n '/^nicvf-init: nicvf_kunit parameters/,$p' "$log" >"$out/$mode.ktap"
	python3 "$srcdir/tools/testing/kunit/kunit.py" parse --json="$json" \
		"$out/$mode.ktap" >"$out/$mode.parse" 2>&1 || fail=1
	cat "$out/$mode.parse"

	# Every case ran and passed: counted from the parsed JSON
	python3 "$root/scripts/kunit-verdict.py" "$json" "$out/expected-cases" ||
		fail=1

	if grep -Eq "$kernel_reports" "$log"; then
		echo "  kernel reports in the console:" >&2
		grep -En "$kernel_reports" "$log" | head -n 40 >&2
		fail=1
	fi
	grep -q '^nicvf-init: done' "$log" || {
		echo "  /init did not finish (crash or timeout): see $log" >&2
		fail=1
	}
	# The 100 loads and unloads, and what sysfs showed of the module: the
	# version of dkms.conf and the parameters of the sources
	local version params want_params
	version=$(nicvf_version)
	want_params=$(nicvf_params | xargs)
	params=$(sed -n 's/^nicvf-init: nicvf parameters: //p' "$log" |
		 tr ' ' '\n' | cut -d= -f1 | sort | xargs)
	if [ "$params" != "$want_params" ]; then
		echo "  sysfs parameters '$params', the sources declare '$want_params'" >&2
		fail=1
	fi
	for c in "nicvf-init: load/unload: $load_cycles of $load_cycles cycles\$" \
		"nicvf-init: nicvf version: $version\$" \
		'nicvf-init: kmemleak: scanned, 0 reports$' \
		'nicvf-init: page_pool: [1-9][0-9]* pools released, 0 with pages in flight$' \
		'nicvf-init: dma-api errors: 0$' \
		'nicvf-init: unloaded nicvf_kunit$' 'nicvf-init: unloaded nicvf_kunit_dev$' \
		'nicvf-init: unloaded nicvf$'; do
		grep -Eq "^$c" "$log" || {
			echo "  missing '$c' in $log" >&2
			fail=1
		}
	done
	return $fail
}

main() {
	local mode failed=() start=$SECONDS
	bash "$root/scripts/install-deps.sh" "${pkgs[@]}"
	mkdir -p "$out"
	step "kernel" arm64_kernel "$series"
	step "modules" build_modules
	step "initramfs" build_initramfs
	expected_cases >"$out/expected-cases"
	[ -s "$out/expected-cases" ] || die "no KUNIT_CASE in kunit/*.c"
	for mode in $modes; do
		say "== mode $mode: $(mode_cmdline "$mode")"
		step "boot $mode" boot "$mode"
		if check_mode "$mode"; then
			say "mode $mode: OK (console: $out/$mode.log)"
		else
			say "mode $mode: FAILED (console: $out/$mode.log)"
			failed+=("$mode")
		fi
	done
	say "total: $((SECONDS - start)) s"
	[ ${#failed[@]} -eq 0 ] || die "modes failed: ${failed[*]}"
	say "all modes passed: $modes"
}

main "$@"
