/* pickle.c - placeholder until the opcode interpreter lands. */
#include "pickle.h"

int vqi_pickle_sniff(const uint8_t *data, size_t len)
{
    return len >= 2 && data[0] == 0x80 && data[1] <= 5;
}

vqi_table *vqi_pickle_read(const uint8_t *data, size_t len, const char *name, vqi_err *err)
{
    (void)data;
    (void)len;
    (void)name;
    vqi_err_set(err, VQI_EXIT_USAGE, "pickle files are not supported yet");
    return NULL;
}
