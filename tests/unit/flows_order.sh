#!/bin/bash
# flows_order.sh - `vqi flows --order first|end` and --reorder-limit: the
# same rows in either order, the end order derived by hand from the packet
# times of tests/fixtures/flow/small.pcap (make_small.py), and the fallback
# from first-seen to end order when the held rows pass the limit (a capture
# made by tests/fixtures/flow/make_many_flows.py: one flow open throughout,
# 3,000 short ones).
. "$(dirname "$0")/../lib.sh"
F=$FIX/flow
CAP=$F/small.pcap
# ids and end reasons of a CSV, in row order
ids() { awk -F, 'NR > 1 { printf "%s:%s ", $1, $NF }' "$1"; }
# header, then rows sorted by flow id: the first-seen order of any ordering
by_id() { head -1 "$1"; tail -n +2 "$1" | sort -t, -k1,1n; }

"$VQI" flows "$CAP" -o "$TMP/first.csv"
check_cmd "--order end runs" "$VQI" flows --order end "$CAP" -o "$TMP/end.csv"
# By hand: flows 0-5 are all idle for > 600 s when the packet at 700.001 s
# arrives, and leave least recently seen first: DNS (last packet 0.08 s),
# IPv6 (0.70), first fragment (0.80), second fragment (0.81), TCP (1.00),
# UDP 8000 (2.001); the UDP 8000 flow restarted at 700.001 ends with the capture.
check_eq "--order end: rows as flows end" "$(ids "$TMP/end.csv")" \
    "2:idle 3:idle 4:idle 5:idle 0:idle 1:idle 6:end "
check_eq "--order first (default): rows by first packet" "$(ids "$TMP/first.csv")" \
    "0:idle 1:idle 2:idle 3:idle 4:idle 5:idle 6:end "
by_id "$TMP/end.csv" >"$TMP/end_sorted.csv"
check_files_equal "--order end sorted by flow = default rows, byte for byte" \
    "$TMP/end_sorted.csv" "$TMP/first.csv"
"$VQI" flows --order first "$CAP" >"$TMP/first2.csv"
check_files_equal "--order first = default" "$TMP/first2.csv" "$TMP/first.csv"

# JSON lines: same rows, no header
"$VQI" flows --order end --format jsonl "$CAP" >"$TMP/end.jsonl"
"$VQI" flows --format jsonl "$CAP" >"$TMP/first.jsonl"
check_eq "--order end jsonl: rows as flows end" \
    "$(grep -o '^{"flow":[0-9]*' "$TMP/end.jsonl" | cut -d: -f2 | tr '\n' ' ')" "2 3 4 5 0 1 6 "
check_eq "--order end jsonl sorted = default jsonl" \
    "$(sort "$TMP/end.jsonl" | md5sum)" "$(sort "$TMP/first.jsonl" | md5sum)"

# idle timeout 0.15 s: flows end while others are open, so first-seen rows are
# released part by part (flow 0 ends 4th, after 1, 2, 3: by hand from the times)
"$VQI" flows --idle-timeout 0.15 --order end "$CAP" >"$TMP/e15.csv"
"$VQI" flows --idle-timeout 0.15 "$CAP" >"$TMP/f15.csv"
check_eq "idle 0.15 s, --order end: first four rows" \
    "$(ids "$TMP/e15.csv" | cut -d' ' -f1-4)" "1:idle 2:idle 3:idle 0:idle"
check_eq "idle 0.15 s, first-seen: ids 0..13 in order" \
    "$(awk -F, 'NR > 1 { printf "%s ", $1 }' "$TMP/f15.csv")" "0 1 2 3 4 5 6 7 8 9 10 11 12 13 "
by_id "$TMP/e15.csv" >"$TMP/e15_sorted.csv"
check_files_equal "idle 0.15 s: both orders hold the same rows" "$TMP/e15_sorted.csv" "$TMP/f15.csv"

# service selection: flows without service packets leave no row in either order
check_eq "--match example --order end = first-seen" \
    "$("$VQI" flows --match example --order end "$CAP" | md5sum)" \
    "$("$VQI" flows --match example "$CAP" | md5sum)"
check_eq "--match example: one row (the TCP flow)" \
    "$("$VQI" flows --match example --order end "$CAP" | awk -F, 'NR > 1 { print $1 }')" "0"

# --- the reorder limit
/usr/bin/python3 "$F/make_many_flows.py" 3000 0.01 60 "$TMP/many.pcap"
"$VQI" flows --idle-timeout 5 "$TMP/many.pcap" -o "$TMP/mf.csv" 2>"$TMP/mf.err"
check_eq "3,001 flows within the default limit: first-seen order" \
    "$(awk -F, 'NR > 1 && $1 != NR - 2 { bad++ } END { print NR - 1, bad + 0 }' "$TMP/mf.csv")" \
    "3001 0"
check_eq "within the limit: no note" "$(wc -c <"$TMP/mf.err")" "0"
"$VQI" flows --idle-timeout 5 --reorder-limit 64K "$TMP/many.pcap" -o "$TMP/ml.csv" \
    2>"$TMP/ml.err"
check_eq "past --reorder-limit 64K: exit 0 and a note naming the open flow" \
    "$?:$(grep -c "^vqi: flows: note: .*--reorder-limit (65536 bytes) while flow 0 was open" \
    "$TMP/ml.err")" "0:1"
# flow 0 (one packet a second) is open until the end: in end order its row
# comes last, after the 3,000 short flows (the last at 30 s) that idled out
# 5 s after their packet, in creation order
check_eq "past the limit: short flows first, flow 0 last" \
    "$(awk -F, 'NR > 1 { printf "%s:%s\n", $1, $NF }' "$TMP/ml.csv" | sed -n '1p;2p;3000p;3001p' |
       tr '\n' ' ')" "1:idle 2:idle 3000:idle 0:end "
by_id "$TMP/ml.csv" >"$TMP/ml_sorted.csv"
check_files_equal "past the limit: the same rows as first-seen order" "$TMP/ml_sorted.csv" \
    "$TMP/mf.csv"
"$VQI" flows --idle-timeout 5 --order end "$TMP/many.pcap" -o "$TMP/me.csv"
check_files_equal "past the limit: the same order as --order end" "$TMP/ml.csv" "$TMP/me.csv"

# flow 0 open for 10 s only (idle at 15 s): the ring grows to hold the rows
# waiting for it, then flow 0's end releases them and later rows pass
# through one by one, their ids wrapping around the ring many times
/usr/bin/python3 "$F/make_many_flows.py" 3000 0.01 10 "$TMP/wrap.pcap"
"$VQI" flows --idle-timeout 5 "$TMP/wrap.pcap" -o "$TMP/wf.csv"
"$VQI" flows --idle-timeout 5 --order end "$TMP/wrap.pcap" -o "$TMP/we.csv"
check_eq "ring wrap-around: 3,001 rows in first-seen order" \
    "$(awk -F, 'NR > 1 && $1 != NR - 2 { bad++ } END { print NR - 1, bad + 0 }' "$TMP/wf.csv")" \
    "3001 0"
# by hand: flows 1..999 (t < 10 s) idle out first; flow 0 and flow 1000 both
# last sent at 10.0 s, flow 0's packet first, so flow 0 is the 1,000th row
check_eq "ring wrap-around: flow 0 ends (idle) after the short flows before 10 s" \
    "$(awk -F, 'NR > 1 && $1 == 0 { print NR - 1, $NF }' "$TMP/we.csv")" "1000 idle"
by_id "$TMP/we.csv" >"$TMP/we_sorted.csv"
check_files_equal "ring wrap-around: the same rows in both orders" "$TMP/we_sorted.csv" "$TMP/wf.csv"

# --- usage
check_exit "--order sideways: exit 2" 2 "$VQI" flows --order sideways "$CAP"
check_eq "--order sideways: message" "$(head -1 "$TMP/.err")" \
    "vqi: flows: --order wants first or end, not 'sideways'"
check_exit "--reorder-limit 0: exit 2" 2 "$VQI" flows --reorder-limit 0 "$CAP"
check_exit "--reorder-limit 12X: exit 2" 2 "$VQI" flows --reorder-limit 12X "$CAP"
check_exit "--reorder-limit 2T: exit 2" 2 "$VQI" flows --reorder-limit 2T "$CAP"
check_exit "--reorder-limit 1.5G: exit 0" 0 "$VQI" flows --reorder-limit 1.5G "$CAP"
check_exit "--order with --features: exit 2" 2 "$VQI" flows --order end --features iat "$CAP"
check_exit "missing capture with --order end: exit 2" 2 \
    "$VQI" flows --order end "$TMP/none.pcap" -o "$TMP/out.csv"
check_eq "missing capture: no output file" "$([ -e "$TMP/out.csv" ] && echo yes || echo no)" "no"
check_eq "missing capture: nothing on stdout" \
    "$("$VQI" flows --order end "$TMP/none.pcap" 2>/dev/null | wc -c)" "0"
check_exit "unwritable output: exit 1" 1 "$VQI" flows --order end "$CAP" -o "$TMP/no/dir/x.csv"
check_eq "unwritable output: message names it" "$(grep -c "^vqi: $TMP/no/dir/x.csv: " "$TMP/.err")" "1"
check_eq "--help documents --order and the memory bound" \
    "$("$VQI" flows --help | grep -c -e '^  --order first|end' -e '--reorder-limit SIZE' -e '^Memory:')" "3"
