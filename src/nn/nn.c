/*
** nn.c — the nn_ctx: configuration, the backend (loaded on first use),
** named (preloaded) models, and the graph / execution-context objects the
** handle tables point to. The guest-facing functions are in abi.c.
*/
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "nn/nn_internal.h"

nn_errno nn_fail(nn_ctx *nn, nn_errno code, const char *fn, const char *fmt, ...) {
  if (nn->quiet) return code;
  char msg[NN_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* One line per error: backend messages may carry newlines (TorchScript
  ** tracebacks); keep only the first line so logs stay greppable. */
  char *nl = strchr(msg, '\n');
  if (nl) *nl = '\0';
  fprintf(nn->log ? nn->log : stderr, "wasi-nn: %s: %s\n", fn, msg);
  return code;
}

nn_errno nn_backend_fail(nn_ctx *nn, nn_errno code, const char *fn, const char *msg) {
  size_t n = strlen(fn);
  if (strncmp(msg, fn, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ') msg += n + 2;
  if (!*msg) msg = "the backend gave no reason";
  return nn_fail(nn, code, fn, "%s", msg);
}

bool nn_parse_optimize(const char *text, int *mode) {
  static const struct { const char *name; int mode; } modes[] = {
      {"none", NN_OPTIMIZE_NONE}, {"freeze", NN_OPTIMIZE_FREEZE},
      {"ofi", NN_OPTIMIZE_OFI},   {"auto", NN_OPTIMIZE_AUTO}, {"fused", NN_OPTIMIZE_FUSED}};
  for (size_t i = 0; text && i < sizeof modes / sizeof modes[0]; i++)
    if (strcasecmp(text, modes[i].name) == 0) {
      *mode = modes[i].mode;
      return true;
    }
  return false;
}

/* Loads the backend once; a failure is remembered so every later call
** answers the same errno and message without retrying dlopen. */
static bool ensure_backend(nn_ctx *nn) {
  if (nn->backend) return true;
  if (nn->backend_failed) return false;
  nn_backend_options opts = {.threads = nn->threads, .optimize = nn->optimize};
  nn->backend = nn_loader_open(nn->backend_dir, &opts, &nn->backend_errno, nn->backend_error,
                               sizeof nn->backend_error);
  nn->backend_failed = nn->backend == NULL;
  return nn->backend != NULL;
}

const nn_backend *nn_backend_get(nn_ctx *nn, const char *fn, nn_errno *code) {
  if (ensure_backend(nn)) return nn->backend;
  *code = nn_fail(nn, nn->backend_errno, fn, "%s", nn->backend_error);
  return NULL;
}

nn_graph *nn_graph_new(void *bk) {
  nn_graph *g = malloc(sizeof *g);
  if (g) *g = (nn_graph){.bk = bk, .refs = 1};
  return g;
}

void nn_graph_release(nn_ctx *nn, nn_graph *g) {
  if (!g || --g->refs > 0) return;
  nn->backend->free_graph(g->bk);
  free(g);
}

void nn_exec_free(nn_ctx *nn, nn_exec *e) {
  if (!e) return;
  nn->backend->free_context(e->bk);
  nn_graph_release(nn, e->graph);
  free(e);
}

nn_graph *nn_named_find(const nn_ctx *nn, const char *name, size_t len) {
  for (int i = 0; i < nn->nnamed; i++) {
    const char *n = nn->named[i].name;
    if (strlen(n) == len && memcmp(n, name, len) == 0) return nn->named[i].graph;
  }
  return NULL;
}

static void set_error(wt_error *err, wt_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void set_error(wt_error *err, wt_status status, const char *fmt, ...) {
  if (!err) return;
  memset(err, 0, sizeof *err);
  err->status = status;
  err->func_index = UINT32_MAX;
  err->offset = UINT64_MAX;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
}

/* Checks one preload's words before anything is loaded. */
static bool check_preload(const nn_ctx *nn, const nn_preload *p, int *target, wt_error *err) {
  if (!p->name || !*p->name || !p->path || !*p->path || !p->encoding || !p->target) {
    set_error(err, WT_ERR_ARG, "--nn-preload: name, encoding, target and path are required");
    return false;
  }
  if (strcasecmp(p->encoding, "pytorch") && strcasecmp(p->encoding, "autodetect")) {
    set_error(err, WT_ERR_ARG, "--nn-preload %s: encoding '%s' is not available: this "
              "build has only the pytorch backend", p->name, p->encoding);
    return false;
  }
  if ((*target = nn_target_from_name(p->target)) < 0) {
    set_error(err, WT_ERR_ARG, "--nn-preload %s: unknown target '%s' (cpu, gpu, tpu)",
              p->name, p->target);
    return false;
  }
  if (nn_named_find(nn, p->name, strlen(p->name))) {
    set_error(err, WT_ERR_ARG, "--nn-preload %s: the name is given twice", p->name);
    return false;
  }
  return true;
}

/* Loads one --nn-preload model through the backend (eagerly, so a bad model
** or a missing backend stops the run before the guest starts). */
static bool load_preload(nn_ctx *nn, const nn_preload *p, wt_error *err) {
  int target;
  if (!check_preload(nn, p, &target, err)) return false;
  if (!ensure_backend(nn)) {
    set_error(err, WT_ERR_IO, "--nn-preload %s: %s", p->name, nn->backend_error);
    return false;
  }
  char msg[NN_MSG_MAX] = "";
  void *bk = NULL;
  nn_errno rc = nn->backend->load_path(p->path, (nn_target)target, &bk, msg, sizeof msg);
  if (rc != NN_SUCCESS) {
    set_error(err, WT_ERR_IO, "--nn-preload %s: cannot load %s: %s", p->name, p->path, msg);
    return false;
  }
  nn_named *slot = &nn->named[nn->nnamed];
  slot->graph = nn_graph_new(bk);
  slot->name = strdup(p->name);
  if (!slot->graph || !slot->name) {
    if (slot->graph) nn_graph_release(nn, slot->graph);
    else nn->backend->free_graph(bk);
    free(slot->name);
    set_error(err, WT_ERR_NOMEM, "--nn-preload %s: out of memory", p->name);
    return false;
  }
  nn->nnamed++;
  return true;
}

nn_ctx *nn_new(const nn_config *cfg, wt_error *err) {
  static const nn_config defaults = {0};
  if (!cfg) cfg = &defaults;
  if (cfg->npreloads < 0 || (cfg->npreloads > 0 && !cfg->preloads)) {
    set_error(err, WT_ERR_ARG, "nn_new: bad preload list");
    return NULL;
  }
  nn_ctx *nn = calloc(1, sizeof *nn);
  if (!nn) {
    set_error(err, WT_ERR_NOMEM, "wasi-nn: out of memory");
    return NULL;
  }
  nn->threads = cfg->threads;
  nn->optimize = cfg->optimize;
  nn->legacy_types = cfg->legacy_types;
  nn->quiet = cfg->quiet;
  nn->log = cfg->log;
  nn_table_init(&nn->graphs, NN_TAG_GRAPH);
  nn_table_init(&nn->execs, NN_TAG_EXEC);
  bool ok = true;
  if (cfg->backend_dir && !(nn->backend_dir = strdup(cfg->backend_dir))) ok = false;
  if (ok && cfg->npreloads && !(nn->named = calloc((size_t)cfg->npreloads, sizeof *nn->named)))
    ok = false;
  if (!ok) set_error(err, WT_ERR_NOMEM, "wasi-nn: out of memory");
  for (int i = 0; ok && i < cfg->npreloads; i++) ok = load_preload(nn, &cfg->preloads[i], err);
  if (!ok) {
    nn_free(nn);
    return NULL;
  }
  return nn;
}

/* Contexts first: each holds a reference to its graph. */
void nn_free(nn_ctx *nn) {
  if (!nn) return;
  for (uint32_t i = 0; i < NN_TABLE_CAP; i++) {
    nn_exec *e = nn->execs.slots[i].obj;
    if (e) nn_exec_free(nn, e);
  }
  for (uint32_t i = 0; i < NN_TABLE_CAP; i++) {
    nn_graph *g = nn->graphs.slots[i].obj;
    if (g) nn_graph_release(nn, g);
  }
  for (int i = 0; i < nn->nnamed; i++) {
    nn_graph_release(nn, nn->named[i].graph);
    free(nn->named[i].name);
  }
  free(nn->named);
  free(nn->backend_dir);
  free(nn);
}
