#!/bin/bash
# build-training-set.sh [REQUET_DIR] [-o OUT.csv.gz] - build the labelled
# training table of the default model (data/train/requet_windows.csv.gz) from
# the Requet captures with 'vqi windows --service youtube':
#   - group C (C_baseline_*_exp_NNN.pcap): one 5-minute session per capture,
#     played at one fixed *requested* resolution, the label of every window
#     (ExperimentInfo.txt: tiny=144 small=240 medium=360 large=480 hd720=720
#     hd1080=1080);
#   - group A experiments 41 and 46: labels per window from their player logs
#     (labels/*_merged.txt; 'vqi windows --labels' aligns the windows to the
#     log's StartMs, as docs/FEATURES.md documents).
# Every row gets video_id (the schema's empty column, filled from
# ExperimentInfo.txt) and a new last column 'experiment' (e.g. C_exp_322).
#
# Choices (see docs/MODEL.md):
#   - 144p sessions are KEPT with resolution 144: the course's valid classes
#     are 240..1080, so 'vqi train' drops them by default (its cleaning log
#     counts them), but the table stays complete for other uses.
#   - exp_318 (an aborted 25-s 1080p run: 3 windows, start-up only) is left
#     out: its traffic is the initial burst, not a 1080p steady state.
# REQUET_DIR defaults to ../shared/data/requet (relative to the repository).
set -euo pipefail
ORIG=$PWD   # paths given by the user are relative to where they ran the script
abspath() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$ORIG/$1" ;; esac; }
cd "$(dirname "$0")/.."

REQUET=../shared/data/requet
OUT=data/train/requet_windows.csv.gz
VQI=${VQI:-./vqi}
EXCLUDED_EXPERIMENTS=" 318 "   # aborted runs

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case $1 in
        -h|--help) usage; exit 0 ;;
        -o|--output) [ $# -ge 2 ] || { echo "vqi: $1 needs a file" >&2; exit 2; }
                     OUT=$(abspath "$2"); shift 2 ;;
        -*) echo "vqi: unknown option $1" >&2; exit 2 ;;
        *) REQUET=$(abspath "$1"); shift ;;
    esac
done
INFO=$REQUET/ExperimentInfo.txt
for f in "$INFO" "$REQUET/pcap"; do
    [ -r "$f" ] || { echo "vqi: $f: not readable (give the Requet directory)" >&2; exit 2; }
done
[ -x "$VQI" ] || { echo "vqi: $VQI: not built (run make)" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# ExperimentInfo.txt -> "number video_id quality" lines.  Quirks handled: a
# blank line; two lines lack the space after the number ("62kPWamcOOl1s"):
# YouTube ids are exactly 11 characters, so the number is what precedes them.
awk 'NF == 4 { print $1, $2, $3; next }
     NF == 3 && length($1) > 11 { n = substr($1, 1, length($1) - 11);
                                  if (n ~ /^[0-9]+$/) { print n, substr($1, length(n) + 1), $2; next } }
     NF == 0 { next }
     { print "unparsed ExperimentInfo line " NR ": " $0 > "/dev/stderr"; bad = 1 }
     END { exit bad }' "$INFO" >"$WORK/info"

quality_to_p() {
    case $1 in
        tiny) echo 144 ;; small) echo 240 ;; medium) echo 360 ;; large) echo 480 ;;
        hd720) echo 720 ;; hd1080) echo 1080 ;; *) return 1 ;;
    esac
}

# annotate CSV VIDEO_ID EXPERIMENT FIRST_INDEX: the rows of one 'vqi windows'
# CSV with video_id filled, an 'experiment' column appended and the index
# renumbered from FIRST_INDEX; the header only when FIRST_INDEX is 0.  Quoted
# fields (the EWMA arrays as numpy prints them) span lines but hold no commas:
# lines are joined until the quotes balance, then split on commas.
annotate() {
    awk -v vid="$2" -v experiment="$3" -v idx="$4" '
        { rec = (pending == "" ? $0 : pending "\n" $0); tmp = rec
          if (gsub(/"/, "", tmp) % 2) { pending = rec; next }
          pending = "" }
        !header_seen {
            header_seen = 1
            n = split(rec, f, ",")
            for (i = 1; i <= n; i++) if (f[i] == "video_id") col = i
            if (!col) { print "no video_id column" > "/dev/stderr"; exit 1 }
            if (idx == 0) print rec ",experiment"
            next }
        { n = split(rec, f, ",")
          f[1] = idx++; f[col] = vid
          line = f[1]; for (i = 2; i <= n; i++) line = line "," f[i]
          print line "," experiment }
        END { if (pending != "") { print "unbalanced quotes" > "/dev/stderr"; exit 1 } }' "$1"
}

# append CSV VIDEO EXPERIMENT: add one capture's windows to the table
rows=0 count=0 new=0
: >"$WORK/body"
n_records() { awk '{ tmp = $0; q += gsub(/"/, "", tmp); if (q % 2 == 0) n++ } END { print n + 0 }' "$1"; }
append() {
    annotate "$1" "$2" "$3" "$rows" >"$WORK/part"
    cat "$WORK/part" >>"$WORK/body"
    new=$(($(n_records "$WORK/part") - (rows == 0 ? 1 : 0)))
    rows=$((rows + new)); count=$((count + 1))
}

for cap in "$REQUET"/pcap/C_baseline_*_exp_*.pcap; do
    [ -e "$cap" ] || continue
    num=${cap##*_exp_}; num=${num%.pcap}
    case $EXCLUDED_EXPERIMENTS in *" $num "*) echo "skipped exp_$num (aborted run)"; continue ;; esac
    read -r _ vid quality < <(awk -v n="$num" '$1 == n' "$WORK/info") || true
    [ -n "${vid:-}" ] || { echo "vqi: $INFO: no line for experiment $num" >&2; exit 1; }
    p=$(quality_to_p "$quality") || { echo "vqi: $INFO: unknown quality '$quality' (exp $num)" >&2; exit 1; }
    "$VQI" windows "$cap" --service youtube --resolution "$p" -o "$WORK/w.csv"
    append "$WORK/w.csv" "$vid" "C_exp_$num"
    printf 'C_exp_%s  %-11s %5sp  %3d windows\n' "$num" "$vid" "$p" "$new"
    vid=
done

for num in 41 46; do
    cap=$REQUET/pcap/A_baseline_Mar22_exp_$num.pcap
    log=$REQUET/labels/A_baseline_Mar22_exp_${num}_merged.txt
    [ -r "$cap" ] && [ -r "$log" ] || { echo "vqi: $cap or its log: not readable" >&2; exit 2; }
    read -r _ vid _ < <(awk -v n="$num" '$1 == n' "$WORK/info") || true
    [ -n "${vid:-}" ] || { echo "vqi: $INFO: no line for experiment $num" >&2; exit 1; }
    "$VQI" windows "$cap" --service youtube --labels "$log" -o "$WORK/w.csv"
    append "$WORK/w.csv" "$vid" "A_exp_$num"
    printf 'A_exp_%s   %-11s  log   %3d windows\n' "$num" "$vid" "$new"
    vid=
done

[ "$count" -gt 0 ] || { echo "vqi: $REQUET/pcap: no Requet captures" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"
gzip -n -9 <"$WORK/body" >"$OUT.tmp"
mv -f "$OUT.tmp" "$OUT"
echo "wrote $OUT: $rows windows from $count captures"
