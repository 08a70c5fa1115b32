#!/bin/bash
# run.sh [SECONDS] [TARGET...] - build the libFuzzer targets and run each one,
# nice'd, one after the other, for SECONDS (default 600) on its corpus
# fuzz/corpus-TARGET/ (gitignored; seeded on first use from tests/fixtures and,
# when present, ../shared/data).  Crashes land in build/fuzz/artifacts/; a
# summary line per target (executions, time, coverage, corpus size) goes to
# build/fuzz/summary.txt.  Minimize a crash with
#   build/fuzz/fuzz_X -minimize_crash=1 -runs=10000 CRASHFILE
# and commit it under tests/fixtures/regress/ with a check in
# tests/unit/robustness.sh.  FUZZ_TIMEOUT=S raises the per-input limit
# (wall clock: on a loaded machine 5 s gives false timeouts).
set -u
cd "$(dirname "$0")/.."
secs=${1:-600}
shift 2>/dev/null || true
targets=("$@")
[ ${#targets[@]} = 0 ] && targets=(capture windows dns csv pickle table requet_log)
shared=../shared/data
maxlen=65536

# Build only the targets asked for (each one compiles the whole library);
# FUZZ_NOBUILD=1 runs the binaries already in build/fuzz.
if [ "${FUZZ_NOBUILD:-0}" != 1 ]; then
    scripts/install-deps.sh build fuzz || exit 1
    make --no-print-directory "${targets[@]/#/build/fuzz/fuzz_}" >&2 || exit 1
fi
mkdir -p build/fuzz/artifacts

# seed FILE DIR: copy FILE into DIR, keeping only its first maxlen bytes
# (big captures: the head is enough to reach every record parser).
seed() {
    local f=$1 dir=$2
    [ -f "$f" ] || return 0
    head -c $maxlen "$f" >"$dir/$(basename "$f")"
}

# DNS messages: the UDP/53 and TCP/53 payloads of the bundled captures.
seed_dns() {
    local dir=$1
    /usr/bin/python3 - "$dir" tests/fixtures/dns/*.pcap* tests/fixtures/capture/real_eth_dns* \
        "$shared"/pcaps/edge/*dns* <<'PY' 2>/dev/null
import lzma, sys, os, hashlib
from scapy.all import rdpcap, UDP, TCP, DNS
out = sys.argv[1]
for path in sys.argv[2:]:
    try:
        if path.endswith('.xz'):
            tmp = '/tmp/fuzz_seed_dns.pcap'
            open(tmp, 'wb').write(lzma.open(path).read())
            path = tmp
        for pkt in rdpcap(path):
            payload = None
            if UDP in pkt and 53 in (pkt[UDP].sport, pkt[UDP].dport):
                payload = bytes(pkt[UDP].payload)
            elif TCP in pkt and 53 in (pkt[TCP].sport, pkt[TCP].dport):
                p = bytes(pkt[TCP].payload)
                payload = p[2:] if len(p) > 2 else None
            if payload:
                name = hashlib.sha1(payload).hexdigest()
                open(os.path.join(out, name), 'wb').write(payload)
    except Exception:
        pass
PY
}

build_corpus() {
    local t=$1 dir=fuzz/corpus-$1 f
    [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && return 0
    mkdir -p "$dir"
    case $t in
    capture|windows)
        for f in tests/fixtures/capture/*.pcap* tests/fixtures/dns/*.pcap* \
                 tests/fixtures/flow/*.pcap tests/fixtures/regress/*.pcap* \
                 "$shared"/pcaps/*/* "$shared"/requet/pcap/*; do seed "$f" "$dir"; done ;;
    dns) seed_dns "$dir" ;;
    csv)
        for f in tests/fixtures/*/*.csv "$shared"/pickles/*.csv tests/fixtures/regress/*.csv; do
            seed "$f" "$dir"; done ;;
    pickle)
        for f in tests/fixtures/pickle/*.pkl "$shared"/pickles/*.pkl tests/fixtures/regress/*.pkl; do
            seed "$f" "$dir"; done ;;
    table)
        for f in tests/fixtures/pickle/*.pkl* tests/fixtures/pickle/*.csv \
                 "$shared"/pickles/* tests/fixtures/regress/*.pkl* tests/fixtures/regress/*.csv; do
            seed "$f" "$dir"; done ;;
    requet_log)
        for f in tests/fixtures/window/*merged.txt "$shared"/requet/labels/* \
                 tests/fixtures/regress/*merged*; do seed "$f" "$dir"; done ;;
    esac
}

for t in "${targets[@]}"; do
    bin=build/fuzz/fuzz_$t
    [ -x "$bin" ] || { echo "run.sh: no target $bin" >&2; exit 2; }
    build_corpus "$t"
    log=build/fuzz/$t.log
    # Pickle tokens (allowed globals, dict keys, dtype codes) for the readers
    # of pickles; see make_dict.py.
    dict=()
    case $t in
    pickle|table)
        /usr/bin/python3 fuzz/make_dict.py src/pickle src/table >"build/fuzz/$t.dict" &&
            dict=(-dict="build/fuzz/$t.dict") ;;
    esac
    echo "== fuzz_$t for ${secs}s (log $log)" >&2
    start=$(date +%s)
    nice -n 10 "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-5}" \
        -max_len=$maxlen -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix=build/fuzz/artifacts/"$t"- "fuzz/corpus-$t" >"$log" 2>&1
    rc=$?
    took=$(( $(date +%s) - start ))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    line="fuzz_$t rc=$rc time=${took}s execs=${execs:-?} ${cov:-cov: ?} corpus=$(ls "fuzz/corpus-$t" | wc -l)"
    echo "$line" | tee -a build/fuzz/summary.txt >&2
done
