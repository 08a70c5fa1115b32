/* test_model.c - the model stage: metrics against scikit-learn's values on
 * tiny hand-checkable cases (ties in ROC included), splits (no session on
 * both sides, reproducible), grouped folds, dataset building (families,
 * --drop, metadata never a feature, invalid labels dropped), training on a
 * separable synthetic table, and the model file round trip (identical
 * predictions; missing column and corrupt files give clear errors). */
#include "check.h"
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "model/model.h"

/* ------------------------------------------------------------- metrics */

static void test_binary_roc(void)
{
    /* scores 0.8(+) 0.5(+) 0.5(-) 0.2(-): the tie is one threshold, so the
     * curve goes (0,0) (0,.5) (.5,1) (1,1); area 0.375 + 0.5 = 0.875, the
     * Mann-Whitney count 3.5/4 (tie = 1/2).  sklearn: 0.875, same points. */
    uint8_t pos[4] = {1, 0, 1, 0};
    double s[4] = {0.5, 0.5, 0.8, 0.2};
    CHECK_NEAR(vqi_roc_auc(pos, s, 1, 4), 0.875, 1e-15, "binary AUC with a tie");
    double *fpr, *tpr;
    size_t n = 0;
    vqi_err e = {0};
    CHECK(vqi_roc_curve(pos, s, 1, 4, &fpr, &tpr, &n, &e) == 0, "roc curve");
    CHECK_INT(n, 4, "roc points");
    if (n == 4) {
        CHECK(fpr[0] == 0 && fpr[1] == 0 && fpr[2] == 0.5 && fpr[3] == 1, "fpr 0 0 .5 1");
        CHECK(tpr[0] == 0 && tpr[1] == 0.5 && tpr[2] == 1 && tpr[3] == 1, "tpr 0 .5 1 1");
    }
    free(fpr);
    free(tpr);
    /* collinear points are dropped like roc_curve(drop_intermediate=True):
     * 4 positives above 4 negatives -> (0,0) (0,.25) (0,1) (1,1), as sklearn */
    uint8_t p2[8] = {1, 1, 1, 1, 0, 0, 0, 0};
    double s2[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    CHECK(vqi_roc_curve(p2, s2, 1, 8, &fpr, &tpr, &n, &e) == 0 && n == 4,
          "intermediate points dropped (%zu points)", n);
    free(fpr);
    free(tpr);
    CHECK_NEAR(vqi_roc_auc(p2, s2, 1, 8), 1.0, 0, "perfect ranking AUC 1");
    uint8_t one[3] = {1, 1, 1};
    CHECK(isnan(vqi_roc_auc(one, s2, 1, 3)), "AUC undefined with one class");
    /* all scores tied: a single threshold, the diagonal, AUC 0.5 */
    double flat[4] = {0.3, 0.3, 0.3, 0.3};
    CHECK_NEAR(vqi_roc_auc(pos, flat, 1, 4), 0.5, 1e-15, "all tied AUC 0.5");
}

static const int y3[8] = {0, 0, 0, 1, 1, 2, 2, 2};
static const double P3[24] = {0.6, 0.3, 0.1, 0.4, 0.4, 0.2, 0.2, 0.5, 0.3, 0.3, 0.4, 0.3,
                              0.5, 0.3, 0.2, 0.2, 0.2, 0.6, 0.1, 0.3, 0.6, 0.3, 0.4, 0.3};

static void test_multiclass(void)
{
    /* tests/fixtures/model/metrics_cases.py prints sklearn's values.  By hand:
     * argmax (first on the 0.4/0.4 tie) = 0 0 1 1 0 2 2 1, 5 of 8 right;
     * class 1: tp 1, predicted 3, true 2 -> P 1/3, R 1/2, F1 0.4. */
    vqi_metrics m;
    vqi_err e = {0};
    CHECK(vqi_metrics_compute(y3, P3, 8, 3, &m, &e) == 0, "metrics computed");
    CHECK_NEAR(m.accuracy, 0.625, 1e-15, "accuracy");
    CHECK_NEAR(m.f1_macro, 0.6222222222222222, 1e-15, "F1 macro");
    CHECK_NEAR(m.f1_weighted, 0.65, 1e-15, "F1 weighted");
    CHECK_NEAR(m.precision[1], 0.3333333333333333, 1e-15, "precision class 1");
    CHECK_NEAR(m.recall[1], 0.5, 1e-15, "recall class 1");
    CHECK_NEAR(m.f1[1], 0.4, 1e-15, "F1 class 1");
    CHECK_NEAR(m.f1[2], 0.8, 1e-15, "F1 class 2");
    CHECK(m.support[0] == 3 && m.support[1] == 2 && m.support[2] == 3, "support 3 2 3");
    static const size_t cm[9] = {2, 1, 0, 1, 1, 0, 0, 1, 2};
    CHECK(memcmp(m.confusion, cm, sizeof cm) == 0, "confusion [[2,1,0],[1,1,0],[0,1,2]]");
    CHECK_NEAR(m.auc[0], 0.7, 1e-15, "AUC class 0");
    CHECK_NEAR(m.auc[1], 0.5, 1e-15, "AUC class 1");
    CHECK_NEAR(m.auc[2], 0.9333333333333333, 1e-15, "AUC class 2");
    CHECK_NEAR(m.auc_macro, 0.7111111111111111, 1e-15, "AUC macro (ovr)");
    CHECK_NEAR(m.auc_micro, 0.75, 1e-15, "AUC micro");
    vqi_metrics_free(&m);

    /* a fourth class that never occurs (true or predicted) is not part of
     * sklearn's macro/weighted F1: same values, its per-class AUC undefined */
    double P4[32];
    for (int i = 0; i < 8; i++) {
        memcpy(P4 + 4 * i, P3 + 3 * i, 3 * sizeof(double));
        P4[4 * i + 3] = 0;
    }
    CHECK(vqi_metrics_compute(y3, P4, 8, 4, &m, &e) == 0, "metrics with an absent class");
    CHECK_NEAR(m.f1_macro, 0.6222222222222222, 1e-15, "absent class left out of F1 macro");
    CHECK(!m.present[3] && isnan(m.auc[3]), "absent class: not present, AUC undefined");
    CHECK_NEAR(m.auc_macro, 0.7111111111111111, 1e-15, "AUC macro over defined classes");
    vqi_metrics_free(&m);
    int bad[1] = {5};
    CHECK(vqi_metrics_compute(bad, P3, 1, 3, &m, &e) < 0, "out-of-range class refused");
}

/* ---------------------------------------------------- synthetic tables */

/* nsess sessions of 10 windows; class by session (as real labels are
 * mostly per session); L7_rate separates the classes, L3_noise does not;
 * every 7th row has resolution 0 (invalid), one row NaN. */
static vqi_table *synthetic(size_t nsess, uint64_t seed)
{
    static const double res[5] = {240, 360, 480, 720, 1080};
    vqi_table *t = vqi_table_new();
    vqi_column *sid = vqi_table_add(t, "session_id", VQI_COL_STR);
    (void)sid;
    vqi_table_add(t, "relative_timestamp", VQI_COL_I64);
    vqi_table_add(t, "L7_rate", VQI_COL_F64);
    vqi_table_add(t, "L3_noise", VQI_COL_F64);
    vqi_table_add(t, "L4_count", VQI_COL_I64);
    vqi_table_add(t, "video_id", VQI_COL_I64);
    vqi_table_add(t, "resolution", VQI_COL_F64);
    vqi_table_resize(t, nsess * 10);
    uint64_t s = seed * 2654435761u + 1;
    for (size_t r = 0; r < t->nrows; r++) {
        size_t sess = r / 10;
        int k = (int)(sess % 5);
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        double u = (double)(s >> 11) / 9007199254740992.0;
        char name[32];
        snprintf(name, sizeof name, "s%03zu", sess);
        t->cols[0].str[r] = strdup(name);
        t->cols[1].i64[r] = (int64_t)(10 * (r % 10 + 1));
        t->cols[2].f64[r] = 100.0 * (k + 1) + 30 * u;
        t->cols[3].f64[r] = u;
        t->cols[4].i64[r] = (int64_t)(r % 3);
        t->cols[5].i64[r] = (int64_t)(sess * 7 % 13);   /* an identifier: never a feature */
        t->cols[6].f64[r] = r % 7 == 3 ? 0.0 : res[k];
    }
    t->cols[6].f64[5] = NAN;
    return t;
}

static void test_dataset(void)
{
    vqi_table *t = synthetic(20, 1);
    vqi_err e = {0};
    vqi_dataset_spec spec = {.label = "resolution", .group = "session_id"};
    vqi_dataset *d = vqi_dataset_build(t, &spec, &e);
    CHECK(d != NULL, "dataset built (%s)", e.msg);
    if (!d)
        return;
    /* 200 rows, rows 3,10,17,... (29 of them) have label 0, row 5 is NaN */
    CHECK_INT(d->dropped_label, 29 + 1, "rows with invalid labels dropped");
    CHECK_INT(d->nrows, 200 - 30, "rows kept");
    CHECK_INT(d->nclasses, 5, "classes found");
    CHECK(d->classes[0] == 240 && d->classes[4] == 1080, "classes sorted 240..1080");
    CHECK_INT(d->nfeat, 3, "features: L7_rate L3_noise L4_count (not ids, time, label)");
    CHECK_STR(d->feature[0], "L7_rate", "first feature in table order");
    CHECK_INT(d->ngroups, 20, "20 sessions numbered");
    vqi_dataset_free(d);

    spec.features = "L3,L4";
    spec.drop = "L4_count";
    d = vqi_dataset_build(t, &spec, &e);
    CHECK(d && d->nfeat == 1 && strcmp(d->feature[0], "L3_noise") == 0,
          "families L3,L4 minus --drop L4_count = L3_noise");
    vqi_dataset_free(d);
    spec.features = "nope";
    spec.drop = NULL;
    d = vqi_dataset_build(t, &spec, &e);
    CHECK(!d && e.code == 2 && strstr(e.msg, "nope"), "unknown feature named: %s", e.msg);
    spec.features = NULL;
    spec.classes = "480,720";
    d = vqi_dataset_build(t, &spec, &e);
    CHECK(d && d->nclasses == 2 && d->nrows < 100, "--classes keeps only those rows");
    vqi_dataset_free(d);
    spec.classes = NULL;
    spec.label = "quality";
    CHECK(!vqi_dataset_build(t, &spec, &e) && strstr(e.msg, "quality"), "missing label named");
    vqi_table_free(t);
}

static void test_splits(void)
{
    vqi_table *t = synthetic(30, 2);
    vqi_err e = {0};
    vqi_dataset_spec spec = {.label = "resolution", .group = "session_id"};
    vqi_dataset *d = vqi_dataset_build(t, &spec, &e);
    size_t *tr, *te, ntr, nte, *tr2, *te2, ntr2, nte2;
    CHECK(vqi_split(d, VQI_SPLIT_GROUP, 0.2, 7, &tr, &ntr, &te, &nte, &e) == 0, "group split");
    CHECK_INT(ntr + nte, d->nrows, "every row on one side");
    uint8_t side[30] = {0};   /* bit 1 train, bit 2 test */
    for (size_t i = 0; i < ntr; i++)
        side[d->group[tr[i]]] |= 1;
    for (size_t i = 0; i < nte; i++)
        side[d->group[te[i]]] |= 2;
    int both = 0, test_groups = 0;
    for (int g = 0; g < 30; g++) {
        both += side[g] == 3;
        test_groups += side[g] == 2;
    }
    CHECK_INT(both, 0, "no session on both sides");
    CHECK_INT(test_groups, 6, "ceil(0.2 x 30) = 6 test sessions");
    CHECK(vqi_split(d, VQI_SPLIT_GROUP, 0.2, 7, &tr2, &ntr2, &te2, &nte2, &e) == 0 &&
              nte2 == nte && memcmp(te, te2, nte * sizeof *te) == 0,
          "same seed, same split");
    free(tr2);
    free(te2);
    CHECK(vqi_split(d, VQI_SPLIT_GROUP, 0.2, 8, &tr2, &ntr2, &te2, &nte2, &e) == 0 &&
              (nte2 != nte || memcmp(te, te2, nte * sizeof *te) != 0),
          "another seed, another split");
    free(tr2);
    free(te2);
    free(tr);
    free(te);
    CHECK(vqi_split(d, VQI_SPLIT_ROW, 0.25, 1, &tr, &ntr, &te, &nte, &e) == 0 &&
              nte == (d->nrows * 25 + 99) / 100,
          "row split holds out ceil(0.25 n) = %zu rows", nte);
    free(tr);
    free(te);
    CHECK(vqi_split(d, VQI_SPLIT_NONE, 0.2, 1, &tr, &ntr, &te, &nte, &e) == 0 &&
              ntr == d->nrows && nte == 0, "no split: all rows train");
    free(tr);
    free(te);
    CHECK(vqi_split(d, VQI_SPLIT_ROW, 1.5, 1, &tr, &ntr, &te, &nte, &e) < 0 && e.code == 2,
          "test size out of range refused");

    /* grouped 5-fold: each session in exactly one fold, folds balanced */
    size_t *rows = malloc(d->nrows * sizeof *rows);
    int *fold = malloc(d->nrows * sizeof *fold);
    for (size_t i = 0; i < d->nrows; i++)
        rows[i] = i;
    CHECK(vqi_kfold(d, rows, d->nrows, 5, 1, 3, fold, &e) == 0, "grouped k-fold");
    int gfold[30], split_group = 0;
    size_t count[5] = {0};
    for (int g = 0; g < 30; g++)
        gfold[g] = -1;
    for (size_t i = 0; i < d->nrows; i++) {
        size_t g = d->group[i];
        if (gfold[g] >= 0 && gfold[g] != fold[i])
            split_group = 1;
        gfold[g] = fold[i];
        count[fold[i]]++;
    }
    CHECK(!split_group, "no session spread over two folds");
    size_t lo = count[0], hi = count[0];
    for (int f = 1; f < 5; f++) {
        lo = count[f] < lo ? count[f] : lo;
        hi = count[f] > hi ? count[f] : hi;
    }
    CHECK(lo > 0 && hi - lo <= 10, "folds balanced (%zu..%zu rows)", lo, hi);
    free(rows);
    free(fold);
    vqi_dataset_free(d);
    vqi_table_free(t);
}

/* ------------------------------------------------- training, model file */

static double accuracy_on(const vqi_model *m, const vqi_dataset *d, const size_t *rows,
                          size_t n, double *proba_out)
{
    float *x = malloc(n * d->nfeat * sizeof *x);
    double *p = proba_out ? proba_out : malloc(n * d->nclasses * sizeof *p);
    int *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        memcpy(x + i * d->nfeat, d->x + rows[i] * d->nfeat, d->nfeat * sizeof *x);
        y[i] = d->y[rows[i]];
    }
    vqi_err e = {0};
    vqi_metrics mt;
    double acc = -1;
    if (vqi_model_predict(m, x, n, p, &e) == 0 &&
        vqi_metrics_compute(y, p, n, d->nclasses, &mt, &e) == 0) {
        acc = mt.accuracy;
        vqi_metrics_free(&mt);
    }
    free(x);
    free(y);
    if (!proba_out)
        free(p);
    return acc;
}

static void test_train_and_file(void)
{
    vqi_table *t = synthetic(40, 3);
    vqi_err e = {0};
    vqi_dataset_spec spec = {.label = "resolution", .group = "session_id"};
    vqi_dataset *d = vqi_dataset_build(t, &spec, &e);
    size_t *tr, *te, ntr, nte;
    vqi_split(d, VQI_SPLIT_GROUP, 0.25, 1, &tr, &ntr, &te, &nte, &e);
    vqi_params p;
    vqi_params_default(&p, VQI_MODEL_GBT, d->nfeat);
    CHECK(p.rounds == 60 && p.max_depth == 3 && p.eta == 0.5 && p.subsample == 1 &&
          p.colsample == 1, "gbt defaults (docs/MODEL-TRAINING.md)");
    p.rounds = 20;
    vqi_model *m = vqi_model_train(d, tr, ntr, &p, &e);
    CHECK(m != NULL, "gbt trained (%s)", e.msg);
    if (!m)
        return;
    double *p1 = malloc(nte * 5 * sizeof *p1), *p2 = malloc(nte * 5 * sizeof *p2);
    /* XGBoost's cut points sit at training values, so a held-out value just
     * beyond its class's training range can fall on the wrong side. */
    double acc = accuracy_on(m, d, tr, ntr, NULL);
    CHECK(acc == 1.0, "separable classes: training accuracy 1 (got %g)", acc);
    acc = accuracy_on(m, d, te, nte, p1);
    CHECK(acc > 0.9, "separable classes: held-out accuracy > 0.9 (got %g)", acc);
    double gain[3];
    CHECK(vqi_model_importance(m, gain, &e) == 0 && gain[0] > gain[1] && gain[0] > gain[2],
          "L7_rate has the largest gain (%g %g %g)", gain[0], gain[1], gain[2]);

    vqi_model_set_text(&m->label, "resolution", &e);
    vqi_model_set_text(&m->summary, "line one\nline \\two", &e);
    vqi_model_set_text(&m->version, "test", &e);
    char path[] = "/tmp/vqi-model-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    CHECK(vqi_model_save(m, path, &e) == 0, "model saved (%s)", e.msg);
    vqi_model *m2 = vqi_model_load(path, &e);
    CHECK(m2 != NULL, "model loaded (%s)", e.msg);
    if (m2) {
        accuracy_on(m2, d, te, nte, p2);
        CHECK(memcmp(p1, p2, nte * 5 * sizeof *p1) == 0, "identical probabilities after reload");
        CHECK(m2->nfeat == 3 && strcmp(m2->feature[2], "L4_count") == 0, "feature names kept");
        CHECK(m2->nclasses == 5 && m2->classes[3] == 720, "classes kept");
        CHECK_STR(m2->summary, "line one\nline \\two", "escaped summary round trip");
        CHECK(m2->params.rounds == 20 && m2->params.max_depth == 3 && m2->params.eta == 0.5,
              "params kept");
        /* prediction from a table: by column name, whatever the order */
        double *pt = malloc(t->nrows * 5 * sizeof *pt);
        CHECK(vqi_model_predict_table(m2, t, pt, &e) == 0, "predict from table");
        free(pt);
        vqi_table_drop(t, (size_t)vqi_table_find(t, "L3_noise"));
        pt = malloc(t->nrows * 5 * sizeof *pt);
        CHECK(vqi_model_predict_table(m2, t, pt, &e) < 0 && e.code == 2 &&
                  strstr(e.msg, "L3_noise"),
              "missing column named: %s", e.msg);
        free(pt);
        vqi_model_free(m2);
    }

    /* corrupt files: truncated, wrong byte count, garbage in the model */
    size_t file_len;
    uint8_t *buf = read_whole_file(path, &file_len);
    CHECK(buf != NULL, "read model file");
    long len = (long)file_len;
    int all_refused = 1;
    for (long cut = 0; cut < len; cut += cut < 400 ? 1 : 97) {
        vqi_model *bad = vqi_model_read(buf, (size_t)cut, &e);
        if (bad) {
            all_refused = 0;
            vqi_model_free(bad);
        }
    }
    CHECK(all_refused, "every truncation refused");
    uint8_t *junk = malloc((size_t)len);
    memcpy(junk, buf, (size_t)len);
    for (long i = len - 200; i < len - 100; i++)
        junk[i] ^= 0x5a;
    vqi_model *bad = vqi_model_read(junk, (size_t)len, &e);
    CHECK(bad == NULL || bad->nfeat == 3, "scrambled XGBoost bytes: refused or harmless");
    vqi_model_free(bad);
    CHECK(!vqi_model_read((const uint8_t *)"hello\n", 6, &e) && e.code == 2,
          "not a model: %s", e.msg);
    free(junk);
    free(buf);
    unlink(path);
    free(p1);
    free(p2);
    vqi_model_free(m);

    /* random-forest mode */
    vqi_params_default(&p, VQI_MODEL_RF, d->nfeat);
    p.trees = 20;
    CHECK(p.rounds == 1 && p.eta == 1 && p.subsample == 0.632, "rf defaults");
    CHECK_NEAR(p.colsample, 0.5773502691896258, 1e-12, "rf colsample sqrt(3)/3");
    m = vqi_model_train(d, tr, ntr, &p, &e);
    CHECK(m != NULL, "rf trained (%s)", e.msg);
    if (m) {
        acc = accuracy_on(m, d, te, nte, NULL);
        CHECK(acc > 0.85, "rf held-out accuracy > 0.85 (got %g)", acc);
        vqi_model_free(m);
    }
    free(tr);
    free(te);
    vqi_dataset_free(d);
    vqi_table_free(t);
}

static void count_candidates(void *ctx, size_t i, size_t n, const vqi_tune_candidate *c)
{
    (void)i;
    (void)n;
    (void)c;
    ++*(int *)ctx;
}

static void test_tune(void)
{
    vqi_table *t = synthetic(20, 4);
    vqi_err e = {0};
    vqi_dataset_spec spec = {.label = "resolution", .group = "session_id"};
    vqi_dataset *d = vqi_dataset_build(t, &spec, &e);
    vqi_params p;
    vqi_params_default(&p, VQI_MODEL_GBT, d->nfeat);
    p.rounds = 10;
    vqi_tune_candidate best, best2;
    int calls = 0;
    CHECK(vqi_tune(d, NULL, 0, &p, 3, 1, 3, count_candidates, &calls, &best, &e) < 0,
          "tuning without rows refused");
    size_t *rows = malloc(d->nrows * sizeof *rows);
    for (size_t i = 0; i < d->nrows; i++)
        rows[i] = i;
    calls = 0;
    CHECK(vqi_tune(d, rows, d->nrows, &p, 3, 1, 3, count_candidates, &calls, &best, &e) == 0,
          "tuning ran (%s)", e.msg);
    CHECK_INT(calls, 3, "three candidates reported");
    CHECK(best.accuracy_mean > 0.9, "separable data: CV accuracy > 0.9 (%g)",
          best.accuracy_mean);
    CHECK(vqi_tune(d, rows, d->nrows, &p, 3, 1, 3, NULL, NULL, &best2, &e) == 0 &&
              memcmp(&best.params, &best2.params, sizeof best.params) == 0,
          "tuning reproducible");
    free(rows);
    vqi_dataset_free(d);
    vqi_table_free(t);
}

int main(void)
{
    test_binary_roc();
    test_multiclass();
    test_dataset();
    test_splits();
    test_train_and_file();
    test_tune();
    return check_done();
}
