/*
** compile.c — `wasitorch compile`: translate a module to C, compile it with
** the system (or a cross) compiler and write the artifact (.cwasm) that
** `wasitorch run` loads. Exit status 0 on success, 1 on any failure.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"

static void compile_usage(FILE *out) {
  fputs(
      "Usage: wasitorch compile [OPTIONS] MODULE.wasm\n"
      "\n"
      "Translates MODULE.wasm to C, compiles it into native code and writes an\n"
      "artifact that 'wasitorch run ARTIFACT.cwasm' (or --engine aot) runs.\n"
      "\n"
      "  -o FILE            output artifact (default: MODULE.cwasm next to the module)\n"
      "  --cc CC            C compiler, e.g. aarch64-linux-gnu-gcc for an aarch64 artifact\n"
      "                     (default: $CC or cc)\n"
      "  --cflags FLAGS     optimisation flags (default -O2)\n"
      "  --target TRIPLE    shorthand for --cc TRIPLE-gcc\n"
      "  --bounds-checks    check every memory access instead of relying on guard pages\n"
      "  -h, --help         show this text\n",
      out);
}

/* MODULE.wasm -> MODULE.cwasm (or MODULE + .cwasm). */
static char *default_output(const char *in) {
  size_t n = strlen(in);
  char *out = malloc(n + 8);
  if (!out) return NULL;
  memcpy(out, in, n + 1);
  if (n > 5 && !strcmp(in + n - 5, ".wasm")) out[n - 5] = '\0';
  strcat(out, ".cwasm");
  return out;
}

static int do_compile(const char *in, const char *out, wt_aot_options *opt) {
  size_t len;
  uint8_t *bytes = cli_read_file(in, &len);
  if (!bytes) return 1;
  wt_engine *engine = wt_engine_new(NULL);
  wt_error err = {0};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  wt_status st = engine ? wt_aot_compile(engine, bytes, len, opt, out, &err) : WT_ERR_NOMEM;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  free(bytes);
  wt_engine_free(engine);
  if (st != WT_OK) {
    cli_error("%s: %s", in, engine ? err.message : "out of memory");
    return 1;
  }
  struct stat sb;
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  fprintf(stderr, "wasitorch: %s -> %s (%lld bytes, %.2f s)\n", in, out,
          stat(out, &sb) == 0 ? (long long)sb.st_size : -1LL, secs);
  return 0;
}

int cli_compile(int argc, char **argv) {
  wt_aot_options opt;
  memset(&opt, 0, sizeof opt);
  const char *in = NULL, *out = NULL;
  char cc[256];
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool more = i + 1 < argc;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      compile_usage(stdout);
      return 0;
    } else if (!strcmp(a, "-o") && more) {
      out = argv[++i];
    } else if (!strcmp(a, "--cc") && more) {
      opt.cc = argv[++i];
    } else if (!strcmp(a, "--cflags") && more) {
      opt.cflags = argv[++i];
    } else if (!strcmp(a, "--target") && more) {
      snprintf(cc, sizeof cc, "%s-gcc", argv[++i]);
      opt.cc = cc;
    } else if (!strcmp(a, "--bounds-checks")) {
      opt.bounds_checks = true;
    } else if (a[0] == '-' || in) {
      cli_error("bad argument '%s' (try 'wasitorch compile --help')", a);
      return 1;
    } else {
      in = a;
    }
  }
  if (!in) {
    cli_error("no module given (usage: wasitorch compile [OPTIONS] MODULE.wasm)");
    return 1;
  }
  opt.verbose = true;
  char *def = out ? NULL : default_output(in);
  int rc = out || def ? do_compile(in, out ? out : def, &opt) : 1;
  free(def);
  return rc;
}
