/*
** util.c — file reading and error printing shared by the subcommands.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

void cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("wasitorch: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

uint8_t *cli_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  struct stat st;
  if (!f || fstat(fileno(f), &st) != 0) {
    cli_error("cannot read '%s': %s", path, strerror(errno));
    if (f) fclose(f);
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    cli_error("cannot read '%s': not a regular file", path);
    fclose(f);
    return NULL;
  }
  size_t size = (size_t)st.st_size;
  uint8_t *buf = malloc(size ? size : 1);
  if (!buf || fread(buf, 1, size, f) != size) {
    cli_error("cannot read '%s': %s", path, buf ? "short read" : "out of memory");
    free(buf);
    fclose(f);
    return NULL;
  }
  fclose(f);
  *len = size;
  return buf;
}

wt_module *cli_load_module(wt_engine *engine, const char *path) {
  size_t len = 0;
  uint8_t *bytes = cli_read_file(path, &len);
  if (!bytes) return NULL;
  wt_module *module = NULL;
  wt_error err;
  wt_status st = wt_module_new(engine, bytes, len, &module, &err);
  free(bytes);
  if (st != WT_OK) {
    cli_error("%s: %s", path, err.message);
    return NULL;
  }
  return module;
}

const char *cli_option_value(int argc, char **argv, int *i, const char *name) {
  size_t n = strlen(name);
  if (argv[*i][n] == '=') return argv[*i] + n + 1;
  if (*i + 1 >= argc) {
    cli_error("option %s needs a value", name);
    return NULL;
  }
  return argv[++*i];
}

bool cli_parse_count(const char *text, long min, long max, long *out) {
  char *end;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno || end == text || *end || v < min || v > max) return false;
  *out = v;
  return true;
}
