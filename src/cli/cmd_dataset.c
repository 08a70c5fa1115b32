/* cmd_dataset.c - 'vqi dataset info|export|clean': look into a dataset
 * (pandas pickle or CSV, compressed or not), write it as pandas' to_csv
 * would, or clean it by the course rules (table/clean.h). */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../table/clean.h"
#include "../table/table.h"
#include "../util/output.h"

static void help(void)
{
    printf("usage: vqi dataset info FILE [--label NAME]\n"
           "       vqi dataset export FILE [-o OUT.csv]\n"
           "       vqi dataset clean FILE [-o OUT.csv] [--valid-resolutions LIST] [--label NAME]\n\n"
           "FILE is a pandas DataFrame pickle (protocols 0-5, pandas 0.2x-2.x, numpy 1.x/2.x)\n"
           "or a CSV file, plain or compressed with gzip, xz or bzip2 (recognised by content;\n"
           "'-' = stdin).  Pickles are read without running any code: only the globals of a\n"
           "DataFrame are accepted, anything else is refused by name.\n\n"
           "  info    shape, dtype counts, missing values, the label's distribution and the\n"
           "          constant columns\n"
           "  export  the table as CSV exactly as DataFrame.to_csv writes it (index columns\n"
           "          first, floats as Python prints them, True/False, per-row arrays as\n"
           "          numpy prints them)\n"
           "  clean   drop the rows whose label is not a valid resolution, then the columns\n"
           "          that cannot help a model (identifiers, time and player position, label\n"
           "          leaks, constant columns, non-scalar columns), printing each group with\n"
           "          its reason and the shapes before and after; writes the rest as CSV\n\n"
           "Options:\n"
           "  -o, --output FILE          write to FILE (atomically) instead of stdout\n"
           "  -l, --label NAME           label column (default: resolution)\n"
           "  -r, --valid-resolutions L  valid labels, comma-separated\n"
           "                             (default: 240,360,480,720,1080)\n"
           "  -h, --help                 this text\n\n"
           "Exit codes: 0 ok, 1 failure while processing, 2 bad usage or unreadable input\n"
           "(including a refused or malformed pickle).  Output files appear only on success.\n");
}

typedef struct opts {
    const char *output, *label;
    double valid[64];
    size_t nvalid;
} opts;

static int parse_valid(const char *s, opts *o)
{
    o->nvalid = 0;
    while (*s) {
        char *end;
        double v = strtod(s, &end);
        if (end == s || (*end && *end != ',') || !isfinite(v) || o->nvalid == 64)
            return -1;
        o->valid[o->nvalid++] = v;
        s = *end ? end + 1 : end;
    }
    return o->nvalid ? 0 : -1;
}

static size_t index_count(const vqi_table *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->ncols; i++)
        n += t->cols[i].is_index != 0;
    return n;
}

/* ---- info ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    if (isnan(x) || isnan(y))
        return isnan(x) - isnan(y);
    return (x > y) - (x < y);
}

static void print_dtypes(const vqi_table *t)
{
    const char *names[64];
    size_t counts[64], n = 0;
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].is_index)
            continue;
        size_t k = 0;
        while (k < n && strcmp(names[k], t->cols[i].dtype) != 0)
            k++;
        if (k == n) {
            if (n == 64)
                continue;
            names[n] = t->cols[i].dtype;
            counts[n++] = 0;
        }
        counts[k]++;
    }
    /* most frequent first, as pandas' value_counts() */
    printf("dtypes:");
    for (size_t shown = 0; shown < n; shown++) {
        size_t best = n;
        for (size_t k = 0; k < n; k++)
            if (counts[k] && (best == n || counts[k] > counts[best]))
                best = k;
        printf("%s %s %zu", shown ? "," : "", names[best], counts[best]);
        counts[best] = 0;
    }
    printf("\n");
}

static void print_missing(const vqi_table *t)
{
    size_t cells = 0, cols = 0;
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].is_index)
            continue;
        size_t m = 0;
        for (size_t r = 0; r < t->nrows; r++)
            m += vqi_cell_is_na(&t->cols[i], r) != 0;
        cells += m;
        cols += m != 0;
    }
    if (!cells) {
        printf("missing values: none\n");
        return;
    }
    printf("missing values: %zu cells in %zu column%s:", cells, cols, cols == 1 ? "" : "s");
    for (size_t i = 0, shown = 0; i < t->ncols; i++) {
        if (t->cols[i].is_index)
            continue;
        size_t m = 0;
        for (size_t r = 0; r < t->nrows; r++)
            m += vqi_cell_is_na(&t->cols[i], r) != 0;
        if (m)
            printf("%s %s %zu", shown++ ? "," : "", t->cols[i].name, m);
    }
    printf("\n");
}

static int print_label(const vqi_table *t, const char *label)
{
    long li = vqi_table_find(t, label);
    if (li < 0) {
        printf("%s: no such column\n", label);
        return 0;
    }
    double *v = malloc((t->nrows ? t->nrows : 1) * sizeof *v);
    if (!v)
        return -1;
    for (size_t r = 0; r < t->nrows; r++)
        v[r] = vqi_cell_f64(&t->cols[li], r);
    qsort(v, t->nrows, sizeof *v, cmp_double);
    printf("%s:", label);
    char buf[64];
    for (size_t r = 0; r < t->nrows;) {
        size_t k = r;
        while (k < t->nrows && (v[k] == v[r] || (isnan(v[k]) && isnan(v[r]))))
            k++;
        vqi_format_double(v[r], buf, sizeof buf);
        printf("%s %s %zu (%.1f%%)", r ? "," : "", buf, k - r, 100.0 * (double)(k - r) / (double)t->nrows);
        r = k;
    }
    printf("%s\n", t->nrows ? "" : " no rows");
    free(v);
    return 0;
}

static int run_info(const char *file, const vqi_table *t, const opts *o)
{
    size_t nidx = index_count(t);
    printf("file: %s\n", file);
    printf("shape: %zu rows x %zu columns", t->nrows, t->ncols - nidx);
    if (nidx) {
        printf(" (index:");
        for (size_t i = 0, k = 0; i < t->ncols; i++)
            if (t->cols[i].is_index)
                printf("%s %s%s%s", k++ ? "," : "", t->cols[i].dtype,
                       t->cols[i].name[0] ? " " : "", t->cols[i].name);
        printf(")");
    }
    printf("\n");
    print_dtypes(t);
    print_missing(t);
    if (print_label(t, o->label) < 0) {
        vqi_err e;
        vqi_err_set(&e, VQI_EXIT_FAIL, "out of memory");
        return cli_error(file, &e);
    }
    size_t nconst = 0;
    for (size_t i = 0; i < t->ncols; i++)
        nconst += !t->cols[i].is_index && vqi_column_is_constant(t, &t->cols[i]);
    printf("constant columns: %zu", nconst);
    for (size_t i = 0, k = 0; i < t->ncols; i++)
        if (!t->cols[i].is_index && vqi_column_is_constant(t, &t->cols[i]))
            printf("%s %s", k++ ? "," : ":", t->cols[i].name);
    printf("\n");
    return VQI_EXIT_OK;
}

/* ---- export / clean ---- */

static int write_csv(const vqi_table *t, const char *path)
{
    vqi_err e = {0};
    vqi_out *out = vqi_out_open(path, &e);
    if (!out)
        return cli_error(path, &e);
    if (vqi_table_write_csv(t, vqi_out_file(out)) < 0) {
        vqi_out_abort(out);
        vqi_err_set(&e, VQI_EXIT_FAIL, "write error");
        return cli_error(path, &e);
    }
    if (vqi_out_commit(out, &e) < 0)
        return cli_error(path, &e);
    return VQI_EXIT_OK;
}

static void print_names(FILE *f, char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? ", " : "  ", names[i]);
    fprintf(f, "\n");
}

static int run_clean(const char *file, vqi_table *t, const opts *o)
{
    vqi_clean_opts co = {o->label, o->nvalid ? o->valid : NULL, o->nvalid};
    vqi_clean_report rep;
    vqi_err e = {0};
    size_t nidx = index_count(t);
    if (vqi_clean(t, &co, &rep, &e) < 0) {
        vqi_clean_report_free(&rep);
        return cli_error(file, &e);
    }
    /* the report goes where the table does not */
    int to_stdout = o->output && strcmp(o->output, "-") != 0;
    FILE *f = to_stdout ? stdout : stderr;
    fprintf(f, "before: %zu rows x %zu columns\n", rep.rows_before, rep.cols_before - nidx);
    fprintf(f, "dropped %zu row%s with an invalid %s", rep.rows_invalid,
            rep.rows_invalid == 1 ? "" : "s", o->label);
    char buf[64];
    for (size_t i = 0; i < rep.ninvalid_values; i++) {
        vqi_format_double(rep.invalid_values[i], buf, sizeof buf);
        fprintf(f, "%s %s (%zu)", i ? "," : ":", buf, rep.invalid_counts[i]);
    }
    fprintf(f, "\n");
    for (int g = 0; g < VQI_DROP_NGROUPS; g++) {
        if (!rep.ndropped[g])
            continue;
        fprintf(f, "dropped %zu %s (%s):\n", rep.ndropped[g], vqi_drop_title(g),
                vqi_drop_reason(g));
        print_names(f, rep.dropped[g], rep.ndropped[g]);
    }
    fprintf(f, "after: %zu rows x %zu columns\n", rep.rows_after, rep.cols_after - nidx);
    vqi_clean_report_free(&rep);
    return write_csv(t, o->output);
}

int cmd_dataset(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"label", required_argument, NULL, 'l'},
        {"valid-resolutions", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        help();
        return VQI_EXIT_OK;
    }
    if (argc < 2)
        return cli_usage_error("dataset", "missing subcommand (info, export or clean)");
    const char *sub = argv[1];
    int is_info = !strcmp(sub, "info"), is_export = !strcmp(sub, "export"),
        is_clean = !strcmp(sub, "clean");
    if (!is_info && !is_export && !is_clean)
        return cli_usage_error("dataset", "unknown subcommand '%s' (info, export or clean)", sub);
    opts o = {NULL, "resolution", {0}, 0};
    optind = 1;
    int c;
    while ((c = getopt_long(argc - 1, argv + 1, "o:l:r:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o.output = optarg; break;
        case 'l': o.label = optarg; break;
        case 'r':
            if (parse_valid(optarg, &o) < 0)
                return cli_usage_error("dataset", "bad --valid-resolutions '%s'", optarg);
            break;
        case 'h': help(); return VQI_EXIT_OK;
        default: return cli_usage_error("dataset", "bad option");
        }
    }
    if (optind + 1 != argc - 1)
        return cli_usage_error("dataset", "%s needs exactly one FILE", sub);
    if (is_info && o.output)
        return cli_usage_error("dataset", "info prints to stdout; -o is for export and clean");
    const char *file = argv[1 + optind];
    vqi_err e = {0};
    vqi_table *t = vqi_table_read(file, &e);
    if (!t)
        return cli_error(file, &e);
    int rc = is_info ? run_info(file, t, &o) : is_export ? write_csv(t, o.output)
                                                         : run_clean(file, t, &o);
    vqi_table_free(t);
    return rc;
}
