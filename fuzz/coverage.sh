#!/bin/bash
# coverage.sh TARGET [SRC_DIR...] - which source lines the corpus of a fuzz
# target reaches: builds build/fuzzcov/fuzz_TARGET (clang source coverage,
# no sanitizers), runs every input of fuzz/corpus-TARGET once, and prints
# llvm-cov's per-file report for SRC_DIR (default: every src/ directory).
# The uncovered lines themselves: build/fuzzcov/TARGET.txt.  Used to judge
# whether a campaign has saturated: what is left uncovered should be code
# the target cannot reach (other subcommands, out-of-memory paths).
set -eu
cd "$(dirname "$0")/.."
t=${1:?usage: fuzz/coverage.sh TARGET [SRC_DIR...]}
shift
dirs=("$@")
[ ${#dirs[@]} = 0 ] && dirs=(src)
bin=build/fuzzcov/fuzz_$t
make --no-print-directory "$bin" >&2
[ -d "fuzz/corpus-$t" ] || { echo "coverage.sh: no corpus fuzz/corpus-$t (run fuzz/run.sh first)" >&2; exit 2; }
rm -f "build/fuzzcov/$t.profraw"
LLVM_PROFILE_FILE="build/fuzzcov/$t.profraw" "$bin" -runs=0 -rss_limit_mb=2048 -max_len=65536 \
    "fuzz/corpus-$t" >"build/fuzzcov/$t.run.log" 2>&1 || true
llvm-profdata merge -sparse "build/fuzzcov/$t.profraw" -o "build/fuzzcov/$t.profdata"
llvm-cov report "$bin" -instr-profile="build/fuzzcov/$t.profdata" "${dirs[@]}"
llvm-cov show "$bin" -instr-profile="build/fuzzcov/$t.profdata" -show-line-counts-or-regions \
    "${dirs[@]}" >"build/fuzzcov/$t.txt"
