# SPDX-License-Identifier: GPL-2.0-only
#
# Facts about the sources and about kernel trees that several scripts need;
# sourced, with $root set to the repository.

# The release DKMS knows (dkms.conf's PACKAGE_VERSION; DRV_VERSION matches)
nicvf_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$root/dkms.conf"
}

# A list of the driver's files Kbuild keeps ($1: nicvf-y, nicvf-headers),
# one per line
kbuild_list() {
	sed -n "s/^$1[[:space:]]*:=//p" "$root/Kbuild" | tr -s ' \t' '\n' |
		sed '/^$/d'
}

# The driver's sources (Kbuild's nicvf-y, each object for its .c file) and
# headers, one per line, relative to $root
nicvf_sources() {
	kbuild_list nicvf-y | sed 's/\.o$/.c/'
}

nicvf_headers() {
	kbuild_list nicvf-headers
}

# Everything a kbuild of the module and DKMS need of the tree
nicvf_files() {
	echo Kbuild
	echo Makefile
	echo dkms.conf
	nicvf_headers
	nicvf_sources
}

# The module parameters the driver's sources declare, sorted, one per line
nicvf_params() {
	(cd "$root" && nicvf_sources | xargs sed -nE \
		's/^module_param(_named)?\(([a-z0-9_]+),.*/\2/p') | sort
}

# The release a kernel tree's modules are built for (vermagic, and the
# directory under /lib/modules)
kernel_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$1/include/generated/utsrelease.h"
}

# The newest installed Debian amd64 headers of a series (6.12, 6.1); empty
# if there are none
debian_headers() {
	ls -d /usr/src/linux-headers-"$1".*-amd64 2>/dev/null | sort -V |
		tail -n1 || true
}

# The start of every guest's gen_init_cpio list: the console, the mount
# points /init uses, and /init itself ($1, a file on the host).  The
# caller adds a /dev directory line only if it lists none of its own.
initramfs_head() {
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "file /init $1 0755 0 0"
}

# The kernel command line of an IOMMU/DMA mode, for the KUnit and vm-test
# guests (virt,iommu=smmuv3): translate is the SMMUv3's default strict DMA
# domain; identity bypasses it; bounce adds forced swiotlb, with 128 MiB of
# bounce slots (65536 x 2K): arm64 otherwise sizes swiotlb at 1 MiB per GiB
# of RAM, less than one RBDR's 16 MiB of buffers (a size equal to the
# 64 MiB default is taken as no size at all)
mode_cmdline() {
	case $1 in
	translate | realpf) echo "" ;;
	identity) echo "iommu.passthrough=1" ;;
	bounce) echo "iommu.passthrough=1 swiotlb=65536,force" ;;
	*) die "unknown mode $1" ;;
	esac
}

# The modules $2... need, themselves included, as paths in the kernel
# build $1 (modinfo's depends, recursively)
module_closure() {
	local kb=$1 seen=" " m f d
	shift
	local want=("$@")
	while [ ${#want[@]} -gt 0 ]; do
		m=${want[0]}
		want=("${want[@]:1}")
		[[ $seen == *" $m "* ]] && continue
		seen+="$m "
		f=$(find "$kb/" -name "$m.ko" -print -quit)
		[ -n "$f" ] || die "no $m.ko in $kb"
		echo "$f"
		for d in $(/sbin/modinfo -F depends "$f" | tr , ' '); do
			want+=("$d")
		done
	done
}

# What a kernel report looks like in a debug kernel's log (grep -E):
# KASAN, UBSAN, lockdep, RCU, kmemleak, DMA-API debug, hung tasks, oopses
kernel_reports='WARNING:|BUG:|KASAN|UBSAN|kernel BUG|Oops|Kernel panic|'
kernel_reports+='unreferenced object|possible recursive locking|inconsistent lock state|'
kernel_reports+='circular locking dependency|suspicious RCU usage|Bad page|'
kernel_reports+='DMA-API: .*disabling|INFO: task .* blocked'
