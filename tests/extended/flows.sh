#!/bin/bash
# flows.sh (extended) - `vqi flows` / `vqi stats` on the real captures in
# ../shared: netml's demo capture against NETML.md's reference numbers and the
# netml oracle (md5 of its output per feature family), the nDPI Netflix capture
# against tshark conversations and the assignment's own numbers.
. "$(dirname "$0")/../lib.sh"
F=$FIX/flow
DEMO=$SHARED/data/pcaps/netml/netml_demo.pcapng
NFLX=$SHARED/data/pcaps/services/ndpi_netflix.pcap

# --- netml demo: NETML.md reference numbers
"$VQI" flows --netml --features stats -v "$DEMO" -o "$TMP/stats.csv" 2>"$TMP/v.txt"
check_eq "netml demo: subflows, interval, dim" "$(cat "$TMP/v.txt")" \
    "vqi: flows: 196 subflows from 188 flows, interval 5.776507735252384 s, dim 52, samp_rate 3.0994415283203125e-06 s"
check_eq "netml demo: rows" "$(($(wc -l <"$TMP/stats.csv") - 1))" "196"
first=$(sed -n 2p "$TMP/stats.csv" | awk -F, '{ printf "%s,%s,%s,%s,%s", $1, $2, $3, $4, $5;
    printf " [%.6f, %.6f, %.6f", $9, $10, $11; for (i = 12; i <= 16; i++) printf ", %.1f", $i;
    printf ", %d, %d, %d, %d]", $17, $18, $19, $20 }')
check_eq "netml demo: first subflow STATS" "$first" \
    "192.168.10.5,224.0.0.252,59664,5355,17 [0.422361, 123.117458, 8618.222059, 70.0, 0.0, 70.0, 70.0, 70.0, 70, 70, 52, 3640]"
"$VQI" flows --netml --features iat "$DEMO" -o "$TMP/iat.csv"
check_eq "netml demo: IAT dim-1 = 51 values" "$(head -1 "$TMP/iat.csv" | tr ',' '\n' | grep -c '^iat_')" "51"
"$VQI" flows --netml --features iat_size "$DEMO" -o "$TMP/is.csv"
check_eq "netml demo: IAT_SIZE 2dim-1 = 103 values" \
    "$(head -1 "$TMP/is.csv" | tr ',' '\n' | grep -c '^iat_size_')" "103"
while read -r feat md5; do
    got=$("$VQI" flows --netml --features "$feat" "$DEMO" | md5sum | cut -d' ' -f1)
    check_eq "netml demo: $feat identical to the netml oracle" "$got" "$md5"
done <"$F/netml_demo.md5"

# --- nDPI Netflix: conversations vs tshark
"$VQI" flows --idle-timeout 100000 "$NFLX" -o "$TMP/nf.csv"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["client_port"] != 0 && ($c["proto"] == 6 || $c["proto"] == 17) {
        a = $c["client"] ":" $c["client_port"]; b = $c["server"] ":" $c["server_port"];
        if (a > b) { t = a; a = b; b = t } print a, b, $c["packets"], $c["bytes"] }' \
    "$TMP/nf.csv" | sort >"$TMP/conv.txt"
check_files_equal "netflix: 60 conversations, packets and bytes equal tshark" \
    "$TMP/conv.txt" "$F/netflix_conv.txt"

# --- Requet C exp 319 (QUIC, records cut to 72 bytes): wire bytes per conversation
"$VQI" flows --idle-timeout 100000 "$SHARED/data/requet/pcap/C_baseline_May14_exp_319.pcap" \
    -o "$TMP/rq.csv"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["client_port"] != 0 && ($c["proto"] == 6 || $c["proto"] == 17) {
        a = $c["client"] ":" $c["client_port"]; b = $c["server"] ":" $c["server_port"];
        if (a > b) { t = a; a = b; b = t } print a, b, $c["packets"], $c["bytes"] }' \
    "$TMP/rq.csv" | sort >"$TMP/rconv.txt"
check_files_equal "requet 319: 65 conversations, packets and wire bytes equal tshark" \
    "$TMP/rconv.txt" "$F/requet319_conv.txt"

# --- the assignment's method found 3 addresses (bench/baselines/part1.py):
#     385 packets in 20 unidirectional flows touch them
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { re = "^(54\\.69\\.204\\.241|52\\.41\\.30\\.5|52\\.89\\.39\\.139)$" }
    $c["client"] ~ re || $c["server"] ~ re { p += $c["packets"];
        u += ($c["packets_c2s"] > 0) + ($c["packets_s2c"] > 0) } END { print p, u }' "$TMP/nf.csv")
check_eq "netflix: assignment's 3 addresses carry 385 packets in 20 flows" "$got" "385 20"

# --- service identification (DNS + prefixes + SNI) finds more than the 843
"$VQI" stats --service netflix --json "$NFLX" -o "$TMP/s.json"
pk=$(grep -o '"packets":[0-9]*' "$TMP/s.json" | head -1 | cut -d: -f2)
if [ "${pk:-0}" -gt 843 ]; then pass "netflix: service packets ($pk) > 843"
    else fail "netflix: service packets > 843" "got ${pk:-none}"; fi
"$VQI" flows --service netflix "$NFLX" -o "$TMP/nfs.csv"
sum=$(awk -F, 'NR > 1 { p += $10 } END { print p + 0 }' "$TMP/nfs.csv")
# whole flows: also the packets of an SNI-identified connection before its ClientHello
if [ "$sum" -ge "$pk" ]; then pass "netflix: service flows carry >= the service packets ($sum >= $pk)"
else fail "netflix: service flows carry >= the service packets" "$sum < $pk"; fi
prefix=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["server"] ~ /^23\.246\./ { p += $c["packets"] } END { print p + 0 }' "$TMP/nfs.csv")
if [ "$prefix" -gt 0 ]; then pass "netflix: 23.246.0.0/18 video flows included ($prefix packets)"
else fail "netflix: 23.246.0.0/18 video flows included"; fi
