#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make dkms-install` and `make dkms-remove`:
#
#   scripts/dkms.sh install KVER FILE...
#       Remove every nicvf registered with DKMS (this version or another)
#       with its sources, so only one is built for each kernel; copy FILE...
#       (the tree's module sources) to /usr/src/nicvf-<version>; dkms add,
#       build and install for kernel KVER.  DKMS rebuilds it for every
#       kernel installed later (AUTOINSTALL in dkms.conf).
#   scripts/dkms.sh remove
#       Remove every registered version from every kernel, and its sources.
#
# Runs from the source tree (the version is dkms.conf's).
set -euo pipefail

prog=dkms
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

say() { printf '%s: %s\n' "$prog" "$*"; }
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
run() { echo "$*"; "$@"; }

# The versions of nicvf DKMS has registered, whatever this tree's is
registered() {
	dkms status -m nicvf 2>/dev/null |
		sed -n 's|^nicvf/\([^,:]*\)[,:].*|\1|p' | sort -u
}

remove_all() {
	local v
	for v in $(registered); do
		run dkms remove "nicvf/$v" --all
		run rm -rf "/usr/src/nicvf-$v"
	done
}

install() {
	local kver=$1 version v
	shift
	version=$(nicvf_version)
	[ -n "$version" ] || die "install: no PACKAGE_VERSION in dkms.conf"
	[ "$root" != "/usr/src/nicvf-$version" ] ||
		die "install: run it from the source tree, not from /usr/src/nicvf-$version, which it replaces (or use the dkms commands there)"
	for v in $(registered); do
		say "install: nicvf/$v is registered: removing it first"
	done
	remove_all
	run rm -rf "/usr/src/nicvf-$version"
	run mkdir -p "/usr/src/nicvf-$version"
	(cd "$root" && run cp "$@" "/usr/src/nicvf-$version/")
	run dkms add "nicvf/$version"
	run dkms build "nicvf/$version" -k "$kver"
	run dkms install "nicvf/$version" -k "$kver"
}

case ${1:-} in
install)
	[ $# -ge 3 ] || die "usage: $0 install KVER FILE..."
	shift
	install "$@"
	;;
remove)
	[ -n "$(registered)" ] || say "remove: no nicvf registered with DKMS"
	remove_all
	;;
*) die "usage: $0 install KVER FILE... | remove" ;;
esac
