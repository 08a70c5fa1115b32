/* cmd_stats.c - 'vqi stats' (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_stats(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vqi: stats: not implemented yet\n");
    return VQI_EXIT_FAIL;
}
