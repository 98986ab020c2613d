#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make pf-test: the vendor's PF-side drivers against our emulated PF-side
# devices, in the arm64 6.12 guest (the KUnit kernel, cached by
# scripts/arm64-kernel.sh) on QEMU with our devices (scripts/qemu.sh):
# a thunderx-nicpf at 00:01.0 and a thunderx-bgx with four XFI LMACs at
# 00:10.0, LMACs 0 and 1 on one QEMU hub, on 9 vCPUs (so that nicpf
# makes secondary queue set VFs too); nicpf and thunder_bgx (with the modules they need, from the
# kernel's own build) probe them, nicpf enables a VF per LMAC, and our
# nicvf.ko binds the VFs and talks to nicpf (the steps are
# qemu/guest/pf-test-init.sh's, listed in docs/qemu.md).
# Console and QEMU log: build/pf-test/{console,qemu}.log
set -euo pipefail

prog=pf-test
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
# shellcheck source=scripts/arm64-kernel.sh
. "$root/scripts/arm64-kernel.sh"

say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: FAILED: %s\n' "$prog" "$*" >&2; exit 1; }

out=$root/build/pf-test
lmacs=4
# More than 8 CPUs: nicpf enables secondary queue set VFs beside the
# primary ones (nic_num_sqs_en())
cpus=${PFTEST_CPUS:-9}
# Nine TCG vCPUs on a two-core host: a busy machine once took more than
# 600 s for the whole run, so the guest gets as long as the vm-test's.
boot_timeout=${PFTEST_TIMEOUT:-900}

main() {
	local qemu kver f mods fail=0
	qemu=$(bash "$root/scripts/qemu.sh" build)
	read -ra kpkgs <<<"$(arm64_pkgs 6.12)"
	bash "$root/scripts/install-deps.sh" "${kpkgs[@]}" kmod >&2
	arm64_kernel 6.12 >&2
	kver=$(kernel_release "$kbuild")
	mkdir -p "$out"
	# (nicvf: the kernel's own, beside ours)
	mods=$(module_closure "$kbuild" nicpf nicvf) || exit 1
	# Our nicvf.ko, for the VFs nicpf enables
	rm -rf "$out/mod"
	mkdir -p "$out/mod"
	(cd "$root" && nicvf_files | xargs cp -t "$out/mod/")
	kmake M="$out/mod" -j2 modules >"$out/modules.log" 2>&1 || {
		cat "$out/modules.log" >&2
		die "nicvf.ko build failed"
	}
	{
		bash "$root/scripts/guest-userspace.sh" list
		initramfs_head "$root/qemu/guest/pf-test-init.sh"
		echo "dir /lib/modules 0755 0 0"
		echo "dir /lib/modules/$kver 0755 0 0"
		echo "dir /lib/modules/$kver/kernel 0755 0 0"
		echo "file /nicvf.ko $out/mod/nicvf.ko 0644 0 0"
		for f in $mods; do
			echo "file /lib/modules/$kver/kernel/$(basename "$f") $f 0644 0 0"
		done
	} >"$out/initramfs.list"
	"$kbuild/usr/gen_init_cpio" "$out/initramfs.list" >"$out/initramfs.cpio"
	rm -f "$out/qemu.log"
	say "booting with thunderx-nicpf and thunderx-bgx (console: $out/console.log)"
	timeout --foreground "$boot_timeout" nice "$qemu" \
		-machine virt,gic-version=3,iommu=smmuv3 -cpu max,pauth-impdef=on \
		-smp "$cpus" -m 2048 -nographic -no-reboot -monitor none -serial stdio -nic none \
		-device thunderx-nicpf,addr=0x1.0 \
		-netdev hubport,id=l0,hubid=1 -netdev hubport,id=l1,hubid=1 \
		-device thunderx-bgx,addr=0x10,lmacs=$lmacs,mac=02:00:00:00:b0:00,netdev0=l0,netdev1=l1 \
		-d guest_errors,unimp -D "$out/qemu.log" \
		-kernel "$kbuild/arch/arm64/boot/Image.gz" -initrd "$out/initramfs.cpio" \
		-append "console=ttyAMA0 rdinit=/init panic=-1 pftest.lmacs=$lmacs" \
		</dev/null 2>&1 | tr -d '\r' >"$out/console.log" || true
	grep -E '^PFTEST|^pftest: ' "$out/console.log" || true
	grep -q '^PFTEST done, 0 failed' "$out/console.log" || fail=1
	if grep -q 'thunderx' "$out/qemu.log" 2>/dev/null; then
		grep 'thunderx' "$out/qemu.log" | head -n 10 >&2
		fail=1
	fi
	[ $fail -eq 0 ] || die "see $out/console.log"
	say "nicpf and thunder_bgx drove the emulated PF and BGX; nicpf answered our $lmacs VFs"
}

main "$@"
