# SPDX-License-Identifier: GPL-2.0-only
#
# Out-of-tree build of nicvf.ko (the objects are listed in Kbuild) and the
# developer entry points:
#
#   make                 build nicvf.ko against $(KDIR)
#   make clean           kbuild clean, remove build/
#   make deps            install the Debian packages `make check` needs
#   make harness-test    build and run the host harness, 4K and 64K pages
#   make module-check    build nicvf.ko with W=1 and sparse against Debian's
#                        6.12 amd64 headers; fail on any warning
#   make kunit           KUnit tests in an arm64 qemu guest with 64K pages
#                        and an SMMUv3, in three IOMMU/DMA modes (kernel
#                        cached under ~/.cache/nicvf; see scripts/kunit.sh)
#   make check           deps, harness-test, module-check, bench-smoke,
#                        fuzz-check, kunit
#   make fuzz            libFuzzer targets (clang), FUZZ_TIME seconds each
#   make fuzz-check      each fuzz target for FUZZ_RUNS inputs (make check)
#   make fuzz-coverage   the driver's lines the fuzz corpus reaches
#   make bench           packet-rate benchmarks (ours vs the upstream receive
#                        algorithm): table, build/bench/results.json, bench.png
#   make bench-callgrind instructions per packet, 64-byte frames, identity
#
# ARCH, CROSS_COMPILE and other kbuild variables given on the command line
# reach kbuild unchanged, e.g.
#   make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- KDIR=/path/to/build

KDIR ?= /lib/modules/$(shell uname -r)/build
KDIR_612 ?= $(firstword $(wildcard /usr/src/linux-headers-6.12*-amd64))

# Packages `make check` needs on Debian 12
CHECK_PKGS := build-essential cmake g++ make libgtest-dev googletest sparse \
	bc flex bison libelf-dev libssl-dev linux-headers-6.12-amd64

HARNESS_PAGE_SHIFTS ?= 12 16
HARNESS_JOBS ?= 2
CMAKE ?= cmake
CTEST ?= ctest

BUILD_DIR := build
MODULE_CHECK_LOG := $(BUILD_DIR)/module-check.log

# module-check always targets the amd64 headers, whatever ARCH says.
# ($(MAKE) is written out in each recipe line so make hands kbuild its
# jobserver.)
KBUILD_612 = -C $(KDIR_612) M=$(CURDIR) ARCH=x86 CROSS_COMPILE=

# Packages the fuzz targets need on Debian 12 (clang and its libFuzzer)
FUZZ_PKGS := build-essential cmake make clang libclang-rt-14-dev python3
FUZZ_DIR := $(BUILD_DIR)/fuzz
FUZZ_TIME ?= 60
FUZZ_RUNS ?= 200000

# Packages `make bench` needs on Debian 12
BENCH_PKGS := build-essential cmake g++ make libbenchmark-dev gnuplot-nox \
	python3
BENCH_DIR := $(BUILD_DIR)/bench
# Extra arguments for nicvf_bench, e.g. BENCH_ARGS=--benchmark_filter=1q/64/
BENCH_ARGS ?=
BENCH_MIN_TIME ?= 0.15
BENCH_REPS ?= 3

.DEFAULT_GOAL := modules
.PHONY: modules clean deps harness-test module-check kunit check bench \
	bench-build bench-smoke bench-callgrind fuzz fuzz-build fuzz-check \
	fuzz-coverage

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
ifneq ($(wildcard $(KDIR)/Makefile),)
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
else ifneq ($(and $(KDIR_612),$(wildcard $(KDIR_612)/Makefile)),)
	$(MAKE) $(KBUILD_612) clean
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

# Clean first so every file is compiled and checked again, capture the
# output, print it, then fail on any compiler, modpost or sparse warning or
# error.  The kbuild objects are removed again either way.
module-check: deps
	@if [ -z "$(KDIR_612)" ]; then \
		echo "module-check: no /usr/src/linux-headers-6.12*-amd64;" \
			"install linux-headers-6.12-amd64 (make deps) or set KDIR_612" >&2; \
		exit 1; \
	fi
	@mkdir -p $(BUILD_DIR)
	@echo "== module-check: W=1 C=1 against $(KDIR_612)"
	@$(MAKE) $(KBUILD_612) clean >/dev/null
	@status=0; \
	$(MAKE) $(KBUILD_612) W=1 C=1 modules >$(MODULE_CHECK_LOG) 2>&1 || status=$$?; \
	cat $(MODULE_CHECK_LOG); \
	$(MAKE) $(KBUILD_612) clean >/dev/null 2>&1 || true; \
	if [ $$status -ne 0 ]; then \
		echo "module-check: FAILED: build exited with status $$status (log: $(MODULE_CHECK_LOG))" >&2; \
		exit 1; \
	fi; \
	if grep -Eiq 'warning:|error:' $(MODULE_CHECK_LOG); then \
		echo "module-check: FAILED: warnings or errors:" >&2; \
		grep -Ei 'warning:|error:' $(MODULE_CHECK_LOG) >&2; \
		exit 1; \
	fi; \
	if ! grep -Eq '^ *CHECK |sparse' $(MODULE_CHECK_LOG); then \
		echo "module-check: FAILED: sparse did not run (log: $(MODULE_CHECK_LOG))" >&2; \
		exit 1; \
	fi; \
	echo "module-check: OK, no warnings (log: $(MODULE_CHECK_LOG))"

# Installs what it needs itself (cross compiler, qemu, kernel source)
kunit:
	@bash scripts/kunit.sh

# Under `make check`, run the test steps one after the other even with -j
ifneq ($(filter check,$(MAKECMDGOALS)),)
module-check: | harness-test
bench-smoke: | module-check
fuzz-check: | bench-smoke
kunit: | fuzz-check
endif

check: deps harness-test module-check bench-smoke fuzz-check kunit

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
	FUZZ_DIR=$(FUZZ_DIR) bash scripts/fuzz.sh runs $(FUZZ_RUNS)

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
# the part spent in the driver's own source file.
bench-callgrind: bench-build
	@bash scripts/install-deps.sh valgrind
	@for impl in ours:nicvf_rbdr_refill:nicvf_queues.c \
		     baseline:bl_rbdr_refill:baseline.c; do \
		set -- $$(echo $$impl | tr : ' '); \
		valgrind --tool=callgrind --toggle-collect='*Rig::Poll*' \
			--callgrind-out-file=$(BENCH_DIR)/callgrind.$$1 \
			$(BENCH_DIR)/nicvf_bench --benchmark_min_time=0.05 \
			--benchmark_filter="rx/$$1/identity/1q/64/" \
			>/dev/null 2>&1 || exit 1; \
		echo "$$1:"; \
		python3 scripts/callgrind-per-packet.py \
			$(BENCH_DIR)/callgrind.$$1 $$2 256 $$3 || exit 1; \
	done

# Which lines of the driver the fuzz corpus (build/fuzz/corpus, from make
# fuzz or make fuzz-check) reaches: the targets rebuilt with llvm's
# source-based coverage replay it, and llvm-cov reports per driver file.
fuzz-coverage: fuzz-build
	@bash scripts/install-deps.sh llvm
	$(HARNESS_ENV) $(CMAKE) -S harness -B $(FUZZ_DIR)-cov -DNICVF_FUZZ=ON \
		-DNICVF_FUZZ_COVERAGE=ON -DNICVF_PAGE_SHIFT=16 \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
	$(HARNESS_ENV) $(CMAKE) --build $(FUZZ_DIR)-cov -j$(HARNESS_JOBS)
	FUZZ_DIR=$(FUZZ_DIR) COV_DIR=$(FUZZ_DIR)-cov bash scripts/fuzz.sh coverage
