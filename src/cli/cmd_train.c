/* cmd_train.c - 'vqi train': options and log of training a model on
 * window-feature tables.  The recipe (cleaning account, split, parameters,
 * tuning, evaluation on the held-out sessions, model metadata) lives in
 * src/model (training.c, tune.c); this file parses, calls and prints. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../table/table.h"
#include "../util/output.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: vqi train DATA... [OPTIONS]\n\n"
        "Train a resolution classifier (XGBoost) on window features (pickle or CSV;\n"
        "several DATA are concatenated).  Rows whose label is not a valid class are\n"
        "dropped; identifiers, time columns and player ground truth never become\n"
        "features.  The model is evaluated on held-out sessions and saved.\n\n"
        "Options:\n"
        "  -o, --output MODEL     model file (default model.vqi)\n"
        "  -l, --label COL        label column (default resolution)\n"
        "      --classes LIST     valid classes (default " VQI_RESOLUTION_CLASSES "\n"
        "                         for 'resolution', else every positive value)\n"
        "  -m, --model KIND       gbt (gradient boosting, default) or rf (random forest)\n"
        "      --split KIND       session (default: grouped by --group), row, none\n"
        "  -g, --group COL        group column of the session split (default session_id;\n"
        "                         e.g. video_id to hold out whole videos)\n"
        "      --test-size X      share of sessions (or rows) held out (default 0.2)\n"
        "  -s, --seed N           seed of the split, folds and XGBoost (default 0)\n"
        "  -f, --features LIST    L3,L4,L7 (families by prefix), all, or column names\n"
        "                         (default all)\n"
        "  -d, --drop COLS        comma-separated columns not to use\n"
        "      --rounds N         boosting rounds (gbt, default 60)\n"
        "      --trees N          trees (rf, default 100)\n"
        "      --max-depth N      tree depth (gbt default 3; rf default 0 = unlimited)\n"
        "      --eta X            learning rate (gbt, default 0.5)\n"
        "  -t, --tune             random search over depth, rounds/trees, learning rate,\n"
        "                         subsample, colsample, min_child_weight, scored by\n"
        "                         grouped k-fold CV on the training sessions\n"
        "      --folds N          CV folds for --tune (default 5)\n"
        "      --candidates N     parameter sets tried by --tune (default 12)\n"
        "  -r, --report DIR       write metrics.json, report.md, confusion.png, roc.png,\n"
        "                         predictions.csv of the test split into DIR\n"
        "  -h, --help             this text\n\n"
        "The log (cleaning, split, scores) goes to stdout.  Exit status: 0 ok,\n"
        "1 training failed, 2 bad usage or unreadable input.\n");
}

typedef struct train_opts {
    const char *output, *label, *classes, *group, *features, *drop, *report;
    vqi_split_kind split;
    vqi_model_kind kind;
    double test_size;
    unsigned long long seed;
    int tune, folds, rounds, trees, max_depth;
    double eta;
    size_t candidates;
} train_opts;

static int parse_number(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, train_opts *o, int *first_data)
{
    enum { O_CLASSES = 256, O_SPLIT, O_TEST, O_ROUNDS, O_TREES, O_DEPTH, O_ETA, O_FOLDS,
           O_CAND };
    static const struct option longs[] = {
        {"output", required_argument, 0, 'o'},   {"label", required_argument, 0, 'l'},
        {"classes", required_argument, 0, O_CLASSES}, {"model", required_argument, 0, 'm'},
        {"split", required_argument, 0, O_SPLIT}, {"group", required_argument, 0, 'g'},
        {"test-size", required_argument, 0, O_TEST}, {"seed", required_argument, 0, 's'},
        {"features", required_argument, 0, 'f'}, {"drop", required_argument, 0, 'd'},
        {"rounds", required_argument, 0, O_ROUNDS}, {"trees", required_argument, 0, O_TREES},
        {"max-depth", required_argument, 0, O_DEPTH}, {"eta", required_argument, 0, O_ETA},
        {"tune", no_argument, 0, 't'}, {"folds", required_argument, 0, O_FOLDS},
        {"candidates", required_argument, 0, O_CAND}, {"report", required_argument, 0, 'r'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    *o = (train_opts){.output = "model.vqi", .label = "resolution", .group = "session_id",
                      .split = VQI_SPLIT_GROUP, .kind = VQI_MODEL_GBT, .test_size = 0.2,
                      .folds = 5, .rounds = -1, .trees = -1, .max_depth = -1, .eta = -1,
                      .candidates = 12};
    int c;
    double v;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:l:m:g:s:f:d:tr:h", longs, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'l': o->label = optarg; break;
        case O_CLASSES: o->classes = optarg; break;
        case 'g': o->group = optarg; break;
        case 'f': o->features = optarg; break;
        case 'd': o->drop = optarg; break;
        case 'r': o->report = optarg; break;
        case 't': o->tune = 1; break;
        case 'h': usage(stdout); return 1;
        case 'm':
            if (strcmp(optarg, "gbt") && strcmp(optarg, "rf"))
                return cli_usage_error("train", "--model must be gbt or rf, not '%s'", optarg);
            o->kind = strcmp(optarg, "rf") == 0 ? VQI_MODEL_RF : VQI_MODEL_GBT;
            break;
        case O_SPLIT:
            if (!strcmp(optarg, "session") || !strcmp(optarg, "group"))
                o->split = VQI_SPLIT_GROUP;
            else if (!strcmp(optarg, "row"))
                o->split = VQI_SPLIT_ROW;
            else if (!strcmp(optarg, "none"))
                o->split = VQI_SPLIT_NONE;
            else
                return cli_usage_error("train", "--split must be session, row or none");
            break;
        case O_TEST:
            if (parse_number(optarg, 1e-9, 1 - 1e-9, &o->test_size) < 0)
                return cli_usage_error("train", "--test-size must be between 0 and 1");
            break;
        case 's':
            if (parse_number(optarg, 0, 9e15, &v) < 0 || v != floor(v))
                return cli_usage_error("train", "--seed must be a non-negative integer");
            o->seed = (unsigned long long)v;
            break;
        case O_ROUNDS: case O_TREES: case O_DEPTH: case O_FOLDS: case O_CAND:
            if (parse_number(optarg, c == O_DEPTH ? 0 : 1, 100000, &v) < 0 || v != floor(v))
                return cli_usage_error("train", "%s needs a whole number", argv[optind - 1]);
            if (c == O_ROUNDS) o->rounds = (int)v;
            else if (c == O_TREES) o->trees = (int)v;
            else if (c == O_DEPTH) o->max_depth = (int)v;
            else if (c == O_CAND) o->candidates = (size_t)v;
            else if ((o->folds = (int)v) < 2 || o->folds > 64)
                return cli_usage_error("train", "--folds must be 2..64");
            break;
        case O_ETA:
            if (parse_number(optarg, 1e-6, 1, &o->eta) < 0)
                return cli_usage_error("train", "--eta must be in (0, 1]");
            break;
        default:
            return cli_usage_error("train", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("train", "no DATA file given");
    *first_data = optind;
    return 0;
}

/* Read and concatenate the DATA files. */
static vqi_table *read_all(char **files, int n, int *rc)
{
    vqi_err e = {0};
    vqi_table *all = NULL;
    for (int i = 0; i < n; i++) {
        vqi_table *t = vqi_table_read(files[i], &e);
        if (!t) {
            *rc = cli_error(files[i], &e);
            vqi_table_free(all);
            return NULL;
        }
        if (!all) {
            all = t;
            continue;
        }
        int ok = vqi_table_append(all, t, &e);
        vqi_table_free(t);
        if (ok < 0) {
            *rc = cli_error(files[i], &e);
            vqi_table_free(all);
            return NULL;
        }
    }
    return all;
}

/* Print each line of text with a prefix ("cleaning: ..."). */
static void print_lines(FILE *log, const char *prefix, const char *text)
{
    for (const char *p = text; p && *p;) {
        const char *e = strchr(p, '\n');
        fprintf(log, "%s%.*s\n", prefix, (int)(e ? e - p : (long)strlen(p)), p);
        p = e ? e + 1 : p + strlen(p);
    }
}

static void on_candidate(void *ctx, size_t i, size_t n, const vqi_tune_candidate *c)
{
    FILE *log = ctx;
    char b[256];
    vqi_progress_end();
    fprintf(log, "tune %2zu/%zu: CV accuracy %.4f +- %.4f, F1 macro %.4f  [%s]\n", i + 1, n,
            c->accuracy_mean, c->accuracy_std, c->f1_macro_mean,
            vqi_params_text(&c->params, b, sizeof b));
    fflush(log);
}

/* Score the model on the test rows: log the scores, add them to the
 * summary, write the report directory. */
static int evaluate(const vqi_model *m, const vqi_dataset *d, const vqi_table *t,
                    const size_t *te, size_t nte, const train_opts *o, const char *desc,
                    FILE *log, char **summary)
{
    vqi_err e = {0};
    vqi_evaluation ev;
    if (vqi_model_evaluate(m, d, te, nte, &ev, &e) < 0)
        return cli_error(NULL, &e);
    char scores[256];
    vqi_metrics_text(&ev.metrics, scores, sizeof scores);
    fprintf(log, "test: %s (%zu rows)\n", scores, nte);
    vqi_text_addf(summary, "test: %s on %zu held-out rows", scores, nte);
    int rc = 0;
    if (o->report) {
        if (vqi_eval_write_dir(o->report, m, &ev.metrics, t, ev.table_rows, nte, ev.y_true,
                               ev.proba, desc, &e) < 0)
            rc = cli_error(o->report, &e);
        else
            fprintf(log, "report: %s/{metrics.json,report.md,confusion.png,roc.png,"
                    "predictions.csv}\n", o->report);
    }
    vqi_evaluation_free(&ev);
    return rc;
}

int cmd_train(int argc, char **argv)
{
    train_opts o;
    int first = 0, rc = parse_args(argc, argv, &o, &first);
    if (rc)
        return rc == 1 ? VQI_EXIT_OK : rc;
    FILE *log = strcmp(o.output, "-") == 0 ? stderr : stdout;
    vqi_err e = {0};
    /* opened first: an unwritable output fails before minutes of training */
    vqi_out *out = vqi_out_open(o.output, &e);
    if (!out)
        return cli_error(o.output, &e);
    vqi_table *t = read_all(argv + first, argc - first, &rc);
    if (!t) {
        vqi_out_abort(out);
        return rc;
    }
    char desc[512];
    snprintf(desc, sizeof desc, "%s%s", argv[first], argc - first > 1 ? " and more" : "");
    fprintf(log, "data: %d file%s, %zu rows x %zu columns\n", argc - first,
            argc - first > 1 ? "s" : "", t->nrows, t->ncols);

    const char *classes = o.classes ? o.classes : vqi_default_classes(o.label);
    vqi_dataset_spec spec = {.label = o.label, .classes = classes, .features = o.features,
                             .drop = o.drop,
                             .group = o.split == VQI_SPLIT_GROUP || o.tune ? o.group : NULL};
    if (spec.group && vqi_table_find(t, spec.group) < 0 && o.split != VQI_SPLIT_GROUP)
        spec.group = NULL;   /* --tune without groups falls back to row folds */
    vqi_dataset *d = vqi_dataset_build(t, &spec, &e);
    vqi_model *m = NULL;
    size_t *tr = NULL, *te = NULL, ntr = 0, nte = 0;
    char *cleaning = NULL, *summary = NULL, b[256];
    if (!d || !(cleaning = vqi_cleaning_text(t, d, o.label, classes, o.group, &e))) {
        rc = cli_error(argv[first], &e);
        goto done;
    }
    print_lines(log, "cleaning: ", cleaning);
    if (vqi_split(d, o.split, o.test_size, o.seed, &tr, &ntr, &te, &nte, &e) < 0) {
        rc = cli_error(argv[first], &e);
        goto done;
    }
    vqi_split_describe(&summary, o.split, o.group, d->ngroups, o.test_size, o.seed, ntr, nte);
    fprintf(log, "%s", summary);

    vqi_params p;
    vqi_params_default(&p, o.kind, d->nfeat);
    p.seed = o.seed;
    vqi_params_override(&p, o.rounds, o.trees, o.max_depth, o.eta);
    if (o.tune) {
        vqi_tune_candidate best;
        fprintf(log, "tune: %zu candidates, %d-fold CV %s on the training rows\n", o.candidates,
                o.folds, d->group ? "grouped by session" : "by row");
        if (vqi_tune(d, tr, ntr, &p, o.folds, 1, o.candidates, on_candidate, log, &best,
                     &e) < 0) {
            rc = cli_error(argv[first], &e);
            goto done;
        }
        p = best.params;
        fprintf(log, "tune: winner CV accuracy %.4f +- %.4f [%s]\n", best.accuracy_mean,
                best.accuracy_std, vqi_params_text(&p, b, sizeof b));
        vqi_text_addf(&summary, "tuned: %d-fold CV accuracy %.4f +- %.4f, F1 macro %.4f",
                      o.folds, best.accuracy_mean, best.accuracy_std, best.f1_macro_mean);
    }
    fprintf(log, "model: %s on %zu rows, %zu features, classes %s\n",
            vqi_params_text(&p, b, sizeof b), ntr, d->nfeat,
            classes ? classes : "(from the data)");
    if (!(m = vqi_model_train(d, tr, ntr, &p, &e))) {
        rc = cli_error(argv[first], &e);
        goto done;
    }
    vqi_text_addf(&summary, "trained on %zu rows of %s", ntr, desc);
    vqi_model_set_text(&m->label, o.label, &e);
    vqi_model_set_text(&m->version, VQI_VERSION, &e);
    vqi_model_set_text(&m->cleaning, cleaning, &e);   /* report.md shows them */
    vqi_model_set_text(&m->summary, summary, &e);
    if (nte > 0 && (rc = evaluate(m, d, t, te, nte, &o, desc, log, &summary)) != 0)
        goto done;
    vqi_model_set_text(&m->cleaning, cleaning, &e);
    vqi_model_set_text(&m->summary, summary, &e);
    if (vqi_model_write(m, vqi_out_file(out), &e) < 0) {
        rc = cli_error(o.output, &e);
        goto done;   /* out aborted below */
    }
    vqi_out *committing = out;
    out = NULL;   /* commit frees it, also when failing */
    if (vqi_out_commit(committing, &e) < 0) {
        rc = cli_error(o.output, &e);
        goto done;
    }
    if (log == stdout)
        fprintf(log, "model saved: %s\n", o.output);
done:
    vqi_out_abort(out);
    free(cleaning);
    free(summary);
    free(tr);
    free(te);
    vqi_model_free(m);
    vqi_dataset_free(d);
    vqi_table_free(t);
    return rc;
}
