/* main.c - the vqi program: global options and the subcommand table. */
#include "cli.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/output.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"packets", cmd_packets, "per-packet table of a capture (CSV / JSON lines)"},
    {"dns", cmd_dns, "DNS messages of a capture; a service's addresses"},
    {"flows", cmd_flows, "flow statistics and netml-style feature vectors"},
    {"stats", cmd_stats, "readable traffic report for one service"},
    {"windows", cmd_windows, "10-second window features in the course dataset's schema"},
    {"dataset", cmd_dataset, "inspect, export and clean datasets (pandas pickles, CSV)"},
    {"train", cmd_train, "train and tune a resolution model (XGBoost)"},
    {"eval", cmd_eval, "evaluate a model: accuracy, F1, confusion matrix, ROC/AUC"},
    {"predict", cmd_predict, "resolution per window of a capture or table, with a plot"},
    {"monitor", cmd_monitor, "live resolution of video sessions on an interface"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: vqi COMMAND [OPTIONS] [ARGS]\n\n"
               "Infer the resolution of streaming video from encrypted traffic.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nGlobal options (before the command):\n"
               "  -q, --quiet    no warnings or progress on stderr\n"
               "  -h, --help     this text; 'vqi COMMAND --help' for a command\n"
               "  -V, --version  print the version\n\n"
               "Exit codes: 0 success, 1 failure while processing, 2 bad usage or\n"
               "unreadable input.  Output files appear only when a run succeeds.\n");
}

int cli_error(const char *file, const vqi_err *e)
{
    const char *msg = e && e->msg[0] ? e->msg : "unknown error";
    if (file)
        fprintf(stderr, "vqi: %s: %s\n", file, msg);
    else
        fprintf(stderr, "vqi: %s\n", msg);
    return e && e->code ? e->code : VQI_EXIT_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vqi: %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'vqi %s --help'.\n", cmd);
    va_end(ap);
    return VQI_EXIT_USAGE;
}

int cli_parse_format(const char *cmd, const char *arg, int *jsonl)
{
    if (!strcmp(arg, "csv") || !strcmp(arg, "jsonl")) {
        *jsonl = arg[0] == 'j';
        return 0;
    }
    return cli_usage_error(cmd, "--format: '%s' is not csv or jsonl", arg);
}

static void on_signal(int sig)
{
    vqi_out_abort_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
            vqi_warn_mute(1);
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
            printf("vqi %s\n", VQI_VERSION);
            return 0;
        } else {
            fprintf(stderr, "vqi: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return VQI_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return VQI_EXIT_USAGE;
    }
    if (!strcmp(argv[i], "help")) {
        usage(stdout);
        return 0;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (!strcmp(argv[i], commands[k].name))
            return commands[k].run(argc - i, argv + i);
    fprintf(stderr, "vqi: '%s' is not a vqi command; see 'vqi --help'\n", argv[i]);
    return VQI_EXIT_USAGE;
}
