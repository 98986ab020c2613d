# SPDX-License-Identifier: GPL-2.0-only
#
# Out-of-tree build of nicvf.ko (the objects are listed in Kbuild) and the
# developer entry points:
#
#   make                 build nicvf.ko against $(KDIR)
#   make install         install it under /lib/modules/<release>/updates
#                        (ahead of an in-tree nicvf), then depmod
#   make dkms-install    register the sources with DKMS (/usr/src/nicvf-<v>),
#                        build and install for $(KVER); DKMS rebuilds it for
#                        every kernel installed later
#   make dkms-remove     remove it from DKMS for every kernel, and the sources
#   make clean           kbuild clean, remove build/
#   make deps            install the Debian packages `make check` needs
#   make harness-test    build and run the host harness, 4K and 64K pages
#   make module-check    build nicvf.ko with W=1 and sparse against each
#                        kernel of the build matrix (Debian's 6.12 and 6.1
#                        amd64 headers, arm64 6.12 and 6.1 trees), check its
#                        modinfo, make install into a staging root, and
#                        checkpatch --strict every driver file; fail on any
#                        warning (scripts/module-matrix.sh)
#   make dkms-check      dkms add/build/install/remove for real, for kernels
#                        whose Debian headers are installed (as root;
#                        scripts/dkms-check.sh)
#   make kunit           KUnit tests in arm64 qemu guests (6.12 and 6.1) with
#                        64K pages and an SMMUv3, in three IOMMU/DMA modes (kernels
#                        cached under ~/.cache/nicvf; see scripts/kunit.sh)
#   make check           deps, harness-test, module-check, dkms-check,
#                        bench-smoke, fuzz-check, kunit, guest-check,
#                        qemu-smoke, vm-test, bench-vm-smoke, pf-test
#   make guest-check     the arm64 guests' userspace (busybox, ip, ethtool,
#                        iperf3 from Debian) runs in the guest
#   make qemu-smoke      QEMU with our thunderx-vnic device: it enumerates
#                        in the guest and nicvf.ko probes it
#   make vm-test         nicvf in arm64 guests (6.12, 6.1) on three QEMU
#                        VNICs: ping, iperf3, ethtool, down/up, rmmod and
#                        unbind under traffic, in translate, identity and
#                        bounce modes (scripts/vm-test.sh)
#   make pf-test         the vendor's nicpf and thunder_bgx on our emulated
#                        PF and BGX, answering our nicvf on the VFs
#                        (scripts/pf-test.sh)
#   make vm-shell        boot the arm64 6.12 guest with two VNICs and nicvf
#                        loaded, into a shell on this terminal
#   make fuzz            libFuzzer targets (clang), FUZZ_TIME seconds each,
#                        in the IOMMU mode(s) NICVF_FUZZ_IOMMU names
#                        (default translating)
#   make fuzz-check      fuzz_rx for FUZZ_RUNS inputs and fuzz_tx for
#                        FUZZ_TX_RUNS, in each IOMMU mode: none, identity,
#                        translating (make check)
#   make fuzz-coverage   the driver's lines the fuzz corpora reach
#   make bench           packet-rate benchmarks (ours vs the upstream receive
#                        algorithm): table, build/bench/results.json, bench.png
#   make bench-callgrind instructions per packet, 64-byte frames, identity
#   make bench-vm        ours against the in-tree nicvf in an arm64 guest on
#                        the QEMU device: guest instructions, DMA/IOMMU
#                        calls and IOTLB invalidations per packet
#                        (scripts/bench-vm.sh); make bench runs it too
#                        once it is built
#
# ARCH, CROSS_COMPILE and other kbuild variables given on the command line
# reach kbuild unchanged, e.g.
#   make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- KDIR=/path/to/build

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
# The release of the kernel in $(KDIR), which is where make install puts
# the module (not necessarily the running kernel's)
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)

# Kernels configured to sign every module they install (Debian's are) name
# a key their headers packages do not ship: sign only if the key is there
SIG_KEY = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$$/\1/p' \
	$(KDIR)/.config 2>/dev/null)
NO_SIGN = $(if $(SIG_KEY),$(if $(or $(filter pkcs11:%,$(SIG_KEY)),$(wildcard \
	$(SIG_KEY) $(KDIR)/$(SIG_KEY))),,CONFIG_MODULE_SIG_ALL=))

# Not on a user's PATH on Debian
DEPMOD ?= /sbin/depmod

# The driver's files, as Kbuild lists them: its sources (nicvf-y, each
# object for its .c file) and headers (nicvf-headers)
kbuild_list = $(strip $(shell sed -n 's/^$(1)[[:space:]]*:=//p' Kbuild))
NICVF_SOURCES = $(patsubst %.o,%.c,$(call kbuild_list,nicvf-y))
NICVF_HEADERS = $(call kbuild_list,nicvf-headers)
# What DKMS and make install need of the tree
DRIVER_FILES = dkms.conf Kbuild Makefile $(NICVF_HEADERS) $(NICVF_SOURCES)

# Packages `make check` needs on Debian 12: the harness, sparse, and the
# headers of the amd64 kernels of the build matrix (linux-headers-amd64 is
# bookworm's 6.1); scripts/kunit.sh installs what the arm64 trees need
CHECK_PKGS := build-essential cmake g++ make libgtest-dev googletest sparse \
	bc flex bison libelf-dev libssl-dev kmod dkms \
	linux-headers-6.12-amd64 linux-headers-amd64

HARNESS_PAGE_SHIFTS ?= 12 16
HARNESS_JOBS ?= 2
CMAKE ?= cmake
CTEST ?= ctest

BUILD_DIR := build

# Packages the fuzz targets need on Debian 12 (clang and its libFuzzer)
FUZZ_PKGS := build-essential cmake make clang libclang-rt-14-dev python3
FUZZ_DIR := $(BUILD_DIR)/fuzz
FUZZ_TIME ?= 60
# Inputs per IOMMU mode: three modes of 60000 take about a fifth longer
# than the 200000 in one mode that fuzz-check ran before it ran them all
FUZZ_RUNS ?= 60000
# fuzz_tx's inputs (a packet each record, sent and completed) cost about
# ten times fuzz_rx's: 10000 per mode take about 45 s
FUZZ_TX_RUNS ?= 10000

# Packages `make bench` needs on Debian 12
BENCH_PKGS := build-essential cmake g++ make libbenchmark-dev gnuplot-nox \
	python3
BENCH_DIR := $(BUILD_DIR)/bench
# Extra arguments for nicvf_bench, e.g. BENCH_ARGS=--benchmark_filter=1q/64/
BENCH_ARGS ?=
BENCH_MIN_TIME ?= 0.15
BENCH_REPS ?= 3
# What make bench-vm takes to build from nothing, measured (said by make
# bench when it is not built)
BENCH_VM_BUILD := about 20 minutes

.DEFAULT_GOAL := modules
.PHONY: modules install dkms-install dkms-remove clean deps harness-test \
	module-check dkms-check kunit guest-check qemu-smoke vm-test vm-shell pf-test check bench \
	bench-build bench-smoke bench-callgrind bench-vm bench-vm-smoke fuzz fuzz-build fuzz-check \
	fuzz-coverage

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# INSTALL_MOD_PATH (a staging root) reaches kbuild and depmod alike
install: modules
	@if [ -z "$(KRELEASE)" ]; then \
		echo "install: no kernel release in $(KDIR)/include/generated/utsrelease.h" >&2; \
		exit 1; \
	fi
	$(if $(NO_SIGN),@echo "install: not signing nicvf.ko: no $(SIG_KEY) in $(KDIR)")
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates $(NO_SIGN) modules_install
	$(DEPMOD) $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KRELEASE)

# DKMS (scripts/dkms.sh): any nicvf registered before, this version or an
# older one, is removed first with its sources, so that only one is built
# for each kernel
dkms-install:
	@bash scripts/dkms.sh install $(KVER) $(DRIVER_FILES)

# Every registered version, and their sources
dkms-remove:
	@bash scripts/dkms.sh remove

clean:
ifneq ($(wildcard $(KDIR)/Makefile),)
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
else
	@echo "clean: no kernel build tree at $(KDIR); removing kbuild output by name"
	rm -f *.o *.ko *.mod *.mod.c .*.cmd modules.order Module.symvers .module-common.o
	rm -rf .tmp_versions
endif
	rm -rf $(BUILD_DIR)

deps:
	@bash scripts/install-deps.sh $(CHECK_PKGS)

# The harness is its own CMake project: keep this make's flags (-j, -k,
# jobserver, command-line variables) out of the make that CMake runs.
HARNESS_ENV := env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL

harness-test: deps
	@set -e; for ps in $(HARNESS_PAGE_SHIFTS); do \
		case $$ps in 12) n=4k ;; 16) n=64k ;; *) n=ps$$ps ;; esac; \
		dir=$(BUILD_DIR)/harness-$$n; \
		echo "== harness: PAGE_SHIFT=$$ps in $$dir"; \
		set -x; \
		$(HARNESS_ENV) $(CMAKE) -S harness -B $$dir \
			-DNICVF_PAGE_SHIFT=$$ps -DCMAKE_BUILD_TYPE=Debug; \
		$(HARNESS_ENV) $(CMAKE) --build $$dir -j$(HARNESS_JOBS); \
		$(HARNESS_ENV) $(CTEST) --test-dir $$dir --output-on-failure --no-tests=error -j$(HARNESS_JOBS); \
		{ set +x; } 2>/dev/null; \
	done

# The build matrix (scripts/module-matrix.sh): W=1 and sparse against each
# kernel, modinfo, make install into a staging root, checkpatch --strict.
# The arm64 trees are built and cached by scripts/kunit.sh.
module-check: deps
	@bash scripts/module-matrix.sh

# DKMS for real, for the kernels whose Debian headers are installed (root)
dkms-check: deps
	@bash scripts/dkms-check.sh

# Installs what it needs itself (cross compiler, qemu, kernel source).
# Both series the driver is written for: 6.12 and 6.1 (KUNIT_SERIES=6.12
# runs one)
KUNIT_SERIES ?= 6.12 6.1
kunit:
	@set -e; for k in $(KUNIT_SERIES); do \
		KUNIT_KERNEL=$$k bash scripts/kunit.sh; \
	done

# The guests' userspace (busybox, ip, ethtool, iperf3 from Debian's arm64
# packages, scripts/guest-userspace.sh): each program runs in the guest
guest-check:
	@bash scripts/guest-userspace.sh check

# Debian's QEMU 7.2 with our thunderx-vnic device (scripts/qemu.sh, cached):
# the device enumerates in the arm64 guest as the hardware does, and
# nicvf.ko probes it and registers an interface
qemu-smoke:
	@bash scripts/qemu.sh smoke

# The driver in a real arm64 kernel on the QEMU device, with real tools:
# a table of steps by kernel and IOMMU mode (scripts/vm-test.sh; its
# console logs in build/vm-test)
vm-test:
	@bash scripts/vm-test.sh

vm-shell:
	@bash scripts/vm-test.sh shell

pf-test:
	@bash scripts/pf-test.sh

# The steps of `make check`, in order: scripts/check.sh runs them one
# after the other (even under -j), stops at the first failure and prints a
# table of the steps and their times
CHECK_STEPS := deps harness-test module-check dkms-check bench-smoke \
	fuzz-check kunit guest-check qemu-smoke vm-test bench-vm-smoke pf-test

check:
	@MAKE="$(MAKE)" bash scripts/check.sh $(CHECK_STEPS)

# libFuzzer targets: the driver's receive path with the fuzzer as the
# device (harness/fuzz), built with clang, ASan and UBSan, 64K pages.
fuzz-build:
	@bash scripts/install-deps.sh $(FUZZ_PKGS)
	$(HARNESS_ENV) $(CMAKE) -S harness -B $(FUZZ_DIR) -DNICVF_FUZZ=ON \
		-DNICVF_PAGE_SHIFT=16 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
	$(HARNESS_ENV) $(CMAKE) --build $(FUZZ_DIR) -j$(HARNESS_JOBS)

fuzz: fuzz-build
	FUZZ_DIR=$(FUZZ_DIR) bash scripts/fuzz.sh time $(FUZZ_TIME)

fuzz-check: fuzz-build
	FUZZ_DIR=$(FUZZ_DIR) bash scripts/fuzz.sh runs $(FUZZ_RUNS) $(FUZZ_TX_RUNS)

# Packet-rate benchmarks: ours vs the upstream algorithm on the simulated
# VNIC; prints a table, writes $(BENCH_DIR)/results.json and bench.png.
bench-build:
	@bash scripts/install-deps.sh $(BENCH_PKGS)
	$(HARNESS_ENV) $(CMAKE) -S bench -B $(BENCH_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	$(HARNESS_ENV) $(CMAKE) --build $(BENCH_DIR) -j$(HARNESS_JOBS)

bench: bench-build
	$(BENCH_DIR)/nicvf_bench --benchmark_min_time=$(BENCH_MIN_TIME) \
		--benchmark_repetitions=$(BENCH_REPS) \
		--benchmark_report_aggregates_only=true \
		--benchmark_out=$(BENCH_DIR)/results.json \
		--benchmark_out_format=json $(BENCH_ARGS) > $(BENCH_DIR)/console.txt
	python3 scripts/bench-report.py $(BENCH_DIR)/results.json $(BENCH_DIR)
	@if bash scripts/bench-vm.sh ready; then \
		echo; bash scripts/bench-vm.sh; \
	else \
		echo; echo "bench: no guest table: make bench-vm builds QEMU and the benchmark kernel first ($(BENCH_VM_BUILD) on 2 cores), then make bench runs it too"; \
	fi

# The in-tree nicvf and ours in an arm64 guest on the QEMU device: guest
# instructions, DMA/IOMMU calls and IOTLB invalidations per received
# packet (scripts/bench-vm.sh); adds to results.json and the chart
bench-vm:
	bash scripts/bench-vm.sh

# For make check: the guest benchmark's rig works for both drivers (every
# frame up to the socket, no guest error, no kernel report); small counts,
# no number judged
bench-vm-smoke:
	bash scripts/bench-vm.sh smoke

# For make check: the benchmark still builds and every case of one frame
# size runs without error or mock violation (no timing is judged).
bench-smoke: bench-build
	mkdir -p $(BENCH_DIR)/smoke
	$(BENCH_DIR)/nicvf_bench --benchmark_min_time=0.01 \
		--benchmark_filter='/64/' \
		--benchmark_out=$(BENCH_DIR)/smoke/results.json \
		--benchmark_out_format=json > $(BENCH_DIR)/smoke/console.txt
	python3 scripts/bench-report.py $(BENCH_DIR)/smoke/results.json \
		$(BENCH_DIR)/smoke > /dev/null

# Instructions per received packet under callgrind (64-byte frames, identity
# domain, one queue), ours and the baseline: all of the driver's polls, and
# the part spent in the driver's own source files.
comma := ,
empty :=
space := $(empty) $(empty)
bench-callgrind: bench-build
	@bash scripts/install-deps.sh valgrind
	@for impl in ours:nicvf_rbdr_refill:$(subst $(space),$(comma),$(NICVF_SOURCES)) \
		     baseline:bl_rbdr_refill:baseline.c; do \
		set -- $$(echo $$impl | tr :, '  '); \
		name=$$1 refill=$$2; \
		shift 2; \
		valgrind --tool=callgrind --toggle-collect='*Rig::Poll*' \
			--callgrind-out-file=$(BENCH_DIR)/callgrind.$$name \
			$(BENCH_DIR)/nicvf_bench --benchmark_min_time=0.05 \
			--benchmark_filter="rx/$$name/identity/1q/64/" \
			>/dev/null 2>&1 || exit 1; \
		echo "$$name:"; \
		python3 scripts/callgrind-per-packet.py \
			$(BENCH_DIR)/callgrind.$$name $$refill 256 "$$@" || exit 1; \
	done

# Which lines of the driver the fuzz corpora (build/fuzz/corpus/<target>/
# <mode>, from make fuzz or make fuzz-check) reach: the targets rebuilt
# with llvm's source-based coverage replay each in its IOMMU mode, and
# llvm-cov reports per driver file what they reached together.
fuzz-coverage: fuzz-build
	@bash scripts/install-deps.sh llvm
	$(HARNESS_ENV) $(CMAKE) -S harness -B $(FUZZ_DIR)-cov -DNICVF_FUZZ=ON \
		-DNICVF_FUZZ_COVERAGE=ON -DNICVF_PAGE_SHIFT=16 \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
	$(HARNESS_ENV) $(CMAKE) --build $(FUZZ_DIR)-cov -j$(HARNESS_JOBS)
	FUZZ_DIR=$(FUZZ_DIR) COV_DIR=$(FUZZ_DIR)-cov bash scripts/fuzz.sh coverage
