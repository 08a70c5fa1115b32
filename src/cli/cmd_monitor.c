/* cmd_monitor.c - 'vqi monitor' (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_monitor(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vqi: monitor: not implemented yet\n");
    return VQI_EXIT_FAIL;
}
