/* pcap_file.c - the classic pcap format: magic a1b2c3d4 (microseconds) or
 * a1b23c4d (nanoseconds) in either byte order, plus the "modified" pcap of
 * Kuznetzov's patch (a1b2cd34, 24-byte records).  The header's reserved
 * fields (thiszone, sigfigs) are ignored; the linktype's upper bits (FCS
 * length) are masked off. */
#include "capture_int.h"

#include <string.h>

#define PCAP_HDR_LEN 24

int pcap_file_open(vqi_capture *c, const uint8_t *m, vqi_err *err)
{
    uint32_t le = rd32(m, 0), be = rd32(m, 1);
    c->rec_hdr_len = 16;
    if (le == 0xA1B2C3D4u || be == 0xA1B2C3D4u) {
        c->swap = be == 0xA1B2C3D4u;
    } else if (le == 0xA1B23C4Du || be == 0xA1B23C4Du) {
        c->swap = be == 0xA1B23C4Du;
        c->nsec = 1;
    } else if (le == 0xA1B2CD34u || be == 0xA1B2CD34u) {
        c->swap = be == 0xA1B2CD34u;
        c->rec_hdr_len = 24;
    } else {
        return vqi_err_set(err, VQI_EXIT_USAGE, "not a pcap or pcapng capture");
    }
    size_t avail = 0;
    int ioerr;
    const uint8_t *h = src_need(&c->src, PCAP_HDR_LEN, &avail, &ioerr, err);
    if (!h)
        return ioerr ? -1
                     : vqi_err_set(err, VQI_EXIT_USAGE,
                                   "truncated pcap file header (%zu of 24 bytes)", avail);
    c->snaplen = rd32(h + 16, c->swap);
    /* bits 0-15 link type, 16-25 reserved, 26-31 FCS information */
    c->linktype = rd32(h + 20, c->swap) & 0xFFFFu;
    src_advance(&c->src, PCAP_HDR_LEN);
    return 0;
}

static inline void fill(vqi_capture *c, vqi_frame *f, const uint8_t *h)
{
    uint32_t sec = rd32(h, c->swap), frac = rd32(h + 4, c->swap);
    f->ts_ns = (int64_t)sec * 1000000000 + (int64_t)frac * (c->nsec ? 1 : 1000);
    f->caplen = rd32(h + 8, c->swap);
    f->wirelen = rd32(h + 12, c->swap);
    f->linktype = c->linktype;
    f->ifindex = 0;
    f->data = h + c->rec_hdr_len;
}

int pcap_file_next(vqi_capture *c, vqi_frame *f, vqi_err *err)
{
    /* fast path: the whole record is already in the buffer / mapping */
    vqi_src *s = &c->src;
    const uint8_t *h = s->map ? s->map + s->offset : s->buf + s->start;
    size_t left = s->map ? s->map_len - (size_t)s->offset : s->end - s->start;
    if (left >= c->rec_hdr_len) {
        uint32_t caplen = rd32(h + 8, c->swap);
        if (caplen <= VQI_MAX_CAPLEN && (!c->snaplen || caplen <= c->snaplen) &&
            left - c->rec_hdr_len >= caplen) {
            c->records++;
            fill(c, f, h);
            src_advance(s, c->rec_hdr_len + caplen);
            return 1;
        }
    }
    size_t avail = 0;
    int ioerr;
    uint64_t at = c->src.offset;
    h = src_need(&c->src, c->rec_hdr_len, &avail, &ioerr, err);
    if (!h) {
        if (ioerr)
            return -1;
        if (avail)
            cap_damage(c, "truncated record %llu at byte %llu: %zu of %u header bytes present",
                       (unsigned long long)c->records + 1, (unsigned long long)at, avail,
                       c->rec_hdr_len);
        c->done = 1;
        return 0;
    }
    uint32_t caplen = rd32(h + 8, c->swap);
    /* a snaplen of 0 is written by some tools: then only the hard bound applies */
    if (caplen > VQI_MAX_CAPLEN || (c->snaplen && caplen > c->snaplen)) {
        cap_damage(c, "damaged record %llu at byte %llu: captured length %u exceeds %s %u",
                   (unsigned long long)c->records + 1, (unsigned long long)at, caplen,
                   caplen > VQI_MAX_CAPLEN ? "the limit" : "the snapshot length",
                   caplen > VQI_MAX_CAPLEN ? VQI_MAX_CAPLEN : c->snaplen);
        return 0;
    }
    size_t need = (size_t)c->rec_hdr_len + caplen;
    const uint8_t *r = src_need(&c->src, need, &avail, &ioerr, err);
    if (!r) {
        if (ioerr)
            return -1;
        cap_damage(c, "truncated record %llu at byte %llu: %zu of %u data bytes present",
                   (unsigned long long)c->records + 1, (unsigned long long)at,
                   avail - c->rec_hdr_len, caplen);
        return 0;
    }
    c->records++;
    fill(c, f, r);
    src_advance(&c->src, need);
    return 1;
}
