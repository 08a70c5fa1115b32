# packets.sh (extended) - 'vqi packets' on the real captures of ../shared:
# the row count equals tshark's packet count on every capture, and on the
# Requet capture exp_46 the DNS rows, transaction ids, times, lengths and
# addresses equal tshark's (computed live).
. tests/lib.sh
command -v tshark >/dev/null || { fail "tshark installed" "run scripts/install-deps.sh test"; exit 0; }

for f in "$SHARED"/data/pcaps/*/* "$SHARED"/data/requet/pcap/*.pcap; do
    want=$(tshark -r "$f" -T fields -e frame.number 2>/dev/null | wc -l)
    got=$("$VQI" -q packets "$f" | wc -l)
    check_eq "rows of ${f#"$SHARED"/data/}" "$((got - 1))" "$want"
done

E46=$SHARED/data/requet/pcap/A_baseline_Mar22_exp_46.pcap
"$VQI" packets "$E46" >"$TMP/e46.csv"
check_eq "exp_46: DNS rows = tshark -Y dns" "$(grep -c ',DNS,' "$TMP/e46.csv")" \
    "$(tshark -r "$E46" -Y dns 2>/dev/null | wc -l)"

# times (9 decimals), wire lengths and outer addresses of every frame
tshark -r "$E46" -E occurrence=f -T fields -e frame.time_epoch -e frame.len -e ip.src -e ip.dst \
    -e ipv6.src -e ipv6.dst 2>/dev/null |
    awk -F'\t' -v OFS=, '{ print $1, $2, $3 $5, $4 $6 }' >"$TMP/t46.csv"
tail -n +2 "$TMP/e46.csv" | cut -d, -f1-4 >"$TMP/v46.csv"
check_files_equal "exp_46: time, length, src, dst of every frame as tshark" "$TMP/v46.csv" "$TMP/t46.csv"

# DNS transaction ids, frame by frame
tshark -r "$E46" -Y dns -T fields -e frame.number -e dns.id 2>/dev/null |
    while IFS="$(printf '\t')" read -r n id; do printf '%s,%s\n' "$n" "$((id))"; done >"$TMP/tid.csv"
tail -n +2 "$TMP/e46.csv" | awk -F, '$6 == "DNS" { print NR "," $5 }' >"$TMP/vid.csv"
check_files_equal "exp_46: DNS frames and txn ids as tshark" "$TMP/vid.csv" "$TMP/tid.csv"

# the streaming reader (gzip) gives the same table as the mapped file
gzip -c "$E46" >"$TMP/e46.pcap.gz"
"$VQI" packets "$TMP/e46.pcap.gz" >"$TMP/gz.csv"
check_files_equal "exp_46 gzip = plain" "$TMP/gz.csv" "$TMP/e46.csv"

# the assignment's filter finds googlevideo answers in the Requet capture
check_eq "exp_46: DNS answers naming googlevideo" \
    "$(grep ',DNS,' "$TMP/e46.csv" | grep 'Ans' | grep -c googlevideo)" \
    "$(tshark -r "$E46" -Y 'dns.flags.response == 1 && dns.qry.name contains "googlevideo"' 2>/dev/null | wc -l)"
