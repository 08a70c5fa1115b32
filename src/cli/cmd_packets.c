/* cmd_packets.c - 'vqi packets': one row per frame of a capture, in file
 * order, in the columns of the course notebook's scapy table, as CSV or
 * JSON lines.  The rows are src/packets/ (packets.h); this file is the
 * command line, the reading loop and the output. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../capture/capture.h"
#include "../decode/decode.h"
#include "../packets/packets.h"
#include "../util/output.h"
#include "../util/textout.h"

#define PROGRESS_EVERY 65536u

static void help(void)
{
    printf("usage: vqi packets CAPTURE [-o OUT] [--format csv|jsonl]\n\n"
           "One row per frame of CAPTURE (pcap or pcapng; gzip, xz, bzip2 or plain;\n"
           "'-' = stdin), in file order, with the columns\n"
           "  timestamp,length,src_ip,dst_ip,txn_id,protocol,src_port,dst_port,info\n"
           "timestamp: epoch seconds with 9 decimals (nanoseconds); length: bytes on\n"
           "the wire; src_ip/dst_ip: innermost IPv4 or IPv6 header (empty if none);\n"
           "txn_id: DNS transaction id (empty unless DNS); protocol: DNS (UDP/TCP port\n"
           "53), TCP, UDP or Other; ports empty when there is no transport header;\n"
           "info: scapy-like summary, DNS as 'Qry \"name\" TYPE' / 'Ans \"name\" -> ...'.\n\n"
           "Options:\n"
           "  -o, --output FILE    write to FILE (atomically) instead of stdout\n"
           "  -f, --format FORMAT  csv (default, RFC 4180 quoting) or jsonl (one JSON\n"
           "                       object per line, null for empty fields)\n"
           "  -h, --help           this text\n\n"
           "A capture damaged after its header (e.g. a truncated last record) keeps\n"
           "every complete frame and prints a warning.\n"
           "Exit codes: 0 ok, 1 failure while processing, 2 bad usage or unreadable input.\n");
}

int cmd_packets(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},
        {"format", required_argument, 0, 'f'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *out_path = "-";
    int jsonl = 0;
    int c;
    optind = 1;
    opterr = 0;                 /* our own "vqi: packets: ..." messages, not getopt's */
    while ((c = getopt_long(argc, argv, ":o:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case 'f':
            if (cli_parse_format("packets", optarg, &jsonl))
                return VQI_EXIT_USAGE;
            break;
        case 'h': help(); return VQI_EXIT_OK;
        case ':': return cli_usage_error("packets", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("packets", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("packets", "expected one CAPTURE argument");
    const char *path = argv[optind];

    vqi_err err = {0};
    vqi_capture *cap = vqi_capture_open(path, &err);
    if (!cap)
        return cli_error(path, &err);
    vqi_out *out = vqi_out_open(out_path, &err);
    vqi_pkt_table *table = out ? vqi_pkt_table_new(jsonl, &err) : NULL;
    vqi_blockout bo = {0};
    if (!table || vqi_blockout_init(&bo, vqi_out_file(out), VQI_PKT_ROW_MAX, &err) < 0) {
        int code = cli_error(out ? path : out_path, &err);
        vqi_out_abort(out);
        vqi_pkt_table_free(table);
        vqi_capture_close(cap);
        return code;
    }
    if (!jsonl)
        vqi_blockout_done(&bo, vqi_put_mem(vqi_blockout_row(&bo), vqi_pkt_csv_header,
                                           strlen(vqi_pkt_csv_header)));
    vqi_frame f;
    vqi_packet p;
    int rc;
    uint64_t n = 0;
    while ((rc = vqi_capture_next(cap, &f, &err)) == 1) {
        vqi_decode(&f, &p);
        vqi_blockout_done(&bo, vqi_pkt_row(table, &f, &p, vqi_blockout_row(&bo)));
        if (++n % PROGRESS_EVERY == 0) {
            vqi_capture_stats st;
            vqi_capture_get_stats(cap, &st);
            vqi_progress("packets", (double)st.bytes_done, (double)st.bytes_total);
        }
    }
    vqi_progress_end();
    vqi_blockout_finish(&bo);
    int code = VQI_EXIT_OK;
    if (rc < 0) {
        code = cli_error(path, &err);
        vqi_out_abort(out);
    } else {
        if (vqi_capture_warning(cap))
            vqi_warn(path, "%s", vqi_capture_warning(cap));
        if (vqi_out_commit(out, &err) < 0)
            code = cli_error(out_path, &err);
    }
    vqi_pkt_table_free(table);
    vqi_capture_close(cap);
    return code;
}
