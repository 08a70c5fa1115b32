#!/bin/bash
# demo.sh - the bundled training table and default model load, and
# scripts/demo.sh ('make demo') runs end to end into a scratch directory.
# Expected values: the table's shape and label counts as pandas 1.5.3 reads
# it (pd.read_csv(..., index_col=0): 590 x 252; resolution 144:106 240:60
# 360:92 480:89 720:184 1080:59; 6 video_ids, 21 experiments); the sample's
# frame count from tshark (`xz -dc ... | tshark -r - | wc -l` = 28258); the
# player log of exp 46 says 720p in all 60 windows.
. tests/lib.sh
TABLE=$PWD/data/train/requet_windows.csv.gz
MODEL=$PWD/data/models/default.vqimodel

# --- the training table
check_cmd "dataset info reads the bundled training table" "$VQI" dataset info "$TABLE"
check_eq "table shape (pandas: 590 x 252)" "$(grep -c '^shape: 590 rows x 252 columns' "$TMP/.out")" 1
check_eq "label counts (pandas value_counts)" \
    "$(grep '^resolution:' "$TMP/.out")" \
    "resolution: 144.0 106 (18.0%), 240.0 60 (10.2%), 360.0 92 (15.6%), 480.0 89 (15.1%), 720.0 184 (31.2%), 1080.0 59 (10.0%)"
header=$(gzip -dc "$TABLE" | head -1)
check_eq "last column is 'experiment'" "${header##*,}" "experiment"
# one line per record: quoted EWMA arrays span lines
gzip -dc "$TABLE" | awk '{ r = (p == "" ? $0 : p " " $0); t = r
    if (gsub(/"/, "", t) % 2) { p = r; next } p = ""; print r }' >"$TMP/rec"
vcol=$(head -1 "$TMP/rec" | tr ',' '\n' | grep -nx video_id | cut -d: -f1)
check_eq "6 videos (pandas nunique)" "$(tail -n +2 "$TMP/rec" | cut -d, -f"$vcol" | sort -u | wc -l)" 6
check_eq "21 experiments, exp_318 (aborted) left out" \
    "$(tail -n +2 "$TMP/rec" | awk -F, '{print $NF}' | sort -u | tr '\n' ' ' | grep -o 'exp_[0-9]*' | wc -l) $(grep -c C_exp_318 "$TMP/rec")" "21 0"

# --- the default model
size=$(wc -c <"$MODEL")
[ "$size" -lt 2000000 ] && pass "default model under 2 MB ($size bytes)" || fail "default model under 2 MB" "$size bytes"
check_eq "default model: classes 240..1080" "$(grep -a -m1 '^classes ' "$MODEL")" "classes 5 240 360 480 720 1080"
check_eq "default model: no identifier or time feature" \
    "$(awk '/^features /{n=$2; next} n > 0 {print; n--}' "$MODEL" | grep -cxE 'session_id|video_id|relative_timestamp|absolute_timestamp|experiment')" 0
check_eq "default model: no session-history feature (docs/MODEL.md)" \
    "$(awk '/^features /{n=$2; next} n > 0 {print; n--}' "$MODEL" | grep -cE '^(allprev_|all_prev_|cumsum_|n_prev_)')" 0
[ -r data/models/default.lovo.txt ] && grep -q '^accuracy: ' data/models/default.lovo.txt &&
    pass "held-out scores stored next to the model" || fail "held-out scores stored next to the model"

# --- the demo
check_cmd "scripts/demo.sh runs" scripts/demo.sh "$TMP/demo"
cp "$TMP/.out" "$TMP/demo.log"
for f in packets.csv youtube_dns.csv youtube_addresses.txt flows.csv stats.txt windows.csv \
         predictions.csv resolution.png eval.log report/metrics.json report/report.md \
         netflix_addresses.txt netflix_stats.txt; do
    [ -s "$TMP/demo/$f" ] && pass "demo wrote $f" || fail "demo wrote $f"
done
check_eq "packets.csv: 28258 frames (tshark)" "$(grep -c "^28258 packets -> " "$TMP/demo.log")" 1
check_eq "resolution.png is a PNG" "$(head -c 4 "$TMP/demo/resolution.png" | tail -c 3)" "PNG"
check_eq "predictions: 60 windows" "$(awk -F, 'NR > 1 && $1 != ""' "$TMP/demo/predictions.csv" | wc -l)" 60
check_eq "predictions: truth 720 from the player log" \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "true") c = i; next } { print $c }' "$TMP/demo/predictions.csv" | sort -u)" 720
grep -q 'part of the default model.s training data' "$TMP/demo.log" &&
    pass "demo says exp 46 is training data" || fail "demo says exp 46 is training data"
grep -q 'docs/MODEL.md' "$TMP/demo.log" && pass "demo points to docs/MODEL.md" || fail "demo points to docs/MODEL.md"
check_exit "demo fails loudly without 'vqi predict'" 1 env VQI=/bin/false scripts/demo.sh "$TMP/demo2"
grep -q "predict' is not available" "$TMP/.err" && pass "demo names the missing step" ||
    fail "demo names the missing step" "$(head -c 200 "$TMP/.err")"
mkdir -p "$TMP/other" && touch "$TMP/other/keep"
check_exit "demo refuses to replace an unrelated directory" 2 scripts/demo.sh "$TMP/other"
[ -e "$TMP/other/keep" ] && pass "the unrelated directory is left alone" || fail "the unrelated directory is left alone"
