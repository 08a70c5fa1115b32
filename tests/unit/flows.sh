#!/bin/bash
# flows.sh - `vqi flows` on a hand-made capture (tests/fixtures/flow/small.pcap,
# made by make_small.py) against oracles computed by gen_expected.py:
# tshark + pandas for flow statistics, tshark -z conv for totals, and an
# independent scapy/numpy re-implementation of netml for --netml.
. "$(dirname "$0")/../lib.sh"
F=$FIX/flow
CAP=$F/small.pcap

# --- flow statistics vs tshark + pandas (no idle split: timeout above the 698-s gap)
check_cmd "flows runs" "$VQI" flows --idle-timeout 100000 "$CAP" -o "$TMP/flows.csv"
# columns of vqi's output to compare, in the order of expected_flows.csv
pick() {
    awk -F, 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { printf "%s,%s,%s,%s,%s,%s,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%.4f\n",
          $col["client"], $col["client_port"], $col["server"], $col["server_port"],
          $col["proto"], $col["packets"], $col["bytes"], $col["duration"], $col["iat_mean"],
          $col["iat_std"], $col["iat_min"], $col["iat_max"], $col["iat_p50"], $col["iat_p90"],
          $col["size_mean"], $col["size_std"] }' "$1"
}
pick "$TMP/flows.csv" | sort >"$TMP/got.txt"
awk -F, 'NR > 1 { printf "%s,%s,%s,%s,%s,%s,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%.4f\n",
          $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 }' \
    "$F/expected_flows.csv" | sort >"$TMP/want.txt"
check_files_equal "flow statistics equal tshark+pandas" "$TMP/got.txt" "$TMP/want.txt"
check_eq "first-seen order (TCP flow first, then the UDP flow at 0.001 s)" \
    "$(awk -F, 'NR==2 {print $3} NR==3 {print $3}' "$TMP/flows.csv" | tr '\n' ' ')" "40000 8000 "

# --- packets / bytes per conversation vs tshark -z conv (ported flows only)
awk -F, 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["client_port"] != 0 { a = $col["client"] ":" $col["client_port"];
      b = $col["server"] ":" $col["server_port"]; print a, b, $col["packets"], $col["bytes"] }' \
    "$TMP/flows.csv" | sort >"$TMP/conv.txt"
check_files_equal "conversation totals equal tshark -z conv" "$TMP/conv.txt" "$F/expected_conv.txt"

# --- TCP details of the handshake flow (by construction): SYN 2, FIN 1, client 10.0.0.1
row=$(awk -F, 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["proto"] == 6 { print $col["tcp_S"], $col["tcp_F"], $col["tcp_A"], $col["packets_c2s"],
      $col["packets_s2c"], $col["payload_s2c"] }' "$TMP/flows.csv")
check_eq "TCP flags and directions" "$row" "2 1 7 4 4 3000"

# --- default idle timeout (600 s) splits the 698-s gap: 3 + 2 packets
"$VQI" flows "$CAP" >"$TMP/split.csv"
check_eq "600-s idle split" "$(awk -F, '$5 == 8001 {printf "%s:%s ", $10, $NF}' "$TMP/split.csv")" \
    "3:idle 2:end "

# --- netml mode vs the netml oracle, every feature family, byte for byte
for feat in stats iat size iat_size samp_num samp_size; do
    "$VQI" flows --netml --features "$feat" "$CAP" -o "$TMP/n.csv"
    check_files_equal "--netml --features $feat equals netml oracle" "$TMP/n.csv" "$F/netml_$feat.csv"
done
"$VQI" flows --netml -v "$CAP" -o "$TMP/n.csv" 2>"$TMP/v.txt"
check_eq "--netml defaults to iat" "$(head -1 "$TMP/n.csv" | cut -d, -f9)" "iat_0"
check_eq "--netml summary" "$(cat "$TMP/v.txt")" \
    "vqi: flows: 4 subflows from 4 flows, interval 1.7000000000000002 s, dim 4, samp_rate 0.769999999999959 s"

# --- default feature mode: bidirectional flows, wire sizes, IPv6 kept apart
"$VQI" flows --features size --dim 3 "$CAP" -o "$TMP/d.csv"
check_eq "default features: rows" "$(($(wc -l <"$TMP/d.csv") - 1))" "5"
check_eq "default features: TCP sizes" "$(awk -F, '$5 == 6 {print $9, $10, $11}' "$TMP/d.csv")" "54.0 54.0 54.0"

# --- JSON lines
"$VQI" flows --format jsonl "$CAP" -o "$TMP/f.jsonl"
check_eq "jsonl rows" "$(wc -l <"$TMP/f.jsonl")" "7"
check_eq "jsonl first row" "$(head -1 "$TMP/f.jsonl" | cut -c1-60)" \
    '{"flow":0,"client":"10.0.0.1","client_port":40000,"server":"'

# --- errors: exit codes, messages, no partial output
check_exit "missing capture: exit 2" 2 "$VQI" flows "$TMP/none.pcap" -o "$TMP/out.csv"
check_eq "missing capture: no output file" "$([ -e "$TMP/out.csv" ] && echo yes || echo no)" "no"
check_eq "error message names the file" "$(grep -c "^vqi: $TMP/none.pcap: " "$TMP/.err")" "1"
printf 'not a capture at all' >"$TMP/bad.pcap"
check_exit "not a capture: exit 2" 2 "$VQI" flows "$TMP/bad.pcap"
check_exit "unknown feature: exit 2" 2 "$VQI" flows --features fft "$CAP"
check_exit "unknown service: exit 2" 2 "$VQI" flows --service nosuch "$CAP"
check_exit "no capture: exit 2" 2 "$VQI" flows
check_exit "bad --dim: exit 2" 2 "$VQI" flows --features iat --dim 1 "$CAP"
check_exit "absurd --idle-timeout: exit 2" 2 "$VQI" flows --idle-timeout 1e300 "$CAP"
check_exit "--help: exit 0" 0 "$VQI" flows --help
check_eq "empty service selection: header only" \
    "$("$VQI" flows --service netflix "$CAP" | wc -l)" "1"

# --- vqi stats --json vs tshark + pandas (expected_stats.txt)
check_cmd "stats --json runs" "$VQI" stats --match example --json "$CAP" -o "$TMP/s.json"
J=$(cat "$TMP/s.json")
# jget OBJECT KEY: a number from the JSON (OBJECT "" = top level)
jget() {
    local s=$J
    [ -n "$1" ] && s=$(grep -o "\"$1\":{[^}]*}" <<<"$s")
    grep -o "\"$2\":[-0-9.e+]*" <<<"$s" | head -1 | cut -d: -f2
}
while read -r key want; do
    case $key in
    windows)
        got=$(grep -o '"windows":\[[^]]*\]' <<<"$J" | grep -o '"start":[0-9.]*,"packets":[0-9]*' |
              sed 's/"start":\([0-9.]*\),"packets":/\1:/; s/\.0:/:/' | tr '\n' ' ' | sed 's/ $//')
        check_eq "stats windows" "$got" "$want" ;;
    TCP) check_eq "stats protocol TCP" "$(grep -o '"TCP":[0-9]*' <<<"$J" | cut -d: -f2)" "$want" ;;
    *.*) got=$(jget "${key%%.*}" "${key#*.}")
         check_eq "stats $key" "$(awk -v x="$got" 'BEGIN { printf "%.9g", x }')" "$want" ;;
    *)   got=$(jget "" "$key")
         check_eq "stats $key" "$(awk -v x="$got" 'BEGIN { printf "%.9g", x }')" "$want" ;;
    esac
done <"$F/expected_stats.txt"
check_eq "stats: identified by DNS" "$(grep -o '"dns":[0-9]*' <<<"$J")" '"dns":7'
check_eq "stats: DNS address" "$(grep -o '"dns_addresses":\[[^]]*\]' <<<"$J")" \
    '"dns_addresses":["10.0.0.2"]'
"$VQI" stats --match example "$CAP" >"$TMP/s.txt"
check_eq "stats text: packet line" "$(grep -m1 'packets:' "$TMP/s.txt")" \
    "  packets: 7 of 21 in the capture (33.3 %)"
check_eq "stats text: justification present" "$(grep -c '^Why these features' "$TMP/s.txt")" "1"
check_exit "stats without service: exit 2" 2 "$VQI" stats "$CAP"
check_exit "stats bad window: exit 2" 2 "$VQI" stats --service netflix --window 0 "$CAP"
check_exit "stats missing capture: exit 2" 2 "$VQI" stats --service netflix "$TMP/none.pcap"
check_exit "stats --help: exit 0" 0 "$VQI" stats --help

# --- bounded table: with room for 2 flows the least recently seen is closed.
# By hand (LRU over the packet order of make_small.py): SYN, UDP 8000, DNS,
# TCP after SYN+ACK (5 pkts), IPv6 (4), both fragments close as full (7 flows);
# the last TCP piece and the UDP 8000 piece idle out at 700 s; the final piece ends.
"$VQI" flows --max-flows 2 "$CAP" >"$TMP/full.csv"
check_eq "--max-flows 2: end reasons and packets" \
    "$(awk -F, 'NR > 1 { printf "%s:%s ", $NF, $10 }' "$TMP/full.csv")" \
    "full:1 full:1 full:2 full:5 full:4 full:1 full:1 idle:2 idle:2 end:2 "
check_eq "--max-flows 2: every packet still counted" \
    "$(awk -F, 'NR > 1 { p += $10 } END { print p }' "$TMP/full.csv")" "21"
# --- standard input, and JSON lines of features
check_eq "capture from stdin" "$("$VQI" flows - <"$CAP" | md5sum)" "$("$VQI" flows "$CAP" | md5sum)"
"$VQI" flows --netml --features stats --format jsonl "$CAP" >"$TMP/n.jsonl"
check_eq "features as JSON lines" "$(head -1 "$TMP/n.jsonl" | cut -c1-82)" \
    '{"src":"10.0.0.1","dst":"10.0.0.2","sport":40000,"dport":443,"proto":6,"packets":4'
