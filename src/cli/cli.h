/* cli.h - the subcommands of the vqi program and the little they share.
 *
 * Each subcommand is one function in its own file (cmd_NAME.c), listed in
 * the dispatch table of main.c.  Subcommands parse their own options with
 * getopt_long, print "--help" text to stdout, and report errors through
 * cli_error() so that every message reads "vqi: FILE: what is wrong". */
#ifndef VQI_CLI_H
#define VQI_CLI_H

#include "../util/err.h"

#define VQI_VERSION "0.1.0"

int cmd_packets(int argc, char **argv);
int cmd_dns(int argc, char **argv);
int cmd_flows(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_windows(int argc, char **argv);
int cmd_dataset(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_monitor(int argc, char **argv);

/* Print "vqi: FILE: message" (or "vqi: message" when file is NULL) and
 * return the exit code carried by e (VQI_EXIT_FAIL when unset). */
int cli_error(const char *file, const vqi_err *e);

/* --format csv|jsonl: sets *jsonl (0/1) and returns 0, or prints a usage
 * error and returns VQI_EXIT_USAGE. */
int cli_parse_format(const char *cmd, const char *arg, int *jsonl);

/* Print "vqi: CMD: message\nTry 'vqi CMD --help'." and return VQI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
