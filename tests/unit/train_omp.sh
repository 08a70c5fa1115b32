# train_omp.sh - XGBoost's OpenMP threads wait passively unless the user
# chose otherwise: src/model/xgb_loader.c sets OMP_WAIT_POLICY=passive for
# the dlopen of libxgboost (libgomp reads it when it is loaded).  libgomp's
# own OMP_DISPLAY_ENV=verbose report is the oracle: GOMP_SPINCOUNT is 0 when
# passive, 300000 by default, 30000000000 when active.  The policy changes
# the waiting, never the model: the model files are byte-identical.
. "$(dirname "$0")/../lib.sh"

W=$FIX/model/windows.csv
# spin VAR=VALUE... -- CMD...: libgomp's spin count while CMD runs
spin() {
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT "${envs[@]}" OMP_DISPLAY_ENV=verbose "$@" \
        2>&1 >/dev/null | sed -n "s/^ *GOMP_SPINCOUNT = '\([0-9]*\)'.*/\1/p" | head -n 1
}

# control: libgomp loaded without vqi spins (the report tells the policies apart)
if /usr/bin/python3 -c 'import ctypes' 2>/dev/null; then
    check_eq "control: libgomp alone spins 300000 times" \
        "$(spin X=1 -- /usr/bin/python3 -c "import ctypes; ctypes.CDLL('libgomp.so.1')")" 300000
fi
check_eq "train: passive by default (spin count 0)" \
    "$(spin X=1 -- "$VQI" train "$W" --rounds 3 -o "$TMP/passive.vqi")" 0
check_eq "train: the user's OMP_WAIT_POLICY=active is kept" \
    "$(spin OMP_WAIT_POLICY=active -- "$VQI" train "$W" --rounds 3 -o "$TMP/active.vqi")" \
    30000000000
check_eq "train: the user's GOMP_SPINCOUNT is kept" \
    "$(spin GOMP_SPINCOUNT=12345 -- "$VQI" train "$W" --rounds 3 -o "$TMP/spin.vqi")" 12345
check_files_equal "same model bytes, passive or active" "$TMP/passive.vqi" "$TMP/active.vqi"
check_files_equal "same model bytes, passive or a spin count" "$TMP/passive.vqi" "$TMP/spin.vqi"
# -q before the subcommand: no re-execution any more, global options stay
check_cmd "vqi -q train" "$VQI" -q train "$W" --rounds 3 -o "$TMP/quiet.vqi"
check_files_equal "vqi -q train: same model" "$TMP/quiet.vqi" "$TMP/passive.vqi"
# every command that loads a model waits passively too (eval, predict)
check_eq "eval: passive by default" \
    "$(spin X=1 -- "$VQI" eval "$TMP/passive.vqi" "$W")" 0
