/* read.c - vqi_table_read: any table file vqi knows, recognised by content
 * (compression by magic, then pickle opcodes or CSV text). */
#include "table.h"

#include "../pickle/pickle.h"
#include "../util/input.h"

/* No size limit of our own: the input layer maps plain files, and
 * decompressed content must fit in memory anyway. */
#define MAX_CONTENT ((size_t)1 << 40)

vqi_table *vqi_table_parse(const uint8_t *data, size_t len, const char *name, vqi_err *err)
{
    if (vqi_pickle_sniff(data, len))
        return vqi_pickle_read(data, len, name, err);
    return vqi_csv_parse(data, len, err);
}

vqi_table *vqi_table_read(const char *path, vqi_err *err)
{
    vqi_in *in = vqi_in_open(path, err);
    if (!in)
        return NULL;
    size_t len;
    const uint8_t *data = vqi_in_map(in, &len);
    vqi_table *t;
    if (data && vqi_pickle_sniff(data, len))       /* plain file: read in place */
        t = vqi_pickle_read_mapped(data, len, path, err);
    else {
        data = vqi_in_slurp(in, &len, MAX_CONTENT, err);
        t = data ? vqi_table_parse(data, len, path, err) : NULL;
    }
    vqi_in_close(in);
    return t;
}
