#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make dkms-check`: DKMS for real, as the README tells users to use it, for
# kernels whose Debian headers are installed (the running kernel here has
# none, so every step names its kernel):
#
#   1. make dkms-install KVER=<6.12>, with an older nicvf registered (a
#      copy of the sources as version 0.0.1, added only): the older one is
#      removed, the sources go to /usr/src/nicvf-<v>, then dkms add, build
#      and install.  The module must be installed for
#      that kernel under updates/dkms, be what modprobe resolves "nicvf" to,
#      and pass scripts/modinfo-check.sh.
#   2. A kernel installed later: run the hook Debian's headers packages run
#      on installation (/etc/kernel/header_postinst.d/dkms) for 6.1; DKMS
#      must build and install nicvf for it (AUTOINSTALL in dkms.conf).
#   3. make dkms-remove: nothing of nicvf may be left, in DKMS's tree, in
#      /usr/src or under either kernel's modules.
#
# Needs root (DKMS_CHECK=skip to skip it, said as such).  It refuses to run
# if nicvf is registered with DKMS already (an installation of someone's),
# and removes what it added however it ends.
set -euo pipefail

prog=dkms-check
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
version=$(nicvf_version)
hook=/etc/kernel/header_postinst.d/dkms
# An older release, registered before make dkms-install
old=0.0.1
added=0

say() { printf '%s: %s\n' "$prog" "$*"; }
die() { printf '%s: FAILED: %s\n' "$prog" "$*" >&2; exit 1; }

# Run a command, echoed, with its wall time reported
timed() {
	local start
	start=$(date +%s.%N)
	echo "+ $*"
	"$@"
	say "$(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s: $*"
}

# The release of the newest installed Debian headers of a series
debian_release() {
	local dir
	dir=$(debian_headers "$1")
	[ -n "$dir" ] || die "no /usr/src/linux-headers-$1.*-amd64 (make deps installs them)"
	kernel_release "$dir"
}

# nicvf/<version> is built and installed for kernel $1, under updates/dkms,
# and it is what modprobe would load
installed_for() {
	local k=$1 status ko shown
	status=$(dkms status -m nicvf -v "$version" -k "$k")
	echo "  dkms status: $status"
	case $status in
	*": installed"*) ;;
	*) die "dkms status does not say installed for $k: '$status'" ;;
	esac
	ko=$(ls /lib/modules/"$k"/updates/dkms/nicvf.ko* 2>/dev/null | head -n1 ||
	     true)
	[ -n "$ko" ] || die "no nicvf.ko under /lib/modules/$k/updates/dkms"
	shown=$(/sbin/modprobe -S "$k" --show-depends nicvf)
	echo "  modprobe -S $k --show-depends nicvf: $shown"
	case $shown in
	*"$ko"*) ;;
	*) die "modprobe for $k resolves nicvf to '$shown', not $ko" ;;
	esac
	bash "$root/scripts/modinfo-check.sh" "$ko" "$k"
}

# Nothing of nicvf left for kernel $1
gone_for() {
	local k=$1
	if ls /lib/modules/"$k"/updates/dkms/nicvf.ko* >/dev/null 2>&1; then
		die "nicvf.ko still under /lib/modules/$k/updates/dkms"
	fi
	if grep -q 'nicvf\.ko' /lib/modules/"$k"/modules.dep 2>/dev/null; then
		die "modules.dep of $k still lists nicvf"
	fi
}

cleanup() {
	# Whatever became of stdout (a reader gone), clean up regardless
	trap '' PIPE
	if [ $added -eq 1 ]; then
		say "cleaning up" || true
		dkms remove "nicvf/$version" --all >/dev/null 2>&1 || true
		dkms remove "nicvf/$old" --all >/dev/null 2>&1 || true
		rm -rf "/usr/src/nicvf-$version" "/usr/src/nicvf-$old"
	fi
}

main() {
	local k612 k61 start=$SECONDS
	[ -n "$version" ] || die "no PACKAGE_VERSION in dkms.conf"
	if [ "${DKMS_CHECK:-}" = skip ]; then
		say "SKIPPED (DKMS_CHECK=skip): DKMS was not tested"
		exit 0
	fi
	[ "$(id -u)" -eq 0 ] ||
		die "dkms installs into /lib/modules and /var/lib/dkms: run as root (or DKMS_CHECK=skip)"
	command -v dkms >/dev/null || die "dkms is not installed (make deps)"
	if [ -n "$(dkms status -m nicvf)" ]; then
		dkms status -m nicvf >&2
		die "nicvf is registered with DKMS already; remove it first (make dkms-remove)"
	fi
	k612=$(debian_release 6.12)
	k61=$(debian_release 6.1)
	trap cleanup EXIT
	added=1

	say "== 1. make dkms-install for $k612, with nicvf/$old registered"
	mkdir -p "/usr/src/nicvf-$old"
	(cd "$root" && nicvf_files | grep -vx dkms.conf |
		xargs cp -t "/usr/src/nicvf-$old/")
	sed "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$old\"/" "$root/dkms.conf" \
		>"/usr/src/nicvf-$old/dkms.conf"
	dkms add "nicvf/$old" >/dev/null
	timed make -s -C "$root" dkms-install KVER="$k612"
	if dkms status -m nicvf -v "$old" | grep -q .; then
		die "make dkms-install left nicvf/$old registered"
	fi
	installed_for "$k612"

	say "== 2. a kernel installed later: $hook $k61"
	[ -x "$hook" ] || die "no $hook (dkms package)"
	timed "$hook" "$k61"
	installed_for "$k61"
	installed_for "$k612"

	say "== 3. make dkms-remove"
	timed make -s -C "$root" dkms-remove
	[ -z "$(dkms status -m nicvf)" ] || die "dkms still knows nicvf: $(dkms status -m nicvf)"
	[ ! -e "/usr/src/nicvf-$version" ] || die "/usr/src/nicvf-$version is still there"
	[ ! -e "/usr/src/nicvf-$old" ] || die "/usr/src/nicvf-$old is still there"
	[ ! -e "/var/lib/dkms/nicvf" ] || die "/var/lib/dkms/nicvf is still there"
	gone_for "$k612"
	gone_for "$k61"
	added=0
	say "nicvf/$version: installed for $k612, rebuilt for $k61 by the kernel hook, removed from both ($((SECONDS - start)) s)"
}

main "$@"
