#!/bin/bash
# dataset.sh - 'vqi dataset info|export|clean' against pandas' own output
# (tests/fixtures/pickle/gen_*.py) and on hostile pickles.
. "$(dirname "$0")/../lib.sh"
P=$FIX/pickle

# export: the CSV pandas' to_csv writes, for pickles of every kind and for CSV
for pair in mixed_p5:mixed mixed_p2:mixed categorical_p5:categorical dtindex_p5:dtindex \
            multiindex_p2:multiindex series_p5:series py2_p0:py2 py2_p2:py2 \
            netflix_head5_pandas2_numpy2_p5:netflix_head5; do
    pkl=${pair%%:*} csv=${pair##*:}
    check_cmd "export $pkl" "$VQI" dataset export "$P/$pkl.pkl" -o "$TMP/$pkl.csv"
    check_files_equal "export $pkl = pandas to_csv" "$TMP/$pkl.csv" "$P/$csv.csv"
done
"$VQI" dataset export "$P/video_head5_pandas1_p4.pkl.gz" >"$TMP/video.csv"
check_files_equal "export gzip pickle to stdout" "$TMP/video.csv" "$P/video_head5.csv"
"$VQI" dataset export "$P/netflix_head5.csv" >"$TMP/rt.csv"
check_files_equal "export of a CSV round-trips" "$TMP/rt.csv" "$P/netflix_head5.csv"
"$VQI" dataset export - <"$P/video_head5_pandas1_p4.pkl.gz" >"$TMP/stdin.csv"
check_files_equal "export a gzip pickle from stdin" "$TMP/stdin.csv" "$P/video_head5.csv"
bzip2 -c "$P/mixed_p2.pkl" >"$TMP/mixed.pkl.bz2"
"$VQI" dataset export "$TMP/mixed.pkl.bz2" >"$TMP/bz2.csv"
check_files_equal "export a bzip2 pickle" "$TMP/bz2.csv" "$P/mixed.csv"
head -c 1000 "$P/video_head5_pandas1_p4.pkl.gz" >"$TMP/cut.pkl.gz"
check_exit "truncated gzip pickle: exit 2" 2 "$VQI" dataset export "$TMP/cut.pkl.gz" -o "$TMP/cut.csv"
[ -e "$TMP/cut.csv" ] && fail "truncated gzip left output" || pass "truncated gzip left no output"
xz -c "$P/mixed.csv" >"$TMP/mixed.csv.xz"
"$VQI" dataset export "$TMP/mixed.csv.xz" >"$TMP/mixed_rt.csv"
check_files_equal "xz CSV round-trips" "$TMP/mixed_rt.csv" "$P/mixed.csv"

# info and clean: pandas computed the expected text (gen_expected.py)
(cd "$P" && "$VQI" dataset info netflix_head5_pandas1_p5.pkl.xz) >"$TMP/info.txt"
check_files_equal "info netflix (pandas oracle)" "$TMP/info.txt" "$P/netflix_info.txt"
(cd "$P" && "$VQI" dataset info video_head5_pandas1_p4.pkl.gz) >"$TMP/vinfo.txt"
check_files_equal "info video (pandas oracle)" "$TMP/vinfo.txt" "$P/video_info.txt"
(cd "$P" && "$VQI" dataset clean netflix_head5_pandas1_p5.pkl.xz --valid-resolutions 480 \
    -o "$TMP/c.csv") >"$TMP/c.txt"
check_files_equal "clean report (pandas oracle)" "$TMP/c.txt" "$P/netflix_clean480.txt"
check_files_equal "clean output (pandas oracle)" "$TMP/c.csv" "$P/netflix_clean480.csv"
"$VQI" dataset clean "$P/netflix_head5_pandas1_p5.pkl.xz" >"$TMP/c2.csv" 2>"$TMP/c2.txt"
check_eq "clean to stdout: report on stderr" "$(tail -1 "$TMP/c2.txt")" "after: 10 rows x 165 columns"
check_eq "clean to stdout: table on stdout" "$(wc -l <"$TMP/c2.csv" | tr -d ' ')" 11

# hostile pickles: exit 2, a message naming the problem, no output file
n=0
for evil in "$P"/evil_*.pkl; do
    "$VQI" dataset export "$evil" -o "$TMP/evil.csv" 2>"$TMP/evil.err"
    rc=$?
    check_eq "$(basename "$evil") exits 2" "$rc" 2
    [ -e "$TMP/evil.csv" ] && fail "$(basename "$evil") left an output file" || pass "$(basename "$evil") no output"
    n=$((n + 1))
done
check_eq "hostile fixtures present" "$n" 10
"$VQI" dataset info "$P/evil_os_system.pkl" 2>"$TMP/e.err"
check_eq "os.system named" "$(cat "$TMP/e.err")" \
    "vqi: $P/evil_os_system.pkl: refusing global os.system (not among the pandas/numpy names of a DataFrame that vqi accepts)"
{ printf '\x80\x02'; head -c 100000 /dev/zero | tr '\0' ']'; head -c 99999 /dev/zero | tr '\0' 'a'; printf '.'; } >"$TMP/nested.pkl"
check_exit "100,000 nested lists: exit 2" 2 "$VQI" dataset info "$TMP/nested.pkl"
{ printf '\x80\x02'; head -c 2000000 /dev/zero | tr '\0' '('; printf '.'; } >"$TMP/marks.pkl"
check_exit "2,000,000 MARKs: exit 2" 2 "$VQI" dataset info "$TMP/marks.pkl"
grep -q "nested MARKs" "$TMP/.err" && pass "MARK bound named" || fail "MARK bound named" "$(cat "$TMP/.err")"

# usage
check_exit "no subcommand" 2 "$VQI" dataset
check_exit "unknown subcommand" 2 "$VQI" dataset frobnicate x
check_exit "two files" 2 "$VQI" dataset info a b
check_exit "info takes no -o" 2 "$VQI" dataset info "$P/mixed.csv" -o x
check_exit "bad --valid-resolutions" 2 "$VQI" dataset clean "$P/mixed.csv" -r 240,abc
check_exit "missing file" 2 "$VQI" dataset info "$TMP/nope.pkl"
"$VQI" dataset clean "$P/dtindex.csv" --label n --valid-resolutions 2,4 -o "$TMP/n.csv" >"$TMP/n.txt"
check_eq "clean --label n keeps rows 2 and 4" "$(cut -d, -f2 "$TMP/n.csv" | tr '\n' ' ')" "n 2 4 "
check_exit "clean without a label column" 2 "$VQI" dataset clean "$P/mixed.csv" -o "$TMP/x.csv"
[ -e "$TMP/x.csv" ] && fail "failed clean left output" || pass "failed clean left no output"
check_exit "--help" 0 "$VQI" dataset --help
grep -q "usage: vqi dataset info" "$TMP/.out" && pass "help text" || fail "help text"
