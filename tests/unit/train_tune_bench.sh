# train_tune_bench.sh - the benchmark's tuning baseline
# (bench/baselines/tune_sklearn.py) searches what `vqi train --tune` does: the
# requested number of candidates (scikit-learn's defaults first, prefixes of
# 4 a product grid), the same number of folds grouped by session, the winner
# refitted once; and its summary line carries what bench/run.sh (row 4t)
# reads.  On a tiny generated table with 10-tree forests, so it takes seconds.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
if ! $PY -c 'import sklearn, pandas' 2>/dev/null; then
    pass "tune baseline skipped (python3-sklearn missing)"
    exit 0
fi
$PY scripts/gen-dataset.py --kind train --rows 300 --columns 20 --holdout 0.25 -o "$TMP/t" \
    >/dev/null 2>&1
check_cmd "tune_sklearn.py runs (4 candidates x 3 folds)" $PY bench/baselines/tune_sklearn.py \
    "$TMP/t-train.pkl" "$TMP/t-test.pkl" --candidates 4 --folds 3 --jobs 1 --trees 10
out=$(cat "$TMP/.out")
check_eq "one summary line" "$(wc -l <"$TMP/.out")" 1
check_eq "4 candidates, 3 folds, 13 fits (12 + the refit)" \
    "$(echo "$out" | grep -o 'candidates=[0-9]* folds=[0-9]* fits=[0-9]*')" \
    "candidates=4 folds=3 fits=13"
check_eq "the grid: max_depth {None, 20} x min_samples_leaf {1, 5}, defaults first" \
    "$(sed -n 's/^candidate *[0-9]\/4: .*\[\(.*\)\]$/\1/p' "$TMP/.err" | tr '\n' ' ')" \
    "max_depth:None,max_features:sqrt,min_samples_leaf:1 max_depth:None,max_features:sqrt,min_samples_leaf:5 max_depth:20,max_features:sqrt,min_samples_leaf:1 max_depth:20,max_features:sqrt,min_samples_leaf:5 "
best=$(echo "$out" | sed -n 's/.* best=//p')
case " $(sed -n 's/^candidate .*\[\(.*\)\]$/\1/p' "$TMP/.err" | tr '\n' ' ') " in
    *" $best "*) pass "the winner is one of the candidates ($best)" ;;
    *) fail "the winner is one of the candidates" "$best" ;;
esac
# bench/run.sh reads accuracy=, cv_accuracy= and best= from this line
for field in accuracy cv_accuracy best; do
    echo "$out" | grep -q " $field=[^ ]" && pass "summary has $field=" || fail "summary has $field=" "$out"
done
# the CV score of the winner is its mean over the folds, each fold a set
# of whole sessions: recomputed with an explicit GroupKFold loop
got=$($PY - "$TMP/t-train.pkl" "$best" <<'PYEOF'
import sys
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GroupKFold
df = pd.read_pickle(sys.argv[1])
params = dict(kv.split(":") for kv in sys.argv[2].split(","))
depth = None if params["max_depth"] == "None" else int(params["max_depth"])
x = df.drop(columns=["resolution", "session_id"]).select_dtypes(include=["number", "bool"])
y, g = df["resolution"], df["session_id"]
scores, crossing = [], 0
for tr, te in GroupKFold(n_splits=3).split(x, y, g):
    crossing += len(set(g.iloc[tr]) & set(g.iloc[te]))
    m = RandomForestClassifier(n_estimators=10, n_jobs=1, random_state=0, max_depth=depth,
                               max_features=params["max_features"],
                               min_samples_leaf=int(params["min_samples_leaf"]))
    m.fit(x.iloc[tr], y.iloc[tr])
    scores.append((m.predict(x.iloc[te]) == y.iloc[te]).mean())
print("%.4f %d" % (np.mean(scores), crossing))
PYEOF
)
check_eq "winner's CV accuracy recomputed fold by fold; no session in two folds" "$got" \
    "$(echo "$out" | grep -o 'cv_accuracy=[0-9.]*' | cut -d= -f2) 0"
check_exit "--candidates 13 refused" 2 $PY bench/baselines/tune_sklearn.py \
    "$TMP/t-train.pkl" "$TMP/t-test.pkl" --candidates 13
