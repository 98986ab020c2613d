#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Verdict on one KUnit guest run, from `kunit.py parse --json` output.

usage: kunit-verdict.py RESULTS.json EXPECTED-CASES

EXPECTED-CASES lists the KUNIT_CASE names of the test sources, one per
line or separated by spaces.  Every one of them must have run and passed
(a parameterised case passes only if it ran some parameters and all of them
passed), and nothing may have run that the sources do not name.  Prints
what is wrong, then a count; exits 1 on any problem.
"""
import json
import sys


def results(doc, want):
    """Case name -> statuses, walking suites and parameter groups."""
    seen = {}

    def walk(node):
        for group in node.get("sub_groups", []):
            if group["name"] in want:
                statuses = [t["status"] for t in group.get("test_cases", [])]
                seen.setdefault(group["name"], []).extend(
                    statuses or ["NO_PARAMS"])
            else:
                walk(group)
        for case in node.get("test_cases", []):
            seen.setdefault(case["name"], []).append(case["status"])

    walk(doc)
    return seen


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    with open(sys.argv[2]) as f:
        want = set(f.read().split())
    seen = results(doc, want)
    ok = True
    for name in sorted(want):
        statuses = seen.get(name)
        if not statuses:
            print(f"  missing case: {name}")
            ok = False
        elif any(s != "PASS" for s in statuses):
            print(f"  case {name}: {statuses}")
            ok = False
    for name in sorted(set(seen) - want):
        print(f"  case not in the sources: {name}")
        ok = False
    print(f"  {sum(len(v) for v in seen.values())} results for {len(want)} cases")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
