/* fuzz_table.c - libFuzzer target: every table reader (pickle, CSV, and
 * compressed forms) through vqi_table_read, plus a CSV export of what loads. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "table/table.h"
#include "fuzz_memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path);
    if (fd < 0)
        return 0;
    vqi_err err;
    vqi_table *t = vqi_table_read(path, &err);
    if (t) {
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull) {
            vqi_table_write_csv(t, devnull);
            fclose(devnull);
        }
        vqi_table_free(t);
    }
    close(fd);
    return 0;
}
