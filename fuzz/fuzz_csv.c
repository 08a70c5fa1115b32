/* fuzz_csv.c - libFuzzer target: the CSV parser alone (no file, no sniffing
 * or decompression, so every input reaches it) and CSV export of the result. */
#include <stdint.h>
#include <stdio.h>

#include "table/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vqi_err err;
    vqi_table *t = vqi_csv_parse(data, size, &err);
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
