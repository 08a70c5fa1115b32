# monitor.sh - 'vqi monitor' on replayed captures (-r): without a model its
# CSV records are exactly 'vqi windows' output; with a model its predictions
# equal 'vqi predict' on the same capture; --realtime gives the same records;
# SIGINT/SIGTERM flush the open windows and exit 0; JSON lines parse; usage
# errors.  The live path (-i) is tested in tests/extended/monitor.sh.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
CAP=$PWD/data/samples/requet_A_exp46.pcap.xz
SHORT=$FIX/predict/exp46_first3s.pcap.xz

"$VQI" train "$FIX/predict/netflix_head5_pandas2_p5.pkl" --split none -o "$TMP/m.vqi" >/dev/null 2>&1
"$VQI" windows "$CAP" -s youtube -o "$TMP/w.csv" 2>/dev/null

# --- features: the same rows as vqi windows -------------------------------------
check_cmd "monitor -r, no model, CSV" "$VQI" monitor -r "$CAP" -s youtube --no-model -f csv -o "$TMP/mw.csv"
check_files_equal "no-model CSV records = vqi windows" "$TMP/mw.csv" "$TMP/w.csv"
check_eq "exit summary on stderr" "$(cat "$TMP/.err")" \
    "vqi monitor: $CAP: 28258 frames, 59 windows, dropped 0 by the kernel, 0 by the interface"

# --- predictions: the same as vqi predict -----------------------------------------
check_cmd "monitor -r with a model, CSV" "$VQI" monitor -r "$CAP" -s youtube -m "$TMP/m.vqi" -f csv -o "$TMP/mp.csv"
"$VQI" predict "$CAP" -s youtube -m "$TMP/m.vqi" -o "$TMP/p.csv" 2>/dev/null
check_eq "record header" "$(head -1 "$TMP/mp.csv")" \
    "session_id,service,absolute_timestamp,relative_timestamp,userPacketCount,serverPacketCount,userByteCount,serverByteCount,n_chunks_up,n_chunks_down,kernel_drops,iface_drops,predicted,p_240,p_360,p_480,p_720,p_1080"
check_eq "predictions and probabilities = vqi predict" \
    "$(cut -d, -f1,4,13- "$TMP/mp.csv" | md5sum)" "$(cut -d, -f1,2,4- "$TMP/p.csv" | md5sum)"
got=$($PY - "$TMP/mp.csv" "$TMP/w.csv" <<'EOF'
import sys
import pandas as pd
m, w = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2], index_col=0)
cols = ["absolute_timestamp", "userPacketCount", "serverPacketCount", "userByteCount",
        "serverByteCount", "n_chunks_up", "n_chunks_down"]
print(len(m), all((m[c].values == w[c].values).all() for c in cols),
      int(m.kernel_drops.sum()), int(m.iface_drops.sum()))
EOF
)
check_eq "record counts equal the windows table's columns; no drops" "$got" "59 True 0 0"

check_cmd "monitor JSON lines" "$VQI" monitor -r "$CAP" -s youtube -m "$TMP/m.vqi" -o "$TMP/mp.jsonl"
got=$($PY - "$TMP/mp.jsonl" "$TMP/mp.csv" <<'EOF'
import json, sys
import pandas as pd
rows = [json.loads(l) for l in open(sys.argv[1])]
csv = pd.read_csv(sys.argv[2], float_precision="round_trip")
same = all(r[k] == c[k] for r, (_, c) in zip(rows, csv.iterrows()) for k in csv.columns)
print(len(rows), same)
EOF
)
check_eq "jsonl records = CSV records" "$got" "59 True"
check_cmd "monitor JSON lines, no model" "$VQI" monitor -r "$SHORT" -s youtube --no-model -w 0.5
got=$($PY - "$TMP/.out" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(len(rows), len(rows[0]), rows[0]["service"], rows[0]["is_tcp"] in (True, False),
      rows[0]["kernel_drops"])
EOF
)
check_eq "no-model jsonl: 3 records of 251 columns + 2 drop counters" "$got" "3 253 youtube True 0"

# --- realtime replay -----------------------------------------------------------------
"$VQI" windows "$SHORT" -s youtube -w 0.5 -o "$TMP/sw.csv" 2>/dev/null
check_cmd "--realtime replay (3.4 s)" "$VQI" monitor -r "$SHORT" --realtime -s youtube --no-model \
    -w 0.5 -f csv -o "$TMP/rt.csv"
check_files_equal "--realtime gives the same records" "$TMP/rt.csv" "$TMP/sw.csv"

# --- signals: open windows flushed, exit 0 ----------------------------------------------
# SIGINT as soon as the first window is out (~2.8 s into the 3.4-s replay):
# the window open at that moment must still be written
"$VQI" monitor -r "$SHORT" --realtime -s youtube --no-model -w 0.5 >"$TMP/int.jsonl" 2>"$TMP/int.err" &
pid=$!
for _ in $(seq 1 200); do [ -s "$TMP/int.jsonl" ] && break; sleep 0.05; done
k=$(wc -l <"$TMP/int.jsonl")
kill -INT $pid
wait $pid
check_eq "SIGINT: exit 0" "$?" 0
n=$(wc -l <"$TMP/int.jsonl")
if [ "$k" -ge 1 ] && [ "$n" -gt "$k" ] && [ "$n" -le 3 ] &&
   $PY -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/int.jsonl"; then
    pass "SIGINT: the open window is flushed ($k records before, $n after)"
else fail "SIGINT: the open window is flushed" "$k records before, $n after"; fi
"$VQI" monitor -r "$SHORT" --realtime -s youtube -m "$TMP/m.vqi" -w 0.5 -o "$TMP/term.jsonl" 2>/dev/null &
pid=$!
sleep 2.8
kill -TERM $pid
wait $pid
check_eq "SIGTERM: exit 0" "$?" 0
if [ -e "$TMP/term.jsonl" ] && $PY -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/term.jsonl"
then pass "SIGTERM: -o file committed, valid records"; else fail "SIGTERM: -o file committed, valid records"; fi

# --- a reader that goes away ----------------------------------------------------------------
set -o pipefail
"$VQI" monitor -r "$CAP" -s youtube --no-model 2>/dev/null | head -1 >/dev/null
check_eq "closed stdout: exit 0" "$?" 0
set +o pipefail

# --- usage errors -----------------------------------------------------------------------
check_exit "no source: exit 2" 2 "$VQI" monitor -s youtube --no-model
check_exit "-i and -r: exit 2" 2 "$VQI" monitor -i lo -r "$CAP" -s youtube --no-model
check_exit "--realtime without -r: exit 2" 2 "$VQI" monitor -i lo --realtime -s youtube --no-model
check_exit "no --service: exit 2" 2 "$VQI" monitor -r "$CAP" --no-model
check_exit "--model and --no-model: exit 2" 2 "$VQI" monitor -r "$CAP" -s youtube --no-model -m "$TMP/m.vqi"
check_exit "bad --snaplen: exit 2" 2 "$VQI" monitor -i lo -s youtube --no-model --snaplen 10
check_exit "bad --format: exit 2" 2 "$VQI" monitor -r "$CAP" -s youtube --no-model -f xml
check_exit "unreadable capture: exit 2" 2 "$VQI" monitor -r "$TMP/nope.pcap" -s youtube --no-model
check_exit "no default model: exit 2" 2 env VQI_MODEL="$TMP/none.vqi" "$VQI" monitor -r "$CAP" -s youtube
check_exit "no such interface: exit 2" 2 "$VQI" monitor -i vqi_no_such0 -s youtube --no-model
check_eq "no such interface: message" "$(grep -c '^vqi: vqi_no_such0: ' "$TMP/.err")" 1
check_exit "--help: exit 0" 0 "$VQI" monitor --help
check_eq "--help text" "$(grep -c '^usage: vqi monitor -i IFACE' "$TMP/.out")" 1
# a model of other columns than the window stage's (the synthetic L3/L4/L7 table)
"$VQI" train "$FIX/model/windows.csv" --split none --rounds 2 -o "$TMP/other.vqi" >/dev/null 2>&1
check_exit "model of columns windows lack: exit 2" 2 "$VQI" monitor -r "$CAP" -s youtube -m "$TMP/other.vqi"
check_eq "model of columns windows lack: message" \
    "$(grep -c "^vqi: $CAP: the model uses column 'L3_bytes_down', which windows do not have" "$TMP/.err")" 1
