#!/bin/bash
# windows.sh (extended) - 'vqi windows' on the real Requet captures in ../shared:
# - exp 46: capture_bytes of all 60 windows aligned to the log's StartMs = the
#   player log's Bytes Sent + Bytes Received over the window's 100 intervals
#   (computed here from the log with awk: the byte-exact oracle);
# - exp 46 and group C: L7/L3 columns against the tshark + numpy oracle
#   (tests/fixtures/window/oracle_l7.py), schema and row relations with pandas.
. tests/lib.sh
W=$FIX/window
R=$SHARED/data/requet
YT=youtube.com,ytimg.com,googlevideo.com,ggpht.com,youtu.be,youtube-nocookie.com
if [ ! -d "$R" ]; then echo "ok - windows extended: skipped (no ../shared)"; exit 0; fi

records() { awk '{ buf = buf (buf == "" ? "" : "\n") $0; n += gsub(/"/, "\"");
                  if (n % 2 == 0) { gsub(/\n/, " ", buf); print buf; buf = ""; n = 0 } }' "$1"; }

log=$R/labels/A_baseline_Mar22_exp_46_merged.txt
check_cmd "exp 46 with its player log" "$VQI" windows "$R/pcap/A_baseline_Mar22_exp_46.pcap" \
    --service youtube --labels "$log" --extra-columns -o "$TMP/e46.csv"
awk -F', ' 'NF > 5 { sum[int(n / 100)] += $4 + $5; n++ }
            END { for (k = 0; k < 60; k++) print sum[k] }' "$log" >"$TMP/want"
records "$TMP/e46.csv" | tail -n +2 | awk -F, '{print $NF}' >"$TMP/got"
check_files_equal "exp 46: capture_bytes = log bytes in all 60 windows" "$TMP/got" "$TMP/want"
start=$(grep -m1 -o '\]\], \[\[[0-9, ]*\],[0-9]*,[0-9]*' "$log" | awk -F, '{printf "%.3f", $NF / 1000}')
/usr/bin/python3 "$W/oracle_l7.py" "$R/pcap/A_baseline_Mar22_exp_46.pcap" "$start" "$YT" 60 >"$TMP/o46.csv" 2>/dev/null
/usr/bin/python3 "$W/compare.py" "$TMP/e46.csv" "$W/columns.txt" "$TMP/o46.csv"

for f in "$R"/pcap/C_baseline_*_exp_31[89].pcap "$R"/pcap/C_baseline_*_exp_32[2-4].pcap \
         "$R"/pcap/C_baseline_*_exp_34[67].pcap; do
    [ -e "$f" ] || continue
    e=${f##*exp_}; e=${e%.pcap}
    st=$(tshark -r "$f" -c 1 -T fields -e frame.time_epoch 2>/dev/null)
    check_cmd "exp $e" "$VQI" windows "$f" --service youtube --start "$st" --resolution 480 -o "$TMP/c$e.csv"
    # rows of the first session (field 103 = session_id after the index) (a silence over the idle gap starts another)
    n=$(records "$TMP/c$e.csv" | tail -n +2 | awk -F, '{print $103}' | uniq -c | awk 'NR == 1 {print $1}')
    /usr/bin/python3 "$W/oracle_l7.py" "$f" "$st" "$YT" "$n" >"$TMP/o$e.csv" 2>/dev/null
    /usr/bin/python3 "$W/compare.py" "$TMP/c$e.csv" "$W/columns.txt" "$TMP/o$e.csv"
done

# exp 41: its log is not byte-aligned with the capture at window edges (packets
# near a boundary land in the neighbouring interval), so only the total is compared.
log=$R/labels/A_baseline_Mar22_exp_41_merged.txt
check_cmd "exp 41 with its player log" "$VQI" windows "$R/pcap/A_baseline_Mar22_exp_41.pcap" \
    --service youtube --labels "$log" --extra-columns -o "$TMP/e41.csv"
want=$(awk -F', ' 'NF > 5 { if (n >= 100 && n < 6000) s += $4 + $5; n++ } END { print s }' "$log")
got=$(records "$TMP/e41.csv" | tail -n +3 | awk -F, '{ s += $NF } END { print s }')
check_eq "exp 41: capture_bytes of windows 1-59 = log total" "$got" "$want"
check_eq "exp 41: labelled 720" "$(records "$TMP/e41.csv" | tail -n +2 | awk -F, '{print $98}' | sort -u | tr '\n' ' ')" "720.0 "
