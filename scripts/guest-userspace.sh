#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The userspace of the arm64 guests that run the whole driver: busybox,
# iproute2's ip, ethtool and iperf3 from Debian's arm64 packages, with just
# the shared libraries they load, nothing downloaded at run time.
#
#   scripts/guest-userspace.sh [list]
#       Fetch the packages (a private apt configuration for arm64, so the
#       machine's own apt state is untouched), unpack them, and print a
#       gen_init_cpio list (usr/gen_init_cpio of a kernel tree) of the
#       files to put in an initramfs: the programs, busybox's applets as
#       links, the libraries the programs need (read from their ELF
#       NEEDED entries, recursively) and the dynamic loader.
#   scripts/guest-userspace.sh check
#       Boot the cached arm64 kernel (scripts/arm64-kernel.sh) with an
#       initramfs of that list and an /init that runs each program, and
#       fail unless each ran in the guest.
#
# Cached under $NICVF_CACHE as guest-arm64-<key>, keyed by the packages'
# versions: a Debian update to any of them makes a new one.
set -euo pipefail

prog=guest-userspace
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
# shellcheck source=scripts/arm64-kernel.sh
. "$root/scripts/arm64-kernel.sh"

say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: FAILED: %s\n' "$prog" "$*" >&2; exit 1; }

# The programs, by package, and where each package puts them
pkgs=(busybox-static iproute2 ethtool iperf3)
programs=(/bin/busybox /bin/ip /usr/sbin/ethtool /usr/bin/iperf3)
# What the guests run through busybox
applets=(sh mount umount cat echo ls sleep grep sed ping ping6 poweroff dmesg
	 modprobe insmod rmmod lsmod depmod timeout seq wc head tail tr cut
	 awk basename readlink nproc kill cp mkdir rm uname sync sort date)

apt_dir=$cache/guest-arm64-apt
apt_opts=(-o APT::Architecture=arm64 -o APT::Architectures::=arm64
	  -o Dir::Etc::SourceList="$apt_dir/sources.list"
	  -o Dir::Etc::SourceParts=/dev/null
	  -o Dir::State::Lists="$apt_dir/lists"
	  -o Dir::State::status="$apt_dir/status"
	  -o Dir::Cache="$apt_dir/cache"
	  -o Debug::NoLocking=1 -o APT::Sandbox::User=root)

apt_setup() {
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	: >"$apt_dir/status"
	echo "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
		>"$apt_dir/sources.list"
	apt-get "${apt_opts[@]}" -qq update
}

# Every package the programs' packages depend on, recursively: the
# libraries are among them (and more, which is only unpacked)
closure() {
	apt-cache "${apt_opts[@]}" depends --recurse --no-recommends \
		--no-suggests --no-conflicts --no-breaks --no-replaces \
		--no-enhances "${pkgs[@]}" | grep -v '^[ <]' | sort -u
}

versions() {
	apt-cache "${apt_opts[@]}" show --no-all-versions "$@" |
		sed -n 's/^Package: //p; s/^Version: //p' | paste -d= - -
}

# Unpack the closure into $dir/unpacked (once per key)
unpack() {
	local deb
	[ -f "$dir/.unpacked" ] && return 0
	say "fetching and unpacking ${#all[@]} arm64 packages into $dir"
	rm -rf "$dir"
	mkdir -p "$dir/debs" "$dir/unpacked"
	(cd "$dir/debs" && apt-get "${apt_opts[@]}" -qq download "${all[@]}")
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir/unpacked"
	done
	touch "$dir/.unpacked"
}

# A path inside the unpacked tree, links followed within it (Debian's
# /bin, /lib are merged into /usr on bookworm: the packages still ship the
# files under /usr and the links come from base-files, which we do not
# unpack, so look in both places)
locate() {
	local p=$1 c
	for c in "$p" "/usr$p" "${p#/usr}"; do
		if [ -e "$dir/unpacked$c" ] || [ -L "$dir/unpacked$c" ]; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

# The libraries an ELF file needs, found in the tree's library directories
needed() {
	local lib d
	for lib in $(readelf -d "$1" 2>/dev/null |
		     sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		for d in /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu; do
			if [ -e "$dir/unpacked$d/$lib" ]; then
				echo "$d/$lib"
				continue 2
			fi
		done
		die "no $lib (needed by ${1#"$dir/unpacked"}) in the unpacked packages"
	done
}

# The initramfs list: directories, programs, libraries, the loader, links
cpio_list() {
	local p path real todo=() seen=" " f a
	echo "dir /bin 0755 0 0"
	echo "dir /sbin 0755 0 0"
	echo "dir /usr 0755 0 0"
	echo "dir /usr/bin 0755 0 0"
	echo "dir /usr/sbin 0755 0 0"
	echo "dir /lib 0755 0 0"
	echo "dir /lib/aarch64-linux-gnu 0755 0 0"
	echo "dir /tmp 01777 0 0"
	# iperf3 reads /dev/urandom; redirections want /dev/null
	echo "dir /dev 0755 0 0"
	echo "nod /dev/null 0666 0 0 c 1 3"
	echo "nod /dev/urandom 0444 0 0 c 1 9"
	for p in "${programs[@]}"; do
		path=$(locate "$p") || die "$p is not in ${pkgs[*]}"
		echo "file $p $dir/unpacked$path 0755 0 0"
		todo+=("$dir/unpacked$path")
	done
	# Libraries, breadth first; each in /lib/aarch64-linux-gnu
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for p in $(needed "$f"); do
			case $seen in *" $p "*) continue ;; esac
			seen+="$p "
			real=$(readlink -f "$dir/unpacked$p")
			echo "file /lib/aarch64-linux-gnu/${p##*/} $real 0755 0 0"
			todo+=("$real")
		done
	done
	real=$(readlink -f "$dir/unpacked$(locate /lib/ld-linux-aarch64.so.1 ||
		echo /lib/aarch64-linux-gnu/ld-linux-aarch64.so.1)")
	[ -f "$real" ] || die "no dynamic loader in the unpacked packages"
	echo "file /lib/ld-linux-aarch64.so.1 $real 0755 0 0"
	for a in "${applets[@]}"; do
		echo "slink /bin/$a /bin/busybox 0777 0 0"
	done
	echo "slink /sbin/ip /bin/ip 0777 0 0"
}

prepare() {
	local key
	bash "$root/scripts/install-deps.sh" apt dpkg binutils >&2
	apt_setup
	mapfile -t all < <(closure)
	key=$(versions "${all[@]}" | sha256sum | cut -c1-12)
	dir=$cache/guest-arm64-$key
	unpack
	cpio_list >"$dir/initramfs.list.new"
	mv "$dir/initramfs.list.new" "$dir/initramfs.list"
}

check() {
	local out=$root/build/guest-userspace log init
	out=$root/build/guest-userspace
	log=$out/console.log
	mkdir -p "$out"
	read -ra kpkgs <<<"$(arm64_pkgs 6.12) qemu-system-arm"
	bash "$root/scripts/install-deps.sh" "${kpkgs[@]}" >&2
	arm64_kernel 6.12 >&2
	init=$out/init
	cat >"$init" <<-'EOF'
	#!/bin/sh
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	echo "guest: $(busybox | head -n1)"
	# Absolute paths: busybox's shell would take its own applets first
	echo "guest: $(/bin/ip -V)"
	echo "guest: $(/usr/sbin/ethtool --version)"
	echo "guest: $(/usr/bin/iperf3 --version | head -n1)"
	/bin/ip link set lo up
	/bin/ip addr add 127.0.0.1/8 dev lo 2>/dev/null
	/usr/bin/iperf3 -s -1 -D >/dev/null 2>&1
	sleep 1
	/usr/bin/iperf3 -c 127.0.0.1 -t 1 -f m | grep -q receiver &&
		echo "guest: iperf3 over lo: ok"
	ping -c 1 -W 2 127.0.0.1 >/dev/null && echo "guest: ping over lo: ok"
	echo "guest: done"
	poweroff -f
	EOF
	{
		cat "$dir/initramfs.list"
		initramfs_head "$init"
	} >"$out/initramfs.list"
	"$kbuild/usr/gen_init_cpio" "$out/initramfs.list" >"$out/initramfs.cpio"
	say "booting the arm64 guest with $(grep -c '^file' "$dir/initramfs.list") files"
	timeout --foreground 600 qemu-system-aarch64 -machine virt \
		-cpu max,pauth-impdef=on -smp 2 -m 1024 -nographic -no-reboot \
		-monitor none -serial stdio -nic none \
		-kernel "$kbuild/arch/arm64/boot/Image.gz" \
		-initrd "$out/initramfs.cpio" \
		-append "console=ttyAMA0 rdinit=/init panic=-1" \
		</dev/null 2>&1 | tr -d '\r' >"$log" || true
	grep '^guest: ' "$log" >&2 || true
	local c
	for c in 'BusyBox v' 'ip utility' 'ethtool version' 'iperf 3' \
		'iperf3 over lo: ok' 'ping over lo: ok' 'done'; do
		grep -q "^guest: .*$c" "$log" || die "the guest did not print '$c' (console: $log)"
	done
	say "every program ran in the guest (console: $log)"
}

prepare
case ${1:-list} in
list) cat "$dir/initramfs.list" ;;
check) check ;;
*) die "usage: $0 [list|check]" ;;
esac
