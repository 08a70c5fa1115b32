#!/bin/bash
# perf.sh - the speed-ups keep outputs identical (bench/README.md): vqi
# windows with its threads (VQI_THREADS=3: by default vqi runs in one
# thread) against one thread (VQI_THREADS=1)
# on the bundled Requet sample - the same bytes for the CSV, labels, extra
# columns, a truncated capture and a stopped run; no timing.
. tests/lib.sh

SAMPLE=$PWD/data/samples/requet_A_exp46.pcap.xz
NETFLIX=$PWD/data/samples/ndpi_netflix.pcap.xz
xz -dc "$SAMPLE" >"$TMP/exp46.pcap"

# same NAME ARGS...: vqi windows ARGS in both modes gives the same stdout,
# stderr and exit code, and at least one row.
same() {
    local name=$1; shift
    VQI_THREADS=1 "$VQI" windows "$@" >"$TMP/one.csv" 2>"$TMP/one.err"
    local rc1=$?
    VQI_THREADS=3 "$VQI" windows "$@" >"$TMP/two.csv" 2>"$TMP/two.err"
    local rc2=$?
    if [ "$rc1" != "$rc2" ]; then
        fail "$name" "exit $rc2 with the reader thread, $rc1 without"
    elif ! cmp -s "$TMP/one.csv" "$TMP/two.csv"; then
        fail "$name" "CSV differs: $(cmp "$TMP/one.csv" "$TMP/two.csv" 2>&1 | head -n 1)"
    elif ! cmp -s "$TMP/one.err" "$TMP/two.err"; then
        fail "$name" "stderr differs: $(head -c 200 "$TMP/two.err")"
    else
        pass "$name ($(wc -l <"$TMP/two.csv") lines, exit $rc2)"
    fi
}

same "windows: threaded = one thread" "$TMP/exp46.pcap" --service youtube
same "windows --extra-columns: threaded = one thread" "$TMP/exp46.pcap" --service youtube \
    --extra-columns --window 5
same "windows from xz: threaded = one thread" "$SAMPLE" --service youtube --resolution 720
same "windows, other service: threaded = one thread" "$NETFLIX" --service netflix

# A capture cut in the middle of a record: the same rows and warning.
size=$(stat -c %s "$TMP/exp46.pcap")
head -c $((size / 2 + 7)) "$TMP/exp46.pcap" >"$TMP/cut.pcap"
same "truncated capture: threaded = one thread" "$TMP/cut.pcap" --service youtube
grep -q 'vqi: .*cut.pcap' "$TMP/two.err" && pass "truncated capture: warning" \
    || fail "truncated capture: warning" "$(cat "$TMP/two.err")"

# More packets than the reader's batches hold (4 x 2048): 3 copies in a row.
cat "$TMP/exp46.pcap" >"$TMP/three.pcap"
for i in 1 2; do tail -c +25 "$TMP/exp46.pcap" >>"$TMP/three.pcap"; done
same "three copies (time going back): threaded = one thread" "$TMP/three.pcap" --service youtube

# The window stage stops on a write error: exit 1 in both modes, no hang.
VQI_THREADS=1 "$VQI" windows "$TMP/three.pcap" --service youtube -o /dev/full 2>"$TMP/one.err"
rc1=$?
VQI_THREADS=3 "$VQI" windows "$TMP/three.pcap" --service youtube -o /dev/full 2>"$TMP/two.err"
rc2=$?
check_eq "write error: exit 1 with the reader thread" "$rc2" 1
check_eq "write error: same exit without it" "$rc1" 1

# Threads only on request: by default no thread is started (counted from
# the clone calls with CLONE_THREAD); VQI_THREADS=3 starts the reader and
# the row writer.
if command -v strace >/dev/null; then
    threads_started() {
        strace -f -qq -e trace=clone,clone3 -o "$TMP/strace.txt" env "$@" "$VQI" windows \
            "$TMP/three.pcap" --service youtube >/dev/null 2>&1
        grep -c 'CLONE_THREAD' "$TMP/strace.txt"
    }
    check_eq "default: one thread" "$(threads_started VQI_THREADS=)" 0
    check_eq "VQI_THREADS=1: one thread" "$(threads_started VQI_THREADS=1)" 0
    check_eq "VQI_THREADS=3: reader and row writer started" "$(threads_started VQI_THREADS=3)" 2
else
    pass "thread count: strace not installed, not checked"
fi
