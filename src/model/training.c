/* training.c - the training recipe around the booster, as `vqi train` and
 * the model file tell it: the default classes of a label, the parameters
 * the options override, the account of the cleaning (which rows and columns
 * were left out and why), the split and score lines of the model summary,
 * and the evaluation of a model on a subset of a dataset's rows.  Kept out
 * of the command so that the command only parses options and prints, and
 * so that the texts stored in model files have one author. */
#include "model.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../table/clean.h"

const char *vqi_default_classes(const char *label)
{
    return label && strcmp(label, "resolution") == 0 ? VQI_RESOLUTION_CLASSES : NULL;
}

int vqi_text_addf(char **text, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t old = *text ? strlen(*text) : 0, n = strlen(line);
    char *s = realloc(*text, old + n + 2);
    if (!s)
        return -1;   /* *text unchanged */
    memcpy(s + old, line, n);
    s[old + n] = '\n';
    s[old + n + 1] = '\0';
    *text = s;
    return 0;
}

void vqi_params_override(vqi_params *p, int rounds, int trees, int max_depth, double eta)
{
    /* rounds and eta shape boosting only; a forest is one round of trees
     * at eta 1, whatever the options say */
    if (rounds > 0 && p->kind == VQI_MODEL_GBT)
        p->rounds = rounds;
    if (trees > 0 && p->kind == VQI_MODEL_RF)
        p->trees = trees;
    if (max_depth >= 0)
        p->max_depth = max_depth;
    if (eta > 0 && p->kind == VQI_MODEL_GBT)
        p->eta = eta;
}

const char *vqi_params_text(const vqi_params *p, char *buf, size_t size)
{
    snprintf(buf, size, "%s rounds=%d trees=%d max_depth=%d eta=%g subsample=%g "
             "colsample=%.3g min_child_weight=%g", vqi_model_kind_name(p->kind), p->rounds,
             p->trees, p->max_depth, p->eta, p->subsample, p->colsample, p->min_child_weight);
    return buf;
}

/* ------------------------------------------------------------- cleaning */

/* The groups of table/clean.h, then every other column not used. */
enum { OTHER_GROUP = VQI_DROP_NGROUPS, NGROUPS };

static int reason_of(const vqi_table *t, const vqi_column *c, const char *group)
{
    int g = vqi_drop_group_of(c->name);
    if (g >= 0)
        return g;
    if (c->type != VQI_COL_F64 && c->type != VQI_COL_I64 && c->type != VQI_COL_BOOL)
        return VQI_DROP_NONSCALAR;
    /* the group column is constant in a one-session table, but it was left
     * out for being the group, not for that */
    if (!c->is_index && (!group || strcmp(c->name, group)) && vqi_column_is_constant(t, c))
        return VQI_DROP_CONSTANT;
    return OTHER_GROUP;
}

/* Append name to a group's comma-separated list, which ends in ", ..."
 * once the next name would not fit. */
static void list_add(char *list, size_t size, size_t count, const char *name)
{
    size_t used = strlen(list);
    if (strstr(list, ", ..."))
        return;   /* already cut */
    if (used + strlen(name) + 8 < size)
        snprintf(list + used, size - used, "%s%s", count ? ", " : "", name);
    else if (!strstr(list, "..."))
        snprintf(list + used, size - used, ", ...");
}

char *vqi_cleaning_text(const vqi_table *t, const vqi_dataset *d, const char *label,
                        const char *classes, const char *group, vqi_err *err)
{
    char *text = NULL;
    int rc = vqi_text_addf(&text, "rows: %zu dropped whose %s is missing or not one of %s "
                           "(%zu kept)", d->dropped_label, label,
                           classes ? classes : "the positive values", d->nrows);
    char list[NGROUPS][600] = {{0}};
    size_t count[NGROUPS] = {0};
    for (size_t c = 0; c < t->ncols; c++) {
        const char *name = t->cols[c].name[0] ? t->cols[c].name : "(unnamed index)";
        int feature = 0;
        for (size_t j = 0; j < d->nfeat && !feature; j++)
            feature = strcmp(d->feature[j], t->cols[c].name) == 0;
        if (feature || strcmp(name, label) == 0)
            continue;
        int g = reason_of(t, &t->cols[c], group);
        list_add(list[g], sizeof list[g], count[g], name);
        count[g]++;
    }
    for (int g = 0; g < VQI_DROP_NGROUPS; g++)
        if (count[g])
            rc |= vqi_text_addf(&text, "columns: %zu %s left out (%s): %s", count[g],
                                vqi_drop_title((vqi_drop_group)g),
                                vqi_drop_reason((vqi_drop_group)g), list[g]);
    if (count[OTHER_GROUP])
        rc |= vqi_text_addf(&text, "columns: %zu more not used (index, group, --drop or "
                            "outside --features): %s", count[OTHER_GROUP], list[OTHER_GROUP]);
    size_t family[4] = {0};   /* L3, L4, L7, other: by the L3_/L4_/L7_ prefix */
    for (size_t j = 0; j < d->nfeat; j++) {
        const char *f = d->feature[j];
        int k = f[0] == 'L' && f[1] && f[2] == '_'
                    ? (f[1] == '3' ? 0 : f[1] == '4' ? 1 : f[1] == '7' ? 2 : 3) : 3;
        family[k]++;
    }
    rc |= vqi_text_addf(&text, "features: %zu (L3 %zu, L4 %zu, L7 %zu, other %zu)", d->nfeat,
                        family[0], family[1], family[2], family[3]);
    if (rc) {
        free(text);
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    return text;
}

/* -------------------------------------------------------------- summary */

int vqi_split_describe(char **text, vqi_split_kind kind, const char *group, size_t ngroups,
                       double test_size, uint64_t seed, size_t ntrain, size_t ntest)
{
    unsigned long long s = (unsigned long long)seed;
    if (kind == VQI_SPLIT_GROUP)
        return vqi_text_addf(text, "split: by %s, %zu groups, test size %g, seed %llu: %zu "
                             "train rows, %zu test rows", group, ngroups, test_size, s, ntrain,
                             ntest);
    if (kind == VQI_SPLIT_ROW)
        return vqi_text_addf(text, "split: by row (windows of a session on both sides: "
                             "optimistic), test size %g, seed %llu: %zu train rows, %zu test "
                             "rows", test_size, s, ntrain, ntest);
    return vqi_text_addf(text, "split: none, all %zu rows used for training", ntrain);
}

const char *vqi_metrics_text(const vqi_metrics *mt, char *buf, size_t size)
{
    snprintf(buf, size, "accuracy %.4f, F1 macro %.4f, F1 weighted %.4f, ROC AUC macro %.4f, "
             "micro %.4f", mt->accuracy, mt->f1_macro, mt->f1_weighted, mt->auc_macro,
             mt->auc_micro);
    return buf;
}

/* ----------------------------------------------------------- evaluation */

int vqi_model_evaluate(const vqi_model *m, const vqi_dataset *d, const size_t *rows, size_t n,
                       vqi_evaluation *ev, vqi_err *err)
{
    *ev = (vqi_evaluation){.n = n};
    size_t alloc = n ? n : 1;   /* no rows: the metrics say what is wrong */
    float *x = malloc(alloc * d->nfeat * sizeof *x);
    ev->proba = malloc(alloc * d->nclasses * sizeof *ev->proba);
    ev->y_true = malloc(alloc * sizeof *ev->y_true);
    ev->table_rows = malloc(alloc * sizeof *ev->table_rows);
    int rc = 0;
    if (!x || !ev->proba || !ev->y_true || !ev->table_rows) {
        rc = vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(x + i * d->nfeat, d->x + rows[i] * d->nfeat, d->nfeat * sizeof *x);
        ev->y_true[i] = d->y[rows[i]];
        ev->table_rows[i] = d->source_row[rows[i]];
    }
    if (vqi_model_predict(m, x, n, ev->proba, err) < 0 ||
        vqi_metrics_compute(ev->y_true, ev->proba, n, d->nclasses, &ev->metrics, err) < 0) {
        rc = -1;
        goto done;
    }
    ev->has_metrics = 1;
done:
    free(x);
    if (rc < 0)
        vqi_evaluation_free(ev);
    return rc;
}

void vqi_evaluation_free(vqi_evaluation *ev)
{
    if (ev->has_metrics)
        vqi_metrics_free(&ev->metrics);
    free(ev->proba);
    free(ev->y_true);
    free(ev->table_rows);
    *ev = (vqi_evaluation){0};
}
