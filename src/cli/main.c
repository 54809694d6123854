/*
** main.c — entry point of the `wasitorch` command: dispatches subcommands.
*/
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *out) {
  fprintf(out,
          "wasitorch %s — run PyTorch models from sandboxed WebAssembly (WASI + WASI-NN)\n"
          "\n"
          "Usage: wasitorch COMMAND [OPTIONS] ...\n"
          "\n"
          "Commands:\n"
          "  run MODULE.wasm [ARGS...]   run a WASI command module (see 'wasitorch run --help')\n"
          "  inspect MODULE.wasm         validate a module and list its imports and exports\n"
          "  compile MODULE.wasm         compile to native code (MODULE.cwasm; see 'wasitorch\n"
          "                              compile --help' and 'run --engine')\n"
          "  bench MODULE.wasm [ARGS...] time a module on the interpreter and as native code\n"
          "                              (see 'wasitorch bench --help')\n"
          "  help                        show this text\n"
          "  version                     print the version\n"
          "\n"
          "'wasitorch MODULE.wasm ...' is short for 'wasitorch run MODULE.wasm ...'.\n",
          WT_VERSION);
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "run")) return cli_run(argc - 1, argv + 1);
  if (!strcmp(cmd, "inspect")) return cli_inspect(argc - 1, argv + 1);
  if (!strcmp(cmd, "compile")) return cli_compile(argc - 1, argv + 1);
  if (!strcmp(cmd, "bench")) return cli_bench(argc - 1, argv + 1);
  if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
    printf("wasitorch %s\n", WT_VERSION);
    return 0;
  }
  if (ends_with(cmd, ".wasm")) return cli_run(argc, argv); /* argv[0] plays "run" */
  cli_error("unknown command '%s' (try 'wasitorch --help')", cmd);
  return 2;
}
