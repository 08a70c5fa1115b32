# model.sh - 'vqi train' and 'vqi eval' on the bundled synthetic window table
# (tests/fixtures/model/windows.csv, made by make_fixture.py): every number of
# metrics.json recomputed by scikit-learn from the predictions file (1e-12),
# session split, reproducibility, tuning, rf mode, errors and exit codes.
. "$(dirname "$0")/../lib.sh"

W=$FIX/model/windows.csv
ORACLE="$FIX/model/check_metrics.py"
PY=/usr/bin/python3
have_sklearn() { $PY -c 'import sklearn, pandas' 2>/dev/null; }

# the scikit-learn oracle runs once at the end on every (name, predictions,
# metrics) triple collected here: Python + sklearn start slowly
ORACLE_ARGS=()
oracle() { ORACLE_ARGS+=("$1" "$2" "$3"); }

# --- train with a report ---------------------------------------------------
check_cmd "train gbt with a report" "$VQI" train "$W" -o "$TMP/m.vqi" --report "$TMP/r"
cp "$TMP/.out" "$TMP/train.log"
for f in metrics.json report.md confusion.png roc.png predictions.csv; do
    if [ -s "$TMP/r/$f" ]; then pass "report has $f"; else fail "report has $f"; fi
done
check_eq "model file magic" "$(head -1 "$TMP/m.vqi")" "vqi-model 1"
check_eq "model lists the 9 numeric L3/L4/L7 features" \
    "$(sed -n 's/^features //p' "$TMP/m.vqi")" 9
check_eq "invalid labels dropped (33 rows of resolution 0)" \
    "$(grep -c 'rows: 33 dropped' "$TMP/train.log")" 1
check_eq "identifiers never features" \
    "$(grep -c '2 identifiers left out (.*): session_id, video_id$' "$TMP/train.log")" 1
check_eq "time columns never features" \
    "$(grep -c '2 time and player position left out (.*): absolute_timestamp, relative_timestamp$' "$TMP/train.log")" 1
oracle "train report" "$TMP/r/predictions.csv" "$TMP/r/metrics.json"

# session split: every session on the test side has all its valid windows
# there (none of them was used for training); 10 of the 48 sessions held out
got=$(awk -F, 'FNR == 1 { next }
    NR == FNR { if ($NF + 0 > 0) full[$2]++; next }
    { held[$1]++ }
    END { bad = 0; n = 0; for (s in held) { n++; if (held[s] != full[s]) bad++ }
          print bad, n, length(full) }' "$W" "$TMP/r/predictions.csv")
check_eq "session split: no test session has windows in training (split, test, all)" \
    "$got" "0 10 48"

# --- reproducible -----------------------------------------------------------
"$VQI" train "$W" -o "$TMP/m2.vqi" >/dev/null 2>&1
check_files_equal "same seed, same model file" "$TMP/m2.vqi" "$TMP/m.vqi"
"$VQI" train "$W" -o "$TMP/m3.vqi" --seed 5 >/dev/null 2>&1
if cmp -s "$TMP/m3.vqi" "$TMP/m.vqi"; then fail "another seed, another model"
else pass "another seed, another model"; fi

# --- eval ------------------------------------------------------------------
check_cmd "eval with predictions and report" "$VQI" eval "$TMP/m.vqi" "$W" \
    --predictions "$TMP/all.csv" --report "$TMP/e"
check_eq "eval prints accuracy" "$(grep -c '^accuracy:' "$TMP/.out")" 1
check_eq "predictions: one row per window + header" "$(wc -l <"$TMP/all.csv")" 531
check_eq "predictions header" "$(head -1 "$TMP/all.csv")" \
    "session_id,relative_timestamp,absolute_timestamp,true,predicted,p_240,p_360,p_480,p_720,p_1080"
oracle "eval all rows" "$TMP/all.csv" "$TMP/e/metrics.json"
oracle "eval report" "$TMP/e/predictions.csv" "$TMP/e/metrics.json"

# a shallow 2-round model: many tied probabilities, ROC ties as sklearn
"$VQI" train "$W" -o "$TMP/tie.vqi" --rounds 2 --max-depth 2 --split row --report "$TMP/t" >/dev/null 2>&1
oracle "tied scores" "$TMP/t/predictions.csv" "$TMP/t/metrics.json"

# --- random forest, tuning, feature selection ------------------------------
check_cmd "train rf" "$VQI" train "$W" --model rf --trees 30 -o "$TMP/rf.vqi" --report "$TMP/rf"
check_eq "rf model kind" "$(grep -c '^params kind=rf rounds=1 trees=30' "$TMP/rf.vqi")" 1
oracle "rf report" "$TMP/rf/predictions.csv" "$TMP/rf/metrics.json"
check_cmd "tune (3 candidates, 3 folds)" "$VQI" train "$W" --tune --candidates 3 --folds 3 \
    --rounds 20 -o "$TMP/tuned.vqi"
check_eq "tune reports each candidate" "$(grep -c '^tune  *[0-9]/3: CV accuracy' "$TMP/.out")" 3
check_eq "tune reports the winner" "$(grep -c '^tune: winner' "$TMP/.out")" 1
check_cmd "families and --drop" "$VQI" train "$W" --features L3,L7 --drop L3_noise \
    --split none -o "$TMP/f.vqi"
check_eq "L3,L7 minus L3_noise = 5 features" "$(sed -n 's/^features //p' "$TMP/f.vqi")" 5
check_cmd "group by video_id" "$VQI" train "$W" --group video_id -o "$TMP/v.vqi"
check_eq "split by video_id logged" "$(grep -c 'split: by video_id, 13 groups' "$TMP/.out")" 1

# --- errors -------------------------------------------------------------------
cut -d, -f1-7,9- "$W" >"$TMP/no_noise.csv"     # drops column 8, L3_noise
check_exit "eval: data lacking a model column exits 2" 2 "$VQI" eval "$TMP/m.vqi" "$TMP/no_noise.csv"
check_eq "eval: the missing column is named" \
    "$(grep -c 'lacks: L3_noise' "$TMP/.err")" 1
check_exit "train: unknown option exits 2" 2 "$VQI" train "$W" --bogus
check_exit "train: bad --model exits 2" 2 "$VQI" train "$W" --model svm
check_exit "train: no data exits 2" 2 "$VQI" train
check_exit "train: missing file exits 2" 2 "$VQI" train "$TMP/nope.csv"
check_exit "train: missing label column exits 2" 2 "$VQI" train "$W" --label quality
check_exit "train: --split session without the group column exits 2" 2 \
    "$VQI" train "$W" --group nope
head -c 300 "$TMP/m.vqi" >"$TMP/trunc.vqi"
check_exit "eval: truncated model exits 2" 2 "$VQI" eval "$TMP/trunc.vqi" "$W"
check_eq "eval: truncated model message" "$(grep -c "^vqi: $TMP/trunc.vqi: not a vqi model" "$TMP/.err")" 1
check_exit "eval: a CSV as model exits 2" 2 "$VQI" eval "$W" "$W"
check_exit "train --help exits 0" 0 "$VQI" train --help
check_exit "eval --help exits 0" 0 "$VQI" eval --help
"$VQI" train "$W" -o "$TMP/sub/dir/m.vqi" >/dev/null 2>&1
check_eq "unwritable output: exit 1" "$?" 1
ls "$TMP"/m.vqi.tmp.* >/dev/null 2>&1 && fail "no temporary files left" || pass "no temporary files left"

# --- the scikit-learn oracle on everything above ----------------------------
if have_sklearn; then
    $PY "$ORACLE" "${ORACLE_ARGS[@]}" >"$TMP/oracle.out"
    cat "$TMP/oracle.out"
    ties=$(sed -n 's/^# tied scores: [0-9]* rows, \([0-9]*\) tied.*/\1/p' "$TMP/oracle.out")
    if [ "${ties:-0}" -gt 0 ]; then pass "the tied case has tied scores ($ties)"
    else fail "the tied case has tied scores"; fi
else
    pass "sklearn oracle skipped (python3-sklearn missing)"
fi
