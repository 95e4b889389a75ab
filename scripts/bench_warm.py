#!/usr/bin/env python3
"""Warm against cold: a 20-variant sweep of the bloc-share rule, solved with each
variant starting from the previous one (the default) and with `--cold`, on the shipped
baseline and on generated scenarios. Prints a markdown table of wall and solve times,
their ratio, and the largest objective difference between the two (which must stay
below 1e-9, relative).

    python3 scripts/bench_warm.py [--sizes 15x10x6x12,40x20x8x12] [--no-build] [--work DIR]

Each sweep runs with --jobs 1, so that every variant but the first has its predecessor
finished. Sizes are SITES x PRODUCTS x MARKETS x PERIODS, generated with --seed 1.
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "allyplan")


def run(args, **kw):
    return subprocess.run(args, check=False, capture_output=True, text=True, **kw)


def sweep(model, vary, out, cold):
    args = [BIN, "sweep", model, "--vary", vary, "--jobs", "1", "--out", out, "--no-explain"]
    if cold:
        args.append("--cold")
    start = time.perf_counter()
    p = run(args, cwd=ROOT)
    wall = time.perf_counter() - start
    if p.returncode not in (0, 7, 8):
        sys.exit(f"sweep failed ({p.returncode}): {p.stderr[-2000:]}")
    with open(os.path.join(out, "summary.json")) as f:
        rows = json.load(f)["rows"]
    solve = sum(r.get("solve_seconds") or 0.0 for r in rows)
    objectives = [r.get("objective") for r in rows]
    warm = 0
    solvers = set()
    for r in rows:
        if not r.get("output"):
            continue
        with open(os.path.join(out, r["output"], "plan.json")) as f:
            meta = json.load(f)["metadata"]
        solvers.add(meta["solver"])
        if meta.get("warm_start", {}).get("basis"):
            warm += 1
    return {
        "wall": wall,
        "solve": solve,
        "objectives": objectives,
        "variants": len(rows),
        "warm": warm,
        "solvers": sorted(solvers),
        "columns": None,
    }


def columns_of(out, rows_dir):
    for name in sorted(os.listdir(out)):
        plan = os.path.join(out, name, "plan.json")
        if os.path.exists(plan):
            with open(plan) as f:
                return json.load(f)["metadata"]["variables"]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="15x10x6x12,40x20x8x12")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "bench-warm"))
    opts = ap.parse_args()
    if not opts.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(opts.work, exist_ok=True)

    cases = [
        (
            "models/baseline.yaml (shipped)",
            os.path.join(ROOT, "models", "baseline.yaml"),
            "policies[critical-usmca-70].min_share=0.6..0.79 step 0.01",
        )
    ]
    for size in filter(None, opts.sizes.split(",")):
        s, p, m, t = size.split("x")
        folder = os.path.join(opts.work, f"gen-{size}")
        g = run([BIN, "generate", "--sites", s, "--products", p, "--markets", m,
                 "--periods", t, "--seed", "1", "--out", folder])
        if g.returncode != 0:
            sys.exit(f"generate failed: {g.stderr}")
        cases.append((
            f"generated {size} --seed 1",
            os.path.join(folder, "model.yaml"),
            "policies[critical-usmca-60].min_share=0.5..0.69 step 0.01",
        ))

    print("| model | variables | variants | cold: wall / solve | warm: wall / solve "
          "| speed-up (solve) | speed-up (wall) | warm-started | cold solver | max objective difference |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for label, model, vary in cases:
        results = {}
        # Cold first, then warm, for each model.
        for cold in (True, False):
            out = os.path.join(opts.work, "out", os.path.basename(os.path.dirname(model))
                               + ("-cold" if cold else "-warm"))
            results[cold] = sweep(model, vary, out, cold)
            results[cold]["columns"] = columns_of(out, None)
        c, w = results[True], results[False]
        diff = 0.0
        for a, b in zip(c["objectives"], w["objectives"]):
            if a is not None and b is not None:
                diff = max(diff, abs(a - b) / max(abs(a), 1.0))
        print(f"| {label} | {c['columns']:,} | {c['variants']} "
              f"| {c['wall']:.2f} s / {c['solve']:.2f} s | {w['wall']:.2f} s / {w['solve']:.2f} s "
              f"| {c['solve'] / max(w['solve'], 1e-9):.1f}× | {c['wall'] / max(w['wall'], 1e-9):.1f}× "
              f"| {w['warm']} of {w['variants']} | {', '.join(c['solvers'])} | {diff:.1e} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
