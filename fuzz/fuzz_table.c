/* fuzz_table.c - libFuzzer target: every table reader (pickle, CSV, and
 * compressed forms) through vqi_table_read, then what `vqi train` and
 * `vqi dataset clean` do with a table that loads: the feature matrix
 * (grouped by session_id when there is one) and the cleaning rules, with a
 * CSV export before and after cleaning. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "model/model.h"
#include "table/clean.h"
#include "table/table.h"
#include "fuzz_memfile.h"

static void export(const vqi_table *t)
{
    static FILE *devnull;
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    if (devnull)
        vqi_table_write_csv(t, devnull);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path);
    if (fd < 0)
        return 0;
    vqi_err err;
    vqi_table *t = vqi_table_read(path, &err);
    if (t) {
        export(t);
        vqi_dataset_spec spec = {
            .label = "resolution",
            .group = vqi_table_find(t, "session_id") >= 0 ? "session_id" : NULL,
            .classes = (t->nrows & 1) ? "240,360,480,720,1080" : NULL,
        };
        vqi_dataset_free(vqi_dataset_build(t, &spec, &err));
        vqi_clean_report rep;
        if (vqi_clean(t, NULL, &rep, &err) == 0)
            export(t);
        vqi_clean_report_free(&rep);
        vqi_table_free(t);
    }
    close(fd);
    return 0;
}
