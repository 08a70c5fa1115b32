/* evaldir.c - the report directory of 'vqi train --report' and 'vqi eval
 * --report': the machine-readable metrics, the readable report, the two
 * figures and the predictions they were computed from, each file written
 * whole or not at all. */
#include "model.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../plot/plot.h"
#include "../util/output.h"

static int dir_path(char *buf, size_t size, const char *dir, const char *name, vqi_err *err)
{
    if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
        return vqi_err_set(err, VQI_EXIT_USAGE, "report directory name too long");
    return 0;
}

typedef int (*writer)(FILE *f, const void *ctx);

static int write_file(const char *dir, const char *name, writer w, const void *ctx,
                      vqi_err *err)
{
    char path[4096];
    if (dir_path(path, sizeof path, dir, name, err) < 0)
        return -1;
    vqi_out *o = vqi_out_open(path, err);
    if (!o)
        return -1;
    if (w(vqi_out_file(o), ctx) < 0) {
        vqi_out_abort(o);
        return vqi_err_set(err, VQI_EXIT_FAIL, "%s: write error", path);
    }
    return vqi_out_commit(o, err);
}

typedef struct eval_ctx {
    const vqi_model *m;
    const vqi_metrics *mt;
    const vqi_table *t;
    const size_t *rows;
    size_t n;
    const int *y;
    const double *proba;
    const double *gain;
    const char *desc;
} eval_ctx;

static int w_json(FILE *f, const void *p)
{
    const eval_ctx *c = p;
    return vqi_metrics_write_json(c->mt, c->m->classes, f);
}

static int w_md(FILE *f, const void *p)
{
    const eval_ctx *c = p;
    return vqi_report_write_md(c->m, c->mt, c->gain, c->desc, f);
}

static int w_pred(FILE *f, const void *p)
{
    const eval_ctx *c = p;
    return vqi_predictions_write_csv(c->t, c->rows, c->n, c->m, c->y, c->proba, f);
}

static int roc_figure(const char *path, const vqi_model *m, const int *y, const double *proba,
                      size_t n, vqi_err *err)
{
    size_t k = m->nclasses, nc = 0;
    vqi_plot_curve *cv = calloc(k, sizeof *cv);
    char (*label)[64] = calloc(k, sizeof *label);
    uint8_t *pos = malloc(n ? n : 1);
    int rc = 0;
    if (!cv || !label || !pos)
        rc = vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    for (size_t c = 0; c < k && rc == 0; c++) {
        for (size_t i = 0; i < n; i++)
            pos[i] = y[i] == (int)c;
        double *fpr, *tpr;
        size_t np;
        vqi_err ignore;
        if (vqi_roc_curve(pos, proba + c, k, n, &fpr, &tpr, &np, &ignore) < 0)
            continue;   /* class absent from the truth: no curve */
        char b[32];
        snprintf(label[nc], sizeof label[nc], "%sp  AUC %.3f",
                 vqi_class_text(m->classes[c], b, sizeof b), vqi_roc_auc(pos, proba + c, k, n));
        cv[nc] = (vqi_plot_curve){label[nc], fpr, tpr, np};
        nc++;
    }
    if (rc == 0 && nc > 0)
        rc = vqi_plot_roc(path, "ROC curves, one class vs the rest", cv, nc, err);
    for (size_t c = 0; c < nc; c++) {
        free((double *)cv[c].x);
        free((double *)cv[c].y);
    }
    free(cv);
    free(label);
    free(pos);
    return rc;
}

int vqi_eval_write_dir(const char *dir, const vqi_model *m, const vqi_metrics *mt,
                       const vqi_table *t, const size_t *rows, size_t n, const int *y_true,
                       const double *proba, const char *data_desc, vqi_err *err)
{
    if (mkdir(dir, 0777) < 0 && errno != EEXIST)
        return vqi_err_set(err, VQI_EXIT_FAIL, "cannot create directory %s: %s", dir,
                           strerror(errno));
    double *gain = malloc((m->nfeat ? m->nfeat : 1) * sizeof *gain);
    if (!gain)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    if (vqi_model_importance(m, gain, err) < 0) {
        free(gain);
        return -1;
    }
    eval_ctx c = {m, mt, t, rows, n, y_true, proba, gain, data_desc};
    char path[4096];
    size_t k = m->nclasses;
    char (*text)[32] = calloc(k, sizeof *text);
    const char **labels = calloc(k, sizeof *labels);
    int rc = !text || !labels ? vqi_err_set(err, VQI_EXIT_FAIL, "out of memory") : 0;
    for (size_t i = 0; rc == 0 && i < k; i++)
        labels[i] = vqi_class_text(m->classes[i], text[i], sizeof text[i]);
    if (rc == 0)
        rc = write_file(dir, "metrics.json", w_json, &c, err);
    if (rc == 0)
        rc = write_file(dir, "report.md", w_md, &c, err);
    if (rc == 0)
        rc = write_file(dir, "predictions.csv", w_pred, &c, err);
    if (rc == 0 && (rc = dir_path(path, sizeof path, dir, "confusion.png", err)) == 0)
        rc = vqi_plot_confusion(path, "Confusion matrix (rows: true class)", mt->confusion,
                                labels, k, err);
    if (rc == 0 && (rc = dir_path(path, sizeof path, dir, "roc.png", err)) == 0)
        rc = roc_figure(path, m, y_true, proba, n, err);
    free(text);
    free(labels);
    free(gain);
    return rc;
}
