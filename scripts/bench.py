#!/usr/bin/env python3
"""Benchmark allyplan end to end against HiGHS (highspy) reading the same MPS.

Usage: python3 scripts/bench.py [--sizes 6x3x3x12,40x20x8x12,...] [--repeat N]
                                [--timeout SECONDS] [--no-build] [--work DIR]
       python3 scripts/bench.py --decisions [--sizes 15x8x4x12,...] [--repeat N] ...

For each size S×P×M×T it generates a scenario (`allyplan generate`, seed 1), exports its
LP as MPS, and measures, each in its own process:
  - `allyplan -v solve MODEL --solver highs` (load+validate, build, solve, verify,
    reports; wall time and peak RSS),
  - `python3 scripts/bench_highspy.py MODEL.mps`: highspy reading and solving the same
    LP with the same method (interior point + crossover), the anchor,
  - microlp and clarabel, only up to the sizes where they finish in reasonable time and
    with a per-run timeout,
and prints a Markdown table of the stage times and peak memory, then the ratios the
targets in BENCHMARKS.md are about. allyplan and highspy runs alternate back to back, and
the median of `--repeat` runs is reported (one run at sizes whose solve takes long).

It builds allyplan first (`cargo build --release`, HiGHS included); `--no-build` uses
the binary already in the target folder (CARGO_TARGET_DIR or ./target). Results also go
to WORK/results.json. Needs Linux (peak RSS from wait4) and highspy (pip install highspy).

`--decisions` measures integer models instead (BENCHMARKS.md, "Decisions (MILP)"): the
shipped models/investments.yaml and, for each size (default 15x8x4x12 and
2t:12x8x4x12), a scenario generated with `--decisions`. For each, alternating back to
back:
  - `allyplan -v solve MODEL --solver highs`: the MIP solve time (its `-v` line), nodes,
    gap and bound (plan.json), and the wall time, which includes the re-solves that
    value each decision;
  - `python3 scripts/bench_highspy.py MODEL.mps solver=choose`: the LP relaxation (the
    exported LP has its integer columns continuous), as HiGHS's MIP solver solves its
    LPs (simplex);
and prints one Markdown table. Results go to WORK/results-decisions.json.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SIZES = "6x3x3x12,15x8x4x12,40x20x8x12,100x50x8x24,200x80x10x24"
# The pure-Rust backends, up to the largest model (in LP columns) they are run on.
# microlp takes ~13 s at 12k columns and loses accuracy beyond; clarabel ~11 s at 9k.
SMALL_BACKENDS = {"microlp": 12_000, "clarabel": 12_000}
# Sizes whose HiGHS solve takes longer than this (seconds) are run once.
SLOW_SOLVE_S = 20.0
# Above this many LP columns both HiGHS runs get the same time limit (--limit), so the
# largest size fits the script's budget: its solve alone would take tens of minutes here.
LIMIT_ABOVE_COLUMNS = 600_000


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(cmd, timeout=None, cwd=ROOT):
    """Runs `cmd`; returns (exit code or None on timeout, stdout, stderr, wall s, peak KiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    out_chunks, err_chunks = [], []
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read())),
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read())),
    ]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    for r in readers:
        r.join()
    if timer:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    code = None if timed_out.is_set() else proc.returncode
    out = b"".join(out_chunks).decode(errors="replace")
    err = b"".join(err_chunks).decode(errors="replace")
    return code, out, err, wall, usage.ru_maxrss


def parse_size(text):
    """`SxPxMxT` (one tier), or `2t:SxPxMxT` for a two-tier scenario (`generate --tiers 2`)."""
    tiers = 1
    if text.lower().startswith("2t:"):
        tiers, text = 2, text[3:]
    parts = [int(x) for x in text.lower().split("x")]
    if len(parts) != 4 or min(parts) < 1:
        raise argparse.ArgumentTypeError(f"size must be SxPxMxT or 2t:SxPxMxT, found {text}")
    return tuple(parts) + (tiers,)


STAGES = re.compile(
    r"loaded and validated .* in (?P<load>[\d.]+) s.*?"
    r"built (?P<vars>\d+) variables, (?P<rows>\d+) rows, (?P<nnz>\d+) non-zeros in "
    r"(?P<build>[\d.]+) s; solved with (?P<solver>\S+) in (?P<solve>[\d.]+) s; "
    r"verified in (?P<verify>[\d.]+) s; reports in (?P<report>[\d.]+) s",
    re.S,
)


def allyplan_run(binary, model, backend, out_dir, timeout=None, limit=None):
    cmd = [binary, "-v", "solve", model, "--solver", backend, "--out", out_dir, "--no-explain"]
    if limit:
        cmd += ["--time-limit", str(limit)]
    code, _, err, wall, peak = run(cmd, timeout)
    result = {"backend": backend, "wall_s": wall, "peak_kib": peak, "exit": code}
    if code is None:
        result["status"] = "timeout"
        return result
    m = STAGES.search(err)
    if m:
        for key in ("load", "build", "solve", "verify", "report"):
            result[key + "_s"] = float(m.group(key))
        for key in ("vars", "rows", "nnz"):
            result[key] = int(m.group(key))
        result["solver"] = m.group("solver")
    plan_path = os.path.join(out_dir, "plan.json")
    if os.path.exists(plan_path):
        with open(plan_path) as f:
            plan = json.load(f)
        result["status"] = plan.get("status")
        result["objective"] = plan.get("objective")
        result["verified"] = (plan.get("verification") or {}).get("passed")
    else:
        result["status"] = f"exit {code}"
    if code != 0:
        result["stderr"] = err[-2000:]
    return result


def highspy_run(mps, timeout=None, limit=None, extra=()):
    cmd = [sys.executable, os.path.join(ROOT, "scripts", "bench_highspy.py"), mps, *extra]
    if limit:
        cmd.append(f"time_limit={limit}")
    code, out, err, wall, peak = run(cmd, timeout)
    result = {"wall_s": wall, "peak_kib": peak, "exit": code}
    if code is None:
        result["status"] = "timeout"
        return result
    try:
        result.update(json.loads(out.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        result["status"] = f"exit {code}"
        result["stderr"] = err[-2000:]
    return result


def median(runs, key):
    values = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
    return statistics.median(values) if values else None


def fmt_s(x):
    if x is None:
        return "—"
    if x < 0.001:
        return "< 1 ms"
    if x < 0.01:
        return f"{x * 1000:.1f} ms"
    if x < 10:
        return f"{x:.2f} s"
    return f"{x:.1f} s"


def fmt_mib(kib):
    return "—" if kib is None else f"{kib / 1024:.0f} MiB"


def fmt_ratio(x, target=None, below=True):
    if x is None:
        return "—"
    text = f"{x:.2f}×" if x >= 0.1 else f"{x:.3f}×"
    if target is not None:
        ok = x <= target if below else x >= target
        text += " ✓" if ok else " ✗"
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None,
                        help=f"default {DEFAULT_SIZES}; with --decisions {DECISION_SIZES}")
    parser.add_argument("--decisions", action="store_true",
                        help="integer models: the shipped investment example and sizes "
                             "generated with --decisions")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (fast sizes)")
    parser.add_argument("--timeout", type=float, default=60, help="per microlp/clarabel run")
    parser.add_argument("--limit", type=float, default=60,
                        help=f"HiGHS time limit (s) above {LIMIT_ABOVE_COLUMNS:,} columns")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--work", default=None, help="folder for scenarios and results")
    args = parser.parse_args()
    default_sizes = DECISION_SIZES if args.decisions else DEFAULT_SIZES
    sizes = [parse_size(s) for s in (args.sizes or default_sizes).split(",")]
    target_dir = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    binary = os.path.join(target_dir, "release", "allyplan")
    work = args.work or os.path.join(target_dir, "bench")
    os.makedirs(work, exist_ok=True)
    started = time.perf_counter()
    build_s = 0.0

    if not args.no_build:
        log("building allyplan (cargo build --release) ...")
        t = time.perf_counter()
        code = subprocess.call(
            ["cargo", "build", "--release", "--quiet"], cwd=ROOT
        )
        if code != 0:
            sys.exit("cargo build failed")
        build_s = time.perf_counter() - t
        log(f"  built in {build_s:.0f} s")
    if subprocess.call([sys.executable, "-c", "import highspy"], stderr=subprocess.DEVNULL):
        sys.exit("highspy is not installed: pip install highspy")
    if args.decisions:
        decisions_main(args, binary, work, sizes, started, build_s)
        return

    results = []
    for size in sizes:
        s, p, m, t, tiers = size
        label = f"{s}×{p}×{m}×{t}" + (" two-tier" if tiers == 2 else "")
        folder = os.path.join(work, f"s{s}-p{p}-m{m}-t{t}" + ("-2t" if tiers == 2 else ""))
        model = os.path.join(folder, "model.yaml")
        mps = os.path.join(folder, "model.mps")
        log(f"== {label}")
        gen = [binary, "-q", "generate", "--sites", str(s), "--products", str(p),
               "--markets", str(m), "--periods", str(t), "--seed", str(args.seed),
               "--tiers", str(tiers), "--out", folder]
        code, _, err, gen_s, _ = run(gen)
        if code != 0:
            sys.exit(f"generate failed: {err}")
        code, _, err, export_s, _ = run([binary, "export", model, "--output", mps])
        if code != 0:
            sys.exit(f"export failed: {err}")
        cols = re.search(r"(\d+) variables", err)
        n_cols = int(cols.group(1)) if cols else 0
        # Two-tier: the LP's size without its value-content rules (and so without the
        # origin tracking they need), from the same files.
        without_rvc = None
        if tiers == 2:
            with open(model) as f:
                names = re.findall(r"name: ([^,]+), kind: regional_value_content", f.read())
            disable = [x for n in names for x in ("--disable", n)]
            code, _, err2, _, _ = run([binary, "export", model, "--output", mps + ".no-rvc.mps"]
                                      + disable)
            dims = re.search(r"(\d+) variables, (\d+) rows, (\d+) non-zeros", err2)
            full = re.search(r"(\d+) variables, (\d+) rows, (\d+) non-zeros", err)
            if code == 0 and dims and full:
                without_rvc = {"with": [int(x) for x in full.groups()],
                               "without": [int(x) for x in dims.groups()]}
        limit = args.limit if n_cols > LIMIT_ABOVE_COLUMNS else None

        highs_runs, anchor_runs = [], []
        repeat = args.repeat
        r = 0
        while r < repeat:
            out_dir = os.path.join(folder, "out-highs")
            h = allyplan_run(binary, model, "highs", out_dir, limit=limit)
            a = highspy_run(mps, limit=limit)
            log(f"  highs: {h.get('status')} {fmt_s(h['wall_s'])} {fmt_mib(h['peak_kib'])}"
                f" | highspy: {a.get('status')} {fmt_s(a['wall_s'])} {fmt_mib(a['peak_kib'])}")
            highs_runs.append(h)
            anchor_runs.append(a)
            if limit or (h.get("solve_s") or 0) > SLOW_SOLVE_S:
                repeat = 1
            r += 1

        others = {}
        n_vars = highs_runs[0].get("vars") or 0
        for backend, max_vars in SMALL_BACKENDS.items():
            if n_vars > max_vars:
                others[backend] = {"backend": backend, "status": "skipped"}
                continue
            out_dir = os.path.join(folder, f"out-{backend}")
            res = allyplan_run(binary, model, backend, out_dir, timeout=args.timeout)
            log(f"  {backend}: {res.get('status')} {fmt_s(res['wall_s'])}")
            others[backend] = res
        auto = "microlp" if n_vars and n_vars <= auto_threshold() else "highs"
        results.append({
            "size": label, "sites": s, "products": p, "markets": m, "periods": t,
            "export_s": export_s, "generate_s": gen_s, "limit_s": limit, "tiers": tiers,
            "without_rvc": without_rvc,
            "highs": highs_runs, "highspy": anchor_runs, "others": others, "auto": auto,
        })

    total = time.perf_counter() - started
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump({"results": results, "total_s": total, "build_s": build_s}, f, indent=1)
    print_tables(results, total, build_s)


DECISION_SIZES = "15x8x4x12,2t:12x8x4x12"
SHIPPED_DECISIONS = "models/investments.yaml"
INTEGER_COLUMN = re.compile(r"^\s+(open|build|run)\[[^\s]*\]\s")


def integer_columns(mps):
    """Integer columns of an exported model: open[...], build[...] and run[...]."""
    names = set()
    with open(mps) as f:
        for line in f:
            m = INTEGER_COLUMN.match(line)
            if m:
                names.add(line.split()[0])
    return len(names)


def decisions_main(args, binary, work, sizes, started, build_s):
    cases = [("models/investments.yaml (shipped)", os.path.join(ROOT, SHIPPED_DECISIONS),
              os.path.join(work, "investments"))]
    for s, p, m, t, tiers in sizes:
        label = f"generated {s}×{p}×{m}×{t}" + (" two-tier" if tiers == 2 else "") + \
            f" --decisions --seed {args.seed}"
        folder = os.path.join(work, f"s{s}-p{p}-m{m}-t{t}" + ("-2t" if tiers == 2 else "")
                              + "-decisions")
        gen = [binary, "-q", "generate", "--sites", str(s), "--products", str(p),
               "--markets", str(m), "--periods", str(t), "--seed", str(args.seed),
               "--tiers", str(tiers), "--decisions", "--out", os.path.join(folder, "scenario")]
        code, _, err, _, _ = run(gen)
        if code != 0:
            sys.exit(f"generate failed: {err}")
        cases.append((label, os.path.join(folder, "scenario", "model.yaml"), folder))
    results = []
    for label, model, folder in cases:
        log(f"== {label}")
        os.makedirs(folder, exist_ok=True)
        mps = os.path.join(folder, "relaxation.mps")
        code, _, err, _, _ = run([binary, "export", model, "--output", mps])
        if code != 0:
            sys.exit(f"export failed: {err}")
        n_int = integer_columns(mps)
        mip_runs, lp_runs = [], []
        for _ in range(args.repeat):
            out_dir = os.path.join(folder, "out-highs")
            h = allyplan_run(binary, model, "highs", out_dir)
            plan_path = os.path.join(out_dir, "plan.json")
            if os.path.exists(plan_path):
                with open(plan_path) as f:
                    d = json.load(f).get("decisions") or {}
                h["mip"] = d.get("mip")
                h["timeline"] = [f"{e['action']} {e.get('expansion') or e['site']} "
                                 f"{e['period']}" for e in d.get("timeline", [])]
                h["values"] = len([v for v in d.get("values", []) if v.get("saves") is not None])
                h["decisions"] = len(d.get("values", []))
            a = highspy_run(mps, extra=["solver=choose"])
            mip = h.get("mip") or {}
            log(f"  MIP: {h.get('status')} solve {fmt_s(h.get('solve_s'))}, "
                f"{mip.get('nodes')} nodes, gap {mip.get('gap')} | wall {fmt_s(h['wall_s'])}"
                f" | relaxation: {a.get('status')} {fmt_s(a.get('solve_s'))}")
            mip_runs.append(h)
            lp_runs.append(a)
        results.append({"model": label, "integer_columns": n_int,
                        "mip": mip_runs, "relaxation": lp_runs})
    total = time.perf_counter() - started
    with open(os.path.join(work, "results-decisions.json"), "w") as f:
        json.dump({"results": results, "total_s": total, "build_s": build_s}, f, indent=1)
    print_decisions(results, total, build_s)


def print_decisions(results, total, build_s):
    print("| model | variables (integer) | rows | MIP solve, HiGHS | nodes | gap | "
          "MIP objective | LP relaxation, highspy | relaxation objective | integrality gap | "
          "decisions valued | total wall (solve + values) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        h, a = r["mip"], r["relaxation"]
        first = h[0]
        mip = first.get("mip") or {}
        objective = first.get("objective")
        relaxed = a[0].get("objective")
        gap = None
        if objective and relaxed is not None:
            gap = (objective - relaxed) / abs(objective)
        nodes = sorted({(x.get("mip") or {}).get("nodes") for x in h} - {None})
        gaps = [(x.get("mip") or {}).get("gap") for x in h]
        gaps = [g for g in gaps if g is not None]
        print(f"| {r['model']} | {first.get('vars', 0):,} ({r['integer_columns']}) | "
              f"{first.get('rows', 0):,} | {fmt_s(median(h, 'solve_s'))} (median of {len(h)}) | "
              f"{', '.join(str(n) for n in nodes) or '—'} | "
              f"{max(gaps):.1e} (target {mip.get('target_gap', 0):.0e}) | "
              f"{objective:,.2f} | {fmt_s(median(a, 'solve_s'))} | {relaxed:,.2f} | "
              f"{gap * 100:.3f}% | {first.get('values', 0)} of {first.get('decisions', 0)} | "
              f"{fmt_s(median(h, 'wall_s'))} |"
              if objective is not None and relaxed is not None and gaps else
              f"| {r['model']} | — | — | {first.get('status')} | | | | | | | | |")
        for x in h[:1]:
            if x.get("timeline"):
                print(f"| | plan: {'; '.join(x['timeline'])} | | | | | | | | | | |")
    print()
    print(f"Script time: {total / 60:.1f} min, of which building {build_s / 60:.1f} min.")


def auto_threshold():
    """AUTO_MICROLP_MAX_COLUMNS, read from the source."""
    with open(os.path.join(ROOT, "src", "solve", "mod.rs")) as f:
        m = re.search(r"AUTO_MICROLP_MAX_COLUMNS: usize = ([\d_]+);", f.read())
    return int(m.group(1).replace("_", "")) if m else 0


def print_tables(results, total, build_s=0.0):
    print("| size S×P×M×T | variables | rows | non-zeros | run | load+validate | build | "
          "solve | verify | reports | total (wall) | peak RSS |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        h = r["highs"]
        first = h[0]
        dims = f"{first.get('vars', '—'):,} | {first.get('rows', '—'):,} | {first.get('nnz', '—'):,}" \
            if "vars" in first else "— | — | —"
        n = len(h)
        print(f"| {r['size']} | {dims} | allyplan highs (median of {n}) | "
              f"{fmt_s(median(h, 'load_s'))} | {fmt_s(median(h, 'build_s'))} | "
              f"{fmt_s(median(h, 'solve_s'))} | {fmt_s(median(h, 'verify_s'))} | "
              f"{fmt_s(median(h, 'report_s'))} | {fmt_s(median(h, 'wall_s'))} | "
              f"{fmt_mib(median(h, 'peak_kib'))} |")
        a = r["highspy"]
        print(f"| | | | | highspy, same MPS (median of {len(a)}) | read {fmt_s(median(a, 'read_s'))} | "
              f"| {fmt_s(median(a, 'solve_s'))} | | | {fmt_s(median(a, 'wall_s'))} | "
              f"{fmt_mib(median(a, 'peak_kib'))} |")
        for backend, o in r["others"].items():
            status = o.get("status")
            if status == "skipped":
                print(f"| | | | | allyplan {backend} | not run at this size | | | | | | |")
            elif status == "timeout":
                print(f"| | | | | allyplan {backend} | timed out | | | | | > {fmt_s(o['wall_s'])} | |")
            else:
                flag = "" if status == "optimal" else f" ({status})"
                print(f"| | | | | allyplan {backend}{flag} | {fmt_s(o.get('load_s'))} | "
                      f"{fmt_s(o.get('build_s'))} | {fmt_s(o.get('solve_s'))} | "
                      f"{fmt_s(o.get('verify_s'))} | {fmt_s(o.get('report_s'))} | "
                      f"{fmt_s(o['wall_s'])} | {fmt_mib(o['peak_kib'])} |")
    print()
    print("| size | model build (load+validate+build) | per non-zero | build / HiGHS solve "
          "(target ≤ 0.10) | allyplan highs end to end / highspy read+solve (target ≤ 1.15 "
          "from 100×50×8×24) | peak RSS allyplan / highspy (target ≤ 1.5) | objectives agree | auto picks |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for r in results:
        h, a = r["highs"], r["highspy"]
        build = None
        if median(h, "load_s") is not None and median(h, "build_s") is not None:
            build = median(h, "load_s") + median(h, "build_s")
        nnz = h[0].get("nnz")
        per_nnz = f"{build / nnz * 1e9:.0f} ns" if build and nnz else "—"
        solve = median(h, "solve_s")
        e2e, anchor = median(h, "wall_s"), None
        if median(a, "read_s") is not None:
            anchor = median(a, "read_s") + median(a, "solve_s")
        big = r["sites"] * r["products"] * r["markets"] * r["periods"] >= 100 * 50 * 8 * 24
        objectives = [x.get("objective") for x in h + a
                      if x.get("objective") is not None and x.get("status") == "optimal"]
        agree = "—"
        if objectives:
            ref = objectives[0]
            agree = "yes" if all(abs(x - ref) <= 1e-6 * max(1.0, abs(ref)) for x in objectives) else "NO"
        size = r["size"]
        if r.get("limit_s"):
            size += f" (both solves stopped at the {r['limit_s']:.0f} s limit)"
        print(f"| {size} | {fmt_s(build)} | {per_nnz} | "
              f"{fmt_ratio(build / solve if build and solve else None, 0.10)} | "
              f"{fmt_ratio(e2e / anchor if e2e and anchor else None, 1.15 if big else None)} | "
              f"{fmt_ratio(median(h, 'peak_kib') / median(a, 'peak_kib') if median(a, 'peak_kib') else None, 1.5)} | "
              f"{agree} | {r['auto']} |")
    two_tier = [r for r in results if r.get("without_rvc")]
    if two_tier:
        print()
        print("| two-tier size | LP with value-content rules (variables / rows / non-zeros) | "
              "without them | growth |")
        print("|---|---:|---:|---:|")
        for r in two_tier:
            w, wo = r["without_rvc"]["with"], r["without_rvc"]["without"]
            growth = " / ".join(f"{a / b:.2f}×" for a, b in zip(w, wo))
            print(f"| {r['size']} | {w[0]:,} / {w[1]:,} / {w[2]:,} | "
                  f"{wo[0]:,} / {wo[1]:,} / {wo[2]:,} | {growth} |")
    print()
    print(f"Script time: {total / 60:.1f} min, of which building {build_s / 60:.1f} min.")


if __name__ == "__main__":
    main()
