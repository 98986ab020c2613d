#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# What `modinfo` shows of a built nicvf.ko, checked against the sources:
#   - version: dkms.conf's PACKAGE_VERSION (the module's is DRV_VERSION);
#   - every module_param() of the driver's sources (Kbuild's list), each
#     with a description, and no parameter the sources do not declare;
#   - license, description, the PCI aliases of the VF devices;
#   - vermagic: the kernel release given, if one is.
#
# usage: scripts/modinfo-check.sh nicvf.ko [kernel-release]
set -euo pipefail

prog=modinfo-check
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
ko=${1:?usage: $0 nicvf.ko [kernel-release]}
release=${2:-}
fail=0
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

bad() {
	printf '%s: %s: %s\n' "$prog" "$ko" "$*" >&2
	fail=1
}

field() {
	/sbin/modinfo -F "$1" "$ko"
}

want_version=$(nicvf_version)
[ -n "$want_version" ] || bad "no PACKAGE_VERSION in dkms.conf"
version=$(field version)
[ "$version" = "$want_version" ] ||
	bad "version '$version', dkms.conf says '$want_version'"

# Parameters: "name:description (type)" per line
declared=$(nicvf_params)
[ -n "$declared" ] || bad "no module_param() found in the driver's sources"
shown=$(field parm | cut -d: -f1 | sort)
for p in $declared; do
	desc=$(field parm | sed -n "s/^$p:\(.*\) ([a-z]*)\$/\1/p")
	if [ -z "$desc" ]; then
		bad "parameter $p has no description"
	fi
	field parmtype | grep -q "^$p:" || bad "parameter $p has no type"
done
extra=$(comm -13 <(echo "$declared") <(echo "$shown"))
[ -z "$extra" ] || bad "parameters not declared in the driver's sources: $extra"

[ "$(field license)" = GPL ] || bad "license '$(field license)'"
[ -n "$(field description)" ] || bad "no description"
for dev in 00000011 0000A034; do
	field alias | grep -qi "^pci:v0000177Dd$dev" ||
		bad "no PCI alias for device 177d:${dev#0000}"
done

vermagic=$(field vermagic)
if [ -n "$release" ] && [ "${vermagic%% *}" != "$release" ]; then
	bad "vermagic '$vermagic' is not for $release"
fi

[ $fail -eq 0 ] || exit 1
echo "$prog: $ko: version $version; parameters described: $(echo $declared); vermagic ${vermagic%% *}"
