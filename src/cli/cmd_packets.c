/* cmd_packets.c - 'vqi packets' (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_packets(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vqi: packets: not implemented yet\n");
    return VQI_EXIT_FAIL;
}
