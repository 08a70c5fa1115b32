/* pcapng.c - the pcapng format, read directly (libpcap refuses several link
 * types in one file and byte-order changes between sections).
 *
 * Sections: each Section Header Block sets its own byte order and restarts
 * the interface list.  Interfaces (IDB) carry their link type, snaplen,
 * if_tsresol (10^-n or 2^-n) and if_tsoffset (seconds).  Packets: Enhanced
 * (EPB), Simple (SPB) and the obsolete Packet Block (PB).  An SPB has no
 * timestamp and belongs to interface 0: it gets the time of the last packet
 * read before it (0 if none).  Every other block type (name resolution,
 * statistics, custom, decryption secrets, unknown) is skipped by its length.
 *
 * Block lengths are checked before anything is read: at least 12, a
 * multiple of 4, at most VQI_MAX_BLOCK, and the trailing copy equal to the
 * leading one.  A failed check after the first section header ends the
 * input with a warning naming the block number and byte offset.
 *
 * vqi_frame.ifindex is the interface number within its section, as
 * tshark's frame.interface_id shows it. */
#include "capture_int.h"

#include <stdlib.h>
#include <string.h>

enum {
    BT_SHB = 0x0A0D0D0A, BT_IDB = 1, BT_PB = 2, BT_SPB = 3, BT_EPB = 6
};
enum { OPT_ENDOFOPT = 0, OPT_IF_TSRESOL = 9, OPT_IF_TSOFFSET = 14 };

#define BOM 0x1A2B3C4Du

static int64_t ticks_to_ns(const pcapng_iface *i, uint64_t ticks)
{
    unsigned __int128 ns;
    if (i->units_per_sec == 1000000)
        ns = (unsigned __int128)ticks * 1000;
    else if (i->units_per_sec == 1000000000)
        ns = ticks;
    else if (i->units_per_sec)
        ns = (unsigned __int128)ticks * 1000000000u / i->units_per_sec;
    else
        ns = ((unsigned __int128)ticks * 1000000000u) >> i->pow2;
    /* clamped (capture.h): any two frame times can be subtracted */
    __int128 t = (__int128)ns + i->offset_ns;
    return t > VQI_TS_MAX ? VQI_TS_MAX : t < VQI_TS_MIN ? VQI_TS_MIN : (int64_t)t;
}

/* Read the IDB options we use; malformed options end the walk (the
 * interface keeps its defaults), as they do not affect the frames. */
static void parse_idb_options(vqi_capture *c, pcapng_iface *i, const uint8_t *p, size_t n)
{
    while (n >= 4) {
        uint16_t code = rd16(p, c->swap), len = rd16(p + 2, c->swap);
        size_t padded = ((size_t)len + 3) & ~(size_t)3;
        if (code == OPT_ENDOFOPT || padded > n - 4)
            return;
        const uint8_t *v = p + 4;
        if (code == OPT_IF_TSRESOL && len >= 1) {
            if (v[0] & 0x80) {
                if ((v[0] & 0x7F) <= 63) {
                    i->units_per_sec = 0;
                    i->pow2 = v[0] & 0x7F;
                }
            } else if (v[0] <= 18) {
                uint64_t u = 1;
                for (int k = 0; k < v[0]; k++)
                    u *= 10;
                i->units_per_sec = u;
            }
        } else if (code == OPT_IF_TSOFFSET && len >= 8) {
            uint64_t lo = rd32(v, c->swap), hi = rd32(v + 4, c->swap);
            int64_t sec = (int64_t)(c->swap ? (lo << 32 | hi) : (hi << 32 | lo));
            if (sec > -9000000000LL && sec < 9000000000LL)    /* keeps ns in int64 */
                i->offset_ns = sec * 1000000000LL;
        }
        p += 4 + padded;
        n -= 4 + padded;
    }
}

static int add_iface(vqi_capture *c, const uint8_t *b, uint32_t len)
{
    if (c->n_ifaces >= VQI_MAX_IFACES)
        return -1;
    if (c->n_ifaces == c->ifaces_cap) {
        uint32_t ncap = c->ifaces_cap ? c->ifaces_cap * 2 : 8;
        pcapng_iface *ni = realloc(c->ifaces, ncap * sizeof *ni);
        if (!ni)
            return -1;
        c->ifaces = ni;
        c->ifaces_cap = ncap;
    }
    pcapng_iface *i = &c->ifaces[c->n_ifaces++];
    i->linktype = rd16(b + 8, c->swap);
    i->snaplen = rd32(b + 12, c->swap);
    i->units_per_sec = 1000000;
    i->pow2 = 0;
    i->offset_ns = 0;
    parse_idb_options(c, i, b + 16, len - 20);
    return 0;
}

/* Read the block header at the current offset.  Returns the block (len bytes,
 * whole and checked) or NULL: end of input (*len = 0), damage (warning set),
 * or I/O error (*ioerr). */
static const uint8_t *next_block(vqi_capture *c, uint32_t *type, uint32_t *len, int *ioerr,
                                 vqi_err *err)
{
    size_t avail = 0;
    uint64_t at = c->src.offset;
    unsigned long long blockno = (unsigned long long)c->records + 1;
    *len = 0;
    const uint8_t *h = src_need(&c->src, 12, &avail, ioerr, err);
    if (!h) {
        if (*ioerr)
            return NULL;
        if (avail)
            cap_damage(c, "truncated block %llu at byte %llu: %zu bytes present", blockno,
                       (unsigned long long)at, avail);
        return NULL;
    }
    *type = rd32(h, c->swap);
    if (*type == BT_SHB) {
        uint32_t bom = rd32(h + 8, 0);
        if (bom == BOM)
            c->swap = 0;
        else if (__builtin_bswap32(bom) == BOM)
            c->swap = 1;
        else {
            cap_damage(c, "section header block %llu at byte %llu has no byte-order magic",
                       blockno, (unsigned long long)at);
            return NULL;
        }
    }
    uint32_t n = rd32(h + 4, c->swap);
    uint32_t min = *type == BT_SHB ? 28 : 12;
    if (n < min || n % 4 || n > VQI_MAX_BLOCK) {
        cap_damage(c, "block %llu at byte %llu has a bad length %u", blockno,
                   (unsigned long long)at, n);
        return NULL;
    }
    const uint8_t *b = src_need(&c->src, n, &avail, ioerr, err);
    if (!b) {
        if (!*ioerr)
            cap_damage(c, "truncated block %llu at byte %llu: %zu of %u bytes present",
                       blockno, (unsigned long long)at, avail, n);
        return NULL;
    }
    if (rd32(b + n - 4, c->swap) != n) {
        cap_damage(c, "block %llu at byte %llu: trailing length %u differs from %u", blockno,
                   (unsigned long long)at, rd32(b + n - 4, c->swap), n);
        return NULL;
    }
    *len = n;
    return b;
}

static void new_section(vqi_capture *c)
{
    c->n_ifaces = 0;
}

int pcapng_open(vqi_capture *c, vqi_err *err)
{
    uint32_t type, len;
    int ioerr = 0;
    const uint8_t *b = next_block(c, &type, &len, &ioerr, err);
    if (!b) {
        if (ioerr)
            return -1;
        vqi_err_set(err, VQI_EXIT_USAGE, "not a pcap or pcapng capture (%s)",
                    c->warning[0] ? c->warning : "empty section header");
        return -1;
    }
    c->records++;
    src_advance(&c->src, len);
    return 0;
}

static int damaged(vqi_capture *c, uint64_t at, const char *what)
{
    cap_damage(c, "block %llu at byte %llu: %s", (unsigned long long)c->records,
               (unsigned long long)at, what);
    return 0;
}

int pcapng_next(vqi_capture *c, vqi_frame *f, vqi_err *err)
{
    for (;;) {
        uint32_t type, len;
        int ioerr = 0;
        uint64_t at = c->src.offset;
        const uint8_t *b = next_block(c, &type, &len, &ioerr, err);
        if (!b) {
            c->done = 1;
            return ioerr ? -1 : 0;
        }
        c->records++;
        uint64_t ticks = 0;
        uint32_t ifid, caplen, wirelen, data_off;
        switch (type) {
        case BT_SHB:
            new_section(c);
            src_advance(&c->src, len);
            continue;
        case BT_IDB:
            if (len < 20)
                return damaged(c, at, "interface description block too short");
            if (add_iface(c, b, len) < 0)
                return damaged(c, at, "too many interfaces");
            src_advance(&c->src, len);
            continue;
        case BT_EPB:
            if (len < 32)
                return damaged(c, at, "enhanced packet block too short");
            ifid = rd32(b + 8, c->swap);
            ticks = (uint64_t)rd32(b + 12, c->swap) << 32 | rd32(b + 16, c->swap);
            caplen = rd32(b + 20, c->swap);
            wirelen = rd32(b + 24, c->swap);
            data_off = 28;
            break;
        case BT_PB:
            if (len < 32)
                return damaged(c, at, "packet block too short");
            ifid = rd16(b + 8, c->swap);
            ticks = (uint64_t)rd32(b + 12, c->swap) << 32 | rd32(b + 16, c->swap);
            caplen = rd32(b + 20, c->swap);
            wirelen = rd32(b + 24, c->swap);
            data_off = 28;
            break;
        case BT_SPB:
            if (len < 16)
                return damaged(c, at, "simple packet block too short");
            ifid = 0;
            wirelen = rd32(b + 8, c->swap);
            caplen = len - 16;    /* the data is padded: trim to the wire length, snaplen */
            if (caplen > wirelen)
                caplen = wirelen;
            if (c->n_ifaces && c->ifaces[0].snaplen && caplen > c->ifaces[0].snaplen)
                caplen = c->ifaces[0].snaplen;
            data_off = 12;
            break;
        default:
            src_advance(&c->src, len);
            continue;
        }
        if (ifid >= c->n_ifaces)
            return damaged(c, at, "packet of an undeclared interface");
        if (caplen > VQI_MAX_CAPLEN || caplen > len - data_off - 4)
            return damaged(c, at, "captured length exceeds the block");
        const pcapng_iface *i = &c->ifaces[ifid];
        f->ts_ns = type == BT_SPB ? c->last_ts_ns : ticks_to_ns(i, ticks);
        c->last_ts_ns = f->ts_ns;
        f->caplen = caplen;
        f->wirelen = wirelen;
        f->linktype = i->linktype;
        f->ifindex = ifid;
        f->data = b + data_off;
        src_advance(&c->src, len);
        return 1;
    }
}
