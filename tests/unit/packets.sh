# packets.sh - 'vqi packets': columns, row counts, DNS rows and ids against
# tshark (tests/fixtures/packets/*.dns.tsv), CSV read back by pandas, JSON
# lines, atomic output, stdin and compressed input, exit codes, warnings.
. tests/lib.sh
C=$FIX/capture
P=$FIX/packets
HEADER='timestamp,length,src_ip,dst_ip,txn_id,protocol,src_port,dst_port,info'

# one row per frame, as many as tshark shows (the .tsv oracle has one line per frame)
for f in $(cat "$C/index.txt"); do
    "$VQI" packets "$C/$f" >"$TMP/out.csv" 2>"$TMP/err" || fail "packets $f" "exit $?"
    check_eq "packets $f: rows" "$(($(wc -l <"$TMP/out.csv") - 1))" "$(wc -l <"$C/$f.tsv")"
done
check_eq "header line" "$(head -1 "$TMP/out.csv")" "$HEADER"

# DNS rows (protocol DNS) and their transaction ids equal tshark's -Y dns frames.
# synth_links frame 18 is the first fragment of a UDP/53 datagram: vqi calls it
# DNS (the header is there), tshark the reassembled last fragment.
for t in "$P"/*.dns.tsv; do
    f=$(basename "$t" .dns.tsv)
    "$VQI" packets "$C/$f" | /usr/bin/python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
for i, r in enumerate(rows, 1):
    if r["protocol"] == "DNS" and not (sys.argv[1] == "synth_links.pcapng" and i == 18):
        print("%d\t%s" % (i, r["txn_id"]))' "$f" >"$TMP/dns.tsv"
    check_files_equal "DNS rows and txn ids of $f as tshark" "$TMP/dns.tsv" "$t"
done

# hand-checked rows (synth_links: frame bytes written by make_fixtures.py)
"$VQI" packets "$C/synth_links.pcapng" >"$TMP/links.csv"
check_eq "TCP row" "$(sed -n 2p "$TMP/links.csv")" \
    "1600000000.000000000,82,10.0.0.1,10.0.0.2,,TCP,40000,443,Ether / IP / TCP 10.0.0.1:40000 > 10.0.0.2:443 S"
check_eq "DNS query row (quoted info)" "$(sed -n 21p "$TMP/links.csv")" \
    '1600000000.028500000,75,10.11.0.1,10.11.0.2,48879,DNS,53,40000,"Ether / IP / UDP / DNS Qry ""www.netflix.com"" A"'
check_eq "non-IP row" "$(sed -n 15p "$TMP/links.csv")" \
    "1600000000.019500000,42,,,,Other,,,Ether / ARP who has 10.7.0.2 says 10.7.0.1"
check_eq "SLL2 row with 2^-20 s resolution and +1000 s offset" "$(sed -n 22p "$TMP/links.csv" | cut -d, -f1-4)" \
    "1600001000.500000000,60,172.16.0.1,172.16.0.2"
check_eq "nanosecond pcap keeps 9 digits" "$("$VQI" packets "$C/synth_ns_le.pcap" | sed -n 3p | cut -d, -f1)" \
    "1521756790.000000005"

# pandas reads the CSV back (RFC 4180 quoting) and the assignment's filters work
/usr/bin/python3 - "$TMP/links.csv" >"$TMP/pd.txt" 2>&1 <<'PY'
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
q = df[df["info"].str.contains(r"netflix|nflx", case=False, na=False)
       & df["info"].str.contains("Qry", case=False, na=False)]
print(len(df), list(df.columns) == "timestamp,length,src_ip,dst_ip,txn_id,protocol,src_port,dst_port,info".split(","),
      len(q), int(q["txn_id"].iloc[0]), df["info"].iloc[19], str(df["length"].dtype))
PY
check_eq "pandas read_csv + the notebook's Qry filter" "$(cat "$TMP/pd.txt")" \
    '30 True 1 48879 Ether / IP / UDP / DNS Qry "www.netflix.com" A int64'

# JSON lines: same keys in order, null for empty fields
"$VQI" packets --format jsonl "$C/synth_links.pcapng" >"$TMP/links.jsonl"
/usr/bin/python3 - "$TMP/links.jsonl" >"$TMP/js.txt" 2>&1 <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(len(rows), ",".join(rows[0]), rows[13]["src_ip"], rows[13]["src_port"], rows[19]["txn_id"],
      "%.9f" % rows[0]["timestamp"])
PY
check_eq "jsonl keys, nulls, values" "$(cat "$TMP/js.txt")" \
    "30 timestamp,length,src_ip,dst_ip,txn_id,protocol,src_port,dst_port,info None None 48879 1600000000.000000000"
check_cmd "jsonl -f short option" "$VQI" packets -f jsonl "$C/real_ppp.pcap"

# stdin and compressed input give the same rows as the plain file
"$VQI" packets "$C/real_eth_dns_tcp.pcap" >"$TMP/plain.csv"
"$VQI" packets - <"$C/real_eth_dns_tcp.pcap" >"$TMP/stdin.csv"
check_files_equal "stdin" "$TMP/stdin.csv" "$TMP/plain.csv"
"$VQI" packets "$C/compressed.pcap.gz" >"$TMP/gz.csv"
check_files_equal "gzip input" "$TMP/gz.csv" "$TMP/plain.csv"
"$VQI" packets - <"$C/compressed.pcap.gz" >"$TMP/gzin.csv"
check_files_equal "gzip on stdin" "$TMP/gzin.csv" "$TMP/plain.csv"
# stdin is read from the caller's position (a file on stdin is not mapped
# from offset 0): after 24 bytes skipped, what is left is no capture
(head -c 24 >/dev/null; "$VQI" packets - >"$TMP/skipped.csv" 2>"$TMP/skipped.err") <"$C/real_eth_dns_tcp.pcap"
check_eq "stdin read from its position: exit 2" "$?" 2
check_eq "stdin read from its position: message" "$(cat "$TMP/skipped.err")" "vqi: -: not a pcap or pcapng capture"
{ cat "$C/real_eth_dns_tcp.pcap"; } | "$VQI" packets - >"$TMP/piped.csv"
check_files_equal "stdin through a pipe" "$TMP/piped.csv" "$TMP/plain.csv"

# -o: written atomically; a failing run leaves nothing behind
check_cmd "-o FILE" "$VQI" packets -o "$TMP/o.csv" "$C/real_eth_dns_tcp.pcap"
check_files_equal "-o content equals stdout" "$TMP/o.csv" "$TMP/plain.csv"
head -c 300 "$C/compressed.pcap.gz" >"$TMP/cut.gz"
check_exit "corrupt gzip: exit 2" 2 "$VQI" packets -o "$TMP/fail.csv" "$TMP/cut.gz"
check_eq "corrupt gzip: no output file" "$(ls "$TMP"/fail.csv* 2>/dev/null | wc -l)" 0

# a truncated capture keeps its complete records and warns (record 10 starts at
# byte 976 = 24 + sum of (16 + caplen) over records 1-9, by a Python walk)
head -c 1000 "$C/real_eth_dns_tcp.pcap" >"$TMP/cut.pcap"
check_exit "truncated pcap: exit 0" 0 "$VQI" packets -o "$TMP/cut.csv" "$TMP/cut.pcap"
check_eq "truncated pcap: 9 complete records" "$(($(wc -l <"$TMP/cut.csv") - 1))" 9
check_eq "truncated pcap: warning" "$(cat "$TMP/.err")" \
    "vqi: warning: $TMP/cut.pcap: truncated record 10 at byte 976: 8 of 60 data bytes present"
check_exit "-q silences the warning" 0 "$VQI" -q packets -o "$TMP/cut2.csv" "$TMP/cut.pcap"
check_eq "-q: stderr empty" "$(cat "$TMP/.err")" ""

# usage and unreadable input
check_exit "no argument: exit 2" 2 "$VQI" packets
check_exit "bad format: exit 2" 2 "$VQI" packets --format xml "$C/real_ppp.pcap"
check_exit "missing file: exit 2" 2 "$VQI" packets "$TMP/none.pcap"
printf 'timestamp,length\n' >"$TMP/text.pcap"
check_exit "not a capture: exit 2" 2 "$VQI" packets "$TMP/text.pcap"
check_eq "not a capture: message" "$(cat "$TMP/.err")" "vqi: $TMP/text.pcap: not a pcap or pcapng capture"
check_exit "--help: exit 0" 0 "$VQI" packets --help
check_eq "--help names the columns" "$(grep -c "$HEADER" "$TMP/.out")" 1

# every row's numbers and addresses against tshark: timestamp, length, src_ip,
# dst_ip, src_port, dst_port = the first six fields of the decode oracle
# (NAME.tsv, innermost IP header) for every fixture, as CSV and as JSON lines
# (the formatting is hand-written; the address texts are cached per address)
for f in $(cat "$C/index.txt"); do
    "$VQI" packets "$C/$f" >"$TMP/n.csv" 2>/dev/null
    "$VQI" packets -f jsonl "$C/$f" >"$TMP/n.jsonl" 2>/dev/null
    got=$(/usr/bin/python3 - "$TMP/n.csv" "$TMP/n.jsonl" "$C/$f.tsv" "$C/differences.txt" "$f" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
js = [json.loads(l, parse_float=str) for l in open(sys.argv[2])]   # the timestamp's text
tsv = [l.rstrip("\n").split("\t") for l in open(sys.argv[3])]
skip = {(int(w[1]), w[2]) for w in (l.split() for l in open(sys.argv[4]) if not l.startswith("#"))
        if w and w[0] == sys.argv[5]}
cols = ["timestamp", "length", "src_ip", "dst_ip", "src_port", "dst_port"]
fields = ["time", "len", "src", "dst", "sport", "dport"]
bad = []
for i, (r, j, t) in enumerate(zip(rows, js, tsv), 1):
    for k, (c, fld) in enumerate(zip(cols, fields)):
        if (i, fld) in skip or (fld == "time" and not t[k]):
            continue    # deliberate differences; a pcapng SPB has no time (vqi: the previous)
        jv = "" if j[c] is None else str(j[c])
        if r[c] != t[k] or jv != t[k]:
            bad.append("%d %s csv=%s jsonl=%s tshark=%s" % (i, c, r[c], jv, t[k]))
print(len(rows), len(js) == len(rows) == len(tsv), bad[:3])
PY
)
    check_eq "packets $f: time, length, addresses, ports = tshark (CSV and JSON lines)" \
        "$got" "$(wc -l <"$C/$f.tsv") True []"
done

# many addresses (more than the 64 cached texts, colliding), IPv6 with zero
# runs of every length and place, all port and length magnitudes: a pcap
# written here by Python, whose own ipaddress / str() formatting is the oracle
/usr/bin/python3 - "$TMP/many.pcap" "$TMP/many.want" <<'PY'
import ipaddress, random, struct, sys
random.seed(7)
frames, want = [], []
pool4 = [bytes(random.getrandbits(8) for _ in range(4)) for _ in range(300)]
def v6():
    while True:
        g = [random.choice([0, 0, 0, random.getrandbits(16), random.getrandbits(4)]) for _ in range(8)]
        a = struct.pack(">8H", *g)
        if a[:12] not in (bytes(10) + b"\xff\xff", bytes(12)):   # no v4-mapped / v4-compatible
            return a
pool6 = [v6() for _ in range(300)]
ts = 1600000000 * 10**6
for i in range(2000):
    ts += random.choice([1, 999999, 1000000, 12345678])
    sport, dport = random.choice([0, 7, 80, 443, 9999, 65535, random.getrandbits(16)]), random.getrandbits(16)
    if 53 in (sport, dport):
        dport = 54              # not DNS: the plain UDP summary
    pay = bytes(random.choice([0, 1, 50]))
    udp = struct.pack(">HHHH", sport, dport, 8 + len(pay), 0) + pay
    if i % 2:
        s, d = random.choice(pool4), random.choice(pool4)
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0, s, d) + udp
        eth, fam = b"\x08\x00", ipaddress.IPv4Address
    else:
        s, d = random.choice(pool6), random.choice(pool6)
        ip = struct.pack(">IHBB16s16s", 6 << 28, len(udp), 17, 64, s, d) + udp
        eth, fam = b"\x86\xdd", ipaddress.IPv6Address
    frame = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb" + eth + ip
    frames.append(struct.pack("<IIII", ts // 10**6, ts % 10**6, len(frame), len(frame)) + frame)
    ipname = "IP" if fam is ipaddress.IPv4Address else "IPv6"
    want.append("%d.%06d000,%d,%s,%s,%d,%d,Ether / %s / UDP %s:%d > %s:%d" % (
        ts // 10**6, ts % 10**6, len(frame), fam(s), fam(d), sport, dport,
        ipname, fam(s), sport, fam(d), dport))
open(sys.argv[1], "wb").write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1) + b"".join(frames))
open(sys.argv[2], "w").write("\n".join(want) + "\n")
PY
"$VQI" packets "$TMP/many.pcap" | tail -n +2 | cut -d, -f1-4,7- >"$TMP/many.got"
check_files_equal "2000 rows, 600 addresses: time, length, addresses, ports, info = Python's" \
    "$TMP/many.got" "$TMP/many.want"
