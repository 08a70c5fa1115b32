/* cmd_windows.c - 'vqi windows' (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_windows(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vqi: windows: not implemented yet\n");
    return VQI_EXIT_FAIL;
}
