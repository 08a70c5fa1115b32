/* cmd_dns.c - 'vqi dns' (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_dns(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vqi: dns: not implemented yet\n");
    return VQI_EXIT_FAIL;
}
