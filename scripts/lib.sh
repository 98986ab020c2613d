# SPDX-License-Identifier: GPL-2.0-only
#
# Facts about the sources and about kernel trees that several scripts need;
# sourced, with $root set to the repository.

# The release DKMS knows (dkms.conf's PACKAGE_VERSION; DRV_VERSION matches)
nicvf_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$root/dkms.conf"
}

# The module parameters nicvf_main.c declares, sorted, one per line
nicvf_params() {
	sed -nE 's/^module_param(_named)?\(([a-z0-9_]+),.*/\2/p' \
		"$root/nicvf_main.c" | sort
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
