/* test_table.c - the table type, float text, CSV reading and writing.
 * Expected values come from pandas 1.5.3 / Python (tests/fixtures/table/
 * gen_fixtures.py) and hand computation. */
#include "check.h"
#include "testutil.h"

#include <inttypes.h>
#include <stdlib.h>

#include "table/table.h"

#define FIX "tests/fixtures/table/"

/* Every float of floats.tsv prints as Python's repr. */
static void test_float_repr(void)
{
    FILE *f = fopen(FIX "floats.tsv", "r");
    CHECK(f != NULL, "open floats.tsv");
    if (!f)
        return;
    char line[128];
    int n = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        uint64_t bits;
        char want[64], got[64];
        if (sscanf(line, "%" SCNx64 "\t%63s", &bits, want) != 2)
            continue;
        double x;
        memcpy(&x, &bits, sizeof x);
        vqi_format_double(x, got, sizeof got);
        n++;
        if (strcmp(got, want) != 0) {
            if (bad++ < 5)
                CHECK(0, "repr of %016" PRIx64 ": got %s, want %s", bits, got, want);
        }
    }
    fclose(f);
    CHECK(n > 500 && bad == 0, "%d floats print as Python repr (%d differ)", n, bad);
    char buf[32];
    vqi_format_double(NAN, buf, sizeof buf);
    CHECK_STR(buf, "nan", "repr(nan)");
    vqi_format_double(-INFINITY, buf, sizeof buf);
    CHECK_STR(buf, "-inf", "repr(-inf)");
    vqi_format_double(-0.0, buf, sizeof buf);
    CHECK_STR(buf, "-0.0", "repr(-0.0)");
}

static void test_table_ops(void)
{
    vqi_table *t = vqi_table_new();
    vqi_column *a = vqi_table_add(t, "a", VQI_COL_I64);
    vqi_table_add(t, "s", VQI_COL_STR);
    vqi_table_add(t, "f", VQI_COL_F64);
    CHECK(a != NULL && t->ncols == 3, "three columns added");
    CHECK_INT(vqi_table_resize(t, 100), 0, "resize to 100 rows");
    for (size_t r = 0; r < 100; r++) {
        t->cols[0].i64[r] = (int64_t)r;
        t->cols[1].str[r] = strdup(r % 10 ? "dropped" : "ten");  /* freed when dropped */
        t->cols[2].f64[r] = r * 0.5;
    }
    CHECK_INT(vqi_table_find(t, "s"), 1, "find s");
    CHECK_INT(vqi_table_find(t, "nope"), -1, "find absent");
    uint8_t keep[100];
    for (size_t r = 0; r < 100; r++)
        keep[r] = r % 10 == 0;
    vqi_table_filter_rows(t, keep);
    CHECK_INT(t->nrows, 10, "filter keeps 10 rows");
    CHECK_INT(t->cols[0].i64[3], 30, "row 3 is old row 30");
    CHECK_STR(t->cols[1].str[3], "ten", "string moved with its row");
    CHECK_NEAR(vqi_cell_f64(&t->cols[2], 3), 15.0, 0, "float moved with its row");
    vqi_table_drop(t, 1);
    CHECK(t->ncols == 2 && strcmp(t->cols[1].name, "f") == 0, "drop keeps order");
    char buf[64];
    CHECK_STR(vqi_cell_text(&t->cols[1], 1, buf, sizeof buf), "5.0", "float text 5.0");
    CHECK_STR(vqi_cell_text(&t->cols[0], 9, buf, sizeof buf), "90", "int text");

    /* append: src has one extra column (bool) and a float where dst has int */
    vqi_table *u = vqi_table_new();
    vqi_table_add(u, "a", VQI_COL_F64);
    vqi_table_add(u, "g", VQI_COL_BOOL);
    vqi_table_resize(u, 2);
    u->cols[0].f64[0] = 1.5;
    u->cols[0].f64[1] = NAN;
    u->cols[1].b[1] = 1;
    vqi_err e = {0};
    CHECK_INT(vqi_table_append(t, u, &e), 0, "append");
    CHECK_INT(t->nrows, 12, "appended rows");
    CHECK(t->cols[0].type == VQI_COL_F64, "int column widened to float");
    CHECK_NEAR(vqi_cell_f64(&t->cols[0], 10), 1.5, 0, "appended value");
    CHECK(isnan(vqi_cell_f64(&t->cols[0], 11)), "appended NaN");
    CHECK(isnan(vqi_cell_f64(&t->cols[1], 11)), "column absent from src is missing");
    long g = vqi_table_find(t, "g");
    CHECK(g == 2 && vqi_cell_is_na(&t->cols[g], 0) && !vqi_cell_is_na(&t->cols[g], 11),
          "new column missing in old rows only");
    CHECK_STR(vqi_cell_text(&t->cols[g], 11, buf, sizeof buf), "True", "bool text");
    CHECK_STR(vqi_cell_text(&t->cols[g], 0, buf, sizeof buf), "", "missing bool text");
    vqi_table_free(u);
    vqi_table_free(t);
}

/* sample.csv (pandas to_csv) reads with pandas' dtypes and writes back the
 * same bytes. */
static void test_csv_roundtrip(void)
{
    size_t len;
    char *csv = read_whole_file(FIX "sample.csv", &len);
    CHECK(csv != NULL, "read sample.csv");
    if (!csv)
        return;
    vqi_err e = {0};
    vqi_table *t = vqi_csv_parse((const uint8_t *)csv, len, &e);
    CHECK(t != NULL, "parse sample.csv: %s", e.msg);
    if (!t) {
        free(csv);
        return;
    }
    CHECK_INT(t->nrows, 4, "rows");
    CHECK_INT(t->ncols, 7, "columns incl. index");
    CHECK(t->cols[0].is_index && !t->cols[1].is_index, "unnamed first column is the index");
    size_t dlen;
    char *dt = read_whole_file(FIX "sample_dtypes.txt", &dlen);
    size_t i = 0;
    for (char *line = dt ? strtok(dt, "\n") : NULL; line; line = strtok(NULL, "\n"), i++) {
        char *tab = strchr(line, '\t');
        if (!tab || i >= t->ncols)
            break;
        *tab = '\0';
        CHECK_STR(t->cols[i].name, line, "column name");
        CHECK_STR(t->cols[i].dtype, tab + 1, t->cols[i].name);
    }
    free(dt);
    CHECK_INT(i, 7, "dtypes checked");
    CHECK_STR(t->cols[4].str[2], "with \"quote\"", "quoted quote");
    CHECK_STR(t->cols[4].str[3], "two\nlines", "quoted newline");
    CHECK(isnan(t->cols[2].f64[1]), "empty float is NaN");
    CHECK_INT(t->cols[1].i64[3], 4000000000000LL, "big int");
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    CHECK_INT(vqi_table_write_csv(t, f), 0, "write csv");
    fclose(f);
    CHECK(outlen == len && memcmp(out, csv, len) == 0, "written CSV equals pandas' bytes");
    free(out);
    vqi_table_free(t);
    free(csv);
}

static void test_csv_edge(void)
{
    vqi_err e = {0};
    const char *s = "x,y,z\r\n1,True,\r\n\r\n2,False,a\r\n";
    vqi_table *t = vqi_csv_parse((const uint8_t *)s, strlen(s), &e);
    CHECK(t && t->nrows == 2 && t->ncols == 3, "CRLF and blank line");
    if (t) {
        CHECK(!t->cols[0].is_index, "named first column is not an index");
        CHECK(t->cols[1].type == VQI_COL_BOOL && t->cols[1].b[0] == 1, "bool column");
        CHECK(t->cols[2].type == VQI_COL_STR && t->cols[2].str[0] == NULL, "missing text");
        vqi_table_free(t);
    }
    s = "a,b\n1,\"open\n";
    t = vqi_csv_parse((const uint8_t *)s, strlen(s), &e);
    CHECK(t == NULL && strstr(e.msg, "quoted"), "unterminated quote refused: %s", e.msg);
    s = "a,b\n1,2,3\n";
    t = vqi_csv_parse((const uint8_t *)s, strlen(s), &e);
    CHECK(t == NULL && strstr(e.msg, "line 2"), "too many fields refused: %s", e.msg);
    t = vqi_csv_parse((const uint8_t *)"", 0, &e);
    CHECK(t == NULL, "empty input refused");
    s = "a,b\n1,nan\n2,3.5\n,NA\n";
    t = vqi_csv_parse((const uint8_t *)s, strlen(s), &e);
    CHECK(t && t->cols[0].type == VQI_COL_F64 && isnan(t->cols[0].f64[2]),
          "ints with a gap become float64");
    CHECK(t && t->cols[1].type == VQI_COL_F64 && isnan(t->cols[1].f64[0]) &&
          t->cols[1].f64[1] == 3.5, "nan words are NaN");
    vqi_table_free(t);
}

static void test_array_text(void)
{
    /* numpy 1.24: str(np.array([[4380.],[4380.],[19682.0948]])) */
    double v[] = {4380.0, 4380.0, 19682.0948};
    vqi_array a = {v, 3, 2, {3, 1}, 0};
    char *s = vqi_array_text(&a);
    CHECK_STR(s, "[[ 4380.    ]\n [ 4380.    ]\n [19682.0948]]", "2-D float array");
    free(s);
    double w[] = {1e-05, 250000.0};
    vqi_array b = {w, 2, 1, {2, 0}, 0};
    s = vqi_array_text(&b);
    CHECK_STR(s, "[1.0e-05 2.5e+05]", "scientific array");
    free(s);
    double x[] = {1, 22, 333};
    vqi_array c = {x, 3, 2, {3, 1}, 1};
    s = vqi_array_text(&c);
    CHECK_STR(s, "[[  1]\n [ 22]\n [333]]", "int array");
    free(s);
}

/* numpy's str() for every case of arrays.tsv (gen_arrays.py). */
static void test_numpy_text(void)
{
    FILE *f = fopen(FIX "arrays.tsv", "r");
    CHECK(f != NULL, "open arrays.tsv");
    if (!f)
        return;
    static char line[1 << 16];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        char *field[6];
        char *p = line;
        for (int i = 0; i < 6; i++) {
            field[i] = p;
            p = strchr(p, i < 5 ? '\t' : '\n');
            if (p)
                *p++ = '\0';
            else
                break;
        }
        vqi_array a = {0};
        a.ndim = (uint8_t)atoi(field[0]);
        a.shape[0] = (uint32_t)atoi(field[1]);
        a.shape[1] = (uint32_t)atoi(field[2]);
        a.is_int = (uint8_t)atoi(field[3]);
        a.v = malloc(5000 * sizeof(double));
        for (char *tok = strtok(field[4], " "); tok && a.n < 5000; tok = strtok(NULL, " "))
            a.v[a.n++] = strtod(tok, NULL);
        /* expected: \n escapes back to newlines */
        char *w = field[5], *o = field[5];
        for (; *w; w++, o++) {
            if (w[0] == '\\' && w[1] == 'n') {
                *o = '\n';
                w++;
            } else
                *o = *w;
        }
        *o = '\0';
        char *got = vqi_array_text(&a);
        CHECK(got && strcmp(got, field[5]) == 0, "numpy str() case %d (%u values)", n, a.n);
        if (got && strcmp(got, field[5]) != 0)
            printf("# got  %s\n# want %s\n", got, field[5]);
        free(got);
        free(a.v);
        n++;
    }
    fclose(f);
    CHECK_INT(n, 18, "array cases");
}

int main(void)
{
    test_float_repr();
    test_table_ops();
    test_csv_roundtrip();
    test_csv_edge();
    test_array_text();
    test_numpy_text();
    return check_done();
}
