/* cmd_windows.c - 'vqi windows': a capture's 10-second window features in
 * the course dataset's 251-column schema, as CSV (rows streamed as windows
 * close; the file appears only when the run succeeds). */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../service/service.h"
#include "../util/output.h"
#include "../window/window.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: vqi windows CAPTURE --service NAME [OPTIONS]\n\n"
        "Cut the service's traffic in CAPTURE into sessions (client address x service)\n"
        "and 10-second windows, and write one CSV row per window with the 251 columns\n"
        "of the course dataset, in its order (see docs/FEATURES.md).  The first CSV\n"
        "column is an unnamed index (0, 1, 2, ...), as pandas to_csv writes it.\n\n"
        "Options:\n"
        "  -s, --service NAME       netflix, youtube, twitch or amazon (required)\n"
        "  -w, --window S           window length in seconds (default 10)\n"
        "      --idle-gap S         a session ends after S seconds without service\n"
        "                           traffic (default 60)\n"
        "      --start EPOCH        align windows to EPOCH seconds (packets before it are\n"
        "                           ignored); default: each session's first packet\n"
        "  -l, --labels FILE        Requet *_merged.txt player log: resolution = majority\n"
        "                           quality of its 100-ms intervals in each window;\n"
        "                           windows align to its StartMs unless --start is given\n"
        "  -r, --resolution P       constant resolution label (e.g. 720)\n"
        "      --request-min-tcp N  upstream TCP payload > N bytes is a request (0)\n"
        "      --request-min-udp N  upstream UDP payload > N bytes is a request (100)\n"
        "      --max-sessions N     live sessions at most (default 65536): a new client\n"
        "                           beyond N first ends the least recently active\n"
        "                           session as the end of the input would (its open\n"
        "                           window is written if it holds service traffic)\n"
        "      --extra-columns      append capture_packets and capture_bytes: every frame\n"
        "                           of the capture in the window (original lengths)\n"
        "  -o, --output FILE        write the CSV to FILE (default: stdout)\n"
        "  -h, --help               this text\n\n"
        "Environment: VQI_THREADS=N (N >= 2) reads and decodes the capture, and writes\n"
        "the rows, in threads of their own (same output; one thread is the default, as it\n"
        "is faster where handing packets between cores is slow).\n\n"
        "Exit codes: 0 success, 1 failure while processing, 2 bad usage or unreadable\n"
        "input.\n");
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end || errno || v > UINT32_MAX || s[0] == '-')
        return -1;
    *out = (uint32_t)v;
    return 0;
}

typedef struct writer {
    FILE *f;
    const vqi_window_config *cfg;
    size_t rows;
    int failed, header_done;
} writer;

/* The header goes out with the first row (or at the end when there is
 * none), so an unreadable capture leaves stdout empty. */
static int write_header(writer *w)
{
    if (w->header_done)
        return 0;
    w->header_done = 1;
    return vqi_window_csv_header(w->f, w->cfg);
}

static int write_row(void *ctx, const vqi_window_row *r)
{
    writer *w = ctx;
    if (write_header(w) < 0 || vqi_window_csv_row(w->f, w->cfg, w->rows++, r) < 0) {
        w->failed = 1;
        return 1;
    }
    return 0;
}

enum { OPT_START = 256, OPT_MIN_TCP, OPT_MIN_UDP, OPT_IDLE, OPT_EXTRA, OPT_MAX_SESSIONS };

int cmd_windows(int argc, char **argv)
{
    static const struct option opts[] = {
        {"service", required_argument, 0, 's'}, {"window", required_argument, 0, 'w'},
        {"labels", required_argument, 0, 'l'},  {"resolution", required_argument, 0, 'r'},
        {"start", required_argument, 0, OPT_START},
        {"request-min-tcp", required_argument, 0, OPT_MIN_TCP},
        {"request-min-udp", required_argument, 0, OPT_MIN_UDP},
        {"idle-gap", required_argument, 0, OPT_IDLE},
        {"extra-columns", no_argument, 0, OPT_EXTRA},
        {"max-sessions", required_argument, 0, OPT_MAX_SESSIONS},
        {"output", required_argument, 0, 'o'},  {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    vqi_window_config cfg;
    vqi_window_config_default(&cfg);
    const char *service = NULL, *labels_path = NULL, *output = "-";
    double start = NAN;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":s:w:l:r:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': service = optarg; break;
        case 'w':
            if (parse_double(optarg, &cfg.window_s) < 0 || cfg.window_s < 0.001 ||
                cfg.window_s > 86400)
                return cli_usage_error("windows", "--window: '%s' is not 0.001 to 86400 seconds", optarg);
            break;
        case OPT_IDLE:
            if (parse_double(optarg, &cfg.idle_gap_s) < 0 || cfg.idle_gap_s <= 0 ||
                cfg.idle_gap_s > 1e6)
                return cli_usage_error("windows", "--idle-gap: '%s' is not a positive number of seconds", optarg);
            break;
        case 'l': labels_path = optarg; break;
        case 'r':
            if (parse_double(optarg, &cfg.resolution) < 0 || cfg.resolution <= 0 ||
                cfg.resolution > 100000)
                return cli_usage_error("windows", "--resolution: '%s' is not a resolution", optarg);
            break;
        case OPT_START:
            if (parse_double(optarg, &start) < 0 || start < 0 || start > 9e9)
                return cli_usage_error("windows", "--start: '%s' is not an epoch time in seconds", optarg);
            break;
        case OPT_MIN_TCP:
            if (parse_u32(optarg, &cfg.request_min_tcp) < 0)
                return cli_usage_error("windows", "--request-min-tcp: '%s' is not a byte count", optarg);
            break;
        case OPT_MIN_UDP:
            if (parse_u32(optarg, &cfg.request_min_udp) < 0)
                return cli_usage_error("windows", "--request-min-udp: '%s' is not a byte count", optarg);
            break;
        case OPT_EXTRA: cfg.extra_columns = 1; break;
        case OPT_MAX_SESSIONS: {
            uint32_t n;
            if (parse_u32(optarg, &n) < 0 || n == 0 || n > (1u << 30))
                return cli_usage_error("windows", "--max-sessions: '%s' is not 1 to %u", optarg, 1u << 30);
            cfg.max_sessions = n;
            break;
        }
        case 'o': output = optarg; break;
        case 'h': usage(stdout); return VQI_EXIT_OK;
        case ':': return cli_usage_error("windows", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("windows", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("windows", optind >= argc ? "a capture file is required"
                                                         : "exactly one capture file, please");
    if (!service)
        return cli_usage_error("windows", "--service NAME is required");
    if (labels_path && !isnan(cfg.resolution))
        return cli_usage_error("windows", "--labels and --resolution exclude each other");
    const char *capture = argv[optind];

    vqi_err err = {{0}, 0};
    vqi_service *svc = vqi_service_by_name(service, &err);
    if (!svc) {
        err.code = VQI_EXIT_USAGE;
        return cli_error("windows", &err);
    }
    cfg.service = vqi_service_name(svc);
    vqi_labels *labels = NULL;
    if (labels_path) {
        if (!(labels = vqi_labels_read(labels_path, &err))) {
            vqi_service_free(svc);
            return cli_error(labels_path, &err);
        }
        cfg.labels = labels;
        cfg.has_start = 1;
        cfg.start_ns = vqi_labels_start_ms(labels) * 1000000;
    }
    if (!isnan(start)) {
        cfg.has_start = 1;
        cfg.start_ns = llround(start * 1e9);
    }

    int rc = VQI_EXIT_OK;
    vqi_out *out = vqi_out_open(output, &err);
    vqi_windows *w = NULL;
    writer wr = {NULL, &cfg, 0, 0, 0};
    if (!out) {
        rc = cli_error(output, &err);
        goto done;
    }
    wr.f = vqi_out_file(out);
    if (!(w = vqi_windows_new(&cfg, write_row, &wr, &err))) {
        rc = cli_error(capture, &err);
        goto done;
    }
    if (vqi_windows_feed_capture(w, capture, svc, &err) < 0 || write_header(&wr) < 0) {
        if (wr.failed || !err.msg[0]) {
            vqi_err_set(&err, VQI_EXIT_FAIL, "write error");
            rc = cli_error(output, &err);
        } else
            rc = cli_error(capture, &err);
        goto done;
    }
    if (vqi_out_commit(out, &err) < 0)
        rc = cli_error(output, &err);
    out = NULL;
done:
    vqi_out_abort(out);
    vqi_windows_free(w);
    vqi_labels_free(labels);
    vqi_service_free(svc);
    return rc;
}
