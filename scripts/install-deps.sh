#!/bin/bash
# Install the Debian packages named on the command line that are missing.
#
# usage: scripts/install-deps.sh pkg...
#
# Quiet (one line) when everything is installed.  As root, missing packages
# are installed with apt-get; otherwise the apt-get command line to run is
# printed and the script fails.
set -euo pipefail

prog=${0##*/}

if [ "$#" -eq 0 ]; then
	echo "usage: $prog pkg..." >&2
	exit 2
fi

missing=()
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null || true)
	if ! grep -qx 'install ok installed' <<<"$status"; then
		missing+=("$pkg")
	fi
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "$prog: all $# packages installed"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "$prog: missing packages: ${missing[*]}" >&2
	echo "$prog: install them with:" >&2
	echo "sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

echo "$prog: installing ${missing[*]}"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"

still=()
for pkg in "${missing[@]}"; do
	status=$(dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null || true)
	grep -qx 'install ok installed' <<<"$status" || still+=("$pkg")
done
if [ "${#still[@]}" -ne 0 ]; then
	echo "$prog: still not installed: ${still[*]}" >&2
	exit 1
fi
