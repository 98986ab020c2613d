#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make check`: run the test steps named on the command line (make targets)
# one after the other, stopping at the first that fails, and end with one
# table of the steps, their verdicts and their wall times.
#
# usage: scripts/check.sh STEP...   ($MAKE is the make to run them with)
set -uo pipefail

make=${MAKE:-make}
names=() verdicts=() times=()
start=$SECONDS

table() {
	local i total=$((SECONDS - start))
	printf '\n%-14s %-8s %9s\n' "make check" verdict time
	for i in "${!names[@]}"; do
		printf '%-14s %-8s %6d:%02d\n' "${names[$i]}" "${verdicts[$i]}" \
			$((times[i] / 60)) $((times[i] % 60))
	done
	printf '%-14s %-8s %6d:%02d\n' total "$1" $((total / 60)) $((total % 60))
}

for step in "$@"; do
	t0=$SECONDS
	printf '\n===== make check: %s =====\n' "$step"
	"$make" --no-print-directory "$step"
	rc=$?
	names+=("$step")
	times+=($((SECONDS - t0)))
	if [ $rc -ne 0 ]; then
		verdicts+=(FAILED)
		table FAILED
		exit 1
	fi
	verdicts+=(ok)
done
table ok
