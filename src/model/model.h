/* model.h - the model stage: from a vqi_table of window features to a trained
 * XGBoost classifier of video resolution, its evaluation and its file.
 *
 *   table --vqi_dataset_build--> dataset (float matrix, class indices, groups)
 *         --vqi_split / vqi_kfold--> row subsets (session-grouped by default)
 *         --vqi_model_train--> model --vqi_model_save/load--> MODEL file
 *         --vqi_model_predict[_table]--> class probabilities
 *         --vqi_metrics_compute--> accuracy, F1, confusion, ROC/AUC (as scikit-learn)
 *
 * Classes are numeric labels (e.g. 240 360 480 720 1080) kept sorted
 * ascending; a class index is the position in that list.  Missing feature
 * values are NaN, which XGBoost treats as missing.  Everything is seeded and
 * reproducible.  Nothing here prints (except vqi_progress on a terminal). */
#ifndef VQI_MODEL_H
#define VQI_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../table/table.h"
#include "../util/err.h"

/* ------------------------------------------------------------------ data */

typedef struct vqi_dataset_spec {
    const char *label;      /* label column, e.g. "resolution" */
    const char *group;      /* group column for grouped splits ("session_id"); NULL = none */
    /* Features: comma-separated list of families L3, L4, L7 (column name
     * prefixes "L3_" ...), the word "all" (every numeric column), or exact
     * column names; NULL = "all".  Whatever the list, the label, the group
     * column, non-numeric columns, constant columns and the metadata
     * columns of vqi_model_is_metadata() are never features (unless named). */
    const char *features;
    const char *drop;       /* comma-separated column names to exclude; NULL = none */
    /* Valid classes: comma-separated numbers ("240,360,480,720,1080"); rows
     * with any other (or missing) label are left out.  NULL = every positive
     * label value seen becomes a class. */
    const char *classes;
} vqi_dataset_spec;

typedef struct vqi_dataset {
    size_t nrows, nfeat;
    float *x;               /* nrows x nfeat, row-major, NaN = missing */
    char **feature;         /* nfeat column names, in matrix order */
    size_t nclasses;
    double *classes;        /* ascending */
    int *y;                 /* class index per row */
    size_t *group;          /* group number per row (0..ngroups-1); NULL without groups */
    size_t ngroups;
    size_t *source_row;     /* row of the source table each row came from */
    size_t dropped_label;   /* table rows left out: invalid or missing label */
} vqi_dataset;

/* Columns never used as features: identifiers, time / player position and
 * player ground truth (label leakage): table/clean.h's vqi_drop_group_of()
 * rules (docs/DATASETS.md), plus "resolution". */
int vqi_model_is_metadata(const char *column);

vqi_dataset *vqi_dataset_build(const vqi_table *t, const vqi_dataset_spec *spec, vqi_err *err);
void vqi_dataset_free(vqi_dataset *d);

/* Class index of a label value, -1 when not a class. */
int vqi_class_index(const double *classes, size_t nclasses, double label);

/* Text of a class label as written everywhere ("480", "1080"). */
const char *vqi_class_text(double label, char *buf, size_t size);

/* ---------------------------------------------------------------- splits */

typedef enum { VQI_SPLIT_GROUP, VQI_SPLIT_ROW, VQI_SPLIT_NONE } vqi_split_kind;

/* Hold out about test_size of the groups (GROUP; needs d->group) or of the
 * rows (ROW); NONE puts every row in train.  Row lists are ascending and
 * malloc'd (the caller frees them; *test may be NULL when empty). */
int vqi_split(const vqi_dataset *d, vqi_split_kind kind, double test_size, uint64_t seed,
              size_t **train, size_t *ntrain, size_t **test, size_t *ntest, vqi_err *err);

/* k-fold assignment of the n rows listed in rows: fold[i] in 0..folds-1.
 * grouped: every row of a group lands in the same fold (groups shuffled by
 * seed, then placed largest first into the fold with fewest rows). */
int vqi_kfold(const vqi_dataset *d, const size_t *rows, size_t n, int folds, int grouped,
              uint64_t seed, int *fold, vqi_err *err);

/* ---------------------------------------------------------------- model */

typedef enum { VQI_MODEL_GBT, VQI_MODEL_RF } vqi_model_kind;

typedef struct vqi_params {
    vqi_model_kind kind;
    int rounds;             /* boosting rounds (rf: 1) */
    int trees;              /* trees per round (rf: num_parallel_tree; gbt: 1) */
    int max_depth;
    double eta;             /* learning rate (rf: 1) */
    double subsample;       /* rows per tree */
    double colsample;       /* gbt: colsample_bytree; rf: colsample_bynode */
    double min_child_weight;
    int nthread;
    uint64_t seed;
} vqi_params;

/* gbt: 60 rounds, depth 3, eta 0.5 (5x+ faster than XGBoost's own 100 x 6 x
 * 0.3 at the same held-out accuracy: docs/MODEL-TRAINING.md); for rf the
 * random-forest mode compared with scikit-learn's RandomForestClassifier:
 * 100 parallel trees, one round, eta 1, subsample 0.632, colsample_bynode
 * sqrt(nfeat)/nfeat (nfeat 0: 0.1 until known). */
void vqi_params_default(vqi_params *p, vqi_model_kind kind, size_t nfeat);
const char *vqi_model_kind_name(vqi_model_kind kind);   /* "gbt" / "rf" */

typedef struct vqi_model {
    vqi_params params;
    char *label;            /* label column the model predicts */
    size_t nfeat;
    char **feature;         /* input columns, in order */
    size_t nclasses;
    double *classes;
    char *cleaning;         /* how training data was cleaned (text, one rule per line) */
    char *summary;          /* training summary (text lines: rows, split, scores) */
    char *version;          /* vqi version that trained it */
    void *booster;          /* XGBoost BoosterHandle */
} vqi_model;

/* Train on the listed rows of d (all rows when rows is NULL). */
vqi_model *vqi_model_train(const vqi_dataset *d, const size_t *rows, size_t n,
                           const vqi_params *p, vqi_err *err);
void vqi_model_free(vqi_model *m);

/* Metadata setters (copy the text). */
int vqi_model_set_text(char **field, const char *text, vqi_err *err);

/* Class probabilities of nrows rows of x (nrows x m->nfeat, m's feature
 * order): proba is nrows x nclasses. */
int vqi_model_predict(const vqi_model *m, const float *x, size_t nrows, double *proba,
                      vqi_err *err);

/* The same for a table: the model's features are looked up by name; a table
 * lacking some fails with an error naming them (code VQI_EXIT_USAGE). */
int vqi_model_predict_table(const vqi_model *m, const vqi_table *t, double *proba,
                            vqi_err *err);

/* Matrix of a table's columns in the model's feature order (malloc'd,
 * t->nrows x m->nfeat), or NULL with the missing columns named. */
float *vqi_model_matrix(const vqi_model *m, const vqi_table *t, vqi_err *err);

/* Total gain of each feature over the model's trees (nfeat values, 0 when
 * never used). */
int vqi_model_importance(const vqi_model *m, double *gain, vqi_err *err);

/* Model file: a text header (magic "vqi-model 1", metadata lines) followed
 * by XGBoost's own UBJSON model bytes.  Save goes through util/output.h. */
int vqi_model_save(const vqi_model *m, const char *path, vqi_err *err);
vqi_model *vqi_model_load(const char *path, vqi_err *err);
/* The same on memory (load checks every length against the bytes present). */
int vqi_model_write(const vqi_model *m, FILE *f, vqi_err *err);
vqi_model *vqi_model_read(const uint8_t *buf, size_t len, vqi_err *err);

/* Index of the largest probability (first on ties, like numpy argmax). */
int vqi_argmax(const double *p, size_t n);

/* --------------------------------------------------------------- tuning */

typedef struct vqi_tune_candidate {
    vqi_params params;
    double accuracy_mean, accuracy_std;   /* over the folds (population std) */
    double f1_macro_mean;
} vqi_tune_candidate;

/* Called after each candidate (i of n, 0-based). */
typedef void (*vqi_tune_report)(void *ctx, size_t i, size_t n, const vqi_tune_candidate *c);

/* Random search over a fixed grid (depth, rounds/trees, learning rate,
 * subsample, colsample, min_child_weight) around base, candidates drawn
 * without repetition by seed (at most max_candidates; 0 = the whole grid),
 * each scored by k-fold CV on the listed rows (grouped when d has groups and
 * grouped != 0).  The winner has the best mean accuracy (first on ties). */
int vqi_tune(const vqi_dataset *d, const size_t *rows, size_t n, const vqi_params *base,
             int folds, int grouped, size_t max_candidates, vqi_tune_report report,
             void *ctx, vqi_tune_candidate *best, vqi_err *err);

/* -------------------------------------------------------------- metrics */

typedef struct vqi_metrics {
    size_t n, nclasses;
    double accuracy, f1_macro, f1_weighted;
    double *precision, *recall, *f1;    /* per class */
    size_t *support;                    /* true rows per class */
    uint8_t *present;                   /* class occurs in y_true or y_pred */
    size_t *confusion;                  /* nclasses x nclasses, [true][pred] */
    double *auc;                        /* one-vs-rest per class, NaN when undefined */
    double auc_macro, auc_micro;        /* NaN when undefined */
} vqi_metrics;

/* Metrics of n rows: y_true class indices, proba n x nclasses (prediction =
 * argmax), computed exactly as scikit-learn 1.2 does: precision/recall/F1
 * with zero_division 0; macro and weighted F1 over the classes present in
 * y_true or y_pred; roc_auc_score(multi_class='ovr') macro over classes;
 * micro = binary ROC AUC of the flattened one-hot labels and scores. */
int vqi_metrics_compute(const int *y_true, const double *proba, size_t n, size_t nclasses,
                        vqi_metrics *m, vqi_err *err);
void vqi_metrics_free(vqi_metrics *m);

/* Binary ROC AUC as sklearn's roc_auc_score (ties as roc_curve groups
 * them): NaN when pos has only one class.  score[i*stride] is row i's. */
double vqi_roc_auc(const uint8_t *pos, const double *score, size_t stride, size_t n);

/* sklearn's roc_curve(drop_intermediate=True) points (fpr, tpr), starting
 * at (0,0); malloc'd arrays of *npts.  -1 when a class is absent. */
int vqi_roc_curve(const uint8_t *pos, const double *score, size_t stride, size_t n,
                  double **fpr, double **tpr, size_t *npts, vqi_err *err);

/* ------------------------------------------------ training recipe (training.c) */

/* The classes of the assignment's resolution label. */
#define VQI_RESOLUTION_CLASSES "240,360,480,720,1080"

/* Default valid classes of a label column: VQI_RESOLUTION_CLASSES for
 * "resolution", else NULL (every positive value is a class). */
const char *vqi_default_classes(const char *label);

/* Options over vqi_params_default(): rounds and eta apply to gbt only,
 * trees to rf only; values <= 0 (max_depth < 0) keep the default. */
void vqi_params_override(vqi_params *p, int rounds, int trees, int max_depth, double eta);

/* "gbt rounds=60 trees=1 max_depth=3 eta=0.5 subsample=1 colsample=1
 * min_child_weight=1" (the log's and tuning's spelling); returns buf. */
const char *vqi_params_text(const vqi_params *p, char *buf, size_t size);

/* Append one formatted line (and '\n') to a malloc'd text (*text NULL =
 * empty): the model file's cleaning and summary.  -1 when out of memory
 * (*text unchanged). */
int vqi_text_addf(char **text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* What building d from t left out, one line per rule, as the model file
 * stores it: "rows: N dropped whose LABEL is missing or not one of
 * CLASSES (N kept)", a "columns: N <title> left out (<reason>): a, b" line
 * per table/clean.h group, "columns: N more not used (...)" and "features:
 * N (L3 n, L4 n, L7 n, other n)".  group is the group column option (not
 * called constant).  malloc'd, or NULL + err. */
char *vqi_cleaning_text(const vqi_table *t, const vqi_dataset *d, const char *label,
                        const char *classes, const char *group, vqi_err *err);

/* Append the summary line of a split ("split: by session_id, 48 groups,
 * ..."); group and ngroups matter for VQI_SPLIT_GROUP only.  -1 = memory. */
int vqi_split_describe(char **text, vqi_split_kind kind, const char *group, size_t ngroups,
                       double test_size, uint64_t seed, size_t ntrain, size_t ntest);

/* "accuracy A, F1 macro F, F1 weighted W, ROC AUC macro M, micro U" (4
 * decimals); returns buf. */
const char *vqi_metrics_text(const vqi_metrics *mt, char *buf, size_t size);

/* A model scored on n rows of a dataset (the test split, a CV fold). */
typedef struct vqi_evaluation {
    size_t n;
    int *y_true;            /* class index per row */
    double *proba;          /* n x nclasses */
    size_t *table_rows;     /* source table row of each (for the id columns) */
    vqi_metrics metrics;
    int has_metrics;
} vqi_evaluation;

/* Predict rows[0..n-1] of d with m and compute the metrics.  On failure
 * ev holds nothing to free. */
int vqi_model_evaluate(const vqi_model *m, const vqi_dataset *d, const size_t *rows, size_t n,
                       vqi_evaluation *ev, vqi_err *err);
void vqi_evaluation_free(vqi_evaluation *ev);

/* -------------------------------------------------------------- reports */

/* metrics.json: accuracy, f1_macro, f1_weighted, per_class {label:
 * {precision, recall, f1, support}}, confusion_matrix {labels, matrix},
 * roc_auc {per_class, macro, micro}; numbers with 17 significant digits,
 * undefined values as null. */
int vqi_metrics_write_json(const vqi_metrics *m, const double *classes, FILE *f);

/* Predictions CSV: session_id, relative_timestamp, absolute_timestamp (from
 * t, empty when absent), true (empty when y_true is NULL or -1), predicted,
 * p_<class> for every class.  rows[i] is the table row of prediction i. */
int vqi_predictions_write_csv(const vqi_table *t, const size_t *rows, size_t n,
                              const vqi_model *m, const int *y_true, const double *proba,
                              FILE *f);

/* report.md: data, metrics, per-class table, confusion matrix and the top
 * features by gain (gain may be NULL). */
int vqi_report_write_md(const vqi_model *m, const vqi_metrics *mt, const double *gain,
                        const char *data_desc, FILE *f);

/* An evaluation directory (created when missing): metrics.json, report.md,
 * confusion.png, roc.png and predictions.csv for the n rows evaluated.
 * rows[i] is the table row of evaluated row i (for the id columns). */
int vqi_eval_write_dir(const char *dir, const vqi_model *m, const vqi_metrics *mt,
                       const vqi_table *t, const size_t *rows, size_t n, const int *y_true,
                       const double *proba, const char *data_desc, vqi_err *err);

#endif
