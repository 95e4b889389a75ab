#!/usr/bin/env python3
"""Read an MPS/LP file with HiGHS (highspy) and solve it; print timings as JSON.

Usage: python3 scripts/bench_highspy.py FILE [OPTION=VALUE ...]

The anchor of scripts/bench.py: what a user would run instead of allyplan. By default it
solves as allyplan's `highs` backend does (interior point, crossover on); pass
`solver=choose` for HiGHS's own default. Prints one JSON object on stdout:
{"read_s", "solve_s", "status", "objective", "columns", "rows", "nonzeros",
 "ipm_iterations", "simplex_iterations", "crossover_iterations"}.
Exit code 0 when optimal, 1 otherwise, 3 when highspy is not installed.
"""

import json
import os
import sys
import time


def value(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    options = {"solver": "ipm", "run_crossover": "on"}
    for item in argv[2:]:
        key, _, text = item.partition("=")
        options[key] = value(text)
    # HiGHS prints a banner on stdout when it starts: keep stdout for the result.
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        try:
            import highspy
        except ImportError as e:
            print(f"highspy is not installed: {e}", file=sys.stderr)
            return 3
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        for key, v in options.items():
            h.setOptionValue(key, v)
        start = time.perf_counter()
        h.readModel(path)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        h.run()
        solve_s = time.perf_counter() - start
        info = h.getInfo()
        lp = h.getLp()
        status = h.getModelStatus()
        result = {
            "read_s": read_s,
            "solve_s": solve_s,
            "status": "optimal"
            if status == highspy.HighsModelStatus.kOptimal
            else h.modelStatusToString(status),
            "objective": info.objective_function_value,
            "columns": lp.num_col_,
            "rows": lp.num_row_,
            "nonzeros": len(lp.a_matrix_.value_),
            "ipm_iterations": info.ipm_iteration_count,
            "simplex_iterations": info.simplex_iteration_count,
            "crossover_iterations": info.crossover_iteration_count,
        }
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
    print(json.dumps(result))
    return 0 if result["status"] == "optimal" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
