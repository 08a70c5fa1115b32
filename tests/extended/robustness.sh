#!/bin/bash
# robustness.sh (extended) - a sanitizer build (build/san/vqi: ASan + UBSan,
# leak detection on) runs every subcommand that reads a capture over every
# capture in ../shared/data and over malformed captures generated from them
# (tests/fixtures/regress/gen_hostile.py), and every table reader over
# hostile pickles and CSVs: no sanitizer report, exit 0/1/2 only, a
# "vqi: " message on failure and no output file left behind.
# Runs two jobs at a time: about 2,000 runs; a third of them (ROBUSTNESS_SAMPLE=3)
# took 270 s on the 2-core machine at load 8, so the whole set takes 10-14 min
# there, less on an idle machine.  ROBUSTNESS_SAMPLE=N
# runs every Nth input only (a quick look).
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SAN=$ROOT/build/san/vqi
MODEL=$ROOT/data/models/default.vqimodel
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

[ -d "$SHARED/data" ] || { fail "robustness: $SHARED/data missing"; exit 0; }
# build/san/vqi only: `make SAN=1 vqi` would replace ./vqi under the other tests
if ! (cd "$ROOT" && make --no-print-directory SAN=1 build/san/vqi >"$TMP/build.log" 2>&1); then
    fail "robustness: sanitizer build" "$(tail -5 "$TMP/build.log")"
    exit 0
fi
pass "robustness: sanitizer build"

caps=("$SHARED"/data/pcaps/*/* "$SHARED"/data/requet/pcap/*)
/usr/bin/python3 "$ROOT/tests/fixtures/regress/gen_hostile.py" "$TMP/hostile" \
    "$ROOT"/tests/fixtures/capture/real_sll.pcap "$ROOT"/tests/fixtures/capture/real_eth_ip4and6.pcapng \
    "$ROOT"/tests/fixtures/capture/synth_sections.pcapng "$ROOT"/tests/fixtures/capture/synth_us_be.pcap \
    "$SHARED"/data/pcaps/netml/netml_demo.pcapng "$SHARED"/data/requet/pcap/A_baseline_Mar22_exp_46.pcap \
    "$SHARED"/data/pcaps/services/youtube_quic_ipv6_dns_over_tcp.pcap
hostile_caps=("$TMP"/hostile/cap_*)
tables=("$TMP"/hostile/pkl_* "$TMP"/hostile/csv_* "$SHARED"/data/pickles/*)
if [ -n "${ROBUSTNESS_SAMPLE:-}" ]; then     # quick look: every Nth input only
    every() { local i=0 x; for x in "$@"; do [ $((i++ % ROBUSTNESS_SAMPLE)) = 0 ] && echo "$x"; done; }
    mapfile -t caps < <(every "${caps[@]}")
    mapfile -t hostile_caps < <(every "${hostile_caps[@]}")
    mapfile -t tables < <(every "${tables[@]}")
fi

# One job per line: "ID<TAB>command words" (the output path is $TMP/out/ID).
mkdir -p "$TMP/out" "$TMP/log"
jobs=$TMP/jobs
: >"$jobs"
n=0
add() { n=$((n + 1)); printf '%s\t%s\n' "$n" "$*" >>"$jobs"; }
for c in "${caps[@]}" "${hostile_caps[@]}"; do
    add packets "$c" -o
    add dns "$c" -o
    add flows "$c" -o
    add flows "$c" --netml -o
    add flows "$c" --features iat_size -o
    add stats "$c" --service youtube -o
    add windows "$c" --service youtube --extra-columns -o
    add predict "$c" --service youtube -m "$MODEL" -o
    add monitor -r "$c" --service youtube -m "$MODEL" -o
done
for t in "${tables[@]}"; do
    add dataset info "$t"
    add dataset export "$t" -o
    add dataset clean "$t" -o
    add train "$t" --rounds 5 -o
    add eval "$MODEL" "$t" -p
    add predict "$t" -m "$MODEL" -o
done

# run_job ID WORDS...: run build/san/vqi, record "ID rc output-exists".
run_job() {
    local id=$1; shift
    local args=("$@")
    [ "${args[-1]}" = -o ] || [ "${args[-1]}" = -p ] && args+=("$TMP/out/$id")
    "$SAN" "${args[@]}" >/dev/null 2>"$TMP/log/$id"
    echo "$id $? $([ -e "$TMP/out/$id" ] && echo 1 || echo 0)"
}
export -f run_job
export SAN TMP
start=$(date +%s)
tr '\t' ' ' <"$jobs" | xargs -P 2 -L 1 bash -c 'run_job "$@"' _ >"$TMP/results"
took=$(( $(date +%s) - start ))

bad_rc=0 bad_msg=0 san=0 left=0
while read -r id rc out; do
    cmd=$(sed -n "${id}p" "$jobs" | cut -f2-)
    if grep -q 'Sanitizer\|runtime error:' "$TMP/log/$id"; then
        san=$((san + 1)); fail "sanitizer report: vqi $cmd" "$(grep -m3 'ERROR\|runtime error\|SUMMARY' "$TMP/log/$id" | tr '\n' '|')"
    elif [ "$rc" -gt 2 ]; then
        bad_rc=$((bad_rc + 1)); fail "exit $rc: vqi $cmd" "$(head -c 200 "$TMP/log/$id")"
    elif [ "$rc" != 0 ] && ! grep -q '^vqi: ' "$TMP/log/$id"; then
        bad_msg=$((bad_msg + 1)); fail "exit $rc without a 'vqi:' message: vqi $cmd" "$(head -c 200 "$TMP/log/$id")"
    elif [ "$rc" != 0 ] && [ "$out" = 1 ]; then
        left=$((left + 1)); fail "exit $rc left its output: vqi $cmd"
    fi
done <"$TMP/results"
total=$(wc -l <"$TMP/results")
check_eq "robustness: every job ran" "$total" "$n"
check_eq "robustness: no sanitizer report ($n runs, ${took}s)" "$san" 0
check_eq "robustness: exit codes 0/1/2 only" "$bad_rc" 0
check_eq "robustness: failures say 'vqi: '" "$bad_msg" 0
check_eq "robustness: failed runs leave no output" "$left" 0
# the real data must read: every shared capture through every capture
# command, every shared pickle/CSV through dataset info/export (train, eval
# and predict may refuse ten-row tables or a model's missing columns: exit 2)
awk -F'\t' 'NR==FNR { cmd[$1] = $2; next } $2 != 0 { print cmd[$1] }' "$jobs" \
    <(tr ' ' '\t' <"$TMP/results") | grep -v "$TMP/hostile" \
    | grep -v '^train \|^eval \|^dataset clean \|^predict [^ ]*\.\(pkl\|csv\)' >"$TMP/real_fail"
check_eq "robustness: real captures and pickles all read" "$(wc -l <"$TMP/real_fail")" 0
sed 's/^/#   failed: vqi /' "$TMP/real_fail" | head -20
echo "# robustness: $n runs in ${took}s; exit codes: $(cut -d' ' -f2 "$TMP/results" | sort | uniq -c | tr '\n' ' ')"
