#!/bin/bash
# memory_bound.sh (extended) - peak memory of every capture-reading subcommand
# on a capture larger than 1 GB, which is generated on the fly and never
# stored: scripts/make-big-capture.py -o - repeats the Requet captures of
# ../shared (1.08 GB, 12 million packets, 25 copies, 60 s apart) into one
# pipe, and tee hands the same bytes to each command reading '-', each under
# /usr/bin/time -f %M.  A second stream, tests/fixtures/flow/make_many_flows.py,
# makes 400,000 short flows beside one long one (61 MB) for the bounds of
# `vqi flows`' rows.  The bounds asserted are those of docs/ROBUSTNESS.md
# ("Memory bounds"); they are independent of the capture's length.
#
# About 1.5-3 minutes on 2 cores (CPU, not memory, is the cost: 12 M packets
# through six readers); everything runs under nice.  With a sanitizer build
# of vqi the peak memory means nothing: the checks are skipped.
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
REQUET=$SHARED/data/requet/pcap

if grep -q __asan_init "$VQI" 2>/dev/null; then
    pass "memory bounds: skipped (sanitizer build of vqi)"
    exit 0
fi
if ! ls "$REQUET"/*.pcap >/dev/null 2>&1; then
    fail "memory bounds" "no Requet captures in $REQUET"
    exit 0
fi

# run_stream NAME GENERATOR... : feeds GENERATOR's stdout to every command in
# the array CMDS (entries "label|vqi arguments", capture read from '-', output
# to stdout); each command's peak RSS (KiB) lands in $TMP/NAME.label.rss, its
# exit code in .rc, its count of output lines in .lines.
run_stream() {
    local name=$1; shift
    local fifos=() pids=() labels=() entry label args
    for entry in "${CMDS[@]}"; do
        label=${entry%%|*}
        args=${entry#*|}
        mkfifo "$TMP/$name.$label.fifo"
        fifos+=("$TMP/$name.$label.fifo")
        labels+=("$label")
        # shellcheck disable=SC2086 # args are vqi options without spaces
        ( nice -n 10 /usr/bin/time -f %M -o "$TMP/$name.$label.rss" \
              "$VQI" $args <"$TMP/$name.$label.fifo" 2>"$TMP/$name.$label.err" |
              wc -l >"$TMP/$name.$label.lines"
          echo "${PIPESTATUS[0]}" >"$TMP/$name.$label.rc" ) &
        pids+=($!)
    done
    # tee -p: a reader that fails does not stop the others
    nice -n 10 "$@" 2>"$TMP/$name.gen.err" | tee -p "${fifos[@]}" >/dev/null
    echo "${PIPESTATUS[0]}" >"$TMP/$name.gen.rc"
    wait "${pids[@]}"
}

# check_rss NAME LABEL LIMIT_MB WHAT : the command exited 0 and stayed under LIMIT_MB
check_rss() {
    local name=$1 label=$2 limit=$3 what=$4
    local rc kb
    rc=$(cat "$TMP/$name.$label.rc" 2>/dev/null)
    kb=$(tail -1 "$TMP/$name.$label.rss" 2>/dev/null)
    if [ "$rc" != 0 ]; then
        fail "$what: exit 0" "exit '$rc': $(head -c 300 "$TMP/$name.$label.err")"
    elif ! [[ $kb =~ ^[0-9]+$ ]]; then
        fail "$what: peak RSS" "no measurement"
    elif [ "$kb" -le $((limit * 1024)) ]; then
        pass "$what: peak RSS $((kb / 1024)) MB <= $limit MB"
    else
        fail "$what: peak RSS" "$((kb / 1024)) MB > $limit MB"
    fi
}

# --- 1. a 1.08 GB capture of real traffic, every capture reader
CMDS=(
    "packets|packets -"
    "dns|dns -"
    "windows|windows - --service youtube"
    "flows|flows -"
    "flows_end|flows - --order end"
    "stats|stats - --service youtube"
)
run_stream big "$PY" scripts/make-big-capture.py -o - --size 1G "$REQUET"/*.pcap
check_eq "1 GB stream generated (exit 0, > 1e9 bytes)" \
    "$(cat "$TMP/big.gen.rc") $(awk '{ print ($4 > 1e9) }' "$TMP/big.gen.err")" "0 1"
# every reader saw the whole stream: one packets row per generated packet,
# the same flow rows in both orders
check_eq "1 GB: vqi packets wrote a row per packet" \
    "$(($(cat "$TMP/big.packets.lines") - 1))" "$(awk '{ print $2 }' "$TMP/big.gen.err")"
check_eq "1 GB: vqi flows, both orders, the same number of rows" \
    "$(cat "$TMP/big.flows.lines")" "$(cat "$TMP/big.flows_end.lines")"
check_rss big packets 32 "1 GB: vqi packets"
check_rss big dns 32 "1 GB: vqi dns"
check_rss big windows 64 "1 GB: vqi windows --service youtube"
check_rss big flows 180 "1 GB: vqi flows"
check_rss big flows_end 110 "1 GB: vqi flows --order end"
check_rss big stats 300 "1 GB: vqi stats --service youtube"

# --- 2. 400,001 flows (one open throughout): the rows of `vqi flows`
CMDS=(
    "first|flows -"
    "end_small|flows - --order end --max-flows 4096"
    "first_small|flows - --max-flows 4096 --reorder-limit 8M"
    "end_idle|flows - --order end --idle-timeout 5"
)
run_stream many "$PY" "$FIX/flow/make_many_flows.py" 400000 0.0025 1000
check_eq "400,001-flow stream generated" "$(cat "$TMP/many.gen.rc")" "0"
check_eq "400,001 flows: a row per flow (+ header) in every run" \
    "$(cat "$TMP"/many.*.lines | sort -u | tr '\n' ' ')" "400002 "
check_rss many first 180 "400,001 flows: vqi flows (table + 64 MiB of held rows)"
check_eq "400,001 flows: vqi flows falls back to end order with a note" \
    "$(grep -c '^vqi: flows: note: .*--reorder-limit (67108864 bytes) while flow 0 was open' \
    "$TMP/many.first.err")" "1"
check_rss many end_small 24 "400,001 flows: --order end --max-flows 4096"
check_rss many first_small 40 "400,001 flows: --max-flows 4096 --reorder-limit 8M"
check_rss many end_idle 24 "400,001 flows: --order end --idle-timeout 5"
