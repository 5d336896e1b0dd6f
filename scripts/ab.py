#!/usr/bin/env python3
"""Two lagom binaries timed on one command, runs alternating so that the machine's drift
hits both alike (BENCHMARKS.md). Prints min / p25 / median wall clock of each.

    scripts/ab.py RUNS OLD_BINARY NEW_BINARY ARGS...
    scripts/ab.py 30 /tmp/lagom-old target/release/lagom check --policy P campaigns/
"""
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    runs, binaries, args = int(sys.argv[1]), sys.argv[2:4], sys.argv[4:]
    times = {b: [] for b in binaries}
    for _ in range(runs):
        for b in binaries:
            start = time.perf_counter()
            subprocess.run([b] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[b].append((time.perf_counter() - start) * 1000)
    for b in binaries:
        t = sorted(times[b])
        print(f"{b}: min {t[0]:.1f}  p25 {t[len(t) // 4]:.1f}  median {statistics.median(t):.1f} ms")


if __name__ == "__main__":
    main()
