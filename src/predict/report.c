/* report.c - what is done with predictions: the per-window file (CSV or JSON
 * lines), the summary (sessions, time share per class, agreement with the
 * truth) and the timeline figure. */
#include "predict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../plot/plot.h"
#include "../util/textout.h"



/* A timestamp in JSON: the input's text when it is a plain number, else null. */
static void json_number_text(FILE *f, const char *text, double value)
{
    if (!isfinite(value) || !*text) {
        fputs("null", f);
        return;
    }
    /* JSON's number grammar, roughly: digits, sign, point, exponent (no hex,
     * no "nan"); anything else is written from the value */
    int ok = (text[0] == '-' || (text[0] >= '0' && text[0] <= '9')) &&
             strspn(text, "0123456789+-.eE") == strlen(text);
    if (ok)
        fputs(text, f);
    else
        fprintf(f, "%.17g", value);
}

static void write_csv(const vqi_predictions *p, FILE *f)
{
    char b[64];
    fputs("session_id,relative_timestamp,absolute_timestamp,", f);
    if (p->has_truth)
        fputs("true,", f);
    fputs("predicted", f);
    for (size_t c = 0; c < p->nclasses; c++)
        fprintf(f, ",p_%s", vqi_class_text(p->classes[c], b, sizeof b));
    fputc('\n', f);
    for (size_t i = 0; i < p->n; i++) {
        vqi_csv_field(f, p->session[i]);
        fputc(',', f);
        vqi_csv_field(f, p->rel_text[i]);
        fputc(',', f);
        vqi_csv_field(f, p->abs_text[i]);
        fputc(',', f);
        if (p->has_truth) {
            if (!isnan(p->truth[i]))
                fputs(vqi_class_text(p->truth[i], b, sizeof b), f);
            fputc(',', f);
        }
        fputs(vqi_class_text(p->classes[p->predicted[i]], b, sizeof b), f);
        for (size_t c = 0; c < p->nclasses; c++)
            fprintf(f, ",%.17g", p->proba[i * p->nclasses + c]);
        fputc('\n', f);
    }
}

static void write_jsonl(const vqi_predictions *p, FILE *f)
{
    char b[64];
    for (size_t i = 0; i < p->n; i++) {
        fputs("{\"session_id\":", f);
        vqi_json_string(f, p->session[i]);
        fputs(",\"relative_timestamp\":", f);
        json_number_text(f, p->rel_text[i], p->rel_ts[i]);
        fputs(",\"absolute_timestamp\":", f);
        json_number_text(f, p->abs_text[i], p->abs_ts[i]);
        if (p->has_truth) {
            fputs(",\"true\":", f);
            fputs(isnan(p->truth[i]) ? "null" : vqi_class_text(p->truth[i], b, sizeof b), f);
        }
        fprintf(f, ",\"predicted\":%s", vqi_class_text(p->classes[p->predicted[i]], b, sizeof b));
        for (size_t c = 0; c < p->nclasses; c++)
            fprintf(f, ",\"p_%s\":%.17g", vqi_class_text(p->classes[c], b, sizeof b),
                    p->proba[i * p->nclasses + c]);
        fputs("}\n", f);
    }
}

int vqi_predictions_write(const vqi_predictions *p, vqi_pred_format fmt, FILE *f)
{
    if (fmt == VQI_PRED_JSONL)
        write_jsonl(p, f);
    else
        write_csv(p, f);
    return ferror(f) ? -1 : 0;
}

int vqi_predictions_summary(const vqi_predictions *p, vqi_pred_summary *s, vqi_err *err)
{
    memset(s, 0, sizeof *s);
    s->per_class = calloc(p->nclasses ? p->nclasses : 1, sizeof *s->per_class);
    if (!s->per_class)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
    s->sessions = p->nsessions;
    s->windows = p->n;
    for (size_t i = 0; i < p->n; i++) {
        s->per_class[p->predicted[i]]++;
        if (isnan(p->truth[i]))
            continue;
        s->labelled++;
        if (p->truth[i] == p->classes[p->predicted[i]])
            s->agree++;
    }
    return 0;
}

void vqi_pred_summary_free(vqi_pred_summary *s)
{
    free(s->per_class);
    s->per_class = NULL;
}

int vqi_pred_summary_write(const vqi_pred_summary *s, const double *classes, size_t nclasses,
                           FILE *f)
{
    char b[64];
    fprintf(f, "sessions %zu, windows %zu\n", s->sessions, s->windows);
    if (s->windows > 0) {
        /* windows have one length, so the share of windows is the share of time */
        fputs("time per predicted resolution:", f);
        for (size_t c = 0; c < nclasses; c++)
            if (s->per_class[c])
                fprintf(f, " %s %.1f%%", vqi_class_text(classes[c], b, sizeof b),
                        100.0 * (double)s->per_class[c] / (double)s->windows);
        fputc('\n', f);
    }
    if (s->labelled > 0)
        fprintf(f, "agreement with the truth: %zu of %zu labelled windows (%.1f%%)\n", s->agree,
                s->labelled, 100.0 * (double)s->agree / (double)s->labelled);
    return ferror(f) ? -1 : 0;
}

int vqi_predictions_plot(const vqi_predictions *p, const char *path, const char *title,
                         vqi_err *err)
{
    size_t ns = p->nsessions;
    if (ns == 0 || p->n == 0)
        return vqi_err_set(err, VQI_EXIT_FAIL, "no window to plot");
    vqi_plot_session *s = calloc(ns, sizeof *s);
    double *t = malloc(p->n * sizeof *t), *pred = malloc(p->n * sizeof *pred);
    int rc = -1;
    if (!s || !t || !pred) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < p->n; i++) {
        /* no relative time: the window's rank in its session, in window lengths */
        t[i] = p->rel_ts[i];
        pred[i] = p->classes[p->predicted[i]];
    }
    for (size_t k = 0; k < ns; k++) {
        size_t a = p->session_start[k], b = p->session_start[k + 1];
        for (size_t i = a; i < b; i++)
            if (!isfinite(t[i]))
                t[i] = i > a && isfinite(t[i - 1]) ? t[i - 1] + 10 : (double)(i - a) * 10;
        s[k].name = p->session[a];
        s[k].n = b - a;
        s[k].t = t + a;
        s[k].predicted = pred + a;
        s[k].truth = p->has_truth ? p->truth + a : NULL;
    }
    rc = vqi_plot_timeline(path, title, s, ns, p->classes, p->nclasses, err);
done:
    free(s);
    free(t);
    free(pred);
    return rc;
}
