# predict.sh (extended) - 'vqi predict' on the shared data: the course pickle
# (pandas 2.x layout) predicted row by row with the identifying columns of its
# pandas-written CSV twin; a Requet capture and its windows table give
# identical predictions; on Requet exp 41 / 46 (player logs: 720p throughout)
# a model trained on OTHER sessions (group C at their requested resolution +
# the other labelled A session, never the predicted video) agrees with the
# log in most labelled windows.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
R=$SHARED/data/requet
if [ ! -d "$R/pcap" ]; then
    fail "shared Requet data" "$R missing"
    exit 0
fi

# --- training windows: group C at the requested resolution (exp 318 aborted) --
declare -A RES=([tiny]=144 [small]=240 [medium]=360 [large]=480 [hd720]=720 [hd1080]=1080)
n=0
for f in "$R"/pcap/C_baseline_*_exp_*.pcap; do
    e=${f##*_exp_}; e=${e%.pcap}
    [ "$e" = 318 ] && continue
    q=$(awk -v n="$e" '$1 == n { print $3 }' "$R/ExperimentInfo.txt")
    "$VQI" windows "$f" -s youtube -r "${RES[$q]}" -o "$TMP/c_$e.csv" 2>/dev/null && n=$((n + 1))
done
check_eq "group C windows computed (19 captures)" "$n" 19
for e in 41 46; do
    "$VQI" windows "$R/pcap/A_baseline_Mar22_exp_$e.pcap" -s youtube \
        -l "$R/labels/A_baseline_Mar22_exp_${e}_merged.txt" -o "$TMP/a_$e.csv" 2>/dev/null
done

# --- Requet exp 41 / 46 against their player logs ----------------------------------
for pair in "46 41" "41 46"; do
    set -- $pair
    other=$1 e=$2
    cap=$R/pcap/A_baseline_Mar22_exp_$e.pcap log=$R/labels/A_baseline_Mar22_exp_${e}_merged.txt
    # measured, not checked: group C alone does not carry over to these sessions
    "$VQI" train "$TMP"/c_*.csv --split none -o "$TMP/c_only.vqi" >/dev/null 2>&1
    "$VQI" predict "$cap" -s youtube -m "$TMP/c_only.vqi" -l "$log" -o /dev/null 2>"$TMP/c_only.txt"
    echo "# exp $e, model of group C only: $(grep -o 'agreement.*' "$TMP/c_only.txt")"
    "$VQI" train "$TMP"/c_*.csv "$TMP/a_$other.csv" --split none -o "$TMP/m_$e.vqi" >/dev/null 2>&1
    check_cmd "exp $e: predicted with the log as truth" "$VQI" predict "$cap" -s youtube \
        -m "$TMP/m_$e.vqi" -l "$log" -o "$TMP/p_$e.csv"
    got=$(sed 1d "$TMP/p_$e.csv" | awk -F, '$4 != "" { n++; if ($4 == $5) a++ }
          END { printf "%d %d", n, (2 * a > n) }')
    echo "# exp $e, model of group C + exp $other: $(grep -o 'agreement.*' "$TMP/.err")"
    check_eq "exp $e: 60 labelled windows, most agree with the log (model without exp $e)" "$got" "60 1"
done

# --- the bundled training table, the default model's recipe, video left out ----------
TRAIN=$PWD/data/train/requet_windows.csv.gz
if [ -r "$TRAIN" ]; then
    for pair in "41 8aUVN523r_A" "46 yjb40tAQZO0"; do
        set -- $pair
        e=$1 vid=$2
        $PY - "$TRAIN" "$vid" "$TMP/tr_$e.csv" <<'PY'
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1], index_col=0)
d[d.video_id != sys.argv[2]].to_csv(sys.argv[3])
PY
        "$VQI" train "$TMP/tr_$e.csv" --split none --model gbt --rounds 200 --max-depth 3 --eta 0.1 \
            -o "$TMP/d_$e.vqi" >/dev/null 2>&1
        "$VQI" predict "$R/pcap/A_baseline_Mar22_exp_$e.pcap" -s youtube -m "$TMP/d_$e.vqi" \
            -l "$R/labels/A_baseline_Mar22_exp_${e}_merged.txt" -o "$TMP/d_$e.csv" 2>"$TMP/d_$e.txt"
        echo "# exp $e, default recipe on data/train without video $vid: $(grep -o 'agreement.*' "$TMP/d_$e.txt")"
        got=$(sed 1d "$TMP/d_$e.csv" | awk -F, '$4 != "" { n++; if ($4 == $5) a++ }
              END { printf "%d %d", n, (2 * a > n) }')
        check_eq "exp $e: data/train without its video, most windows agree with the log" "$got" "60 1"
    done
fi

# --- a capture and its windows table ------------------------------------------------
cap=$R/pcap/A_baseline_Mar22_exp_41.pcap
"$VQI" windows "$cap" -s youtube -o "$TMP/w41.csv" 2>/dev/null
"$VQI" predict "$cap" -s youtube -m "$TMP/m_46.vqi" -o "$TMP/pc.csv" 2>/dev/null
"$VQI" predict "$TMP/w41.csv" -m "$TMP/m_46.vqi" -o "$TMP/pw.csv" 2>/dev/null
check_eq "exp 41: capture and windows table, same predicted column" \
    "$(cut -d, -f4 "$TMP/pc.csv" | md5sum)" "$(cut -d, -f4 "$TMP/pw.csv" | md5sum)"
check_files_equal "exp 41: capture and windows table, identical files" "$TMP/pc.csv" "$TMP/pw.csv"
"$VQI" monitor -r "$cap" -s youtube -m "$TMP/m_46.vqi" -f csv -o "$TMP/mon.csv" 2>/dev/null
check_eq "exp 41: monitor replay predicts the same" \
    "$(cut -d, -f1,4,13- "$TMP/mon.csv" | md5sum)" "$(cut -d, -f1,2,4- "$TMP/pc.csv" | md5sum)"

# --- the course pickle (pandas 2.x layout, ten windows) -------------------------------
pkl=$SHARED/data/pickles/netflix_head5_pandas2_p5.pkl
check_cmd "course pickle predicted" "$VQI" predict "$pkl" -m "$TMP/m_46.vqi" -o "$TMP/pk.csv" \
    --plot "$TMP/pk.png"
want=$($PY - "$SHARED/data/pickles/netflix_head5.csv" <<'EOF'
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1], index_col=0)
for _, r in d.sort_values("relative_timestamp").iterrows():
    print("%s,%r,%r,%d" % (r.session_id, r.relative_timestamp, r.absolute_timestamp, r.resolution))
EOF
)
check_eq "course pickle: ten rows, ids and truth as pandas reads them" \
    "$(sed 1d "$TMP/pk.csv" | cut -d, -f1-4)" "$want"
check_eq "course pickle: a class and five probabilities per row" \
    "$(sed 1d "$TMP/pk.csv" | awk -F, '{ s = 0; for (i = 6; i <= 10; i++) s += $i;
        if (NF == 10 && s > 0.999 && s < 1.001) n++ } END { print n }')" 10
if [ -s "$TMP/pk.png" ]; then pass "course pickle: timeline written"; else fail "course pickle: timeline written"; fi
