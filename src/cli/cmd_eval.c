/* cmd_eval.c - 'vqi eval': score a saved model on labelled data: accuracy,
 * F1, per-class precision/recall, confusion matrix, ROC AUC; optionally the
 * predictions CSV and a report directory with figures. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../table/table.h"
#include "../util/output.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: vqi eval MODEL DATA... [OPTIONS]\n\n"
        "Evaluate a model saved by 'vqi train' on labelled window features (pickle or\n"
        "CSV; several DATA are concatenated).  Rows whose label is missing or not one\n"
        "of the model's classes are predicted but not scored.  Metrics are computed\n"
        "as scikit-learn does (one-vs-rest ROC AUC, macro and micro).\n\n"
        "Options:\n"
        "  -p, --predictions OUT.csv  one row per window: session_id, relative_timestamp,\n"
        "                             absolute_timestamp, true, predicted, p_<class>...\n"
        "  -r, --report DIR           metrics.json, report.md, confusion.png, roc.png,\n"
        "                             predictions.csv (scored rows) in DIR\n"
        "  -h, --help                 this text\n\n"
        "Exit status: 0 ok, 1 evaluation failed (e.g. no labelled row), 2 bad usage,\n"
        "unreadable input or data lacking the model's columns.\n");
}

static vqi_table *read_all(char **files, int n, int *rc)
{
    vqi_err e = {0};
    vqi_table *all = NULL;
    for (int i = 0; i < n; i++) {
        vqi_table *t = vqi_table_read(files[i], &e);
        if (!t || (all && vqi_table_append(all, t, &e) < 0)) {
            *rc = cli_error(files[i], &e);
            vqi_table_free(t);
            vqi_table_free(all);
            return NULL;
        }
        if (!all)
            all = t;
        else
            vqi_table_free(t);
    }
    return all;
}

static void print_metrics(const vqi_model *m, const vqi_metrics *mt, size_t unscored)
{
    char b[32];
    printf("rows scored: %zu%s", mt->n, unscored ? "" : "\n");
    if (unscored)
        printf(" (%zu more without a valid label, not scored)\n", unscored);
    printf("accuracy:    %.4f\nF1 macro:    %.4f\nF1 weighted: %.4f\n"
           "ROC AUC:     macro %.4f, micro %.4f (one vs rest)\n\n",
           mt->accuracy, mt->f1_macro, mt->f1_weighted, mt->auc_macro, mt->auc_micro);
    printf("%8s %9s %9s %9s %8s %8s\n", "class", "precision", "recall", "F1", "support", "AUC");
    for (size_t c = 0; c < m->nclasses; c++)
        printf("%8s %9.4f %9.4f %9.4f %8zu %8.4f\n", vqi_class_text(m->classes[c], b, sizeof b),
               mt->precision[c], mt->recall[c], mt->f1[c], mt->support[c], mt->auc[c]);
    printf("\nconfusion matrix (rows true, columns predicted):\n%8s", "");
    for (size_t c = 0; c < m->nclasses; c++)
        printf(" %7s", vqi_class_text(m->classes[c], b, sizeof b));
    putchar('\n');
    for (size_t i = 0; i < m->nclasses; i++) {
        printf("%8s", vqi_class_text(m->classes[i], b, sizeof b));
        for (size_t j = 0; j < m->nclasses; j++)
            printf(" %7zu", mt->confusion[i * m->nclasses + j]);
        putchar('\n');
    }
}

static int write_predictions(const char *path, const vqi_table *t, const vqi_model *m,
                             const int *y, const double *proba)
{
    vqi_err e = {0};
    size_t *rows = malloc((t->nrows ? t->nrows : 1) * sizeof *rows);
    if (!rows)
        return cli_error(path, &(vqi_err){"out of memory", VQI_EXIT_FAIL});
    for (size_t i = 0; i < t->nrows; i++)
        rows[i] = i;
    vqi_out *o = vqi_out_open(path, &e);
    int rc = 0;
    if (!o)
        rc = cli_error(path, &e);
    else if (vqi_predictions_write_csv(t, rows, t->nrows, m, y, proba, vqi_out_file(o)) < 0) {
        vqi_out_abort(o);
        rc = cli_error(path, &(vqi_err){"write error", VQI_EXIT_FAIL});
    } else if (vqi_out_commit(o, &e) < 0)
        rc = cli_error(path, &e);
    free(rows);
    return rc;
}

int cmd_eval(int argc, char **argv)
{
    static const struct option longs[] = {{"predictions", required_argument, 0, 'p'},
                                          {"report", required_argument, 0, 'r'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    const char *pred_path = NULL, *report = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "p:r:h", longs, NULL)) != -1) {
        switch (c) {
        case 'p': pred_path = optarg; break;
        case 'r': report = optarg; break;
        case 'h': usage(stdout); return VQI_EXIT_OK;
        default: return cli_usage_error("eval", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind < 2)
        return cli_usage_error("eval", "need a MODEL and at least one DATA file");
    const char *model_path = argv[optind];
    vqi_err e = {0};
    vqi_model *m = vqi_model_load(model_path, &e);
    if (!m)
        return cli_error(model_path, &e);
    int rc = 0;
    vqi_table *t = read_all(argv + optind + 1, argc - optind - 1, &rc);
    double *proba = NULL, *sp = NULL;
    int *y = NULL, *sy = NULL;
    size_t *rows = NULL;
    if (!t)
        goto done;
    const char *data = argv[optind + 1];
    long lc = vqi_table_find(t, m->label);
    if (lc < 0) {
        vqi_err_set(&e, VQI_EXIT_USAGE, "no label column '%s' to evaluate against", m->label);
        rc = cli_error(data, &e);
        goto done;
    }
    size_t n = t->nrows, k = m->nclasses;
    proba = malloc((n ? n : 1) * k * sizeof *proba);
    y = malloc((n ? n : 1) * sizeof *y);
    sp = malloc((n ? n : 1) * k * sizeof *sp);
    sy = malloc((n ? n : 1) * sizeof *sy);
    rows = malloc((n ? n : 1) * sizeof *rows);
    if (!proba || !y || !sp || !sy || !rows) {
        rc = cli_error(NULL, &(vqi_err){"out of memory", VQI_EXIT_FAIL});
        goto done;
    }
    if (vqi_model_predict_table(m, t, proba, &e) < 0) {
        rc = cli_error(data, &e);
        goto done;
    }
    size_t scored = 0;
    for (size_t i = 0; i < n; i++) {
        y[i] = vqi_class_index(m->classes, k, vqi_cell_f64(&t->cols[lc], i));
        if (y[i] < 0)
            continue;
        memcpy(sp + scored * k, proba + i * k, k * sizeof *sp);
        sy[scored] = y[i];
        rows[scored++] = i;
    }
    if (pred_path && (rc = write_predictions(pred_path, t, m, y, proba)) != 0)
        goto done;
    vqi_metrics mt;
    if (scored == 0) {
        vqi_err_set(&e, VQI_EXIT_FAIL, "no row has a valid '%s' label to score", m->label);
        rc = cli_error(data, &e);
        goto done;
    }
    if (vqi_metrics_compute(sy, sp, scored, k, &mt, &e) < 0) {
        rc = cli_error(data, &e);
        goto done;
    }
    print_metrics(m, &mt, n - scored);
    if (report && vqi_eval_write_dir(report, m, &mt, t, rows, scored, sy, sp, data, &e) < 0)
        rc = cli_error(report, &e);
    vqi_metrics_free(&mt);
done:
    free(proba);
    free(y);
    free(sp);
    free(sy);
    free(rows);
    vqi_table_free(t);
    vqi_model_free(m);
    return rc;
}
