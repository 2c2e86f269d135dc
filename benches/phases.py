#!/usr/bin/env python3
"""Where the second thread's time goes, phase by phase: `framescope run`
on one corpus ROUNDS times at 1 and at 2 threads, alternating, with
FRAMESCOPE_TIMINGS=1, and each phase's median wall time at each thread
count, their ratio, and what the phase loses at 2 threads against half
its 1-thread time (`lost` = 2-thread time − 1-thread time / 2; the
total's `lost` is what keeps `run` from 2×). Medians, because this
machine's speed moves from run to run by more than most phases differ.

Usage:
  benches/phases.py CORPUS [ROUNDS] [BINARY]

ROUNDS defaults to 5, BINARY to target/release/framescope (build it
first: cargo build --release). The output folder is a temporary one,
removed afterwards.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

LINE = re.compile(r"timing: (.+?)\s+([\d.]+) s\s+cpu\s+([\d.]+) s")


def phases(binary, corpus, threads, out):
    """The phases of one run, in order: (name, wall seconds)."""
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, FRAMESCOPE_TIMINGS="1")
    p = subprocess.run(
        [binary, "run", "--corpus", corpus, "--out", out, "--quiet", "--threads", str(threads)],
        env=env,
        capture_output=True,
        text=True,
    )
    if p.returncode != 0:
        sys.exit(f"phases.py: {binary} run failed on {corpus}:\n{p.stderr.strip()}")
    return [(m.group(1).strip(), float(m.group(2))) for m in map(LINE.match, p.stderr.splitlines()) if m]


def main():
    if not 2 <= len(sys.argv) <= 4:
        sys.exit(__doc__.strip())
    corpus = sys.argv[1]
    try:
        rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    except ValueError:
        sys.exit(f"phases.py: {sys.argv[2]}: ROUNDS must be a whole number")
    binary = sys.argv[3] if len(sys.argv) > 3 else "target/release/framescope"
    if rounds < 1:
        sys.exit("phases.py: ROUNDS must be at least 1")
    if not os.path.exists(corpus):
        sys.exit(f"phases.py: {corpus}: no such corpus")
    if not os.access(binary, os.X_OK):
        sys.exit(f"phases.py: {binary}: not an executable; run cargo build --release first")
    times = {1: {}, 2: {}}
    order = []
    with tempfile.TemporaryDirectory(prefix="framescope-phases-") as tmp:
        out = os.path.join(tmp, "out")
        for _ in range(rounds):
            for threads in (1, 2):
                total = 0.0
                for name, wall in phases(binary, corpus, threads, out):
                    if name not in order:
                        order.append(name)
                    times[threads].setdefault(name, []).append(wall)
                    total += wall
                times[threads].setdefault("total", []).append(total)
    order.append("total")
    print(f"# {corpus}: medians of {rounds} runs at each thread count")
    print(f"{'phase':52s} {'1 thread':>9s} {'2 threads':>9s} {'ratio':>6s} {'lost':>7s}")
    for name in order:
        a, b = times[1].get(name), times[2].get(name)
        if not a or not b:
            continue
        a, b = statistics.median(a), statistics.median(b)
        ratio = f"{a / b:6.2f}" if b > 0 else f"{'-':>6s}"
        print(f"{name:52s} {a:9.3f} {b:9.3f} {ratio} {b - a / 2:7.3f}")


if __name__ == "__main__":
    main()
