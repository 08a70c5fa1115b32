#!/bin/bash
# demo.sh [OUTDIR] - what 'make demo' runs after building ./vqi: the whole
# pipeline on the bundled samples, every result written to OUTDIR (default
# demo-out/), then a list of what was written, one line each.
#   data/samples/requet_A_exp46.pcap.xz   Requet group A exp 46 (YouTube, 10 min)
#   data/samples/requet_A_exp46_merged.txt.xz   its player log (the truth)
#   data/samples/ndpi_netflix.pcap.xz     Netflix iOS app (nDPI test suite)
#   data/models/default.vqimodel          the bundled default model
# Any failing step stops the demo with its error and a non-zero status.
set -euo pipefail
ORIG=$PWD   # paths given by the user are relative to where they ran the script
abspath() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$ORIG/$1" ;; esac; }
cd "$(dirname "$0")/.."

OUT=demo-out
[ $# -eq 0 ] || OUT=$(abspath "$1")
VQI=${VQI:-./vqi}
SAMPLE=data/samples/requet_A_exp46.pcap.xz
LOG=data/samples/requet_A_exp46_merged.txt.xz
NETFLIX=data/samples/ndpi_netflix.pcap.xz
MODEL=data/models/default.vqimodel

case ${1:-} in -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
for f in "$VQI" "$SAMPLE" "$LOG" "$NETFLIX" "$MODEL"; do
    [ -e "$f" ] || { echo "demo: $f is missing (run 'make demo' from the repository)" >&2; exit 2; }
done
"$VQI" predict --help >/dev/null 2>&1 ||
    { echo "demo: '$VQI predict' is not available in this build" >&2; exit 1; }

# Replace only a previous demo's output (marked), never an unrelated directory.
if [ -e "$OUT" ] && [ ! -e "$OUT/.vqi-demo" ] && [ "$OUT" != demo-out ] &&
   [ -n "$(ls -A "$OUT" 2>/dev/null)" ]; then
    echo "demo: $OUT exists and is not a demo output directory; remove it or choose another" >&2
    exit 2
fi
rm -rf "$OUT"
mkdir -p "$OUT"
: >"$OUT/.vqi-demo"
step() { printf '\n== %s\n' "$1"; }
# run NAME CMD...: run a step; on failure show its command and stop
run() {
    local name=$1; shift
    if ! "$@"; then
        echo "demo: step '$name' failed: $*" >&2
        exit 1
    fi
}

step "1. packets: one row per frame of the Requet sample"
run packets "$VQI" packets "$SAMPLE" -o "$OUT/packets.csv"
echo "$(($(wc -l <"$OUT/packets.csv") - 1)) packets -> $OUT/packets.csv"

step "2. service identification: YouTube addresses from DNS answers (CNAME chains)"
run dns "$VQI" dns "$SAMPLE" --service youtube --addresses -o "$OUT/youtube_addresses.txt"
run dns "$VQI" dns "$SAMPLE" --service youtube -o "$OUT/youtube_dns.csv"
echo "$(wc -l <"$OUT/youtube_addresses.txt") YouTube addresses; first ones:"
head -3 "$OUT/youtube_addresses.txt" | sed 's/^/  /'

step "3. flows of the YouTube traffic"
run flows "$VQI" flows "$SAMPLE" --service youtube -o "$OUT/flows.csv"
echo "$(($(wc -l <"$OUT/flows.csv") - 1)) YouTube flows -> $OUT/flows.csv"

step "4. traffic report (the assignment's Part 1 statistics)"
run stats "$VQI" stats "$SAMPLE" --service youtube -o "$OUT/stats.txt"
head -12 "$OUT/stats.txt" | sed 's/^/  /'
echo "  ... (full report in $OUT/stats.txt)"

step "5. 10-second windows (course schema), labelled from the player log"
run windows "$VQI" windows "$SAMPLE" --service youtube --labels "$LOG" -o "$OUT/windows.csv"
echo "windows -> $OUT/windows.csv"

step "6. resolution per window with the bundled default model"
echo "NOTE: experiment 46 is part of the default model's training data, so the"
echo "agreement below is NOT a held-out score; for held-out numbers (leave one"
echo "video out) see docs/MODEL.md."
run predict "$VQI" predict "$SAMPLE" --service youtube --labels "$LOG" --model "$MODEL" \
    -o "$OUT/predictions.csv" --plot "$OUT/resolution.png" 2>&1

step "7. evaluation report of the default model on the labelled windows"
run eval "$VQI" eval "$MODEL" "$OUT/windows.csv" --report "$OUT/report" >"$OUT/eval.log"
head -5 "$OUT/eval.log" | sed 's/^/  /'
echo "  (exp 46 plays 720p throughout: only the 720 class is present, so the macro ROC AUC is undefined)"

step "8. Netflix sample: service identification"
run netflix "$VQI" dns "$NETFLIX" --service netflix --addresses -o "$OUT/netflix_addresses.txt"
run netflix "$VQI" stats "$NETFLIX" --service netflix -o "$OUT/netflix_stats.txt"
echo "$(wc -l <"$OUT/netflix_addresses.txt") Netflix addresses from DNS answers; the video servers (23.246.x.x) are"
echo "never named by DNS in this capture, so address prefixes and TLS SNI find the rest:"
grep -E '^ *(packets|identified by):' "$OUT/netflix_stats.txt" | sed 's/^ */  /' ||
    { echo "demo: $OUT/netflix_stats.txt lacks its summary lines" >&2; exit 1; }

step "what was written"
describe() { [ -e "$OUT/$1" ] && printf '  %-40s %s\n' "$OUT/$1" "$2" ||
             { echo "demo: $OUT/$1 was not written" >&2; exit 1; }; }
describe packets.csv            "per-packet table (timestamp, length, addresses, DNS id, protocol, ports, summary)"
describe youtube_dns.csv        "DNS messages naming YouTube, with their answer chains"
describe youtube_addresses.txt  "YouTube server addresses learned from DNS"
describe flows.csv              "bidirectional YouTube flow statistics"
describe stats.txt              "readable report of the YouTube traffic"
describe windows.csv            "10-s window features (251 course columns), resolution from the player log"
describe predictions.csv        "predicted resolution per window (true = player log), probabilities"
describe resolution.png         "timeline: predicted vs true resolution"
describe eval.log                 "the evaluation's text output"
describe report/metrics.json    "accuracy, F1, confusion matrix, ROC AUC of the default model on exp 46"
describe report/report.md       "the same as a readable report (+ confusion.png, roc.png, predictions.csv)"
describe netflix_addresses.txt  "Netflix addresses from the Netflix sample's DNS answers"
describe netflix_stats.txt      "report of the Netflix sample's traffic (DNS, prefixes, SNI)"
echo
echo "Exp 46 was used to train the default model: the scores above are training-data"
echo "scores. Held-out (leave-one-video-out) accuracy and limits: docs/MODEL.md."
