/* cmd_monitor.c - 'vqi monitor': live resolution of a service's video
 * sessions on an interface (or a replayed capture), one record per window
 * as soon as it closes, flushed per record; SIGINT/SIGTERM end it cleanly. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../predict/predict.h"
#include "../service/service.h"
#include "../util/output.h"
#include "../util/textout.h"
#include "../window/window.h"

#define DEFAULT_SNAPLEN 1600

static void usage(FILE *f)
{
    fprintf(f,
        "usage: vqi monitor -i IFACE --service NAME [OPTIONS]\n"
        "       vqi monitor -r CAPTURE [--realtime] --service NAME [OPTIONS]\n\n"
        "Watch a service's video sessions live: packets are cut into sessions and\n"
        "10-second windows as 'vqi windows' does, and each window is written as one\n"
        "record as soon as it closes (also during silence, on the clock), with the\n"
        "predicted resolution and the class probabilities.  Records are flushed one\n"
        "by one.  Ctrl-C (SIGINT) or SIGTERM writes the open windows and exits 0.\n"
        "See docs/MONITOR.md.\n\n"
        "Options:\n"
        "  -i, --interface IFACE  capture live on IFACE with libpcap (needs CAP_NET_RAW)\n"
        "  -r, --read FILE        replay a capture file instead (as fast as possible)\n"
        "      --realtime         with -r: at the capture's original pace\n"
        "  -s, --service NAME     netflix, youtube, twitch or amazon (required)\n"
        "  -m, --model MODEL      model from 'vqi train' (default: the bundled\n"
        "                         data/models/" VQI_DEFAULT_MODEL_NAME ", or $" VQI_MODEL_ENV ")\n"
        "      --no-model         no prediction: records carry every window column\n"
        "      --filter BPF       libpcap capture filter (e.g. 'host 10.0.0.2'); keep DNS\n"
        "                         answers in it: they tell which addresses are the service\n"
        "  -f, --format FMT       jsonl (default) or csv\n"
        "  -w, --window S         window length in seconds (default 10)\n"
        "      --idle-gap S       a session ends after S s without its traffic (60)\n"
        "      --snaplen N        bytes kept per live frame (default %d: whole Ethernet\n"
        "                         frames, so DNS answers and TLS ClientHellos are whole)\n"
        "      --promisc          put the interface in promiscuous mode\n"
        "      --tick-delay S     close silent windows S s after their end (default 1)\n"
        "  -o, --output FILE      write records to FILE, complete at exit (default:\n"
        "                         stdout, flushed per record)\n"
        "  -h, --help             this text\n\n"
        "Exit codes: 0 success (also after SIGINT/SIGTERM), 1 failure while\n"
        "processing, 2 bad usage, no such interface, no permission, bad filter, or\n"
        "unreadable model or capture.\n", DEFAULT_SNAPLEN);
}

typedef struct options {
    const char *iface, *file, *service, *model, *bpf, *output;
    int realtime, no_model, promisc, csv, snaplen;
    double window_s, idle_s, tick_delay_s;
} options;

/* Columns of a record with predictions (the window table's names). */
static const char *const id_columns[] = {
    "session_id",      "service",         "absolute_timestamp", "relative_timestamp",
    "userPacketCount", "serverPacketCount", "userByteCount",    "serverByteCount",
    "n_chunks_up",     "n_chunks_down"};
#define N_ID_COLUMNS (sizeof id_columns / sizeof *id_columns)

typedef struct writer {
    FILE *f;
    const options *o;
    const vqi_model *m;
    const vqi_window_config *cfg;
    size_t col[N_ID_COLUMNS];
    uint64_t last_kernel, last_iface;
    int closed;                  /* the reader went away (EPIPE) */
} writer;

static vqi_monitor *volatile running;

static void on_stop_signal(int sig)
{
    (void)sig;
    int saved = errno;           /* pcap_breakloop writes to an eventfd */
    vqi_monitor_stop(running);
    errno = saved;
}

static int parse_number(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

enum { OPT_REALTIME = 256, OPT_NO_MODEL, OPT_FILTER, OPT_SNAPLEN, OPT_PROMISC, OPT_IDLE,
       OPT_TICK };

static int parse_args(int argc, char **argv, options *o)
{
    static const struct option opts[] = {
        {"interface", required_argument, 0, 'i'}, {"read", required_argument, 0, 'r'},
        {"realtime", no_argument, 0, OPT_REALTIME}, {"service", required_argument, 0, 's'},
        {"model", required_argument, 0, 'm'},     {"no-model", no_argument, 0, OPT_NO_MODEL},
        {"filter", required_argument, 0, OPT_FILTER}, {"format", required_argument, 0, 'f'},
        {"window", required_argument, 0, 'w'},    {"idle-gap", required_argument, 0, OPT_IDLE},
        {"snaplen", required_argument, 0, OPT_SNAPLEN}, {"promisc", no_argument, 0, OPT_PROMISC},
        {"tick-delay", required_argument, 0, OPT_TICK}, {"output", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'},            {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->output = "-";
    o->snaplen = DEFAULT_SNAPLEN;
    o->window_s = 10;
    o->idle_s = 60;
    o->tick_delay_s = 1;
    double v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":i:r:s:m:f:w:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': o->iface = optarg; break;
        case 'r': o->file = optarg; break;
        case OPT_REALTIME: o->realtime = 1; break;
        case 's': o->service = optarg; break;
        case 'm': o->model = optarg; break;
        case OPT_NO_MODEL: o->no_model = 1; break;
        case OPT_FILTER: o->bpf = optarg; break;
        case OPT_PROMISC: o->promisc = 1; break;
        case 'o': o->output = optarg; break;
        case 'f':
        {
            int jsonl;
            if (cli_parse_format("monitor", optarg, &jsonl))
                return VQI_EXIT_USAGE;
            o->csv = !jsonl;
            break;
        }
        case 'w':
            if (parse_number(optarg, 0.001, 86400, &o->window_s) < 0)
                return cli_usage_error("monitor", "--window: '%s' is not 0.001 to 86400 seconds", optarg);
            break;
        case OPT_IDLE:
            if (parse_number(optarg, 1e-6, 1e6, &o->idle_s) < 0)
                return cli_usage_error("monitor", "--idle-gap: '%s' is not a positive number of seconds", optarg);
            break;
        case OPT_TICK:
            if (parse_number(optarg, 0, 3600, &o->tick_delay_s) < 0)
                return cli_usage_error("monitor", "--tick-delay: '%s' is not 0 to 3600 seconds", optarg);
            break;
        case OPT_SNAPLEN:
            if (parse_number(optarg, 64, 262144, &v) < 0 || v != floor(v))
                return cli_usage_error("monitor", "--snaplen: '%s' is not 64 to 262144 bytes", optarg);
            o->snaplen = (int)v;
            break;
        case 'h': usage(stdout); return -1;
        case ':': return cli_usage_error("monitor", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("monitor", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("monitor", "unexpected argument '%s'", argv[optind]);
    if (!o->iface == !o->file)
        return cli_usage_error("monitor", "give either -i IFACE or -r FILE");
    if (o->realtime && !o->file)
        return cli_usage_error("monitor", "--realtime goes with -r FILE");
    if (o->file && (o->bpf || o->promisc))
        return cli_usage_error("monitor", "--filter and --promisc are for live interfaces");
    if (!o->service)
        return cli_usage_error("monitor", "--service NAME is required");
    if (o->no_model && o->model)
        return cli_usage_error("monitor", "--model and --no-model exclude each other");
    return 0;
}

/* ------------------------------------------------------------ records -- */

/* A window cell as JSON: numbers as written, NaN/inf and empty as null,
 * bools as true/false, text as a string. */
static void json_cell(FILE *f, const vqi_window_row *r, size_t i)
{
    char buf[4096];
    const char *text = vqi_window_row_text(r, i, buf, sizeof buf);
    const char *dtype = vqi_window_col_dtype(i);
    if (!strcmp(dtype, "object")) {
        vqi_json_string(f, text);
    } else if (!strcmp(dtype, "bool")) {
        fputs(!strcmp(text, "True") ? "true" : !strcmp(text, "False") ? "false" : "null", f);
    } else {
        double v = vqi_window_row_value(r, i);
        fputs(isfinite(v) && *text ? text : "null", f);
    }
}

static void write_header(writer *w)
{
    char b[64];
    if (!w->o->csv)
        return;
    if (!w->m) {
        vqi_window_csv_header(w->f, w->cfg);
    } else {
        for (size_t i = 0; i < N_ID_COLUMNS; i++)
            fprintf(w->f, "%s,", id_columns[i]);
        fputs("kernel_drops,iface_drops,predicted", w->f);
        for (size_t c = 0; c < w->m->nclasses; c++)
            fprintf(w->f, ",p_%s", vqi_class_text(w->m->classes[c], b, sizeof b));
        fputc('\n', w->f);
    }
    fflush(w->f);
}

static void write_predicted(writer *w, const vqi_monitor_record *rec)
{
    char b[512];
    FILE *f = w->f;
    const vqi_model *m = w->m;
    if (w->o->csv) {
        for (size_t i = 0; i < N_ID_COLUMNS; i++)
            fprintf(f, "%s,", vqi_window_row_text(rec->row, w->col[i], b, sizeof b));
        fprintf(f, "%llu,%llu,%s", (unsigned long long)rec->stats.kernel_drops,
                (unsigned long long)rec->stats.iface_drops,
                vqi_class_text(m->classes[rec->predicted], b, sizeof b));
        for (size_t c = 0; c < m->nclasses; c++)
            fprintf(f, ",%.17g", rec->proba[c]);
        fputc('\n', f);
        return;
    }
    fputc('{', f);
    for (size_t i = 0; i < N_ID_COLUMNS; i++) {
        fprintf(f, "\"%s\":", id_columns[i]);
        json_cell(f, rec->row, w->col[i]);
        fputc(',', f);
    }
    fprintf(f, "\"kernel_drops\":%llu,\"iface_drops\":%llu,\"predicted\":%s",
            (unsigned long long)rec->stats.kernel_drops,
            (unsigned long long)rec->stats.iface_drops,
            vqi_class_text(m->classes[rec->predicted], b, sizeof b));
    for (size_t c = 0; c < m->nclasses; c++)
        fprintf(f, ",\"p_%s\":%.17g", vqi_class_text(m->classes[c], b, sizeof b), rec->proba[c]);
    fputs("}\n", f);
}

static void write_features(writer *w, const vqi_monitor_record *rec)
{
    FILE *f = w->f;
    if (w->o->csv) {
        vqi_window_csv_row(f, w->cfg, (size_t)(rec->stats.windows - 1), rec->row);
        return;
    }
    size_t n = vqi_window_ncols(w->cfg);
    fputc('{', f);
    for (size_t i = 0; i < n; i++) {
        vqi_json_string(f, vqi_window_col_name(i));
        fputc(':', f);
        json_cell(f, rec->row, i);
        fputc(',', f);
    }
    fprintf(f, "\"kernel_drops\":%llu,\"iface_drops\":%llu}\n",
            (unsigned long long)rec->stats.kernel_drops,
            (unsigned long long)rec->stats.iface_drops);
}

static int on_record(void *ctx, const vqi_monitor_record *rec)
{
    writer *w = ctx;
    if (w->m)
        write_predicted(w, rec);
    else
        write_features(w, rec);
    if (rec->stats.kernel_drops != w->last_kernel || rec->stats.iface_drops != w->last_iface) {
        vqi_warn(w->o->iface ? w->o->iface : w->o->file,
                 "packets dropped so far: %llu by the kernel, %llu by the interface",
                 (unsigned long long)rec->stats.kernel_drops,
                 (unsigned long long)rec->stats.iface_drops);
        w->last_kernel = rec->stats.kernel_drops;
        w->last_iface = rec->stats.iface_drops;
    }
    if (fflush(w->f) != 0 || ferror(w->f)) {
        w->closed = errno == EPIPE;
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- run -- */

static vqi_model *load_model(const options *o, int *rc)
{
    vqi_err e = {{0}, 0};
    char path[4096];
    if (o->no_model)
        return NULL;
    if (o->model)
        snprintf(path, sizeof path, "%s", o->model);
    else if (vqi_default_model_path(path, sizeof path, &e) < 0) {
        *rc = cli_error("monitor", &e);
        return NULL;
    }
    vqi_model *m = vqi_model_load(path, &e);
    if (!m)
        *rc = cli_error(path, &e);
    return m;
}

static int monitor(const options *o, vqi_service *svc, const vqi_model *m)
{
    vqi_err e = {{0}, 0};
    vqi_window_config cfg;
    vqi_window_config_default(&cfg);
    cfg.window_s = o->window_s;
    cfg.idle_gap_s = o->idle_s;
    cfg.service = vqi_service_name(svc);
    vqi_monitor_config mc = {o->iface, o->file, o->realtime, o->bpf, o->snaplen, o->promisc,
                             &cfg, svc, m, o->tick_delay_s};
    writer w = {NULL, o, m, &cfg, {0}, 0, 0, 0};
    for (size_t i = 0; i < N_ID_COLUMNS; i++)
        for (size_t k = 0; k < vqi_window_ncols(&cfg); k++)
            if (!strcmp(vqi_window_col_name(k), id_columns[i]))
                w.col[i] = k;
    const char *source = o->iface ? o->iface : o->file;
    vqi_monitor *mon = vqi_monitor_open(&mc, on_record, &w, &e);
    if (!mon)
        return cli_error(source, &e);
    vqi_out *out = vqi_out_open(o->output, &e);
    if (!out) {
        vqi_monitor_close(mon);
        return cli_error(o->output, &e);
    }
    w.f = vqi_out_file(out);
    write_header(&w);

    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESTART;    /* a write to a slow stdout must not fail with EINTR */
    sigemptyset(&sa.sa_mask);
    running = mon;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    int run = vqi_monitor_run(mon, &e);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    running = NULL;

    vqi_monitor_stats st;
    vqi_monitor_get_stats(mon, &st);
    vqi_monitor_close(mon);
    fprintf(stderr, "vqi monitor: %s: %llu frames, %llu windows, dropped %llu by the kernel, "
                    "%llu by the interface\n", source, (unsigned long long)st.frames,
            (unsigned long long)st.windows, (unsigned long long)st.kernel_drops,
            (unsigned long long)st.iface_drops);
    if (run < 0 && w.closed) {
        vqi_out_abort(out);              /* stdout: nobody is reading any more */
        return VQI_EXIT_OK;
    }
    if (run < 0) {
        vqi_out_abort(out);
        return cli_error(source, &e);
    }
    if (vqi_out_commit(out, &e) < 0)
        return cli_error(o->output, &e);
    return VQI_EXIT_OK;
}

int cmd_monitor(int argc, char **argv)
{
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? VQI_EXIT_OK : rc;
    vqi_err e = {{0}, 0};
    vqi_service *svc = vqi_service_by_name(o.service, &e);
    if (!svc) {
        e.code = VQI_EXIT_USAGE;
        return cli_error("monitor", &e);
    }
    vqi_model *m = load_model(&o, &rc);
    if (!m && !o.no_model) {
        vqi_service_free(svc);
        return rc;
    }
    rc = monitor(&o, svc, m);
    vqi_model_free(m);
    vqi_service_free(svc);
    return rc;
}
