/* textout.h - the one place that quotes text for CSV and JSON output.
 *
 * CSV follows RFC 4180 / Python's csv.QUOTE_MINIMAL (quote a field holding a
 * comma, a quote or a line break; double the quotes).  JSON strings escape
 * quotes, backslashes and control characters; valid UTF-8 passes through and
 * any other byte is written as \u00XX, so the output is always valid JSON
 * whatever bytes a hostile input carried. */
#ifndef VQI_TEXTOUT_H
#define VQI_TEXTOUT_H

#include <stdio.h>

void vqi_csv_field(FILE *f, const char *s);
void vqi_json_string(FILE *f, const char *s);

/* Length of the valid UTF-8 sequence starting at s (1-4), 0 if invalid. */
int vqi_utf8_seq_len(const unsigned char *s);

#endif
