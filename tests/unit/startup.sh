# startup.sh - what a vqi process loads at start-up: ./vqi is not linked
# against libpcap (src/capture/pcap_loader.c loads it for live capture only),
# so neither libpcap nor what it pulls in (libdbus, libsystemd, libgcrypt,
# ...) is loaded by the file commands (LD_DEBUG=files lists every library the
# dynamic loader opens); a live capture loads it on use and still reports
# libpcap's own errors.  (Missing libpcap: tests/unit/test_pcap_loader.c.)
. "$(dirname "$0")/../lib.sh"
C=$FIX/capture/real_eth_ipv4_bad_len.pcap

linked=$(ldd "$VQI" 2>/dev/null | grep -o 'libpcap\|libdbus\|libsystemd\|libgcrypt\|libcap\.' | tr '\n' ' ')
check_eq "vqi is not linked against libpcap or its dependencies" "$linked" ""

# opened NAME COMMAND...: the command's exit status and the libraries it opened
opened() {
    LD_DEBUG=files "$@" >/dev/null 2>"$TMP/ld.log"
    echo "$? $(grep -o 'file=lib[a-z0-9_]*' "$TMP/ld.log" | sort -u | tr '\n' ' ')"
}
for cmd in packets dns flows; do
    got=$(opened "$VQI" "$cmd" "$C" -o /dev/null)
    case $got in
        "0 "*libpcap*) fail "vqi $cmd does not load libpcap" "$got" ;;
        "0 "*) pass "vqi $cmd does not load libpcap" ;;
        *) fail "vqi $cmd does not load libpcap" "exit status: $got" ;;
    esac
done
for cmd in windows stats; do
    got=$(opened "$VQI" "$cmd" "$C" --service youtube -o /dev/null)
    case $got in
        "0 "*libpcap*|[!0]*) fail "vqi $cmd does not load libpcap" "$got" ;;
        *) pass "vqi $cmd does not load libpcap" ;;
    esac
done
# (a SAN=1 build also opens the sanitizer runtimes and what they need)
got=$(opened "$VQI" --version | sed 's/file=lib\(asan\|ubsan\|stdc\|gcc_s\)[a-z0-9_]* //g')
check_eq "vqi --version opens only libc and libm (decompressors are linked statically)" "$got" \
    "0 file=libc file=libm "

# live capture: libpcap is loaded on use; an unknown interface is libpcap's
# own error, in vqi's words, exit 2
got=$(opened "$VQI" monitor -i vqi-no-such-if0 -s youtube --no-model)
case $got in
    "2 "*libpcap*) pass "vqi monitor -i loads libpcap on use" ;;
    *) fail "vqi monitor -i loads libpcap on use" "$got" ;;
esac
check_eq "unknown interface: libpcap's message" "$(grep '^vqi:' "$TMP/ld.log")" \
    "vqi: vqi-no-such-if0: cannot capture: No such device exists"
