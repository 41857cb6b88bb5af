#!/usr/bin/env python3
"""Count the test cases of a meson test run and print 'N passed, N failed[, N skipped]'.

Reads meson-logs/testlog.json. A test program is counted by its own cases: TAP lines
('ok N' / 'not ok N', GLib tests) or GstCheck's 'Checks: N, Failures: F, Errors: E' line;
any other program counts as one case. A program that crashed or timed out after some of its
cases passed adds one failure, so a crash is never hidden behind passing cases.
Exit status: 0 when nothing failed and at least one case ran, 1 otherwise.
"""
import json
import re
import sys

CHECK = re.compile(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)")
TAP_OK = re.compile(r"^ok \d+", re.M)
TAP_SKIP = re.compile(r"^ok \d+[^\n]*# SKIP", re.M | re.I)
TAP_NOT_OK = re.compile(r"^not ok \d+", re.M)


def count(entry):
    out = (entry.get("stdout") or "") + (entry.get("stdo") or "")
    result = entry.get("result", "")
    program_failed = result not in ("OK", "SKIP", "EXPECTEDFAIL")
    m = CHECK.search(out)
    if m:
        n, f, e = map(int, m.groups())
        failed = f + e
        passed, skipped = n - failed, 0
    elif TAP_OK.search(out) or TAP_NOT_OK.search(out):
        skipped = len(TAP_SKIP.findall(out))
        passed = len(TAP_OK.findall(out)) - skipped
        failed = len(TAP_NOT_OK.findall(out))
    else:
        if result == "SKIP":
            return 0, 0, 1
        return (0, 1, 0) if program_failed else (1, 0, 0)
    if program_failed and failed == 0:
        failed = 1
    return passed, failed, skipped


def main():
    path = sys.argv[1]
    passed = failed = skipped = 0
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            entry = json.loads(line)
            p, fl, s = count(entry)
            passed, failed, skipped = passed + p, failed + fl, skipped + s
            if fl:
                print(f"FAILED: {entry.get('name')} ({entry.get('result')})")
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
