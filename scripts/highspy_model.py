"""Read an exported model (MPS or LP) into highspy, for the scripts and tests that check
allyplan's exports with HiGHS's own Python package.

    with quiet_stdout():
        h, highspy, code = read_model(path, solver="simplex")
        if h is None:
            return code

HiGHS prints a banner on stdout when it starts, before options can silence it:
`quiet_stdout` sends C-level stdout to stderr while it runs, keeping stdout for results.
"""

import contextlib
import os
import sys


@contextlib.contextmanager
def quiet_stdout():
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def read_model(path, **options):
    """(Highs, the highspy module, 0) with the model read and output off; or
    (None, None, code): 3 when highspy is missing, 1 when the file does not read cleanly
    (the reason on stderr)."""
    try:
        import highspy
    except ImportError as e:
        print(f"highspy is not installed: {e}", file=sys.stderr)
        return None, None, 3
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in options.items():
        h.setOptionValue(key, value)
    read = h.readModel(path)
    if read != highspy.HighsStatus.kOk:
        print(f"HiGHS could not read {path} cleanly: {read}", file=sys.stderr)
        return None, None, 1
    return h, highspy, 0
