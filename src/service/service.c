/* service.c - which packets belong to a streaming service: the catalogue,
 * learning addresses from DNS answers and server names from TLS
 * ClientHellos, and the per-packet verdict (see service.h). */
#include "service.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "service_int.h"

/* Domains and prefixes from Traffic Refinery's public configuration, plus
 * the YouTube image/embed hosts seen in the Requet captures (see
 * ../shared/data/README.md). */
typedef struct catalogue_entry {
    const char *name;
    const char *const *domains;
    const char *const *prefixes;
} catalogue_entry;

static const char *const netflix_domains[] = {"netflix.com", "nflxvideo.net", "nflximg.net",
                                              "nflxext.com", "nflximg.com", "nflxso.net", NULL};
static const char *const netflix_prefixes[] = {
    "23.246.0.0/18", "37.77.184.0/21", "45.57.0.0/17", "64.120.128.0/17", "66.197.128.0/17",
    "108.175.32.0/20", "185.2.220.0/22", "185.9.188.0/22", "192.173.64.0/18", "198.38.96.0/19",
    "198.45.48.0/20", "208.75.79.0/24", "2620:10c:7000::/44", "2a00:86c0::/32", NULL};
static const char *const youtube_domains[] = {"youtube.com", "ytimg.com", "googlevideo.com",
                                              "ggpht.com", "youtu.be", "youtube-nocookie.com",
                                              NULL};
static const char *const twitch_domains[] = {"twitch.tv", "ttvnw.net", "twitchcdn.net", NULL};
static const char *const amazon_domains[] = {"amazon.com", "amazonvideo.com", "primevideo.com",
                                             "aiv-cdn.net", "avodassets-a.akamaihd.net", NULL};
static const char *const no_prefixes[] = {NULL};

static const catalogue_entry catalogue[] = {
    {"netflix", netflix_domains, netflix_prefixes},
    {"youtube", youtube_domains, no_prefixes},
    {"twitch", twitch_domains, no_prefixes},
    {"amazon", amazon_domains, no_prefixes},
};
static const char *const catalogue_names[] = {"netflix", "youtube", "twitch", "amazon", NULL};

#define N_PREFIX_MAX 32
#define SNI_MAX 256

struct vqi_service {
    char *name;
    int is_regex;
    regex_t re;
    const char *const *domains;
    prefix prefixes[N_PREFIX_MAX];
    size_t n_prefixes;
    addrset learned;
    vqi_dns_streams *streams;
    vqi_dns_msg *msg;           /* scratch: one parse at a time, no per-packet allocation;
                                   malloc'd (34 KB): pages the parser never writes stay
                                   untouched, each worth a 10-15 us fault on our VM */
    sni_conns *conns;           /* TLS server-name verdicts per connection */
};

const char *vqi_ident_name(vqi_ident how)
{
    switch (how) {
    case VQI_IDENT_DNS: return "dns";
    case VQI_IDENT_PREFIX: return "prefix";
    case VQI_IDENT_SNI: return "sni";
    default: return "";
    }
}

const char *const *vqi_service_catalogue(void) { return catalogue_names; }

static vqi_service *service_new(const char *name, vqi_err *err)
{
    vqi_service *s = calloc(1, sizeof *s);
    if (s) {
        s->name = strdup(name);
        s->streams = vqi_dns_streams_new();
        s->conns = sni_conns_new();
        s->msg = malloc(sizeof *s->msg);
    }
    if (!s || !s->name || !s->streams || !s->conns || !s->msg) {
        vqi_service_free(s);
        vqi_err_set(err, VQI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    return s;
}

vqi_service *vqi_service_by_name(const char *name, vqi_err *err)
{
    for (size_t i = 0; name && i < sizeof catalogue / sizeof *catalogue; i++) {
        if (strcasecmp(name, catalogue[i].name))
            continue;
        vqi_service *s = service_new(catalogue[i].name, err);
        if (!s)
            return NULL;
        s->domains = catalogue[i].domains;
        for (const char *const *px = catalogue[i].prefixes; *px; px++) {
            if (s->n_prefixes == N_PREFIX_MAX || prefix_parse(*px, &s->prefixes[s->n_prefixes])) {
                vqi_service_free(s);
                vqi_err_set(err, VQI_EXIT_FAIL, "bad built-in prefix '%s'", *px);
                return NULL;
            }
            s->n_prefixes++;
        }
        s->n_prefixes = prefixes_normalise(s->prefixes, s->n_prefixes);
        return s;
    }
    vqi_err_set(err, VQI_EXIT_USAGE,
                "unknown service '%s' (known: netflix, youtube, twitch, amazon)",
                name ? name : "");
    return NULL;
}

vqi_service *vqi_service_by_regex(const char *regex, vqi_err *err)
{
    if (!regex || !*regex) {
        vqi_err_set(err, VQI_EXIT_USAGE, "empty regular expression");
        return NULL;
    }
    vqi_service *s = service_new(regex, err);
    if (!s)
        return NULL;
    int rc = regcomp(&s->re, regex, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc) {
        char why[200];
        regerror(rc, &s->re, why, sizeof why);
        vqi_service_free(s);
        vqi_err_set(err, VQI_EXIT_USAGE, "bad regular expression '%s': %s", regex, why);
        return NULL;
    }
    s->is_regex = 1;
    return s;
}

const char *vqi_service_name(const vqi_service *s) { return s ? s->name : ""; }

void vqi_service_free(vqi_service *s)
{
    if (!s)
        return;
    if (s->is_regex)
        regfree(&s->re);
    addrset_free(&s->learned);
    vqi_dns_streams_free(s->streams);
    sni_conns_free(s->conns);
    free(s->msg);
    free(s->name);
    free(s);
}

int vqi_service_name_matches(const vqi_service *s, const char *name)
{
    if (!s || !name || !*name)
        return 0;
    if (s->is_regex)
        return regexec(&s->re, name, 0, NULL, 0) == 0;
    size_t n = strlen(name);
    for (const char *const *d = s->domains; d && *d; d++) {
        size_t k = strlen(*d);
        /* The domain itself or a subdomain: "x.netflix.com" matches,
         * "notnetflix.com" does not. */
        if (n == k && !strcasecmp(name, *d))
            return 1;
        if (n > k && name[n - k - 1] == '.' && !strcasecmp(name + n - k, *d))
            return 1;
    }
    return 0;
}

int vqi_service_msg_matches(const vqi_service *s, const vqi_dns_msg *msg)
{
    if (vqi_service_name_matches(s, msg->qname))
        return 1;
    for (size_t i = 0; i < msg->n_answers; i++)
        if (vqi_service_name_matches(s, msg->answers[i].name) ||
            vqi_service_name_matches(s, msg->answers[i].target))
            return 1;
    return 0;
}

/* Does the CNAME chain that leads to answer i contain a service name?  The
 * chain runs from the question through every CNAME to the record's owner;
 * the walk goes backwards from the owner and takes at most n_answers steps
 * (CNAME records could form a cycle). */
int vqi_service_chain_matches(const vqi_service *s, const vqi_dns_msg *msg, size_t i)
{
    if (i >= msg->n_answers)
        return 0;
    if (vqi_service_name_matches(s, msg->qname))
        return 1;
    const char *cur = msg->answers[i].name;
    for (size_t step = 0; step <= msg->n_answers; step++) {
        if (vqi_service_name_matches(s, cur))
            return 1;
        const char *prev = NULL;
        for (size_t j = 0; j < msg->n_answers && !prev; j++)
            if (msg->answers[j].type == VQI_DNS_CNAME &&
                !strcasecmp(msg->answers[j].target, cur))
                prev = msg->answers[j].name;
        if (!prev)
            return 0;
        cur = prev;
    }
    return 0;
}

void vqi_service_learn_dns(vqi_service *s, const vqi_dns_msg *msg)
{
    if (!s || !msg->is_response)
        return;
    for (size_t i = 0; i < msg->n_answers; i++) {
        uint16_t t = msg->answers[i].type;
        if ((t == VQI_DNS_A || t == VQI_DNS_AAAA) && vqi_service_chain_matches(s, msg, i))
            addrset_add(&s->learned, msg->answers[i].addr);
    }
}

static void learn_from_bytes(vqi_service *s, const uint8_t *bytes, size_t len)
{
    if (vqi_dns_parse(bytes, len, s->msg) == 0)
        vqi_service_learn_dns(s, s->msg);
}

static void on_tcp_msg(void *ctx, const vqi_packet *p, const uint8_t *m, size_t len)
{
    (void)p;
    learn_from_bytes(ctx, m, len);
}

static int sni_matches(void *ctx, const char *name)
{
    return vqi_service_name_matches(ctx, name);
}

void vqi_service_observe(vqi_service *s, const vqi_packet *p)
{
    vqi_ns_kind kind;
    if (!s || !p || !p->ipver || !p->has_ports)
        return;
    if (vqi_dns_port_kind(p, &kind) && kind == VQI_NS_DNS) {
        if (p->proto == VQI_PROTO_UDP && p->payload) {
            size_t have = p->payload_caplen < p->payload_len ? p->payload_caplen
                                                             : p->payload_len;
            learn_from_bytes(s, p->payload, have);
        } else if (p->proto == VQI_PROTO_TCP) {
            vqi_dns_streams_feed(s->streams, p, on_tcp_msg, s);
        }
        return;
    }
    if (p->proto == VQI_PROTO_TCP) {
        char sni[SNI_MAX];
        sni_conns_feed(s->conns, p, sni, sizeof sni, sni_matches, s);
    }
}

vqi_ident vqi_service_classify(vqi_service *s, const vqi_packet *p, int *remote_is_src)
{
    int dummy;
    if (!remote_is_src)
        remote_is_src = &dummy;
    *remote_is_src = 0;
    if (!s || !p || !p->ipver)
        return VQI_IDENT_NONE;
    if (addrset_contains(&s->learned, p->src)) {
        *remote_is_src = 1;
        return VQI_IDENT_DNS;
    }
    if (addrset_contains(&s->learned, p->dst))
        return VQI_IDENT_DNS;
    if (p->proto == VQI_PROTO_TCP && p->has_ports && sni_conns_match(s->conns, p, remote_is_src))
        return VQI_IDENT_SNI;
    if (prefixes_match(s->prefixes, s->n_prefixes, p->src)) {
        *remote_is_src = 1;
        return VQI_IDENT_PREFIX;
    }
    if (prefixes_match(s->prefixes, s->n_prefixes, p->dst))
        return VQI_IDENT_PREFIX;
    return VQI_IDENT_NONE;
}

size_t vqi_service_n_addresses(const vqi_service *s) { return s ? s->learned.n : 0; }

const uint8_t *vqi_service_address(const vqi_service *s, size_t i)
{
    return s && i < s->learned.n ? s->learned.addrs[i] : NULL;
}
