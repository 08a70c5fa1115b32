#!/usr/bin/python3
"""baseline-sklearn-rf.py WORK [TABLE] - the scikit-learn baseline of the
default model's leave-one-video-out evaluation, and an independent check of
the metrics scripts/build-default-model.sh computed.

Reads the bundled training table (default data/train/requet_windows.csv.gz)
and the fold models and pooled predictions that build-default-model.sh left
in WORK.  For each fold (one held-out video), trains
RandomForestClassifier(n_estimators=100, random_state=0) on the other videos'
windows with exactly the feature columns of that fold's vqi model (read from
its header), predicts the held-out windows and pools the predictions.
Only avg_flow_age has missing values (windows without traffic); scikit-learn
1.2 forests refuse NaN, so they become -1 (below every real age).

Prints, for vqi (recomputed from WORK/lovo_predictions.csv with sklearn.metrics)
and for the forest: accuracy, macro F1, per-class recall, confusion matrix and
the share of sessions whose majority prediction (ties: the higher resolution)
equals their label; then key=value lines (vqi_accuracy, rf_accuracy, ...)
for tests.  Needs /usr/bin/python3 with pandas 1.5 and scikit-learn 1.2.
"""
import sys

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, recall_score

CLASSES = [240, 360, 480, 720, 1080]


def model_features(path):
    """Feature names in matrix order from a vqi model file's text header."""
    with open(path, "rb") as f:
        head = f.read().split(b"\nxgboost-ubj ", 1)[0].decode()
    lines = head.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("features "):
            n = int(line.split()[1])
            names = lines[i + 1:i + 1 + n]
            if len(names) != n or any("\\" in s for s in names):
                raise SystemExit(f"{path}: unexpected feature list")
            return names
    raise SystemExit(f"{path}: no features line")


def majority(preds):
    counts = preds.value_counts()
    best = counts[counts == counts.max()].index
    return max(best)


def report(name, sessions, y_true, y_pred):
    y_true = np.asarray(y_true, dtype=int)
    y_pred = np.asarray(y_pred, dtype=int)
    acc = accuracy_score(y_true, y_pred)
    f1 = f1_score(y_true, y_pred, average="macro", zero_division=0)
    present = [c for c in CLASSES if c in set(y_true)]
    rec = recall_score(y_true, y_pred, labels=present, average=None, zero_division=0)
    cm = confusion_matrix(y_true, y_pred, labels=CLASSES)
    frame = pd.DataFrame({"s": sessions, "t": y_true, "p": y_pred})
    per_session = frame.groupby("s", sort=False).agg(t=("t", "first"), p=("p", majority))
    good = int((per_session.t == per_session.p).sum())
    print(f"== {name}: {len(y_true)} held-out windows")
    print(f"accuracy: {acc:.4f}")
    print(f"f1_macro: {f1:.4f}")
    for c, r in zip(present, rec):
        print(f"recall_{c}: {r:.4f}")
    print("confusion matrix (rows: true, columns: predicted)")
    print("      " + "".join(f" {c:6d}" for c in CLASSES))
    for c, row in zip(CLASSES, cm):
        if row.sum():
            print(f"{c:6d}" + "".join(f" {v:6d}" for v in row))
    print(f"sessions whose majority prediction = label: {good} of {len(per_session)} "
          f"({good / len(per_session):.4f})")
    return {"accuracy": acc, "f1_macro": f1, "sessions_ok": good,
            "sessions": len(per_session)}


def main():
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    work = sys.argv[1]
    table = sys.argv[2] if len(sys.argv) == 3 else "data/train/requet_windows.csv.gz"
    data = pd.read_csv(table, index_col=0)
    pooled = pd.read_csv(f"{work}/lovo_predictions.csv")
    scored = pooled[pooled["true"].notna()]
    vqi = report("vqi (recomputed with sklearn.metrics)", scored.session_id, scored["true"],
                 scored.predicted)

    valid = data[data.resolution.isin(CLASSES)]
    folds = pooled[["video_id", "fold"]].drop_duplicates().sort_values("fold")
    sessions, truth, preds = [], [], []
    for video, fold in folds.itertuples(index=False):
        features = model_features(f"{work}/fold{fold}.vqi")
        train = valid[valid.video_id != video]
        test = valid[valid.video_id == video]
        if test.empty:
            continue
        x_train = train[features].astype(float).fillna(-1.0)
        x_test = test[features].astype(float).fillna(-1.0)
        forest = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2)
        forest.fit(x_train, train.resolution.astype(int))
        sessions += list(test.session_id)
        truth += list(test.resolution.astype(int))
        preds += list(forest.predict(x_test))
    rf = report("scikit-learn RandomForestClassifier(100), same folds and features",
                sessions, truth, preds)

    for key in ("accuracy", "f1_macro", "sessions_ok", "sessions"):
        print(f"vqi_{key}={vqi[key]:.6g}" if isinstance(vqi[key], float) else f"vqi_{key}={vqi[key]}")
        print(f"rf_{key}={rf[key]:.6g}" if isinstance(rf[key], float) else f"rf_{key}={rf[key]}")


if __name__ == "__main__":
    main()
