#!/bin/bash
# dns.sh (extended) - `vqi dns --addresses` on the real captures of ../shared
# gives exactly the addresses tshark's decoding of the DNS answers gives for
# the service (tests/fixtures/dns/tshark_addresses.py: the same chain rule
# applied to tshark's fields), in the same first-seen order.
. "$(dirname "$0")/../lib.sh"
ORACLE=$FIX/dns/tshark_addresses.py
DATA=$SHARED/data
[ -d "$DATA" ] || { fail "dns extended" "no $DATA"; exit 0; }

# compare NAME CAPTURE SELECTOR...
compare() {
    local name=$1 cap=$2; shift 2
    nice /usr/bin/python3 "$ORACLE" "$cap" "$@" >"$TMP/want" 2>/dev/null
    nice "$VQI" dns "$@" --addresses "$cap" >"$TMP/got" 2>"$TMP/err"
    if cmp -s "$TMP/got" "$TMP/want"; then
        pass "$name: $(wc -l <"$TMP/want") addresses = tshark"
    else
        fail "$name" "got $(wc -l <"$TMP/got"), tshark $(wc -l <"$TMP/want"): $(diff "$TMP/got" "$TMP/want" | head -4 | tr '\n' ' ')"
    fi
}

for cap in "$DATA"/requet/pcap/*.pcap; do
    compare "requet $(basename "$cap") youtube" "$cap" --service youtube
done
for cap in "$DATA"/pcaps/services/*; do
    compare "$(basename "$cap") youtube" "$cap" --service youtube
    compare "$(basename "$cap") netflix" "$cap" --service netflix
done
# Every address of every answer: the parser reads everything tshark reads.
for cap in "$DATA"/pcaps/edge/*dns* "$DATA"/pcaps/services/* "$DATA"/requet/pcap/A_*.pcap; do
    compare "$(basename "$cap") all names" "$cap" --match .
done
compare "tor capture named netflix: none" "$DATA/pcaps/edge/tor_pcapng_named_netflix.pcap" --service netflix

# Pinned: the Netflix iOS capture's DNS answers give 78 Netflix addresses.
check_eq "ndpi_netflix: 78 addresses" \
    "$("$VQI" dns --service netflix --addresses "$DATA/pcaps/services/ndpi_netflix.pcap" | wc -l)" 78
# The course capture's DNS goes over TCP with the length prefix alone in a
# segment: its YouTube names are still found.
check_eq "youtube_quic_ipv6_dns_over_tcp: youtube responses" \
    "$("$VQI" dns --service youtube "$DATA/pcaps/services/youtube_quic_ipv6_dns_over_tcp.pcap" | awk -F, '$6 == 1' | wc -l)" \
    "$(tshark -r "$DATA/pcaps/services/youtube_quic_ipv6_dns_over_tcp.pcap" -Y 'dns.flags.response==1 && (dns.qry.name matches "youtube|ytimg|googlevideo|ggpht" || dns.cname matches "youtube|ytimg|googlevideo|ggpht")' 2>/dev/null | wc -l)"
