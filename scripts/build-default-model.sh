#!/bin/bash
# build-default-model.sh [OPTIONS] - evaluate the default model's recipe by
# leave-one-video-out (LOVO) cross-validation on the bundled training table,
# then train the bundled model data/models/default.vqimodel on every row.
#
# LOVO: for each video of the table, 'vqi train' on the windows of the other
# videos (--split none) and 'vqi eval --predictions' on the held-out video's
# windows.  The held-out predictions of all folds are pooled; reported:
# window accuracy, macro F1 (scikit-learn's definition), per-class recall, the
# confusion matrix, and the share of sessions whose majority prediction (ties:
# the higher resolution) equals their label (the requested resolution).
# Windows labelled 144p (not a course class) are predicted but not scored.
#
# Options:
#   --table FILE     training table (default data/train/requet_windows.csv.gz)
#   --work DIR       fold tables, models, predictions (default build/default-model)
#   --output MODEL   final model (default data/models/default.vqimodel)
#   --lovo-only      evaluate only; do not train the final model
#   -h, --help       this text
# Results: WORK/lovo_predictions.csv (pooled, with video_id and fold),
# WORK/lovo_metrics.txt (also printed), and data/models/default.lovo.txt (a
# copy next to the model, unless --lovo-only).  scripts/baseline-sklearn-rf.py
# compares these folds with scikit-learn's RandomForestClassifier(100).
set -euo pipefail
ORIG=$PWD   # paths given by the user are relative to where they ran the script
abspath() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$ORIG/$1" ;; esac; }
cd "$(dirname "$0")/.."

TABLE=data/train/requet_windows.csv.gz
WORK=build/default-model
OUTPUT=data/models/default.vqimodel
LOVO_ONLY=0
VQI=${VQI:-./vqi}

# The recipe (why: docs/MODEL.md).  All traffic features the cleaning keeps
# except the session-history ones (allprev_*, all_prev_*, cumsum_*, n_prev_*,
# up_down_ratio), which grow with the session's age rather than with the
# resolution; XGBoost gradient boosting with shallower trees and a smaller
# learning rate than the defaults, for 484 correlated rows.
# Both can be overridden from the environment to try other recipes.
DROP_PREFIXES=${DROP_PREFIXES-allprev_ all_prev_ cumsum_ n_prev_ up_down_ratio}
read -r -a MODEL_ARGS <<<"${MODEL_ARGS:---model gbt --rounds 200 --max-depth 3 --eta 0.1}"
TRAIN_ARGS=(--label resolution --group video_id --seed 0 "${MODEL_ARGS[@]}")

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case $1 in
        -h|--help) usage; exit 0 ;;
        --table|--work|--output)
            [ $# -ge 2 ] || { echo "vqi: $1 needs a value" >&2; exit 2; }
            v=$(abspath "$2")
            case $1 in --table) TABLE=$v ;; --work) WORK=$v ;; --output) OUTPUT=$v ;; esac
            shift 2 ;;
        --lovo-only) LOVO_ONLY=1; shift ;;
        *) echo "vqi: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -r "$TABLE" ] || { echo "vqi: $TABLE: not readable (run scripts/build-training-set.sh)" >&2; exit 2; }
[ -x "$VQI" ] || { echo "vqi: $VQI: not built (run make)" >&2; exit 2; }
mkdir -p "$WORK"

# records FILE: one line per CSV record (quoted EWMA arrays span lines and
# hold no commas; their line breaks become spaces here, which only that
# non-feature column sees).
records() {
    gzip -dcf "$1" | awk '{ rec = (pending == "" ? $0 : pending " " $0); tmp = rec
                           if (gsub(/"/, "", tmp) % 2) { pending = rec; next }
                           pending = ""; print rec }'
}
records "$TABLE" >"$WORK/table.rec"
header=$(head -1 "$WORK/table.rec")
col() { tr ',' '\n' <<<"$header" | grep -nx "$1" | cut -d: -f1; }
VIDEO_COL=$(col video_id)
SESSION_COL=$(col session_id)
[ -n "$VIDEO_COL" ] && [ -n "$SESSION_COL" ] || { echo "vqi: $TABLE: no video_id/session_id column" >&2; exit 2; }
drop=$(tr ',' '\n' <<<"$header" | awk -v p="$DROP_PREFIXES" '
    BEGIN { n = split(p, pre, " ") }
    { for (i = 1; i <= n; i++) if (index($0, pre[i]) == 1) { printf "%s%s", sep, $0; sep = "," } }')
[ -z "$drop" ] || TRAIN_ARGS+=(--drop "$drop")

# session_id -> video_id, for the pooled predictions
tail -n +2 "$WORK/table.rec" | awk -F, -v s="$SESSION_COL" -v v="$VIDEO_COL" '{ print $s "," $v }' |
    sort -u >"$WORK/session_video"
videos=$(cut -d, -f2 "$WORK/session_video" | sort -u)

echo "leave-one-video-out on $TABLE: $(wc -w <<<"$videos") videos"
: >"$WORK/pooled.body"
fold=0
for v in $videos; do
    fold=$((fold + 1))
    awk -F, -v c="$VIDEO_COL" -v v="$v" -v tr="$WORK/fold$fold.train.csv" -v te="$WORK/fold$fold.test.csv" '
        NR == 1 { print > tr; print > te; next }
        { if ($c == v) print > te; else print > tr }' "$WORK/table.rec"
    nice "$VQI" train "$WORK/fold$fold.train.csv" --split none "${TRAIN_ARGS[@]}" \
        -o "$WORK/fold$fold.vqi" >"$WORK/fold$fold.train.log"
    nice "$VQI" eval "$WORK/fold$fold.vqi" "$WORK/fold$fold.test.csv" \
        --predictions "$WORK/fold$fold.pred.csv" >"$WORK/fold$fold.eval.log" 2>&1 ||
        { rc=$?; grep -q 'no labelled row' "$WORK/fold$fold.eval.log" || { cat "$WORK/fold$fold.eval.log" >&2; exit $rc; }; }
    scored=$(awk -F, 'NR > 1 && $4 != ""' "$WORK/fold$fold.pred.csv" | wc -l)
    printf '  fold %d: held out %-11s %3d windows (%d scored)\n' "$fold" "$v" \
        "$(($(wc -l <"$WORK/fold$fold.pred.csv") - 1))" "$scored"
    tail -n +2 "$WORK/fold$fold.pred.csv" | sed "s/\$/,$v,$fold/" >>"$WORK/pooled.body"
done
{ echo "$(head -1 "$WORK/fold1.pred.csv"),video_id,fold"; cat "$WORK/pooled.body"; } >"$WORK/lovo_predictions.csv"
rm -f "$WORK/pooled.body"

# metrics PREDICTIONS: pooled scores of the scored rows (true not empty).
# Macro F1 over the classes present in true or predicted, zero_division=0, as
# scikit-learn's f1_score(average='macro') computes it.
metrics() {
    awk -F, '
    NR == 1 { for (i = 6; i <= NF; i++) if ($i ~ /^p_/) { k++; cls[k] = substr($i, 3) } ; next }
    $4 == "" { next }
    { t = $4 + 0; p = $5 + 0; n++; if (t == p) ok++
      cm[t, p]++; sup[t]++; pred[p]++; present[t] = 1; present[p] = 1
      s = $1; if (!(s in stot)) { order[++ns] = s; struth[s] = t }
      stot[s]++; sp[s, p]++ }
    END {
      printf "windows scored: %d\n", n
      printf "accuracy: %.4f\n", ok / n
      f1sum = 0; nf = 0
      for (i = 1; i <= k; i++) { c = cls[i] + 0; if (!(c in present)) continue
          prec = pred[c] ? cm[c, c] / pred[c] : 0; rec = sup[c] ? cm[c, c] / sup[c] : 0
          f1[c] = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0; f1sum += f1[c]; nf++ }
      printf "f1_macro: %.4f\n", f1sum / nf
      for (i = 1; i <= k; i++) { c = cls[i] + 0; if (!sup[c]) continue
          printf "recall_%d: %.4f (%d of %d)\n", c, cm[c, c] / sup[c], cm[c, c], sup[c] }
      printf "confusion matrix (rows: true, columns: predicted)\n%6s", ""
      for (j = 1; j <= k; j++) printf " %6s", cls[j]
      printf "\n"
      for (i = 1; i <= k; i++) { c = cls[i] + 0; if (!sup[c]) continue
          printf "%6s", c; for (j = 1; j <= k; j++) printf " %6d", cm[c, cls[j] + 0]; printf "\n" }
      good = 0
      for (x = 1; x <= ns; x++) { s = order[x]; best = -1; bc = 0
          for (j = 1; j <= k; j++) { c = cls[j] + 0; if (sp[s, c] >= bc && sp[s, c] > 0) { bc = sp[s, c]; best = c } }
          if (best == struth[s]) good++ }
      printf "sessions whose majority prediction = label: %d of %d (%.4f)\n", good, ns, good / ns
    }' "$1"
}
metrics "$WORK/lovo_predictions.csv" | tee "$WORK/lovo_metrics.txt"

[ "$LOVO_ONLY" = 1 ] && exit 0

echo "final model on every row of $TABLE"
mkdir -p "$(dirname "$OUTPUT")"
nice "$VQI" train "$TABLE" --split none "${TRAIN_ARGS[@]}" -o "$OUTPUT" >"$WORK/final.train.log"
grep -E '^(cleaning: features|model):' "$WORK/final.train.log"
chmod 644 "$OUTPUT"   # vqi writes 0600; the bundled model is for everyone
size=$(wc -c <"$OUTPUT")
[ "$size" -lt 2000000 ] || { echo "vqi: $OUTPUT: $size bytes, over the 2 MB budget" >&2; exit 1; }
{ echo "# leave-one-video-out evaluation of the recipe of $(basename "$OUTPUT")"
  echo "# (scripts/build-default-model.sh on $TABLE; see docs/MODEL.md)"
  cat "$WORK/lovo_metrics.txt"; } >"$(dirname "$OUTPUT")/default.lovo.txt"
echo "wrote $OUTPUT ($size bytes) and $(dirname "$OUTPUT")/default.lovo.txt"
