#!/bin/bash
# dataset.sh - every pickle in ../shared/data/pickles (pandas 1 protocols
# 2/4/5, xz, pandas 2, pandas 2 + numpy 2, the video layout, gzip) exports
# to the same cells as its CSV twin there: compared cell by cell, floats
# numerically where the text differs only in how the number is written.
. "$(dirname "$0")/../lib.sh"
D=$SHARED/data/pickles
[ -d "$D" ] || { fail "shared pickles" "$D missing"; exit 0; }

compare_cells() {   # compare_cells GOT WANT -> "ok" or the first difference
    /usr/bin/python3 - "$1" "$2" <<'PY'
import csv, sys
got = list(csv.reader(open(sys.argv[1], newline='')))
want = list(csv.reader(open(sys.argv[2], newline='')))
if len(got) != len(want):
    print('rows: %d vs %d' % (len(got), len(want))); sys.exit()
for r, (g, w) in enumerate(zip(got, want)):
    if len(g) != len(w):
        print('row %d: %d vs %d cells' % (r, len(g), len(w))); sys.exit()
    for c, (a, b) in enumerate(zip(g, w)):
        if a == b:
            continue
        try:
            if float(a) == float(b):
                continue
        except ValueError:
            pass
        print('row %d col %d (%s): %r vs %r' % (r, c, want[0][c], a[:60], b[:60])); sys.exit()
print('ok')
PY
}

n=0
for pkl in "$D"/*.pkl "$D"/*.pkl.xz "$D"/*.pkl.gz; do
    [ -e "$pkl" ] || continue
    name=$(basename "$pkl")
    twin=$D/${name%%_pandas*}.csv
    if ! "$VQI" dataset export "$pkl" -o "$TMP/out.csv" 2>"$TMP/err"; then
        fail "$name exports" "$(cat "$TMP/err")"
        continue
    fi
    check_eq "$name: same cells as $(basename "$twin")" "$(compare_cells "$TMP/out.csv" "$twin")" ok
    cmp -s "$TMP/out.csv" "$twin" && pass "$name: byte-identical to pandas" \
        || fail "$name: byte-identical to pandas" "$(diff "$TMP/out.csv" "$twin" | head -3)"
    n=$((n + 1))
done
check_eq "pickles compared" "$n" 10

# info and clean run on every one of them
for pkl in "$D"/netflix_head5_pandas2_p5.pkl "$D"/video_head5_pandas1_p2.pkl; do
    check_cmd "info $(basename "$pkl")" "$VQI" dataset info "$pkl"
    check_cmd "clean $(basename "$pkl")" "$VQI" dataset clean "$pkl" -o "$TMP/clean.csv"
done
