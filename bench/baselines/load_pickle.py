#!/usr/bin/python3
"""load_pickle.py - pandas' side of the dataset-loading benchmark.

Why: `vqi dataset export` loads a course pickle natively (no code execution)
and writes it out; the reference is what a notebook does, pandas.read_pickle.
Plain mode only loads (the pure load cost); --csv also writes the table to
stdout as CSV, the same work as an export.

Usage: load_pickle.py FILE.pkl [--csv]
Prints "pandas: rows=N columns=N load=S [csv=S]" to stderr.
"""
import sys
import time

import pandas as pd

if len(sys.argv) < 2 or len(sys.argv) > 3 or (len(sys.argv) == 3 and sys.argv[2] != "--csv"):
    print(__doc__.split("\n\n")[-2], file=sys.stderr)
    sys.exit(2)
t0 = time.perf_counter()
df = pd.read_pickle(sys.argv[1])
t1 = time.perf_counter()
extra = ""
if len(sys.argv) == 3:
    df.to_csv(sys.stdout)  # with the index, as a notebook user would write it
    extra = " csv=%.3f" % (time.perf_counter() - t1)
print("pandas: rows=%d columns=%d load=%.3f%s" % (df.shape[0], df.shape[1], t1 - t0, extra),
      file=sys.stderr)
