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

# --window 5: twice the windows; each pair of 5-s windows adds up to the 10-s window
check_cmd "--window 5" "$VQI" windows "$SAMPLE" --service youtube --labels "$LOG" --extra-columns \
    --window 5 -o "$TMP/w5.csv"
# (the last 5-s window, 595-600 s, has no YouTube packet: a trailing empty window, not emitted)
check_eq "--window 5: 119 windows" "$(records "$TMP/w5.csv" | tail -n +2 | wc -l)" 119
records "$TMP/w5.csv" | tail -n +2 | awk -F, '{print $NF}' | head -118 | paste -d' ' - - | awk '{print $1 + $2}' >"$TMP/pairs"
head -59 "$W/exp46_window_bytes.txt" >"$TMP/want59"
check_files_equal "--window 5: pairs of windows sum to the 10-s capture_bytes" "$TMP/pairs" "$TMP/want59"
check_eq "--window 5: relative_timestamp 5 ... 595" \
    "$(records "$TMP/w5.csv" | tail -n +2 | awk -F, '{print $97}' | sed -n '1p;119p' | tr '\n' ' ')" "5.0 595.0 "

# request thresholds are options: a higher UDP threshold finds fewer requests
sum_col() { records "$1" | tail -n +2 | awk -F, -v c="$2" '{ s += $c } END { print s + 0 }'; }
"$VQI" windows "$SAMPLE" --service youtube --request-min-udp 150 -o "$TMP/u150.csv"
up100=$(sum_col "$TMP/r.csv" 90) up150=$(sum_col "$TMP/u150.csv" 90)   # n_chunks_up
[ "$up150" -lt "$up100" ] && pass "--request-min-udp 150: fewer requests ($up150 < $up100)" \
    || fail "--request-min-udp 150: fewer requests" "$up150 vs $up100"
check_exit "--request-min-udp -1: usage error" 2 "$VQI" windows "$SAMPLE" --service youtube --request-min-udp -1

# --idle-gap: a 5-s gap splits the session where YouTube pauses
"$VQI" windows "$SAMPLE" --service youtube --idle-gap 5 -o "$TMP/g5.csv"
n=$(records "$TMP/g5.csv" | tail -n +2 | awk -F, '{print $103}' | sort -u | wc -l)
[ "$n" -gt 1 ] && pass "--idle-gap 5: $n sessions" || fail "--idle-gap 5: more than one session" "$n"

# nothing on stdout for an unreadable capture; the header alone without service traffic
"$VQI" windows "$TMP/none.pcap" --service youtube >"$TMP/empty.out" 2>/dev/null
check_eq "unreadable capture: stdout stays empty" "$(wc -c <"$TMP/empty.out")" 0
check_cmd "capture without the service's traffic" "$VQI" windows "$PWD/data/samples/ndpi_netflix.pcap.xz" \
    --service twitch -o "$TMP/tw.csv"
check_eq "no service traffic: the header only" "$(records "$TMP/tw.csv" | wc -l)" 1
