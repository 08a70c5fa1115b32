/* cmd_predict.c - 'vqi predict' (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_predict(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vqi: predict: not implemented yet\n");
    return VQI_EXIT_FAIL;
}
