#!/usr/bin/python3
"""part1.py - the course assignment's Part 1, cell for cell, as a speed baseline.

Why: vqi replaces this notebook code (seed/assignment.txt, "Extract Features
from the Network Traffic" up to "Inferring Segment downloads").  To compare
like with like, the cells below are the notebook's own code, unchanged except
that the capture path and the service-name regex are parameters (the notebook
hard-codes netflix.pcap and "netflix|nflx"; for the Requet YouTube captures use
"googlevideo").  The histogram cell renders with matplotlib's Agg backend, as a
headless notebook kernel would.

Usage: part1.py CAPTURE [NAME_REGEX] [--quiet] [--timings]
  --quiet    suppress the cells' printed output (what the notebook shows)
  --timings  print per-cell wall-clock seconds and a summary line to stderr
"""
import contextlib
import io
import sys
import time

args = [a for a in sys.argv[1:] if not a.startswith("--")]
flags = {a for a in sys.argv[1:] if a.startswith("--")}
if not args or len(args) > 2 or flags - {"--quiet", "--timings"}:
    print(__doc__.split("\n\n")[-1], file=sys.stderr)
    sys.exit(2)
CAPTURE = args[0]
NAME = args[1] if len(args) > 1 else "netflix|nflx"

import warnings
warnings.simplefilter("ignore")  # pandas SettingWithCopyWarning on the notebook code: noise only

_t0 = time.perf_counter()
_marks = []


def mark(cell):
    _marks.append((cell, time.perf_counter()))


_sink = io.StringIO() if "--quiet" in flags else None
_quiet = contextlib.redirect_stdout(_sink) if _sink is not None else contextlib.nullcontext()

with _quiet:
    import matplotlib
    matplotlib.use("Agg")
    from scapy.all import rdpcap, IP, TCP, UDP, DNS
    import pandas as pd
    mark("imports")

    # --- cell: read pcap and build rows -------------------------------------
    pkts = rdpcap(CAPTURE)
    mark("rdpcap")
    rows = []
    for pkt in pkts:
        is_DNS = DNS in pkt
        proto = "DNS" if is_DNS else ("TCP" if TCP in pkt else ("UDP" if UDP in pkt else "Other"))
        # compute packet length robustly; len(pkt) normally works for scapy packets
        try:
            pkt_len = len(pkt)
        except Exception:
            pkt_len = getattr(pkt, 'len', None)
        rows.append({
            "timestamp": float(getattr(pkt, "time", 0)),
            "length": pkt_len,
            "src_ip": pkt[IP].src if IP in pkt else None,
            "dst_ip": pkt[IP].dst if IP in pkt else None,
            "txn_id": pkt[DNS].id if is_DNS else None,
            "protocol": proto,
            "src_port": pkt.sport if (TCP in pkt or UDP in pkt) else None,
            "dst_port": pkt.dport if (TCP in pkt or UDP in pkt) else None,
            "info": str(pkt.summary())
        })
    mark("rows")
    pcap__import = pd.DataFrame(rows)

    # Normalise: ensure there is a numeric 'length' column for downstream processing
    if 'length' not in pcap__import.columns and 'len' in pcap__import.columns:
        pcap__import['length'] = pcap__import['len']
    # coerce to numeric and use pandas nullable integer dtype where possible
    if 'length' in pcap__import.columns:
        pcap__import['length'] = pd.to_numeric(pcap__import['length'], errors='coerce').astype('Int64')
    mark("dataframe")

    # --- cell: service DNS packets ------------------------------------------
    netflix_dns = pcap__import[
        pcap__import["info"].str.contains(NAME, case=False, na=False)
    ]
    print(netflix_dns.head(15))

    # --- cell: only service queries (not answers) ----------------------------
    netflix_qry = pcap__import[
        pcap__import["info"].str.contains("(%s)" % NAME, case=False, na=False)
        & pcap__import["info"].str.contains("Qry", case=False, na=False)
    ]
    print(netflix_qry[["timestamp", "src_ip", "dst_ip", "txn_id", "info"]].head(30))
    netflix_qry = netflix_qry.drop_duplicates(subset=["txn_id"])
    print(netflix_qry[["timestamp", "src_ip", "dst_ip", "txn_id", "info"]].head(30))
    netflix_txn_ids = set(netflix_qry["txn_id"])
    print(netflix_txn_ids)

    # --- cell: answers matching the query ids --------------------------------
    nflx_answers = pcap__import[pcap__import["txn_id"].isin(netflix_txn_ids)
                                & pcap__import["info"].str.contains("Ans", case=False, na=False)
                                & pcap__import["protocol"].eq("DNS")]
    nflx_answers.head()
    print(len(nflx_answers))

    # --- cell: addresses from the answers' summaries -------------------------
    nflx_ips = set()
    for info in nflx_answers["info"]:
        parts = info.split("\"")
        for part in parts:
            if part.count(".") == 3:  # crude check for an IP address
                nflx_ips.add(part)
    print(nflx_ips)
    mark("dns")

    # --- cell: statistics ----------------------------------------------------
    nflx_pkts = pcap__import[
        (pcap__import["src_ip"].isin(nflx_ips)) | (pcap__import["dst_ip"].isin(nflx_ips))
    ]
    nflx_pkts.head()
    print(len(nflx_pkts))
    print(nflx_pkts["length"].describe())
    nflx_pkts.describe()
    nflx_pkts["timestamp"].plot(kind='hist', bins=50, title='Distribution of Packet Timestamps',
                                xlabel='Timestamp', ylabel='Frequency')
    print("inter-arrival time statistics:")
    nflx_pkts = nflx_pkts.sort_values(by="timestamp")
    nflx_pkts["inter_arrival_time"] = nflx_pkts["timestamp"].diff().fillna(0)
    print(nflx_pkts["inter_arrival_time"].describe())
    burstiness = nflx_pkts["inter_arrival_time"].std()
    print(f"Burstiness (std of inter-arrival times): {burstiness}")
    protocol_counts = nflx_pkts["protocol"].value_counts(normalize=True)
    print("Protocol Distribution:")
    print(protocol_counts)
    mark("stats")

    # flow durations and packet counts per flow
    nflx_pkts["flow_id"] = nflx_pkts.apply(
        lambda row: f"{row['src_ip']}-{row['dst_ip']}-{row['src_port']}-{row['dst_port']}-{row['protocol']}",
        axis=1)
    flow_stats = nflx_pkts.groupby("flow_id").agg(
        flow_duration=pd.NamedAgg(column="timestamp", aggfunc=lambda x: x.max() - x.min()),
        packet_count=pd.NamedAgg(column="timestamp", aggfunc="count")
    ).reset_index()
    print("Flow Statistics:")
    print(flow_stats.describe())
    mark("flows")

    # --- cell: segment download rate per 10-s window -------------------------
    nflx_pkts["time_window"] = (nflx_pkts["timestamp"] // 10) * 10  # 10-second windows
    segment_download_rate = nflx_pkts.groupby("time_window").size().reset_index(name="segment_download_rate")
    nflx_pkts = nflx_pkts.merge(segment_download_rate, on="time_window", how="left")
    print(nflx_pkts[["timestamp", "time_window", "segment_download_rate"]])
    mark("segments")

if "--timings" in flags:
    prev = _t0
    for cell, t in _marks:
        print("part1: %-9s %8.3f s" % (cell, t - prev), file=sys.stderr)
        prev = t
    print("part1: packets=%d dns_queries=%d answers=%d addresses=%d service_packets=%d flows=%d "
          "windows=%d total=%.3f s"
          % (len(pcap__import), len(netflix_qry), len(nflx_answers), len(nflx_ips), len(nflx_pkts),
             len(flow_stats), len(segment_download_rate), time.perf_counter() - _t0),
          file=sys.stderr)
