/* test_model_training.c - the training recipe of src/model/training.c, whose
 * texts end up in every model file: default classes, option overrides of
 * the parameters, the cleaning account (each left-out column under its
 * reason, long lists cut), split and score lines, and the evaluation of a
 * model on a subset of rows (the same probabilities as predicting those
 * rows directly; accuracy counted by hand), and the environment left as
 * it was after libxgboost is loaded. */
#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "table/clean.h"

static void test_small_texts(void)
{
    CHECK_STR(vqi_default_classes("resolution"), "240,360,480,720,1080",
              "resolution: the assignment's classes");
    CHECK(vqi_default_classes("quality") == NULL, "another label: every positive value");

    char b[256];
    vqi_params p;
    vqi_params_default(&p, VQI_MODEL_GBT, 10);
    CHECK_STR(vqi_params_text(&p, b, sizeof b),
              "gbt rounds=60 trees=1 max_depth=3 eta=0.5 subsample=1 colsample=1 "
              "min_child_weight=1", "gbt defaults as the log spells them");
    vqi_params_override(&p, 7, 9, 0, 0.2);
    CHECK(p.rounds == 7 && p.trees == 1 && p.max_depth == 0 && p.eta == 0.2,
          "gbt: rounds, depth 0 and eta taken, trees ignored (%d %d %d %g)", p.rounds, p.trees,
          p.max_depth, p.eta);
    vqi_params_override(&p, -1, -1, -1, -1);
    CHECK(p.rounds == 7 && p.max_depth == 0 && p.eta == 0.2, "unset options keep the values");
    vqi_params_default(&p, VQI_MODEL_RF, 100);
    vqi_params_override(&p, 7, 9, 5, 0.2);
    CHECK_STR(vqi_params_text(&p, b, sizeof b),
              "rf rounds=1 trees=9 max_depth=5 eta=1 subsample=0.632 colsample=0.1 "
              "min_child_weight=1", "rf: trees and depth taken, rounds and eta stay 1");

    char *text = NULL;
    CHECK(vqi_text_addf(&text, "a %d", 1) == 0 && vqi_text_addf(&text, "%s", "b") == 0,
          "lines appended");
    CHECK_STR(text, "a 1\nb\n", "one line each, newline-terminated");
    free(text);

    text = NULL;
    vqi_split_describe(&text, VQI_SPLIT_GROUP, "session_id", 48, 0.2, 3, 400, 97);
    vqi_split_describe(&text, VQI_SPLIT_ROW, "session_id", 48, 0.25, 0, 375, 125);
    vqi_split_describe(&text, VQI_SPLIT_NONE, "session_id", 48, 0.2, 0, 500, 0);
    CHECK_STR(text,
              "split: by session_id, 48 groups, test size 0.2, seed 3: 400 train rows, 97 "
              "test rows\n"
              "split: by row (windows of a session on both sides: optimistic), test size 0.25, "
              "seed 0: 375 train rows, 125 test rows\n"
              "split: none, all 500 rows used for training\n", "the three split lines");
    free(text);

    vqi_metrics mt = {.accuracy = 0.87654, .f1_macro = 0.5, .f1_weighted = 1.0 / 3,
                      .auc_macro = 0.99994, .auc_micro = NAN};
    CHECK_STR(vqi_metrics_text(&mt, b, sizeof b),
              "accuracy 0.8765, F1 macro 0.5000, F1 weighted 0.3333, ROC AUC macro 0.9999, "
              "micro nan", "scores with 4 decimals");
}

/* 6 rows: index, session_id (text), relative_timestamp, bitrate (a leak),
 * tags (text), L3_const (constant), L7_rate, L4_count, extra, resolution
 * (one row 0).  Cell values only matter for the label and L3_const. */
static vqi_table *small_table(void)
{
    vqi_table *t = vqi_table_new();
    vqi_column *ix = vqi_table_add(t, "", VQI_COL_I64);
    ix->is_index = 1;
    vqi_table_add(t, "session_id", VQI_COL_STR);
    vqi_table_add(t, "relative_timestamp", VQI_COL_I64);
    vqi_table_add(t, "bitrate", VQI_COL_F64);
    vqi_table_add(t, "tags", VQI_COL_STR);
    vqi_table_add(t, "L3_const", VQI_COL_F64);
    vqi_table_add(t, "L7_rate", VQI_COL_F64);
    vqi_table_add(t, "L4_count", VQI_COL_I64);
    vqi_table_add(t, "extra", VQI_COL_F64);
    vqi_table_add(t, "resolution", VQI_COL_F64);
    vqi_table_resize(t, 6);
    static const double res[6] = {240, 480, 0, 480, 1080, 240};
    for (size_t r = 0; r < 6; r++) {
        t->cols[0].i64[r] = (int64_t)r;
        t->cols[1].str[r] = strdup(r < 3 ? "a" : "b");
        t->cols[2].i64[r] = (int64_t)(10 * r);
        t->cols[3].f64[r] = 1000.0 * (double)r;
        t->cols[4].str[r] = strdup("x");
        t->cols[5].f64[r] = 7;
        t->cols[6].f64[r] = (double)r * 1.5;
        t->cols[7].i64[r] = (int64_t)(r % 2);
        t->cols[8].f64[r] = (double)r;
        t->cols[9].f64[r] = res[r];
    }
    return t;
}

static void test_cleaning_text(void)
{
    vqi_table *t = small_table();
    vqi_err e = {0};
    vqi_dataset_spec spec = {.label = "resolution", .group = "session_id", .drop = "extra",
                             .classes = "240,360,480,720,1080"};
    vqi_dataset *d = vqi_dataset_build(t, &spec, &e);
    CHECK(d != NULL, "dataset built (%s)", e.msg);
    if (!d) {
        vqi_table_free(t);
        return;
    }
    char *text = vqi_cleaning_text(t, d, "resolution", spec.classes, "session_id", &e);
    char want[2048];
    /* by hand: row 2 (label 0) dropped; session_id an identifier,
     * relative_timestamp time, bitrate a leak, L3_const constant, tags
     * text; the index and extra (--drop) unused; L7_rate and L4_count
     * the features */
    snprintf(want, sizeof want,
             "rows: 1 dropped whose resolution is missing or not one of 240,360,480,720,1080 "
             "(5 kept)\n"
             "columns: 1 %s left out (%s): session_id\n"
             "columns: 1 %s left out (%s): relative_timestamp\n"
             "columns: 1 %s left out (%s): bitrate\n"
             "columns: 1 %s left out (%s): L3_const\n"
             "columns: 1 %s left out (%s): tags\n"
             "columns: 2 more not used (index, group, --drop or outside --features): "
             "(unnamed index), extra\n"
             "features: 2 (L3 0, L4 1, L7 1, other 0)\n",
             vqi_drop_title(VQI_DROP_IDENTIFIER), vqi_drop_reason(VQI_DROP_IDENTIFIER),
             vqi_drop_title(VQI_DROP_TIME), vqi_drop_reason(VQI_DROP_TIME),
             vqi_drop_title(VQI_DROP_LEAK), vqi_drop_reason(VQI_DROP_LEAK),
             vqi_drop_title(VQI_DROP_CONSTANT), vqi_drop_reason(VQI_DROP_CONSTANT),
             vqi_drop_title(VQI_DROP_NONSCALAR), vqi_drop_reason(VQI_DROP_NONSCALAR));
    CHECK_STR(text ? text : "(null)", want, "cleaning account of the small table");
    CHECK_INT(d->nfeat, 2, "features: L7_rate, L4_count");
    free(text);

    /* without the group option the session_id column still counts as an
     * identifier (by its name) */
    text = vqi_cleaning_text(t, d, "resolution", NULL, NULL, &e);
    CHECK(text && strstr(text, "not one of the positive values (5 kept)") &&
              strstr(text, ": session_id\n"), "no classes given, no group: %s", text);
    free(text);
    vqi_dataset_free(d);
    vqi_table_free(t);
}

/* A list longer than the line buffer ends in ", ..." and keeps counting. */
static void test_cleaning_text_cut(void)
{
    vqi_table *t = vqi_table_new();
    for (int i = 0; i < 40; i++) {
        char name[64];
        snprintf(name, sizeof name, "L3_a_rather_long_constant_name_%02d", i);
        vqi_table_add(t, name, VQI_COL_F64);
    }
    vqi_table_add(t, "L7_rate", VQI_COL_F64);
    vqi_table_add(t, "resolution", VQI_COL_F64);
    vqi_table_resize(t, 4);
    for (size_t r = 0; r < 4; r++) {
        for (int i = 0; i < 40; i++)
            t->cols[i].f64[r] = 1;
        t->cols[40].f64[r] = (double)r;
        t->cols[41].f64[r] = r % 2 ? 480 : 720;
    }
    vqi_err e = {0};
    vqi_dataset_spec spec = {.label = "resolution", .features = "L7_rate"};
    vqi_dataset *d = vqi_dataset_build(t, &spec, &e);
    char *text = d ? vqi_cleaning_text(t, d, "resolution", NULL, NULL, &e) : NULL;
    const char *line = text ? strstr(text, "columns: 40 ") : NULL;
    const char *eol = line ? strchr(line, '\n') : NULL;
    CHECK(line && eol, "the 40 unused columns counted: %s", text ? text : e.msg);
    if (line && eol) {
        const char *list = strstr(line, "): ");
        CHECK(list && eol - (list + 3) < 600, "the list stays under 600 chars (%d)",
              list ? (int)(eol - (list + 3)) : -1);
        CHECK(strncmp(eol - 5, ", ...", 5) == 0, "list cut with ', ...'");
        CHECK(strstr(line, "L3_a_rather_long_constant_name_00, L3_a_rather") != NULL,
              "first names listed in table order");
    }
    free(text);
    vqi_dataset_free(d);
    vqi_table_free(t);
}

static void test_evaluate(void)
{
    /* 40 sessions of 5 rows; L7_rate separates the classes */
    static const double res[4] = {240, 480, 720, 1080};
    vqi_table *t = vqi_table_new();
    vqi_table_add(t, "session_id", VQI_COL_I64);
    vqi_table_add(t, "L7_rate", VQI_COL_F64);
    vqi_table_add(t, "resolution", VQI_COL_F64);
    vqi_table_resize(t, 200);
    for (size_t r = 0; r < 200; r++) {
        t->cols[0].i64[r] = (int64_t)(r / 5);
        t->cols[1].f64[r] = (double)(r / 5 % 4) * 10 + (double)(r % 5);
        t->cols[2].f64[r] = r == 7 ? 0 : res[r / 5 % 4];
    }
    vqi_err e = {0};
    vqi_dataset_spec spec = {.label = "resolution", .group = "session_id"};
    vqi_dataset *d = vqi_dataset_build(t, &spec, &e);
    vqi_params p;
    vqi_params_default(&p, VQI_MODEL_GBT, 1);
    p.rounds = 5;
    vqi_model *m = d ? vqi_model_train(d, NULL, 0, &p, &e) : NULL;
    CHECK(m != NULL, "model trained (%s)", e.msg);
    if (!m) {
        vqi_dataset_free(d);
        vqi_table_free(t);
        return;
    }
    size_t rows[4] = {0, 6, 7, 150};   /* dataset rows; table rows 0, 6, 8, 151 */
    vqi_evaluation ev;
    CHECK(vqi_model_evaluate(m, d, rows, 4, &ev, &e) == 0, "evaluated (%s)", e.msg);
    double want[4 * 4];
    float dx[1];
    size_t correct = 0;
    for (size_t i = 0; i < 4; i++) {
        dx[0] = d->x[rows[i]];
        vqi_model_predict(m, dx, 1, want + i * 4, &e);
        correct += vqi_argmax(want + i * 4, 4) == d->y[rows[i]];
    }
    CHECK(memcmp(ev.proba, want, sizeof want) == 0, "the probabilities of predicting each row");
    CHECK(ev.table_rows[0] == 0 && ev.table_rows[1] == 6 && ev.table_rows[2] == 8 &&
              ev.table_rows[3] == 151, "table rows (row 7 dropped: label 0)");
    CHECK(ev.y_true[3] == d->y[150], "true classes");
    CHECK_NEAR(ev.metrics.accuracy, (double)correct / 4, 0, "accuracy = correct / 4");
    CHECK_INT(ev.metrics.n, 4, "metrics over the 4 rows");
    vqi_evaluation_free(&ev);
    CHECK(vqi_model_evaluate(m, d, rows, 0, &ev, &e) < 0 && ev.proba == NULL,
          "no rows: refused, nothing to free (%s)", e.msg);
    vqi_evaluation_free(&ev);   /* harmless on the emptied value */
    vqi_model_free(m);
    vqi_dataset_free(d);
    vqi_table_free(t);
}

int main(void)
{
    /* libxgboost is loaded by the first training (test_evaluate) with
     * OMP_WAIT_POLICY=passive set only for that load (xgb_loader.c) */
    unsetenv("OMP_WAIT_POLICY");
    unsetenv("GOMP_SPINCOUNT");
    test_small_texts();
    test_cleaning_text();
    test_cleaning_text_cut();
    test_evaluate();
    CHECK(getenv("OMP_WAIT_POLICY") == NULL,
          "the environment is the user's again after loading libxgboost");
    return check_done();
}
