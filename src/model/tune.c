/* tune.c - hyper-parameter search: candidates drawn without repetition from
 * a fixed grid, each scored by (session-grouped) k-fold cross-validation on
 * the training rows only, so the test split never influences the choice.
 * The first candidate is always the base parameters, so tuning can only
 * keep or improve the cross-validated score of the defaults. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const int gbt_depth[] = {3, 4, 6, 8, 10};
static const int gbt_rounds[] = {50, 100, 200, 400};
static const double gbt_eta[] = {0.05, 0.1, 0.3};
static const double gbt_subsample[] = {0.7, 0.85, 1};
static const double gbt_colsample[] = {0.5, 0.75, 1};
static const double min_child[] = {1, 3, 5};

static const int rf_depth[] = {0, 8, 12, 16, 20};   /* 0: unlimited */
static const int rf_trees[] = {50, 100, 200};
static const double rf_subsample[] = {0.5, 0.632, 0.8};
static const double rf_colsample_factor[] = {0.5, 1, 2};   /* times sqrt(nfeat)/nfeat */

#define LEN(a) (sizeof(a) / sizeof *(a))

static size_t grid_size(vqi_model_kind kind)
{
    if (kind == VQI_MODEL_RF)
        return LEN(rf_depth) * LEN(rf_trees) * LEN(rf_subsample) * LEN(rf_colsample_factor) *
               LEN(min_child);
    return LEN(gbt_depth) * LEN(gbt_rounds) * LEN(gbt_eta) * LEN(gbt_subsample) *
           LEN(gbt_colsample) * LEN(min_child);
}

/* Grid point i (mixed-radix digits) applied on top of base. */
static vqi_params grid_point(const vqi_params *base, size_t nfeat, size_t i)
{
    vqi_params p = *base;
#define DIGIT(a) (a)[i % LEN(a)]; i /= LEN(a)
    if (base->kind == VQI_MODEL_RF) {
        p.max_depth = DIGIT(rf_depth);
        p.trees = DIGIT(rf_trees);
        p.subsample = DIGIT(rf_subsample);
        double f = DIGIT(rf_colsample_factor);
        p.min_child_weight = DIGIT(min_child);
        double c = nfeat ? f * sqrt((double)nfeat) / (double)nfeat : 0.1;
        p.colsample = c > 1 ? 1 : c;
    } else {
        p.max_depth = DIGIT(gbt_depth);
        p.rounds = DIGIT(gbt_rounds);
        p.eta = DIGIT(gbt_eta);
        p.subsample = DIGIT(gbt_subsample);
        p.colsample = DIGIT(gbt_colsample);
        p.min_child_weight = DIGIT(min_child);
    }
#undef DIGIT
    return p;
}

/* Mean accuracy / macro F1 of p over the folds. */
static int cross_validate(const vqi_dataset *d, const size_t *rows, size_t n, const int *fold,
                          int folds, const vqi_params *p, vqi_tune_candidate *out, vqi_err *err)
{
    size_t *tr = malloc(n * sizeof *tr), *te = malloc(n * sizeof *te);
    double acc[64], f1 = 0, acc_sum = 0;
    int rc = 0;
    if (!tr || !te || folds > 64) {
        rc = vqi_err_set(err, VQI_EXIT_FAIL, folds > 64 ? "at most 64 folds" : "out of memory");
        goto done;
    }
    for (int f = 0; f < folds && rc == 0; f++) {
        size_t ntr = 0, nte = 0;
        for (size_t i = 0; i < n; i++) {
            if (fold[i] == f)
                te[nte++] = rows[i];
            else
                tr[ntr++] = rows[i];
        }
        vqi_model *m = vqi_model_train(d, tr, ntr, p, err);
        if (!m) {
            rc = -1;
            break;
        }
        vqi_evaluation ev;
        rc = vqi_model_evaluate(m, d, te, nte, &ev, err);
        vqi_model_free(m);
        if (rc == 0) {
            acc[f] = ev.metrics.accuracy;
            acc_sum += ev.metrics.accuracy;
            f1 += ev.metrics.f1_macro;
            vqi_evaluation_free(&ev);
        }
    }
    if (rc == 0) {
        out->params = *p;
        out->accuracy_mean = acc_sum / folds;
        out->f1_macro_mean = f1 / folds;
        double ss = 0;
        for (int f = 0; f < folds; f++)
            ss += (acc[f] - out->accuracy_mean) * (acc[f] - out->accuracy_mean);
        out->accuracy_std = sqrt(ss / folds);
    }
done:
    free(tr);
    free(te);
    return rc;
}

int vqi_tune(const vqi_dataset *d, const size_t *rows, size_t n, const vqi_params *base,
             int folds, int grouped, size_t max_candidates, vqi_tune_report report,
             void *ctx, vqi_tune_candidate *best, vqi_err *err)
{
    size_t G = grid_size(base->kind);
    size_t total = max_candidates && max_candidates < G + 1 ? max_candidates : G + 1;
    int *fold = malloc((n ? n : 1) * sizeof *fold);
    size_t *order = malloc(G * sizeof *order);
    if (!fold || !order) {
        free(fold);
        free(order);
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    }
    int rc = vqi_kfold(d, rows, n, folds, grouped, base->seed, fold, err);
    for (size_t i = 0; i < G; i++)
        order[i] = i;
    uint64_t state = base->seed ^ 0x74756e65ull;   /* not the split's stream */
    vqi_rng_shuffle(&state, order, G);
    for (size_t i = 0; i < total && rc == 0; i++) {
        vqi_params p = i == 0 ? *base : grid_point(base, d->nfeat, order[i - 1]);
        vqi_tune_candidate c;
        rc = cross_validate(d, rows, n, fold, folds, &p, &c, err);
        if (rc < 0)
            break;
        if (i == 0 || c.accuracy_mean > best->accuracy_mean)
            *best = c;
        vqi_progress("tuning", (double)(i + 1), (double)total);
        if (report)
            report(ctx, i, total, &c);
    }
    vqi_progress_end();
    free(fold);
    free(order);
    return rc;
}
