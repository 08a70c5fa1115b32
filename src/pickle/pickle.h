/* pickle.h - pandas DataFrame/Series pickles read without running code.
 *
 * The pickle opcodes (protocols 0-5) are interpreted into a plain object
 * graph; only the globals a pandas/numpy DataFrame needs are accepted and
 * anything else is refused by name.  The frame is then rebuilt as a
 * vqi_table (index levels as leading is_index columns, as to_csv writes). */
#ifndef VQI_PICKLE_H
#define VQI_PICKLE_H

#include <stddef.h>
#include <stdint.h>
#include "../table/table.h"
#include "../util/err.h"

/* Does the content look like a pickle (protocol 2+ header, or the opening
 * opcodes of a protocol 0/1 stream)? */
int vqi_pickle_sniff(const uint8_t *data, size_t len);

/* Rebuild the DataFrame (or Series) pickled in data[0..len).  data must stay
 * valid during the call only.  name is used in messages.  NULL + err on
 * malformed, hostile or unsupported input (code VQI_EXIT_USAGE). */
vqi_table *vqi_pickle_read(const uint8_t *data, size_t len, const char *name, vqi_err *err);

/* The same for data mapped read-only from a file (vqi_in_map): the pages
 * of each column's array payload are handed back to the kernel once the
 * column is copied (MADV_DONTNEED), so that peak memory stays near one copy
 * of the data instead of two.  Never use it on heap memory. */
vqi_table *vqi_pickle_read_mapped(const uint8_t *data, size_t len, const char *name,
                                  vqi_err *err);

#endif
