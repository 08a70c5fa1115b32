/* cmd_predict.c - 'vqi predict': the resolution of every window of a capture
 * (windows computed as 'vqi windows' does) or of a table of windows (pickle,
 * CSV), with a summary on stderr and an optional timeline figure. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../capture/capture.h"
#include "../model/model.h"
#include "../plot/plot.h"
#include "../predict/predict.h"
#include "../service/service.h"
#include "../table/table.h"
#include "../util/output.h"
#include "../window/window.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: vqi predict INPUT [OPTIONS]\n\n"
        "Predict the video resolution of every 10-second window of INPUT, which is\n"
        "either a capture (pcap / pcapng, possibly compressed: its service traffic is\n"
        "cut into sessions and windows as 'vqi windows' does) or a table of windows\n"
        "(the course's pandas pickles, CSV from 'vqi windows', .gz/.xz/.bz2).  The\n"
        "kind is recognised by content.\n\n"
        "Output: one row per window, sessions in order of their start and windows in\n"
        "time order: session_id, relative_timestamp, absolute_timestamp, true (only\n"
        "when the input carries a resolution: empty when unknown), predicted and\n"
        "p_<class> for every class of the model.  A summary (sessions, windows,\n"
        "share of time per predicted resolution, agreement with the truth) goes to\n"
        "stderr.\n\n"
        "Options:\n"
        "  -m, --model MODEL      model from 'vqi train' (default: the bundled\n"
        "                         data/models/" VQI_DEFAULT_MODEL_NAME ", or $" VQI_MODEL_ENV ")\n"
        "  -s, --service NAME     netflix, youtube, twitch or amazon (needed for a\n"
        "                         capture; for a table only named in the plot title)\n"
        "  -l, --labels FILE      capture only: Requet *_merged.txt player log as the\n"
        "                         truth (windows align to its StartMs)\n"
        "  -r, --resolution P     the truth is P for every window (e.g. 720)\n"
        "  -o, --output FILE      write the predictions to FILE (default: stdout)\n"
        "  -f, --format FMT       csv (default) or jsonl (one JSON object per line)\n"
        "  -p, --plot FILE        timeline of predicted (and true) resolution per\n"
        "                         session: .png, .svg or .pdf\n"
        "  -h, --help             this text\n\n"
        "Exit codes: 0 success, 1 failure while processing, 2 bad usage, unreadable\n"
        "input, a missing model or a table lacking the model's columns.\n");
}

typedef struct options {
    const char *input, *model, *service, *labels, *output, *plot;
    double resolution;
    vqi_pred_format format;
} options;

static int parse_args(int argc, char **argv, options *o)
{
    static const struct option opts[] = {
        {"model", required_argument, 0, 'm'},  {"service", required_argument, 0, 's'},
        {"labels", required_argument, 0, 'l'}, {"resolution", required_argument, 0, 'r'},
        {"output", required_argument, 0, 'o'}, {"format", required_argument, 0, 'f'},
        {"plot", required_argument, 0, 'p'},   {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->output = "-";
    o->resolution = NAN;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":m:s:l:r:o:f:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'm': o->model = optarg; break;
        case 's': o->service = optarg; break;
        case 'l': o->labels = optarg; break;
        case 'o': o->output = optarg; break;
        case 'p': o->plot = optarg; break;
        case 'r': {
            char *end;
            errno = 0;
            o->resolution = strtod(optarg, &end);
            if (end == optarg || *end || errno || !(o->resolution > 0 && o->resolution <= 100000))
                return cli_usage_error("predict", "--resolution: '%s' is not a resolution", optarg);
            break;
        }
        case 'f':
        {
            int jsonl;
            if (cli_parse_format("predict", optarg, &jsonl))
                return VQI_EXIT_USAGE;
            o->format = jsonl ? VQI_PRED_JSONL : VQI_PRED_CSV;
            break;
        }
        case 'h': usage(stdout); return -1;
        case ':': return cli_usage_error("predict", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("predict", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("predict", optind >= argc ? "an INPUT capture or table is required"
                                                         : "exactly one INPUT, please");
    o->input = argv[optind];
    if (o->labels && !isnan(o->resolution))
        return cli_usage_error("predict", "--labels and --resolution exclude each other");
    if (o->plot && !vqi_plot_format_ok(o->plot))
        return cli_usage_error("predict", "--plot: '%s' does not end in .png, .svg or .pdf", o->plot);
    return 0;
}

/* Windows of a capture, as `vqi windows` computes them. */
static vqi_table *capture_windows(const options *o, int *rc)
{
    vqi_err e = {{0}, 0};
    if (!o->service) {
        *rc = cli_usage_error("predict", "%s is a capture: --service NAME is required", o->input);
        return NULL;
    }
    vqi_service *svc = vqi_service_by_name(o->service, &e);
    if (!svc) {
        e.code = VQI_EXIT_USAGE;
        *rc = cli_error("predict", &e);
        return NULL;
    }
    vqi_window_config cfg;
    vqi_window_config_default(&cfg);
    cfg.service = vqi_service_name(svc);
    cfg.resolution = o->resolution;
    vqi_labels *labels = NULL;
    vqi_table *t = NULL;
    if (o->labels) {
        if (!(labels = vqi_labels_read(o->labels, &e))) {
            *rc = cli_error(o->labels, &e);
            goto done;
        }
        cfg.labels = labels;
        cfg.has_start = 1;
        cfg.start_ns = vqi_labels_start_ms(labels) * 1000000;
    }
    if (!(t = vqi_windows_table_from_capture(o->input, svc, &cfg, &e)))
        *rc = cli_error(o->input, &e);
done:
    vqi_labels_free(labels);
    vqi_service_free(svc);
    return t;
}

/* INPUT by content: a capture when the capture reader accepts its header,
 * otherwise a table. */
static vqi_table *read_input(const options *o, int *is_capture, int *rc)
{
    struct stat st;
    if (strcmp(o->input, "-") == 0) {
        *rc = cli_usage_error("predict", "INPUT must be a file (not stdin)");
        return NULL;
    }
    errno = 0;
    if (stat(o->input, &st) < 0 || !S_ISREG(st.st_mode)) {
        vqi_err e;
        vqi_err_set(&e, VQI_EXIT_USAGE, "%s", errno ? strerror(errno) : "not a regular file");
        *rc = cli_error(o->input, &e);
        return NULL;
    }
    vqi_err ce = {{0}, 0}, te = {{0}, 0};
    vqi_capture *cap = vqi_capture_open(o->input, &ce);
    *is_capture = cap != NULL;
    if (cap) {
        vqi_capture_close(cap);
        return capture_windows(o, rc);
    }
    vqi_table *t = vqi_table_read(o->input, &te);
    if (!t) {
        vqi_err e;
        vqi_err_set(&e, VQI_EXIT_USAGE, "neither a capture (%s) nor a table of windows (%s)",
                    ce.msg, te.msg);
        *rc = cli_error(o->input, &e);
        return NULL;
    }
    if (o->labels) {
        vqi_table_free(t);
        *rc = cli_usage_error("predict", "--labels needs a capture; %s is a table", o->input);
        return NULL;
    }
    return t;
}

/* "exp46.pcap (youtube)": the input's base name and the service. */
static void plot_title(const options *o, const vqi_table *t, char *buf, size_t size)
{
    const char *base = strrchr(o->input, '/');
    base = base ? base + 1 : o->input;
    const char *svc = o->service;
    char cell[128];
    long sc = vqi_table_find(t, "service");
    if (!svc && sc >= 0 && t->nrows > 0)
        svc = vqi_cell_text(&t->cols[sc], 0, cell, sizeof cell);
    if (svc && *svc)
        snprintf(buf, size, "%s (%s)", base, svc);
    else
        snprintf(buf, size, "%s", base);
}

static int write_outputs(const options *o, const vqi_predictions *p, const vqi_table *t)
{
    vqi_err e = {{0}, 0};
    vqi_out *out = vqi_out_open(o->output, &e);
    if (!out)
        return cli_error(o->output, &e);
    if (vqi_predictions_write(p, o->format, vqi_out_file(out)) < 0) {
        vqi_out_abort(out);
        vqi_err_set(&e, VQI_EXIT_FAIL, "write error");
        return cli_error(o->output, &e);
    }
    if (o->plot) {
        char title[256];
        plot_title(o, t, title, sizeof title);
        if (vqi_predictions_plot(p, o->plot, title, &e) < 0) {
            vqi_out_abort(out);      /* all outputs or none */
            return cli_error(o->plot, &e);
        }
    }
    if (vqi_out_commit(out, &e) < 0)
        return cli_error(o->output, &e);
    return VQI_EXIT_OK;
}

int cmd_predict(int argc, char **argv)
{
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? VQI_EXIT_OK : rc;

    vqi_err e = {{0}, 0};
    char model_path[4096];
    if (o.model)
        snprintf(model_path, sizeof model_path, "%s", o.model);
    else if (vqi_default_model_path(model_path, sizeof model_path, &e) < 0)
        return cli_error("predict", &e);
    vqi_model *m = vqi_model_load(model_path, &e);
    if (!m)
        return cli_error(model_path, &e);

    int is_capture = 0;
    vqi_predictions *p = NULL;
    vqi_pred_summary sum = {0};
    vqi_table *t = read_input(&o, &is_capture, &rc);
    if (!t)
        goto done;
    if (!(p = vqi_predict_table(m, t, "resolution", &e))) {
        rc = cli_error(o.input, &e);
        goto done;
    }
    if (!is_capture && !isnan(o.resolution)) {
        for (size_t i = 0; i < p->n; i++)
            p->truth[i] = o.resolution;
        p->has_truth = p->n > 0;
    }
    if (p->n == 0)
        vqi_warn(o.input, "%s", is_capture ? "no service traffic, no window to predict"
                                        : "no row to predict");
    if (p->n == 0 && o.plot) {
        vqi_err_set(&e, VQI_EXIT_FAIL, "no window to plot");
        rc = cli_error(o.plot, &e);
        goto done;
    }
    if ((rc = write_outputs(&o, p, t)) != 0)
        goto done;
    if (vqi_predictions_summary(p, &sum, &e) < 0) {
        rc = cli_error(o.input, &e);
        goto done;
    }
    vqi_pred_summary_write(&sum, p->classes, p->nclasses, stderr);
done:
    vqi_pred_summary_free(&sum);
    vqi_predictions_free(p);
    vqi_table_free(t);
    vqi_model_free(m);
    return rc;
}
