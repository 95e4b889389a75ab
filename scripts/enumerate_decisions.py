#!/usr/bin/env python3
"""Solve an exported MILP by enumeration, with HiGHS (highspy) as a plain LP solver.

Usage: python3 scripts/enumerate_decisions.py MODEL.mps [--tol 1e-9]

`allyplan export` writes the LP relaxation of a model with decisions: integer columns
are written as continuous columns in [0, 1], named `open[site,period]`,
`build[site,expansion,period]` and `run[site,product,period]`. This script finds the
optimum of the integer model without HiGHS's MIP solver:

- it enumerates every expansion's build period (or never) and every site's first open
  period (or never, for a site closed before the horizon) and fixes them: the columns
  before the first open period at 0, that one at 1, the build columns at 0 except the
  chosen one (never open, or open first in period k, covers every open/closed pattern,
  whatever the state before the horizon);
- each combination is solved by a depth-first branch and bound over the integer
  columns left (open after the first period, runs), each node an LP solved by HiGHS's
  simplex, branching on the most fractional column, pruning only nodes whose LP bound is
  above the best integer point found (relative tolerance --tol).

It prints one line per combination (`combination <build> <open> <objective|infeasible>`,
the minimum over all of the integer points of that combination), then the best:
`objective <value>`, `decision <column> <value>` for every integer column at 1, and
`lps <number of LPs solved>`. Exit code 0 on success, 1 on failure, 3 without highspy.
The enumeration is exponential only in the columns it branches on; it suits a model
with a few expansions and sites that may open, like models/investments.yaml.
"""

import itertools
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from highspy_model import quiet_stdout, read_model  # noqa: E402

INTEGER = re.compile(r"^(open|build|run)\[(.*)\]$")


def main(argv):
    args = [a for a in argv[1:]]
    tol = 1e-9
    if "--tol" in args:
        i = args.index("--tol")
        tol = float(args[i + 1])
        del args[i : i + 2]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with quiet_stdout():
        h, highspy, code = read_model(args[0], solver="simplex")
        if h is None:
            return code
        result = enumerate_model(h, highspy, tol)
    if result is None:
        return 1
    for line in result:
        print(line)
    return 0


class Solver:
    def __init__(self, h, highspy, integer, tol):
        self.h = h
        self.highspy = highspy
        self.integer = integer
        self.tol = tol
        self.lps = 0
        lp = h.getLp()
        self.lower = list(lp.col_lower_)
        self.upper = list(lp.col_upper_)

    def lp(self, fixed):
        """Solves the LP with `fixed` (column -> value) on top of the model's bounds;
        returns (objective, values) or None when infeasible."""
        n = len(self.lower)
        lower = list(self.lower)
        upper = list(self.upper)
        for c, v in fixed.items():
            lower[c] = v
            upper[c] = v
        self.h.changeColsBounds(n, list(range(n)), lower, upper)
        self.h.run()
        self.lps += 1
        status = self.h.getModelStatus()
        if status == self.highspy.HighsModelStatus.kInfeasible:
            return None
        if status != self.highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"LP status {self.h.modelStatusToString(status)}")
        info = self.h.getInfo()
        return info.objective_function_value, list(self.h.getSolution().col_value)

    def branch_and_bound(self, fixed):
        """The best integer point with `fixed`: (objective, values) or None."""
        best = None
        stack = [dict(fixed)]
        while stack:
            node = stack.pop()
            solved = self.lp(node)
            if solved is None:
                continue
            objective, values = solved
            if best is not None and objective >= best[0] - self.tol * max(1.0, abs(best[0])):
                continue
            frac = [
                (abs(values[c] - round(values[c])), c)
                for c in self.integer
                if c not in node and abs(values[c] - round(values[c])) > 1e-6
            ]
            if not frac:
                best = (objective, values)
                continue
            _, c = max(frac)
            # Depth first, the nearer side last (popped first).
            near = 1.0 if values[c] >= 0.5 else 0.0
            stack.append({**node, c: 1.0 - near})
            stack.append({**node, c: near})
        return best


def enumerate_model(h, highspy, tol):
    lp = h.getLp()
    names = [lp.col_names_[c] for c in range(lp.num_col_)]
    integer = [c for c, name in enumerate(names) if INTEGER.match(name)]
    if not integer:
        print("no integer columns (open[...], build[...], run[...]) in the model", file=sys.stderr)
        return None
    # build[site,expansion,period] by (site, expansion); open[site,period] by site, in
    # column order, which is period order.
    builds, opens = {}, {}
    for c in integer:
        kind, inner = INTEGER.match(names[c]).groups()
        parts = inner.split(",")
        if kind == "build":
            builds.setdefault(",".join(parts[:2]), []).append(c)
        elif kind == "open":
            opens.setdefault(parts[0], []).append(c)
    solver = Solver(h, highspy, integer, tol)
    choices = []
    for key, cols in builds.items():
        choices.append([("never", {c: 0.0 for c in cols})] + [
            (names[c], {d: (1.0 if d == c else 0.0) for d in cols}) for c in cols
        ])
    for site, cols in opens.items():
        options = [(f"{site}:never-open", {c: 0.0 for c in cols})]
        for i, c in enumerate(cols):
            fixed = {d: 0.0 for d in cols[:i]}
            fixed[c] = 1.0
            options.append((f"{site}:first-open {names[c]}", fixed))
        choices.append(options)
    lines = []
    best = None
    for combo in itertools.product(*choices):
        fixed = {}
        for _, f in combo:
            fixed.update(f)
        found = solver.branch_and_bound(fixed)
        label = " ".join(name for name, _ in combo)
        lines.append(f"combination {label} " + (repr(found[0]) if found else "infeasible"))
        if found and (best is None or found[0] < best[0]):
            best = found
    if best is None:
        print("no integer point", file=sys.stderr)
        return None
    objective, values = best
    lines.append(f"objective {objective!r}")
    for c in integer:
        if values[c] > 0.5:
            lines.append(f"decision {names[c]} {round(values[c])}")
    lines.append(f"lps {solver.lps}")
    return lines


if __name__ == "__main__":
    sys.exit(main(sys.argv))
