# lib.sh - helpers for vqi's shell tests (sourced).  Each check prints
# "ok - name" or "not ok - name: why"; tests/run.sh counts the lines.
# $VQI is the program under test, $FIX the bundled fixtures, $SHARED ../shared,
# $TMP a scratch directory removed afterwards.

VQI=${VQI:-$PWD/vqi}
FIX=${FIX:-$PWD/tests/fixtures}
SHARED=${SHARED:-$PWD/../shared}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1${2:+: $2}"; }

# check_eq NAME GOT WANT
check_eq() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# check_cmd NAME CMD... : the command succeeds
check_cmd() {
    local name=$1; shift
    if "$@" >"$TMP/.out" 2>"$TMP/.err"; then pass "$name"
    else fail "$name" "exit $?: $(head -c 300 "$TMP/.err")"; fi
}

# check_exit NAME CODE CMD... : the command exits with CODE
check_exit() {
    local name=$1 want=$2; shift 2
    "$@" >"$TMP/.out" 2>"$TMP/.err"
    local got=$?
    check_eq "$name" "$got" "$want"
}

# check_files_equal NAME GOT_FILE WANT_FILE
check_files_equal() {
    if cmp -s "$2" "$3"; then pass "$1"
    else fail "$1" "$(diff "$2" "$3" | head -5 | tr '\n' '|')"; fi
}
