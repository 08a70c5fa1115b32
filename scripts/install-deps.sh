#!/bin/sh
# install-deps.sh GROUP... - install the Debian packages vqi needs, when missing.
# Groups: build (compile vqi), test (oracles used by `make check`), bench
# (the Python baselines of `make bench`), live (monitor test), fuzz.
set -eu

# libpcap-dev, libxgboost-dev, libplplot-dev give headers and sonames; vqi
# loads the libraries at run time (dlopen) when live capture, a model or a
# figure needs them.  libpcap0.8 is named on its own: vqi no longer links it,
# but live capture (vqi monitor -i) loads it.
pkgs_build="gcc make pkg-config libpcap-dev libpcap0.8 libxgboost-dev liblzma-dev zlib1g-dev libbz2-dev libplplot-dev plplot-driver-cairo"
pkgs_test="python3 python3-pandas python3-sklearn tshark xz-utils gzip bzip2 file"
pkgs_bench="python3-scapy python3-pandas python3-sklearn tshark hyperfine time"
pkgs_live="iproute2 tcpreplay"
pkgs_fuzz="clang libclang-rt-14-dev"

want=""
for g in "$@"; do
    eval "want=\"\$want \$pkgs_$g\""
done

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "vqi: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" != 0 ]; then
    echo "vqi: not root: please run  sudo apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2 || echo "vqi: apt-get update failed; trying the install anyway" >&2
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >&2 || {
    echo "vqi: could not install:$missing" >&2
    exit 1
}
