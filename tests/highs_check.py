#!/usr/bin/env python3
"""Solve an exported LP/MPS file with HiGHS (highspy) and print what it found.

Usage: python3 tests/highs_check.py FILE

Prints, one per line, `key value` pairs (parsed by tests/export.rs):
    status optimal|<HiGHS model status>
    objective <value, round-trip repr>
    columns <n>
    rows <m>
    nonzeros <k>
    integers <columns marked integer>
    offset <the objective's constant, round-trip repr>
Exit code: 0 when HiGHS read the file and found an optimum; 1 when it could not read
the file or the model is not optimal; 2 on bad usage; 3 when highspy is not installed.
HiGHS's own banner (printed when highspy starts) goes to stderr, not stdout.
"""

import os
import sys


def main(argv):
    if len(argv) != 2:
        print("usage: highs_check.py FILE", file=sys.stderr)
        return 2
    path = argv[1]
    # HiGHS prints a banner on stdout when it starts, before options can silence it:
    # send C-level stdout to stderr while it runs, keeping stdout for our results.
    sys.stdout.flush()
    saved_stdout = os.dup(1)
    os.dup2(2, 1)
    try:
        try:
            import highspy
        except ImportError as e:
            print(f"highspy is not installed: {e}", file=sys.stderr)
            return 3
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        read = h.readModel(path)
        if read != highspy.HighsStatus.kOk:
            print(f"HiGHS could not read {path} cleanly: {read}", file=sys.stderr)
            return 1
        h.run()
        status = h.getModelStatus()
        lp = h.getLp()
        results = [
            ("status", "optimal" if status == highspy.HighsModelStatus.kOptimal
             else h.modelStatusToString(status)),
            ("objective", repr(float(h.getInfo().objective_function_value))),
            ("columns", lp.num_col_),
            ("rows", lp.num_row_),
            ("nonzeros", len(lp.a_matrix_.value_)),
            ("integers", sum(1 for v in lp.integrality_
                             if v == highspy.HighsVarType.kInteger)),
            ("offset", repr(float(lp.offset_))),
        ]
    finally:
        sys.stdout.flush()
        os.dup2(saved_stdout, 1)
        os.close(saved_stdout)
    for key, value in results:
        print(key, value)
    sys.stdout.flush()
    return 0 if status == highspy.HighsModelStatus.kOptimal else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
