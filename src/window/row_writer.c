/* row_writer.c - a thread that hands finished window rows to the caller's
 * callback (CSV text, table cells), so that formatting rows runs beside the
 * window stage instead of inside it.
 *
 * Why: with the reader thread (from_capture.c) taking capture + decode +
 * service, the window stage's thread was the slower one, and a third of its
 * instructions (callgrind, Requet captures) went to turning rows into CSV
 * text.  Rows are copied into a small ring (64 rows, ~140 KiB) and handed
 * over in order; the callback runs in one thread only, as before. */
#include "window_int.h"

#include <pthread.h>
#include <stdlib.h>

/* The writer is woken once WAKE_ROWS rows wait (or at the end), not per
 * row: a wake-up per row doubled the run's context switches. */
enum { QUEUE_ROWS = 64, WAKE_ROWS = 16 };

struct vqi_row_writer {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    size_t head, n;                 /* queued rows: ring[head .. head + n) */
    int done;                       /* no more rows will come */
    int failed;                     /* the callback asked to stop */
    vqi_window_emit_fn emit;
    void *ctx;
    pthread_t thread;
    vqi_window_row ring[QUEUE_ROWS];
};

static void *writer_main(void *arg)
{
    vqi_row_writer *rw = arg;
    pthread_mutex_lock(&rw->mu);
    for (;;) {
        while (rw->n < WAKE_ROWS && !rw->done)
            pthread_cond_wait(&rw->not_empty, &rw->mu);
        if (rw->n == 0)
            break;
        size_t head = rw->head, k = rw->n;
        int failed = rw->failed;
        pthread_mutex_unlock(&rw->mu);
        /* these slots are ours until head moves: the producer fills others */
        for (size_t i = 0; i < k && !failed; i++)
            failed = rw->emit(rw->ctx, &rw->ring[(head + i) % QUEUE_ROWS]) != 0;
        pthread_mutex_lock(&rw->mu);
        rw->failed = failed;
        rw->head = (head + k) % QUEUE_ROWS;
        rw->n -= k;
        pthread_cond_signal(&rw->not_full);
    }
    pthread_mutex_unlock(&rw->mu);
    return NULL;
}

vqi_row_writer *vqi_row_writer_start(vqi_window_emit_fn emit, void *ctx)
{
    if (!emit)
        return NULL;
    vqi_row_writer *rw = calloc(1, sizeof *rw);
    if (!rw)
        return NULL;
    rw->emit = emit;
    rw->ctx = ctx;
    if (pthread_mutex_init(&rw->mu, NULL) != 0)
        goto no_mutex;
    if (pthread_cond_init(&rw->not_empty, NULL) != 0)
        goto no_cond1;
    if (pthread_cond_init(&rw->not_full, NULL) != 0)
        goto no_cond2;
    if (pthread_create(&rw->thread, NULL, writer_main, rw) != 0)
        goto no_thread;
    return rw;
no_thread:
    pthread_cond_destroy(&rw->not_full);
no_cond2:
    pthread_cond_destroy(&rw->not_empty);
no_cond1:
    pthread_mutex_destroy(&rw->mu);
no_mutex:
    free(rw);
    return NULL;
}

int vqi_row_writer_put(void *writer, const vqi_window_row *r)
{
    vqi_row_writer *rw = writer;
    pthread_mutex_lock(&rw->mu);
    while (rw->n == QUEUE_ROWS && !rw->failed)
        pthread_cond_wait(&rw->not_full, &rw->mu);
    int failed = rw->failed;
    if (!failed) {
        rw->ring[(rw->head + rw->n) % QUEUE_ROWS] = *r;
        if (++rw->n == WAKE_ROWS)
            pthread_cond_signal(&rw->not_empty);
    }
    pthread_mutex_unlock(&rw->mu);
    return failed;
}

int vqi_row_writer_finish(vqi_row_writer *rw)
{
    pthread_mutex_lock(&rw->mu);
    rw->done = 1;
    pthread_cond_signal(&rw->not_empty);
    pthread_mutex_unlock(&rw->mu);
    pthread_join(rw->thread, NULL);
    int failed = rw->failed;
    pthread_cond_destroy(&rw->not_full);
    pthread_cond_destroy(&rw->not_empty);
    pthread_mutex_destroy(&rw->mu);
    free(rw);
    return failed ? -1 : 0;
}
