#!/usr/bin/python3
"""tune_sklearn.py - the assignment's tuning step in scikit-learn, as the baseline of `vqi train --tune`.

Why: `vqi train --tune` scores N parameter sets (its defaults first) by
k-fold cross-validation grouped by session on the training rows, refits the
winner on all of them and is scored on held-out sessions.  The course
solutions tune a RandomForestClassifier(n_estimators=100, n_jobs=2) with
GridSearchCV; this script does that with the same number of candidates and
folds and the same split discipline (GroupKFold by session: every window of a
session in one fold), so the two rows of the benchmark do the same amount of
search.

The grid has 12 points, scikit-learn's defaults first, in an order where the
first 2, 4, 6 and 12 points are each a full product grid:
  max_features {sqrt, 0.1} (slowest) x max_depth {None, 20, 12} x
  min_samples_leaf {1, 5} (fastest);
--candidates N takes the first N (4: max_depth {None, 20} x min_samples_leaf {1, 5}).

Usage: tune_sklearn.py TRAIN.pkl TEST.pkl [--candidates 12] [--folds 5]
                       [--label resolution] [--group session_id] [--jobs 2]
                       [--trees 100]
Prints one line to stdout:
  sklearn-grid: rows=N features=N candidates=N folds=K fits=N load=S fit=S predict=S
      accuracy=A macro_f1=F cv_accuracy=M best=max_depth:..,max_features:..,min_samples_leaf:..
and one line per candidate to stderr (mean and population std of the fold
accuracies, as vqi's log).
"""
import argparse
import sys
import time

import pandas as pd
from joblib import parallel_backend
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV, GroupKFold


def grid_points():
    """The 12 grid points, each a GridSearchCV sub-grid of one point."""
    points = []
    for max_features in ("sqrt", 0.1):
        for max_depth in (None, 20, 12):
            for min_samples_leaf in (1, 5):
                points.append({"max_features": [max_features], "max_depth": [max_depth],
                               "min_samples_leaf": [min_samples_leaf]})
    return points


def features(df, label, group):
    drop = [c for c in (label, group) if c in df.columns]
    x = df.drop(columns=drop).select_dtypes(include=["number", "bool"])
    return x, df[label]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train")
    ap.add_argument("test")
    ap.add_argument("--candidates", type=int, default=12)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--label", default="resolution")
    ap.add_argument("--group", default="session_id")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--trees", type=int, default=100, help="forest size (tests use fewer)")
    args = ap.parse_args()
    points = grid_points()
    if not 1 <= args.candidates <= len(points):
        ap.error("--candidates must be 1..%d" % len(points))
    if args.folds < 2:
        ap.error("--folds must be at least 2")

    t0 = time.perf_counter()
    train = pd.read_pickle(args.train)
    test = pd.read_pickle(args.test)
    x_train, y_train = features(train, args.label, args.group)
    x_test, y_test = features(test, args.label, args.group)
    t1 = time.perf_counter()
    # The forest uses the two cores (n_jobs=2) and the search runs the fits
    # one after the other, as vqi's tuning trains one 2-thread booster at a
    # time.  Nested in GridSearchCV, joblib 1.2 runs the forest's trees in
    # two loky worker processes, each sent a copy of the data per batch of
    # trees (measured: 5 CPU minutes in 25 wall minutes and still in the
    # first fits at load 12); the threads of a plain fit are what the
    # baseline means.
    forest = RandomForestClassifier(n_estimators=args.trees, n_jobs=args.jobs, random_state=0)
    search = GridSearchCV(forest, points[:args.candidates], cv=GroupKFold(n_splits=args.folds),
                          scoring="accuracy", n_jobs=1, refit=True)
    with parallel_backend("threading", n_jobs=args.jobs):
        search.fit(x_train, y_train, groups=train[args.group])
    t2 = time.perf_counter()
    pred = search.best_estimator_.predict(x_test)
    t3 = time.perf_counter()

    cv = search.cv_results_
    for i, params in enumerate(cv["params"]):
        print("candidate %2d/%d: CV accuracy %.4f +- %.4f  [%s]"
              % (i + 1, len(cv["params"]), cv["mean_test_score"][i], cv["std_test_score"][i],
                 ",".join("%s:%s" % kv for kv in sorted(params.items()))), file=sys.stderr)
    best = ",".join("%s:%s" % kv for kv in sorted(search.best_params_.items()))
    print("sklearn-grid: rows=%d features=%d candidates=%d folds=%d fits=%d load=%.3f fit=%.3f "
          "predict=%.3f accuracy=%.4f macro_f1=%.4f cv_accuracy=%.4f best=%s"
          % (len(x_train), x_train.shape[1], len(cv["params"]), args.folds,
             len(cv["params"]) * args.folds + 1, t1 - t0, t2 - t1, t3 - t2,
             accuracy_score(y_test, pred), f1_score(y_test, pred, average="macro"),
             search.best_score_, best))
    return 0


if __name__ == "__main__":
    sys.exit(main())
