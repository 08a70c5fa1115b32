/* pobj.c - the pickle object graph: arena allocation and accessors. */
#include "pickle_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- arena ---- */

struct arena_chunk {
    arena_chunk *next;
    size_t size, used;
    max_align_t data[];
};

void *arena_alloc(arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    if (!a->head || a->head->size - a->head->used < n) {
        size_t size = n > (1u << 20) ? n : (1u << 20);
        arena_chunk *c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->next = a->head;
        c->size = size;
        c->used = 0;
        a->head = c;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    a->used_total += n;
    return p;
}

void arena_free(arena *a)
{
    while (a->head) {
        arena_chunk *n = a->head->next;
        free(a->head);
        a->head = n;
    }
    a->used_total = 0;
}

/* ---- accessors ---- */

int pobj_is_call_of(const pobj *o, int gid)
{
    return o && o->type == P_CALL && o->u.call.fn && o->u.call.fn->type == P_GLOBAL &&
           o->u.call.fn->gid == gid;
}

const pobj *pobj_item(const pobj *seq, size_t i)
{
    if (!seq || (seq->type != P_TUPLE && seq->type != P_LIST) || i >= seq->u.seq.n)
        return NULL;
    return seq->u.seq.v[i];
}

const pobj *pobj_arg(const pobj *call, size_t i)
{
    if (!call || call->type != P_CALL)
        return NULL;
    return pobj_item(call->u.call.args, i);
}

int pobj_text(const pobj *o, const char **s, size_t *n)
{
    if (!o || (o->type != P_STR && o->type != P_STR8))
        return 0;
    *s = (const char *)o->u.s.p;
    *n = o->u.s.n;
    return 1;
}

const pobj *pobj_dict_get(const pobj *dict, const char *key)
{
    if (!dict || dict->type != P_DICT)
        return NULL;
    size_t kn = strlen(key);
    for (size_t i = 0; i + 1 < dict->u.seq.n; i += 2) {
        const char *s;
        size_t n;
        if (pobj_text(dict->u.seq.v[i], &s, &n) && n == kn && memcmp(s, key, n) == 0)
            return dict->u.seq.v[i + 1];
    }
    return NULL;
}

int pobj_int(const pobj *o, int64_t *v)
{
    if (!o || (o->type != P_INT && o->type != P_BOOL))
        return 0;
    *v = o->u.i;
    return 1;
}

char *pobj_strdup(const pobj *o)
{
    if (!o || (o->type != P_STR && o->type != P_STR8))
        return NULL;
    if (o->type == P_STR)
        return strndup((const char *)o->u.s.p, o->u.s.n);
    /* latin-1 → UTF-8: at most two bytes per character */
    char *out = malloc(o->u.s.n * 2 + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < o->u.s.n; i++) {
        uint8_t c = o->u.s.p[i];
        if (c < 0x80)
            out[k++] = (char)c;
        else {
            out[k++] = (char)(0xC0 | c >> 6);
            out[k++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[k] = '\0';
    return out;
}
