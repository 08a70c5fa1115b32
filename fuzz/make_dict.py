#!/usr/bin/python3
"""make_dict.py SRC_DIR... > TARGET.dict - a libFuzzer dictionary for the
pickle and table targets, taken from the reader's own sources so that it
follows the allow-list: every allowed global as a GLOBAL and as a
STACK_GLOBAL token sequence, every other string literal the reader compares
against (dict keys, dtype codes) as a SHORT_BINUNICODE / SHORT_BINBYTES
token, and the multi-byte opcode headers.  A random mutation rarely spells
"pandas.core.internals.managers" with its length byte in front; with these
tokens the fuzzer reaches the DataFrame rebuilding paths in a few mutations.
"""
import re
import sys
from pathlib import Path


def entry(data: bytes) -> str:
    out = []
    for b in data:
        if 0x20 <= b < 0x7f and b not in (0x22, 0x5c):
            out.append(chr(b))
        else:
            out.append('\\x%02x' % b)
    return '"' + ''.join(out) + '"'


def short_unicode(s: bytes) -> bytes:
    return b'\x8c' + bytes([len(s)]) + s


def main() -> int:
    pairs, literals = set(), set()
    for d in sys.argv[1:]:
        for path in sorted(Path(d).glob('*.c')):
            text = path.read_text()
            for mod, name in re.findall(r'\{"([\w.]+)",\s*(?:"(\w+)"|NULL)', text):
                pairs.add((mod, name))
            for lit in re.findall(r'"([\w.<>|\[\]:\-]{2,60})"', text):
                literals.add(lit)
    tokens = {
        b'\x80\x02', b'\x80\x04', b'\x80\x05',      # PROTO 2, 4, 5
        b'\x95\x00\x00\x00\x00\x00\x00\x00\x00',    # FRAME
        b'\x94', b'\x93', b'R', b'b', b'}', b']', b')', b'(', b'.', b'\x85', b'\x86', b'\x87',
        b'\x88', b'\x89', b'N', b'e', b'u', b's', b'q\x00', b'h\x00', b'K\x00',
        b'J\x00\x00\x00\x00', b'\x8a\x08', b'G', b'C\x08', b'B\x00\x00\x00\x00',
        b'\x8e\x00\x00\x00\x00\x00\x00\x00\x00', b'\x96\x00\x00\x00\x00\x00\x00\x00\x00',
        b'\x97', b'\x98',                            # NEXT_BUFFER, READONLY_BUFFER
    }
    for mod, name in pairs:
        m = mod.encode()
        tokens.add(short_unicode(m))
        if name:
            n = name.encode()
            tokens.add(b'c' + m + b'\n' + n + b'\n')
            tokens.add(short_unicode(m) + b'\x94' + short_unicode(n) + b'\x94\x93')
            tokens.add(short_unicode(n))
    for lit in literals:
        s = lit.encode()
        if len(s) < 256:
            tokens.add(short_unicode(s))
            tokens.add(b'C' + bytes([len(s)]) + s)
    for t in sorted(tokens):
        print(entry(t))
    return 0


if __name__ == '__main__':
    sys.exit(main())
