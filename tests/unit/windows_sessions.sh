#!/bin/bash
# windows_sessions.sh - `vqi windows --max-sessions N` (issue #9): beyond N live sessions the
# least recently active one ends as at the end of the input (its open window is written when it
# holds service traffic).  Capture: tests/fixtures/window/many_clients.pcap (gen_many_clients.py):
#   phase A: clients c0..c3 send 3 packets at t = k .. k+0.2 s, c0 once more at t = 5 s;
#   phase B: 40 clients b0..b39 send at 100 + k/10 s and again at 105 + k/10 s.
# Expected by hand (window 10 s, idle gap 60 s; every packet counted once: 93 in all):
#   no cap / 40:  A 4 rows (c0's window holds its 4 packets), B 40 rows (2 packets each) = 44
#   39 or 10:     A 4 rows; B: every client is ended before it returns, so each visit is
#                 its own session: 80 rows of 1 packet = 84
#   2:            A: c2 ends c0 (3 packets), c3 ends c1, c0's return at 5 s ends c2 and starts a
#                 new session (c3, c0' close at 13 s / 15 s): 5 rows [3 3 3 3 1]; B 80 = 85
. tests/lib.sh
PCAP=$FIX/window/many_clients.pcap

records() { awk '{ buf = buf (buf == "" ? "" : "\n") $0; n += gsub(/"/, "\"");
                  if (n % 2 == 0) { gsub(/\n/, " ", buf); print buf; buf = ""; n = 0 } }' "$1"; }
# summary FILE: rows, distinct sessions, sum of userPacketCount, userPacketCount of rows 1-5
summary() {
    records "$1" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "userPacketCount") u = i
                                                                  if ($i == "session_id") s = i }
                                      next }
                            { rows++; sum += $u; if (!seen[$s]++) sess++; if (rows <= 5) first = first " " ($u + 0) }
                            END { print rows, sess, sum first }'
}

for case in "default:44 44 93 4 3 3 3 2" "40:44 44 93 4 3 3 3 2" "39:84 84 93 4 3 3 3 1" \
            "10:84 84 93 4 3 3 3 1" "2:85 85 93 3 3 3 3 1" "1:85 85 93 3 3 3 3 1"; do
    cap=${case%%:*} want=${case#*:}
    opt=(); [ "$cap" = default ] || opt=(--max-sessions "$cap")
    check_cmd "--max-sessions $cap runs" "$VQI" windows "$PCAP" --service netflix "${opt[@]}" -o "$TMP/s$cap.csv"
    check_eq "--max-sessions $cap: rows, sessions, packets, first rows' userPacketCount" \
        "$(summary "$TMP/s$cap.csv")" "$want"
done
cmp -s "$TMP/sdefault.csv" "$TMP/s40.csv" && pass "cap not reached (40): same bytes as the default" \
    || fail "cap not reached (40): same bytes as the default"
check_exit "--max-sessions 0: usage error" 2 "$VQI" windows "$PCAP" --service netflix --max-sessions 0
check_exit "--max-sessions abc: usage error" 2 "$VQI" windows "$PCAP" --service netflix --max-sessions abc
grep -q "^vqi: windows: --max-sessions" "$TMP/.err" && pass "usage error names --max-sessions" \
    || fail "usage error names --max-sessions" "$(cat "$TMP/.err")"
"$VQI" windows --help | grep -q -- "--max-sessions N" && pass "help lists --max-sessions" \
    || fail "help lists --max-sessions"
