#!/bin/bash
# run.sh [--extended] - run vqi's test suite and print "N passed, N failed".
# Unit tests: C programs built from tests/unit/*.c and scripts tests/unit/*.sh
# (bundled fixtures only).  --extended: tests/extended/*.sh, which use the
# real data in ../shared.
set -u
cd "$(dirname "$0")/.."
BUILD=${VQI_BUILD:-build/release}
export VQI=$PWD/vqi FIX=$PWD/tests/fixtures SHARED=$PWD/../shared
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ "${1:-}" = --extended ]; then
    tests=(tests/extended/*.sh)
else
    tests=("$BUILD"/tests/* tests/unit/*.sh)
fi

passed=0 failed=0
for t in "${tests[@]}"; do
    [ -e "$t" ] || continue
    case $t in *.d) continue ;; esac
    name=${t##*/}
    out=$(if [[ $t == *.sh ]]; then bash "$t"; else "$t"; fi 2>&1)
    rc=$?
    p=$(grep -c '^ok - ' <<<"$out")
    f=$(grep -c '^not ok - ' <<<"$out")
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        f=1
        out+=$'\n'"not ok - $name exited with status $rc"
    fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" != 0 ]; then
        echo "FAIL $name ($p ok, $f failed)"
        grep -v '^ok - ' <<<"$out" | head -40 | sed 's/^/    /'
    else
        echo "ok   $name ($p checks)"
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
