# loader.sh - libxgboost and libplplot are loaded only by the commands that
# need them (src/model/xgb_loader.c, src/plot/plplot_loader.c): ./vqi is not
# linked against them, capture commands never load them (LD_DEBUG=files shows
# every library the dynamic loader opens), and training, prediction and
# figures load them on first use and still work.
. tests/lib.sh
C=$FIX/capture/real_eth_ipv4_bad_len.pcap
W=$FIX/model/windows.csv

linked=$(ldd "$VQI" 2>/dev/null | grep -c 'libxgboost\|libplplot\|libgomp')
check_eq "vqi is not linked against libxgboost, libplplot or libgomp" "$linked" 0

# libraries opened by one vqi run (names only)
opened() { LD_DEBUG=files "$@" 2>&1 >/dev/null | grep -o 'file=lib[a-z]*' | sort -u | tr '\n' ' '; }

# each command must succeed, and open neither library
no_model_libs() {   # NAME COMMAND...
    local name=$1; shift
    LD_DEBUG=files "$@" >/dev/null 2>"$TMP/ld.log"
    local rc=$? got
    got=$(grep -c 'file=libxgboost\|file=libplplot' "$TMP/ld.log")
    check_eq "vqi $name: exit status, libraries loaded" "$rc $got" "0 0"
}
for cmd in packets dns flows; do no_model_libs "$cmd" "$VQI" "$cmd" "$C" -o /dev/null; done
no_model_libs stats "$VQI" stats "$C" --service youtube -o /dev/null
no_model_libs windows "$VQI" windows "$C" --service youtube -o /dev/null

# train with a report: the model needs libxgboost, the figures libplplot
libs=$(opened "$VQI" train "$W" -o "$TMP/m.vqi" --rounds 3 --report "$TMP/r")
case $libs in *file=libxgboost*) pass "vqi train loads libxgboost" ;;
    *) fail "vqi train loads libxgboost" "$libs" ;; esac
case $libs in *file=libplplot*) pass "vqi train --report loads libplplot" ;;
    *) fail "vqi train --report loads libplplot" "$libs" ;; esac
check_eq "the model was written" "$(head -1 "$TMP/m.vqi")" "vqi-model 1"
check_eq "the confusion figure is a PNG" "$(head -c 4 "$TMP/r/confusion.png" | tail -c 3)" "PNG"
# without --report, no figure: libplplot stays out
libs=$(opened "$VQI" train "$W" -o "$TMP/m2.vqi" --rounds 3)
case $libs in *file=libplplot*) fail "vqi train without figures leaves libplplot unloaded" "$libs" ;;
    *) pass "vqi train without figures leaves libplplot unloaded" ;; esac
