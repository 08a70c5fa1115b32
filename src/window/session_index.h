/* session_index.h - client-address hash and window-end heap of the window
 * stage's sessions (internal to src/window). */
#ifndef VQI_WINDOW_SESSION_INDEX_H
#define VQI_WINDOW_SESSION_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "window_int.h"

typedef struct vqi_sidx_due {
    int64_t end_ns;            /* end of the session's current window */
    uint32_t index, gen;       /* session slot; stale when gen differs */
} vqi_sidx_due;

typedef struct vqi_sidx {
    uint32_t *slot;            /* session index + 1, 0 = empty */
    size_t cap, count;
    vqi_sidx_due *heap;
    size_t n_heap, cap_heap;
} vqi_sidx;

void vqi_sidx_free(vqi_sidx *x);
long vqi_sidx_find(const vqi_sidx *x, const vqi_session *sess, const uint8_t client[16]);
int vqi_sidx_insert(vqi_sidx *x, const vqi_session *sess, uint32_t index);
void vqi_sidx_remove(vqi_sidx *x, const vqi_session *sess, uint32_t index);
int vqi_sidx_push(vqi_sidx *x, int64_t end_ns, uint32_t index, uint32_t gen);
int64_t vqi_sidx_next(const vqi_sidx *x);         /* INT64_MAX when empty */
vqi_sidx_due vqi_sidx_pop(vqi_sidx *x);           /* only when not empty */

#endif
