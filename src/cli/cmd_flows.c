/* cmd_flows.c - 'vqi flows' (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_flows(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vqi: flows: not implemented yet\n");
    return VQI_EXIT_FAIL;
}
