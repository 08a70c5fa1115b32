/* segment.c - per-flow video segment detection (Traffic Refinery's rule),
 * the segment-size EWMA and session identifiers. */
#include "window_int.h"

#include <stdio.h>
#include <string.h>

int vqi_segdet_packet(vqi_segdet *d, int up, uint8_t proto, uint32_t payload,
                      int64_t ts_ns, uint32_t min_tcp, uint32_t min_udp,
                      vqi_segment *closed)
{
    int result = 0;
    if (up) {
        int is_request = (proto == VQI_PROTO_TCP && payload > min_tcp) ||
                         (proto == VQI_PROTO_UDP && payload > min_udp);
        if (!is_request)
            return 0;
        result |= VQI_SEG_REQUEST;
        /* A request that received no data is simply replaced by this one. */
        if (d->has_request && d->open_bytes > 0) {
            closed->bytes = d->open_bytes;
            closed->start_ns = d->open_start_ns;
            closed->end_ns = d->open_end_ns;
            result |= VQI_SEG_CLOSED;
        }
        d->has_request = 1;
        d->open_bytes = 0;
        d->open_start_ns = ts_ns;
        d->open_end_ns = ts_ns;
        return result;
    }
    /* Downstream data before any request belongs to no segment. */
    if (payload > 0 && d->has_request) {
        d->open_bytes += payload;
        d->open_end_ns = ts_ns;
        result |= VQI_SEG_DATA;
    }
    return result;
}

void vqi_ewma(const double *v, size_t k, double span, double *out)
{
    double alpha = 2.0 / (span + 1.0), y = 0;
    for (size_t i = 0; i < k; i++) {
        y = i == 0 ? v[0] : alpha * v[i] + (1.0 - alpha) * y;
        out[i] = y;
    }
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

void vqi_session_id(const uint8_t client[16], const char *service, int64_t first_ns,
                    char out[33])
{
    /* Two FNV-1a passes with different offsets: 128 bits, stable across runs. */
    uint64_t h[2] = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
    for (int i = 0; i < 2; i++) {
        h[i] = fnv1a(h[i], client, 16);
        h[i] = fnv1a(h[i], service ? service : "", service ? strlen(service) : 0);
        h[i] = fnv1a(h[i], &first_ns, sizeof first_ns);
        h[i] = fnv1a(h[i], &i, sizeof i);
    }
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h[0], (unsigned long long)h[1]);
}
