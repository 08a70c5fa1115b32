#!/usr/bin/python3
"""make-big-capture.py - build a large benchmark capture by concatenating pcaps.

Why: vqi must be measured on captures far larger than the public ones (the
Requet captures total 42 MB).  This script repeats the input captures, in the
given order, until the output reaches a target size or copy count, and shifts
every input file's timestamps so that it starts GAP seconds after the latest
timestamp written so far.  Sessions therefore never overlap in time, and each
copy looks like a later, separate session to a flow/session tracker.

Records are streamed (memory stays constant whatever the output size); the
output is a little-endian classic pcap with the link type and timestamp
resolution (micro/nanoseconds) of the first input, written to a temporary file
renamed on success.  The result is deterministic: same inputs and options,
same bytes.

`-o -` writes to standard output instead, so that a test can pipe gigabytes
into a program without storing them (tests/extended/memory_bound.sh); a reader
that stops early (broken pipe) ends the script quietly with status 1.

Usage:
  make-big-capture.py [-o OUT|-] [--size BYTES | --copies N] [--gap SECONDS] [PCAP...]

Defaults: OUT bench/work/big.pcap, --size 1G, --gap 60, inputs
../shared/data/requet/pcap/*.pcap (sorted by name).  --copies 1 concatenates
each input once (the "all captures merged" file).
Exit status: 0 success, 1 failure while writing, 2 bad usage or an unreadable,
truncated or non-pcap input (inputs are checked completely before writing).
"""
import argparse
import glob
import os
import struct
import sys

MAGIC_US = 0xA1B2C3D4
MAGIC_NS = 0xA1B23C4D
# Records larger than this are treated as corruption rather than allocated.
MAX_RECORD = 1 << 18
COPY_CHUNK = 1 << 20


class CaptureError(Exception):
    pass


def parse_size(text):
    units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    t = text.strip().upper().rstrip("B")
    unit = t[-1:] if t[-1:] in units and t[-1:] != "" else ""
    num = t[:-1] if unit else t
    try:
        value = float(num)
    except ValueError:
        raise argparse.ArgumentTypeError("not a size: %r" % text)
    if value <= 0:
        raise argparse.ArgumentTypeError("size must be positive: %r" % text)
    return int(value * units[unit])


def read_header(f, path):
    """Return (endian, ticks_per_second, linktype, snaplen) of a classic pcap."""
    hdr = f.read(24)
    if len(hdr) < 24:
        raise CaptureError("%s: too short for a pcap header" % path)
    for endian in ("<", ">"):
        magic = struct.unpack(endian + "I", hdr[:4])[0]
        if magic in (MAGIC_US, MAGIC_NS):
            _, _, _, _, _, snaplen, linktype = struct.unpack(endian + "IHHiIII", hdr)
            ticks = 1_000_000 if magic == MAGIC_US else 1_000_000_000
            return endian, ticks, linktype & 0x0FFFFFFF, snaplen
    raise CaptureError("%s: not a classic pcap file (pcapng is not supported; "
                       "convert it with editcap -F pcap)" % path)


def records(f, path, endian):
    """Yield (ts_sec, ts_frac, incl_len, orig_len, data) for each record."""
    rec = struct.Struct(endian + "IIII")
    while True:
        head = f.read(16)
        if not head:
            return
        if len(head) < 16:
            raise CaptureError("%s: truncated record header" % path)
        sec, frac, incl, orig = rec.unpack(head)
        if incl > MAX_RECORD:
            raise CaptureError("%s: record of %d bytes is implausible" % (path, incl))
        data = f.read(incl)
        if len(data) < incl:
            raise CaptureError("%s: truncated record" % path)
        yield sec, frac, incl, orig, data


def time_range(path, out_ticks):
    """Earliest and latest timestamp of a file, in output ticks (records may be out of order)."""
    first = None
    last = None
    with open(path, "rb") as f:
        endian, ticks, _, _ = read_header(f, path)
        for sec, frac, _, _, _ in records(f, path, endian):
            t = to_ticks(sec, frac, ticks, out_ticks)
            if first is None or t < first:
                first = t
            if last is None or t > last:
                last = t
    return first, last


def to_ticks(sec, frac, ticks, out_ticks):
    if ticks == out_ticks:
        return sec * out_ticks + frac
    if ticks > out_ticks:  # ns input into a us output: truncate like libpcap does
        return sec * out_ticks + frac // (ticks // out_ticks)
    return sec * out_ticks + frac * (out_ticks // ticks)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="*", metavar="PCAP")
    ap.add_argument("-o", "--output", default="bench/work/big.pcap",
                    help="output file, '-' = standard output (default bench/work/big.pcap)")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--size", type=parse_size, default=None,
                       help="stop after the copy that reaches this size (default 1G)")
    group.add_argument("--copies", type=int, default=None,
                       help="concatenate the inputs this many times")
    ap.add_argument("--gap", type=float, default=60.0,
                    help="seconds between the end of one file and the next (default 60)")
    args = ap.parse_args()

    inputs = args.inputs or sorted(glob.glob("../shared/data/requet/pcap/*.pcap"))
    if not inputs:
        ap.error("no input captures (default ../shared/data/requet/pcap/*.pcap is empty)")
    if args.copies is not None and args.copies < 1:
        ap.error("--copies must be at least 1")
    if args.gap < 0:
        ap.error("--gap must not be negative")
    target = args.size if args.size is not None else (None if args.copies else 1 << 30)

    try:
        with open(inputs[0], "rb") as f:
            _, out_ticks, linktype, _ = read_header(f, inputs[0])
        spans = []
        for path in inputs:
            with open(path, "rb") as f:
                _, _, lt, _ = read_header(f, path)
            if lt != linktype:
                raise CaptureError("%s: link type %d differs from %d of %s"
                                   % (path, lt, linktype, inputs[0]))
            spans.append(time_range(path, out_ticks))
    except (OSError, CaptureError) as e:
        print("make-big-capture: %s" % e, file=sys.stderr)
        return 2

    gap = int(round(args.gap * out_ticks))
    magic = MAGIC_US if out_ticks == 1_000_000 else MAGIC_NS
    to_stdout = args.output == "-"

    def write_all(out):
        """Write the capture to out; returns (packets, bytes, copies)."""
        rec = struct.Struct("<IIII")
        written = 24
        packets = 0
        copies = 0
        end = None  # latest output timestamp so far, in ticks
        out.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, 65535, linktype))
        while True:
            for path, (first, last) in zip(inputs, spans):
                if first is None:
                    continue  # an empty capture adds nothing
                shift = 0 if end is None else end + gap - first
                with open(path, "rb") as f:
                    endian, ticks, _, _ = read_header(f, path)
                    for sec, frac, incl, orig, data in records(f, path, endian):
                        t = to_ticks(sec, frac, ticks, out_ticks) + shift
                        if t < 0 or t // out_ticks > 0xFFFFFFFF:
                            raise CaptureError("%s: shifted timestamp out of the pcap range"
                                               % path)
                        out.write(rec.pack(t // out_ticks, t % out_ticks, incl, orig))
                        out.write(data)
                        written += 16 + incl
                        packets += 1
                end = last + shift
            copies += 1
            if args.copies is not None and copies >= args.copies:
                break
            if target is not None and written >= target:
                break
        return packets, written, copies

    if to_stdout:
        try:
            with os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=COPY_CHUNK) as out:
                packets, written, copies = write_all(out)
        except BrokenPipeError:
            # the reader stopped early: not this script's failure to report
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        except (OSError, CaptureError) as e:
            print("make-big-capture: %s" % e, file=sys.stderr)
            return 1
        print("-: %d packets, %d bytes, %d copies of %d captures"
              % (packets, written, copies, len(inputs)), file=sys.stderr)
        return 0

    out_dir = os.path.dirname(args.output) or "."
    os.makedirs(out_dir, exist_ok=True)
    tmp = "%s.tmp.%d" % (args.output, os.getpid())
    try:
        with open(tmp, "wb", buffering=COPY_CHUNK) as out:
            packets, written, copies = write_all(out)
        os.replace(tmp, args.output)
    except (OSError, CaptureError) as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        print("make-big-capture: %s" % e, file=sys.stderr)
        return 1
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    print("%s: %d packets, %d bytes, %d copies of %d captures"
          % (args.output, packets, written, copies, len(inputs)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
