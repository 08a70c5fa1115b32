/* xgb_loader.c - the XGBoost C API functions vqi calls, each forwarding to
 * libxgboost loaded with dlopen() on first use.  Linking libxgboost directly
 * cost every vqi process ~30 ms of start-up (its static initialisers and
 * libgomp) even for subcommands that never train or predict; now only the
 * commands that use a model pay for it.  If the library cannot be loaded,
 * every function returns XGBoost's error value (-1) and XGBGetLastError()
 * says why, so booster.c reports it like any other XGBoost failure. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <xgboost/c_api.h>

#include "../util/dynlib.h"

/* The Makefile passes the soname of the installed -dev package's library. */
#ifndef VQI_XGBOOST_SONAME
#define VQI_XGBOOST_SONAME "libxgboost.so.0"
#endif

/* One pointer per function, typed from the declaration in c_api.h so that
 * a signature mismatch is a compile error. */
#define XGB_FUNCTIONS(X) \
    X(XGBGetLastError) X(XGBRegisterLogCallback) X(XGBSetGlobalConfig) \
    X(XGBoosterCreate) X(XGBoosterFeatureScore) X(XGBoosterFree) \
    X(XGBoosterGetNumFeature) X(XGBoosterLoadModelFromBuffer) \
    X(XGBoosterPredictFromDMatrix) X(XGBoosterSaveModelToBuffer) X(XGBoosterSetParam) \
    X(XGBoosterUpdateOneIter) X(XGDMatrixCreateFromMat) X(XGDMatrixFree) \
    X(XGDMatrixSetFloatInfo)

#define XGB_POINTER(name) static __typeof__(name) *real_##name;
XGB_FUNCTIONS(XGB_POINTER)

static pthread_once_t xgb_once = PTHREAD_ONCE_INIT;
static int xgb_loaded;
static char xgb_load_error[512];

/* XGBoost's OpenMP threads busy-wait between its many short parallel
 * regions; on a shared, loaded machine that multiplies the wall time (25 s
 * instead of 2 s for the test fixture with the load of a parallel build).
 * libgomp reads OMP_WAIT_POLICY once, in its constructor, which runs when
 * it is loaded: here, as libxgboost's dependency (vqi does not link it).
 * So for the length of that dlopen the policy is "passive", unless the
 * user chose one (OMP_WAIT_POLICY, GOMP_SPINCOUNT) or libgomp is already
 * loaded (a program embedding the library: its policy is fixed).
 * Returns whether the variable was set (and must be removed again). */
static int prefer_passive_threads(void)
{
    if (getenv("OMP_WAIT_POLICY") || getenv("GOMP_SPINCOUNT"))
        return 0;
    void *gomp = dlopen("libgomp.so.1", RTLD_NOW | RTLD_NOLOAD);
    if (gomp) {
        dlclose(gomp);
        return 0;
    }
    return setenv("OMP_WAIT_POLICY", "passive", 0) == 0;
}

#define XGB_SYM(name) VQI_DYNSYM(real_, name)
static const vqi_dynsym xgb_syms[] = {XGB_FUNCTIONS(XGB_SYM)};

/* The library stays loaded for the life of the process (it keeps threads
 * and global state; unloading it is not supported). */
static void xgb_load(void)
{
    int passive = prefer_passive_threads();
    char why[400];
    xgb_loaded = vqi_dynlib_load(VQI_XGBOOST_SONAME, xgb_syms, sizeof xgb_syms / sizeof *xgb_syms,
                                 why, sizeof why) == 0;
    /* libgomp has read it: programs vqi starts see the user's environment */
    if (passive)
        unsetenv("OMP_WAIT_POLICY");
    if (!xgb_loaded)
        snprintf(xgb_load_error, sizeof xgb_load_error, "cannot load %s: %s", VQI_XGBOOST_SONAME,
                 why);
}

static int xgb_ready(void)
{
    pthread_once(&xgb_once, xgb_load);
    return xgb_loaded;
}

const char *XGBGetLastError(void)
{
    return xgb_ready() ? real_XGBGetLastError() : xgb_load_error;
}

int XGBRegisterLogCallback(void (*callback)(const char *))
{
    return xgb_ready() ? real_XGBRegisterLogCallback(callback) : -1;
}

int XGBSetGlobalConfig(char const *config)
{
    return xgb_ready() ? real_XGBSetGlobalConfig(config) : -1;
}

int XGBoosterCreate(const DMatrixHandle dmats[], bst_ulong len, BoosterHandle *out)
{
    return xgb_ready() ? real_XGBoosterCreate(dmats, len, out) : -1;
}

int XGBoosterFeatureScore(BoosterHandle handle, const char *config, bst_ulong *out_n_features,
                          char const ***out_features, bst_ulong *out_dim,
                          bst_ulong const **out_shape, float const **out_scores)
{
    return xgb_ready() ? real_XGBoosterFeatureScore(handle, config, out_n_features, out_features,
                                                    out_dim, out_shape, out_scores)
                       : -1;
}

int XGBoosterFree(BoosterHandle handle)
{
    return xgb_ready() ? real_XGBoosterFree(handle) : -1;
}

int XGBoosterGetNumFeature(BoosterHandle handle, bst_ulong *out)
{
    return xgb_ready() ? real_XGBoosterGetNumFeature(handle, out) : -1;
}

int XGBoosterLoadModelFromBuffer(BoosterHandle handle, const void *buf, bst_ulong len)
{
    return xgb_ready() ? real_XGBoosterLoadModelFromBuffer(handle, buf, len) : -1;
}

int XGBoosterPredictFromDMatrix(BoosterHandle handle, DMatrixHandle dmat, char const *config,
                                bst_ulong const **out_shape, bst_ulong *out_dim,
                                float const **out_result)
{
    return xgb_ready() ? real_XGBoosterPredictFromDMatrix(handle, dmat, config, out_shape,
                                                          out_dim, out_result)
                       : -1;
}

int XGBoosterSaveModelToBuffer(BoosterHandle handle, char const *config, bst_ulong *out_len,
                               char const **out_dptr)
{
    return xgb_ready() ? real_XGBoosterSaveModelToBuffer(handle, config, out_len, out_dptr) : -1;
}

int XGBoosterSetParam(BoosterHandle handle, const char *name, const char *value)
{
    return xgb_ready() ? real_XGBoosterSetParam(handle, name, value) : -1;
}

int XGBoosterUpdateOneIter(BoosterHandle handle, int iter, DMatrixHandle dtrain)
{
    return xgb_ready() ? real_XGBoosterUpdateOneIter(handle, iter, dtrain) : -1;
}

int XGDMatrixCreateFromMat(const float *data, bst_ulong nrow, bst_ulong ncol, float missing,
                           DMatrixHandle *out)
{
    return xgb_ready() ? real_XGDMatrixCreateFromMat(data, nrow, ncol, missing, out) : -1;
}

int XGDMatrixFree(DMatrixHandle handle)
{
    return xgb_ready() ? real_XGDMatrixFree(handle) : -1;
}

int XGDMatrixSetFloatInfo(DMatrixHandle handle, const char *field, const float *array,
                          bst_ulong len)
{
    return xgb_ready() ? real_XGDMatrixSetFloatInfo(handle, field, array, len) : -1;
}
