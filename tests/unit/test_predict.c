/* test_predict.c - the predictions stage: truth cells read leniently, rows
 * put in session/time order (sessions by earliest absolute time, windows by
 * relative time), the per-window CSV / JSON lines text, the summary counts
 * and text (hand-computed), JSON escaping, the default-model lookup, a table
 * lacking a model column, and the timeline figure in PNG (size, drawn pixels,
 * both series' colours), SVG (paths) and PDF (header, pages, trailer).
 * The model is trained here on a separable one-feature table, so its
 * predictions are known without an oracle.  PNG decoding in testutil.h. */
#include "check.h"
#include "testutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "predict/predict.h"
#include "util/textout.h"

/* ------------------------------------------------------------- tables -- */

static void set_str(vqi_column *c, size_t row, const char *s)
{
    c->str[row] = s ? strdup(s) : NULL;
}

/* 40 rows: f1 = 0.05, 0.1 ... (class 480) and 0.55 ... (class 720). */
static vqi_model *train_model(void)
{
    vqi_table *t = vqi_table_new();
    vqi_column *f1 = vqi_table_add(t, "f1", VQI_COL_F64);
    vqi_column *res = vqi_table_add(t, "resolution", VQI_COL_F64);
    (void)f1;
    (void)res;
    vqi_table_resize(t, 40);
    f1 = &t->cols[0];
    res = &t->cols[1];
    for (size_t i = 0; i < 40; i++) {
        f1->f64[i] = i < 20 ? 0.02 * (double)(i + 1) : 0.5 + 0.02 * (double)(i - 19);
        res->f64[i] = i < 20 ? 480 : 720;
    }
    vqi_err e = {0};
    vqi_dataset_spec spec = {.label = "resolution", .features = "f1"};
    vqi_dataset *d = vqi_dataset_build(t, &spec, &e);
    vqi_params p;
    vqi_params_default(&p, VQI_MODEL_GBT, 1);
    p.rounds = 10;
    p.nthread = 1;
    vqi_model *m = d ? vqi_model_train(d, NULL, 0, &p, &e) : NULL;
    CHECK(m != NULL, "model trained on the separable table (%s)", e.msg);
    vqi_dataset_free(d);
    vqi_table_free(t);
    return m;
}

/* Six windows of three sessions, shuffled; expected order A(1,4,3) B(2,0) C(5). */
static vqi_table *input_table(void)
{
    static const char *const sess[6] = {"B", "A", "B", "A", "A", "C"};
    static const double rel[6] = {20, 10, 10, 30, 20, 10};
    static const double abs_[6] = {1020, 500, 1010, 520, 510, NAN};
    static const double f1[6] = {0.9, 0.1, 0.1, 0.9, 0.1, 0.9};
    static const char *const res[6] = {"720", "480", "", "480p", "0", NULL};
    vqi_table *t = vqi_table_new();
    vqi_table_add(t, "session_id", VQI_COL_STR);
    vqi_table_add(t, "relative_timestamp", VQI_COL_F64);
    vqi_table_add(t, "absolute_timestamp", VQI_COL_F64);
    vqi_table_add(t, "f1", VQI_COL_F64);
    vqi_table_add(t, "resolution", VQI_COL_STR);
    vqi_table_resize(t, 6);
    for (size_t i = 0; i < 6; i++) {
        set_str(&t->cols[0], i, sess[i]);
        t->cols[1].f64[i] = rel[i];
        t->cols[2].f64[i] = abs_[i];
        t->cols[3].f64[i] = f1[i];
        set_str(&t->cols[4], i, res[i]);
    }
    return t;
}

static void test_truth_values(void)
{
    vqi_table *t = vqi_table_new();
    vqi_table_add(t, "s", VQI_COL_STR);
    vqi_table_add(t, "x", VQI_COL_F64);
    vqi_table_resize(t, 8);
    static const char *const s[8] = {"480", " 720 ", "1080p", "480.0", "", "0", "abc", NULL};
    static const double want_s[8] = {480, 720, 1080, 480, NAN, NAN, NAN, NAN};
    static const double x[8] = {360, 0, -1, NAN, 1e300, 240.0, 2160, 144};
    static const double want_x[8] = {360, NAN, NAN, NAN, 1e300, 240, 2160, 144};
    for (size_t i = 0; i < 8; i++) {
        set_str(&t->cols[0], i, s[i]);
        t->cols[1].f64[i] = x[i];
    }
    for (size_t i = 0; i < 8; i++) {
        double g = vqi_truth_value(&t->cols[0], i), w = want_s[i];
        CHECK(isnan(w) ? isnan(g) : g == w, "truth of text '%s': %g", s[i] ? s[i] : "(none)", g);
        g = vqi_truth_value(&t->cols[1], i);
        w = want_x[i];
        CHECK(isnan(w) ? isnan(g) : g == w, "truth of number %g: %g", x[i], g);
    }
    vqi_table_free(t);
}

static void test_json_string(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    vqi_json_string(f, "a\"b\\c\nd\x01\xc3\xa9");
    fclose(f);
    CHECK_STR(buf, "\"a\\\"b\\\\c\\u000ad\\u0001\xc3\xa9\"", "JSON escapes (UTF-8 kept)");
    free(buf);
}

static char *text_of(const vqi_predictions *p, vqi_pred_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(vqi_predictions_write(p, fmt, f) == 0, "predictions written");
    fclose(f);
    return buf;
}

/* Line i of text, without its probabilities (the first `fields` fields). */
static void line_prefix(const char *text, int line, int fields, char *out, size_t size)
{
    const char *s = text;
    for (int i = 0; i < line && s; i++)
        if ((s = strchr(s, '\n')))
            s++;
    size_t n = 0;
    int commas = 0;
    for (; s && *s && *s != '\n' && n + 1 < size; s++) {
        if (*s == ',' && ++commas == fields)
            break;
        out[n++] = *s;
    }
    out[n] = 0;
}

static void test_order_and_outputs(const vqi_model *m, const char *dir)
{
    vqi_table *t = input_table();
    vqi_err e = {0};
    vqi_predictions *p = vqi_predict_table(m, t, "resolution", &e);
    CHECK(p != NULL, "predict table (%s)", e.msg);
    if (!p) {
        vqi_table_free(t);
        return;
    }
    static const size_t want_rows[6] = {1, 4, 3, 2, 0, 5};
    static const double want_pred[6] = {480, 480, 720, 480, 720, 720};
    for (size_t i = 0; i < 6; i++) {
        CHECK_INT(p->source_row[i], want_rows[i], "output order: source row");
        CHECK_NEAR(p->classes[p->predicted[i]], want_pred[i], 0, "predicted class");
        double s = 0;
        for (size_t c = 0; c < p->nclasses; c++)
            s += p->proba[i * p->nclasses + c];
        CHECK_NEAR(s, 1, 1e-6, "probabilities sum to 1");
    }
    CHECK_INT(p->nsessions, 3, "three sessions");
    CHECK(p->session_start[0] == 0 && p->session_start[1] == 3 && p->session_start[2] == 5 &&
          p->session_start[3] == 6, "session offsets 0 3 5 6");
    CHECK(p->has_truth, "the input carries a truth");

    char *csv = text_of(p, VQI_PRED_CSV);
    char got[256];
    line_prefix(csv, 0, 100, got, sizeof got);
    CHECK_STR(got, "session_id,relative_timestamp,absolute_timestamp,true,predicted,p_480,p_720",
              "CSV header");
    static const char *const want_lines[6] = {
        "A,10.0,500.0,480,480", "A,20.0,510.0,,480", "A,30.0,520.0,480,720",
        "B,10.0,1010.0,,480",   "B,20.0,1020.0,720,720", "C,10.0,,,720"};
    for (int i = 0; i < 6; i++) {
        line_prefix(csv, i + 1, 5, got, sizeof got);
        CHECK_STR(got, want_lines[i], "CSV row without probabilities");
    }
    free(csv);
    char *js = text_of(p, VQI_PRED_JSONL);
    CHECK(!strncmp(js, "{\"session_id\":\"A\",\"relative_timestamp\":10.0,\"absolute_timestamp\""
                       ":500.0,\"true\":480,\"predicted\":480,\"p_480\":0.", 88),
          "first JSON line: %.100s", js);
    CHECK(strstr(js, "{\"session_id\":\"C\",\"relative_timestamp\":10.0,\"absolute_timestamp\":"
                     "null,\"true\":null,\"predicted\":720,") != NULL,
          "missing time and truth are null");
    free(js);

    vqi_pred_summary s;
    CHECK(vqi_predictions_summary(p, &s, &e) == 0, "summary");
    CHECK(s.sessions == 3 && s.windows == 6 && s.per_class[0] == 3 && s.per_class[1] == 3,
          "summary counts: 3 sessions, 6 windows, 3 x 480, 3 x 720");
    CHECK(s.labelled == 3 && s.agree == 2, "agreement: 2 of 3 labelled (got %zu of %zu)",
          s.agree, s.labelled);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    vqi_pred_summary_write(&s, p->classes, p->nclasses, f);
    fclose(f);
    CHECK_STR(buf, "sessions 3, windows 6\n"
                   "time per predicted resolution: 480 50.0% 720 50.0%\n"
                   "agreement with the truth: 2 of 3 labelled windows (66.7%)\n",
              "summary text");
    free(buf);
    vqi_pred_summary_free(&s);

    /* the figure: 3 panels, both series drawn */
    char path[512];
    snprintf(path, sizeof path, "%s/timeline.png", dir);
    CHECK(vqi_predictions_plot(p, path, "input.csv (netflix)", &e) == 0, "png plot (%s)", e.msg);
    image im = {0};
    CHECK(read_png(path, &im) == 0, "png decodes");
    CHECK_INT(im.w, 1000, "png width");
    CHECK_INT(im.h, 70 + 30 + 3 * 240, "png height: three session panels");
    int blue[3] = {0, 114, 178}, orange[3] = {230, 159, 0}, f1 = 0, f2 = 0;
    double share = im.px ? ink(&im, blue, &f1) : 0;
    if (im.px)
        ink(&im, orange, &f2);
    CHECK(share > 0.01 && share < 0.6, "png: %.3f of the pixels drawn", share);
    CHECK(f1 && f2, "png: predicted (blue) and true (orange) lines drawn");
    free(im.px);
    snprintf(path, sizeof path, "%s/timeline.svg", dir);
    CHECK(vqi_predictions_plot(p, path, "t", &e) == 0, "svg plot");
    CHECK(count_in_file(path, "<svg") == 1 && count_in_file(path, "<path") > 10, "svg has path elements");
    snprintf(path, sizeof path, "%s/timeline.pdf", dir);
    CHECK(vqi_predictions_plot(p, path, "t", &e) == 0, "pdf plot");
    size_t len2;
    uint8_t *pdf = read_whole_file(path, &len2);
    CHECK(pdf && len2 > 1000 && !memcmp(pdf, "%PDF-", 5), "pdf header");
    CHECK(count_in_file(path, "/Type /Page") >= 1 && count_in_file(path, "%%EOF") >= 1,
          "pdf has a page and a trailer");
    free(pdf);
    vqi_predictions_free(p);

    /* no truth column: no `true` field */
    long rc = vqi_table_find(t, "resolution");
    vqi_table_drop(t, (size_t)rc);
    p = vqi_predict_table(m, t, "resolution", &e);
    CHECK(p && !p->has_truth, "no truth column");
    if (p) {
        char *c2 = text_of(p, VQI_PRED_CSV);
        line_prefix(c2, 0, 100, got, sizeof got);
        CHECK_STR(got, "session_id,relative_timestamp,absolute_timestamp,predicted,p_480,p_720",
                  "header without truth");
        free(c2);
    }
    vqi_predictions_free(p);

    /* a table without the model's column */
    rc = vqi_table_find(t, "f1");
    vqi_table_drop(t, (size_t)rc);
    e.msg[0] = 0;
    p = vqi_predict_table(m, t, "resolution", &e);
    CHECK(!p && e.code == VQI_EXIT_USAGE && strstr(e.msg, "f1"),
          "missing feature column: usage error naming it (%s)", e.msg);
    vqi_predictions_free(p);
    vqi_table_free(t);
}

static void test_empty(const vqi_model *m)
{
    vqi_table *t = vqi_table_new();
    vqi_table_add(t, "f1", VQI_COL_F64);
    vqi_err e = {0};
    vqi_predictions *p = vqi_predict_table(m, t, "resolution", &e);
    CHECK(p && p->n == 0 && p->nsessions == 0, "empty table: no windows (%s)", e.msg);
    if (p) {
        char *c = text_of(p, VQI_PRED_CSV);
        CHECK_STR(c, "session_id,relative_timestamp,absolute_timestamp,predicted,p_480,p_720\n",
                  "empty table: header only");
        free(c);
        CHECK(vqi_predictions_plot(p, "/nonexistent/x.png", "t", &e) < 0, "empty: no plot");
    }
    vqi_predictions_free(p);
    vqi_table_free(t);
}

static void test_default_model(void)
{
    char buf[4096];
    vqi_err e = {0};
    setenv(VQI_MODEL_ENV, "/some/where/m.vqimodel", 1);
    CHECK(vqi_default_model_path(buf, sizeof buf, &e) == 0, "VQI_MODEL used");
    CHECK_STR(buf, "/some/where/m.vqimodel", "VQI_MODEL path");
    CHECK(vqi_default_model_path(buf, 8, &e) < 0, "too long a path refused");
    unsetenv(VQI_MODEL_ENV);
    /* the test program lives in build/<mode>/tests: no data/models near it */
    e.msg[0] = 0;
    CHECK(vqi_default_model_path(buf, sizeof buf, &e) < 0 && e.code == VQI_EXIT_USAGE &&
              strstr(e.msg, "--model") && strstr(e.msg, VQI_MODEL_ENV),
          "no default model: clear error (%s)", e.msg);
}

int main(void)
{
    char dir[] = "/tmp/vqi_test_predict_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    test_truth_values();
    test_json_string();
    test_default_model();
    vqi_model *m = train_model();
    if (m) {
        test_order_and_outputs(m, dir);
        test_empty(m);
    }
    vqi_model_free(m);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
