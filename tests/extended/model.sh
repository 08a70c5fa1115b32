# model.sh (extended) - vqi train / eval on the course-layout tables of
# ../shared/data/pickles (ten real head rows of video_dataset and
# netflix_dataset; one session, labels 360 and 480): the same data read
# from CSV and from every pickle flavour gives the same model; the cleaning
# of the netflix layout leaves out the leaky columns; a model refuses data
# of the other layout naming the missing columns; metrics match sklearn.
. "$(dirname "$0")/../lib.sh"

P=$SHARED/data/pickles
if [ ! -d "$P" ]; then
    pass "model extended: ../shared not present, skipped"
    exit 0
fi

# the model without its summary line (which names the input file)
model_body() { grep -a -v '^summary ' "$1"; }

check_cmd "train on video_head5.csv" "$VQI" train "$P/video_head5.csv" --split none --rounds 5 -o "$TMP/csv.vqi"
check_eq "video layout: 126 non-constant L3/L4/L7 features (35 constant in the head rows)" "$(grep -c 'features: 126 (L3 10, L4 63, L7 53' "$TMP/.out")" 1
model_body "$TMP/csv.vqi" >"$TMP/csv.body"
for f in video_head5_pandas1_p2.pkl video_head5_pandas1_p4.pkl video_head5_pandas1_p4.pkl.gz \
         video_head5_pandas1_p5.pkl; do
    "$VQI" train "$P/$f" --split none --rounds 5 -o "$TMP/$f.vqi" >/dev/null 2>&1
    model_body "$TMP/$f.vqi" >"$TMP/$f.body"
    check_files_equal "$f: same model as from the CSV" "$TMP/$f.body" "$TMP/csv.body"
done

check_cmd "train on the netflix layout (pickle, pandas 2)" "$VQI" train \
    "$P/netflix_head5_pandas2_p5.pkl" --split none --rounds 5 -o "$TMP/nf.vqi"
feats=$(awk '/^features /{n=$2; next} n > 0 {print; n--}' "$TMP/nf.vqi")
for leak in bitrate quality startup_time video_position session_id 10_EWMA_chunksizes c_resolution_switches; do
    if grep -qx "$leak" <<<"$feats"; then fail "netflix layout: $leak is not a feature"
    else pass "netflix layout: $leak is not a feature"; fi
done
check_eq "netflix layout: 164 features (57 constant in the head rows)" "$(wc -l <<<"$feats")" 164

check_exit "video model on netflix data: exit 2" 2 "$VQI" eval "$TMP/csv.vqi" "$P/netflix_head5.csv"
check_eq "the missing columns are named" "$(grep -c 'the model needs 126 columns the data lacks: L7_' "$TMP/.err")" 1
check_exit "one session cannot be split by session: exit 1" 1 \
    "$VQI" train "$P/video_head5.csv" -o "$TMP/x.vqi"

check_cmd "eval with report" "$VQI" eval "$TMP/csv.vqi" "$P/video_head5_pandas1_p5.pkl" --report "$TMP/r"
if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
    /usr/bin/python3 "$FIX/model/check_metrics.py" "head rows" "$TMP/r/predictions.csv" "$TMP/r/metrics.json"
fi
