/* internal.h - what the files of src/model share among themselves and no
 * other stage needs: seeded random numbers (splitmix64) for the splits and
 * the hyper-parameter search, and the raw XGBoost model bytes for the model
 * file. */
#ifndef VQI_MODEL_INTERNAL_H
#define VQI_MODEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

uint64_t vqi_rng_next(uint64_t *state);
size_t vqi_rng_below(uint64_t *state, size_t n);   /* 0..n-1 */
void vqi_rng_shuffle(uint64_t *state, size_t *v, size_t n);

/* Give m a booster loaded from XGBoost model bytes (UBJSON or JSON). */
int vqi_booster_load(vqi_model *m, const uint8_t *buf, size_t len, vqi_err *err);
/* XGBoost's UBJSON bytes of m's booster; valid until the next XGBoost call. */
int vqi_booster_bytes(const vqi_model *m, const char **bytes, size_t *len, vqi_err *err);

#endif
