#!/usr/bin/python3
"""train_sklearn.py - the assignment's Part 2 model in scikit-learn, as a baseline.

Why: `vqi train` (XGBoost in C) is compared with what the course solutions
run: RandomForestClassifier(n_estimators=100, n_jobs=2) on the table minus its
identifier column, and GridSearchCV for tuning.  Train and test tables are
given separately (gen-dataset.py --holdout writes a session-grouped split), so
both tools are scored on the same held-out rows.

Usage: train_sklearn.py TRAIN.pkl TEST.pkl [--label resolution] [--group session_id]
                        [--tune] [--jobs 2]
Prints one line to stdout:
  sklearn: rows=N features=N load=S fit=S predict=S accuracy=A macro_f1=F
--tune: GridSearchCV over max_depth {None, 20} x min_samples_leaf {1, 5} with a
3-fold GroupKFold by session (12 fits + the refit); prints best parameters too.
"""
import argparse
import sys
import time

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV, GroupKFold


def features(df, label, group):
    drop = [c for c in (label, group) if c in df.columns]
    x = df.drop(columns=drop).select_dtypes(include=["number", "bool"])
    return x, df[label]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train")
    ap.add_argument("test")
    ap.add_argument("--label", default="resolution")
    ap.add_argument("--group", default="session_id")
    ap.add_argument("--tune", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    t0 = time.perf_counter()
    train = pd.read_pickle(args.train)
    test = pd.read_pickle(args.test)
    x_train, y_train = features(train, args.label, args.group)
    x_test, y_test = features(test, args.label, args.group)
    t1 = time.perf_counter()
    model = RandomForestClassifier(n_estimators=100, n_jobs=args.jobs, random_state=0)
    best = ""
    if args.tune:
        grid = GridSearchCV(model, {"max_depth": [None, 20], "min_samples_leaf": [1, 5]},
                            cv=GroupKFold(n_splits=3), n_jobs=1)
        grid.fit(x_train, y_train, groups=train[args.group])
        model = grid.best_estimator_
        best = " best=" + ",".join("%s:%s" % kv for kv in sorted(grid.best_params_.items()))
    else:
        model.fit(x_train, y_train)
    t2 = time.perf_counter()
    pred = model.predict(x_test)
    t3 = time.perf_counter()
    print("sklearn: rows=%d features=%d load=%.3f fit=%.3f predict=%.3f accuracy=%.4f "
          "macro_f1=%.4f%s"
          % (len(x_train), x_train.shape[1], t1 - t0, t2 - t1, t3 - t2,
             accuracy_score(y_test, pred), f1_score(y_test, pred, average="macro"), best))
    return 0


if __name__ == "__main__":
    sys.exit(main())
