/* stream.c - predictions one window row at a time (vqi monitor).  Each row
 * is turned into a one-row table by the window stage's own table builder and
 * predicted through vqi_model_predict_table, so a live window gets exactly
 * the prediction it would get in `vqi predict` on the same capture. */
#include "predict.h"

#include <stdlib.h>
#include <string.h>

struct vqi_predictor {
    const vqi_model *m;
    vqi_window_config cfg;
};

int vqi_predictor_check(const vqi_model *m, const vqi_window_config *cfg, vqi_err *err)
{
    size_t ncols = vqi_window_ncols(cfg);
    for (size_t f = 0; f < m->nfeat; f++) {
        size_t i = 0;
        while (i < ncols && strcmp(vqi_window_col_name(i), m->feature[f]) != 0)
            i++;
        if (i == ncols)
            return vqi_err_set(err, VQI_EXIT_USAGE,
                               "the model uses column '%s', which windows do not have",
                               m->feature[f]);
    }
    return 0;
}

vqi_predictor *vqi_predictor_new(const vqi_model *m, const vqi_window_config *cfg,
                                 vqi_err *err)
{
    if (m->nclasses == 0)
        return vqi_err_set(err, VQI_EXIT_USAGE, "the model has no classes"), NULL;
    if (vqi_predictor_check(m, cfg, err) < 0)
        return NULL;
    vqi_predictor *pr = calloc(1, sizeof *pr);
    if (!pr)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory"), NULL;
    pr->m = m;
    pr->cfg = *cfg;
    return pr;
}

void vqi_predictor_free(vqi_predictor *pr)
{
    free(pr);
}

int vqi_predictor_row(vqi_predictor *pr, const vqi_window_row *r, double *proba, vqi_err *err)
{
    /* one window every few seconds per session: a fresh small table is cheap */
    vqi_table *t = vqi_table_new();
    if (!t)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    int rc = -1;
    if (vqi_window_table_add(t, &pr->cfg, r, err) == 0 &&
        vqi_model_predict_table(pr->m, t, proba, err) == 0)
        rc = vqi_argmax(proba, pr->m->nclasses);
    vqi_table_free(t);
    return rc;
}
