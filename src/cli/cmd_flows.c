/* cmd_flows.c - 'vqi flows': per-flow statistics, or netml-style feature
 * vectors (--features, --netml), of a capture, as CSV or JSON lines. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../flow/flow.h"
#include "../service/service.h"
#include "../table/table.h"
#include "../util/output.h"
#include "../util/textout.h"

/* Bytes of finished rows held back for first-seen order (--reorder-limit). */
#define DEFAULT_REORDER_LIMIT (64.0 * 1024 * 1024)

static void usage(FILE *f)
{
    fprintf(f,
        "usage: vqi flows CAPTURE [--service NAME | --match REGEX] [--features F] [--netml]\n"
        "                 [--order first|end] [-o OUT] [--format csv|jsonl]\n\n"
        "Flows of a capture (pcap/pcapng, optionally gzip/xz/bzip2; '-' = stdin).\n\n"
        "Without --features: one row per bidirectional flow (5-tuple; client = the side\n"
        "that sent the first packet, or the SYN): packets and wire bytes (frame original\n"
        "length) in total and per direction, payload bytes, start, duration, TCP flag\n"
        "counts, inter-arrival time and packet size mean/std/min/max/p25/p50/p75/p90.\n"
        "Percentiles are exact up to %d packets per flow, then from a uniform sample\n"
        "(column exact_percentiles).\n\n"
        "Options:\n"
        "  --service NAME      keep flows of a catalogue service (", VQI_FLOW_RESERVOIR);
    for (const char *const *n = vqi_service_catalogue(); *n; n++)
        fprintf(f, "%s%s", *n, n[1] ? ", " : "");
    fprintf(f,
        "),\n"
        "                      identified by DNS answers, address prefixes or TLS SNI\n"
        "  --match REGEX       the same with your own regex over DNS names / SNI\n"
        "  --features F        netml feature vectors instead of statistics, F one of\n"
        "                      stats, iat, size, iat_size, samp_num, samp_size\n"
        "  --netml             reproduce netml 0.7.1 exactly (unidirectional IPv4 flows,\n"
        "                      600 s timeout, subflows, captured length; default\n"
        "                      features: iat).  See docs/NETML.md for every difference.\n"
        "  --dim N             feature dimension (default: floor of the 0.9 quantile of\n"
        "                      packets per (sub)flow)\n"
        "  --interval S        split (sub)flows on idle gaps > S seconds (default: none;\n"
        "                      --netml: 0.9 quantile of flow durations)\n"
        "  --samp-rate S       SAMP window length (default: 0.3 quantile of durations)\n"
        "  --idle-timeout S    a flow ends after S s without packets (default 600)\n"
        "  --max-flows N       live flows at most (default 65536; least recent evicted)\n"
        "  --order first|end   row order: first (default) in order of each flow's first\n"
        "                      packet (column 'flow'); end as each flow ends: idle\n"
        "                      timeout, a new SYN after FIN/RST, table full, end of capture\n"
        "  --reorder-limit SIZE  with --order first, finished rows wait (as text) for the\n"
        "                      older flows still open; past SIZE bytes (default 64M;\n"
        "                      suffix K, M, G) they are written and the rest follow in\n"
        "                      end order, with a note on stderr\n"
        "  -o, --output OUT    write to OUT (default stdout); appears only on success\n"
        "  --format FMT        csv (default) or jsonl\n"
        "  -v, --verbose       print the feature set's interval, dim and counts on stderr\n"
        "  -h, --help          this text\n\n"
        "Memory: the live flow table (--max-flows x about 1.3 KiB) plus, with --order\n"
        "first, at most --reorder-limit of waiting rows; whatever the capture's length.\n"
        "--features / --netml keep every kept packet (about 50 bytes each at the end).\n\n"
        "Exit: 0 ok, 1 processing failure, 2 bad usage or unreadable capture.\n");
}

/* ------------------------------------------------------------ writer -- */

/* Rows leave in one of two orders.  End order: each row is written when its
 * flow leaves the table, so memory is the live table alone.  First-seen
 * order: the flow stage's vqi_flow_order holds finished rows until every
 * older flow has finished, within --reorder-limit bytes. */
typedef struct stats_run {
    vqi_flow_table *table;
    int identified_only;
    vqi_flow_order *order;          /* NULL: --order end */
    vqi_flow_text w;
    const char *out_path;
    vqi_out *out;                   /* opened with the first row (or at the end) */
    FILE *f;
    int failed;                     /* out of memory or no output: err, err_file */
    vqi_err err;
    const char *err_file;           /* NULL: the capture */
} stats_run;

static void run_fail(stats_run *r, const char *file, const char *msg)
{
    if (r->failed)
        return;
    r->failed = 1;
    r->err_file = file;
    vqi_err_set(&r->err, VQI_EXIT_FAIL, "%s", msg);
}

/* Opening the output with the first row (not before the scan) means an
 * unreadable capture leaves nothing behind, not even a header on stdout. */
static int open_output(stats_run *r, vqi_err *err)
{
    if (r->f)
        return 0;
    if (!(r->out = vqi_out_open(r->out_path, err))) {
        r->err_file = r->out_path;
        return -1;
    }
    r->f = vqi_out_file(r->out);
    if (!r->w.jsonl) {
        vqi_flow_text h = {.jsonl = 0, .header = 1};
        vqi_flow_summary none = {0};
        vqi_flow_text_summary(&h, &none);
        if (!h.t.oom)
            fwrite(h.t.s, 1, h.t.n, r->f);
        free(h.t.s);
        if (h.t.oom)
            return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory for flow rows");
    }
    return 0;
}

/* vqi_flow_row_fn: a row whose turn has come. */
static int emit(void *ctx, const char *row, size_t len, vqi_err *err)
{
    stats_run *r = ctx;
    if (open_output(r, err))
        return -1;
    fwrite(row, 1, len, r->f);
    return 0;
}

static void on_evict(void *ctx, vqi_flow_table *t, uint32_t slot, vqi_flow_end why)
{
    stats_run *r = ctx;
    if (r->failed)
        return;
    const vqi_flow_stats *st = vqi_flow_user(t, slot);
    const vqi_flow_info *info = vqi_flow_info_of(t, slot);
    int keep = !(r->identified_only && !st->ident);
    if (keep) {
        vqi_flow_summary s;
        vqi_flow_stats_summary(st, info, why, &s);
        vqi_flow_text_summary(&r->w, &s);
        if (r->w.t.oom) {
            run_fail(r, NULL, "out of memory for flow rows");
            return;
        }
    }
    int rc = 0;
    if (r->order)
        rc = vqi_flow_order_add(r->order, info->id, keep ? r->w.t.s : NULL,
                                keep ? r->w.t.n : 0, &r->err);
    else if (keep)
        rc = emit(r, r->w.t.s, r->w.t.n, &r->err);
    if (rc)
        r->failed = 1;
}

static int stats_packet(void *ctx, const vqi_packet *p, int ident, int remote_is_src,
                        vqi_err *err)
{
    (void)remote_is_src;
    stats_run *r = ctx;
    vqi_flow_hit hit;
    if (vqi_flow_track(r->table, p, &hit) != 1)
        return 0;
    vqi_flow_stats *st = vqi_flow_user(r->table, hit.slot);
    if (hit.is_new)
        vqi_flow_stats_init(st, vqi_flow_info_of(r->table, hit.slot)->id + 1);
    vqi_flow_stats_add(st, p, hit.dir, ident);
    if (r->failed) {
        *err = r->err;
        return -1;
    }
    return 0;
}

/* `vqi flows` without --features: returns the exit code. */
static int run_stats(const char *path, vqi_service *svc, const vqi_flow_config *table_cfg,
                     int order_end, size_t limit, const char *out_path, int jsonl)
{
    stats_run run = {.identified_only = svc != NULL, .out_path = out_path,
                     .w = {.jsonl = jsonl}};
    vqi_flow_config cfg = *table_cfg;
    cfg.user_size = sizeof(vqi_flow_stats);
    cfg.on_evict = on_evict;
    cfg.ctx = &run;
    vqi_err err = {0};
    int rc = VQI_EXIT_OK;
    uint64_t open_flow;
    if (!order_end)
        run.order = vqi_flow_order_new(limit, emit, &run, &err);
    if (order_end || run.order)
        run.table = vqi_flow_table_new(&cfg, &err);
    if (!run.table || vqi_flow_scan(path, svc, stats_packet, &run, &err)) {
        /* a failure of ours (output, memory) names its own file */
        rc = cli_error(run.failed ? (run.err_file ? run.err_file : path) : path,
                       run.failed ? &run.err : &err);
        vqi_out_abort(run.out);
    } else {
        vqi_flow_table_flush(run.table);
        if (!run.failed && run.order && vqi_flow_order_finish(run.order, &run.err))
            run.failed = 1;
        if (run.order && vqi_flow_order_switched(run.order, &open_flow))
            fprintf(stderr, "vqi: flows: note: the rows held back for first-seen order passed "
                    "--reorder-limit (%zu bytes) while flow %llu was open; the rows from then "
                    "on follow in order of flow end (as --order end); sort by column 'flow' "
                    "for first-seen order\n", limit, (unsigned long long)open_flow);
        if (!run.failed && open_output(&run, &run.err))  /* header only when no row */
            run.failed = 1;
        if (run.failed) {
            rc = cli_error(run.err_file ? run.err_file : path, &run.err);
            vqi_out_abort(run.out);
        } else if (vqi_out_commit(run.out, &err)) {
            rc = cli_error(out_path, &err);
        }
    }
    vqi_flow_order_free(run.order);
    free(run.w.t.s);
    vqi_flow_table_free(run.table);
    return rc;
}

/* ------------------------------------------------------------ features -- */

static int feat_packet(void *ctx, const vqi_packet *p, int ident, int remote_is_src,
                       vqi_err *err)
{
    (void)remote_is_src;
    return vqi_featset_add(ctx, p, ident, err);
}

/* `vqi flows --features/--netml`: returns the exit code. */
static int run_features(const char *path, vqi_service *svc, const vqi_feat_options *fo,
                        vqi_feat_type type, int verbose, const char *out_path, int jsonl)
{
    vqi_err err = {0};
    int rc = VQI_EXIT_OK;
    vqi_featset_builder *b = vqi_featset_builder_new(fo, &err);
    vqi_featset *fs = NULL;
    vqi_out *out = NULL;
    if (!b || vqi_flow_scan(path, svc, feat_packet, b, &err)) {
        vqi_featset_builder_free(b);
        return cli_error(path, &err);
    }
    if (!(fs = vqi_featset_finish(b, &err)))
        return cli_error(path, &err);
    if (verbose) {
        char iv[40], sr[40];
        vqi_format_double(fs->interval, iv, sizeof iv);
        vqi_format_double(fs->samp_rate, sr, sizeof sr);
        fprintf(stderr, "vqi: flows: %zu %s from %zu flows, interval %s s, dim %zu, "
                "samp_rate %s s\n", fs->n_flows, fo->netml ? "subflows" : "flows",
                fs->n_flows_before_split, iv, fs->dim, sr);
    }
    double *vec = malloc((vqi_feat_length(type, fs->dim) + 1) * sizeof *vec);
    vqi_flow_text w = {.jsonl = jsonl, .header = 1};
    if (!vec) {
        vqi_err_set(&err, VQI_EXIT_FAIL, "out of memory");
        rc = cli_error(path, &err);
    } else if (!(out = vqi_out_open(out_path, &err))) {
        rc = cli_error(out_path, &err);
    } else {
        FILE *f = vqi_out_file(out);
        vqi_feat_flow none = {0};
        if (!jsonl) {
            vqi_flow_text_features(&w, fs, &none, type, fo->netml, vec);
            fwrite(w.t.s, 1, w.t.n, f);
        }
        w.header = 0;
        for (size_t i = 0; i < fs->n_flows && !w.t.oom; i++) {
            vqi_flow_text_features(&w, fs, &fs->flows[i], type, fo->netml, vec);
            fwrite(w.t.s, 1, w.t.n, f);
        }
        if (w.t.oom) {
            vqi_err_set(&err, VQI_EXIT_FAIL, "out of memory for a feature row");
            rc = cli_error(path, &err);
            vqi_out_abort(out);
        } else if (vqi_out_commit(out, &err)) {
            rc = cli_error(out_path, &err);
        }
    }
    free(w.t.s);
    free(vec);
    vqi_featset_free(fs);
    return rc;
}

/* ---------------------------------------------------------------- main -- */

static int parse_double(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return *s && !*end && *v >= 0 ? 0 : -1;
}

/* "64M", "1.5G", "4096": bytes (K = 1024). */
static int parse_size(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    if (end == s || *v < 0)
        return -1;
    static const char units[] = "KMGT";
    const char *u = *end ? strchr(units, *end) : NULL;
    if (u && *u) {
        for (const char *k = units; k <= u; k++)
            *v *= 1024;
        end++;
        if (*end == 'i' && end[1] == 'B')
            end += 2;
        else if (*end == 'B')
            end++;
    }
    return *end ? -1 : 0;
}

int cmd_flows(int argc, char **argv)
{
    enum { O_SERVICE = 256, O_MATCH, O_FEATURES, O_NETML, O_DIM, O_INTERVAL, O_SAMP,
           O_IDLE, O_MAXFLOWS, O_FORMAT, O_ORDER, O_REORDER_LIMIT };
    static const struct option opts[] = {
        {"service", required_argument, 0, O_SERVICE}, {"match", required_argument, 0, O_MATCH},
        {"features", required_argument, 0, O_FEATURES}, {"netml", no_argument, 0, O_NETML},
        {"dim", required_argument, 0, O_DIM}, {"interval", required_argument, 0, O_INTERVAL},
        {"samp-rate", required_argument, 0, O_SAMP},
        {"idle-timeout", required_argument, 0, O_IDLE},
        {"max-flows", required_argument, 0, O_MAXFLOWS},
        {"order", required_argument, 0, O_ORDER},
        {"reorder-limit", required_argument, 0, O_REORDER_LIMIT},
        {"output", required_argument, 0, 'o'}, {"format", required_argument, 0, O_FORMAT},
        {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *service = NULL, *match = NULL, *out_path = NULL, *features = NULL;
    int netml = 0, jsonl = 0, verbose = 0, order_end = 0, order_given = 0, c;
    double dim = 0, interval = 0, samp = 0, idle = 600, max_flows = 65536;
    double reorder_limit = DEFAULT_REORDER_LIMIT;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:vh", opts, NULL)) != -1) {
        switch (c) {
        case O_SERVICE: service = optarg; break;
        case O_MATCH: match = optarg; break;
        case O_FEATURES: features = optarg; break;
        case O_NETML: netml = 1; break;
        case O_DIM:
            if (parse_double(optarg, &dim) || dim < 2 || dim > 1e6)
                return cli_usage_error("flows", "--dim wants an integer >= 2, not '%s'", optarg);
            break;
        case O_INTERVAL:
            if (parse_double(optarg, &interval) || interval > 1e9)
                return cli_usage_error("flows", "--interval wants seconds, not '%s'", optarg);
            break;
        case O_SAMP:
            if (parse_double(optarg, &samp) || samp > 1e9)
                return cli_usage_error("flows", "--samp-rate wants seconds, not '%s'", optarg);
            break;
        case O_IDLE:
            if (parse_double(optarg, &idle) || idle <= 0 || idle > 1e9)
                return cli_usage_error("flows", "--idle-timeout wants seconds in (0, 1e9], "
                                       "not '%s'", optarg);
            break;
        case O_MAXFLOWS:
            if (parse_double(optarg, &max_flows) || max_flows < 1 || max_flows > 1e9)
                return cli_usage_error("flows", "--max-flows wants a count >= 1, not '%s'",
                                       optarg);
            break;
        case O_ORDER:
            if (strcmp(optarg, "first") && strcmp(optarg, "end"))
                return cli_usage_error("flows", "--order wants first or end, not '%s'", optarg);
            order_end = optarg[0] == 'e';
            order_given = 1;
            break;
        case O_REORDER_LIMIT:
            if (parse_size(optarg, &reorder_limit) || reorder_limit < 1 ||
                reorder_limit > 1099511627776.0)
                return cli_usage_error("flows", "--reorder-limit wants a size from 1 to 1T "
                                       "(suffix K, M, G, T), not '%s'", optarg);
            order_given = 1;
            break;
        case 'o': out_path = optarg; break;
        case O_FORMAT:
            if (cli_parse_format("flows", optarg, &jsonl))
                return VQI_EXIT_USAGE;
            break;
        case 'v': verbose = 1; break;
        case 'h': usage(stdout); return VQI_EXIT_OK;
        default:
            return cli_usage_error("flows", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("flows", optind >= argc ? "missing CAPTURE" : "one CAPTURE only");
    if (service && match)
        return cli_usage_error("flows", "--service and --match exclude each other");
    vqi_feat_type type = VQI_FEAT_IAT;
    if (features && vqi_feat_parse(features, &type))
        return cli_usage_error("flows", "unknown feature family '%s' (stats, iat, size, "
                               "iat_size, samp_num, samp_size)", features);
    int want_features = features || netml;
    if (want_features && order_given)
        return cli_usage_error("flows", "--order and --reorder-limit are for flow statistics "
                               "rows, not --features / --netml");
    const char *path = argv[optind];

    vqi_err err = {0};
    vqi_service *svc = NULL;
    if (service || match) {
        svc = service ? vqi_service_by_name(service, &err) : vqi_service_by_regex(match, &err);
        if (!svc) {
            err.code = VQI_EXIT_USAGE;
            return cli_error(service ? service : match, &err);
        }
    }
    int rc;
    if (!want_features) {
        vqi_flow_config cfg = {.max_flows = (size_t)max_flows,
                               .idle_timeout_ns = (int64_t)(idle * 1e9)};
        rc = run_stats(path, svc, &cfg, order_end, (size_t)reorder_limit, out_path, jsonl);
    } else {
        vqi_feat_options fo = {.netml = netml, .interval_s = interval, .samp_rate = samp,
                               .dim = (size_t)dim, .identified_only = svc != NULL,
                               .timeout_s = netml ? 600 : idle};
        rc = run_features(path, svc, &fo, type, verbose, out_path, jsonl);
    }
    vqi_service_free(svc);
    return rc;
}
