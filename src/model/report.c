/* report.c - what an evaluation leaves behind: metrics.json (for machines
 * and the scikit-learn cross-check), the predictions CSV (one row per
 * window, with every class probability) and report.md (for people). */
#include "model.h"
#include "../util/textout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void json_number(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.17g", v);
    else
        fputs("null", f);
}

int vqi_metrics_write_json(const vqi_metrics *m, const double *classes, FILE *f)
{
    size_t k = m->nclasses;
    char b[64];
    fprintf(f, "{\n  \"n\": %zu,\n  \"accuracy\": ", m->n);
    json_number(f, m->accuracy);
    fputs(",\n  \"f1_macro\": ", f);
    json_number(f, m->f1_macro);
    fputs(",\n  \"f1_weighted\": ", f);
    json_number(f, m->f1_weighted);
    fputs(",\n  \"per_class\": {", f);
    for (size_t c = 0; c < k; c++) {
        fprintf(f, "%s\n    \"%s\": {\"precision\": ", c ? "," : "",
                vqi_class_text(classes[c], b, sizeof b));
        json_number(f, m->precision[c]);
        fputs(", \"recall\": ", f);
        json_number(f, m->recall[c]);
        fputs(", \"f1\": ", f);
        json_number(f, m->f1[c]);
        fprintf(f, ", \"support\": %zu}", m->support[c]);
    }
    fputs("\n  },\n  \"confusion_matrix\": {\n    \"labels\": [", f);
    for (size_t c = 0; c < k; c++)
        fprintf(f, "%s%s", c ? ", " : "", vqi_class_text(classes[c], b, sizeof b));
    fputs("],\n    \"matrix\": [", f);
    for (size_t i = 0; i < k; i++) {
        fprintf(f, "%s\n      [", i ? "," : "");
        for (size_t j = 0; j < k; j++)
            fprintf(f, "%s%zu", j ? ", " : "", m->confusion[i * k + j]);
        fputc(']', f);
    }
    fputs("\n    ]\n  },\n  \"roc_auc\": {\n    \"per_class\": {", f);
    for (size_t c = 0; c < k; c++) {
        fprintf(f, "%s\"%s\": ", c ? ", " : "", vqi_class_text(classes[c], b, sizeof b));
        json_number(f, m->auc[c]);
    }
    fputs("},\n    \"macro\": ", f);
    json_number(f, m->auc_macro);
    fputs(",\n    \"micro\": ", f);
    json_number(f, m->auc_micro);
    fputs("\n  }\n}\n", f);
    return ferror(f) ? -1 : 0;
}


int vqi_predictions_write_csv(const vqi_table *t, const size_t *rows, size_t n,
                              const vqi_model *m, const int *y_true, const double *proba,
                              FILE *f)
{
    static const char *const id_cols[] = {"session_id", "relative_timestamp",
                                          "absolute_timestamp"};
    long col[3];
    char b[512];
    for (int i = 0; i < 3; i++) {
        col[i] = t ? vqi_table_find(t, id_cols[i]) : -1;
        fprintf(f, "%s,", id_cols[i]);
    }
    fputs("true,predicted", f);
    for (size_t c = 0; c < m->nclasses; c++)
        fprintf(f, ",p_%s", vqi_class_text(m->classes[c], b, sizeof b));
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        const double *p = proba + i * m->nclasses;
        for (int j = 0; j < 3; j++) {
            if (col[j] >= 0)
                vqi_csv_field(f, vqi_cell_text(&t->cols[col[j]], rows[i], b, sizeof b));
            fputc(',', f);
        }
        if (y_true && y_true[i] >= 0)
            fputs(vqi_class_text(m->classes[y_true[i]], b, sizeof b), f);
        fputc(',', f);
        fputs(vqi_class_text(m->classes[vqi_argmax(p, m->nclasses)], b, sizeof b), f);
        for (size_t c = 0; c < m->nclasses; c++)
            fprintf(f, ",%.17g", p[c]);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

typedef struct ranked {
    size_t index;
    double gain;
} ranked;

static int by_gain_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->gain != y->gain)
        return x->gain < y->gain ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

static void md_text(FILE *f, const char *s)
{
    /* the model's multi-line texts as a list */
    const char *p = s;
    while (p && *p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len)
            fprintf(f, "- %.*s\n", (int)len, p);
        p = e ? e + 1 : NULL;
    }
}

int vqi_report_write_md(const vqi_model *m, const vqi_metrics *mt, const double *gain,
                        const char *data_desc, FILE *f)
{
    size_t k = mt->nclasses;
    char b[64];
    const vqi_params *p = &m->params;
    fprintf(f, "# Resolution model evaluation\n\n");
    if (data_desc)
        fprintf(f, "Data: %s (%zu rows evaluated).\n\n", data_desc, mt->n);
    fprintf(f, "Model: XGBoost %s, %d round(s) x %d tree(s), max_depth %d%s, learning rate "
               "%g, subsample %g, colsample %g, min_child_weight %g; %zu features; label `%s`.\n\n",
            p->kind == VQI_MODEL_RF ? "random forest" : "gradient boosting", p->rounds,
            p->trees, p->max_depth, p->max_depth == 0 ? " (unlimited)" : "", p->eta,
            p->subsample, p->colsample, p->min_child_weight, m->nfeat,
            m->label ? m->label : "resolution");
    if (m->summary && *m->summary) {
        fputs("## Training\n\n", f);
        md_text(f, m->summary);
        fputc('\n', f);
    }
    if (m->cleaning && *m->cleaning) {
        fputs("## Cleaning\n\n", f);
        md_text(f, m->cleaning);
        fputc('\n', f);
    }
    fprintf(f, "## Scores\n\n| metric | value |\n|---|---|\n| accuracy | %.4f |\n"
               "| F1 macro | %.4f |\n| F1 weighted | %.4f |\n| ROC AUC macro (one-vs-rest) | "
               "%.4f |\n| ROC AUC micro | %.4f |\n\n",
            mt->accuracy, mt->f1_macro, mt->f1_weighted, mt->auc_macro, mt->auc_micro);
    fputs("## Per class\n\n| class | precision | recall | F1 | support | ROC AUC |\n"
          "|---|---|---|---|---|---|\n", f);
    for (size_t c = 0; c < k; c++)
        fprintf(f, "| %s | %.4f | %.4f | %.4f | %zu | %.4f |\n",
                vqi_class_text(m->classes[c], b, sizeof b), mt->precision[c], mt->recall[c],
                mt->f1[c], mt->support[c], mt->auc[c]);
    fputs("\n## Confusion matrix (rows: true, columns: predicted)\n\n| true \\ predicted |", f);
    for (size_t c = 0; c < k; c++)
        fprintf(f, " %s |", vqi_class_text(m->classes[c], b, sizeof b));
    fputs("\n|---|", f);
    for (size_t c = 0; c < k; c++)
        fputs("---|", f);
    fputc('\n', f);
    for (size_t i = 0; i < k; i++) {
        fprintf(f, "| **%s** |", vqi_class_text(m->classes[i], b, sizeof b));
        for (size_t j = 0; j < k; j++)
            fprintf(f, " %zu |", mt->confusion[i * k + j]);
        fputc('\n', f);
    }
    fputs("\nFigures: `confusion.png`, `roc.png`.\n", f);
    if (gain) {
        ranked *r = malloc((m->nfeat ? m->nfeat : 1) * sizeof *r);
        if (!r)
            return -1;
        double total = 0;
        for (size_t j = 0; j < m->nfeat; j++) {
            r[j].index = j;
            r[j].gain = gain[j];
            total += gain[j];
        }
        qsort(r, m->nfeat, sizeof *r, by_gain_desc);
        fputs("\n## Most important features (total gain)\n\n| rank | feature | share of gain |\n"
              "|---|---|---|\n", f);
        for (size_t j = 0; j < m->nfeat && j < 20 && r[j].gain > 0; j++)
            fprintf(f, "| %zu | `%s` | %.1f %% |\n", j + 1, m->feature[r[j].index],
                    total > 0 ? 100.0 * r[j].gain / total : 0.0);
        free(r);
    }
    return ferror(f) ? -1 : 0;
}
