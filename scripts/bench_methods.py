#!/usr/bin/env python3
"""Where should `auto` switch from HiGHS dual simplex to interior point with crossover?

Usage: python3 scripts/bench_methods.py [--sizes 6x3x3x12,15x8x4x12,...] [--repeat N]
                                        [--no-build] [--work DIR]

For each size S×P×M×T it generates a scenario (`allyplan generate`, seed 1) and solves it
with `--solver highs-simplex` and `--solver highs` (IPM + crossover), alternating, each in
its own process, and reads the solve time from plan.json (`metadata.run.solve_seconds`).
It prints a Markdown table with the LP size, the median solve seconds of each method, and
simplex/IPM: below 1 the simplex is faster. `auto` uses the simplex up to the size where
the ratio crosses 1 (src/solve/mod.rs, AUTO_SIMPLEX_MAX_COLUMNS).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SIZES = "6x3x3x12,10x5x4x12,15x8x4x12,20x10x5x12,30x15x6x12,40x20x8x12,60x30x8x12"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default=DEFAULT_SIZES)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    exe = os.path.join(target, "release", "allyplan")
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = args.work or tempfile.mkdtemp(prefix="allyplan-methods-")
    rows = []
    for size in args.sizes.split(","):
        s, p, m, t = size.split("x")
        folder = os.path.join(work, size)
        subprocess.run(
            [exe, "-q", "generate", "--sites", s, "--products", p, "--markets", m,
             "--periods", t, "--seed", "1", "--out", folder],
            check=True,
        )
        model = os.path.join(folder, "model.yaml")
        times = {"highs-simplex": [], "highs": []}
        shape = None
        objectives = {}
        for _ in range(args.repeat):
            for method in times:
                out = os.path.join(work, f"{size}-{method}")
                done = subprocess.run(
                    [exe, "-q", "solve", model, "--solver", method, "--out", out],
                    capture_output=True, text=True,
                )
                if done.returncode != 0:
                    print(f"{size} {method}: exit {done.returncode}: {done.stderr.strip()}",
                          file=sys.stderr)
                    continue
                with open(os.path.join(out, "plan.json")) as f:
                    plan = json.load(f)
                meta = plan["metadata"]
                times[method].append(meta["run"]["solve_seconds"])
                shape = (meta["variables"], meta["rows"], meta["nonzeros"])
                objectives[method] = plan["objective"]
        if not all(times.values()):
            continue
        simplex = statistics.median(times["highs-simplex"])
        ipm = statistics.median(times["highs"])
        agree = abs(objectives["highs"] - objectives["highs-simplex"]) <= 1e-6 * max(
            1.0, abs(objectives["highs"])
        )
        rows.append((size, shape, simplex, ipm, simplex / ipm if ipm > 0 else float("inf"), agree))
        print(f"{size}: simplex {simplex:.3f} s, ipm {ipm:.3f} s", file=sys.stderr, flush=True)
    print("| size | columns | rows | non-zeros | dual simplex s | IPM+crossover s | simplex/IPM | objectives agree |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for size, (cols, nrows, nnz), simplex, ipm, ratio, agree in rows:
        print(f"| {size} | {cols:,} | {nrows:,} | {nnz:,} | {simplex:.3f} | {ipm:.3f} | {ratio:.2f} | {'yes' if agree else 'NO'} |")


if __name__ == "__main__":
    main()
