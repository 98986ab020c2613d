#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the libFuzzer targets built in $FUZZ_DIR (make fuzz-build), each from
# the seed corpus (harness/fuzz/seeds.py) plus what earlier runs found,
# once per IOMMU mode, keeping a corpus per target and mode in
# $FUZZ_DIR/corpus/<target>/<mode>.
#
#   scripts/fuzz.sh time SECONDS   each target for SECONDS     (make fuzz)
#   scripts/fuzz.sh runs N [M]     fuzz_rx for N inputs, fuzz_tx for M
#                                  (default N)                 (make check)
#   scripts/fuzz.sh coverage       replay each corpus through the targets
#                                  built with coverage in $COV_DIR, and
#                                  report the driver's lines and branches
#
# The modes are NICVF_FUZZ_IOMMU's words (none, identity, translating):
# by default all three for `runs` and `coverage`, translating for `time`.
# The driver resolves device addresses differently with and without a
# translating domain, so make check fuzzes every mode.
#
# `runs` starts each mode from the seeds alone with a fixed seed, so make
# check runs the same inputs every time. A crash, sanitizer report or leak
# the target finds fails the run; the input is saved as
# $FUZZ_DIR/crash-<target>-<mode>-* and the command to replay it is
# printed. Each run ends with a line giving executions, rate, seconds and
# coverage (libFuzzer's edges and features).
#
# Environment: FUZZ_DIR (default build/fuzz), FUZZ_TARGETS (default: all),
# NICVF_FUZZ_IOMMU (the modes, as above).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
dir=${FUZZ_DIR:-$root/build/fuzz}
targets=${FUZZ_TARGETS:-fuzz_rx fuzz_tx}
how=${1:-}
amount=${2:-}
amount_tx=${3:-$amount}
all_modes="none identity translating"

case $how in
time) modes=${NICVF_FUZZ_IOMMU:-translating} ;;
runs | coverage) modes=${NICVF_FUZZ_IOMMU:-$all_modes} ;;
*) echo "usage: $0 time SECONDS | runs N | coverage" >&2; exit 2 ;;
esac
for m in $modes; do
	case " $all_modes " in
	*" $m "*) ;;
	*) echo "fuzz: NICVF_FUZZ_IOMMU: no mode '$m' (want: $all_modes)" >&2; exit 2 ;;
	esac
done

case $how in
time) limit=(-max_total_time="$amount") ;;
runs) limit=(-runs="$amount" -seed=1) ;;
coverage)
	# One profile per mode replayed, merged: what all the modes reached
	cov=${COV_DIR:?COV_DIR: the coverage build}
	for t in $targets; do
		rm -f "$cov/$t".*.profraw
		inputs=0
		for m in $modes; do
			corpus=$dir/corpus/$t/$m
			[ -d "$corpus" ] || continue
			NICVF_FUZZ_IOMMU=$m LLVM_PROFILE_FILE="$cov/$t.$m.profraw" \
				"$cov/$t" -runs=0 "$corpus" >"$cov/$t.$m.replay.log" 2>&1 ||
				{ tail -n 20 "$cov/$t.$m.replay.log" >&2; exit 1; }
			inputs=$((inputs + $(ls "$corpus" | wc -l)))
		done
		ls "$cov/$t".*.profraw >/dev/null 2>&1 ||
			{ echo "fuzz: no corpus for $t: run make fuzz or make fuzz-check first" >&2; exit 1; }
		llvm-profdata merge -sparse "$cov/$t".*.profraw -o "$cov/$t.profdata"
		echo "== coverage of the driver by the $t corpus ($inputs inputs; modes: $modes)"
		nicvf_sources | sed "s|^|$root/|" | xargs llvm-cov report "$cov/$t" \
			-instr-profile="$cov/$t.profdata"
	done
	exit 0
	;;
esac

python3 "$root/harness/fuzz/seeds.py" "$dir/seeds"
status=0
for t in $targets; do
	for m in $modes; do
		corpus=$dir/corpus/$t/$m
		log=$dir/$t-$m.log
		artifacts=$dir/crash-$t-$m-
		if [ "$how" = runs ]; then
			rm -rf "$corpus"
		fi
		mkdir -p "$corpus"
		# fuzz_tx's inputs cost about ten times fuzz_rx's
		if [ "$how" = runs ] && [ "$t" = fuzz_tx ]; then
			limit=(-runs="$amount_tx" -seed=1)
		elif [ "$how" = runs ]; then
			limit=(-runs="$amount" -seed=1)
		fi
		echo "== fuzz: $t, IOMMU $m (${limit[*]})"
		rc=0
		start=$SECONDS
		NICVF_FUZZ_IOMMU=$m "$dir/$t" "${limit[@]}" -print_final_stats=1 \
			-print_pcs=0 -artifact_prefix="$artifacts" "$corpus" \
			"$dir/seeds/$t" >"$log" 2>&1 || rc=$?
		took=$((SECONDS - start))
		execs=$(sed -nE 's/^stat::number_of_executed_units: *//p' "$log")
		rate=$(sed -nE 's/^stat::average_exec_per_sec: *//p' "$log")
		cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 || true)
		if [ $rc -ne 0 ]; then
			tail -n 60 "$log" >&2
			echo "fuzz: $t, IOMMU $m: FAILED (exit $rc; log: $log)" >&2
			for a in "$artifacts"*; do
				[ -e "$a" ] && echo "  replay: NICVF_FUZZ_IOMMU=$m $dir/$t $a" >&2
			done
			status=1
			continue
		fi
		want=${limit[0]#-runs=}
		if [ "$how" = runs ] && [ "${execs:-0}" -lt "$want" ]; then
			echo "fuzz: $t, IOMMU $m: FAILED: ${execs:-no} executions of $want" >&2
			status=1
			continue
		fi
		echo "fuzz: $t, IOMMU $m: OK: ${execs} executions, ${rate}/s, ${took} s," \
			"${cov}, corpus $(ls "$corpus" | wc -l) inputs"
	done
done
exit $status
