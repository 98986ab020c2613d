#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make module-check`: build nicvf.ko with W=1 and sparse (C=1) against every
# kernel of the build matrix and fail on any warning:
#
#   amd64-6.12  Debian's linux-headers-6.12-amd64
#   amd64-6.1   Debian's linux-headers-amd64 (bookworm's 6.1)
#   arm64-6.12  the arm64 tree of `make kunit` (linux-source-6.12)
#   arm64-6.1   the same configuration built from linux-source-6.1
#
# The arm64 trees are built once and cached by scripts/arm64-kernel.sh
# (under $NICVF_CACHE, keyed by source version, configuration and compiler).
# Each build starts from a fresh copy of the driver in build/matrix/<name>,
# so nothing is reused between kernels.  For each module it also checks:
#   - which compat fallbacks (nicvf_compat.h) Kbuild chose: none on 6.12
#     (the driver's own kernel), and over the whole matrix every fallback
#     the header has, so each is compiled with W=1 and sparse somewhere;
#   - modinfo (scripts/modinfo-check.sh), vermagic included.
# Then `make install` into a staging root, with a stand-in in-tree nicvf.ko,
# to see that modprobe would pick ours from updates/; and checkpatch.pl
# --strict, from the kernel's own tree, on every driver and KUnit file.
#
# Environment: NICVF_CACHE, MATRIX (names to build; default all four).
set -euo pipefail
# Run from make (make -j check): our kbuild runs are not its sub-makes, and
# an inherited jobserver makes them print a warning the log checks catch
unset MAKEFLAGS MFLAGS MAKELEVEL

prog=module-matrix
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
out=$root/build/matrix
matrix=${MATRIX:-amd64-6.12 amd64-6.1 arm64-6.12 arm64-6.1}
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
# shellcheck source=scripts/arm64-kernel.sh
. "$root/scripts/arm64-kernel.sh"

# Every fallback nicvf_compat.h has
compat_all=$(grep -oh 'NICVF_COMPAT_NO_[A-Z0-9_]*' "$root/nicvf_compat.h" |
	     sed 's/NICVF_COMPAT_NO_//' | sort -u | xargs)

# The files checkpatch must pass: the module's (as Kbuild lists them) and
# the KUnit module
mapfile -t style_files < <(nicvf_headers; nicvf_sources)
style_files+=(kunit/nicvf_kunit.c kunit/nicvf_kunit_dev.c kunit/nicvf_kunit_dev.h
	     kunit/vnic_hw.h)

say() { printf '%s: %s\n' "$prog" "$*"; }
die() { printf '%s: FAILED: %s\n' "$prog" "$*" >&2; exit 1; }

# The kbuild arguments for a matrix entry: -C <tree> ARCH=... CROSS_COMPILE=...
kbuild_args() {
	local tree
	case $1 in
	amd64-*)
		tree=$(debian_headers "${1#amd64-}")
		[ -n "$tree" ] && [ -f "$tree/Makefile" ] ||
			die "no /usr/src/linux-headers-${1#amd64-}.*-amd64 (make deps installs them)"
		echo "-C $tree ARCH=x86 CROSS_COMPILE="
		;;
	arm64-*)
		# arm64_kernel ran for it in main(): only the key is needed
		arm64_key "${1#arm64-}"
		[ -f "$kbuild/.nicvf-built" ] || die "no arm64 tree for $1"
		echo "-C $kbuild ARCH=arm64 CROSS_COMPILE=$cross"
		;;
	*) die "unknown matrix entry $1" ;;
	esac
}

# Build one entry; print its line of the summary table into $out/summary
build_one() {
	local name=$1 dir=$out/$1 log=$out/$1.log args tree release start
	local got status=0 secs
	args=$(kbuild_args "$name")
	tree=$(set -- $args; echo "$2")
	release=$(kernel_release "$tree")
	rm -rf "$dir"
	mkdir -p "$dir"
	# Only what Kbuild lists: a file missing from the list fails the build
	(cd "$root" && nicvf_files | xargs cp -t "$dir/")
	say "== $name: $release ($tree)"
	start=$(date +%s.%N)
	# shellcheck disable=SC2086
	make $args M="$dir" W=1 C=1 -j"$(nproc)" modules >"$log" 2>&1 ||
		status=$?
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	cat "$log"
	[ $status -eq 0 ] || die "$name: build exited with status $status (log: $log)"
	if grep -Eiq 'warning:|error:' "$log"; then
		grep -Ei 'warning:|error:' "$log" >&2
		die "$name: warnings (log: $log)"
	fi
	grep -Eq '^ *CHECK ' "$log" || die "$name: sparse did not run (log: $log)"

	got=$({ grep -oh 'NICVF_COMPAT_NO_[A-Z0-9_]*' "$dir"/.nicvf_*.o.cmd ||
		true; } | sed 's/NICVF_COMPAT_NO_//' | sort -u | xargs)
	case $release in
	6.12.*)
		[ -z "$got" ] ||
			die "$name: compat fallbacks '$got' chosen for $release, the kernel the driver is written for"
		;;
	esac
	echo "$got" >>"$out/fallbacks"

	bash "$root/scripts/modinfo-check.sh" "$dir/nicvf.ko" "$release"
	printf '%-11s %-22s %6.1f s  fallbacks: %s\n' "$name" "$release" \
		"$secs" "${got:-none}" >>"$out/summary"
}

# make install into a staging root holding a stand-in for the in-tree
# nicvf.ko: ours must land in updates/, depmod must index it, and modprobe
# must resolve "nicvf" to it
install_check() {
	local name=amd64-6.12 dir=$out/amd64-6.12 stage=$out/install-root
	local args tree release intree shown
	args=$(kbuild_args "$name")
	tree=$(set -- $args; echo "$2")
	release=$(kernel_release "$tree")
	rm -rf "$stage"
	intree=$stage/lib/modules/$release/kernel/drivers/net/ethernet/cavium/thunder
	mkdir -p "$intree"
	cp "$dir/nicvf.ko" "$intree/nicvf.ko"
	# what an installed kernel has beside its modules
	touch "$stage/lib/modules/$release/modules.order" \
	      "$stage/lib/modules/$release/modules.builtin" \
	      "$stage/lib/modules/$release/modules.builtin.modinfo"
	say "== make install into $stage ($release)"
	# shellcheck disable=SC2086
	make -C "$dir" KDIR="$tree" INSTALL_MOD_PATH="$stage" \
		$(set -- $args; echo "$3 $4") install >"$out/install.log" 2>&1 || {
		cat "$out/install.log" >&2
		die "make install failed (log: $out/install.log)"
	}
	if grep -Ei 'error' "$out/install.log"; then
		die "make install reported errors (log: $out/install.log)"
	fi
	ls "$stage/lib/modules/$release/updates/"nicvf.ko* >/dev/null 2>&1 ||
		die "make install: no nicvf.ko under $stage/lib/modules/$release/updates"
	grep -q '^updates/nicvf\.ko[^:]*:' "$stage/lib/modules/$release/modules.dep" ||
		die "make install: depmod did not index updates/nicvf.ko"
	shown=$(/sbin/modprobe -d "$stage" -S "$release" --show-depends nicvf)
	case $shown in
	*"/updates/nicvf.ko"*) ;;
	*) die "modprobe would load '$shown', not the one in updates/" ;;
	esac
	say "make install: $shown"
}

checkpatch() {
	local cp
	arm64_source 6.12
	cp=$srcdir/scripts/checkpatch.pl
	[ -f "$cp" ] || die "no checkpatch.pl at $cp"
	say "== checkpatch --strict: ${style_files[*]}"
	(cd "$root" && perl "$cp" --strict --no-tree --quiet -f "${style_files[@]}") ||
		die "checkpatch found problems"
	say "checkpatch: ${#style_files[@]} files clean"
}

main() {
	local name missing start=$SECONDS
	mkdir -p "$out"
	: >"$out/summary"
	: >"$out/fallbacks"
	# The arm64 trees first (built once, then cached), each step timed
	for name in $matrix; do
		case $name in
		arm64-*)
			read -ra pkgs <<<"$(arm64_pkgs "${name#arm64-}")"
			bash "$root/scripts/install-deps.sh" "${pkgs[@]}"
			arm64_kernel "${name#arm64-}"
			;;
		esac
	done
	for name in $matrix; do
		build_one "$name"
	done
	if [ -z "${MATRIX:-}" ]; then
		missing=$(comm -23 <(echo "$compat_all" | tr ' ' '\n') \
			<(tr ' ' '\n' <"$out/fallbacks" | sort -u) | xargs)
		[ -z "$missing" ] ||
			die "no kernel of the matrix compiled the fallbacks for: $missing"
	fi
	case " $matrix " in
	*" amd64-6.12 "*) install_check ;;
	*) say "make install: not checked (it uses amd64-6.12, not in MATRIX)" ;;
	esac
	checkpatch
	say "build matrix (W=1 C=1, no warnings):"
	cat "$out/summary"
	say "total: $((SECONDS - start)) s"
}

main "$@"
