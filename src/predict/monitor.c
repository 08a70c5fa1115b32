/* monitor.c - the live pipeline of `vqi monitor`: a capture thread filling a
 * bounded ring (live interfaces) or a paced reader (replayed files), the
 * window stage fed in the main thread, clock ticks that close windows during
 * silence, one record per closed window with its prediction. */
#include "predict.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../capture/capture.h"
#include "../decode/decode.h"

#define RING_SLOTS 4096u
#define TICK_NS 250000000LL          /* how often silence is checked */
#define STATS_EVERY_NS 1000000000LL  /* capture thread: libpcap counters at most 1/s */

typedef struct slot_meta {
    int64_t ts_ns;
    uint32_t caplen, wirelen, linktype;
} slot_meta;

struct vqi_monitor {
    vqi_monitor_config cfg;
    vqi_window_config win;
    vqi_monitor_emit_fn emit;
    void *ctx;
    vqi_capture *cap;
    vqi_windows *w;
    vqi_predictor *pred;
    double *proba;
    atomic_int stop;
    int64_t last_fed_ns;
    vqi_monitor_stats stats;     /* main thread's view */
    vqi_err emit_err;
    int emit_failed;

    /* live only: the ring between the capture thread and the main thread */
    pthread_t thread;
    int thread_started;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    slot_meta *meta;
    uint8_t *data;
    size_t slot_size;
    uint64_t head, tail;         /* frames put / taken (head - tail in ring) */
    int eof, thread_failed;
    vqi_err thread_err;
    vqi_capture_stats cap_stats; /* last libpcap counters (under mu) */
    uint64_t ring_full;          /* under mu */
};

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void deadline_in(struct timespec *ts, int64_t ns)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    int64_t t = (int64_t)ts->tv_nsec + ns;
    ts->tv_sec += t / 1000000000;
    ts->tv_nsec = t % 1000000000;
}

/* Counters as of now, for a record or the caller. */
static void snapshot(vqi_monitor *m, vqi_monitor_stats *s)
{
    *s = m->stats;
    if (m->cfg.iface && m->thread_started) {
        pthread_mutex_lock(&m->mu);
        s->kernel_drops = m->cap_stats.kernel_drops;
        s->iface_drops = m->cap_stats.iface_drops;
        s->ring_full = m->ring_full;
        pthread_mutex_unlock(&m->mu);
    } else if (m->cap) {
        vqi_capture_stats cs;
        vqi_capture_get_stats(m->cap, &cs);
        s->kernel_drops = cs.kernel_drops;
        s->iface_drops = cs.iface_drops;
    }
}

static int on_window(void *ctx, const vqi_window_row *row)
{
    vqi_monitor *m = ctx;
    vqi_monitor_record r = {row, -1, NULL, {0}};
    if (m->pred) {
        r.predicted = vqi_predictor_row(m->pred, row, m->proba, &m->emit_err);
        if (r.predicted < 0) {
            m->emit_failed = 1;
            return 1;
        }
        r.proba = m->proba;
    }
    m->stats.windows++;
    snapshot(m, &r.stats);
    if (m->emit(m->ctx, &r) != 0) {
        m->emit_failed = 1;
        vqi_err_set(&m->emit_err, VQI_EXIT_FAIL, "output stopped");
        return 1;
    }
    return 0;
}

/* The window stage's error, or the record's when the callback stopped it. */
static int stage_error(vqi_monitor *m, vqi_err *err)
{
    if (m->emit_failed && err)
        *err = m->emit_err;
    return -1;
}

static int feed_frame(vqi_monitor *m, const vqi_frame *f, vqi_err *err)
{
    vqi_packet p;
    vqi_decode(f, &p);
    int remote_is_src = 0;
    vqi_ident how = VQI_IDENT_NONE;
    if (p.ipver) {
        vqi_service_observe(m->cfg.svc, &p);
        how = vqi_service_classify(m->cfg.svc, &p, &remote_is_src);
    }
    m->stats.frames++;
    if (p.ts_ns > m->last_fed_ns)
        m->last_fed_ns = p.ts_ns;
    if (vqi_windows_feed(m->w, &p, how, remote_is_src, err) < 0)
        return stage_error(m, err);
    return 0;
}

/* Close the windows that ended before t: a non-IP packet of no length only
 * moves the window stage's clock. */
static int tick(vqi_monitor *m, int64_t t, vqi_err *err)
{
    if (m->last_fed_ns == INT64_MIN || t <= m->last_fed_ns)
        return 0;
    vqi_packet p;
    memset(&p, 0, sizeof p);
    p.ts_ns = t;
    m->last_fed_ns = t;
    if (vqi_windows_feed(m->w, &p, VQI_IDENT_NONE, 0, err) < 0)
        return stage_error(m, err);
    return 0;
}

/* ------------------------------------------------------ capture thread -- */

static void *capture_main(void *arg)
{
    vqi_monitor *m = arg;
    vqi_frame f;
    vqi_err e = {{0}, 0};
    int64_t next_stats = 0;
    for (;;) {
        int r = vqi_capture_next(m->cap, &f, &e);
        if (r <= 0) {
            pthread_mutex_lock(&m->mu);
            m->eof = 1;
            if (r < 0) {
                m->thread_failed = 1;
                m->thread_err = e;
            }
            pthread_cond_signal(&m->not_empty);
            pthread_mutex_unlock(&m->mu);
            break;
        }
        vqi_capture_stats cs;
        int64_t now = clock_ns(CLOCK_MONOTONIC);
        int have_stats = now >= next_stats;
        if (have_stats) {
            vqi_capture_get_stats(m->cap, &cs);
            next_stats = now + STATS_EVERY_NS;
        }
        pthread_mutex_lock(&m->mu);
        if (have_stats)
            m->cap_stats = cs;
        if (m->head - m->tail == RING_SLOTS)
            m->ring_full++;
        while (m->head - m->tail == RING_SLOTS && !atomic_load(&m->stop)) {
            struct timespec dl;
            deadline_in(&dl, TICK_NS);
            pthread_cond_timedwait(&m->not_full, &m->mu, &dl);
        }
        if (atomic_load(&m->stop)) {
            pthread_mutex_unlock(&m->mu);
            continue;                /* the capture was broken: next returns 0 */
        }
        size_t i = (size_t)(m->head % RING_SLOTS);
        uint32_t n = f.caplen < m->slot_size ? f.caplen : (uint32_t)m->slot_size;
        m->meta[i] = (slot_meta){f.ts_ns, n, f.wirelen, f.linktype};
        memcpy(m->data + i * m->slot_size, f.data, n);
        m->head++;
        pthread_cond_signal(&m->not_empty);
        pthread_mutex_unlock(&m->mu);
    }
    return NULL;
}

static int run_live(vqi_monitor *m, vqi_err *err)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&m->not_empty, &ca);
    pthread_cond_init(&m->not_full, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&m->mu, NULL);
    if (pthread_create(&m->thread, NULL, capture_main, m) != 0) {
        pthread_cond_destroy(&m->not_empty);
        pthread_cond_destroy(&m->not_full);
        pthread_mutex_destroy(&m->mu);
        return vqi_err_set(err, VQI_EXIT_FAIL, "cannot start the capture thread");
    }
    m->thread_started = 1;
    int64_t delay = (int64_t)(m->cfg.tick_delay_s * 1e9);
    int rc = 0;
    for (;;) {
        pthread_mutex_lock(&m->mu);
        int timed_out = 0;
        while (m->head == m->tail && !m->eof && !atomic_load(&m->stop) && !timed_out) {
            struct timespec dl;
            deadline_in(&dl, TICK_NS);
            timed_out = pthread_cond_timedwait(&m->not_empty, &m->mu, &dl) != 0;
        }
        if (m->head != m->tail) {
            size_t i = (size_t)(m->tail % RING_SLOTS);
            pthread_mutex_unlock(&m->mu);
            /* the slot stays ours until tail moves on */
            slot_meta *s = &m->meta[i];
            vqi_frame f = {s->ts_ns, s->caplen, s->wirelen, s->linktype, 0,
                           m->data + i * m->slot_size};
            rc = feed_frame(m, &f, err);
            pthread_mutex_lock(&m->mu);
            m->tail++;
            pthread_cond_signal(&m->not_full);
            pthread_mutex_unlock(&m->mu);
            if (rc < 0)
                break;
            continue;
        }
        int done = m->eof || atomic_load(&m->stop);
        pthread_mutex_unlock(&m->mu);
        if (done)
            break;
        if ((rc = tick(m, clock_ns(CLOCK_REALTIME) - delay, err)) < 0)
            break;
    }
    if (rc < 0) {
        atomic_store(&m->stop, 1);
        vqi_capture_break(m->cap);
    }
    pthread_join(m->thread, NULL);
    m->thread_started = 0;
    pthread_cond_destroy(&m->not_empty);
    pthread_cond_destroy(&m->not_full);
    pthread_mutex_destroy(&m->mu);
    if (rc == 0 && m->thread_failed) {
        *err = m->thread_err;
        rc = -1;
    }
    return rc;
}

/* ---------------------------------------------------------- file replay -- */

static void sleep_ns(int64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    nanosleep(&ts, NULL);
}

static int run_file(vqi_monitor *m, vqi_err *err)
{
    vqi_frame f;
    int64_t ts0 = 0, mono0 = 0;
    int started = 0;
    while (!atomic_load(&m->stop)) {
        int r = vqi_capture_next(m->cap, &f, err);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        if (m->cfg.realtime) {
            if (!started) {
                ts0 = f.ts_ns;
                mono0 = clock_ns(CLOCK_MONOTONIC);
                started = 1;
            }
            /* wait for the packet's offset, closing windows on the replay clock */
            for (;;) {
                int64_t elapsed = clock_ns(CLOCK_MONOTONIC) - mono0;
                if (elapsed >= f.ts_ns - ts0 || atomic_load(&m->stop))
                    break;
                int64_t wait = f.ts_ns - ts0 - elapsed;
                sleep_ns(wait < TICK_NS ? wait : TICK_NS);
                elapsed = clock_ns(CLOCK_MONOTONIC) - mono0;
                int64_t now = ts0 + (elapsed < f.ts_ns - ts0 ? elapsed : f.ts_ns - ts0);
                if (tick(m, now, err) < 0)
                    return -1;
            }
            if (atomic_load(&m->stop))
                break;                  /* a packet of the future is not seen */
        }
        if (feed_frame(m, &f, err) < 0)
            return -1;
    }
    const char *warning = vqi_capture_warning(m->cap);
    if (warning)
        vqi_warn(m->cfg.file, "%s", warning);
    return 0;
}

/* ------------------------------------------------------------- public -- */

vqi_monitor *vqi_monitor_open(const vqi_monitor_config *cfg, vqi_monitor_emit_fn emit,
                              void *ctx, vqi_err *err)
{
    if (!cfg->iface == !cfg->file)
        return vqi_err_set(err, VQI_EXIT_USAGE, "monitor: one interface or one file"), NULL;
    vqi_monitor *m = calloc(1, sizeof *m);
    if (!m)
        return vqi_err_set(err, VQI_EXIT_FAIL, "out of memory"), NULL;
    m->cfg = *cfg;
    m->win = *cfg->win;
    m->cfg.win = &m->win;
    m->emit = emit;
    m->ctx = ctx;
    m->last_fed_ns = INT64_MIN;
    atomic_init(&m->stop, 0);
    if (!(m->cfg.tick_delay_s >= 0 && m->cfg.tick_delay_s <= 3600))
        m->cfg.tick_delay_s = 1;
    if (cfg->model) {
        m->proba = calloc(cfg->model->nclasses ? cfg->model->nclasses : 1, sizeof *m->proba);
        if (!m->proba) {
            vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
            goto fail;
        }
        if (!(m->pred = vqi_predictor_new(cfg->model, &m->win, err)))
            goto fail;
    }
    if (!(m->w = vqi_windows_new(&m->win, on_window, m, err)))
        goto fail;
    if (cfg->iface) {
        int snap = cfg->snaplen > 0 ? cfg->snaplen : 65535;
        m->slot_size = (size_t)snap;
        m->meta = calloc(RING_SLOTS, sizeof *m->meta);
        m->data = malloc(RING_SLOTS * m->slot_size);
        if (!m->meta || !m->data) {
            vqi_err_set(err, VQI_EXIT_FAIL, "out of memory (ring of %u x %zu bytes)",
                        RING_SLOTS, m->slot_size);
            goto fail;
        }
        m->cap = vqi_capture_open_live(cfg->iface, cfg->bpf, snap, cfg->promisc, err);
    } else {
        m->cap = vqi_capture_open(cfg->file, err);
    }
    if (!m->cap)
        goto fail;
    return m;
fail:
    vqi_monitor_close(m);
    return NULL;
}

int vqi_monitor_run(vqi_monitor *mon, vqi_err *err)
{
    int rc = mon->cfg.iface ? run_live(mon, err) : run_file(mon, err);
    if (rc == 0 && vqi_windows_flush(mon->w, err) < 0)
        rc = stage_error(mon, err);
    return rc;
}

void vqi_monitor_stop(vqi_monitor *mon)
{
    if (!mon)
        return;
    atomic_store(&mon->stop, 1);
    if (mon->cfg.iface)
        vqi_capture_break(mon->cap);
}

void vqi_monitor_get_stats(vqi_monitor *mon, vqi_monitor_stats *s)
{
    snapshot(mon, s);
}

void vqi_monitor_close(vqi_monitor *m)
{
    if (!m)
        return;
    vqi_capture_close(m->cap);
    vqi_windows_free(m->w);
    vqi_predictor_free(m->pred);
    free(m->proba);
    free(m->meta);
    free(m->data);
    free(m);
}
