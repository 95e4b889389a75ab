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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from highspy_model import quiet_stdout, read_model  # noqa: E402


def main(argv):
    if len(argv) != 2:
        print("usage: highs_check.py FILE", file=sys.stderr)
        return 2
    path = argv[1]
    with quiet_stdout():
        h, highspy, code = read_model(path)
        if h is None:
            return code
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
    for key, value in results:
        print(key, value)
    sys.stdout.flush()
    return 0 if status == highspy.HighsModelStatus.kOptimal else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
