# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The arm64 kernel trees the KUnit guest boots and the module matrix builds
# against: Debian's linux-source-<series> with kunit/kernel.config (and
# kunit/kernel-<series>.config if there is one), built once and cached under
# $NICVF_CACHE (default ~/.cache/nicvf), keyed by the source package
# version, the configuration fragments and the cross compiler.
#
# Sourced, with $root set to the repository and say/die defined.
#   arm64_pkgs SERIES     the Debian packages a build needs
#   arm64_source SERIES   extract the source (cached); sets $srcdir
#   arm64_kernel SERIES   the built tree (built if not cached); sets
#                         $srcdir, $kbuild and $src_ver
#   kmake ARGS            make in the tree arm64_kernel set, for arm64
# Environment: NICVF_CACHE, KUNIT_JOBS (default: nproc).
# With arm64_flavour=bench set before these calls, the kernel is the
# benchmark's: kunit/kernel.config without its debug options (everything
# from its "Debug options" line on), plus kunit/kernel-bench.config, in a
# tree of its own (kernel-arm64-<version>-bench-<key>).

cache=${NICVF_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/nicvf}
cross=aarch64-linux-gnu-
jobs=${KUNIT_JOBS:-$(nproc)}

arm64_pkgs() {
	echo make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
		"linux-source-$1" bc flex bison libssl-dev libelf-dev \
		python3 xz-utils gzip coreutils sparse
}

# The fragments, the key and the directories of a series
arm64_key() {
	local ver cc
	fragments=("$root/kunit/kernel.config")
	if [ "${arm64_flavour:-}" = bench ]; then
		mkdir -p "$cache"
		sed '/^# --- Debug options/,$d' "$root/kunit/kernel.config" \
			>"$cache/kernel-bench-base.config"
		fragments=("$cache/kernel-bench-base.config"
			   "$root/kunit/kernel-bench.config")
	elif [ -f "$root/kunit/kernel-$1.config" ]; then
		fragments+=("$root/kunit/kernel-$1.config")
	fi
	tarball=/usr/src/linux-source-$1.tar.xz
	series=$1
	ver=$(dpkg-query -W -f='${Version}' "linux-source-$1")
	cc=$("${cross}gcc" --version | head -n1)
	src_ver=${ver%%-*}
	key=$({ echo "$ver"; echo "$cc"; cat "${fragments[@]}"; } |
	      sha256sum | cut -c1-12)
	srcdir=$cache/linux-source-$ver
	kbuild=$cache/kernel-arm64-$src_ver-${arm64_flavour:+$arm64_flavour-}$key
}

arm64_source() {
	arm64_key "$1"
	mkdir -p "$cache"
	[ -f "$srcdir/.nicvf-extracted" ] && return 0
	say "extracting $tarball into $srcdir"
	[ -f "$tarball" ] || die "$tarball missing (package linux-source-$1)"
	local tmp=$srcdir.tmp.$$
	rm -rf "$tmp" "$srcdir"
	mkdir -p "$tmp"
	tar -xf "$tarball" -C "$tmp"
	mv "$tmp/linux-source-$1" "$srcdir"
	rmdir "$tmp"
	touch "$srcdir/.nicvf-extracted"
}

kmake() {
	make -C "$srcdir" O="$kbuild" ARCH=arm64 CROSS_COMPILE="$cross" "$@"
}

# Every option the fragments name must have the value they asked for
arm64_check_config() {
	local line sym val bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) ;;
		*) continue ;;
		esac
		sym=${line%%=*}
		val=${line#*=}
		if [ "$val" = n ]; then
			if grep -q "^$sym=" "$kbuild/.config"; then
				echo "  $sym: asked for n, got $(grep "^$sym=" "$kbuild/.config")" >&2
				bad=1
			fi
		elif ! grep -qx "$sym=$val" "$kbuild/.config"; then
			echo "  $sym: asked for $val, got: $(grep -E "^$sym=|^# $sym is not set" "$kbuild/.config" || echo absent)" >&2
			bad=1
		fi
	done < <(cat "${fragments[@]}")
	[ $bad -eq 0 ] || die "kernel configuration lost options of ${fragments[*]} (see above)"
}

# Objects a build compiles: what the last build of the series compiled, or
# what these configurations compiled when this was written
arm64_expected_objects() {
	local last=$cache/kernel-arm64-$1${arm64_flavour:+-$arm64_flavour}.objects
	if [ -s "$last" ]; then
		cat "$last"
	else
		case $1 in
		6.1) echo 1091 ;;
		*) echo 1144 ;;
		esac
	fi
}

# Once a minute while a kernel builds: objects compiled of how many
arm64_progress() {
	local log=$1 want=$2 start=$SECONDS n s=
	# Killed when the build ends: its sleep goes too, or it would hold
	# the output open for up to a minute
	trap 'kill $s 2>/dev/null; exit 0' TERM
	while :; do
		sleep 60 &
		s=$!
		wait "$s"
		n=$(grep -cE '^ +(CC|AS) ' "$log" 2>/dev/null || true)
		say "kernel $series: ${n:-0} of about $want objects compiled, $(((SECONDS - start) / 60)) min"
	done
}

arm64_kernel() {
	local want pid status=0
	arm64_source "$1"
	if [ -f "$kbuild/.nicvf-built" ]; then
		say "kernel $1: cached in $kbuild"
		return 0
	fi
	want=$(arm64_expected_objects "$1")
	say "kernel $1: building $src_ver for arm64 in $kbuild ($jobs jobs, about $want objects; 20-40 min on 2 cores)"
	mkdir -p "$kbuild"
	# A build that was interrupted resumes; olddefconfig runs every time
	# (it is idempotent), so .config is never the bare fragment here
	[ -f "$kbuild/.config" ] || cat "${fragments[@]}" >"$kbuild/.config"
	kmake olddefconfig >/dev/null
	arm64_check_config
	: >"$kbuild/build.log"
	arm64_progress "$kbuild/build.log" "$want" &
	pid=$!
	kmake -j"$jobs" Image.gz modules >"$kbuild/build.log" 2>&1 || status=$?
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if [ $status -ne 0 ]; then
		tail -n 40 "$kbuild/build.log" >&2
		die "kernel build failed (log: $kbuild/build.log)"
	fi
	grep -cE '^ +(CC|AS) ' "$kbuild/build.log" \
		>"$cache/kernel-arm64-$1${arm64_flavour:+-$arm64_flavour}.objects" || true
	touch "$kbuild/.nicvf-built"
}
