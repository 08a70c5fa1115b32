/* booster.c - training and prediction through XGBoost's C API: gradient
 * boosted trees (multi:softprob, hist) or XGBoost's random-forest mode, the
 * model's feature matrix from a table, and feature importance by gain. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

#include "internal.h"

static void swallow_log(const char *msg) { (void)msg; }

/* XGBoost logs warnings to stderr by itself; the library must stay quiet. */
static void quiet_xgboost(void)
{
    static int done;
    if (!done) {
        XGBRegisterLogCallback(swallow_log);
        XGBSetGlobalConfig("{\"verbosity\": 0}");
        done = 1;
    }
}

static int xgb_fail(vqi_err *err, const char *what)
{
    return vqi_err_set(err, VQI_EXIT_FAIL, "XGBoost: %s: %s", what, XGBGetLastError());
}

const char *vqi_model_kind_name(vqi_model_kind kind)
{
    return kind == VQI_MODEL_RF ? "rf" : "gbt";
}

void vqi_params_default(vqi_params *p, vqi_model_kind kind, size_t nfeat)
{
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->nthread = 2;
    p->seed = 0;
    p->min_child_weight = 1;
    if (kind == VQI_MODEL_RF) {
        p->rounds = 1;
        p->trees = 100;
        p->max_depth = 0;          /* grown until min_child_weight stops them */
        p->eta = 1;
        p->subsample = 0.632;      /* the share of distinct rows in a bootstrap sample */
        p->colsample = nfeat ? sqrt((double)nfeat) / (double)nfeat : 0.1;
    } else {
        /* Shallow trees, fewer rounds, a larger step: on the generated
         * 40,000-row table (validation = held-out sessions of the training
         * part) 60 x depth 3 x eta 0.5 scored 0.846 in 7.3 s of CPU where
         * XGBoost's own defaults (100 x depth 6 x eta 0.3) took ~40 s
         * (docs/MODEL-TRAINING.md, benchmark).  The bundled model pins its
         * own recipe (scripts/build-default-model.sh). */
        p->rounds = 60;
        p->trees = 1;
        p->max_depth = 3;
        p->eta = 0.5;
        p->subsample = 1;
        p->colsample = 1;
    }
}

int vqi_model_set_text(char **field, const char *text, vqi_err *err)
{
    char *copy = strdup(text ? text : "");
    if (!copy)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    free(*field);
    *field = copy;
    return 0;
}

void vqi_model_free(vqi_model *m)
{
    if (!m)
        return;
    if (m->booster)
        XGBoosterFree(m->booster);
    for (size_t i = 0; i < m->nfeat && m->feature; i++)
        free(m->feature[i]);
    free(m->feature);
    free(m->classes);
    free(m->label);
    free(m->cleaning);
    free(m->summary);
    free(m->version);
    free(m);
}

static int set_param(BoosterHandle b, const char *name, const char *fmt, double v, vqi_err *err)
{
    char val[64];
    snprintf(val, sizeof val, fmt, v);
    if (XGBoosterSetParam(b, name, val) != 0)
        return xgb_fail(err, name);
    return 0;
}

/* Apply p to a booster (also used after loading, for nthread). */
static int apply_params(BoosterHandle b, const vqi_params *p, size_t nclasses, vqi_err *err)
{
    int rf = p->kind == VQI_MODEL_RF;
    if (XGBoosterSetParam(b, "objective", "multi:softprob") != 0 ||
        XGBoosterSetParam(b, "tree_method", "hist") != 0 ||
        XGBoosterSetParam(b, "verbosity", "0") != 0)
        return xgb_fail(err, "parameters");
    if (p->max_depth == 0 && XGBoosterSetParam(b, "grow_policy", "lossguide") != 0)
        return xgb_fail(err, "grow_policy");
    /* Unlimited-depth forest trees keep one gradient histogram (features x
     * bins) per open node: with XGBoost's 256 bins a 40,000 x 221 forest grew
     * past 5.8 GB.  64 bins: 3x less memory, 2.4x less time, held-out
     * accuracy within noise (0.7235 vs 0.7375 on 8,000 rows). */
    if (rf && XGBoosterSetParam(b, "max_bin", "64") != 0)
        return xgb_fail(err, "max_bin");
    if (set_param(b, "num_class", "%.0f", (double)nclasses, err) ||
        set_param(b, "nthread", "%.0f", (double)(p->nthread > 0 ? p->nthread : 2), err) ||
        set_param(b, "max_depth", "%.0f", (double)p->max_depth, err) ||
        set_param(b, "eta", "%.17g", p->eta, err) ||
        set_param(b, "subsample", "%.17g", p->subsample, err) ||
        set_param(b, rf ? "colsample_bynode" : "colsample_bytree", "%.17g", p->colsample, err) ||
        set_param(b, "min_child_weight", "%.17g", p->min_child_weight, err) ||
        set_param(b, "num_parallel_tree", "%.0f", (double)(p->trees > 0 ? p->trees : 1), err) ||
        set_param(b, "seed", "%.0f", (double)(p->seed % 2147483647u), err))
        return -1;
    return 0;
}

static char **copy_names(char *const *names, size_t n)
{
    char **out = calloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; out && i < n; i++)
        if (!(out[i] = strdup(names[i]))) {
            for (size_t j = 0; j < i; j++)
                free(out[j]);
            free(out);
            return NULL;
        }
    return out;
}

vqi_model *vqi_model_train(const vqi_dataset *d, const size_t *rows, size_t n,
                           const vqi_params *p, vqi_err *err)
{
    quiet_xgboost();
    if (!rows)
        n = d->nrows;
    if (n == 0 || d->nfeat == 0)
        return vqi_err_set(err, VQI_EXIT_FAIL, "nothing to train on (%zu rows, %zu features)",
                           n, d->nfeat), NULL;
    if (d->nclasses < 2)
        return vqi_err_set(err, VQI_EXIT_FAIL, "need at least two classes, have %zu",
                           d->nclasses), NULL;
    if (p->rounds < 1 || p->trees < 1 || p->max_depth < 0 || !(p->eta > 0) ||
        !(p->subsample > 0 && p->subsample <= 1) || !(p->colsample > 0 && p->colsample <= 1) ||
        !(p->min_child_weight >= 0))
        return vqi_err_set(err, VQI_EXIT_USAGE, "invalid model parameters"), NULL;

    vqi_model *m = calloc(1, sizeof *m);
    float *x = malloc(n * d->nfeat * sizeof *x), *y = malloc(n * sizeof *y);
    DMatrixHandle dm = NULL;
    if (!m || !x || !y)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        size_t r = rows ? rows[i] : i;
        memcpy(x + i * d->nfeat, d->x + r * d->nfeat, d->nfeat * sizeof *x);
        y[i] = (float)d->y[r];
    }
    m->params = *p;
    m->nfeat = d->nfeat;
    m->nclasses = d->nclasses;
    if (!(m->feature = copy_names(d->feature, d->nfeat)) ||
        !(m->classes = malloc(d->nclasses * sizeof *m->classes)))
        goto oom;
    memcpy(m->classes, d->classes, d->nclasses * sizeof *m->classes);

    if (XGDMatrixCreateFromMat(x, (bst_ulong)n, (bst_ulong)d->nfeat, NAN, &dm) != 0) {
        xgb_fail(err, "matrix");
        goto fail;
    }
    free(x);
    x = NULL;
    if (XGDMatrixSetFloatInfo(dm, "label", y, (bst_ulong)n) != 0 ||
        XGBoosterCreate(&dm, 1, &m->booster) != 0) {
        xgb_fail(err, "booster");
        goto fail;
    }
    if (apply_params(m->booster, p, d->nclasses, err) < 0)
        goto fail;
    for (int it = 0; it < p->rounds; it++) {
        if (XGBoosterUpdateOneIter(m->booster, it, dm) != 0) {
            xgb_fail(err, "training");
            goto fail;
        }
        vqi_progress("training", it + 1, p->rounds);
    }
    vqi_progress_end();
    XGDMatrixFree(dm);
    free(y);
    return m;
oom:
    vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
fail:
    vqi_progress_end();
    if (dm)
        XGDMatrixFree(dm);
    free(x);
    free(y);
    vqi_model_free(m);
    return NULL;
}

int vqi_model_predict(const vqi_model *m, const float *x, size_t nrows, double *proba,
                      vqi_err *err)
{
    quiet_xgboost();
    if (nrows == 0)
        return 0;
    DMatrixHandle dm;
    if (XGDMatrixCreateFromMat(x, (bst_ulong)nrows, (bst_ulong)m->nfeat, NAN, &dm) != 0)
        return xgb_fail(err, "matrix");
    const char *config = "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
                         "\"iteration_end\": 0, \"strict_shape\": false}";
    const bst_ulong *shape;
    bst_ulong dim;
    const float *out;
    int rc = 0;
    if (XGBoosterPredictFromDMatrix(m->booster, dm, config, &shape, &dim, &out) != 0)
        rc = xgb_fail(err, "prediction");
    else if (dim != 2 || shape[0] != nrows || shape[1] != m->nclasses)
        rc = vqi_err_set(err, VQI_EXIT_FAIL,
                         "XGBoost returned predictions of an unexpected shape (model file "
                         "and its class list disagree?)");
    else
        for (size_t i = 0; i < nrows * m->nclasses; i++)
            proba[i] = out[i];
    XGDMatrixFree(dm);
    return rc;
}

float *vqi_model_matrix(const vqi_model *m, const vqi_table *t, vqi_err *err)
{
    long *col = malloc((m->nfeat ? m->nfeat : 1) * sizeof *col);
    if (!col)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory"), NULL;
    char missing[400] = "";
    size_t nmissing = 0, used = 0;
    for (size_t j = 0; j < m->nfeat; j++) {
        col[j] = vqi_table_find(t, m->feature[j]);
        if (col[j] >= 0)
            continue;
        if (nmissing++ < 8) {
            int w = snprintf(missing + used, sizeof missing - used, "%s%s",
                             nmissing > 1 ? ", " : "", m->feature[j]);
            if (w > 0)
                used = used + (size_t)w < sizeof missing ? used + (size_t)w : sizeof missing - 1;
        }
    }
    if (nmissing) {
        free(col);
        return vqi_err_set(err, VQI_EXIT_USAGE,
                           "the model needs %zu column%s the data lacks: %s%s", nmissing,
                           nmissing > 1 ? "s" : "", missing, nmissing > 8 ? ", ..." : ""),
               NULL;
    }
    size_t n = t->nrows;
    size_t cells = n * m->nfeat;
    float *x = malloc((cells ? cells : 1) * sizeof *x);
    if (!x) {
        free(col);
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory"), NULL;
    }
    for (size_t j = 0; j < m->nfeat; j++) {
        const vqi_column *c = &t->cols[col[j]];
        for (size_t r = 0; r < n; r++)
            x[r * m->nfeat + j] = (float)vqi_cell_f64(c, r);
    }
    free(col);
    return x;
}

int vqi_model_predict_table(const vqi_model *m, const vqi_table *t, double *proba,
                            vqi_err *err)
{
    float *x = vqi_model_matrix(m, t, err);
    if (!x)
        return -1;
    int rc = vqi_model_predict(m, x, t->nrows, proba, err);
    free(x);
    return rc;
}

int vqi_model_importance(const vqi_model *m, double *gain, vqi_err *err)
{
    for (size_t j = 0; j < m->nfeat; j++)
        gain[j] = 0;
    bst_ulong nf, dim;
    const char **names;
    const bst_ulong *shape;
    const float *scores;
    if (XGBoosterFeatureScore(m->booster, "{\"importance_type\": \"total_gain\"}", &nf,
                              &names, &dim, &shape, &scores) != 0)
        return xgb_fail(err, "feature importance");
    /* Without feature names XGBoost calls the columns f0, f1, ... */
    for (bst_ulong i = 0; i < nf; i++) {
        char *end;
        if (names[i][0] != 'f')
            continue;
        unsigned long j = strtoul(names[i] + 1, &end, 10);
        if (*end == '\0' && j < m->nfeat)
            gain[j] = scores[i];
    }
    return 0;
}

/* For modelfile.c: a booster from XGBoost's own model bytes. */
int vqi_booster_load(vqi_model *m, const uint8_t *buf, size_t len, vqi_err *err)
{
    quiet_xgboost();
    BoosterHandle b;
    if (XGBoosterCreate(NULL, 0, &b) != 0)
        return xgb_fail(err, "booster");
    if (XGBoosterLoadModelFromBuffer(b, buf, (bst_ulong)len) != 0) {
        vqi_err_set(err, VQI_EXIT_USAGE, "not a valid XGBoost model: %s", XGBGetLastError());
        XGBoosterFree(b);
        return -1;
    }
    bst_ulong nf = 0;
    if (XGBoosterGetNumFeature(b, &nf) != 0 || nf != m->nfeat) {
        vqi_err_set(err, VQI_EXIT_USAGE, "the XGBoost model uses %llu features, the header "
                    "lists %zu", (unsigned long long)nf, m->nfeat);
        XGBoosterFree(b);
        return -1;
    }
    char nthread[16];
    snprintf(nthread, sizeof nthread, "%d", m->params.nthread > 0 ? m->params.nthread : 2);
    XGBoosterSetParam(b, "nthread", nthread);
    m->booster = b;
    return 0;
}

int vqi_booster_bytes(const vqi_model *m, const char **bytes, size_t *len, vqi_err *err)
{
    bst_ulong n;
    if (XGBoosterSaveModelToBuffer(m->booster, "{\"format\": \"ubj\"}", &n, bytes) != 0)
        return xgb_fail(err, "saving the model");
    *len = (size_t)n;
    return 0;
}
