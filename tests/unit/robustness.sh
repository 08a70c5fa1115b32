#!/bin/bash
# robustness.sh - one error path everywhere: hostile and damaged inputs end
# with exit 0/1/2 and a "vqi: FILE: what is wrong" message, never a crash;
# failed runs leave no output file; outputs that are devices or FIFOs are
# written in place (never replaced); full disks are failures (exit 1).
# Regression inputs found by fuzzing live in tests/fixtures/regress/.
. "$(dirname "$0")/../lib.sh"
CAP=$FIX/capture/real_sll.pcap

# run_clean NAME CMD... : exit status 0, 1 or 2 (no signal, no sanitizer
# abort), and any failure says "vqi: " on stderr.
run_clean() {
    local name=$1; shift
    "$@" >"$TMP/.out" 2>"$TMP/.err"
    local rc=$?
    if [ $rc -gt 2 ]; then
        fail "$name" "exit $rc: $(head -c 300 "$TMP/.err")"
    elif [ $rc != 0 ] && ! grep -q '^vqi: ' "$TMP/.err"; then
        fail "$name" "exit $rc without a 'vqi:' message: $(head -c 200 "$TMP/.err")"
    else
        pass "$name"
    fi
}

# ---------------------------------------------------------------- outputs --
# A FIFO output is written in place: before the fix, -o renamed a temporary
# file over it (and, run as root, over /dev/null and /dev/full).
mkfifo "$TMP/fifo"
cat "$TMP/fifo" >"$TMP/fifo.got" &
reader=$!
"$VQI" packets "$CAP" -o "$TMP/fifo" 2>"$TMP/.err"
rc=$?
if [ -p "$TMP/fifo" ]; then
    wait $reader
    check_eq "-o FIFO: exit 0" "$rc" 0
    check_eq "-o FIFO: data went through the FIFO" "$(wc -l <"$TMP/fifo.got")" \
        "$(("$VQI" packets "$CAP") | wc -l)"
    fifo_ok=1
else
    kill $reader 2>/dev/null
    fail "-o FIFO: the FIFO was replaced by a regular file"
    fifo_ok=0
fi
ls "$TMP" | grep -q '\.tmp\.' && fail "-o FIFO: temporary left" || pass "-o FIFO: no temporary left"

# Only with the fix in place: otherwise these would replace the devices.
if [ $fifo_ok = 1 ]; then
    check_exit "-o /dev/null: exit 0" 0 "$VQI" packets "$CAP" -o /dev/null
    [ -c /dev/null ] && pass "-o /dev/null: still a character device" \
                     || fail "-o /dev/null: replaced by a regular file"
    for cmd in "packets $CAP" "dns $CAP" "flows $CAP" "windows $CAP --service youtube" \
               "stats $FIX/flow/small.pcap --service youtube" \
               "dataset export $FIX/pickle/mixed_p5.pkl"; do
        # shellcheck disable=SC2086
        check_exit "full disk: vqi ${cmd%% *} -o /dev/full exits 1" 1 "$VQI" $cmd -o /dev/full
        check_eq "full disk: vqi ${cmd%% *} message" "$(cut -c1-27 "$TMP/.err")" \
            "vqi: /dev/full: write error"
        # shellcheck disable=SC2086
        check_exit "full disk: vqi ${cmd%% *} >/dev/full exits 1" 1 sh -c "\"\$0\" $cmd >/dev/full" "$VQI"
    done
    [ -c /dev/full ] && pass "-o /dev/full: still a character device" \
                     || fail "-o /dev/full: replaced by a regular file"
fi
