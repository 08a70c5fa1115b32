/* fuzz_pickle.c - libFuzzer target: the pickle virtual machine and pandas
 * DataFrame rebuilding alone (no file, no decompression), plus CSV export. */
#include <stdint.h>
#include <stdio.h>

#include "pickle/pickle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vqi_err err;
    vqi_table *t = vqi_pickle_read(data, size, "fuzz.pkl", &err);
    if (t) {
        static FILE *devnull;
        if (!devnull)
            devnull = fopen("/dev/null", "w");
        if (devnull)
            vqi_table_write_csv(t, devnull);
        vqi_table_free(t);
    }
    return 0;
}
