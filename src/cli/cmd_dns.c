/* cmd_dns.c - 'vqi dns': the DNS messages of a capture, one row each, or
 * with --addresses the addresses DNS answers give for a service.
 *
 * Messages come from UDP datagrams and from DNS-over-TCP streams
 * (reassembled by vqi_dns_streams).  Plain DNS (port 53) is shown by
 * default; mDNS, LLMNR and NBNS, which are not the client's resolutions,
 * only with --all-kinds. */
#include "cli.h"

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../capture/capture.h"
#include "../decode/decode.h"
#include "../dns/dns.h"
#include "../service/service.h"
#include "../util/output.h"
#include "../util/textout.h"

static void help(void)
{
    printf("usage: vqi dns CAPTURE [--service NAME | --match REGEX] [--addresses]\n"
           "               [--all-kinds] [-o OUT] [--format csv|jsonl]\n\n"
           "One row per DNS message of CAPTURE (pcap or pcapng; gzip, xz, bzip2 or plain;\n"
           "'-' = stdin), UDP and TCP (reassembled), in capture order, with the columns\n"
           "  timestamp,kind,client,server,txn_id,is_response,qname,qtype,rcode,answers,error\n"
           "timestamp: epoch seconds, 9 decimals; kind: dns, mdns, llmnr or nbns;\n"
           "client/server: addresses (the query's source is the client); qname/qtype: the\n"
           "first question; rcode: NOERROR, NXDOMAIN, ... (responses only); answers: the\n"
           "answer chain, e.g. 'a.example CNAME b.example A 192.0.2.1'; error: why\n"
           "parsing stopped early (a capture cut the message, a malformed name), or empty.\n"
           "Names use RFC 1035 escapes (\\DDD) for unprintable bytes.\n\n"
           "Options:\n"
           "  -s, --service NAME   only messages with a name of the service: netflix,\n"
           "                       youtube, twitch or amazon (any name: question, answer\n"
           "                       owners, CNAME targets)\n"
           "  -m, --match REGEX    the same with a POSIX extended regex (case-insensitive)\n"
           "  -a, --addresses      print the service's addresses instead, one per line, in\n"
           "                       first-seen order: every A/AAAA answer whose CNAME chain\n"
           "                       (question, CNAMEs, owner) has a matching name\n"
           "      --all-kinds      also mDNS (5353), LLMNR (5355) and NBNS (137)\n"
           "  -o, --output FILE    write to FILE (atomically) instead of stdout\n"
           "  -f, --format FORMAT  csv (default, RFC 4180) or jsonl (null for empty fields)\n"
           "  -h, --help           this text\n\n"
           "Queries cut by the capture's snap length keep their id but lose their name;\n"
           "names are learned from responses.  IP fragments are not reassembled: a\n"
           "fragmented response is read as far as its first fragment goes.\n"
           "Exit codes: 0 ok, 1 failure while processing, 2 bad usage or unreadable input.\n");
}

typedef struct run {
    vqi_blockout out;
    int jsonl, all_kinds;
    vqi_service *filter;       /* NULL = every message */
    size_t rows;
    /* scratch, filled before it is read: not cleared (see cmd_dns) */
    vqi_dns_msg msg;
    char answers[VQI_DNS_MAX_RR * (VQI_DNS_NAME_MAX * 2 + 16)];
} run;

/* Longest row: every text field escaped for JSON (6 bytes a byte at most),
 * plus the numbers, names and keys. */
#define ROW_MAX (6 * (sizeof ((run *)0)->answers + 3 * VQI_DNS_NAME_MAX) + 1024)

static const char *const columns[] = {"timestamp", "kind",   "client", "server",
                                      "txn_id",    "is_response", "qname", "qtype",
                                      "rcode",     "answers", "error"};
#define N_COLUMNS (sizeof columns / sizeof *columns)

/* One text column: a CSV field, or a JSON string (null when empty). */
static char *put_text(const run *r, char *o, const char *s)
{
    size_t n = strlen(s);
    if (!r->jsonl)
        return vqi_put_csv(o, s, n);
    return n ? vqi_put_json(o, s, n) : vqi_put_mem(o, "null", 4);
}

static void emit(run *r, const vqi_packet *p, vqi_ns_kind kind, const uint8_t *bytes, size_t len)
{
    vqi_dns_msg *m = &r->msg;
    if (vqi_dns_parse(bytes, len, m) < 0)
        return;                              /* not even a header */
    if (r->filter && !vqi_service_msg_matches(r->filter, m))
        return;
    char client[VQI_ADDR_STRLEN], server[VQI_ADDR_STRLEN], qtype[16], tb[16];
    vqi_addr_format(m->is_response ? p->dst : p->src, client);
    vqi_addr_format(m->is_response ? p->src : p->dst, server);
    snprintf(qtype, sizeof qtype, "%s", m->qname[0] ? vqi_dns_type_name(m->qtype, tb, sizeof tb) : "");
    vqi_dns_answers_text(m, r->answers, sizeof r->answers);
    const char *values[N_COLUMNS] = {NULL, vqi_ns_kind_name(kind), client, server, NULL,
                                     NULL, m->qname, qtype,
                                     m->is_response ? vqi_dns_rcode_name(m->rcode) : "",
                                     r->answers, m->error ? m->error : ""};
    char *o = vqi_blockout_row(&r->out);
    for (size_t i = 0; i < N_COLUMNS; i++) {
        if (r->jsonl) {
            *o++ = i ? ',' : '{';
            *o++ = '"';
            o = vqi_put_mem(o, columns[i], strlen(columns[i]));
            o = vqi_put_mem(o, "\":", 2);
        } else if (i) {
            *o++ = ',';
        }
        if (i == 0)
            o = vqi_put_epoch_ns(o, p->ts_ns);
        else if (i == 4)
            o = vqi_put_u64(o, m->id);
        else if (i == 5 && r->jsonl)
            o = m->is_response ? vqi_put_mem(o, "true", 4) : vqi_put_mem(o, "false", 5);
        else if (i == 5)
            *o++ = m->is_response ? '1' : '0';
        else
            o = put_text(r, o, values[i]);
    }
    if (r->jsonl)
        *o++ = '}';
    *o++ = '\n';
    vqi_blockout_done(&r->out, o);
    r->rows++;
}

typedef struct tcp_ctx { run *r; vqi_ns_kind kind; } tcp_ctx;

static void on_tcp_msg(void *ctx, const vqi_packet *p, const uint8_t *m, size_t len)
{
    tcp_ctx *t = ctx;
    emit(t->r, p, t->kind, m, len);
}

int cmd_dns(int argc, char **argv)
{
    static const struct option opts[] = {
        {"service", required_argument, NULL, 's'}, {"match", required_argument, NULL, 'm'},
        {"addresses", no_argument, NULL, 'a'},     {"all-kinds", no_argument, NULL, 'k'},
        {"output", required_argument, NULL, 'o'},  {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *service = NULL, *regex = NULL, *out_path = NULL;
    int addresses = 0, c;
    /* Static: it holds large scratch buffers (msg, answers), which the
     * parser and the row writer fill before reading, so only the fields
     * before them are cleared - clearing all 68 KB touched 17 fresh pages,
     * each a 10-15 us fault on our VM. */
    static run r;
    memset(&r, 0, offsetof(run, msg));
    optind = 1;
    opterr = 0;                 /* our own "vqi: dns: ..." messages, not getopt's */
    while ((c = getopt_long(argc, argv, ":s:m:ako:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': service = optarg; break;
        case 'm': regex = optarg; break;
        case 'a': addresses = 1; break;
        case 'k': r.all_kinds = 1; break;
        case 'o': out_path = optarg; break;
        case 'f':
            if (cli_parse_format("dns", optarg, &r.jsonl))
                return VQI_EXIT_USAGE;
            break;
        case 'h': help(); return VQI_EXIT_OK;
        case ':': return cli_usage_error("dns", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("dns", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("dns", "expected one CAPTURE, got %d arguments", argc - optind);
    if (service && regex)
        return cli_usage_error("dns", "--service and --match exclude each other");
    if (addresses && !service && !regex)
        return cli_usage_error("dns", "--addresses needs --service or --match");
    if (addresses && r.jsonl)
        return cli_usage_error("dns", "--addresses prints plain lines; --format does not apply");
    const char *path = argv[optind];

    vqi_err err = {0};
    vqi_service *svc = NULL;
    if (service || regex) {
        svc = service ? vqi_service_by_name(service, &err) : vqi_service_by_regex(regex, &err);
        if (!svc) {
            fprintf(stderr, "vqi: dns: %s\nTry 'vqi dns --help'.\n", err.msg);
            return VQI_EXIT_USAGE;
        }
    }
    vqi_capture *cap = vqi_capture_open(path, &err);
    if (!cap) {
        vqi_service_free(svc);
        return cli_error(path, &err);
    }
    vqi_dns_streams *streams = vqi_dns_streams_new();
    vqi_out *out = streams ? vqi_out_open(out_path, &err) : NULL;
    if (!out) {
        if (!streams)
            vqi_err_set(&err, VQI_EXIT_FAIL, "out of memory");
        int code = cli_error(streams ? out_path : path, &err);
        vqi_dns_streams_free(streams);
        vqi_capture_close(cap);
        vqi_service_free(svc);
        return code;
    }
    r.filter = svc;
    if (vqi_blockout_init(&r.out, vqi_out_file(out), ROW_MAX, &err) < 0) {
        int code = cli_error(path, &err);
        vqi_out_abort(out);
        vqi_dns_streams_free(streams);
        vqi_capture_close(cap);
        vqi_service_free(svc);
        return code;
    }
    if (!addresses && !r.jsonl) {
        char *o = vqi_blockout_row(&r.out);
        for (size_t i = 0; i < N_COLUMNS; i++) {
            if (i)
                *o++ = ',';
            o = vqi_put_mem(o, columns[i], strlen(columns[i]));
        }
        *o++ = '\n';
        vqi_blockout_done(&r.out, o);
    }

    vqi_frame f;
    vqi_packet p;
    int rc;
    while ((rc = vqi_capture_next(cap, &f, &err)) == 1) {
        vqi_ns_kind kind;
        if (!vqi_decode(&f, &p))
            continue;
        if (addresses) {
            vqi_service_observe(svc, &p);
            continue;
        }
        if (!vqi_dns_port_kind(&p, &kind) || (kind != VQI_NS_DNS && !r.all_kinds))
            continue;
        if (p.proto == VQI_PROTO_UDP) {
            size_t have = p.payload_caplen < p.payload_len ? p.payload_caplen : p.payload_len;
            if (p.payload && have)
                emit(&r, &p, kind, p.payload, have);
        } else {
            tcp_ctx t = {&r, kind};
            vqi_dns_streams_feed(streams, &p, on_tcp_msg, &t);
        }
    }
    int code = VQI_EXIT_OK;
    if (rc < 0) {
        code = cli_error(path, &err);
        vqi_blockout_finish(&r.out);
        vqi_out_abort(out);
    } else {
        if (vqi_capture_warning(cap))
            vqi_warn(path, "%s", vqi_capture_warning(cap));
        if (addresses) {
            for (size_t i = 0; i < vqi_service_n_addresses(svc); i++) {
                char *o = vqi_blockout_row(&r.out);
                vqi_addr_format(vqi_service_address(svc, i), o);
                o += strlen(o);
                *o++ = '\n';
                vqi_blockout_done(&r.out, o);
            }
        }
        vqi_blockout_finish(&r.out);
        if (vqi_out_commit(out, &err) < 0)
            code = cli_error(out_path, &err);
    }
    vqi_dns_streams_free(streams);
    vqi_capture_close(cap);
    vqi_service_free(svc);
    return code;
}
