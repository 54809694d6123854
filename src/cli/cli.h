/*
** cli.h — the `wasitorch` command's subcommands and their shared helpers.
*/
#ifndef WT_CLI_H
#define WT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasitorch.h"

/* Subcommands: argv[0] is the subcommand's name. Return the process exit code. */
int cli_run(int argc, char **argv);
int cli_inspect(int argc, char **argv);
int cli_compile(int argc, char **argv);
int cli_bench(int argc, char **argv);

/* Reads a whole file; on failure prints "wasitorch: cannot read 'PATH': reason"
** and returns NULL. The caller frees the buffer. */
uint8_t *cli_read_file(const char *path, size_t *len);

/* Loads and validates a module, printing "wasitorch: PATH: message" on failure. */
wt_module *cli_load_module(wt_engine *engine, const char *path);

/* "--opt=value" or "--opt value" at argv[*i] (advancing *i past a separate
** value): returns the value, or NULL after reporting that it is missing. */
const char *cli_option_value(int argc, char **argv, int *i, const char *name);

/* A decimal integer in [min, max] (the whole text); false otherwise. */
bool cli_parse_count(const char *text, long min, long max, long *out);

/* Prints "wasitorch: " + message to stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif /* WT_CLI_H */
