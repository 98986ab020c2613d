#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build qemu-system-aarch64 with the thunderx-vnic device (qemu/), so the
# driver can run in a real arm64 kernel against the device model.
#
#   1. Fetch Debian's qemu source package (bookworm) with apt-get source,
#      through a private apt configuration (a deb-src list and its own
#      lists directory under the cache): the machine's apt sources stay as
#      they are.  Unpacked once into $NICVF_CACHE/qemu-source-<version>,
#      which is never modified afterwards.
#   2. Copy it into $NICVF_CACHE/qemu-build-<upstream version>/src, put our
#      device (qemu/*) in hw/net/thunderx-vnic/ with the model sources it
#      compiles, hook that directory into meson and Kconfig, and build
#      aarch64-softmmu (and the TCG plugins of tests/plugin).  The build is
#      keyed by the source version and a hash of qemu/, harness/model/*.{h,cc}
#      and kunit/vnic_hw.h: with the same key it is cached; with another,
#      the changed files are copied in and ninja rebuilds what they touch.
#
# usage: scripts/qemu.sh [build]   build if needed; print the binary's path
#        scripts/qemu.sh path      print the path (fail if not built)
#        scripts/qemu.sh source    only fetch and unpack the source
#        scripts/qemu.sh smoke     build, then boot the arm64 6.12 kernel
#                                  with the device and check what it sees
# Environment: NICVF_CACHE, QEMU_JOBS (default 2, at most 2).
set -euo pipefail

prog=qemu
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cache=${NICVF_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/nicvf}
jobs=${QEMU_JOBS:-2}
[ "$jobs" -le 2 ] || jobs=2

say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: FAILED: %s\n' "$prog" "$*" >&2; exit 1; }

# --- 1. source ------------------------------------------------------------

apt_dir=$cache/qemu-apt
apt_opts=(
	-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	-o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::Cache=$apt_dir/cache"
	-o Dir::State::status=/var/lib/dpkg/status
	# Downloads are written by root into our own directories
	-o APT::Sandbox::User=root
)

apt_setup() {
	local key=/usr/share/keyrings/debian-archive-keyring.gpg
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	cat >"$apt_dir/sources.list.tmp" <<-EOL
	deb-src [signed-by=$key] http://deb.debian.org/debian bookworm main
	deb-src [signed-by=$key] http://deb.debian.org/debian bookworm-updates main
	deb-src [signed-by=$key] http://deb.debian.org/debian-security bookworm-security main
	EOL
	mv "$apt_dir/sources.list.tmp" "$apt_dir/sources.list"
}

# The newest qemu source version the private lists know (refreshed once a
# day at most)
source_version() {
	local stamp=$apt_dir/lists/.nicvf-updated
	if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
		say "apt-get update (private deb-src lists in $apt_dir)"
		apt-get "${apt_opts[@]}" -qq update >&2 || die "apt-get update failed"
		touch "$stamp"
	fi
	local v best=
	for v in $(apt-cache "${apt_opts[@]}" showsrc --only-source qemu |
		   sed -n 's/^Version: //p'); do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	echo "$best"
}

fetch_source() {
	local tmp start=$SECONDS
	apt_setup
	src_ver=$(source_version)
	[ -n "$src_ver" ] || die "no qemu source package in the deb-src lists"
	# 1:7.2+dfsg-7+deb12u18 -> 7.2
	up_ver=${src_ver#*:}
	up_ver=${up_ver%%[-+]*}
	srcdir=$cache/qemu-source-${src_ver#*:}
	[ -f "$srcdir/.nicvf-extracted" ] && return 0
	say "fetching qemu $src_ver source into $srcdir"
	tmp=$cache/qemu-fetch.$$
	rm -rf "$tmp" "$srcdir"
	mkdir -p "$tmp"
	(cd "$tmp" && apt-get "${apt_opts[@]}" -q source "qemu=$src_ver") \
		>"$tmp.log" 2>&1 || { cat "$tmp.log" >&2; die "apt-get source failed"; }
	mv "$tmp"/qemu-*/ "$srcdir"
	rm -rf "$tmp" "$tmp.log"
	touch "$srcdir/.nicvf-extracted"
	say "source: $((SECONDS - start)) s"
}

# --- 2. build --------------------------------------------------------------

# What configure gets: one target, the features the guests use (slirp user
# networking, the virt board's device tree, TCG and its plugins) and nothing
# else (--without-default-features turns every other optional one off)
configure_opts=(
	--target-list=aarch64-softmmu
	--without-default-features
	--enable-tcg --enable-slirp --enable-fdt=system --enable-plugins
	--disable-docs --disable-tools --disable-guest-agent
	--disable-user --disable-install-blobs
	# QEMU compiles C++ as gnu++11 (meson.build's cpp_std); the model
	# shared with the harness is C++17.  The last -std wins.
	--extra-cxxflags=-std=gnu++17
)

# Build dependencies (Debian's, the subset this configuration uses): QEMU
# 7.2 has no meson of its own in Debian's source, so the system one
# (bookworm: 1.0) is used; g++ for the C++ part
build_pkgs=(dpkg-dev python3 meson ninja-build pkg-config gcc g++ make
	libglib2.0-dev libpixman-1-dev libslirp-dev libfdt-dev zlib1g-dev)

# Our files that go into the build: the device and its hook (qemu/), and
# the model sources it is to compile (relative to $root)
our_files() {
	(cd "$root" && {
		# qemu/guest/ is the smoke guest's, not QEMU's
		find qemu -path qemu/guest -prune -o -type f -print
		find harness/model -maxdepth 1 -type f \( -name '*.h' -o -name '*.cc' \)
		echo kunit/vnic_hw.h
	} | LC_ALL=C sort)
}

build_key() {
	{
		echo "$src_ver"
		printf '%s\n' "${configure_opts[@]}"
		gcc --version | head -n1
		g++ --version | head -n1
		our_files | while read -r f; do
			echo "$f"
			cat "$root/$f"
		done
	} | sha256sum | cut -c1-12
}

# Write stdin to $1 only if that changes it (ninja then rebuilds only what
# really changed)
put() {
	local tmp=$1.nicvf-tmp
	cat >"$tmp"
	if cmp -s "$tmp" "$1"; then
		rm -f "$tmp"
	else
		mv "$tmp" "$1"
	fi
}

# Our files and the hook, into the copy $bsrc of the pristine $srcdir: the
# device directory hw/net/thunderx-vnic (qemu/*, the model's files under
# model/ with their repository paths), a
# subdir() in hw/net/meson.build, a source line in hw/net/Kconfig, and our
# device list in place of aarch64-softmmu's
apply_hook() {
	local dev=$bsrc/hw/net/thunderx-vnic f d want
	mkdir -p "$dev"
	want=$(mktemp)
	while read -r f; do
		case $f in
		qemu/aarch64-softmmu.mak) continue ;;
		qemu/*) d=$dev/${f#qemu/} ;;
		# the model's files keep their paths (model/harness/model/vnic.h,
		# model/kunit/vnic_hw.h), so their #includes can resolve
		*) d=$dev/model/$f ;;
		esac
		mkdir -p "$(dirname "$d")"
		put "$d" <"$root/$f"
		echo "$d" >>"$want"
	done < <(our_files)
	# files of ours that are gone from the repository
	find "$dev" -type f | LC_ALL=C sort | comm -23 - <(LC_ALL=C sort "$want") |
		xargs -r rm -f
	rm -f "$want"

	{ cat "$srcdir/hw/net/meson.build"; echo "subdir('thunderx-vnic')"; } |
		put "$bsrc/hw/net/meson.build"
	{ cat "$srcdir/hw/net/Kconfig"; echo; echo "source thunderx-vnic/Kconfig"; } |
		put "$bsrc/hw/net/Kconfig"
	put "$bsrc/configs/devices/aarch64-softmmu/default.mak" \
		<"$root/qemu/aarch64-softmmu.mak"
}

# Once a minute while ninja runs: its last [n/m]
build_progress() {
	local log=$1 start=$SECONDS last s=
	# Killed when the build ends: its sleep goes too (it would otherwise
	# hold our stdout and stderr open for up to a minute)
	trap 'kill $s 2>/dev/null; exit 0' TERM
	while :; do
		sleep 60 &
		s=$!
		wait "$s"
		last=$(grep -o '^\[[0-9]*/[0-9]*\]' "$log" 2>/dev/null | tail -n1 || true)
		say "build: ${last:-configuring} steps, $(((SECONDS - start) / 60)) min"
	done
}

build_qemu() {
	local key pid status=0 start=$SECONDS log
	fetch_source
	key=$(build_key)
	bdir=$cache/qemu-build-$up_ver
	bsrc=$bdir/src
	binary=$bdir/build/qemu-system-aarch64
	if [ -x "$binary" ] && [ "$(cat "$bdir/.nicvf-key" 2>/dev/null)" = "$key" ]; then
		say "qemu $src_ver with our device: cached in $bdir (key $key)"
		return 0
	fi
	# The copy of the source: its files are Debian's ($srcdir stays
	# pristine); only the hook's files differ
	if [ ! -f "$bsrc/.nicvf-copied" ] || [ "$(cat "$bsrc/.nicvf-copied")" != "$src_ver" ]; then
		say "copying the source into $bsrc"
		rm -rf "$bdir"
		mkdir -p "$bsrc"
		# (its contents: a cache whose source directory is a symbolic
		# link must still get a copy, or the hook would edit the source)
		cp -a "$srcdir/." "$bsrc/"
		echo "$src_ver" >"$bsrc/.nicvf-copied"
	fi
	apply_hook
	rm -f "$bdir/.nicvf-key"
	mkdir -p "$bdir/build"
	log=$bdir/build.log
	: >"$log"
	build_progress "$log" &
	pid=$!
	if [ "$(cat "$bdir/build/.nicvf-configured" 2>/dev/null)" != "${configure_opts[*]}" ]; then
		say "configure: ${configure_opts[*]}"
		# other options (or a failed configure): from a fresh build tree
		rm -rf "$bdir/build"
		mkdir -p "$bdir/build"
		(cd "$bdir/build" && nice ../src/configure "${configure_opts[@]}") \
			>>"$log" 2>&1 || status=$?
		[ $status -ne 0 ] || echo "${configure_opts[*]}" >"$bdir/build/.nicvf-configured"
		say "configure: $((SECONDS - start)) s"
	fi
	if [ $status -eq 0 ]; then
		say "ninja -j$jobs in $bdir/build (log: $log)"
		nice ninja -C "$bdir/build" -j"$jobs" qemu-system-aarch64 test-plugins \
			>>"$log" 2>&1 || status=$?
	fi
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if [ $status -ne 0 ]; then
		grep -E -B2 -A12 'error|FAILED' "$log" | tail -n 60 >&2
		die "qemu build failed (log: $log)"
	fi
	# QEMU's own warnings are not errors outside a git checkout; ours are.
	# Their objects go, so the next build compiles them (and warns) again
	if grep -q 'thunderx-vnic/.*warning:' "$log"; then
		grep -A4 'thunderx-vnic/.*warning:' "$log" >&2
		rm -f "$bdir"/build/libcommon.fa.p/hw_net_thunderx-vnic_*
		die "warnings in our device's sources (log: $log)"
	fi
	echo "$key" >"$bdir/.nicvf-key"
	say "built in $((SECONDS - start)) s: $binary"
}

# The model's register offsets against the vendor's nic_reg.h (the in-tree
# driver's, from Debian's linux-source-6.12, extracted by
# scripts/arm64-kernel.sh): harness/model/vendor_regs_check.c only compiles
# if every offset the model decodes is the vendor's
vendor_regs_check() {
	local j=$jobs vendor
	bash "$root/scripts/install-deps.sh" gcc linux-source-6.12 >&2
	# shellcheck source=scripts/arm64-kernel.sh
	. "$root/scripts/arm64-kernel.sh"
	jobs=$j
	arm64_source 6.12
	vendor=$srcdir/drivers/net/ethernet/cavium/thunder
	gcc -std=c11 -Wall -Wextra -Werror -fsyntax-only -I "$vendor" \
		-I "$root/harness/model" "$root/harness/model/vendor_regs_check.c" ||
		die "the model's register map is not the vendor's ($vendor/nic_reg.h)"
	say "the model's register offsets are the vendor's ($vendor/nic_reg.h)"
}

# --- 3. smoke test ---------------------------------------------------------

# Boot the cached arm64 6.12 kernel (scripts/arm64-kernel.sh; built by make
# kunit) with a thunderx-vnic on a slirp netdev, and check what the guest's
# /init (qemu/guest/smoke-init.c) saw of it: IDs, BARs, MSI-X, BAR0
# reading 0 with writes logged by QEMU (-d unimp); then nicvf.ko (built
# here against that kernel) loads, probes the device and unloads, with no
# kernel report
smoke() {
	local out=$root/build/qemu-smoke log fail=0 c
	# shellcheck source=scripts/lib.sh
	. "$root/scripts/lib.sh"
	# shellcheck source=scripts/arm64-kernel.sh
	. "$root/scripts/arm64-kernel.sh"
	arm64_key 6.12
	[ -f "$kbuild/.nicvf-built" ] ||
		die "no arm64 6.12 kernel in $kbuild (make kunit builds it)"
	mkdir -p "$out"
	log=$out/console.log
	"${cross}gcc" -static -O2 -Wall -Wextra -Werror \
		-o "$out/init" "$root/qemu/guest/smoke-init.c"
	{ echo "dir /dev 0755 0 0"; initramfs_head "$out/init"; } >"$out/initramfs.list"
	# Our driver, to probe the device (lib.sh: the files a kbuild needs)
	rm -rf "$out/mod"
	mkdir -p "$out/mod"
	(cd "$root" && nicvf_files | xargs cp -t "$out/mod/")
	kmake M="$out/mod" -j"$jobs" modules >"$out/modules.log" 2>&1 || {
		cat "$out/modules.log" >&2
		die "nicvf.ko build failed"
	}
	echo "file /nicvf.ko $out/mod/nicvf.ko 0644 0 0" >>"$out/initramfs.list"
	"$kbuild/usr/gen_init_cpio" "$out/initramfs.list" >"$out/initramfs.cpio"
	rm -f "$out/qemu.log"
	say "smoke: booting $kbuild with -device thunderx-vnic (console: $log)"
	timeout --foreground 600 nice "$binary" \
		-machine virt,iommu=smmuv3 -cpu max -smp 2 -m 1024 \
		-nographic -no-reboot -monitor none -serial stdio \
		-netdev user,id=net0 -device thunderx-vnic,netdev=net0 \
		-d unimp,guest_errors -D "$out/qemu.log" \
		-kernel "$kbuild/arch/arm64/boot/Image.gz" \
		-initrd "$out/initramfs.cpio" \
		-append "console=ttyAMA0 rdinit=/init panic=-1" \
		</dev/null 2>&1 | tr -d '\r' >"$log" || true
	grep -E '^smoke: |^nicvf' "$log" || true
	grep 'thunderx-vnic' "$out/qemu.log" 2>/dev/null | sed 's/^/qemu.log: /' |
		head -n 40 || true
	for c in 'vendor 0x177d device 0xa034 subsystem 0x177d:0xa134 revision 0x08 class 0x020000' \
		'bar0 start 0x[0-9a-f]* size 0x200000 64-bit$' \
		'bar4 start 0x[0-9a-f]* size 0x100000 64-bit$' \
		'msix vectors 20 table bar4\+0x0 pba bar4\+0xf0000$' \
		'bar0\+0x2200 read 0x0 wrote 0x1122334455667788 read 0x1122334455667788$' \
		'nicvf.ko loaded$' 'nicvf.ko unloaded$' 'done$'; do
		grep -Eq "^smoke: .*$c" "$log" || {
			echo "  missing in $log: $c" >&2
			fail=1
		}
	done
	# The driver's probe ran against the device (what it then says depends
	# on the model behind BAR0: for now, no PF answers its mailbox)
	grep -Eq '^nicvf [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]: ' "$log" || {
		echo "  no message of nicvf's probe in $log" >&2
		fail=1
	}
	# The probe got the PF's answers: an interface with the MAC READY gave
	grep -Eq '^smoke: .*nicvf.ko loaded$' "$log" && grep -q 'smoke: interface eth0 mac 52:54:00:12:34:56' "$log" || {
		echo "  nicvf registered no interface with the device's MAC" >&2
		fail=1
	}
	if grep -q 'thunderx-vnic' "$out/qemu.log" 2>/dev/null; then
		echo "  the device logged guest errors ($out/qemu.log)" >&2
		fail=1
	fi
	if grep -Eq 'WARNING:|BUG:|Oops|Kernel panic|Unable to handle' "$log"; then
		grep -En 'WARNING:|BUG:|Oops|Kernel panic|Unable to handle' "$log" >&2
		fail=1
	fi
	[ $fail -eq 0 ] || die "smoke test (see above)"
	say "smoke: thunderx-vnic enumerates with the VF's IDs, BARs and MSI-X"
}

main() {
	case ${1:-build} in
	build)
		bash "$root/scripts/install-deps.sh" "${build_pkgs[@]}" >&2
		vendor_regs_check
		build_qemu
		echo "$binary"
		;;
	path)
		fetch_source
		binary=$cache/qemu-build-$up_ver/build/qemu-system-aarch64
		[ -x "$binary" ] || die "not built: run scripts/qemu.sh"
		echo "$binary"
		;;
	smoke)
		bash "$root/scripts/install-deps.sh" "${build_pkgs[@]}" >&2
		vendor_regs_check
		build_qemu
		smoke
		;;
	source)
		bash "$root/scripts/install-deps.sh" dpkg-dev >&2
		fetch_source
		echo "$srcdir"
		;;
	*)
		echo "usage: $0 [build|path|source|smoke]" >&2
		exit 2
		;;
	esac
}

main "$@"
