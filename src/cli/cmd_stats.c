/* cmd_stats.c - 'vqi stats': a readable (or --json) report of one service's
 * traffic in a capture, the numbers the course assignment's Part 1 prints. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../flow/flow.h"
#include "../service/service.h"
#include "../table/table.h"
#include "../util/output.h"
#include "../window/window.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: vqi stats CAPTURE (--service NAME | --match REGEX) [--window S] [--json]\n"
        "                 [-o OUT]\n\n"
        "Report on one service's traffic in a capture: packets and bytes, how they were\n"
        "identified (DNS answers, address prefixes, TLS SNI), packet lengths,\n"
        "inter-arrival times and burstiness, protocol distribution, flow durations and\n"
        "packets per flow, packets and video segment downloads per time window, and why\n"
        "each feature family matters for inferring video resolution.\n\n"
        "Options:\n"
        "  --service NAME   a catalogue service (");
    for (const char *const *n = vqi_service_catalogue(); *n; n++)
        fprintf(f, "%s%s", *n, n[1] ? ", " : "");
    fprintf(f,
        ")\n"
        "  --match REGEX    your own regex over DNS names / TLS server names\n"
        "  --window S       window length in seconds (default 10)\n"
        "  --json           one JSON object instead of text\n"
        "  -o, --output OUT write to OUT (default stdout); appears only on success\n"
        "  -h, --help       this text\n\n"
        "Lengths are wire lengths (frame original length).  Standard deviations are\n"
        "population (ddof=0); 'sample std' is what pandas' describe() prints.\n"
        "Exit: 0 ok, 1 processing failure, 2 bad usage or unreadable capture.\n");
}

/* ------------------------------------------------------------ scanning -- */

typedef struct segment_row {
    double rel_end, abs_end, segments;
} segment_row;

typedef struct stats_ctx {
    vqi_report *report;
    vqi_windows *windows;                /* NULL if the window stage failed to start */
    size_t col_rel, col_abs, col_chunks;
    segment_row *rows;
    size_t n_rows, cap_rows;
} stats_ctx;

static int on_window(void *ctx, const vqi_window_row *row)
{
    stats_ctx *c = ctx;
    if (c->n_rows == c->cap_rows) {
        size_t cap = c->cap_rows ? c->cap_rows * 2 : 64;
        segment_row *r = realloc(c->rows, cap * sizeof *r);
        if (!r)
            return -1;
        c->rows = r;
        c->cap_rows = cap;
    }
    c->rows[c->n_rows++] = (segment_row){vqi_window_row_value(row, c->col_rel),
                                         vqi_window_row_value(row, c->col_abs),
                                         vqi_window_row_value(row, c->col_chunks)};
    return 0;
}

static int on_packet(void *ctx, const vqi_packet *p, int ident, int remote_is_src, vqi_err *err)
{
    stats_ctx *c = ctx;
    if (vqi_report_add(c->report, p, ident, err))
        return -1;
    if (c->windows && vqi_windows_feed(c->windows, p, (vqi_ident)ident, remote_is_src, err))
        return -1;
    return 0;
}

/* ------------------------------------------------------------- output -- */

static const char *num(double x, char *buf)
{
    vqi_format_double(x, buf, 40);
    return buf;
}

static void text_describe(FILE *f, const char *title, const vqi_describe *d)
{
    fprintf(f, "%s\n", title);
    if (!d->count) {
        fprintf(f, "  (none)\n\n");
        return;
    }
    fprintf(f, "  count %llu  mean %.6g  std %.6g (sample std %.6g)\n", (unsigned long long)d->count,
            d->mean, d->std, d->sample_std);
    fprintf(f, "  min %.6g  25%% %.6g  50%% %.6g  75%% %.6g  max %.6g%s\n\n", d->min, d->p25,
            d->p50, d->p75, d->max, d->exact ? "" : "  (percentiles from a sample)");
}

static void json_describe(FILE *f, const char *key, const vqi_describe *d, int last)
{
    char b[9][40];
    fprintf(f, "\"%s\":{\"count\":%llu,\"mean\":%s,\"std\":%s,\"sample_std\":%s,\"min\":%s,"
               "\"p25\":%s,\"p50\":%s,\"p75\":%s,\"max\":%s,\"exact\":%s}%s",
            key, (unsigned long long)d->count, num(d->mean, b[0]), num(d->std, b[1]),
            isnan(d->sample_std) ? "null" : num(d->sample_std, b[2]), num(d->min, b[3]),
            num(d->p25, b[4]), num(d->p50, b[5]), num(d->p75, b[6]), num(d->max, b[7]),
            d->exact ? "true" : "false", last ? "" : ",");
}

static const char *const proto_names[4] = {"DNS", "TCP", "UDP", "Other"};

static const char *justification =
    "Why these features (for inferring video resolution from encrypted traffic)\n"
    "  - Throughput and bytes per window: a higher resolution needs more bits per second\n"
    "    of video, so downstream bytes per window rise with resolution.\n"
    "  - Packet sizes: full-size packets dominate while a segment downloads; the share of\n"
    "    small packets (ACKs, requests) shows how much of the time the player is idle.\n"
    "  - Inter-arrival times and burstiness: players fetch segments in bursts then\n"
    "    pause; the on/off pattern (std of gaps) tracks buffer state and bitrate.\n"
    "  - Protocol distribution: QUIC (UDP) vs TCP changes packet sizes and\n"
    "    acknowledgement patterns, so models must know which transport they see.\n"
    "  - Flow durations and packets per flow: video uses a few long, heavy flows;\n"
    "    short flows are DNS, telemetry and images that should not count as video.\n"
    "  - Segment downloads per window (segment sizes and their rate): the most direct\n"
    "    signal, since segment size = bitrate x segment duration for a given resolution.\n";

static void write_text(FILE *f, const char *path, const char *svc_name, const vqi_service *svc,
                       const vqi_service_report *r, const stats_ctx *c, int have_windows)
{
    char a[VQI_ADDR_STRLEN];
    fprintf(f, "Service %s in %s\n", svc_name, path);
    fprintf(f, "  packets: %llu of %llu in the capture (%.1f %%)\n",
            (unsigned long long)r->packets, (unsigned long long)r->capture_packets,
            r->capture_packets ? 100.0 * (double)r->packets / (double)r->capture_packets : 0.0);
    fprintf(f, "  bytes:   %llu of %llu (%.1f %%), wire lengths\n", (unsigned long long)r->bytes,
            (unsigned long long)r->capture_bytes,
            r->capture_bytes ? 100.0 * (double)r->bytes / (double)r->capture_bytes : 0.0);
    fprintf(f, "  identified by: DNS %llu, address prefix %llu, TLS SNI %llu packets\n",
            (unsigned long long)r->by_ident[VQI_IDENT_DNS],
            (unsigned long long)r->by_ident[VQI_IDENT_PREFIX],
            (unsigned long long)r->by_ident[VQI_IDENT_SNI]);
    size_t na = vqi_service_n_addresses(svc);
    fprintf(f, "  addresses learned from DNS: %zu", na);
    for (size_t i = 0; i < na && i < 20; i++)
        fprintf(f, "%s%s", i ? ", " : " (", vqi_addr_format(vqi_service_address(svc, i), a));
    fprintf(f, "%s\n", na > 20 ? ", ...)" : na ? ")" : "");
    if (r->packets)
        fprintf(f, "  time span: %.6f to %.6f (%.3f s)\n", r->first, r->last, r->last - r->first);
    fputc('\n', f);
    text_describe(f, "Packet lengths (bytes)", &r->length);
    text_describe(f, "Inter-arrival times (s, between consecutive service packets)", &r->iat);
    if (r->iat.count)
        fprintf(f, "Burstiness (std of inter-arrival times): %.6g s (sample std %.6g s)\n\n",
                r->iat.std, r->iat.sample_std);
    fprintf(f, "Protocol distribution (share of service packets)\n");
    for (int i = 0; i < 4; i++)
        fprintf(f, "  %-5s %8llu  %.4f\n", proto_names[i], (unsigned long long)r->by_proto[i],
                r->packets ? (double)r->by_proto[i] / (double)r->packets : 0.0);
    fputc('\n', f);
    fprintf(f, "Flows: %llu bidirectional 5-tuples (600-s idle split), %llu unidirectional\n"
               "(the notebook's groupby of src, dst, ports, protocol)\n\n",
            (unsigned long long)r->flows, (unsigned long long)r->uni_flows);
    text_describe(f, "Flow durations (s), bidirectional", &r->flow_duration);
    text_describe(f, "Packets per flow, bidirectional", &r->flow_packets);
    text_describe(f, "Flow durations (s), unidirectional", &r->uni_flow_duration);
    text_describe(f, "Packets per flow, unidirectional", &r->uni_flow_packets);
    fprintf(f, "Packets per %g-s window (windows start at multiples of %g s since the epoch)\n",
            r->window_s, r->window_s);
    fprintf(f, "  %-20s %10s %12s\n", "window start", "packets", "bytes");
    for (size_t i = 0; i < r->n_windows; i++)
        fprintf(f, "  %-20.3f %10llu %12llu\n", r->windows[i].start,
                (unsigned long long)r->windows[i].packets, (unsigned long long)r->windows[i].bytes);
    fputc('\n', f);
    fprintf(f, "Segment download rate per %g-s window (video segments completed downstream)\n",
            r->window_s);
    if (!have_windows) {
        fprintf(f, "  TODO: the window stage is not available in this build\n");
    } else if (!c->n_rows) {
        fprintf(f, "  (no session windows)\n");
    } else {
        fprintf(f, "  %-12s %-20s %9s %12s\n", "session end", "epoch end", "segments", "segments/s");
        for (size_t i = 0; i < c->n_rows; i++)
            fprintf(f, "  %-12g %-20.3f %9g %12.4f\n", c->rows[i].rel_end, c->rows[i].abs_end,
                    c->rows[i].segments, c->rows[i].segments / r->window_s);
    }
    fputc('\n', f);
    fputs(justification, f);
}

static void write_json(FILE *f, const char *path, const char *svc_name, const vqi_service *svc,
                       const vqi_service_report *r, const stats_ctx *c, int have_windows)
{
    char a[VQI_ADDR_STRLEN], b[4][40];
    fputs("{\"capture\":", f);
    fprintf(f, "\"");
    for (const char *p = path; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', f);
        if ((unsigned char)*p >= 0x20)
            fputc(*p, f);
    }
    fprintf(f, "\",\"service\":\"");
    for (const char *p = svc_name; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', f);
        if ((unsigned char)*p >= 0x20)
            fputc(*p, f);
    }
    fprintf(f, "\",\"capture_packets\":%llu,\"capture_bytes\":%llu,\"packets\":%llu,\"bytes\":%llu,",
            (unsigned long long)r->capture_packets, (unsigned long long)r->capture_bytes,
            (unsigned long long)r->packets, (unsigned long long)r->bytes);
    fprintf(f, "\"identified_by\":{\"dns\":%llu,\"prefix\":%llu,\"sni\":%llu},",
            (unsigned long long)r->by_ident[VQI_IDENT_DNS],
            (unsigned long long)r->by_ident[VQI_IDENT_PREFIX],
            (unsigned long long)r->by_ident[VQI_IDENT_SNI]);
    fprintf(f, "\"dns_addresses\":[");
    for (size_t i = 0; i < vqi_service_n_addresses(svc); i++)
        fprintf(f, "%s\"%s\"", i ? "," : "", vqi_addr_format(vqi_service_address(svc, i), a));
    fprintf(f, "],\"first\":%s,\"last\":%s,", num(r->first, b[0]), num(r->last, b[1]));
    json_describe(f, "length", &r->length, 0);
    json_describe(f, "iat", &r->iat, 0);
    fprintf(f, "\"burstiness\":%s,\"protocols\":{", num(r->iat.std, b[0]));
    for (int i = 0; i < 4; i++)
        fprintf(f, "%s\"%s\":%llu", i ? "," : "", proto_names[i], (unsigned long long)r->by_proto[i]);
    fprintf(f, "},\"flows\":%llu,\"uni_flows\":%llu,", (unsigned long long)r->flows,
            (unsigned long long)r->uni_flows);
    json_describe(f, "flow_duration", &r->flow_duration, 0);
    json_describe(f, "flow_packets", &r->flow_packets, 0);
    json_describe(f, "uni_flow_duration", &r->uni_flow_duration, 0);
    json_describe(f, "uni_flow_packets", &r->uni_flow_packets, 0);
    fprintf(f, "\"window_s\":%s,\"windows\":[", num(r->window_s, b[0]));
    for (size_t i = 0; i < r->n_windows; i++)
        fprintf(f, "%s{\"start\":%s,\"packets\":%llu,\"bytes\":%llu}", i ? "," : "",
                num(r->windows[i].start, b[0]), (unsigned long long)r->windows[i].packets,
                (unsigned long long)r->windows[i].bytes);
    fprintf(f, "],\"segment_windows\":");
    if (!have_windows) {
        fputs("null", f);
    } else {
        fputc('[', f);
        for (size_t i = 0; i < c->n_rows; i++)
            fprintf(f, "%s{\"relative_end\":%s,\"absolute_end\":%s,\"segments\":%s}", i ? "," : "",
                    num(c->rows[i].rel_end, b[0]), num(c->rows[i].abs_end, b[1]),
                    num(c->rows[i].segments, b[2]));
        fputc(']', f);
    }
    fputs("}\n", f);
}

/* --------------------------------------------------------------- main -- */

static size_t column_index(const vqi_window_config *cfg, const char *name)
{
    for (size_t i = 0; i < vqi_window_ncols(cfg); i++)
        if (!strcmp(vqi_window_col_name(i), name))
            return i;
    return (size_t)-1;
}

int cmd_stats(int argc, char **argv)
{
    enum { O_SERVICE = 256, O_MATCH, O_WINDOW, O_JSON };
    static const struct option opts[] = {
        {"service", required_argument, 0, O_SERVICE}, {"match", required_argument, 0, O_MATCH},
        {"window", required_argument, 0, O_WINDOW}, {"json", no_argument, 0, O_JSON},
        {"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *service = NULL, *match = NULL, *out_path = NULL;
    double window_s = 10;
    int json = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case O_SERVICE: service = optarg; break;
        case O_MATCH: match = optarg; break;
        case O_WINDOW: {
            char *end;
            window_s = strtod(optarg, &end);
            if (!*optarg || *end || !(window_s > 0) || window_s > 1e6)
                return cli_usage_error("stats", "--window wants seconds > 0, not '%s'", optarg);
            break;
        }
        case O_JSON: json = 1; break;
        case 'o': out_path = optarg; break;
        case 'h': usage(stdout); return VQI_EXIT_OK;
        default:
            return cli_usage_error("stats", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("stats", optind >= argc ? "missing CAPTURE" : "one CAPTURE only");
    if (!service == !match)
        return cli_usage_error("stats", "give one of --service NAME or --match REGEX");
    const char *path = argv[optind];
    vqi_err err = {0};
    vqi_service *svc = service ? vqi_service_by_name(service, &err)
                               : vqi_service_by_regex(match, &err);
    if (!svc) {
        err.code = VQI_EXIT_USAGE;
        return cli_error(service ? service : match, &err);
    }
    stats_ctx ctx = {0};
    int rc = VQI_EXIT_OK;
    vqi_service_report rep = {0};
    ctx.report = vqi_report_new(window_s, &err);
    vqi_window_config wcfg;
    vqi_window_config_default(&wcfg);
    wcfg.window_s = window_s;
    wcfg.service = vqi_service_name(svc);
    ctx.col_rel = column_index(&wcfg, "relative_timestamp");
    ctx.col_abs = column_index(&wcfg, "absolute_timestamp");
    ctx.col_chunks = column_index(&wcfg, "n_chunks_down");
    if (ctx.col_rel != (size_t)-1 && ctx.col_abs != (size_t)-1 && ctx.col_chunks != (size_t)-1) {
        vqi_err werr = {0};
        ctx.windows = vqi_windows_new(&wcfg, on_window, &ctx, &werr);
    }
    vqi_out *out = NULL;
    if (!ctx.report || vqi_flow_scan(path, svc, on_packet, &ctx, &err) ||
        (ctx.windows && vqi_windows_flush(ctx.windows, &err)) ||
        vqi_report_finish(ctx.report, &rep, &err)) {
        rc = cli_error(path, &err);
    } else if (!(out = vqi_out_open(out_path, &err))) {
        rc = cli_error(out_path, &err);
    } else {
        const char *name = vqi_service_name(svc);
        if (json)
            write_json(vqi_out_file(out), path, name, svc, &rep, &ctx, ctx.windows != NULL);
        else
            write_text(vqi_out_file(out), path, name, svc, &rep, &ctx, ctx.windows != NULL);
        if (vqi_out_commit(out, &err))
            rc = cli_error(out_path, &err);
    }
    vqi_service_report_free(&rep);
    vqi_report_free(ctx.report);
    vqi_windows_free(ctx.windows);
    free(ctx.rows);
    vqi_service_free(svc);
    return rc;
}
