/* cmd_train.c - 'vqi train' (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_train(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vqi: train: not implemented yet\n");
    return VQI_EXIT_FAIL;
}
