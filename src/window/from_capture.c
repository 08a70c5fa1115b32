/* from_capture.c - run capture -> decode -> service -> windows over a whole
 * capture file and collect the rows into a table (for `vqi predict`). */
#include "window_int.h"

#include <pthread.h>
#include <stdlib.h>

#include "../capture/capture.h"
#include "../util/err.h"

typedef struct collect {
    vqi_table *t;
    const vqi_window_config *cfg;
    vqi_err *err;
} collect;

static int collect_row(void *ctx, const vqi_window_row *r)
{
    collect *c = ctx;
    return vqi_window_table_add(c->t, c->cfg, r, c->err) < 0 ? 1 : 0;
}

/* ---- threads, on request: capture + decode + service | windows | rows ----
 * The work splits about 40/60 (callgrind instructions) between reading,
 * decoding and classifying packets and the window stage (flows, sessions,
 * rows, CSV), so a reader thread can feed the window stage batches of
 * classified packets in order, and a third thread (row_writer.c) can turn
 * finished rows into the caller's output.  The window stage sees exactly the
 * same packets in the same order as in one thread: the output is the same
 * bytes.  It never uses the payload bytes, which are only valid until the
 * next frame, so the batches hold no pointers into the capture.
 *
 * One thread is the default, because on the 2-vCPU benchmark machine it is
 * faster: 1.05-1.16 s against 1.24-1.74 s threaded on the 1 GB capture, and
 * half the CPU time (0.95 s user against 1.7-2.2 s).  Handing 112 bytes per
 * packet to another core cost ~65 ns a packet whatever the batch size
 * (256-4096 packets tried), and so did two threads without the row writer;
 * two one-thread runs side by side each kept full speed, so the cost is the
 * cross-core traffic, not a shared core.  VQI_THREADS=N (N >= 2) turns the
 * threads on for machines where cores share data cheaply. */
enum { BATCH_PACKETS = 2048, BATCHES = 4, PREFETCH_AHEAD = 4 };

typedef struct classified {
    vqi_packet p;
    vqi_ident how;
    int remote_is_src;
} classified;

typedef struct batch {
    size_t n;
    classified pk[BATCH_PACKETS];
} batch;

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch b[BATCHES];
    uint64_t produced, consumed;    /* batches; slot = count % BATCHES */
    int done, stop;                 /* reader finished; window stage gave up */
    int rc;                         /* reader: 0 clean end, -1 error (err) */
    vqi_err err;
    vqi_capture *cap;
    vqi_service *svc;
} pipeline;

/* Fill one batch from the capture; returns the number of packets, with
 * *rc -1 on a capture error and 0 at the end of input. */
static size_t read_batch(pipeline *pl, batch *b, uint64_t *n, int *rc)
{
    vqi_frame f;
    size_t k = 0;
    *rc = 1;
    while (k < BATCH_PACKETS) {
        int got = vqi_capture_next(pl->cap, &f, &pl->err);
        if (got <= 0) {
            *rc = got;
            break;
        }
        /* Decoded on the stack, then copied into the batch: the batch's
         * lines were last read by the window stage's core, and reading the
         * packet back from them stalled on their transfer (perf: the first
         * loads of the addresses, in the service lookups, were 10% of the
         * run).  Stores alone do not wait. */
        classified c;
        vqi_decode(&f, &c.p);
        c.remote_is_src = 0;
        c.how = VQI_IDENT_NONE;
        if (c.p.ipver) {
            vqi_service_observe(pl->svc, &c.p);    /* DNS answers, SNI: payload */
            c.how = vqi_service_classify(pl->svc, &c.p, &c.remote_is_src);
        }
        c.p.payload = NULL;                        /* invalid after the next frame */
        c.p.payload_caplen = 0;
        b->pk[k++] = c;
        if ((++*n & 0xfffff) == 0) {
            vqi_capture_stats st;
            vqi_capture_get_stats(pl->cap, &st);
            vqi_progress("windows", (double)st.bytes_done, (double)st.bytes_total);
        }
    }
    return k;
}

static void *reader_main(void *arg)
{
    pipeline *pl = arg;
    uint64_t n = 0;
    int rc = 1;
    while (rc == 1) {
        pthread_mutex_lock(&pl->mu);
        while (pl->produced - pl->consumed == BATCHES && !pl->stop)
            pthread_cond_wait(&pl->cv, &pl->mu);
        int stop = pl->stop;
        batch *b = &pl->b[pl->produced % BATCHES];
        pthread_mutex_unlock(&pl->mu);
        if (stop)
            break;
        /* the slot is ours: the window stage only reads slots below produced */
        b->n = read_batch(pl, b, &n, &rc);
        pthread_mutex_lock(&pl->mu);
        pl->produced++;
        pthread_cond_broadcast(&pl->cv);
        pthread_mutex_unlock(&pl->mu);
    }
    if (n > 0xfffff)
        vqi_progress_end();
    pthread_mutex_lock(&pl->mu);
    pl->rc = rc < 0 ? -1 : 0;
    pl->done = 1;
    pthread_cond_broadcast(&pl->cv);
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* The window stage's side: feed the batches in order.  Returns 0, or -1
 * when vqi_windows_feed failed (err). */
static int consume(pipeline *pl, vqi_windows *w, vqi_err *err)
{
    for (;;) {
        pthread_mutex_lock(&pl->mu);
        while (pl->consumed == pl->produced && !pl->done)
            pthread_cond_wait(&pl->cv, &pl->mu);
        int empty = pl->consumed == pl->produced;
        batch *b = &pl->b[pl->consumed % BATCHES];
        pthread_mutex_unlock(&pl->mu);
        if (empty)
            return 0;
        int rc = 0;
        for (size_t i = 0; i < b->n && rc == 0; i++) {
            /* the reader's core wrote these lines: ask for them ahead */
            if (i + PREFETCH_AHEAD < b->n) {
                __builtin_prefetch(&b->pk[i + PREFETCH_AHEAD]);
                __builtin_prefetch((const char *)&b->pk[i + PREFETCH_AHEAD] + 64);
                __builtin_prefetch((const char *)&b->pk[i + PREFETCH_AHEAD] + 127);
            }
            rc = vqi_windows_feed(w, &b->pk[i].p, b->pk[i].how, b->pk[i].remote_is_src, err);
        }
        pthread_mutex_lock(&pl->mu);
        pl->consumed++;
        if (rc < 0)
            pl->stop = 1;
        pthread_cond_broadcast(&pl->cv);
        pthread_mutex_unlock(&pl->mu);
        if (rc < 0)
            return -1;
    }
}

/* One thread (when a second cannot be had). */
static int feed_sequential(vqi_windows *w, vqi_capture *cap, vqi_service *svc, vqi_err *err)
{
    vqi_frame f;
    vqi_packet p;
    int rc = 0;
    uint64_t n = 0;
    vqi_capture_stats st;
    while (rc == 0) {
        int got = vqi_capture_next(cap, &f, err);
        if (got <= 0) {
            rc = got;
            break;
        }
        vqi_decode(&f, &p);
        int remote_is_src = 0;
        vqi_ident how = VQI_IDENT_NONE;
        if (p.ipver) {
            vqi_service_observe(svc, &p);
            how = vqi_service_classify(svc, &p, &remote_is_src);
        }
        rc = vqi_windows_feed(w, &p, how, remote_is_src, err);
        if ((++n & 0xfffff) == 0) {
            vqi_capture_get_stats(cap, &st);
            vqi_progress("windows", (double)st.bytes_done, (double)st.bytes_total);
        }
    }
    if (n > 0xfffff)
        vqi_progress_end();
    return rc;
}

static int feed_threaded(vqi_windows *w, vqi_capture *cap, vqi_service *svc, vqi_err *err)
{
    pipeline *pl = calloc(1, sizeof *pl);
    if (!pl)
        return feed_sequential(w, cap, svc, err);
    pl->cap = cap;
    pl->svc = svc;
    pthread_t reader;
    if (pthread_mutex_init(&pl->mu, NULL) != 0) {
        free(pl);
        return feed_sequential(w, cap, svc, err);
    }
    if (pthread_cond_init(&pl->cv, NULL) != 0) {
        pthread_mutex_destroy(&pl->mu);
        free(pl);
        return feed_sequential(w, cap, svc, err);
    }
    int rc;
    if (pthread_create(&reader, NULL, reader_main, pl) != 0) {
        rc = feed_sequential(w, cap, svc, err);
    } else {
        rc = consume(pl, w, err);
        pthread_join(reader, NULL);
        if (rc == 0 && pl->rc < 0) {
            *err = pl->err;
            rc = -1;
        }
    }
    pthread_cond_destroy(&pl->cv);
    pthread_mutex_destroy(&pl->mu);
    free(pl);
    return rc;
}

int vqi_windows_feed_capture(vqi_windows *w, const char *path, vqi_service *svc, vqi_err *err)
{
    vqi_capture *cap = vqi_capture_open(path, err);
    if (!cap)
        return -1;
    /* VQI_THREADS=N with N >= 2 turns the threads on (see above); unset,
     * empty, 1 or anything else keeps one thread. */
    const char *threads = getenv("VQI_THREADS");
    int one_thread = !(threads && atoi(threads) >= 2);
    /* Threads: reader | window stage | row writer (row_writer.c). */
    vqi_window_emit_fn emit = NULL;
    void *emit_ctx = NULL;
    vqi_row_writer *rw = NULL;
    if (!one_thread) {
        vqi_window_emit_fn unused;
        void *unused_ctx;
        vqi_windows_swap_emit(w, NULL, NULL, &emit, &emit_ctx);     /* the caller's callback */
        rw = vqi_row_writer_start(emit, emit_ctx);
        if (rw)
            vqi_windows_swap_emit(w, vqi_row_writer_put, rw, &unused, &unused_ctx);
        else
            vqi_windows_swap_emit(w, emit, emit_ctx, &unused, &unused_ctx);
    }
    int rc = one_thread ? feed_sequential(w, cap, svc, err) : feed_threaded(w, cap, svc, err);
    if (rc == 0) {
        const char *warning = vqi_capture_warning(cap);
        if (warning)
            vqi_warn(path, "%s", warning);
        rc = vqi_windows_flush(w, err);
    }
    if (rw) {
        vqi_window_emit_fn unused;
        void *unused_ctx;
        vqi_windows_swap_emit(w, emit, emit_ctx, &unused, &unused_ctx);
        if (vqi_row_writer_finish(rw) < 0 && rc == 0)
            rc = vqi_err_set(err, VQI_EXIT_FAIL, "window output stopped");
    }
    vqi_capture_close(cap);
    return rc;
}

vqi_table *vqi_windows_table_from_capture(const char *path, vqi_service *svc,
                                          const vqi_window_config *cfg, vqi_err *err)
{
    vqi_err row_err = {{0}, 0};
    collect c = {vqi_table_new(), cfg, &row_err};
    if (!c.t) {
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    vqi_windows *w = vqi_windows_new(cfg, collect_row, &c, err);
    int rc = w ? vqi_windows_feed_capture(w, path, svc, err) : -1;
    if (rc < 0 && row_err.msg[0])
        *err = row_err;
    vqi_windows_free(w);
    if (rc < 0) {
        vqi_table_free(c.t);
        return NULL;
    }
    return c.t;
}
