/* cmd_dns.c - 'vqi dns': the DNS messages of a capture, one row each, or
 * with --addresses the addresses DNS answers give for a service.
 *
 * Messages come from UDP datagrams and from DNS-over-TCP streams
 * (reassembled by vqi_dns_streams).  Plain DNS (port 53) is shown by
 * default; mDNS, LLMNR and NBNS, which are not the client's resolutions,
 * only with --all-kinds. */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
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
    FILE *out;
    int jsonl, all_kinds;
    vqi_service *filter;       /* NULL = every message */
    vqi_dns_msg msg;
    size_t rows;
} run;


/* JSON string, or null for an empty field. */
static void put_json(FILE *f, const char *s)
{
    if (*s)
        vqi_json_string(f, s);
    else
        fputs("null", f);
}

static const char *const columns[] = {"timestamp", "kind",   "client", "server",
                                      "txn_id",    "is_response", "qname", "qtype",
                                      "rcode",     "answers", "error"};
#define N_COLUMNS (sizeof columns / sizeof *columns)

static void emit(run *r, const vqi_packet *p, vqi_ns_kind kind, const uint8_t *bytes, size_t len)
{
    vqi_dns_msg *m = &r->msg;
    if (vqi_dns_parse(bytes, len, m) < 0)
        return;                              /* not even a header */
    if (r->filter && !vqi_service_msg_matches(r->filter, m))
        return;
    static char answers[VQI_DNS_MAX_RR * (VQI_DNS_NAME_MAX * 2 + 16)];
    char ts[40], client[VQI_ADDR_STRLEN], server[VQI_ADDR_STRLEN], id[8], qtype[16], tb[16];
    uint64_t a = p->ts_ns < 0 ? (uint64_t)0 - (uint64_t)p->ts_ns : (uint64_t)p->ts_ns;
    snprintf(ts, sizeof ts, "%s%" PRIu64 ".%09" PRIu64, p->ts_ns < 0 ? "-" : "",
             a / 1000000000u, a % 1000000000u);
    vqi_addr_format(m->is_response ? p->dst : p->src, client);
    vqi_addr_format(m->is_response ? p->src : p->dst, server);
    snprintf(id, sizeof id, "%u", m->id);
    snprintf(qtype, sizeof qtype, "%s", m->qname[0] ? vqi_dns_type_name(m->qtype, tb, sizeof tb) : "");
    vqi_dns_answers_text(m, answers, sizeof answers);
    const char *values[N_COLUMNS] = {ts, vqi_ns_kind_name(kind), client, server, id,
                                     m->is_response ? "1" : "0", m->qname, qtype,
                                     m->is_response ? vqi_dns_rcode_name(m->rcode) : "",
                                     answers, m->error ? m->error : ""};
    for (size_t i = 0; i < N_COLUMNS; i++) {
        if (r->jsonl) {
            fprintf(r->out, "%s\"%s\":", i ? "," : "{", columns[i]);
            if (i == 0 || i == 4)
                fputs(values[i], r->out);                       /* numbers */
            else if (i == 5)
                fputs(m->is_response ? "true" : "false", r->out);
            else
                put_json(r->out, values[i]);
        } else {
            if (i)
                fputc(',', r->out);
            vqi_csv_field(r->out, values[i]);
        }
    }
    fputs(r->jsonl ? "}\n" : "\n", r->out);
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
    static run r;                              /* holds a large message buffer */
    memset(&r, 0, sizeof r);
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
    r.out = vqi_out_file(out);
    r.filter = svc;
    if (!addresses) {
        for (size_t i = 0; i < N_COLUMNS && !r.jsonl; i++)
            fprintf(r.out, "%s%s", i ? "," : "", columns[i]);
        if (!r.jsonl)
            fputc('\n', r.out);
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
        vqi_out_abort(out);
    } else {
        if (vqi_capture_warning(cap))
            vqi_warn(path, "%s", vqi_capture_warning(cap));
        if (addresses) {
            char text[VQI_ADDR_STRLEN];
            for (size_t i = 0; i < vqi_service_n_addresses(svc); i++)
                fprintf(r.out, "%s\n", vqi_addr_format(vqi_service_address(svc, i), text));
        }
        if (vqi_out_commit(out, &err) < 0)
            code = cli_error(out_path, &err);
    }
    vqi_dns_streams_free(streams);
    vqi_capture_close(cap);
    vqi_service_free(svc);
    return code;
}
