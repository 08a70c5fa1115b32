/* text.c - cells as the text pandas writes: Python float repr, True/False,
 * numpy's str() of per-row arrays, pandas' datetime format. */
#include "table.h"
#include "../util/textout.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Shortest decimal digits that read back as x (x finite, > 0).  Fills
 * digits (no dot, no trailing zeros) and returns the decimal exponent decpt
 * such that x = 0.DIGITS * 10^decpt.
 * Why 15 first: a string of <= 15 significant digits that round-trips is
 * necessarily the correctly rounded 15-digit value (the 15-digit spacing is
 * wider than an ulp), so stripping its zeros gives the shortest; otherwise
 * 16 or 17 digits are needed and the correctly rounded one is taken. */
/* Fast path of shortest_digits: x as an integer Y < 1e15 over 10^k with
 * the fewest fractional digits k.  Unique and shortest when it exists: a
 * decimal of <= 15 significant digits that round-trips is the correctly
 * rounded one, and Y / 10^k is computed exactly rounded, like strtod.
 * Returns decpt, or INT32_MIN when x needs the slow path. */
static int small_decimal(double x, char *digits)
{
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
                                 1e21, 1e22};
    if (x >= 1e15 || x < 1e-7)
        return INT32_MIN;
    for (int k = 0; k < (int)(sizeof p10 / sizeof *p10); k++) {
        double y = nearbyint(x * p10[k]);
        if (y >= 1e15)
            break;
        if (y / p10[k] != x)
            continue;
        uint64_t v = (uint64_t)y;
        char tmp[24];
        int n = 0;
        do {
            tmp[n++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        int decpt = n - k, m = 0;
        while (n > 0)
            digits[m++] = tmp[--n];
        while (m > 1 && digits[m - 1] == '0')
            m--;
        digits[m] = '\0';
        return decpt;
    }
    return INT32_MIN;
}

/* ---- exact decimal rounding in 128-bit integers ----
 * For 1e-4 <= x < 1e15, x = m * 2^-s with m < 2^53 and 3 <= s <= 66, so
 * x * 10^t (t <= 20) and the round-trip bounds below fit in 128 bits and
 * the rounding is exact - the same digits as glibc's printf (correct
 * rounding, ties to even) and strtod, without their multi-precision code,
 * which was most of the cost of writing window rows. */
typedef unsigned __int128 u128;

static u128 pow10_u128(int t)
{
    static const uint64_t p10[20] = {
        1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
        100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
        10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
        100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL};
    u128 p = p10[t < 19 ? t : 19];
    for (; t > 19; t--)
        p *= 10;
    return p;
}

/* x (1e-4 <= x < 1e15: normal, positive) as mantissa and shift:
 * x = m / 2^s with 2^52 <= m < 2^53, read from the bits (frexp + ldexp
 * were calls per cell). */
static void split_binary(double x, uint64_t *m, int *s)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int biased = (int)((bits >> 52) & 0x7FF);
    *m = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
    *s = 1075 - biased;
}

/* floor(e * log10(2)) for |e| < 1100, in integers (78913 / 2^18 is close
 * enough to log10(2) there; checked over the whole range). */
static int floor_log10_pow2(int e)
{
    return e >= 0 ? (int)(((long)e * 78913) >> 18) : -(int)((-(long)e * 78913 + (1L << 18) - 1) >> 18);
}

/* round(m * 10^t / 2^s), ties to even. */
static uint64_t round_scaled(uint64_t m, int s, int t)
{
    u128 num = (u128)m * pow10_u128(t);
    u128 q = num >> s, rem = num & (((u128)1 << s) - 1), half = (u128)1 << (s - 1);
    if (rem > half || (rem == half && (q & 1)))
        q++;
    return (uint64_t)q;
}

/* Does D / 10^t read back (round to nearest, ties to even) as m / 2^s? */
static int reads_back(uint64_t d, int t, uint64_t m, int s)
{
    u128 p10 = pow10_u128(t);
    u128 y = (u128)d << (s + 2);                   /* D/10^t scaled by 10^t 2^(s+2) */
    u128 hi = (u128)(4 * m + 2) * p10;             /* midpoint to the next double */
    u128 lo = (u128)(4 * m - (m == (1ULL << 52) ? 1 : 2)) * p10;  /* half gap below */
    if (y > lo && y < hi)
        return 1;
    return (y == lo || y == hi) && !(m & 1);
}

/* Is m / 2^s >= 10^e?  (|e| <= 16, s <= 66: the products fit.) */
static int at_least_pow10(uint64_t m, int s, int e)
{
    u128 lhs = (u128)m * pow10_u128(e < 0 ? -e : 0);
    u128 rhs = pow10_u128(e > 0 ? e : 0) << s;
    return lhs >= rhs;
}

/* The significant digits of printf's "%.*e" text (d.ddddde[+-]XX), trailing
 * zeros dropped, into digits; returns the decimal exponent + 1. */
static int digits_of_e_format(const char *buf, char *digits)
{
    int n = 0;
    const char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    int exp10 = atoi(p + 1);
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    return exp10 + 1;
}

/* Shortest digits of x as the slow path below finds them (15, 16 or 17
 * correctly rounded digits), computed exactly.  INT32_MIN outside the range. */
static int exact_digits(double x, char *digits)
{
    if (!(x >= 1e-4 && x < 1e15))
        return INT32_MIN;
    uint64_t m;
    int s;
    split_binary(x, &m, &s);
    /* 2^(52-s) <= x < 2^(53-s): floor(log10 x) is this or one more, which
     * the exact comparisons below settle (log10() was a libm call per cell) */
    int e10 = floor_log10_pow2(52 - s);
    if (!at_least_pow10(m, s, e10))
        e10--;
    else if (at_least_pow10(m, s, e10 + 1))
        e10++;
    for (int prec = 15; prec <= 17; prec++) {
        int t = prec - 1 - e10;                  /* 0 <= t <= 20: 4m * 10^t < 2^122 */
        uint64_t d = round_scaled(m, s, t);
        if (prec < 17 && !reads_back(d, t, m, s))
            continue;
        /* rounding up may carry into one more digit (9.99.. -> 10.0) */
        int decpt = d == (uint64_t)pow10_u128(prec) ? e10 + 2 : e10 + 1;
        char tmp[24];
        int n = 0;
        for (; d; d /= 10)
            tmp[n++] = (char)('0' + d % 10);
        int k = 0;
        while (n > 0)
            digits[k++] = tmp[--n];
        while (k > 1 && digits[k - 1] == '0')
            k--;
        digits[k] = '\0';
        return decpt;
    }
    return INT32_MIN;
}

static int shortest_digits(double x, char *digits)
{
    int fast = exact_digits(x, digits);
    if (fast != INT32_MIN)
        return fast;
    fast = small_decimal(x, digits);
    if (fast != INT32_MIN)
        return fast;
    char buf[40];
    int prec;
    /* subnormals have fewer significant bits: search from 1 digit */
    for (prec = x < 2.2250738585072014e-308 ? 1 : 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
        if (prec == 17 || strtod(buf, NULL) == x)
            break;
    }
    return digits_of_e_format(buf, digits);
}

/* Shortest digits that read back as the float32 x (x finite, > 0). */
static int shortest_digits_f32(float x, char *digits)
{
    char buf[40];
    int prec;
    for (prec = 1; prec <= 9; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, (double)x);
        if (prec == 9 || strtof(buf, NULL) == x)
            break;
    }
    return digits_of_e_format(buf, digits);
}

/* Lay out digits/decpt as Python's repr does: positional for 1e-4 <= |x|
 * < 1e16 (with ".0" when integral), exponent form otherwise. */
static size_t layout_repr(int neg, const char *digits, int decpt, char *buf, size_t size)
{
    char out[48];
    size_t o = 0;
    int nd = (int)strlen(digits);
    if (neg)
        out[o++] = '-';
    if (decpt <= -4 || decpt > 16) {
        out[o++] = digits[0];
        if (nd > 1) {
            out[o++] = '.';
            memcpy(out + o, digits + 1, (size_t)nd - 1);
            o += (size_t)nd - 1;
        }
        int e = decpt - 1;
        o += (size_t)snprintf(out + o, sizeof out - o, "e%c%02d", e < 0 ? '-' : '+', abs(e));
    } else if (decpt <= 0) {                 /* 0.000ddd */
        out[o++] = '0';
        out[o++] = '.';
        for (int i = 0; i < -decpt; i++)
            out[o++] = '0';
        memcpy(out + o, digits, (size_t)nd);
        o += (size_t)nd;
    } else {                                 /* ddd.ddd or ddd00.0 */
        for (int i = 0; i < decpt; i++)
            out[o++] = i < nd ? digits[i] : '0';
        out[o++] = '.';
        if (nd > decpt) {
            memcpy(out + o, digits + decpt, (size_t)(nd - decpt));
            o += (size_t)(nd - decpt);
        } else
            out[o++] = '0';
    }
    out[o] = '\0';
    size_t k = o < size ? o : size - 1;      /* as snprintf would truncate */
    memcpy(buf, out, k);
    buf[k] = '\0';
    return o;
}

static size_t format_special(double x, char *buf, size_t size)
{
    if (isnan(x))
        return (size_t)snprintf(buf, size, "nan");
    if (isinf(x))
        return (size_t)snprintf(buf, size, x < 0 ? "-inf" : "inf");
    return (size_t)snprintf(buf, size, signbit(x) ? "-0.0" : "0.0");
}

size_t vqi_format_double(double x, char *buf, size_t size)
{
    if (size == 0)
        return 0;
    if (!isfinite(x) || x == 0)
        return format_special(x, buf, size);
    char digits[24];
    int decpt = shortest_digits(fabs(x), digits);
    return layout_repr(x < 0, digits, decpt, buf, size);
}

size_t vqi_format_float32(double x, char *buf, size_t size)
{
    if (size == 0)
        return 0;
    if (!isfinite(x) || x == 0)
        return format_special(x, buf, size);
    char digits[24];
    int decpt = shortest_digits_f32(fabsf((float)x), digits);
    return layout_repr(x < 0, digits, decpt, buf, size);
}

/* ---- datetime64[ns] ---- */

static void split_ns(int64_t ns, time_t *sec, long *frac)
{
    int64_t s = ns / 1000000000, f = ns % 1000000000;
    if (f < 0) {
        f += 1000000000;
        s--;
    }
    *sec = (time_t)s;
    *frac = (long)f;
}

int vqi_datetime_style(const vqi_column *c, size_t nrows)
{
    int style = 0;   /* 0 date only, 1 seconds, 2 ms, 3 us, 4 ns (pandas' choice) */
    for (size_t r = 0; r < nrows; r++) {
        if (c->na && c->na[r])
            continue;
        time_t s;
        long f;
        split_ns(c->i64[r], &s, &f);
        int st = f % 1000 ? 4 : f % 1000000 ? 3 : f ? 2 : s % 86400 ? 1 : 0;
        if (st > style)
            style = st;
    }
    return style;
}

const char *vqi_format_datetime(int64_t ns, int style, char *buf, size_t size)
{
    time_t s;
    long f;
    split_ns(ns, &s, &f);
    struct tm tm;
    gmtime_r(&s, &tm);
    char frac[32] = "";
    if (style == 2)
        snprintf(frac, sizeof frac, ".%03ld", f / 1000000);
    else if (style == 3)
        snprintf(frac, sizeof frac, ".%06ld", f / 1000);
    else if (style == 4)
        snprintf(frac, sizeof frac, ".%09ld", f);
    if (style == 0)
        snprintf(buf, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    else
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d%s", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    return buf;
}

/* ---- numpy str() of an array ---- */

/* A growing text buffer. */
static void sb_str(vqi_textbuf *b, const char *s) { vqi_textbuf_put(b, s, strlen(s)); }

static void sb_spaces(vqi_textbuf *b, int n)
{
    for (int i = 0; i < n; i++)
        vqi_textbuf_put(b, " ", 1);
}

/* numpy's FloatingFormat (floatmode 'maxprec', precision 8) for the values
 * shown: positional unless the magnitudes call for scientific notation. */
enum { MEMO_MAX = 16, MEMO_TEXT = 48 };

typedef struct floatfmt {
    int exp_mode, pad_left, pad_right, exp_size, precision;
    /* Each value's text (positional, or scientific mantissa + exponent) as
     * float_format computed it, so that printing does not compute it again:
     * the digit searches were most of a 10_EWMA_chunksizes cell's cost. */
    size_t n_memo;
    uint64_t memo_bits[MEMO_MAX];
    int memo_exp[MEMO_MAX];
    char memo[MEMO_MAX][MEMO_TEXT];
} floatfmt;

static void memo_put(floatfmt *f, double v, const char *text, int exp10)
{
    if (f->n_memo == MEMO_MAX || strlen(text) >= MEMO_TEXT)
        return;
    memcpy(&f->memo_bits[f->n_memo], &v, sizeof v);
    f->memo_exp[f->n_memo] = exp10;
    memcpy(f->memo[f->n_memo], text, strlen(text) + 1);
    f->n_memo++;
}

static const char *memo_get(const floatfmt *f, double v, int *exp10)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    for (size_t i = 0; i < f->n_memo; i++)
        if (f->memo_bits[i] == bits) {
            *exp10 = f->memo_exp[i];
            return f->memo[i];
        }
    return NULL;
}

/* Positional digits of v with at most 8 fractional digits, trailing zeros
 * trimmed but the dot kept ("4380.", "19682.0948"). */
static void positional(double v, char *out, size_t size)
{
    char r[48];
    vqi_format_double(v, r, sizeof r);
    const char *dot = strchr(r, '.');
    double a = fabs(v);
    if (!strchr(r, 'e') && dot && strlen(dot + 1) <= 8) {
        snprintf(out, size, "%s", r);
    } else if (a >= 1e-4 && a < 1e15 && size >= 40) {
        /* "%.8f" by exact rounding (see round_scaled): printf's
         * multi-precision path was most of the EWMA array cost */
        uint64_t m;
        int s;
        split_binary(a, &m, &s);
        uint64_t d = round_scaled(m, s, 8);
        char *o = out;
        if (v < 0)
            *o++ = '-';
        char ip[24];
        int n = 0;
        uint64_t whole = d / 100000000u;
        do {
            ip[n++] = (char)('0' + whole % 10);
            whole /= 10;
        } while (whole);
        while (n > 0)
            *o++ = ip[--n];
        *o++ = '.';
        uint32_t frac = (uint32_t)(d % 100000000u);
        for (int i = 7; i >= 0; i--) {
            o[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        o[8] = '\0';
    } else {
        snprintf(out, size, "%.8f", v);
    }
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '0')
        n--;
    out[n] = '\0';
    if (strcmp(out, "-0.") == 0 && v == 0 && !signbit(v))
        snprintf(out, size, "0.");
}

/* Scientific mantissa digits (unique, at most 8 fractional) and exponent. */
static void scientific(double v, char *mant, size_t size, int *exp10)
{
    char r[48];
    if (v == 0) {
        snprintf(mant, size, "%s0.", signbit(v) ? "-" : "");
        *exp10 = 0;
        return;
    }
    char digits[24];
    int decpt = shortest_digits(fabs(v), digits);
    int nd = (int)strlen(digits);
    if (nd > 9) {   /* more than 8 fractional digits: round to 8 */
        snprintf(r, sizeof r, "%.8e", fabs(v));
        decpt = atoi(strchr(r, 'e') + 1) + 1;
        nd = 0;
        for (const char *p = r; *p && *p != 'e'; p++)
            if (*p >= '0' && *p <= '9')
                digits[nd++] = *p;
        while (nd > 1 && digits[nd - 1] == '0')
            nd--;
        digits[nd] = '\0';
    }
    snprintf(mant, size, "%s%c.%s", v < 0 ? "-" : "", digits[0], digits + 1);
    *exp10 = decpt - 1;
}

static floatfmt float_format(const double *v, size_t n)
{
    floatfmt f;
    memset(&f, 0, sizeof f);
    f.exp_size = -1;
    f.precision = 8;
    double maxv = 0, minv = INFINITY;
    int any_finite = 0, any_nonfinite = 0, neg_inf = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i])) {
            any_nonfinite = 1;
            if (isinf(v[i]) && v[i] < 0)
                neg_inf = 1;
            continue;
        }
        any_finite = 1;
        double a = fabs(v[i]);
        if (a != 0) {
            if (a > maxv) maxv = a;
            if (a < minv) minv = a;
        }
    }
    if (maxv > 0 && (maxv >= 1e8 || minv < 0.0001 || maxv / minv > 1000.))
        f.exp_mode = 1;
    if (!any_finite) {
        f.exp_size = -1;
    } else if (f.exp_mode) {
        int maxfrac = 0, maxint = 0, maxexp = 0;
        for (size_t i = 0; i < n; i++) {
            if (!isfinite(v[i]))
                continue;
            char m[48];
            int e;
            scientific(v[i], m, sizeof m, &e);
            memo_put(&f, v[i], m, e);
            const char *dot = strchr(m, '.');
            int ip = (int)(dot - m), fp = (int)strlen(dot + 1);
            int el = abs(e) >= 100 ? 3 : 2;
            if (fp > maxfrac) maxfrac = fp;
            if (ip > maxint) maxint = ip;
            if (el > maxexp) maxexp = el;
        }
        f.precision = maxfrac;
        f.exp_size = maxexp;
        f.pad_left = maxint;
        f.pad_right = f.exp_size + 2 + f.precision;
    } else {
        for (size_t i = 0; i < n; i++) {
            if (!isfinite(v[i]))
                continue;
            char p[64];
            positional(v[i], p, sizeof p);
            memo_put(&f, v[i], p, 0);
            const char *dot = strchr(p, '.');
            int ip = (int)(dot - p), fp = (int)strlen(dot + 1);
            if (ip > f.pad_left) f.pad_left = ip;
            if (fp > f.pad_right) f.pad_right = fp;
        }
    }
    if (any_nonfinite) {
        int offset = f.pad_right + 1;
        int nanlen = 3, inflen = 3 + neg_inf;
        if (nanlen - offset > f.pad_left) f.pad_left = nanlen - offset;
        if (inflen - offset > f.pad_left) f.pad_left = inflen - offset;
    }
    return f;
}

static void format_float_elem(vqi_textbuf *b, const floatfmt *f, double v)
{
    if (!isfinite(v)) {
        const char *s = isnan(v) ? "nan" : v < 0 ? "-inf" : "inf";
        sb_spaces(b, f->pad_left + f->pad_right + 1 - (int)strlen(s));
        sb_str(b, s);
        return;
    }
    char s[64];
    int e;
    const char *known = memo_get(f, v, &e);
    if (f->exp_mode) {
        char m[48];
        if (known)
            memcpy(m, known, strlen(known) + 1);        /* < MEMO_TEXT <= sizeof m */
        else
            scientific(v, m, sizeof m, &e);
        const char *dot = strchr(m, '.');
        int ip = (int)(dot - m), fp = (int)strlen(dot + 1);
        sb_spaces(b, f->pad_left - ip);
        sb_str(b, m);
        for (int i = fp; i < f->precision; i++)
            vqi_textbuf_put(b, "0", 1);
        snprintf(s, sizeof s, "e%c%0*d", e < 0 ? '-' : '+', f->exp_size, abs(e));
        sb_str(b, s);
        return;
    }
    if (known)
        memcpy(s, known, strlen(known) + 1);
    else
        positional(v, s, sizeof s);
    const char *dot = strchr(s, '.');
    int ip = (int)(dot - s), fp = (int)strlen(dot + 1);
    sb_spaces(b, f->pad_left - ip);
    sb_str(b, s);
    sb_spaces(b, f->pad_right - fp);
}

/* numpy summarises arrays of more than 1000 elements: 3 edge items. */
enum { NP_THRESHOLD = 1000, NP_EDGE = 3, NP_LINEWIDTH = 75 };

typedef struct numfmt {
    const floatfmt *ff;
    int intw, is_int;
} numfmt;

/* numpy's _extendLine: start a new line (indented by hang) before word when
 * the line would grow past width, unless the line holds only the indent. */
static void extend_line(vqi_textbuf *s, vqi_textbuf *line, const char *word, int width, int hang)
{
    if ((int)line->n + (int)strlen(word) > width && (int)line->n > hang) {
        size_t n = line->n;
        while (n > 0 && line->s[n - 1] == ' ')
            n--;
        vqi_textbuf_put(s, line->s, n);
        sb_str(s, "\n");
        line->n = 0;
        sb_spaces(line, hang);
    }
    sb_str(line, word);
}

/* The last axis: "[a b c]" wrapped at width, continuation lines indented by
 * hang spaces, "..." in the middle when summarising. */
static void format_row(vqi_textbuf *out, const double *v, size_t n, int summarise, const numfmt *nf,
                       int hang, int width)
{
    int elem_width = width - 1;            /* room for the closing ']' */
    vqi_textbuf s = {0}, line = {0}, word = {0};
    sb_spaces(&line, hang);
    for (size_t i = 0; i < n; i++) {
        if (summarise && n > 2 * NP_EDGE && i >= NP_EDGE && i < n - NP_EDGE) {
            if (i == NP_EDGE) {
                extend_line(&s, &line, "...", elem_width, hang);
                sb_str(&line, " ");
            }
            continue;
        }
        word.n = 0;
        if (nf->is_int) {
            char t[32];
            int w = snprintf(t, sizeof t, "%lld", (long long)v[i]);
            sb_spaces(&word, nf->intw - w);
            sb_str(&word, t);
        } else
            format_float_elem(&word, nf->ff, v[i]);
        extend_line(&s, &line, word.s ? word.s : "", elem_width, hang);
        if (i + 1 < n)
            sb_str(&line, " ");
    }
    vqi_textbuf_put(&s, line.s, line.n);
    sb_str(out, "[");
    if (s.n > (size_t)hang)
        vqi_textbuf_put(out, s.s + hang, s.n - (size_t)hang);
    sb_str(out, "]");
    out->oom |= s.oom | line.oom | word.oom;
    free(s.s);
    free(line.s);
    free(word.s);
}

char *vqi_array_text(const vqi_array *a)
{
    vqi_textbuf b = {0};
    size_t rows = a->ndim == 2 ? a->shape[0] : a->n;
    size_t cols = a->ndim == 2 ? a->shape[1] : 1;
    if (a->ndim == 2 && (uint64_t)rows * cols != a->n)
        rows = cols ? a->n / cols : 0;
    int summarise = a->n > NP_THRESHOLD;
    /* the values shown decide the format, as in numpy */
    double *shown = malloc((a->n ? a->n : 1) * sizeof(double));
    size_t ns = 0;
    if (!shown)
        return NULL;
    for (size_t r = 0; r < rows; r++) {
        if (summarise && r >= NP_EDGE && r < rows - NP_EDGE && rows > 2 * NP_EDGE)
            continue;
        for (size_t c = 0; c < cols; c++) {
            if (summarise && c >= NP_EDGE && c < cols - NP_EDGE && cols > 2 * NP_EDGE)
                continue;
            shown[ns++] = a->v[r * cols + c];
        }
    }
    floatfmt ff = float_format(shown, ns);
    int intw = 0;
    if (a->is_int)
        for (size_t i = 0; i < ns; i++) {
            char t[32];
            int w = snprintf(t, sizeof t, "%lld", (long long)shown[i]);
            if (w > intw) intw = w;
        }
    free(shown);
    numfmt nf = {&ff, intw, a->is_int};
    if (rows == 0 || cols == 0)
        sb_str(&b, "[]");
    else if (a->ndim != 2)
        format_row(&b, a->v, rows, summarise, &nf, 1, NP_LINEWIDTH);
    else {
        /* numpy's recurser for the outer axis: rows joined by "\n", each
         * indented by one space, the first space replaced by the '[' */
        vqi_textbuf s = {0};
        for (size_t r = 0; r < rows; r++) {
            if (summarise && rows > 2 * NP_EDGE && r >= NP_EDGE && r < rows - NP_EDGE) {
                if (r == NP_EDGE)
                    sb_str(&s, " ...\n");
                continue;
            }
            sb_str(&s, " ");
            format_row(&s, a->v + r * cols, cols, summarise, &nf, 2, NP_LINEWIDTH - 1);
            if (r + 1 < rows)
                sb_str(&s, "\n");
        }
        sb_str(&b, "[");
        if (s.n > 1)
            vqi_textbuf_put(&b, s.s + 1, s.n - 1);
        sb_str(&b, "]");
        b.oom |= s.oom;
        free(s.s);
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

const char *vqi_cell_text(const vqi_column *c, size_t row, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (vqi_cell_is_na(c, row))
        return buf;
    switch (c->type) {
    case VQI_COL_F64:
        if (strcmp(c->dtype, "float32") == 0)    /* numpy prints float32 shortest */
            vqi_format_float32(c->f64[row], buf, size);
        else
            vqi_format_double(c->f64[row], buf, size);
        break;
    case VQI_COL_I64:
        if (strcmp(c->dtype, "uint64") == 0 || strcmp(c->dtype, "UInt64") == 0)
            snprintf(buf, size, "%llu", (unsigned long long)(uint64_t)c->i64[row]);
        else
            snprintf(buf, size, "%lld", (long long)c->i64[row]);
        break;
    case VQI_COL_BOOL: snprintf(buf, size, "%s", c->b[row] ? "True" : "False"); break;
    case VQI_COL_STR: snprintf(buf, size, "%s", c->str[row]); break;
    case VQI_COL_DATETIME: vqi_format_datetime(c->i64[row], 1, buf, size); break;
    case VQI_COL_ARRAY: {
        char *s = vqi_array_text(&c->arr[row]);
        snprintf(buf, size, "%s", s ? s : "");
        free(s);
        break;
    }
    }
    return buf;
}
