/*
** wasi_embed.c — the smallest embedding of the runtime with WASI: load a
** command module, link wasi_snapshot_preview1 through host_resolve and
** wasi_host_module, call _start. It tests the embedding path (the CLI is
** one client of the same API) and runs the guest tests without the CLI.
**
**   wasi_embed [--dir HOST[:GUEST][:ro]]... [--env K=V]... MODULE.wasm [ARGS...]
**
** Exit status: the guest's (proc_exit or 0 from _start); 125 for a load,
** link or usage error; 134 for a trap.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "wasi/wasi.h"

#define MAX_LIST 16

typedef struct linker {
  wt_store *store;
  host_module mod;
} linker;

static bool resolve(void *ud, const wt_port *import, wt_extern *out) {
  linker *l = ud;
  return host_resolve(l->store, &l->mod, 1, import, out);
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
      if (fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
      else *len = (size_t)n;
    }
  }
  fclose(f);
  return buf;
}

/* HOST[:GUEST][:ro] — the strings point into `spec`, modified in place. */
static void parse_dir(char *spec, wasi_dir *d) {
  d->host_path = spec;
  d->guest_path = NULL;
  d->read_only = false;
  size_t n = strlen(spec);
  if (n > 3 && strcmp(spec + n - 3, ":ro") == 0) { d->read_only = true; spec[n - 3] = 0; }
  char *colon = strchr(spec, ':');
  if (colon) { *colon = 0; d->guest_path = colon + 1; }
}

static int run(const char *path, wasi_config *cfg) {
  int rc = 125;
  size_t len = 0;
  uint8_t *bytes = read_file(path, &len);
  wt_error err = {0};
  wt_engine *eng = wt_engine_new(NULL);
  wt_module *mod = NULL;
  wt_store *store = NULL;
  wasi_ctx *w = NULL;
  if (!bytes || !eng) { fprintf(stderr, "wasi_embed: cannot read %s\n", path); goto done; }
  if (wt_module_new(eng, bytes, len, &mod, &err) != WT_OK) goto fail;
  if (!(store = wt_store_new(eng)) || !(w = wasi_new(cfg, &err))) goto fail;
  linker l = {store, wasi_host_module(w)};
  wt_instance *inst;
  if (wt_instantiate(store, mod, resolve, &l, &inst, &err) != WT_OK) goto fail;
  wt_extern start;
  if (!wt_instance_export(inst, "_start", &start) || start.kind != WT_EXTERN_FUNC) {
    fprintf(stderr, "wasi_embed: %s: no _start\n", path);
    goto done;
  }
  wt_status st = wt_func_call(store, start.u.func, NULL, 0, NULL, 0, &err);
  fflush(stdout);
  if (st == WT_OK) rc = 0;
  else if (st == WT_ERR_EXIT || (st == WT_ERR_TRAP && err.trap == WT_TRAP_EXIT)) rc = err.exit_code;
  else { rc = st == WT_ERR_TRAP ? 134 : 125; goto fail; }
  goto done;
fail:
  fprintf(stderr, "wasi_embed: %s: %s\n", path, err.message);
done:
  wt_store_free(store);
  wasi_free(w);
  wt_module_free(mod);
  wt_engine_free(eng);
  free(bytes);
  return rc;
}

int main(int argc, char **argv) {
  wasi_dir dirs[MAX_LIST];
  const char *envs[MAX_LIST];
  int ndirs = 0, nenvs = 0, i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (i + 1 >= argc) break;
    if (strcmp(argv[i], "--dir") == 0 && ndirs < MAX_LIST) parse_dir(argv[++i], &dirs[ndirs++]);
    else if (strcmp(argv[i], "--env") == 0 && nenvs < MAX_LIST) envs[nenvs++] = argv[++i];
    else break;
  }
  if (i >= argc || argv[i][0] == '-') {
    fprintf(stderr, "usage: wasi_embed [--dir HOST[:GUEST][:ro]] [--env K=V] MODULE.wasm [ARGS...]\n");
    return 125;
  }
  wasi_config cfg = {.argc = argc - i, .argv = (const char *const *)argv + i,
                     .envc = nenvs, .envp = envs, .dirs = dirs, .ndirs = ndirs,
                     .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2};
  return run(argv[i], &cfg);
}
