#!/bin/bash
# dns.sh - 'vqi dns' on the bundled DNS captures against rows written from
# tshark's decoding (tests/fixtures/dns/gen_fixtures.py), the malformed
# captures where vqi deliberately differs from tshark, service filters and
# addresses, formats and errors.
. "$(dirname "$0")/../lib.sh"
D=$FIX/dns

# 1. Every message as tshark decodes it (UDP, DNS over TCP with the length
#    prefix in its own segment, CNAME chains, NXDOMAIN, escapes, PPPoE/QinQ).
for want in "$D"/*.expected; do
    name=$(basename "$want" .expected)
    [ "$name" = ndpi_dns_fragmented ] && continue
    src=$(ls "$D/$name".pcap* | head -1)
    "$VQI" dns --all-kinds "$src" >"$TMP/$name.csv" 2>"$TMP/err"
    check_files_equal "dns rows of $name = tshark" "$TMP/$name.csv" "$want"
done

# 2. IP fragments are not reassembled: each fragmented response appears at
#    its first fragment's time, read as far as that fragment goes; tshark
#    reassembles and reports it at the last fragment.  Everything else is equal.
"$VQI" dns "$D/ndpi_dns_fragmented.pcap.xz" >"$TMP/frag.csv"
cut -f1,2 "$D/ndpi_dns_fragmented.fragments" | tr '\t' , >"$TMP/frag.keys"
awk -F, 'NR==FNR { k[$1 "," $2] = 1; next } !(($1 "," $5) in k)' "$TMP/frag.keys" "$TMP/frag.csv" \
    >"$TMP/frag.rest"
check_files_equal "fragmented capture: unfragmented messages = tshark" "$TMP/frag.rest" \
    "$D/ndpi_dns_fragmented.expected"
got=$(awk -F, 'NR==FNR { k[$1 "," $2] = $3; next } (($1 "," $5) in k) && $6 == 1 && $7 == k[$1 "," $5]' \
    <(tr '\t' , <"$D/ndpi_dns_fragmented.fragments") "$TMP/frag.csv" | wc -l)
check_eq "fragmented responses found at their first fragment (id, name)" "$got" 7
got=$(grep -c 'DNSKEY DNSKEY RRSIG,record data runs past the end of the message$' "$TMP/frag.csv")
check_eq "DNSKEY responses cut at the first fragment say so" "$got" 4

# 3. Malformed messages (tcpdump's fuzz cases).
# zlip-1: its UDP length field says 0 payload bytes, so there is no message
# (tshark agrees); the pointer loop in the bytes after it is tested on the
# raw bytes in test_dns.c.
"$VQI" dns "$D/tcpdump_dns-zlip-1.pcap" >"$TMP/zlip.csv"
check_eq "zlip-1: no DNS message (UDP length 8)" "$(tail -n +2 "$TMP/zlip.csv" | wc -l)" 0
# fwdptr: id 0xc980, opcode 15, rcode 15; the first question's labels lead to
# a pointer at a later offset.  tshark reads on and stops at "<Name too
# long>"; vqi stops at the forward pointer (a compressor never writes one).
check_eq "fwdptr: forward pointer rejected" "$("$VQI" dns "$D/tcpdump_dns_fwdptr.pcap.xz" | tail -n +2)" \
    "0.000000000,dns,156.118.27.229,156.118.17.235,51584,1,,,RCODE15,,compression pointer does not point backwards"
# badlabel: same header, labels run past 255 octets first (tshark: "<Name too long>").
check_eq "badlabel: name over 255 octets rejected" "$("$VQI" dns "$D/tcpdump_dns-badlabel.pcap.xz" | tail -n +2)" \
    "36242.000000000,dns,156.118.27.229,156.118.17.235,51584,1,,,RCODE15,,name longer than 255 octets"

# 4. Filters and addresses.
"$VQI" dns --match msedge "$D/ndpi_dns_ambiguous_names.pcap" >"$TMP/m.csv"
check_eq "--match on CNAME targets" "$(tail -n +2 "$TMP/m.csv" | cut -d, -f5 | tr '\n' ' ')" "49945 56251 "
"$VQI" dns --service youtube "$D/ndpi_dns_ambiguous_names.pcap" >"$TMP/y.csv"
check_eq "wide-youtube.l.google.com is not a youtube domain" "$(tail -n +2 "$TMP/y.csv" | wc -l)" 0
# Expected addresses from the tshark-written rows: every A/AAAA of a response
# with a YouTube name, first-seen order, no repeats.
awk -F, 'NR > 1 && $6 == 1 {
    n = split($7 " " $10, t, " "); hit = 0
    for (i = 1; i <= n; i++)
        if (t[i] ~ /(^|\.)(youtube\.com|ytimg\.com|googlevideo\.com|ggpht\.com|youtu\.be|youtube-nocookie\.com)$/) hit = 1
    if (hit) for (i = 1; i < n; i++) if ((t[i] == "A" || t[i] == "AAAA") && !seen[t[i+1]]++) print t[i+1]
}' "$D/youtube_dns_over_tcp.expected" >"$TMP/yt.want"
"$VQI" dns --service youtube --addresses "$D/youtube_dns_over_tcp.pcap" -o "$TMP/yt.got"
check_files_equal "youtube addresses over DNS-over-TCP = tshark's answers" "$TMP/yt.got" "$TMP/yt.want"
check_eq "youtube addresses: 36" "$(wc -l <"$TMP/yt.got")" 36
"$VQI" dns --match 'ytimg' --addresses "$D/youtube_dns_over_tcp.pcap" >"$TMP/ytimg"
check_eq "--match addresses (i.ytimg.com: 4 AAAA + 13 A)" "$(wc -l <"$TMP/ytimg")" 17

# 5. Formats.
"$VQI" dns --format jsonl "$D/tcpdump_dns_tcp.pcap" >"$TMP/j"
check_eq "jsonl response row" "$(sed -n 2p "$TMP/j")" \
    '{"timestamp":1591780863.973180000,"kind":"dns","client":"192.168.1.11","server":"209.87.249.18","txn_id":17177,"is_response":true,"qname":"www.tcpdump.org","qtype":"A","rcode":"NOERROR","answers":"www.tcpdump.org A 192.139.46.66 A 198.199.88.104","error":null}'
/usr/bin/python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/j" &&
    pass "jsonl parses as JSON" || fail "jsonl parses as JSON"

# 6. Usage and input errors: exit 2 and "vqi: FILE: ..." messages.
check_exit "--help exits 0" 0 "$VQI" dns --help
check_exit "no capture: usage" 2 "$VQI" dns
check_exit "--addresses without a service" 2 "$VQI" dns --addresses "$D/ndpi_dns.pcap"
check_exit "unknown service" 2 "$VQI" dns --service hulu "$D/ndpi_dns.pcap"
check_exit "bad regex" 2 "$VQI" dns --match '(' "$D/ndpi_dns.pcap"
check_exit "--service and --match together" 2 "$VQI" dns --service netflix --match x "$D/ndpi_dns.pcap"
check_exit "bad format" 2 "$VQI" dns --format xml "$D/ndpi_dns.pcap"
check_exit "missing file" 2 "$VQI" dns "$TMP/nope.pcap"
check_eq "missing file message" "$(cat "$TMP/.err")" "vqi: $TMP/nope.pcap: cannot open: No such file or directory"
printf 'not a capture at all\n' >"$TMP/junk.pcap"
check_exit "not a capture" 2 "$VQI" dns "$TMP/junk.pcap"
check_eq "not a capture message names the file" "$(cut -d: -f1,2 "$TMP/.err")" "vqi: $TMP/junk.pcap"
check_exit "unreadable output directory" 1 "$VQI" dns -o "$TMP/no/such/dir/out.csv" "$D/ndpi_dns.pcap"
[ ! -e "$TMP/no/such/dir/out.csv" ] && pass "no partial output" || fail "no partial output"
