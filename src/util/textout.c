/* textout.c - CSV field quoting and JSON string escaping (see textout.h). */
#include "textout.h"

#include <string.h>

void vqi_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int vqi_utf8_seq_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    int n = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
          : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    /* overlong 3/4-byte forms, surrogates and code points past U+10FFFF */
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
        return 0;
    return n;
}

void vqi_json_string(FILE *f, const char *s)
{
    const unsigned char *c = (const unsigned char *)s;
    fputc('"', f);
    while (*c) {
        if (*c == '"' || *c == '\\') {
            fputc('\\', f);
            fputc(*c++, f);
        } else if (*c < 0x20) {
            fprintf(f, "\\u%04x", *c++);
        } else {
            int n = vqi_utf8_seq_len(c);
            if (n == 0)
                fprintf(f, "\\u%04x", *c++);
            else {
                fwrite(c, 1, (size_t)n, f);
                c += n;
            }
        }
    }
    fputc('"', f);
}
