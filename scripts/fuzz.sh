#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the libFuzzer targets built in $FUZZ_DIR (make fuzz-build), each from
# the seed corpus (harness/fuzz/seeds.py) plus what earlier runs found,
# kept in $FUZZ_DIR/corpus/<target>.
#
#   scripts/fuzz.sh time SECONDS   each target for SECONDS     (make fuzz)
#   scripts/fuzz.sh runs N         each target for N inputs    (make check)
#   scripts/fuzz.sh coverage       replay each corpus through the targets
#                                  built with coverage in $COV_DIR, and
#                                  report the driver's lines and branches
#
# `runs` starts from the seeds alone with a fixed seed, so make check runs
# the same inputs every time. A crash, sanitizer report or leak the target
# finds fails the run; the input is saved as $FUZZ_DIR/crash-<target>-*
# and the command to replay it is printed. Each target ends with a line
# giving executions, rate, and coverage (libFuzzer's edges and features).
#
# Environment: FUZZ_DIR (default build/fuzz), FUZZ_TARGETS (default: all),
# NICVF_FUZZ_IOMMU (none, identity or translating, the default).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${FUZZ_DIR:-$root/build/fuzz}
targets=${FUZZ_TARGETS:-fuzz_rx}
how=${1:-}
amount=${2:-}

case $how in
time) limit=(-max_total_time="$amount") ;;
runs) limit=(-runs="$amount" -seed=1) ;;
coverage)
	cov=${COV_DIR:?COV_DIR: the coverage build}
	for t in $targets; do
		[ -d "$dir/corpus/$t" ] ||
			{ echo "fuzz: no corpus for $t: run make fuzz first" >&2; exit 1; }
		rm -f "$cov/$t".profraw
		LLVM_PROFILE_FILE="$cov/$t.profraw" "$cov/$t" -runs=0 \
			"$dir/corpus/$t" >"$cov/$t.replay.log" 2>&1 ||
			{ tail -n 20 "$cov/$t.replay.log" >&2; exit 1; }
		llvm-profdata merge -sparse "$cov/$t.profraw" -o "$cov/$t.profdata"
		echo "== coverage of the driver by the $t corpus ($(ls "$dir/corpus/$t" | wc -l) inputs)"
		llvm-cov report "$cov/$t" -instr-profile="$cov/$t.profdata" \
			"$root/nicvf_queues.c" "$root/nicvf_main.c"
	done
	exit 0
	;;
*) echo "usage: $0 time SECONDS | runs N | coverage" >&2; exit 2 ;;
esac

python3 "$root/harness/fuzz/seeds.py" "$dir/seeds"
status=0
for t in $targets; do
	corpus=$dir/corpus/$t
	log=$dir/$t.log
	if [ "$how" = runs ]; then
		rm -rf "$corpus"
	fi
	mkdir -p "$corpus"
	echo "== fuzz: $t (${limit[*]})"
	rc=0
	"$dir/$t" "${limit[@]}" -print_final_stats=1 -print_pcs=0 \
		-artifact_prefix="$dir/crash-$t-" "$corpus" "$dir/seeds/$t" \
		>"$log" 2>&1 || rc=$?
	execs=$(sed -nE 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -nE 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	if [ $rc -ne 0 ]; then
		tail -n 60 "$log" >&2
		echo "fuzz: $t: FAILED (exit $rc; log: $log)" >&2
		for a in "$dir/crash-$t-"*; do
			[ -e "$a" ] && echo "  replay: $dir/$t $a" >&2
		done
		status=1
		continue
	fi
	if [ "$how" = runs ] && [ "${execs:-0}" -lt "$amount" ]; then
		echo "fuzz: $t: FAILED: ${execs:-no} executions of $amount" >&2
		status=1
		continue
	fi
	echo "fuzz: $t: OK: ${execs} executions, ${rate}/s, ${cov}," \
		"corpus $(ls "$corpus" | wc -l) inputs"
done
exit $status
