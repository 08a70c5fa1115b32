/* pickle.c - vqi_pickle_read: run the pickle program into an object graph
 * (pvm.c), then rebuild the DataFrame from it (frame.c, frame_column.c). */
#include "pickle_int.h"

#include <string.h>

int vqi_pickle_sniff(const uint8_t *data, size_t len)
{
    if (len >= 2 && data[0] == 0x80 && data[1] <= 5)
        return 1;
    /* protocol 0/1 DataFrames start with a global ("ccopy_reg\n...") or
     * the opening of a container/tuple followed by one */
    if (len >= 4 && data[0] == 'c') {
        const uint8_t *nl = memchr(data, '\n', len < 200 ? len : 200);
        if (!nl || nl == data + 1)
            return 0;
        for (const uint8_t *p = data + 1; p < nl; p++)
            if (!(*p == '_' || *p == '.' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9')))
                return 0;
        return 1;
    }
    return len >= 2 && (data[0] == '(' || data[0] == ']' || data[0] == '}') &&
           (data[1] == 'c' || data[1] == '(' || data[1] == 'd' || data[1] == 'l' ||
            data[1] == 'q' || data[1] == 'p');
}

static vqi_table *read_pickle(const uint8_t *data, size_t len, int mapped, vqi_err *err)
{
    arena a = {0};
    pobj *top = pvm_run(data, len, &a, err);
    vqi_table *t = top ? frame_from_obj(top, &a, mapped, len, err) : NULL;
    arena_free(&a);
    return t;
}

vqi_table *vqi_pickle_read(const uint8_t *data, size_t len, const char *name, vqi_err *err)
{
    (void)name;
    return read_pickle(data, len, 0, err);
}

vqi_table *vqi_pickle_read_mapped(const uint8_t *data, size_t len, const char *name,
                                  vqi_err *err)
{
    (void)name;
    return read_pickle(data, len, 1, err);
}
