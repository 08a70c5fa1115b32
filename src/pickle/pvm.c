/* pvm.c - the pickle opcode interpreter (protocols 0-5).
 *
 * It builds a plain object graph and never calls anything: REDUCE, NEWOBJ
 * and INST only record "this global applied to these arguments", and only
 * the globals of a pandas/numpy DataFrame pickle are accepted at all.
 * Every length is checked against the bytes left before anything is read or
 * allocated; the stack, mark stack and memo are bounded. */
#include "pickle_int.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- interpreter state ---- */

enum {
    MAX_STACK = 1 << 20,     /* objects on the stack at once */
    MAX_MARKS = 1 << 20,
};

typedef struct vm {
    const uint8_t *p, *end, *start;
    arena *a;
    vqi_err *err;
    pobj **stack;
    size_t sp, stack_cap;
    size_t *marks;
    size_t nmarks, marks_cap;
    pobj **memo;
    size_t memo_cap, memo_count;
    pobj *none, *yes, *no;   /* shared singletons (in the arena) */
} vm;

/* Fill err with "bad pickle at byte N: <message>"; returns -1. */
__attribute__((format(printf, 2, 3)))
static int FAIL(vm *m, const char *fmt, ...)
{
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return vqi_err_set(m->err, VQI_EXIT_USAGE, "bad pickle at byte %zu: %s",
                       (size_t)(m->p - m->start), what);
}

static pobj *new_obj(vm *m, int type)
{
    pobj *o = arena_alloc(m->a, sizeof *o);
    if (!o) {
        vqi_err_set(m->err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    memset(o, 0, sizeof *o);
    o->type = (uint8_t)type;
    return o;
}

static int push(vm *m, pobj *o)
{
    if (!o)
        return -1;
    if (m->sp == m->stack_cap) {
        if (m->stack_cap >= MAX_STACK)
            return FAIL(m, "stack deeper than %d objects", MAX_STACK);
        size_t cap = m->stack_cap ? m->stack_cap * 2 : 256;
        pobj **s = realloc(m->stack, cap * sizeof *s);
        if (!s)
            return vqi_err_set(m->err, VQI_EXIT_FAIL, "out of memory");
        m->stack = s;
        m->stack_cap = cap;
    }
    m->stack[m->sp++] = o;
    return 0;
}

/* Objects above the last mark are the "frame"; pops never cross it. */
static size_t frame_base(const vm *m)
{
    return m->nmarks ? m->marks[m->nmarks - 1] : 0;
}

static pobj *pop(vm *m)
{
    if (m->sp <= frame_base(m)) {
        FAIL(m, "stack underflow");
        return NULL;
    }
    return m->stack[--m->sp];
}

static pobj *top(vm *m)
{
    if (m->sp <= frame_base(m)) {
        FAIL(m, "stack underflow");
        return NULL;
    }
    return m->stack[m->sp - 1];
}

/* Pop everything above the last mark, and the mark: items at *items. */
static int pop_mark(vm *m, pobj ***items, size_t *n)
{
    if (!m->nmarks)
        return FAIL(m, "no MARK on the stack");
    size_t base = m->marks[--m->nmarks];
    *items = m->stack ? m->stack + base : NULL;    /* MARK on a never-used stack */
    *n = m->sp - base;
    m->sp = base;
    return 0;
}

static pobj *make_seq(vm *m, int type, pobj **items, size_t n)
{
    pobj *o = new_obj(m, type);
    if (!o)
        return NULL;
    if (n) {
        o->u.seq.v = arena_alloc(m->a, n * sizeof(pobj *));
        if (!o->u.seq.v) {
            vqi_err_set(m->err, VQI_EXIT_FAIL, "out of memory");
            return NULL;
        }
        memcpy(o->u.seq.v, items, n * sizeof(pobj *));
    }
    o->u.seq.n = o->u.seq.cap = n;
    return o;
}

/* Append n items to a list/dict/set (arena-grown, doubling). */
static int seq_extend(vm *m, pobj *o, pobj **items, size_t n)
{
    if (n == 0)
        return 0;           /* an empty APPENDS/SETITEMS: the list may have no array yet */
    if (o->u.seq.n + n > o->u.seq.cap) {
        size_t cap = o->u.seq.cap ? o->u.seq.cap : 8;
        while (cap < o->u.seq.n + n)
            cap *= 2;
        pobj **v = arena_alloc(m->a, cap * sizeof *v);
        if (!v)
            return vqi_err_set(m->err, VQI_EXIT_FAIL, "out of memory");
        if (o->u.seq.n)
            memcpy(v, o->u.seq.v, o->u.seq.n * sizeof *v);
        o->u.seq.v = v;
        o->u.seq.cap = cap;
    }
    memcpy(o->u.seq.v + o->u.seq.n, items, n * sizeof *items);
    o->u.seq.n += n;
    return 0;
}

static int memo_put(vm *m, uint64_t idx, pobj *o)
{
    if (!o)
        return -1;
    /* Memo keys come from a counter: a key beyond the stream length is
     * not something a pickler writes, and would make us allocate. */
    if (idx > (uint64_t)(m->end - m->start))
        return FAIL(m, "memo index %llu out of range", (unsigned long long)idx);
    if (idx >= m->memo_cap) {
        size_t cap = m->memo_cap ? m->memo_cap : 256;
        while (cap <= idx)
            cap *= 2;
        pobj **v = realloc(m->memo, cap * sizeof *v);
        if (!v)
            return vqi_err_set(m->err, VQI_EXIT_FAIL, "out of memory");
        memset(v + m->memo_cap, 0, (cap - m->memo_cap) * sizeof *v);
        m->memo = v;
        m->memo_cap = cap;
    }
    if (!m->memo[idx])
        m->memo_count++;
    m->memo[idx] = o;
    return 0;
}

static int memo_get(vm *m, uint64_t idx)
{
    if (idx >= m->memo_cap || !m->memo[idx])
        return FAIL(m, "memo index %llu out of range", (unsigned long long)idx);
    return push(m, m->memo[idx]);
}

/* ---- argument readers ---- */

static int need(vm *m, uint64_t n)
{
    if ((uint64_t)(m->end - m->p) < n)
        return FAIL(m, "truncated: %llu bytes declared, %zu left", (unsigned long long)n,
                    (size_t)(m->end - m->p));
    return 0;
}

static uint64_t rd_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* A protocol-0 argument line (up to '\n'); returns its length. */
static int rd_line(vm *m, const uint8_t **s, size_t *n)
{
    const uint8_t *nl = memchr(m->p, '\n', (size_t)(m->end - m->p));
    if (!nl)
        return FAIL(m, "truncated: line without newline");
    *s = m->p;
    *n = (size_t)(nl - m->p);
    m->p = nl + 1;
    return 0;
}

static pobj *str_obj(vm *m, int type, const uint8_t *p, size_t n)
{
    pobj *o = new_obj(m, type);
    if (o) {
        o->u.s.p = p;
        o->u.s.n = n;
    }
    return o;
}

static pobj *int_obj(vm *m, int64_t v)
{
    pobj *o = new_obj(m, P_INT);
    if (o)
        o->u.i = v;
    return o;
}

/* LONG1/LONG4 payload: little-endian two's complement. */
static pobj *long_obj(vm *m, const uint8_t *p, size_t n)
{
    if (n <= 8) {
        uint64_t v = n ? rd_le(p, (int)n) : 0;
        if (n && n < 8 && (p[n - 1] & 0x80))
            v |= ~(uint64_t)0 << (8 * n);
        return int_obj(m, (int64_t)v);
    }
    return str_obj(m, P_BIGINT, p, n);
}

/* STRING (protocol 0): a Python-2 repr with escapes, as a byte string. */
static pobj *string_op(vm *m, const uint8_t *s, size_t n)
{
    const uint8_t *out;
    size_t k;
    int rc = pstr_unescape(m->a, s, n, &out, &k);
    if (rc == -1)
        FAIL(m, "STRING argument is not quoted");
    if (rc == -2)
        vqi_err_set(m->err, VQI_EXIT_FAIL, "out of memory");
    return rc < 0 ? NULL : str_obj(m, P_STR8, out, k);
}

/* UNICODE (protocol 0): raw-unicode-escape text. */
static pobj *unicode_op(vm *m, const uint8_t *s, size_t n)
{
    const uint8_t *out;
    size_t k;
    if (pstr_raw_unicode(m->a, s, n, &out, &k) < 0) {
        vqi_err_set(m->err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    return str_obj(m, P_STR, out, k);
}

/* _codecs.encode(text, 'latin1'): Python 3 protocol-2 bytes. */
static pobj *codecs_encode(vm *m, const pobj *args)
{
    const pobj *s = pobj_item(args, 0);
    if (!s || s->type != P_STR) {
        FAIL(m, "_codecs.encode without a text argument");
        return NULL;
    }
    const uint8_t *out;
    size_t k;
    int rc = pstr_latin1(m->a, s->u.s.p, s->u.s.n, &out, &k);
    if (rc == -1)
        FAIL(m, "_codecs.encode: text is not latin-1");
    if (rc == -2)
        vqi_err_set(m->err, VQI_EXIT_FAIL, "out of memory");
    return rc < 0 ? NULL : str_obj(m, P_BYTES, out, k);
}

static pobj *global_obj(vm *m, const uint8_t *mod, size_t modn, const uint8_t *name, size_t namen)
{
    int gid = pvm_lookup_global((const char *)mod, modn, (const char *)name, namen);
    if (gid == G_NONE) {
        char buf[160];
        snprintf(buf, sizeof buf, "%.*s.%.*s", (int)(modn > 70 ? 70 : modn), (const char *)mod,
                 (int)(namen > 70 ? 70 : namen), (const char *)name);
        for (char *c = buf; *c; c++)
            if ((unsigned char)*c < 32 || (unsigned char)*c > 126)
                *c = '?';
        vqi_err_set(m->err, VQI_EXIT_USAGE,
                    "refusing global %s (not among the pandas/numpy names of a DataFrame "
                    "that vqi accepts)", buf);
        return NULL;
    }
    pobj *o = new_obj(m, P_GLOBAL);
    if (o)
        o->gid = (uint8_t)gid;
    return o;
}

/* REDUCE / NEWOBJ / INST / OBJ: record the application, evaluating only
 * the harmless helpers whose result the rest needs as data. */
static pobj *apply(vm *m, pobj *fn, pobj *args)
{
    if (!fn || fn->type != P_GLOBAL) {
        FAIL(m, "call of something that is not an allowed global");
        return NULL;
    }
    if (!args || args->type != P_TUPLE) {
        FAIL(m, "call arguments are not a tuple");
        return NULL;
    }
    if (fn->gid == G_CODECS_ENCODE)
        return codecs_encode(m, args);
    if (fn->gid == G_BYTES) {
        /* bytes() / bytearray(): empty; bytearray(text, 'latin-1'): its bytes */
        if (args->u.seq.n == 0)
            return str_obj(m, P_BYTES, (const uint8_t *)"", 0);
        return codecs_encode(m, args);
    }
    if (fn->gid == G_COPYREG_RECONSTRUCTOR) {
        /* _reconstructor(cls, object, None) is cls.__new__(cls) */
        pobj *cls = args->u.seq.n ? args->u.seq.v[0] : NULL;
        if (!cls || cls->type != P_GLOBAL) {
            FAIL(m, "copyreg._reconstructor of something that is not an allowed class");
            return NULL;
        }
        fn = cls;
        args = make_seq(m, P_TUPLE, NULL, 0);
        if (!args)
            return NULL;
    }
    pobj *o = new_obj(m, P_CALL);
    if (o) {
        o->u.call.fn = fn;
        o->u.call.args = args;
    }
    return o;
}

/* Parse a protocol-0 decimal line as an integer. */
static int line_int(vm *m, int64_t *v)
{
    const uint8_t *s = NULL;
    size_t n = 0;
    if (rd_line(m, &s, &n) < 0)
        return -1;
    char buf[32];
    if (n && s[n - 1] == 'L')           /* LONG's Python-2 suffix */
        n--;
    if (n == 0 || n >= sizeof buf)
        return FAIL(m, "bad integer line");
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    *v = strtoll(buf, &end, 10);
    if (*end || errno)
        return FAIL(m, "bad integer line");
    return 0;
}

/* Build the tuple of the items above the last mark. */
static pobj *tuple_from_mark(vm *m)
{
    pobj **items = NULL;
    size_t n = 0;
    if (pop_mark(m, &items, &n) < 0)
        return NULL;
    return make_seq(m, P_TUPLE, items, n);
}

static int add_items(vm *m, pobj *target, int type, pobj **items, size_t n, const char *op)
{
    if (!target || target->type != type)
        return FAIL(m, "%s on the wrong kind of object", op);
    if (type == P_DICT && n % 2)
        return FAIL(m, "%s with an odd number of items", op);
    return seq_extend(m, target, items, n);
}

/* The opcode loop: returns the object STOP pops, NULL + err otherwise. */
static pobj *run_ops(vm *m)
{
    for (;;) {
        if (m->p >= m->end) {
            FAIL(m, "truncated: no STOP opcode");
            return NULL;
        }
        uint8_t op = *m->p++;
        const uint8_t *s = NULL;
        size_t n = 0;
        uint64_t len;
        int64_t iv;
        pobj *o, *o2, **items = NULL;
        int rc = 0;
        switch (op) {
        case 0x80:                                           /* PROTO */
            if (need(m, 1) < 0)
                return NULL;
            if (*m->p > 5) {
                FAIL(m, "unsupported pickle protocol %d", *m->p);
                return NULL;
            }
            m->p++;
            break;
        case 0x95:                                           /* FRAME */
            if (need(m, 8) < 0)
                return NULL;
            len = rd_le(m->p, 8);
            m->p += 8;
            if (need(m, len) < 0)
                return NULL;
            break;
        case '.':                                            /* STOP */
            return pop(m);
        case '(':                                            /* MARK */
            if (m->nmarks == m->marks_cap) {
                if (m->marks_cap >= MAX_MARKS) {
                    FAIL(m, "more than %d nested MARKs", MAX_MARKS);
                    return NULL;
                }
                size_t cap = m->marks_cap ? m->marks_cap * 2 : 64;
                size_t *v = realloc(m->marks, cap * sizeof *v);
                if (!v) {
                    vqi_err_set(m->err, VQI_EXIT_FAIL, "out of memory");
                    return NULL;
                }
                m->marks = v;
                m->marks_cap = cap;
            }
            m->marks[m->nmarks++] = m->sp;
            break;
        case 'N': rc = push(m, m->none); break;
        case 0x88: rc = push(m, m->yes); break;
        case 0x89: rc = push(m, m->no); break;
        case 'J':                                            /* BININT */
            if (need(m, 4) < 0)
                return NULL;
            rc = push(m, int_obj(m, (int32_t)(uint32_t)rd_le(m->p, 4)));
            m->p += 4;
            break;
        case 'K':
            if (need(m, 1) < 0)
                return NULL;
            rc = push(m, int_obj(m, *m->p++));
            break;
        case 'M':
            if (need(m, 2) < 0)
                return NULL;
            rc = push(m, int_obj(m, (int64_t)rd_le(m->p, 2)));
            m->p += 2;
            break;
        case 0x8a: case 0x8b:                                /* LONG1, LONG4 */
            n = op == 0x8a ? 1 : 4;
            if (need(m, n) < 0)
                return NULL;
            len = rd_le(m->p, (int)n);
            if (op == 0x8b && (len & 0x80000000u)) {
                FAIL(m, "negative LONG4 length");
                return NULL;
            }
            m->p += n;
            if (need(m, len) < 0)
                return NULL;
            rc = push(m, long_obj(m, m->p, (size_t)len));
            m->p += len;
            break;
        case 'I':                                            /* INT (protocol 0) */
            if (rd_line(m, &s, &n) < 0)
                return NULL;
            m->p -= n + 1;
            if (n == 2 && s[0] == '0' && (s[1] == '0' || s[1] == '1')) {
                m->p += 3;
                rc = push(m, s[1] == '1' ? m->yes : m->no);
                break;
            }
            if (line_int(m, &iv) < 0)
                return NULL;
            rc = push(m, int_obj(m, iv));
            break;
        case 'L':
            if (line_int(m, &iv) < 0)
                return NULL;
            rc = push(m, int_obj(m, iv));
            break;
        case 'F': {
            char buf[64];
            if (rd_line(m, &s, &n) < 0)
                return NULL;
            if (n == 0 || n >= sizeof buf) {
                FAIL(m, "bad FLOAT line");
                return NULL;
            }
            memcpy(buf, s, n);
            buf[n] = '\0';
            o = new_obj(m, P_FLOAT);
            if (o)
                o->u.f = strtod(buf, NULL);
            rc = push(m, o);
            break;
        }
        case 'G': {
            if (need(m, 8) < 0)
                return NULL;
            uint64_t bits = 0;
            for (int i = 0; i < 8; i++)
                bits = bits << 8 | m->p[i];
            m->p += 8;
            o = new_obj(m, P_FLOAT);
            if (o)
                memcpy(&o->u.f, &bits, 8);
            rc = push(m, o);
            break;
        }
        case 'X': case 0x8c: case 0x8d:                      /* BINUNICODE* */
        case 'T': case 'U':                                  /* BINSTRING, SHORT_ */
        case 'B': case 'C': case 0x8e: case 0x96: {          /* BINBYTES*, BYTEARRAY8 */
            int width = (op == 0x8c || op == 'U' || op == 'C') ? 1
                      : (op == 0x8d || op == 0x8e || op == 0x96) ? 8 : 4;
            if (need(m, (uint64_t)width) < 0)
                return NULL;
            len = rd_le(m->p, width);
            if (op == 'T' && (len & 0x80000000u)) {
                FAIL(m, "negative BINSTRING length");
                return NULL;
            }
            m->p += width;
            if (need(m, len) < 0)
                return NULL;
            int type = (op == 'X' || op == 0x8c || op == 0x8d) ? P_STR
                     : (op == 'T' || op == 'U') ? P_STR8 : P_BYTES;
            rc = push(m, str_obj(m, type, m->p, (size_t)len));
            m->p += len;
            break;
        }
        case 'S':
            if (rd_line(m, &s, &n) < 0)
                return NULL;
            rc = push(m, string_op(m, s, n));
            break;
        case 'V':
            if (rd_line(m, &s, &n) < 0)
                return NULL;
            rc = push(m, unicode_op(m, s, n));
            break;
        case 0x97:
            FAIL(m, "out-of-band buffers (NEXT_BUFFER) are not supported");
            return NULL;
        case 0x98:                                           /* READONLY_BUFFER */
            if (!top(m))
                return NULL;
            break;
        case ')': rc = push(m, make_seq(m, P_TUPLE, NULL, 0)); break;
        case ']': rc = push(m, make_seq(m, P_LIST, NULL, 0)); break;
        case '}': rc = push(m, make_seq(m, P_DICT, NULL, 0)); break;
        case 0x8f: rc = push(m, make_seq(m, P_SET, NULL, 0)); break;
        case 't': rc = push(m, tuple_from_mark(m)); break;
        case 0x85: case 0x86: case 0x87: {                   /* TUPLE1..3 */
            n = (size_t)(op - 0x84);
            if (m->sp < frame_base(m) + n) {
                FAIL(m, "stack underflow");
                return NULL;
            }
            m->sp -= n;
            rc = push(m, make_seq(m, P_TUPLE, m->stack + m->sp, n));
            break;
        }
        case 'l':
        case 'd':
        case 0x91:                                           /* LIST DICT FROZENSET */
            if (pop_mark(m, &items, &n) < 0)
                return NULL;
            if (op == 'd' && n % 2) {
                FAIL(m, "DICT with an odd number of items");
                return NULL;
            }
            rc = push(m, make_seq(m, op == 'l' ? P_LIST : op == 'd' ? P_DICT : P_FROZENSET,
                                  items, n));
            break;
        case 'a':
            if (!(o = pop(m)) || !(o2 = top(m)))
                return NULL;
            rc = add_items(m, o2, P_LIST, &o, 1, "APPEND");
            break;
        case 'e': case 'u': case 0x90:                       /* APPENDS SETITEMS ADDITEMS */
            if (pop_mark(m, &items, &n) < 0 || !(o2 = top(m)))
                return NULL;
            rc = add_items(m, o2, op == 'e' ? P_LIST : op == 'u' ? P_DICT : P_SET, items, n,
                           op == 'e' ? "APPENDS" : op == 'u' ? "SETITEMS" : "ADDITEMS");
            break;
        case 's':
            if (m->sp < frame_base(m) + 3) {
                FAIL(m, "stack underflow");
                return NULL;
            }
            m->sp -= 2;
            rc = add_items(m, m->stack[m->sp - 1], P_DICT, m->stack + m->sp, 2, "SETITEM");
            break;
        case '0':                                            /* POP */
            if (m->sp > frame_base(m))
                m->sp--;
            else if (pop_mark(m, &items, &n) < 0)
                return NULL;
            break;
        case '1':
            if (pop_mark(m, &items, &n) < 0)
                return NULL;
            break;
        case '2':
            if (!(o = top(m)))
                return NULL;
            rc = push(m, o);
            break;
        case 'g': case 'p':                                  /* GET PUT (text) */
            if (line_int(m, &iv) < 0)
                return NULL;
            if (iv < 0) {
                FAIL(m, "negative memo index");
                return NULL;
            }
            rc = op == 'g' ? memo_get(m, (uint64_t)iv) : memo_put(m, (uint64_t)iv, top(m));
            break;
        case 'h': case 'q':
            if (need(m, 1) < 0)
                return NULL;
            iv = *m->p++;
            rc = op == 'h' ? memo_get(m, (uint64_t)iv) : memo_put(m, (uint64_t)iv, top(m));
            break;
        case 'j': case 'r':
            if (need(m, 4) < 0)
                return NULL;
            iv = (int64_t)rd_le(m->p, 4);
            m->p += 4;
            rc = op == 'j' ? memo_get(m, (uint64_t)iv) : memo_put(m, (uint64_t)iv, top(m));
            break;
        case 0x94:
            rc = memo_put(m, m->memo_count, top(m));
            break;
        case 'c': {                                          /* GLOBAL */
            const uint8_t *mod = NULL;
            size_t modn = 0;
            if (rd_line(m, &mod, &modn) < 0 || rd_line(m, &s, &n) < 0)
                return NULL;
            rc = push(m, global_obj(m, mod, modn, s, n));
            break;
        }
        case 0x93:                                           /* STACK_GLOBAL */
            if (!(o2 = pop(m)) || !(o = pop(m)))
                return NULL;
            if ((o->type != P_STR && o->type != P_STR8) || (o2->type != P_STR && o2->type != P_STR8)) {
                FAIL(m, "STACK_GLOBAL needs two strings");
                return NULL;
            }
            rc = push(m, global_obj(m, o->u.s.p, o->u.s.n, o2->u.s.p, o2->u.s.n));
            break;
        case 'R':                                            /* REDUCE */
            if (!(o2 = pop(m)) || !(o = pop(m)))
                return NULL;
            rc = push(m, apply(m, o, o2));
            break;
        case 0x81:                                           /* NEWOBJ */
            if (!(o2 = pop(m)) || !(o = pop(m)))
                return NULL;
            rc = push(m, apply(m, o, o2));
            break;
        case 0x92: {                                         /* NEWOBJ_EX */
            pobj *kw;
            if (!(kw = pop(m)) || !(o2 = pop(m)) || !(o = pop(m)))
                return NULL;
            rc = push(m, apply(m, o, o2));
            break;
        }
        case 'i': {                                          /* INST */
            const uint8_t *mod = NULL;
            size_t modn = 0;
            if (rd_line(m, &mod, &modn) < 0 || rd_line(m, &s, &n) < 0)
                return NULL;
            pobj *cls = global_obj(m, mod, modn, s, n);
            pobj *args = cls ? tuple_from_mark(m) : NULL;
            rc = push(m, args ? apply(m, cls, args) : NULL);
            break;
        }
        case 'o': {                                          /* OBJ */
            if (pop_mark(m, &items, &n) < 0)
                return NULL;
            if (n == 0) {
                FAIL(m, "OBJ without a class");
                return NULL;
            }
            pobj *args = make_seq(m, P_TUPLE, items + 1, n - 1);
            rc = push(m, args ? apply(m, items[0], args) : NULL);
            break;
        }
        case 'b':                                            /* BUILD */
            if (!(o2 = pop(m)) || !(o = top(m)))
                return NULL;
            if (o->type != P_CALL) {
                FAIL(m, "BUILD on an object that was not constructed");
                return NULL;
            }
            o->u.call.state = o2;
            break;
        case 'P': case 'Q':
            FAIL(m, "persistent ids are not supported");
            return NULL;
        case 0x82: case 0x83: case 0x84:
            FAIL(m, "extension registry codes (EXT) are not supported");
            return NULL;
        default:
            FAIL(m, "unknown opcode 0x%02x", op);
            return NULL;
        }
        if (rc < 0)
            return NULL;
    }
}


pobj *pvm_run(const uint8_t *data, size_t len, arena *a, vqi_err *err)
{
    vm m = {0};
    m.p = m.start = data;
    m.end = data + len;
    m.a = a;
    m.err = err;
    m.none = new_obj(&m, P_NONE);
    m.yes = new_obj(&m, P_BOOL);
    m.no = new_obj(&m, P_BOOL);
    pobj *result = NULL;
    if (m.none && m.yes && m.no) {
        m.yes->u.i = 1;
        result = run_ops(&m);
    }
    free(m.stack);
    free(m.marks);
    free(m.memo);
    return result;
}
