#!/bin/bash
# bench.sh - functional checks of the benchmark input generators
# (scripts/make-big-capture.py, scripts/gen-dataset.py); no timing.
# Oracles: tshark reads back the capture (timestamps computed by hand below);
# pandas reads back the tables.
. tests/lib.sh
PY=/usr/bin/python3

# Two hand-made captures: A little-endian microseconds, B big-endian nanoseconds
# (converted to the first input's microseconds by truncation).
$PY - "$TMP" <<'EOF'
import struct, sys
d = sys.argv[1]
def write(path, endian, magic, recs):
    with open(path, "wb") as f:
        f.write(struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, 65535, 1))
        for sec, frac, incl, orig in recs:
            f.write(struct.pack(endian + "IIII", sec, frac, incl, orig))
            f.write(bytes(range(incl)))
write(d + "/a.pcap", "<", 0xA1B2C3D4, [(100, 0, 60, 60), (100, 500000, 42, 1392), (101, 250000, 54, 54)])
write(d + "/b.pcap", ">", 0xA1B23C4D, [(50, 100, 60, 70), (50, 100000999, 33, 33)])
with open(d + "/a.pcap", "rb") as f:
    data = f.read()
open(d + "/trunc.pcap", "wb").write(data[:-10])
open(d + "/ng.pcap", "wb").write(bytes.fromhex("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000"))
EOF

big() { $PY scripts/make-big-capture.py "$@"; }
check_cmd "make-big-capture: two copies of two captures" \
    big --copies 2 --gap 10 -o "$TMP/out.pcap" "$TMP/a.pcap" "$TMP/b.pcap"
# A: 100.0 100.5 101.25 | B shifted to 101.25+10: 111.25 111.35 | A again from
# 111.35+10: 121.35 121.85 122.6 | B from 122.6+10: 132.6 132.7
got=$(tshark -r "$TMP/out.pcap" -T fields -e frame.time_epoch -e frame.cap_len -e frame.len 2>/dev/null | tr '\t\n' ', ')
check_eq "make-big-capture: shifted times and lengths (tshark)" "$got" \
"100.000000000,60,60 100.500000000,42,1392 101.250000000,54,54 111.250000000,60,70 111.350000000,33,33 \
121.350000000,60,60 121.850000000,42,1392 122.600000000,54,54 132.600000000,60,70 132.700000000,33,33 "
check_eq "make-big-capture: size" "$(stat -c %s "$TMP/out.pcap")" $((24 + 2 * (16 * 5 + 60 + 42 + 54 + 60 + 33)))
# Record bytes are copied unchanged: the second record of the output is record 2 of a.pcap.
got=$(tshark -r "$TMP/out.pcap" -Y frame.number==2 -x 2>/dev/null | grep -c '^0020  20 21 22 23 24 25 26 27 28 29')
check_eq "make-big-capture: record bytes unchanged" "$got" 1

big --copies 2 --gap 10 -o "$TMP/out2.pcap" "$TMP/a.pcap" "$TMP/b.pcap" 2>/dev/null
check_files_equal "make-big-capture: deterministic" "$TMP/out2.pcap" "$TMP/out.pcap"

# --size stops after the copy that reaches it: one copy is 24+80+249 = 353 bytes.
big --size 400 --gap 10 -o "$TMP/sized.pcap" "$TMP/a.pcap" "$TMP/b.pcap" 2>/dev/null
check_eq "make-big-capture: --size rounds up to whole copies" "$(stat -c %s "$TMP/sized.pcap")" $((24 + 2 * 329))

check_exit "make-big-capture: truncated input is refused" 2 big --copies 1 -o "$TMP/bad.pcap" "$TMP/trunc.pcap"
check_eq "make-big-capture: no partial output" "$(ls "$TMP" | grep -c '^bad\.pcap')" 0
check_exit "make-big-capture: pcapng input is refused" 2 big --copies 1 -o "$TMP/ng-out.pcap" "$TMP/ng.pcap"
check_exit "make-big-capture: bad --copies" 2 big --copies 0 -o "$TMP/x.pcap" "$TMP/a.pcap"

# gen-dataset, train kind: shape, label, session split, CSV = pickle, determinism.
# 20 columns = session_id, the schema's first 18 feature columns (10_avg_chunksize
# .. access_stddev: 16 float64, 10_max/min_chunksize int64), resolution (float64).
gen() { $PY scripts/gen-dataset.py "$@"; }
check_cmd "gen-dataset: train kind" gen --kind train --rows 300 --columns 20 --holdout 0.25 --csv -o "$TMP/t"
gen --kind train --rows 300 --columns 20 --holdout 0.25 -o "$TMP/t2" 2>/dev/null
check_files_equal "gen-dataset: deterministic" "$TMP/t2.pkl" "$TMP/t.pkl"
got=$($PY - "$TMP/t" <<'EOF'
import sys
import pandas as pd
p = sys.argv[1]
d = pd.read_pickle(p + ".pkl")
tr, te = pd.read_pickle(p + "-train.pkl"), pd.read_pickle(p + "-test.pkl")
c = pd.read_csv(p + ".csv")
sizes = d.groupby("session_id", sort=False).size().tolist()
print(d.shape, d.columns[0], d.columns[-1], set(d["resolution"]) <= {240, 360, 480, 720, 1080},
      all(40 <= s <= 80 for s in sizes[:-1]), len(tr) + len(te),
      len(set(tr.session_id) & set(te.session_id)), c.equals(d), d.dtypes.astype(str).value_counts().to_dict())
EOF
)
check_eq "gen-dataset: train table" "$got" \
"(300, 20) session_id resolution True True 300 0 True {'float64': 17, 'int64': 2, 'object': 1}"

# full kind: the real file's dtype mix, index and per-row arrays.
check_cmd "gen-dataset: full kind" gen --kind full --rows 500 -o "$TMP/f"
got=$($PY - "$TMP/f.pkl" <<'EOF'
import sys
import numpy as np
import pandas as pd
d = pd.read_pickle(sys.argv[1])
e = d["10_EWMA_chunksizes"]
print(d.shape, sorted(d.dtypes.astype(str).value_counts().to_dict().items()), d.index.dtype,
      d.index.is_monotonic_increasing and d.index.is_unique, d.index[0],
      all(isinstance(a, np.ndarray) and a.ndim == 2 and a.shape[1] == 1 for a in e),
      d["session_id"].str.fullmatch("[0-9a-f]{32}").all(), set(d["service"]))
EOF
)
check_eq "gen-dataset: full table" "$got" \
"(500, 251) [('bool', 6), ('float64', 166), ('int64', 72), ('object', 7)] int64 True 208 True True {'netflix'}"
check_exit "gen-dataset: bad --columns" 2 gen --kind train --rows 10 --columns 500 -o "$TMP/bad"
