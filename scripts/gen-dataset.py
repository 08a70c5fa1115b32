#!/usr/bin/python3
"""gen-dataset.py - synthetic tables in the course dataset's schema, for benchmarks.

Why: the course's netflix_dataset.pkl (52,279 x 251) is not redistributable
here, yet `vqi train` and `vqi dataset` must be measured against scikit-learn
and pandas on tables of that size and shape.  This script writes such tables,
deterministically (numpy Generator seeded by --seed): same options, same bytes.
Column names and dtypes come from gen-dataset.columns.tsv, a copy of the column
list of netflix_dataset.pkl (../shared/data/schema/netflix_dataset_columns.tsv,
reconstructed from public notebooks that loaded the file).

Kinds:
  train  --rows 50000 --columns 240: `session_id` (object, 32-char hex),
         `resolution` (float64 label: 240/360/480/720/1080) and COLUMNS-2 feature
         columns, the schema's numeric and bool columns in file order (index,
         timestamps and the label excluded), with their schema dtypes.
  full   --rows 52279: all 251 columns with the real dtypes (float64 166,
         int64 72, object 7, bool 6), a non-contiguous int64 index, per-row numpy
         arrays of shape (k, 1) in 10_EWMA_chunksizes, and invalid resolution 0
         on ~4.8 % of rows, like the real file (~105 MB as a pickle).

The label is a property of the session (sessions of 40..80 rows, ~60 on
average, 10-s windows): each session draws a resolution with the class shares
of netflix_dataset's valid rows and switches one step up or down for a
stretch of rows now and then (adaptive bitrate).  Every 12th feature column is
informative: log-normal around a level that grows with the resolution class,
with a per-session and a per-row noise term; the others are noise.  A random
forest thus reaches a high but imperfect held-out accuracy, and a row split
scores higher than a session split, as on the real data.

Outputs (each written to a temporary file, renamed on success):
  OUT.pkl (pandas pickle, protocol 5) and, with --csv, OUT.csv (no index).
  --holdout F additionally writes OUT-train.* and OUT-test.*: the sessions
  split F : 1-F by a seeded shuffle (a session-grouped split).

Usage: gen-dataset.py [--kind train|full] [--rows N] [--columns N] [--seed S]
                      [--holdout F] [--csv] -o OUT
"""
import argparse
import os
import sys

import numpy as np
import pandas as pd

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen-dataset.columns.tsv")
CLASSES = np.array([240.0, 360.0, 480.0, 720.0, 1080.0])
# Valid-row class counts of netflix_dataset.pkl (docs/DATASETS.md).
CLASS_COUNTS = np.array([1701, 4476, 29486, 9457, 4628], dtype=float)
INVALID_SHARE = 2531 / 52279
# Columns that are not features in the train kind: identifiers, time, the label.
NOT_FEATURES = {"index", "absolute_timestamp", "relative_timestamp", "resolution",
                "chunk_start_time", "chunk_end_time"}
INFORMATIVE_EVERY = 12


def read_schema():
    cols = []
    with open(SCHEMA, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            dtype = parts[2].split()[0]  # "object (int-like values...)" -> "object"
            cols.append((parts[1], dtype))
    return cols


def make_sessions(rng, rows):
    """Session number of each row, and the per-row class index (0..4)."""
    sizes = []
    total = 0
    while total < rows:
        n = int(rng.integers(40, 81))
        sizes.append(min(n, rows - total))
        total += sizes[-1]
    sizes = np.array(sizes)
    session = np.repeat(np.arange(len(sizes)), sizes)
    base = rng.choice(len(CLASSES), size=len(sizes), p=CLASS_COUNTS / CLASS_COUNTS.sum())
    cls = base[session].copy()
    # Adaptive bitrate: in ~30 % of sessions one stretch plays a step away.
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    for s in np.nonzero(rng.random(len(sizes)) < 0.3)[0]:
        a = starts[s] + int(rng.integers(0, sizes[s]))
        b = min(starts[s] + sizes[s], a + int(rng.integers(5, 20)))
        cls[a:b] = np.clip(cls[a:b] + rng.choice([-1, 1]), 0, len(CLASSES) - 1)
    return session, sizes, cls


def feature_column(rng, dtype, informative, cls, session, n_sessions):
    n = len(cls)
    if dtype == "bool":
        p = 0.2 + 0.15 * cls if informative else np.full(n, 0.3)
        return rng.random(n) < p
    if informative:
        sess_noise = rng.normal(0.0, 0.25, n_sessions)[session]
        level = 0.45 * cls + sess_noise + rng.normal(0.0, 0.6, n)
    else:
        level = rng.normal(0.0, 1.0, n)
    scale = 10.0 ** rng.integers(0, 5)
    x = scale * np.exp(level)
    if dtype == "int64":
        return np.rint(x).astype(np.int64)
    return np.round(x, 4)


def hex_ids(rng, count, width):
    raw = rng.integers(0, 16, size=(count, width))
    return ["".join("0123456789abcdef"[d] for d in row) for row in raw]


def object_column(rng, name, session, sizes, cls):
    n = len(session)
    ns = len(sizes)
    if name == "session_id":
        return np.array(hex_ids(rng, ns, 32), dtype=object)[session]
    if name == "deployment_session_id":
        macs = [":".join("%02x" % b for b in rng.integers(0, 256, 6)) for _ in range(ns)]
        t0 = rng.integers(1_514_764_800_000, 1_549_000_000_000, ns)
        ids = ["netflix_%s_%d_%d" % (m, t, t + 600_000) for m, t in zip(macs, t0)]
        return np.array(ids, dtype=object)[session]
    if name == "home_id":
        homes = np.array(["lab%d" % i for i in range(1, 11)] + ["home%03d" % i for i in range(54)],
                         dtype=object)
        return homes[rng.integers(0, len(homes), ns)][session]
    if name == "video_id":
        return np.array([str(v) for v in rng.integers(70_000_000, 81_000_000, ns)],
                        dtype=object)[session]
    if name == "quality":
        return np.where(cls >= 2, "good", "bad").astype(object)
    if name == "service":
        return np.full(n, "netflix", dtype=object)
    if name == "10_EWMA_chunksizes":
        ks = rng.integers(1, 6, n)
        vals = np.round(np.exp(rng.normal(9.5, 1.0, int(ks.sum()))), 7)
        out = np.empty(n, dtype=object)
        pos = 0
        for i, k in enumerate(ks):
            out[i] = vals[pos:pos + k].reshape(k, 1)
            pos += k
        return out
    return np.array(hex_ids(rng, n, 8), dtype=object)


def build(kind, rows, columns, seed):
    rng = np.random.default_rng(seed)
    schema = read_schema()
    session, sizes, cls = make_sessions(rng, rows)
    ns = len(sizes)
    if kind == "train":
        feats = [(c, t) for c, t in schema if t != "object" and c not in NOT_FEATURES]
        if columns - 2 > len(feats) or columns < 3:
            raise ValueError("--columns must be 3..%d for the train kind" % (len(feats) + 2))
        wanted = [("session_id", "object")] + feats[:columns - 2] + [("resolution", "float64")]
    else:
        wanted = schema
    position = np.arange(rows) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    data = {}
    feature_no = 0
    for name, dtype in wanted:
        if name == "resolution":
            res = CLASSES[cls]
            if kind == "full":
                res = np.where(rng.random(rows) < INVALID_SHARE, 0.0, res)
            data[name] = res
        elif name == "relative_timestamp":
            data[name] = 10.0 * (position + 1)
        elif name == "absolute_timestamp":
            t0 = rng.uniform(1.5147648e9, 1.549e9, ns)[session]
            data[name] = np.round(t0 + 10.0 * (position + 1), 3)
        elif name == "index":
            data[name] = np.arange(rows, dtype=np.int64)
        elif dtype == "object":
            data[name] = object_column(rng, name, session, sizes, cls)
        else:
            informative = feature_no % INFORMATIVE_EVERY == 0
            data[name] = feature_column(rng, dtype, informative, cls, session, ns)
            feature_no += 1
    df = pd.DataFrame(data, columns=[c for c, _ in wanted])
    if kind == "full":
        # A slice of a larger table: increasing, non-contiguous int64 labels.
        steps = rng.integers(1, 6, rows)
        steps[0] = 0
        df.index = pd.Index(208 + np.cumsum(steps), dtype=np.int64)
    return df, session


def write_atomic(df, path, csv):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    try:
        if csv:
            df.to_csv(tmp, index=False)
        else:
            df.to_pickle(tmp, protocol=5)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_all(df, prefix, csv):
    write_atomic(df, prefix + ".pkl", False)
    if csv:
        write_atomic(df, prefix + ".csv", True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kind", choices=["train", "full"], default="train")
    ap.add_argument("--rows", type=int)
    ap.add_argument("--columns", type=int, default=240)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--holdout", type=float, default=None,
                    help="also write OUT-train/OUT-test split by session, this share in test")
    ap.add_argument("--csv", action="store_true", help="also write CSV files")
    ap.add_argument("-o", "--output", required=True, help="output prefix (OUT.pkl, OUT.csv)")
    args = ap.parse_args()
    rows = args.rows if args.rows is not None else (50_000 if args.kind == "train" else 52_279)
    if rows < 1:
        ap.error("--rows must be positive")
    if args.holdout is not None and not 0 < args.holdout < 1:
        ap.error("--holdout must be between 0 and 1")
    try:
        df, session = build(args.kind, rows, args.columns, args.seed)
    except (OSError, ValueError) as e:
        print("gen-dataset: %s" % e, file=sys.stderr)
        return 2
    out_dir = os.path.dirname(args.output)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    write_all(df, args.output, args.csv)
    if args.holdout is not None:
        ns = int(session.max()) + 1
        order = np.random.default_rng(args.seed + 1).permutation(ns)
        test_sessions = order[:max(1, int(round(ns * args.holdout)))]
        is_test = np.isin(session, test_sessions)
        write_all(df[~is_test], args.output + "-train", args.csv)
        write_all(df[is_test], args.output + "-test", args.csv)
    print("%s: %d rows x %d columns, %d sessions" % (args.output, df.shape[0], df.shape[1],
                                                     int(session.max()) + 1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
