# predict.sh - 'vqi predict': a capture and the windows table of the same
# capture give identical predictions; the course pickle is predicted row by
# row with the identifying columns pandas writes; truth from a player log;
# CSV / JSON lines; PNG/SVG/PDF timelines; the default model next to the
# program; errors, exit codes and no partial output.  Models are trained
# here with 'vqi train' (no committed model).
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
CAP=$PWD/data/samples/requet_A_exp46.pcap.xz
LOG=$PWD/data/samples/requet_A_exp46_merged.txt.xz
PKL=$FIX/predict/netflix_head5_pandas2_p5.pkl

# --- models ------------------------------------------------------------------
# m_pkl: trained on the pickle's ten rows (360 and 480), reproduces them.
# m_cap: trained on exp 46's windows labelled 720 for the first 300 s and 480
# after, so that its predictions on exp 46 change over time.
"$VQI" train "$PKL" --split none -o "$TMP/m_pkl.vqi" >/dev/null 2>&1
"$VQI" windows "$CAP" -s youtube -o "$TMP/w.csv" 2>/dev/null
$PY - "$TMP/w.csv" "$TMP/w_lab.csv" <<'EOF'
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1], index_col=0)
d["resolution"] = [720.0 if t <= 300 else 480.0 for t in d["relative_timestamp"]]
d.to_csv(sys.argv[2])
EOF
"$VQI" train "$TMP/w_lab.csv" --split none --rounds 20 -o "$TMP/m_cap.vqi" >/dev/null 2>&1
if [ -s "$TMP/m_pkl.vqi" ] && [ -s "$TMP/m_cap.vqi" ]; then pass "test models trained"
else fail "test models trained"; fi

# --- capture vs its windows table ----------------------------------------------
check_cmd "predict a capture" "$VQI" predict "$CAP" -s youtube -m "$TMP/m_cap.vqi" -o "$TMP/pc.csv"
check_cmd "predict its windows table" "$VQI" predict "$TMP/w.csv" -m "$TMP/m_cap.vqi" -o "$TMP/pw.csv"
check_files_equal "capture and table give identical predictions" "$TMP/pc.csv" "$TMP/pw.csv"
check_eq "one row per window (59) + header" "$(wc -l <"$TMP/pc.csv")" 60
check_eq "header without truth" "$(head -1 "$TMP/pc.csv")" \
    "session_id,relative_timestamp,absolute_timestamp,predicted,p_240,p_360,p_480,p_720,p_1080"
check_eq "predictions change over time (720 then 480)" \
    "$(cut -d, -f4 "$TMP/pc.csv" | sed 1d | uniq | tr '\n' ' ')" "720 480 "
check_eq "windows in time order" \
    "$(cut -d, -f2 "$TMP/pc.csv" | sed 1d | sort -n -c 2>&1 && echo sorted)" "sorted"
"$VQI" predict "$CAP" -s youtube -m "$TMP/m_cap.vqi" -o /dev/null 2>"$TMP/sum.txt"
check_eq "summary: sessions and windows" "$(head -1 "$TMP/sum.txt")" "sessions 1, windows 59"
want=$(cut -d, -f4 "$TMP/pc.csv" | sed 1d | sort -n | uniq -c |
       awk '{printf " %s %.1f%%", $2, 100 * $1 / 59}')
check_eq "summary: time share per predicted class" "$(sed -n 2p "$TMP/sum.txt")" \
    "time per predicted resolution:$want"

# --- truth from the player log (every window of exp 46 is 720p) ---------------
xz -dc "$LOG" >"$TMP/merged.txt"
check_cmd "predict with --labels" "$VQI" predict "$CAP" -s youtube -m "$TMP/m_cap.vqi" \
    -l "$TMP/merged.txt" -o "$TMP/pl.csv"
check_eq "labelled: 60 windows, all true 720" \
    "$(sed 1d "$TMP/pl.csv" | cut -d, -f4 | sort | uniq -c | awk '{print $1, $2}')" "60 720"
agree=$(sed 1d "$TMP/pl.csv" | awk -F, '$4 == $5' | wc -l)
check_eq "agreement line counts the rows whose true = predicted" \
    "$(grep -o 'agreement with the truth: [0-9]* of 60' "$TMP/.err")" \
    "agreement with the truth: $agree of 60"

# --- the course pickle ----------------------------------------------------------
check_cmd "predict the course pickle" "$VQI" predict "$PKL" -m "$TMP/m_pkl.vqi" -o "$TMP/pp.csv"
check_eq "pickle: identifying columns and truth as pandas writes them" \
    "$(cut -d, -f1-4 "$TMP/pp.csv")" "$(cat "$FIX/predict/netflix_head5_ids.csv")"
check_eq "pickle: every row predicted as its label (the model learnt these rows)" \
    "$(sed 1d "$TMP/pp.csv" | awk -F, '$4 != $5' | wc -l)" 0
check_eq "pickle: summary agreement" "$(grep -c 'agreement with the truth: 10 of 10 labelled' "$TMP/.err")" 1
"$VQI" eval "$TMP/m_pkl.vqi" "$PKL" --predictions "$TMP/pe.csv" >/dev/null 2>&1
check_eq "pickle: same columns and values as 'vqi eval --predictions'" \
    "$(md5sum <"$TMP/pp.csv")" "$(md5sum <"$TMP/pe.csv")"
check_cmd "--resolution sets the truth of a table" "$VQI" predict "$PKL" -m "$TMP/m_pkl.vqi" -r 480
check_eq "--resolution: 6 of 10 agree" \
    "$(grep -c 'agreement with the truth: 6 of 10' "$TMP/.err")" 1

# --- JSON lines ----------------------------------------------------------------
check_cmd "jsonl output" "$VQI" predict "$PKL" -m "$TMP/m_pkl.vqi" -f jsonl -o "$TMP/pp.jsonl"
got=$($PY - "$TMP/pp.jsonl" "$TMP/pp.csv" <<'EOF'
import json, sys
import pandas as pd
rows = [json.loads(l) for l in open(sys.argv[1])]
csv = pd.read_csv(sys.argv[2], dtype={"true": "Int64"}, float_precision="round_trip")
same = all(r["session_id"] == c.session_id and r["relative_timestamp"] == c.relative_timestamp
           and r["absolute_timestamp"] == c.absolute_timestamp and r["true"] == c.true
           and r["predicted"] == c.predicted and r["p_480"] == c.p_480
           for r, (_, c) in zip(rows, csv.iterrows()))
print(len(rows), list(rows[0])[:5], same)
EOF
)
check_eq "jsonl: 10 objects, fields, values equal to the CSV" "$got" \
    "10 ['session_id', 'relative_timestamp', 'absolute_timestamp', 'true', 'predicted'] True"

# --- figures ---------------------------------------------------------------------
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $3 * 256 + $4 "x" $7 * 256 + $8}'; }
check_cmd "plot png" "$VQI" predict "$CAP" -s youtube -m "$TMP/m_cap.vqi" -l "$TMP/merged.txt" \
    -o "$TMP/x.csv" --plot "$TMP/t.png"
check_eq "png signature" "$(head -c 8 "$TMP/t.png" | od -An -tx1 | tr -d ' ')" "89504e470d0a1a0a"
check_eq "png size: one session panel" "$(png_size "$TMP/t.png")" "1000x340"
check_cmd "plot svg" "$VQI" predict "$PKL" -m "$TMP/m_pkl.vqi" -o /dev/null --plot "$TMP/t.svg"
if [ "$(grep -c '<path' "$TMP/t.svg")" -gt 10 ]; then pass "svg has path elements"
else fail "svg has path elements"; fi
check_cmd "plot pdf" "$VQI" predict "$PKL" -m "$TMP/m_pkl.vqi" -o /dev/null --plot "$TMP/t.pdf"
check_eq "pdf header" "$(head -c 5 "$TMP/t.pdf")" "%PDF-"
if grep -aq '/Type /Page' "$TMP/t.pdf" && tail -c 10 "$TMP/t.pdf" | grep -aq '%%EOF'; then
    pass "pdf has a page and a trailer"; else fail "pdf has a page and a trailer"; fi

# --- the default model next to the program ---------------------------------------
mkdir -p "$TMP/inst/bin" "$TMP/inst/data/models"
cp "$VQI" "$TMP/inst/bin/vqi"
check_exit "no default model: exit 2" 2 env -u VQI_MODEL "$TMP/inst/bin/vqi" predict "$PKL"
check_eq "no default model: clear message" \
    "$(grep -c 'no default model.*--model MODEL or set VQI_MODEL' "$TMP/.err")" 1
cp "$TMP/m_pkl.vqi" "$TMP/inst/data/models/default.vqimodel"
check_cmd "default model found in ../data/models" env -u VQI_MODEL "$TMP/inst/bin/vqi" predict "$PKL"
check_eq "default model gives the same predictions" "$(md5sum <"$TMP/.out")" "$(md5sum <"$TMP/pp.csv")"
check_cmd "VQI_MODEL overrides" env VQI_MODEL="$TMP/m_pkl.vqi" "$VQI" predict "$PKL"
check_exit "VQI_MODEL pointing nowhere: exit 2" 2 env VQI_MODEL="$TMP/none.vqi" "$VQI" predict "$PKL"

# --- errors ------------------------------------------------------------------------
M=(-m "$TMP/m_pkl.vqi")
check_exit "missing input: exit 2" 2 "$VQI" predict "$TMP/nope.pcap" "${M[@]}"
check_eq "missing input: message" "$(cat "$TMP/.err")" "vqi: $TMP/nope.pcap: No such file or directory"
printf '\x80\x05garbage' >"$TMP/garbage.bin"    # a pickle's magic, then nonsense
check_exit "neither capture nor table: exit 2" 2 "$VQI" predict "$TMP/garbage.bin" "${M[@]}"
check_eq "neither capture nor table: message" \
    "$(grep -c "^vqi: $TMP/garbage.bin: neither a capture" "$TMP/.err")" 1
check_exit "capture without --service: exit 2" 2 "$VQI" predict "$CAP" "${M[@]}"
check_exit "--labels with a table: exit 2" 2 "$VQI" predict "$PKL" "${M[@]}" -l "$TMP/merged.txt"
check_exit "bad --format: exit 2" 2 "$VQI" predict "$PKL" "${M[@]}" -f xml
check_exit "bad --plot extension: exit 2" 2 "$VQI" predict "$PKL" "${M[@]}" --plot "$TMP/t.gif"
check_exit "unknown service: exit 2" 2 "$VQI" predict "$CAP" "${M[@]}" -s nosuch
check_exit "table lacking the model's columns: exit 2" 2 "$VQI" predict "$FIX/model/windows.csv" "${M[@]}"
check_eq "missing columns named" "$(grep -c "no column '10_avg_chunksize'" "$TMP/.err")" 1
printf 'a,b\n' >"$TMP/nocols.csv"
check_exit "empty table lacking the model's columns: exit 2" 2 "$VQI" predict "$TMP/nocols.csv" "${M[@]}"
check_exit "no INPUT: exit 2" 2 "$VQI" predict
check_exit "--help: exit 0" 0 "$VQI" predict --help
check_eq "--help text" "$(grep -c '^usage: vqi predict INPUT' "$TMP/.out")" 1
# all outputs or none: the figure cannot be written, so the CSV does not appear
check_exit "unwritable plot: exit 1" 1 "$VQI" predict "$PKL" "${M[@]}" -o "$TMP/half.csv" \
    --plot "$TMP/no/dir/t.png"
if [ -e "$TMP/half.csv" ]; then fail "no partial output"; else pass "no partial output"; fi
ls "$TMP"/.half.csv* "$TMP"/half.csv.* >/dev/null 2>&1 && fail "no temporary left" || pass "no temporary left"
# a capture without the service's traffic: header only, a warning, exit 0
check_cmd "no service traffic" "$VQI" predict "$CAP" -s netflix "${M[@]}" -o "$TMP/empty.csv"
check_eq "no service traffic: header only" "$(wc -l <"$TMP/empty.csv")" 1
check_eq "no service traffic: warned" "$(grep -c 'no service traffic' "$TMP/.err")" 1
