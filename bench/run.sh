#!/bin/bash
# run.sh - vqi's benchmarks: each comparison times vqi and its reference
# (the course's Python notebook, tshark, cat, scikit-learn, pandas) in the same
# run on the same files, prints one table and writes bench/results.md.
#
# Called by `make bench` (which installs the bench packages and builds ./vqi).
# A comparison whose vqi command does not work yet prints
# "skipped (vqi X not available)" and the rest still run.
#
# Environment:
#   BENCH_RUNS=5        runs per fast command (median reported)
#   BENCH_SLOW_RUNS=3   runs per slow command (Python notebook, tshark, 1 GB capture)
#   BENCH_TRAIN_RUNS=3  runs per training command (each takes about a minute)
#   BENCH_ONLY="1 2 3 4 4t 5"  which comparisons to run (4t: tuning, vqi train
#                       --tune vs GridSearchCV, ~30 min on a loaded machine)
#   BENCH_TUNE=0        leave out 4t (tuning) even when BENCH_ONLY names it
#   BENCH_TUNE_CANDIDATES=4 BENCH_TUNE_FOLDS=3  size of both searches in 4t
#   BENCH_NICE=10       niceness (the machine may be shared); 0 for a quiet machine
#   SHARED=../shared    the shared data directory (Requet captures)
#   VQI_TRAIN_OPTS=...  extra options for `vqi train`
#   VQI=build/release/vqi  the program measured
#   BENCH_RESULTS=bench/results.md  where the table goes
# Generated inputs (big captures, tables) live in bench/work/ (not in git) and
# are reused when present.
set -u
cd "$(dirname "$0")/.."

if [ -z "${BENCH_NICED:-}" ]; then
    BENCH_NICED=1 exec nice -n "${BENCH_NICE:-10}" "$0" "$@"
fi

RUNS=${BENCH_RUNS:-5}
SLOW=${BENCH_SLOW_RUNS:-3}
TRAIN_RUNS=${BENCH_TRAIN_RUNS:-3}
ONLY=${BENCH_ONLY:-1 2 3 4 4t 5}
SHARED=${SHARED:-../shared}
PY=/usr/bin/python3
# The release binary itself: ./vqi is a copy of whichever mode was built last
# (a `make check SAN=1` elsewhere would make it a sanitizer build).
VQI=${VQI:-$PWD/build/release/vqi}
WORK=bench/work
RESULTS=${BENCH_RESULTS:-bench/results.md}
REQUET=$SHARED/data/requet/pcap
EXP46=$REQUET/A_baseline_Mar22_exp_46.pcap
NETFLIX=$SHARED/data/pcaps/services/ndpi_netflix.pcap
LOGS=$WORK/logs   # per-measurement hyperfine JSON, stdout, stderr, RSS
mkdir -p "$LOGS"

for tool in hyperfine /usr/bin/time capinfos tshark; do
    command -v "$tool" >/dev/null || { echo "bench: $tool missing (scripts/install-deps.sh bench)" >&2; exit 2; }
done
[ -x "$VQI" ] || { echo "bench: $VQI missing (run make)" >&2; exit 2; }
# Measure a private copy: the tree may be shared, and a relink of the binary
# during the run would fail or change the program measured.
cp "$VQI" "$WORK/vqi" || exit 2
VQI_BUILT=$VQI
VQI=$PWD/$WORK/vqi

ROWS=()   # markdown table rows
FAILED=() # commands that failed while being measured
say() { echo "bench: $*" >&2; }
wanted() { [[ " $ONLY " == *" $1 "* ]]; }

# packets FILE: number of packets (capinfos, machine-readable)
packets() { capinfos -M -c -T -r "$1" | awk -F'\t' '{print $2; exit}'; }

# available LOG CMD: run CMD once (also a warm-up); 0 when it succeeds.
# The first line of its stderr is kept in $LOGS/LOG.err for the skip note.
available() {
    local log=$1; shift
    sh -c "$1" >/dev/null 2>"$LOGS/$log.err"
}
why() { head -n 1 "$LOGS/$1.err" | cut -c1-80; }

# measure KEY RUNS CMD: median wall time (s) of RUNS runs by hyperfine,
# then one more run under /usr/bin/time for the peak RSS (KB) whose stdout is
# kept in $LOGS/KEY.out.  Sets MED, CPU (mean user + system seconds: the
# figure that stays meaningful when other jobs share the cores) and RSS.
measure() {
    local key=$1 runs=$2 cmd=$3
    say "$key: $runs runs of: $cmd"
    if ! hyperfine --style none --runs "$runs" --export-json "$LOGS/$key.json" "$cmd" \
            >"$LOGS/$key.hyperfine" 2>&1; then
        MED="" RSS="" CPU=""
        FAILED+=("$key: $cmd: $(grep -v '^ *$' "$LOGS/$key.hyperfine" | tail -n 2 | tr '\n' ' ')")
        say "${FAILED[-1]}"
        return 1
    fi
    MED=$($PY -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' \
        "$LOGS/$key.json")
    CPU=$($PY -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.3f" % (r["user"] + r["system"]))' \
        "$LOGS/$key.json")
    if /usr/bin/time -f %M -o "$LOGS/$key.rss" sh -c "$cmd" >"$LOGS/$key.out" 2>"$LOGS/$key.err"; then
        RSS=$(tail -n 1 "$LOGS/$key.rss")
    else
        RSS=""
        FAILED+=("$key: the peak-RSS run failed: $(head -n 1 "$LOGS/$key.err")")
    fi
    return 0
}

# row NO COMPARISON TOOL MEDIAN RUNS RSS_KB RATE NOTE (CPU: from the last measure)
row() {
    local rss=${6:+$(awk -v k="$6" 'BEGIN {printf "%.0f", k / 1024}')}
    ROWS+=("| $1 | $2 | $3 | ${4:-–} | ${CPU:-–} | $5 | ${rss:-–} | ${7:-–} | ${8:-} |")
    write_results
}
skip() { ROWS+=("| $1 | $2 | $3 | – | – | – | – | – | skipped ($4) |"); write_results; }
# cpu_ratio BASE_CPU: "; CPU time N×" against the last measurement's CPU
cpu_ratio() {
    awk -v a="$1" -v b="${CPU:-0}" 'BEGIN { if (a > 0 && b > 0) {
        if (a >= b) printf "; CPU time %.1f× less", a / b
        else printf "; CPU time %.1f× more", b / a } }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f× faster than %s", a / b, "'"$3"'" }'; }
rate() {
    awk -v n="$1" -v t="$2" 'BEGIN { if (t <= 0) exit; r = n / t
        if (r >= 1e6) printf "%.2f M pkt/s", r / 1e6
        else if (r >= 1e4) printf "%.0f k pkt/s", r / 1e3
        else printf "%.0f pkt/s", r }'
}

# vqi_chain COMPARISON NAME CAPTURE SERVICE: the vqi steps of Part 1 that work,
# joined into one command in $CHAIN (steps listed in $STEPS).
vqi_chain() {
    local cap=$3 svc=$4 step cmd
    CHAIN="" STEPS="" MISSING=""
    for step in packets dns flows windows; do
        case $step in
            packets) cmd="$VQI packets '$cap'" ;;
            dns) cmd="$VQI dns '$cap' --service $svc" ;;
            flows) cmd="$VQI flows '$cap' --service $svc" ;;
            windows) cmd="$VQI windows '$cap' --service $svc" ;;
        esac
        if available "probe-$step" "$cmd"; then
            CHAIN="${CHAIN:+$CHAIN && }$cmd >/dev/null"
            STEPS="${STEPS:+$STEPS + }$step"
        else
            MISSING="${MISSING:+$MISSING, }$step"
        fi
    done
}

# ---------------------------------------------------------------------------
# 1. The assignment's Part 1: Python notebook cells vs vqi packets+dns+flows+windows
part1() {
    local cap=$1 regex=$2 svc=$3 label=$4 key=$5 n
    [ -r "$cap" ] || { skip 1 "Part 1, $label" "both" "$cap missing"; return; }
    n=$(packets "$cap")
    if measure "$key-python" "$SLOW" "$PY bench/baselines/part1.py '$cap' '$regex' --quiet --timings"; then
        local py=$MED pycpu=$CPU
        row 1 "Part 1, $label ($n pkts)" "Python notebook (scapy+pandas)" "$MED" "$SLOW" "$RSS" \
            "$(rate "$n" "$MED")" "$(grep -o 'dns_queries.*flows=[0-9]*' "$LOGS/$key-python.err")"
    fi
    vqi_chain 1 "$label" "$cap" "$svc"
    if [ -z "$CHAIN" ]; then
        skip 1 "Part 1, $label" "vqi" "vqi packets/dns/flows/windows not available: $(why probe-packets)"
        return
    fi
    if measure "$key-vqi" "$RUNS" "$CHAIN"; then
        row 1 "Part 1, $label ($n pkts)" "vqi $STEPS" "$MED" "$RUNS" "$RSS" "$(rate "$n" "$MED")" \
            "$(ratio "${py:-0}" "$MED" Python)$(cpu_ratio "${pycpu:-0}")${MISSING:+; not yet: $MISSING}"
    fi
}

# 2. Per-packet table: tshark field export vs vqi packets, all Requet captures
packet_table() {
    local cap=$WORK/requet-all.pcap n
    if [ ! -s "$cap" ]; then
        say "building $cap"
        $PY scripts/make-big-capture.py --copies 1 -o "$cap" "$REQUET"/*.pcap || {
            skip 2 "Per-packet table" "both" "could not build $cap"; return; }
    fi
    n=$(packets "$cap")
    local ts tscpu
    if measure tshark-fields "$SLOW" "tshark -n -r '$cap' -T fields -E separator=, -E quote=d -E header=y \
-e frame.time_epoch -e frame.len -e ip.src -e ip.dst -e dns.id -e _ws.col.Protocol \
-e tcp.srcport -e udp.srcport -e tcp.dstport -e udp.dstport -e _ws.col.Info"; then
        ts=$MED tscpu=$CPU
        row 2 "Per-packet table, all Requet ($n pkts)" "tshark -T fields" "$MED" "$SLOW" "$RSS" "$(rate "$n" "$MED")"
    fi
    if ! available probe-packets "$VQI packets '$cap'"; then
        skip 2 "Per-packet table" "vqi packets" "vqi packets not available: $(why probe-packets)"
        return
    fi
    if measure vqi-packets "$RUNS" "$VQI packets '$cap'"; then
        row 2 "Per-packet table, all Requet ($n pkts)" "vqi packets" "$MED" "$RUNS" "$RSS" \
            "$(rate "$n" "$MED")" "$(ratio "${ts:-0}" "$MED" tshark)$(cpu_ratio "${tscpu:-0}")"
    fi
}

# 3. Whole pipeline on ~1 GB vs reading the file (cat), in the page cache
big_capture() {
    local cap=$WORK/big.pcap n size catm
    if [ ! -s "$cap" ]; then
        say "building $cap (about 1 GB)"
        $PY scripts/make-big-capture.py -o "$cap" "$REQUET"/*.pcap || {
            skip 3 "1 GB capture" "both" "could not build $cap"; return; }
    fi
    n=$(packets "$cap")
    size=$(stat -c %s "$cap")
    local label="~1 GB capture ($((size / 1000000)) MB, $n pkts)"
    cat "$cap" >/dev/null   # into the page cache
    if measure cat "$RUNS" "cat '$cap'"; then
        catm=$MED
        row 3 "$label" "cat FILE > /dev/null" "$MED" "$RUNS" "$RSS" "$(rate "$n" "$MED")" \
            "$(awk -v s="$size" -v t="$MED" 'BEGIN { printf "%.2f GB/s", s / t / 1e9 }')"
    fi
    if ! available probe-windows "$VQI windows '$cap' --service youtube"; then
        skip 3 "$label" "vqi windows" "vqi windows not available: $(why probe-windows)"
        return
    fi
    if measure vqi-windows-big "$SLOW" "$VQI windows '$cap' --service youtube"; then
        row 3 "$label" "vqi windows --service youtube" "$MED" "$SLOW" "$RSS" "$(rate "$n" "$MED")" \
            "$(awk -v a="$MED" -v b="${catm:-0}" -v r="$RSS" -v s="$size" 'BEGIN { if (b > 0) printf "%.1f× the cat time", a / b
                if (r * 1024 > s / 2) printf "; RSS counts the mmapped file pages" }')"
    fi
    # vqi windows runs in one thread unless VQI_THREADS=N (N >= 2) asks for
    # its reader and row-writer threads; this row shows what they would buy
    # here (the same output bytes).
    if measure vqi-windows-threads "$SLOW" "VQI_THREADS=3 $VQI windows '$cap' --service youtube"; then
        row 3 "$label" "vqi windows, three threads (VQI_THREADS=3)" "$MED" "$SLOW" "$RSS" "$(rate "$n" "$MED")" \
            "$(awk -v a="$MED" -v b="${catm:-0}" 'BEGIN { if (b > 0) printf "%.1f× the cat time", a / b }')"
    fi
    # Through a pipe vqi cannot map the file: it streams, which shows the real
    # memory bound of the pipeline.
    if measure vqi-windows-pipe "$SLOW" "cat '$cap' | $VQI windows - --service youtube"; then
        row 3 "$label" "cat FILE \\| vqi windows - (streaming)" "$MED" "$SLOW" "$RSS" "$(rate "$n" "$MED")" \
            "$(awk -v a="$MED" -v b="${catm:-0}" 'BEGIN { if (b > 0) printf "%.1f× the cat time", a / b }')"
    fi
}

# 4. Training: vqi train (XGBoost) vs scikit-learn random forest, same split
TRAIN_BASE=$WORK/train50k
TRAIN_LABEL="Training, 50,000 × 240 (40k train / 10k held out by session)"

# train_table: generate the 50,000 x 240 table once (0 when present).
train_table() {
    [ -s "$TRAIN_BASE-test.pkl" ] && return 0
    say "generating $TRAIN_BASE (50,000 x 240)"
    $PY scripts/gen-dataset.py --kind train --rows 50000 --columns 240 --holdout 0.2 --csv \
        -o "$TRAIN_BASE"
}

training() {
    local acc
    train_table || { skip 4 "Training" "both" "could not generate $TRAIN_BASE"; return; }
    if measure sklearn-rf "$TRAIN_RUNS" "$PY bench/baselines/train_sklearn.py '$TRAIN_BASE-train.pkl' '$TRAIN_BASE-test.pkl'"; then
        acc=$(grep -o 'accuracy=[0-9.]*' "$LOGS/sklearn-rf.out")
        SK_MED=$MED SK_CPU=$CPU
        row 4 "$TRAIN_LABEL" "scikit-learn RandomForest(100, n_jobs=2)" "$MED" "$TRAIN_RUNS" "$RSS" "–" \
            "held-out $acc (load + fit + predict)"
    fi
    # vqi trains on the whole training file (--split none) and is scored by
    # vqi eval on the same held-out file as scikit-learn.
    vqi_training vqi-train "$TRAIN_LABEL" "vqi train (XGBoost, 60 rounds, depth 3)" "" "$TRAIN_RUNS"
    vqi_training vqi-train-rf "$TRAIN_LABEL" "vqi train --model rf --trees 100" "--model rf --trees 100" "$TRAIN_RUNS"
}

# 4t. Tuning: vqi train --tune vs scikit-learn GridSearchCV, the same number
# of candidates and folds, both grouped by session on the training file, the
# winner refitted on all of it and scored on the held-out file.  The full
# search (vqi's default 12 candidates x 5 folds: 61 fits per side) would take
# hours on a shared 2-core machine (one forest fit on the 40k rows is ~90 s
# of CPU), so the benchmark searches BENCH_TUNE_CANDIDATES=4 x
# BENCH_TUNE_FOLDS=3 (13 fits per side).  One run each (they take minutes).
tuning() {
    local cand=${BENCH_TUNE_CANDIDATES:-4} folds=${BENCH_TUNE_FOLDS:-3} acc best cvacc
    local label="Tuning, 50,000 × 240 ($cand candidates × $folds folds grouped by session, 40k train / 10k held out)"
    train_table || { skip 4t "Tuning" "both" "could not generate $TRAIN_BASE"; return; }
    if measure_once sklearn-grid "$PY bench/baselines/tune_sklearn.py '$TRAIN_BASE-train.pkl' '$TRAIN_BASE-test.pkl' --candidates $cand --folds $folds"; then
        acc=$(grep -o 'accuracy=[0-9.]*' "$LOGS/sklearn-grid.out" | head -n 1)
        cvacc=$(grep -o 'cv_accuracy=[0-9.]*' "$LOGS/sklearn-grid.out")
        best=$(grep -o 'best=.*' "$LOGS/sklearn-grid.out")
        SKT_MED=$MED SKT_CPU=$CPU
        row 4t "$label" "scikit-learn GridSearchCV(RandomForest(100, n_jobs=2), GroupKFold)" "$MED" 1 "$RSS" "–" \
            "held-out $acc; $cvacc; $best (load + search + refit + predict)"
    fi
    SK_MED=${SKT_MED:-} SK_CPU=${SKT_CPU:-} SK_NAME=GridSearchCV \
    vqi_training vqi-tune "$label" "vqi train --tune --candidates $cand --folds $folds" \
        "--tune --candidates $cand --folds $folds" once
}

# measure_once KEY CMD: one run under /usr/bin/time for wall, CPU and peak
# RSS together (a tuning run takes minutes: no second run for the RSS).
# Sets MED, CPU and RSS as measure does; stdout in $LOGS/KEY.out.
measure_once() {
    local key=$1 cmd=$2 wall user sys
    say "$key: 1 run of: $cmd"
    if ! /usr/bin/time -f '%e %U %S %M' -o "$LOGS/$key.time" sh -c "$cmd" \
            >"$LOGS/$key.out" 2>"$LOGS/$key.err"; then
        MED="" RSS="" CPU=""
        FAILED+=("$key: $cmd: $(grep -v '^ *$' "$LOGS/$key.err" | tail -n 2 | tr '\n' ' ')")
        say "${FAILED[-1]}"
        return 1
    fi
    read -r wall user sys RSS <"$LOGS/$key.time"
    MED=$wall
    CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
    return 0
}

# vqi_training KEY LABEL TOOL OPTIONS RUNS: time vqi train on the training
# file (RUNS runs, or "once" for measure_once), then score the model with
# vqi eval on the held-out file.
vqi_training() {
    local key=$1 label=$2 tool=$3 opts=$4 runs=$5 base=$TRAIN_BASE no=4
    [ "$runs" = once ] && no=4t
    local train="$VQI train '$base-train.pkl' --label resolution --split none $opts -o '$WORK/$key.vqi' ${VQI_TRAIN_OPTS:-}"
    # Training runs take minutes: probe with --help (the stubs fail it).
    if ! available probe-train "$VQI train --help"; then
        skip $no "$label" "$tool" "vqi train not available: $(why probe-train)"
        return
    fi
    if [ "$runs" = once ]; then
        measure_once "$key" "$train" || return
        runs=1
    else
        measure "$key" "$runs" "$train" || return
    fi
    local note ev winner
    ev=$($VQI eval "$WORK/$key.vqi" "$base-test.pkl" 2>&1 |
         grep -i -o -m 1 'accuracy[^0-9]*[0-9.]*' | grep -o '[0-9.]*$')
    note="held-out accuracy=${ev:-? (vqi eval failed)}; $(grep -o -m 1 'features: [0-9]*' "$LOGS/$key.out")"
    # --tune: the winner's CV score and parameters from the log
    winner=$(sed -n 's/^tune: winner CV accuracy \([0-9.]*\) +- [0-9.]* \[\(.*\)\]$/cv_accuracy=\1; best=\2/p' "$LOGS/$key.out")
    row $no "$label" "$tool" "$MED" "$runs" "$RSS" "–" \
        "$note${winner:+; $winner} (load + fit)${SK_MED:+; $(ratio "$SK_MED" "$MED" "${SK_NAME:-scikit-learn RF}")$(cpu_ratio "${SK_CPU:-0}")}"
}

# 5. Loading the course pickle: vqi dataset export vs pandas.read_pickle
loading() {
    local pkl=$WORK/full.pkl size
    if [ ! -s "$pkl" ]; then
        say "generating $pkl (52,279 x 251)"
        $PY scripts/gen-dataset.py --kind full -o "$WORK/full" || {
            skip 5 "Loading" "both" "could not generate $pkl"; return; }
    fi
    size=$(stat -c %s "$pkl")
    local label="Loading a 52,279 × 251 pickle ($((size / 1000000)) MB)"
    local pd_load
    if measure pandas-load "$RUNS" "$PY bench/baselines/load_pickle.py '$pkl'"; then
        pd_load=$MED
        row 5 "$label" "pandas.read_pickle" "$MED" "$RUNS" "$RSS" "–" "load only (Python start-up included)"
    fi
    local pd_csv
    if measure pandas-csv "$SLOW" "$PY bench/baselines/load_pickle.py '$pkl' --csv"; then
        pd_csv=$MED
        row 5 "$label" "pandas.read_pickle + to_csv" "$MED" "$SLOW" "$RSS" "–" "the same work as an export"
    fi
    if ! available probe-dataset "$VQI dataset export '$pkl'"; then
        skip 5 "$label" "vqi dataset export" "vqi dataset not available: $(why probe-dataset)"
        return
    fi
    if measure vqi-info "$RUNS" "$VQI dataset info '$pkl'"; then
        row 5 "$label" "vqi dataset info (load + summary)" "$MED" "$RUNS" "$RSS" "–" \
            "$(ratio "${pd_load:-0}" "$MED" read_pickle)"
    fi
    if measure vqi-export "$RUNS" "$VQI dataset export '$pkl'"; then
        local same="differs from"
        cmp -s "$LOGS/vqi-export.out" "$LOGS/pandas-csv.out" && same="byte-identical to"
        row 5 "$label" "vqi dataset export (to stdout)" "$MED" "$RUNS" "$RSS" "–" \
            "$(ratio "${pd_csv:-0}" "$MED" "read_pickle + to_csv"); CSV $same pandas to_csv"
    fi
}

# ---------------------------------------------------------------------------
machine() {
    local cpu mem
    cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
    mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- CPU: ${cpu:-unknown}, $(nproc) cores; RAM: $mem; kernel: $(uname -sr); load average at start: $(cut -d ' ' -f 1-3 /proc/loadavg)"
    echo "- vqi: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (modified)'), $($VQI --version 2>/dev/null | head -n 1) (copy of $VQI_BUILT)"
    echo "- $($PY --version 2>&1), scapy $($PY -c 'import scapy; print(scapy.__version__)' 2>/dev/null)," \
         "pandas $($PY -c 'import pandas; print(pandas.__version__)' 2>/dev/null)," \
         "scikit-learn $($PY -c 'import sklearn; print(sklearn.__version__)' 2>/dev/null)," \
         "$(tshark --version 2>/dev/null | head -n 1), $(hyperfine --version)"
    echo "- niceness $(nice), medians of BENCH_RUNS=$RUNS / BENCH_SLOW_RUNS=$SLOW / BENCH_TRAIN_RUNS=$TRAIN_RUNS runs (hyperfine); peak RSS from one more run (/usr/bin/time %M)"
}
MACHINE=$(machine)
STATE="in progress (rows so far)"

# write_results: the whole file again (atomically) after every row, so an
# interrupted run still leaves what it measured.
write_results() {
    {
        echo "# vqi benchmarks"
        echo
        echo "Generated by \`bench/run.sh\` (\`make bench\`); inputs in bench/work/ (regenerated by"
        echo "scripts/make-big-capture.py and scripts/gen-dataset.py).  Run: $STATE."
        echo
        echo "$MACHINE"
        echo
        echo "| # | comparison | tool | median s | CPU s | runs | peak RSS MB | rate | note |"
        echo "|---|---|---|---|---|---|---|---|---|"
        [ ${#ROWS[@]} -gt 0 ] && printf '%s\n' "${ROWS[@]}"
        if [ ${#FAILED[@]} -gt 0 ]; then
            echo
            echo "Failed while measuring (no row above):"
            printf -- '- %s\n' "${FAILED[@]}"
        fi
    } >"$RESULTS.tmp.$$" && mv "$RESULTS.tmp.$$" "$RESULTS"
}

# Training last: it is the slowest.
wanted 1 && part1 "$EXP46" googlevideo youtube "Requet exp_46" part1-exp46
wanted 1 && part1 "$NETFLIX" 'netflix|nflx' netflix "nDPI netflix" part1-netflix
wanted 2 && packet_table
wanted 3 && big_capture
wanted 5 && loading
wanted 4 && training
wanted 4t && [ "${BENCH_TUNE:-1}" != 0 ] && tuning
STATE="complete"
write_results
cat "$RESULTS"
