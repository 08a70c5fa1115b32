/* metrics.c - classification metrics computed the way scikit-learn 1.2 does,
 * so that vqi's numbers can be checked against it to the last digits:
 * accuracy, precision/recall/F1 (zero_division 0), macro/weighted F1 over the
 * labels present, confusion matrix, one-vs-rest ROC curves and AUC with
 * roc_curve's grouping of tied scores and its drop_intermediate rule. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int vqi_argmax(const double *p, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (p[i] > p[best])
            best = i;
    return (int)best;
}

/* ---------------------------------------------------------------- ROC */

typedef struct scored {
    double score;
    uint8_t pos;
} scored;

static int by_score_desc(const void *a, const void *b)
{
    double x = ((const scored *)a)->score, y = ((const scored *)b)->score;
    return (x < y) - (x > y);
}

/* sklearn's _binary_clf_curve: cumulative true/false positives at each
 * distinct score, highest first (ties form one threshold).  Returns the
 * number of thresholds; tps/fps are malloc'd. */
static long clf_curve(const uint8_t *pos, const double *score, size_t stride, size_t n,
                      double **tps_out, double **fps_out)
{
    scored *s = malloc((n ? n : 1) * sizeof *s);
    double *tps = malloc((n + 1) * sizeof *tps), *fps = malloc((n + 1) * sizeof *fps);
    if (!s || !tps || !fps) {
        free(s);
        free(tps);
        free(fps);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        s[i].score = score[i * stride];
        s[i].pos = pos[i] != 0;
    }
    qsort(s, n, sizeof *s, by_score_desc);
    size_t k = 0;
    double tp = 0;
    for (size_t i = 0; i < n; i++) {
        tp += s[i].pos;
        if (i + 1 == n || s[i + 1].score != s[i].score) {
            tps[k] = tp;
            fps[k] = (double)(i + 1) - tp;
            k++;
        }
    }
    free(s);
    *tps_out = tps;
    *fps_out = fps;
    return (long)k;
}

/* The (fpr, tpr) points of roc_curve(drop_intermediate=True), (0,0) first. */
static long roc_points(const uint8_t *pos, const double *score, size_t stride, size_t n,
                       double **fpr_out, double **tpr_out)
{
    double *tps, *fps;
    long k = clf_curve(pos, score, stride, n, &tps, &fps);
    if (k < 0)
        return -1;
    double *fpr = malloc((size_t)(k + 1) * sizeof *fpr);
    double *tpr = malloc((size_t)(k + 1) * sizeof *tpr);
    if (!fpr || !tpr) {
        free(fpr);
        free(tpr);
        free(tps);
        free(fps);
        return -1;
    }
    double P = k ? tps[k - 1] : 0, N = k ? fps[k - 1] : 0;
    long m = 0;
    fpr[m] = 0;
    tpr[m] = 0;
    m++;
    for (long i = 0; i < k; i++) {
        /* A point strictly inside a straight run (second differences of both
         * fps and tps zero) adds nothing: sklearn drops it. */
        if (k > 2 && i > 0 && i < k - 1) {
            double dfp = fps[i + 1] - 2 * fps[i] + fps[i - 1];
            double dtp = tps[i + 1] - 2 * tps[i] + tps[i - 1];
            if (dfp == 0 && dtp == 0)
                continue;
        }
        fpr[m] = fps[i] / N;
        tpr[m] = tps[i] / P;
        m++;
    }
    free(tps);
    free(fps);
    *fpr_out = fpr;
    *tpr_out = tpr;
    return m;
}

static int both_classes(const uint8_t *pos, size_t n)
{
    size_t p = 0;
    for (size_t i = 0; i < n; i++)
        p += pos[i] != 0;
    return p > 0 && p < n;
}

int vqi_roc_curve(const uint8_t *pos, const double *score, size_t stride, size_t n,
                  double **fpr, double **tpr, size_t *npts, vqi_err *err)
{
    if (!both_classes(pos, n))
        return vqi_err_set(err, VQI_EXIT_FAIL,
                           "ROC curve undefined: only one class present in the labels");
    long m = roc_points(pos, score, stride, n, fpr, tpr);
    if (m < 0)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    *npts = (size_t)m;
    return 0;
}

double vqi_roc_auc(const uint8_t *pos, const double *score, size_t stride, size_t n)
{
    if (!both_classes(pos, n))
        return NAN;
    double *fpr, *tpr;
    long m = roc_points(pos, score, stride, n, &fpr, &tpr);
    if (m < 0)
        return NAN;
    double area = 0;   /* np.trapz(tpr, fpr) */
    for (long i = 1; i < m; i++)
        area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2.0;
    free(fpr);
    free(tpr);
    return area;
}

/* ------------------------------------------------------------ metrics */

void vqi_metrics_free(vqi_metrics *m)
{
    if (!m)
        return;
    free(m->precision);
    free(m->recall);
    free(m->f1);
    free(m->support);
    free(m->present);
    free(m->confusion);
    free(m->auc);
    memset(m, 0, sizeof *m);
}

static int per_class_auc(const int *y_true, const double *proba, size_t n, size_t k,
                         vqi_metrics *m)
{
    uint8_t *pos = malloc(n * k);
    if (!pos)
        return -1;
    double sum = 0;
    size_t defined = 0;
    for (size_t c = 0; c < k; c++) {
        for (size_t i = 0; i < n; i++)
            pos[i] = y_true[i] == (int)c;
        m->auc[c] = vqi_roc_auc(pos, proba + c, k, n);
        if (!isnan(m->auc[c])) {
            sum += m->auc[c];
            defined++;
        }
    }
    /* sklearn refuses the macro average when a class is absent from y_true;
     * vqi averages the classes where it is defined (NaN when none is). */
    m->auc_macro = defined ? sum / (double)defined : NAN;
    /* micro: label_binarize(y_true).ravel() against proba.ravel() */
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < k; c++)
            pos[i * k + c] = y_true[i] == (int)c;
    m->auc_micro = vqi_roc_auc(pos, proba, 1, n * k);
    free(pos);
    return 0;
}

int vqi_metrics_compute(const int *y_true, const double *proba, size_t n, size_t k,
                        vqi_metrics *m, vqi_err *err)
{
    memset(m, 0, sizeof *m);
    if (n == 0 || k == 0)
        return vqi_err_set(err, VQI_EXIT_FAIL, "no rows to evaluate");
    for (size_t i = 0; i < n; i++)
        if (y_true[i] < 0 || (size_t)y_true[i] >= k)
            return vqi_err_set(err, VQI_EXIT_FAIL, "row %zu: true class out of range", i);
    m->n = n;
    m->nclasses = k;
    m->precision = calloc(k, sizeof(double));
    m->recall = calloc(k, sizeof(double));
    m->f1 = calloc(k, sizeof(double));
    m->auc = calloc(k, sizeof(double));
    m->support = calloc(k, sizeof(size_t));
    m->present = calloc(k, 1);
    m->confusion = calloc(k * k, sizeof(size_t));
    if (!m->precision || !m->recall || !m->f1 || !m->auc || !m->support || !m->present ||
        !m->confusion) {
        vqi_metrics_free(m);
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    }
    size_t correct = 0;
    for (size_t i = 0; i < n; i++) {
        int p = vqi_argmax(proba + i * k, k);
        m->confusion[(size_t)y_true[i] * k + (size_t)p]++;
        correct += p == y_true[i];
        m->present[y_true[i]] = m->present[p] = 1;
    }
    m->accuracy = (double)correct / (double)n;

    double f1_sum = 0, f1_weighted = 0, support_sum = 0;
    size_t npresent = 0;
    for (size_t c = 0; c < k; c++) {
        size_t tp = m->confusion[c * k + c], pred = 0, truth = 0;
        for (size_t j = 0; j < k; j++) {
            pred += m->confusion[j * k + c];
            truth += m->confusion[c * k + j];
        }
        m->support[c] = truth;
        double p = pred ? (double)tp / (double)pred : 0.0;
        double r = truth ? (double)tp / (double)truth : 0.0;
        double denom = p + r;
        m->precision[c] = p;
        m->recall[c] = r;
        m->f1[c] = denom == 0.0 ? 0.0 : 2.0 * p * r / denom;
        if (m->present[c]) {
            f1_sum += m->f1[c];
            f1_weighted += m->f1[c] * (double)truth;
            support_sum += (double)truth;
            npresent++;
        }
    }
    m->f1_macro = f1_sum / (double)npresent;
    m->f1_weighted = support_sum > 0 ? f1_weighted / support_sum : 0.0;
    if (per_class_auc(y_true, proba, n, k, m) < 0) {
        vqi_metrics_free(m);
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    }
    return 0;
}
