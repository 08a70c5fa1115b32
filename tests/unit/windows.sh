#!/bin/bash
# windows.sh - 'vqi windows' on the bundled Requet sample (exp 46, xz) and on
# bad usage.  Oracle: the player log's per-100-ms byte counts
# (tests/fixtures/window/exp46_window_bytes.txt, from gen_fixtures.py).
. tests/lib.sh
SAMPLE=$PWD/data/samples/requet_A_exp46.pcap.xz
LOG=$PWD/data/samples/requet_A_exp46_merged.txt.xz
W=$FIX/window

# records: join the lines of quoted multi-line fields (the EWMA arrays)
records() { awk '{ buf = buf (buf == "" ? "" : "\n") $0; n += gsub(/"/, "\"");
                  if (n % 2 == 0) { gsub(/\n/, " ", buf); print buf; buf = ""; n = 0 } }' "$1"; }

check_exit "windows --help exits 0" 0 "$VQI" windows --help
grep -q -- '--service' "$TMP/.out" && pass "help lists --service" || fail "help lists --service"
check_exit "missing --service: usage error" 2 "$VQI" windows "$SAMPLE"
check_exit "unknown service: usage error" 2 "$VQI" windows "$SAMPLE" --service nosuch
check_exit "missing capture: usage error" 2 "$VQI" windows --service youtube
check_exit "bad --window: usage error" 2 "$VQI" windows "$SAMPLE" --service youtube --window abc
check_exit "--labels with --resolution: usage error" 2 "$VQI" windows "$SAMPLE" --service youtube --labels "$LOG" --resolution 720
check_exit "unreadable capture: exit 2" 2 "$VQI" windows "$TMP/none.pcap" --service youtube -o "$TMP/none.csv"
[ -e "$TMP/none.csv" ] && fail "no output file after a failed run" || pass "no output file after a failed run"
grep -q "^vqi: .*none.pcap: " "$TMP/.err" && pass "error names the capture" || fail "error names the capture" "$(cat "$TMP/.err")"
check_exit "malformed player log: exit 2" 2 "$VQI" windows "$SAMPLE" --service youtube --labels "$W/bad_merged.txt"

check_cmd "windows on the Requet sample" "$VQI" windows "$SAMPLE" --service youtube \
    --labels "$LOG" --extra-columns -o "$TMP/w.csv"
records "$TMP/w.csv" >"$TMP/rec"
check_eq "60 windows + header" "$(wc -l <"$TMP/rec")" 61
head -1 "$TMP/rec" | tr ',' '\n' | sed -n '2,252p' >"$TMP/cols"
check_files_equal "header = the 251 course columns in order" "$TMP/cols" "$W/columns.txt"
check_eq "header starts with the unnamed index" "$(head -c 1 "$TMP/rec")" ","
tail -n +2 "$TMP/rec" | awk -F, '{print $NF}' >"$TMP/bytes"
check_files_equal "capture_bytes of every window = player log bytes (sent + received)" "$TMP/bytes" "$W/exp46_window_bytes.txt"
col() { head -1 "$TMP/rec" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
check_eq "resolution from the log: 720 in all 60 windows" \
    "$(tail -n +2 "$TMP/rec" | awk -F, -v c="$(col resolution)" '{print $c}' | sort -u)" "720.0"
check_eq "relative_timestamp 10 ... 600" \
    "$(tail -n +2 "$TMP/rec" | awk -F, -v c="$(col relative_timestamp)" '{print $c}' | sed -n '1p;60p' | tr '\n' ' ')" "10.0 600.0 "
check_eq "index column 0 ... 59" "$(tail -n +2 "$TMP/rec" | cut -d, -f1 | sed -n '1p;60p' | tr '\n' ' ')" "0 59 "
check_eq "one session id" "$(tail -n +2 "$TMP/rec" | awk -F, -v c="$(col session_id)" '{print $c}' | sort -u | wc -l)" 1
check_eq "pending requests = n_prev_up - n_prev_down" \
    "$(tail -n +2 "$TMP/rec" | awk -F, -v a="$(col n_prev_up_chunk)" -v b="$(col n_prev_down_chunk)" -v r="$(col up_down_ratio)" '$a - $b != $r' | wc -l)" 0

"$VQI" windows "$SAMPLE" --service youtube --labels "$LOG" --extra-columns >"$TMP/w2.csv" 2>/dev/null
check_files_equal "stdout output = file output (deterministic)" "$TMP/w2.csv" "$TMP/w.csv"
"$VQI" windows "$SAMPLE" --service youtube --resolution 480 -o "$TMP/r.csv"
records "$TMP/r.csv" >"$TMP/rec"
check_eq "without --extra-columns: 251 columns + index" "$(head -1 "$TMP/rec" | awk -F, '{print NF}')" 252
check_eq "constant --resolution" \
    "$(tail -n +2 "$TMP/rec" | awk -F, -v c="$(col resolution)" '{print $c}' | sort -u)" "480.0"

# pandas: schema, row relations, and 16 L7/L3 columns against the tshark + numpy oracle
/usr/bin/python3 "$W/compare.py" "$TMP/w.csv" "$W/columns.txt" "$W/exp46_oracle_l7.csv"
