/* flow_stats.c - streaming per-flow statistics with bounded memory.
 *
 * Means, standard deviations, minima and maxima are exact over every packet
 * (Welford); percentiles come from a fixed reservoir (Algorithm R), which is
 * the whole sample for short flows and a uniform sample of long ones, so a
 * flow costs the same memory whatever its length. */
#include "flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double vqi_flow_pct[VQI_FLOW_NPCT] = {0.25, 0.5, 0.75, 0.9};
const char *const vqi_tcp_flag_letters[8] = {"F", "S", "R", "P", "A", "U", "E", "C"};

double vqi_ns_to_seconds(int64_t ns)
{
    /* Going through the exact decimal text lets strtod round once, as Python
     * does for float(Decimal); sec + frac in doubles can be 1 ulp off. */
    char buf[48];
    int64_t sec = ns / 1000000000, frac = ns % 1000000000;
    if (frac < 0) {
        frac += 1000000000;
        sec -= 1;
    }
    if (sec < 0 && frac) {
        /* negative times: fall back to plain arithmetic (never in captures) */
        return (double)ns / 1e9;
    }
    snprintf(buf, sizeof buf, "%lld.%09lld", (long long)sec, (long long)frac);
    return strtod(buf, NULL);
}

static uint64_t next_random(uint64_t *state)
{
    /* splitmix64: tiny, fast, good enough to pick reservoir positions */
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void reservoir_add(double *res, uint64_t *seen, uint64_t *rng, double x)
{
    uint64_t k = (*seen)++;
    if (k < VQI_FLOW_RESERVOIR)
        res[k] = x;
    else {
        uint64_t j = next_random(rng) % (k + 1);
        if (j < VQI_FLOW_RESERVOIR)
            res[j] = x;
    }
}

void vqi_flow_stats_init(vqi_flow_stats *s, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->rng = seed;
}

void vqi_flow_stats_add(vqi_flow_stats *s, const vqi_packet *p, int dir, int ident)
{
    dir = dir ? 1 : 0;
    s->bytes[dir] += p->wirelen;
    s->payload[dir] += p->payload_len;
    if (p->proto == VQI_PROTO_TCP && p->has_ports)
        for (int b = 0; b < 8; b++)
            if (p->tcp_flags & (1u << b))
                s->flag_counts[b]++;
    if (s->n_size > 0) {
        int64_t gap = p->ts_ns - s->prev_ns;
        double iat = gap > 0 ? (double)gap / 1e9 : 0.0;
        vqi_running_add(&s->iat_run, iat);
        reservoir_add(s->iat_res, &s->n_iat, &s->rng, iat);
    }
    if (s->n_size == 0 || p->ts_ns > s->prev_ns)
        s->prev_ns = p->ts_ns;
    vqi_running_add(&s->size_run, (double)p->wirelen);
    reservoir_add(s->size_res, &s->n_size, &s->rng, (double)p->wirelen);
    if (!s->ident && ident)
        s->ident = (uint8_t)ident;
}

static void percentiles(const double *res, uint64_t seen, double *out)
{
    double sorted[VQI_FLOW_RESERVOIR];
    size_t n = seen < VQI_FLOW_RESERVOIR ? (size_t)seen : VQI_FLOW_RESERVOIR;
    memcpy(sorted, res, n * sizeof *sorted);
    vqi_sort_doubles(sorted, n);
    for (int i = 0; i < VQI_FLOW_NPCT; i++)
        out[i] = vqi_quantile_sorted(sorted, n, vqi_flow_pct[i]);
}

void vqi_flow_stats_summary(const vqi_flow_stats *s, const vqi_flow_info *info,
                            vqi_flow_end end, vqi_flow_summary *out)
{
    memset(out, 0, sizeof *out);
    out->info = *info;
    out->packets = info->packets[0] + info->packets[1];
    out->dir_bytes[0] = s->bytes[0];
    out->dir_bytes[1] = s->bytes[1];
    out->bytes = s->bytes[0] + s->bytes[1];
    out->dir_payload[0] = s->payload[0];
    out->dir_payload[1] = s->payload[1];
    out->start = vqi_ns_to_seconds(info->first_ns);
    out->duration = (double)(info->last_ns - info->first_ns) / 1e9;
    memcpy(out->flag_counts, s->flag_counts, sizeof out->flag_counts);
    if (s->n_iat) {
        out->iat_mean = s->iat_run.mean;
        out->iat_std = vqi_running_std(&s->iat_run);
        out->iat_min = s->iat_run.min;
        out->iat_max = s->iat_run.max;
        percentiles(s->iat_res, s->n_iat, out->iat_pct);
    }
    if (s->n_size) {
        out->size_mean = s->size_run.mean;
        out->size_std = vqi_running_std(&s->size_run);
        out->size_min = s->size_run.min;
        out->size_max = s->size_run.max;
        percentiles(s->size_res, s->n_size, out->size_pct);
    }
    out->exact_percentiles = s->n_size <= VQI_FLOW_RESERVOIR;
    out->ident = s->ident;
    out->end = end;
}
