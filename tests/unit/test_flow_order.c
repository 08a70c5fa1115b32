/* test_flow_order.c - vqi_flow_order (src/flow/flow_order.c): rows of
 * finished flows released in flow-id order, rows that finish early held back,
 * the fallback to end order past the byte limit, ring growth and
 * wrap-around, huge ids, empty input and failures.  Expected values by hand:
 * a held row costs len + 17 bytes, the ring 8 bytes per slot (16 slots at
 * first, doubling), and the limit is passed when their sum exceeds it. */
#include "check.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "flow/flow.h"

/* What the order released, concatenated; fail_at > 0 fails the fail_at-th row. */
typedef struct sink {
    char text[65536];
    size_t len;
    int rows, fail_at;
} sink;

static int collect(void *ctx, const char *row, size_t len, vqi_err *err)
{
    sink *s = ctx;
    if (++s->rows == s->fail_at)
        return vqi_err_set(err, VQI_EXIT_FAIL, "disk full (test)");
    if (s->len + len < sizeof s->text) {
        memcpy(s->text + s->len, row, len);
        s->len += len;
        s->text[s->len] = 0;
    }
    return 0;
}

/* Adds flow `id` with the row "<id>;" (row 0 = no row); returns add's result. */
static int add_id(vqi_flow_order *o, uint64_t id, int with_row, vqi_err *err)
{
    char row[32];
    int n = snprintf(row, sizeof row, "%" PRIu64 ";", id);
    return vqi_flow_order_add(o, id, with_row ? row : NULL, with_row ? (size_t)n : 0, err);
}

static void test_in_order(void)
{
    sink s = {0};
    vqi_err err = {0};
    vqi_flow_order *o = vqi_flow_order_new(1 << 20, collect, &s, &err);
    CHECK(o != NULL, "in order: created");
    add_id(o, 0, 1, &err);
    CHECK_STR(s.text, "0;", "in order: flow 0 written as it finishes");
    add_id(o, 1, 1, &err);
    add_id(o, 2, 1, &err);
    CHECK_STR(s.text, "0;1;2;", "in order: each row at once");
    CHECK_INT(vqi_flow_order_finish(o, &err), 0, "in order: finish");
    CHECK_INT(s.rows, 3, "in order: rows");
    CHECK_INT(vqi_flow_order_switched(o, NULL), 0, "in order: never switched");
    vqi_flow_order_free(o);
}

static void test_held_back(void)
{
    sink s = {0};
    vqi_err err = {0};
    vqi_flow_order *o = vqi_flow_order_new(1 << 20, collect, &s, &err);
    CHECK_INT(add_id(o, 2, 1, &err), 0, "held: flow 2 finishes first");
    CHECK_INT(add_id(o, 1, 1, &err), 0, "held: then flow 1");
    CHECK_INT(s.rows, 0, "held: nothing before flow 0 ends");
    add_id(o, 0, 1, &err);
    CHECK_STR(s.text, "0;1;2;", "held: flow 0 releases 0, 1, 2 in id order");
    add_id(o, 4, 1, &err);
    CHECK_STR(s.text, "0;1;2;", "held: flow 4 waits for 3");
    add_id(o, 5, 0, &err);                  /* finished, filtered out */
    add_id(o, 3, 1, &err);
    CHECK_STR(s.text, "0;1;2;3;4;", "held: 3 releases 4; 5 had no row");
    add_id(o, 6, 1, &err);
    CHECK_STR(s.text, "0;1;2;3;4;6;", "held: 6's turn had come (5 finished rowless)");
    CHECK_INT(vqi_flow_order_finish(o, &err), 0, "held: finish");
    CHECK_INT(s.rows, 6, "held: 6 rows");
    vqi_flow_order_free(o);

    /* a rowless flow 0 releases what waited for it */
    sink t = {0};
    o = vqi_flow_order_new(1 << 20, collect, &t, &err);
    add_id(o, 1, 0, &err);
    add_id(o, 2, 1, &err);
    add_id(o, 0, 0, &err);
    CHECK_STR(t.text, "2;", "held: rowless 0 and 1 release 2");
    vqi_flow_order_free(o);
}

/* Rows "1;" .. "4;" are 2 bytes (";" ends a row here, for readable messages): 19 bytes held each, ring 16 x 8 = 128. */
static void test_limit(void)
{
    sink s = {0};
    vqi_err err = {0};
    uint64_t open_flow = 99;
    /* 128 + 3 x 19 = 185: three rows fit exactly, the fourth passes */
    vqi_flow_order *o = vqi_flow_order_new(185, collect, &s, &err);
    add_id(o, 1, 1, &err);
    add_id(o, 2, 1, &err);
    add_id(o, 3, 1, &err);
    CHECK_INT(s.rows, 0, "limit 185: three rows held (185 bytes, not over)");
    CHECK_INT(vqi_flow_order_switched(o, &open_flow), 0, "limit 185: not yet switched");
    CHECK_INT(add_id(o, 4, 1, &err), 0, "limit 185: fourth row");
    CHECK_STR(s.text, "1;2;3;4;", "limit 185: held rows out in id order, then the fourth");
    CHECK_INT(vqi_flow_order_switched(o, &open_flow), 1, "limit 185: switched");
    CHECK_INT(open_flow, 0, "limit 185: flow 0 was open");
    add_id(o, 6, 1, &err);
    add_id(o, 0, 1, &err);
    add_id(o, 7, 0, &err);
    add_id(o, 5, 1, &err);
    CHECK_STR(s.text, "1;2;3;4;6;0;5;", "limit 185: then end order (7 rowless)");
    CHECK_INT(vqi_flow_order_finish(o, &err), 0, "limit 185: finish");
    vqi_flow_order_free(o);

    /* one byte less: the third row passes it */
    sink t = {0};
    o = vqi_flow_order_new(184, collect, &t, &err);
    add_id(o, 2, 1, &err);                  /* flows 0, 1 open */
    add_id(o, 3, 1, &err);
    CHECK_INT(t.rows, 0, "limit 184: two rows held");
    add_id(o, 4, 1, &err);
    CHECK_STR(t.text, "2;3;4;", "limit 184: third row switches");
    CHECK_INT(vqi_flow_order_switched(o, &open_flow), 1, "limit 184: switched");
    CHECK_INT(open_flow, 0, "limit 184: open flow 0 (the oldest)");
    vqi_flow_order_free(o);

    /* the oldest open flow, not 0, when older ones were released */
    sink u = {0};
    o = vqi_flow_order_new(150, collect, &u, &err);   /* 128 + one row of 19 */
    add_id(o, 0, 1, &err);
    add_id(o, 1, 1, &err);
    add_id(o, 3, 1, &err);
    add_id(o, 4, 1, &err);
    CHECK_STR(u.text, "0;1;3;4;", "limit 150: 3 held, 4 passes the limit");
    vqi_flow_order_switched(o, &open_flow);
    CHECK_INT(open_flow, 2, "limit 150: flow 2 was open");
    vqi_flow_order_free(o);

    /* a ring alone larger than the limit: switch at the first held row */
    sink v = {0};
    o = vqi_flow_order_new(100, collect, &v, &err);
    add_id(o, 0, 1, &err);
    add_id(o, 2, 1, &err);
    CHECK_STR(v.text, "0;2;", "limit 100 < ring: nothing can be held");
    CHECK_INT(vqi_flow_order_switched(o, &open_flow), 1, "limit 100: switched");
    CHECK_INT(open_flow, 1, "limit 100: flow 1 was open");
    vqi_flow_order_free(o);
}

/* Flows finishing in reverse order inside blocks of 16: 15 rows wait for
 * the block's first flow each time, ids wrapping around the 16 ring slots. */
static void test_wraparound(void)
{
    vqi_err err = {0};
    for (int tight = 0; tight <= 1; tight++) {
        /* rows "16;" .. "1023;" are 3-5 bytes; limit for 15 rows of the
         * last block ("1009;" .. "1023;": 5 bytes, 22 held) and a ring of 16 */
        size_t limit = 128 + 15 * 22;
        sink *s = calloc(1, sizeof *s);
        vqi_flow_order *o = vqi_flow_order_new(tight ? limit - 1 : limit, collect, s, &err);
        int rc = 0;
        for (uint64_t block = 0; block < 1024; block += 16)
            for (uint64_t k = 16; k-- > 0;)
                rc |= add_id(o, block + k, 1, &err);
        rc |= vqi_flow_order_finish(o, &err);
        CHECK_INT(rc, 0, "wrap-around: every add");
        CHECK_INT(s->rows, 1024, "wrap-around: 1024 rows");
        uint64_t open_flow = 0;
        int switched = vqi_flow_order_switched(o, &open_flow);
        if (!tight) {
            /* ring never grew: 64 turns of the 16 slots, all in id order */
            char *want = malloc(sizeof s->text), *p = want;
            for (int id = 0; id < 1024; id++)
                p += sprintf(p, "%d;", id);
            CHECK(strcmp(s->text, want) == 0, "wrap-around: rows 0..1023 in id order");
            CHECK_INT(switched, 0, "wrap-around: 128 + 15 x 22 bytes suffice");
            free(want);
        } else {
            /* block 1008 is the first whose 15 held rows are all 5 bytes
             * (block 992 holds 993..999 at 21 bytes: 451 in all); its 15th,
             * flow 1009, passes the limit: 1010..1023 out in id order, then
             * 1009 and 1008 as they come */
            CHECK_INT(switched, 1, "wrap-around, one byte less: switched");
            CHECK_INT(open_flow, 1008, "wrap-around, one byte less: flow 1008 was open");
            const char *tail = "1007;1010;1011;1012;1013;1014;1015;1016;1017;"
                               "1018;1019;1020;1021;1022;1023;1009;1008;";
            CHECK(s->len >= strlen(tail) && !strcmp(s->text + s->len - strlen(tail), tail),
                  "wrap-around, one byte less: ends ...1007, 1010..1023, 1009, 1008");
        }
        vqi_flow_order_free(o);
        free(s);
    }
}

static void test_huge_ids(void)
{
    sink s = {0};
    vqi_err err = {0};
    uint64_t open_flow = 99;
    /* 1 TiB limit: flow 2^40 would need a 2^41-slot ring; no attempt made */
    vqi_flow_order *o = vqi_flow_order_new((size_t)1 << 40, collect, &s, &err);
    CHECK_INT(add_id(o, 1, 1, &err), 0, "huge: flow 1 held");
    CHECK_INT(add_id(o, (uint64_t)1 << 40, 1, &err), 0, "huge: flow 2^40");
    CHECK_STR(s.text, "1;1099511627776;", "huge: falls back to end order");
    CHECK_INT(vqi_flow_order_switched(o, &open_flow), 1, "huge: switched");
    CHECK_INT(open_flow, 0, "huge: flow 0 open");
    vqi_flow_order_free(o);

    sink t = {0};
    o = vqi_flow_order_new(1 << 20, collect, &t, &err);
    CHECK_INT(add_id(o, UINT64_MAX, 1, &err), 0, "huge: flow 2^64-1");
    CHECK_STR(t.text, "18446744073709551615;", "huge: 2^64-1 written (end order)");
    vqi_flow_order_free(o);

    /* ring growth within the limit: flow 40 needs 64 slots (512 bytes) */
    sink u = {0};
    o = vqi_flow_order_new(1 << 20, collect, &u, &err);
    for (uint64_t id = 40; id >= 1; id--)
        add_id(o, id, 1, &err);
    CHECK_INT(u.rows, 0, "growth: 40 rows held");
    add_id(o, 0, 1, &err);
    CHECK_INT(u.rows, 41, "growth: all released by flow 0");
    CHECK(!strncmp(u.text, "0;1;2;3;", 8) && strstr(u.text, ";39;40;") &&
          u.len == 10 * 2 + 31 * 3, "growth: 0..40 in order (%zu bytes)", u.len);
    CHECK_INT(vqi_flow_order_switched(o, NULL), 0, "growth: not switched");
    vqi_flow_order_free(o);
}

static void test_empty_and_finish(void)
{
    sink s = {0};
    vqi_err err = {0};
    vqi_flow_order *o = vqi_flow_order_new(1 << 20, collect, &s, &err);
    CHECK_INT(vqi_flow_order_finish(o, &err), 0, "empty: finish");
    CHECK_INT(s.rows, 0, "empty: no row");
    CHECK_INT(vqi_flow_order_switched(o, NULL), 0, "empty: not switched");
    vqi_flow_order_free(o);
    vqi_flow_order_free(NULL);

    /* finish passes over flows never added (0, 1, 3, 4) */
    sink t = {0};
    o = vqi_flow_order_new(1 << 20, collect, &t, &err);
    add_id(o, 5, 1, &err);
    add_id(o, 2, 1, &err);
    add_id(o, 6, 0, &err);
    CHECK_INT(t.rows, 0, "finish: nothing before");
    CHECK_INT(vqi_flow_order_finish(o, &err), 0, "finish: ok");
    CHECK_STR(t.text, "2;5;", "finish: held rows in id order");
    vqi_flow_order_free(o);
}

static void test_errors(void)
{
    sink s = {0};
    vqi_err err = {0};
    vqi_flow_order *o = vqi_flow_order_new(1 << 20, collect, &s, &err);
    add_id(o, 0, 1, &err);
    CHECK_INT(add_id(o, 0, 1, &err), -1, "twice: flow 0 again");
    CHECK_STR(err.msg, "flow rows: flow 0 finished twice", "twice: message");
    add_id(o, 3, 1, &err);
    CHECK_INT(add_id(o, 3, 0, &err), -1, "twice: held flow 3 again");
    CHECK_STR(s.text, "0;", "twice: nothing more written");
    vqi_flow_order_free(o);                 /* frees held flow 3 (ASan) */

    /* the writer fails on the second row, released by flow 0 with flow 1 */
    sink t = {.fail_at = 2};
    vqi_err e2 = {0};
    o = vqi_flow_order_new(1 << 20, collect, &t, &e2);
    add_id(o, 1, 1, &e2);
    add_id(o, 2, 1, &e2);
    CHECK_INT(add_id(o, 0, 1, &e2), -1, "emit fails: add returns -1");
    CHECK_STR(e2.msg, "disk full (test)", "emit fails: the writer's message");
    CHECK_INT(t.rows, 2, "emit fails: no row offered after the failure");
    CHECK_INT(add_id(o, 3, 1, &e2), -1, "emit fails: later adds fail too");
    CHECK_INT(vqi_flow_order_finish(o, &e2), -1, "emit fails: finish fails");
    CHECK_INT(t.rows, 2, "emit fails: still two rows offered");
    vqi_flow_order_free(o);                 /* frees held flow 2 (ASan) */
}

int main(void)
{
    test_in_order();
    test_held_back();
    test_limit();
    test_wraparound();
    test_huge_ids();
    test_empty_and_finish();
    test_errors();
    return check_done();
}
