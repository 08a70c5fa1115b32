/* test_pickle.c - the pickle reader: opcode interpreter on hand-made
 * streams, DataFrames written by pandas 1.5.3 / crafted Python-2 layouts
 * against the CSV pandas writes for them (tests/fixtures/pickle/), and
 * hostile streams refused with a clear message. */
#include "check.h"
#include "testutil.h"

#include <stdint.h>
#include <stdlib.h>

#include "pickle/pickle.h"
#include "pickle/pickle_int.h"
#include "table/table.h"

#define FIX "tests/fixtures/pickle/"

/* Run a byte stream through the interpreter. */
static pobj *run(const char *bytes, size_t len, arena *a, vqi_err *e)
{
    memset(e, 0, sizeof *e);
    return pvm_run((const uint8_t *)bytes, len, a, e);
}

static void test_opcodes(void)
{
    arena a = {0};
    vqi_err e;
    /* protocol 0: (lI5\naF2.5\naL-7L\naS'a\x41\n'\naI01\na.  → [5, 2.5, -7, b'aA\n', True] */
    const char p0[] = "(lI5\naF2.5\naL-7L\naS'a\\x41\\n'\naI01\na.";
    pobj *o = run(p0, sizeof p0 - 1, &a, &e);
    CHECK(o && o->type == P_LIST && o->u.seq.n == 5, "protocol 0 list of 5: %s", e.msg);
    if (o && o->u.seq.n == 5) {
        CHECK_INT(o->u.seq.v[0]->u.i, 5, "INT");
        CHECK_NEAR(o->u.seq.v[1]->u.f, 2.5, 0, "FLOAT");
        CHECK_INT(o->u.seq.v[2]->u.i, -7, "LONG with L suffix");
        CHECK(o->u.seq.v[3]->type == P_STR8 && o->u.seq.v[3]->u.s.n == 3 &&
              memcmp(o->u.seq.v[3]->u.s.p, "aA\n", 3) == 0, "STRING escapes");
        CHECK(o->u.seq.v[4]->type == P_BOOL && o->u.seq.v[4]->u.i == 1, "I01 is True");
    }
    /* protocol 2: LONG1 of 9 bytes (2**64) is a big int; -1 in one byte;
     * BINFLOAT is big-endian; memo PUT/GET; DUP; POP */
    const char p2[] = "\x80\x02]q\x00(\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01"
                      "\x8a\x01\xff" "G\x3f\xf8\x00\x00\x00\x00\x00\x00" "h\x00" "N2" "0" "e.";
    o = run(p2, sizeof p2 - 1, &a, &e);
    CHECK(o && o->type == P_LIST && o->u.seq.n == 5, "protocol 2 list: %s", e.msg);
    if (o && o->u.seq.n == 5) {
        CHECK(o->u.seq.v[0]->type == P_BIGINT && o->u.seq.v[0]->u.s.n == 9, "LONG1 2**64");
        CHECK_INT(o->u.seq.v[1]->u.i, -1, "LONG1 -1");
        CHECK_NEAR(o->u.seq.v[2]->u.f, 1.5, 0, "BINFLOAT big-endian");
        CHECK(o->u.seq.v[3] == o, "memo GET returns the same object (a cycle)");
        CHECK(o->u.seq.v[4]->type == P_NONE, "DUP then POP leaves one None");
    }
    /* protocol 4: frame, SHORT_BINUNICODE, STACK_GLOBAL of an allowed name, dict */
    const char p4[] = "\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00"
                      "}\x94(\x8c\x01k\x94K\x07\x8c\x02k2\x88u.";
    o = run(p4, sizeof p4 - 1, &a, &e);
    int64_t v = 0;
    CHECK(o && o->type == P_DICT && pobj_int(pobj_dict_get(o, "k"), &v) && v == 7,
          "dict with SETITEMS: %s", e.msg);
    /* refusals */
    const char *bad[][2] = {
        {"\x80\x02" "cposix\nsystem\n.", "refusing global posix.system"},
        {"\x80\x04\x8c\x08" "builtins" "\x8c\x04" "eval\x93.", "refusing global builtins.eval"},
        {"\x80\x05\x97.", "NEXT_BUFFER"},
        {"\x80\x02N\x94h\x05.", "memo index 5"},
        {"\x80\x02" "e.", "no MARK"},
        {"\x80\x02" "0.", "no MARK"},
        {"\x80\x02" "a.", "stack underflow"},
        {"\x80\x02" "K", "truncated"},
        {"\x80\x02" "N", "no STOP"},
        {"\x80\x06.", "protocol 6"},
        {"\x80\x02" "T\xff\xff\xff\xff", "negative BINSTRING"},
        {"\x80\x02" "\xff.", "unknown opcode 0xff"},
        {"\x80\x02" "Np99999999\n.", "memo index"},
        {"\x80\x02" "NN\x81.", "not an allowed global"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *s = bad[i][0];
        size_t n = strlen(s);
        if (strstr(bad[i][1], "truncated") || strstr(bad[i][1], "no STOP"))
            n = strlen(s);
        if (strstr(bad[i][1], "BINSTRING"))
            n = 7;
        o = run(s, n, &a, &e);
        CHECK(o == NULL && strstr(e.msg, bad[i][1]) != NULL, "refused (%s): %s", bad[i][1],
              e.msg);
    }
    arena_free(&a);
}

/* Read a fixture pickle and compare its CSV with pandas' bytes. */
static void check_against_csv(const char *pkl, const char *csv)
{
    vqi_err e = {0};
    vqi_table *t = vqi_table_read(pkl, &e);
    CHECK(t != NULL, "%s reads: %s", pkl, e.msg);
    if (!t)
        return;
    size_t want_len;
    uint8_t *want = read_whole_file(csv, &want_len);
    char *got = NULL;
    size_t got_len = 0;
    FILE *f = open_memstream(&got, &got_len);
    vqi_table_write_csv(t, f);
    fclose(f);
    size_t at = 0;
    while (at < got_len && at < want_len && got[at] == (char)want[at])
        at++;
    CHECK(want && got_len == want_len && at == want_len,
          "%s exports as pandas' %s (first difference at byte %zu)", pkl, csv, at);
    free(got);
    free(want);
    vqi_table_free(t);
}

static void test_fixtures(void)
{
    static const char *const frames[][2] = {
        {"mixed_p2.pkl", "mixed.csv"}, {"mixed_p4.pkl", "mixed.csv"}, {"mixed_p5.pkl", "mixed.csv"},
        {"categorical_p2.pkl", "categorical.csv"}, {"categorical_p5.pkl", "categorical.csv"},
        {"dtindex_p2.pkl", "dtindex.csv"}, {"dtindex_p5.pkl", "dtindex.csv"},
        {"multiindex_p2.pkl", "multiindex.csv"}, {"multiindex_p5.pkl", "multiindex.csv"},
        {"floatindex_p2.pkl", "floatindex.csv"}, {"floatindex_p5.pkl", "floatindex.csv"},
        {"strindex_p2.pkl", "strindex.csv"}, {"strindex_p5.pkl", "strindex.csv"},
        {"series_p2.pkl", "series.csv"}, {"series_p5.pkl", "series.csv"},
        {"py2_p0.pkl", "py2.csv"}, {"py2_p2.pkl", "py2.csv"},
        {"fortran_p2.pkl", "fortran.csv"}, {"fortran_p5.pkl", "fortran.csv"},
        {"numbers_p2.pkl", "numbers.csv"}, {"numbers_p5.pkl", "numbers.csv"},
        {"empty_p2.pkl", "empty.csv"}, {"empty_p5.pkl", "empty.csv"},
        {"scalars_p2.pkl", "scalars.csv"}, {"scalars_p5.pkl", "scalars.csv"},
        {"strings_p2.pkl", "strings.csv"}, {"strings_p5.pkl", "strings.csv"},
        {"intcols_p2.pkl", "intcols.csv"}, {"intcols_p5.pkl", "intcols.csv"},
        {"catindex_p2.pkl", "catindex.csv"}, {"catindex_p5.pkl", "catindex.csv"},
        {"multilevels_p2.pkl", "multilevels.csv"}, {"multilevels_p5.pkl", "multilevels.csv"},
        {"objects_p2.pkl", "objects.csv"}, {"objects_p5.pkl", "objects.csv"},
        {"longint_p2.pkl", "longint.csv"}, {"longint_p5.pkl", "longint.csv"},
        {"unnamed_series_p2.pkl", "unnamed_series.csv"},
        {"unnamed_series_p5.pkl", "unnamed_series.csv"},
        {"netflix_head5_pandas2_numpy2_p5.pkl", "netflix_head5.csv"},
        {"netflix_head5_pandas1_p5.pkl.xz", "netflix_head5.csv"},
        {"video_head5_pandas1_p4.pkl.gz", "video_head5.csv"},
    };
    char a[256], b[256];
    for (size_t i = 0; i < sizeof frames / sizeof *frames; i++) {
        snprintf(a, sizeof a, FIX "%s", frames[i][0]);
        snprintf(b, sizeof b, FIX "%s", frames[i][1]);
        check_against_csv(a, b);
    }
}

/* Typed values, beyond the CSV text. */
static void test_types(void)
{
    vqi_err e = {0};
    vqi_table *t = vqi_table_read(FIX "mixed_p5.pkl", &e);
    CHECK(t != NULL, "mixed_p5 reads: %s", e.msg);
    if (!t)
        return;
    static const char *const dtypes[] = {"int64", "float64", "float32", "int64", "int32",
                                         "uint8", "bool", "object", "datetime64[ns]", "object"};
    CHECK_INT(t->ncols, 10, "index + 9 columns");
    for (size_t i = 0; i < t->ncols && i < 10; i++)
        CHECK_STR(t->cols[i].dtype, dtypes[i], t->cols[i].name);
    CHECK(t->cols[0].is_index && t->cols[0].name[0] == '\0', "RangeIndex is an unnamed index column");
    CHECK_NEAR(t->cols[2].f64[3], 0.0010000000474974513, 0, "float32 widened exactly");
    CHECK_INT(t->cols[5].i64[2], 255, "uint8 255");
    /* pd.Timestamp('2019-02-01 00:00:01.5').value */
    CHECK_INT(t->cols[8].i64[3], 1548979201500000000LL, "datetime64 ns");
    CHECK(vqi_cell_is_na(&t->cols[8], 2), "NaT is missing");
    CHECK(t->cols[7].str[3] == NULL, "None is missing");
    const vqi_array *arr = &t->cols[9].arr[1];
    CHECK(t->cols[9].type == VQI_COL_ARRAY && arr->ndim == 2 && arr->shape[0] == 2 &&
          arr->shape[1] == 1 && arr->v[1] == 19682.0948, "per-row array of shape (2, 1)");
    vqi_table_free(t);
    t = vqi_table_read(FIX "categorical_p5.pkl", &e);
    CHECK(t && strcmp(t->cols[1].dtype, "category") == 0 && t->cols[1].str[3] == NULL &&
          strcmp(t->cols[2].str[1], "bad") == 0, "categorical codes to text, -1 missing");
    vqi_table_free(t);
    t = vqi_table_read(FIX "multiindex_p5.pkl", &e);
    CHECK(t && t->cols[0].is_index && t->cols[1].is_index && !t->cols[2].is_index &&
          strcmp(t->cols[1].name, "t") == 0 && t->cols[1].i64[1] == 10,
          "MultiIndex: one index column per level");
    vqi_table_free(t);
    t = vqi_table_read(FIX "numbers_p5.pkl", &e);
    vqi_table *st = vqi_table_read(FIX "strings_p5.pkl", &e);
    CHECK(st && strcmp(st->cols[1].dtype, "string") == 0 && st->cols[1].str[1] == NULL,
          "StringArray: dtype string, pd.NA missing");
    vqi_table_free(st);
    CHECK(t && strcmp(t->cols[6].dtype, "Int64") == 0 && vqi_cell_is_na(&t->cols[6], 1) &&
          t->cols[6].i64[0] == 1, "nullable Int64: value and <NA>");
    CHECK(t && vqi_cell_f64(&t->cols[5], 0) == 18446744073709551615.0, "uint64 max as a number");
    CHECK(t && t->cols[1].f64[1] == -2.5 && t->cols[2].i64[1] == -2, "big-endian values");
    vqi_table_free(t);
    t = vqi_table_read(FIX "py2_p2.pkl", &e);
    CHECK(t && strcmp(t->cols[4].str[0], "caf\xc3\xa9") == 0, "Python 2 byte string as latin-1");
    vqi_table_free(t);
}

static void test_hostile(void)
{
    static const char *const cases[][2] = {
        {"evil_os_system.pkl", "refusing global os.system"},
        {"evil_truncated.pkl", "truncated"},
        {"evil_memo.pkl", "memo index 7 out of range"},
        {"evil_huge_len.pkl", "4611686018427387904 bytes declared"},
        {"evil_shape.pkl", "shape x itemsize = 4 x 8 bytes, buffer has 24"},
        {"evil_range.pkl", "RangeIndex longer than the data could hold"},
        {"evil_bigint.pkl", "int of 2001 bytes inside an object column: more than the 4300 digits"},
        {"evil_bigint_digits.pkl", "int inside an object column: more than the 4300 digits"},
        {"evil_mask_shape.pkl", "nullable array with a mask of another shape"},
        {"evil_index_levels.pkl", "index levels of different lengths"},
    };
    char p[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        vqi_err e = {0};
        snprintf(p, sizeof p, FIX "%s", cases[i][0]);
        vqi_table *t = vqi_table_read(p, &e);
        CHECK(t == NULL && e.code == VQI_EXIT_USAGE && strstr(e.msg, cases[i][1]),
              "%s refused: %s", cases[i][0], e.msg);
        vqi_table_free(t);
    }
    /* 100,000 nested lists: no recursion anywhere, a clear refusal */
    size_t n = 100000, len = 2 + n + (n - 1) + 1;
    char *s = malloc(len);
    memcpy(s, "\x80\x02", 2);
    memset(s + 2, ']', n);
    memset(s + 2 + n, 'a', n - 1);
    s[len - 1] = '.';
    vqi_err e = {0};
    vqi_table *t = vqi_pickle_read((const uint8_t *)s, len, "nested", &e);
    CHECK(t == NULL && strstr(e.msg, "pickle holds a list"), "nested lists: %s", e.msg);
    free(s);
    /* every prefix of a real pickle is refused cleanly (never a crash) */
    size_t plen;
    uint8_t *pk = read_whole_file(FIX "categorical_p5.pkl", &plen);
    int all = pk != NULL;
    for (size_t cut = 0; pk && cut < plen; cut++) {
        vqi_table *u = vqi_pickle_read(pk, cut, "cut", &e);
        if (u) {
            all = 0;
            vqi_table_free(u);
        }
    }
    CHECK(all, "all %zu truncations refused", plen);
    /* single-byte corruptions: refused or read, never a crash (ASan run) */
    for (size_t i = 0; pk && i < plen; i += 3) {
        uint8_t save = pk[i];
        pk[i] ^= 0x5a;
        vqi_table_free(vqi_pickle_read(pk, plen, "flip", &e));
        pk[i] = save;
    }
    CHECK(1, "byte flips survived");
    free(pk);
}

static void test_sniff(void)
{
    CHECK(vqi_pickle_sniff((const uint8_t *)"\x80\x05", 2), "protocol 5 header");
    CHECK(vqi_pickle_sniff((const uint8_t *)"ccopy_reg\n_reconstructor\n", 25), "protocol 0 GLOBAL");
    CHECK(vqi_pickle_sniff((const uint8_t *)"(dp0\n", 5), "protocol 0 dict");
    CHECK(!vqi_pickle_sniff((const uint8_t *)",a,b\n", 5), "CSV with index");
    CHECK(!vqi_pickle_sniff((const uint8_t *)"col a,b\n", 8), "CSV starting with c");
}

int main(void)
{
    test_opcodes();
    test_fixtures();
    test_types();
    test_hostile();
    test_sniff();
    return check_done();
}
