/* cmd_eval.c - 'vqi eval' (not implemented yet). */
#include "cli.h"

#include <stdio.h>

int cmd_eval(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vqi: eval: not implemented yet\n");
    return VQI_EXIT_FAIL;
}
