/* cmd_dataset.c - 'vqi dataset' (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_dataset(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vqi: dataset: not implemented yet\n");
    return VQI_EXIT_FAIL;
}
