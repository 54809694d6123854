/*
** wasi_nn_native.c — the wasi_ephemeral_nn functions for a *native* build of
** a guest program (prefix `wnn_`), implemented directly on the backend
** interface (src/nn/backend.h), so the same C sources that run as Wasm can be
** timed natively against the same PyTorch backend (bench/e2e_classify.py).
**
** It mirrors what `wasitorch run` does for a guest, step for step:
**   - the backend is libwasitorch_torch.so, found and dlopen'ed by the very
**     loader of src/nn (nn_loader_open: $WASITORCH_BACKEND_DIR, else
**     <dir of the executable>/../lib/wasitorch) with the same options;
**   - preloads are loaded eagerly before main() (a constructor), as
**     --nn-preload loads them before the guest's _start, so the program's
**     own "load" timing sees the same (nothing) in both worlds;
**   - errors print one "wasi-nn: FN: reason" line and return the errno.
** Configuration comes from the environment (the program's argv is the
** guest's own):
**   WT_NATIVE_NN_PRELOAD   NAME:ENCODING:TARGET:PATH[;NAME:...]  (--nn-preload)
**   WT_NATIVE_NN_OPTIMIZE  none|freeze|ofi|auto                  (--nn-optimize=MODE;
**                          unset = none, as without --nn-optimize)
**   WT_NATIVE_NN_THREADS   intra-op threads, 0 = backend default (--nn-threads)
**
** Process state: the imports take no context argument, so the handle tables
** live in one static wnn_state — the only global in the program, and only
** in this benchmark shim (the runtime proper keeps its state in nn_ctx).
** Backend objects still open at exit are left to process teardown: freeing
** them from an exit handler would race libtorch's own static destructors.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nn/nn_internal.h"
#include "wasitorch_sdk.h"

#define WNN_MAX_GRAPHS 64u
#define WNN_MAX_EXECS 64u
#define WNN_MAX_NAMED 16
#define WNN_EXEC_TAG 0x80000000u /* keeps context handles disjoint from graph handles */

typedef struct wnn_graph {
  void *bk;
  unsigned refs; /* the handle (or the preload) plus one per context */
} wnn_graph;

typedef struct wnn_exec {
  void *bk;
  wnn_graph *graph;
} wnn_exec;

typedef struct wnn_state {
  nn_backend_options opts;
  const nn_backend *backend;
  bool backend_tried;
  nn_errno backend_errno;
  char backend_error[NN_MSG_MAX];
  struct { char *name; wnn_graph *graph; } named[WNN_MAX_NAMED];
  int nnamed;
  wnn_graph *graphs[WNN_MAX_GRAPHS];
  wnn_exec *execs[WNN_MAX_EXECS];
} wnn_state;

static wnn_state wnn_g;

/* ---- errors and the backend ---------------------------------------------- */

/* One "wasi-nn: FN: reason" line (first line of the reason only, and
** without a "FN: " the backend may have put in front, as the runtime's
** nn_fail/nn_backend_fail do), then the errno for the caller to return. */
static nn_errno wnn_fail(nn_errno code, const char *fn, const char *msg) {
  size_t fl = strlen(fn);
  if (!strncmp(msg, fn, fl) && msg[fl] == ':' && msg[fl + 1] == ' ') msg += fl + 2;
  const char *nl = strchr(msg, '\n');
  int n = nl ? (int)(nl - msg) : (int)strlen(msg);
  fprintf(stderr, "wasi-nn: %s: %.*s\n", fn, n, *msg ? msg : "the backend gave no reason");
  return code;
}

/* Loads the backend once; a failure is remembered and answered again. */
static const nn_backend *wnn_backend(wnn_state *s, const char *fn, nn_errno *code) {
  if (!s->backend && !s->backend_tried) {
    s->backend_tried = true;
    s->backend = nn_loader_open(NULL, &s->opts, &s->backend_errno, s->backend_error,
                                sizeof s->backend_error);
  }
  if (!s->backend) *code = wnn_fail(s->backend_errno, fn, s->backend_error);
  return s->backend;
}

static void wnn_graph_release(wnn_state *s, wnn_graph *g) {
  if (!g || --g->refs > 0) return;
  s->backend->free_graph(g->bk);
  free(g);
}

/* ---- configuration (before main) ----------------------------------------- */

/* Loads one preload spec; false with the reason printed. */
static bool wnn_preload_one(wnn_state *s, const char *spec) {
  nn_preload p;
  char *storage = NULL;
  wt_error err;
  if (!nn_parse_preload(spec, &p, &storage, &err)) {
    fprintf(stderr, "WT_NATIVE_NN_PRELOAD: %s\n", err.message);
    return false;
  }
  bool ok = false;
  nn_errno code;
  char msg[NN_MSG_MAX] = "";
  void *bk = NULL;
  bool twice = false;
  for (int i = 0; i < s->nnamed; i++) twice |= !strcmp(s->named[i].name, p.name);
  if (twice) {
    fprintf(stderr, "WT_NATIVE_NN_PRELOAD %s: the name is given twice\n", p.name);
  } else if (strcasecmp(p.encoding, "pytorch") && strcasecmp(p.encoding, "autodetect")) {
    fprintf(stderr, "WT_NATIVE_NN_PRELOAD %s: encoding '%s' is not available\n", p.name,
            p.encoding);
  } else if (s->nnamed >= WNN_MAX_NAMED) {
    fprintf(stderr, "WT_NATIVE_NN_PRELOAD %s: more than %d preloads\n", p.name, WNN_MAX_NAMED);
  } else if (wnn_backend(s, "preload", &code)) {
    code = s->backend->load_path(p.path, (nn_target)nn_target_from_name(p.target), &bk, msg,
                                 sizeof msg);
    if (code != NN_SUCCESS)
      fprintf(stderr, "WT_NATIVE_NN_PRELOAD %s: cannot load %s: %s\n", p.name, p.path, msg);
    ok = code == NN_SUCCESS;
  }
  if (ok) {
    wnn_graph *g = malloc(sizeof *g);
    char *name = strdup(p.name);
    ok = g && name;
    if (ok) {
      *g = (wnn_graph){.bk = bk, .refs = 1};
      s->named[s->nnamed].name = name;
      s->named[s->nnamed++].graph = g;
    } else {
      fputs("WT_NATIVE_NN_PRELOAD: out of memory\n", stderr);
      s->backend->free_graph(bk);
      free(g);
      free(name);
    }
  }
  free(storage);
  return ok;
}

/* Reads the WT_NATIVE_NN_* variables and loads every preload; false (reason
** printed) on a bad value or a model that does not load. */
static bool wnn_configure(wnn_state *s) {
  const char *threads = getenv("WT_NATIVE_NN_THREADS");
  const char *optimize = getenv("WT_NATIVE_NN_OPTIMIZE");
  const char *preload = getenv("WT_NATIVE_NN_PRELOAD");
  if (threads && *threads) {
    char *end;
    long n = strtol(threads, &end, 10);
    if (*end || n < 0 || n > 1024) {
      fprintf(stderr, "WT_NATIVE_NN_THREADS: expected 0..1024, not '%s'\n", threads);
      return false;
    }
    s->opts.threads = (int)n;
  }
  if (optimize && *optimize && !nn_parse_optimize(optimize, &s->opts.optimize)) {
    fprintf(stderr, "WT_NATIVE_NN_OPTIMIZE: expected none, freeze, ofi or auto, not '%s'\n",
            optimize);
    return false;
  }
  if (!preload || !*preload) return true;
  char *copy = strdup(preload), *save = NULL;
  bool ok = copy != NULL;
  for (char *spec = copy ? strtok_r(copy, ";", &save) : NULL; ok && spec;
       spec = strtok_r(NULL, ";", &save)) {
    ok = wnn_preload_one(s, spec);
  }
  free(copy);
  return ok;
}

/* Runs before main(), as the runtime loads preloads before the guest starts;
** a bad configuration ends the process with status 1, as wasitorch does. */
__attribute__((constructor)) static void wnn_startup(void) {
  if (!wnn_configure(&wnn_g)) exit(1);
}

/* ---- handles --------------------------------------------------------------- */

/* Stores g under a fresh graph handle; releases it when the table is full. */
static nn_errno wnn_publish_graph(wnn_state *s, const char *fn, wnn_graph *g,
                                  wasi_nn_graph *out) {
  for (uint32_t i = 0; i < WNN_MAX_GRAPHS; i++)
    if (!s->graphs[i]) {
      s->graphs[i] = g;
      *out = i + 1;
      return NN_SUCCESS;
    }
  wnn_graph_release(s, g);
  return wnn_fail(NN_BUSY, fn, "too many open graphs; unload some first");
}

static wnn_graph *wnn_graph_get(wnn_state *s, uint32_t h) {
  return h >= 1 && h <= WNN_MAX_GRAPHS ? s->graphs[h - 1] : NULL;
}

static wnn_exec **wnn_exec_slot(wnn_state *s, uint32_t h) {
  uint32_t i = h & ~WNN_EXEC_TAG;
  return (h & WNN_EXEC_TAG) && i >= 1 && i <= WNN_MAX_EXECS && s->execs[i - 1]
             ? &s->execs[i - 1] : NULL;
}

static wnn_exec *wnn_exec_get(wnn_state *s, const char *fn, uint32_t h, nn_errno *rc) {
  wnn_exec **slot = wnn_exec_slot(s, h);
  if (!slot) *rc = wnn_fail(NN_INVALID_ARGUMENT, fn, "unknown execution context handle");
  return slot ? *slot : NULL;
}

/* ---- the wasi_ephemeral_nn functions ------------------------------------- */

wasi_nn_errno wasi_nn_load(const wasi_nn_builder *builders, uint32_t nbuilders,
                           uint32_t encoding, uint32_t target, wasi_nn_graph *out_graph) {
  static const char fn[] = "load";
  wnn_state *s = &wnn_g;
  if (!out_graph || (nbuilders && !builders))
    return wnn_fail(NN_INVALID_ARGUMENT, fn, "null pointer argument");
  if (!nn_encoding_is_pytorch(encoding))
    return wnn_fail(NN_INVALID_ENCODING, fn, "only pytorch (3) is supported by this build");
  if (target > NN_TARGET_TPU) return wnn_fail(NN_INVALID_ARGUMENT, fn, "unknown target");
  if (nbuilders != 1)
    return wnn_fail(NN_INVALID_ARGUMENT, fn, "the pytorch backend takes exactly one builder");
  static const uint8_t empty = 0;
  const uint8_t *bytes = builders[0].len ? builders[0].data : &empty;
  if (!bytes) return wnn_fail(NN_INVALID_ARGUMENT, fn, "null model bytes");
  nn_errno rc;
  const nn_backend *b = wnn_backend(s, fn, &rc);
  if (!b) return rc;
  char msg[NN_MSG_MAX] = "";
  void *bk = NULL;
  rc = b->load_bytes(bytes, builders[0].len, (nn_target)target, &bk, msg, sizeof msg);
  if (rc != NN_SUCCESS) return wnn_fail(rc, fn, msg);
  wnn_graph *g = malloc(sizeof *g);
  if (!g) {
    b->free_graph(bk);
    return wnn_fail(NN_RUNTIME_ERROR, fn, "out of host memory");
  }
  *g = (wnn_graph){.bk = bk, .refs = 1};
  return wnn_publish_graph(s, fn, g, out_graph);
}

/* The preloaded model called name[0..len): never a path, as in the runtime. */
static wasi_nn_errno wnn_load_by_name(const char *fn, const char *name, uint32_t name_len,
                                      wasi_nn_graph *out_graph) {
  wnn_state *s = &wnn_g;
  if (!out_graph || (name_len && !name))
    return wnn_fail(NN_INVALID_ARGUMENT, fn, "null pointer argument");
  for (int i = 0; i < s->nnamed; i++) {
    const char *n = s->named[i].name;
    if (strlen(n) == name_len && !memcmp(n, name, name_len)) {
      s->named[i].graph->refs++;
      return wnn_publish_graph(s, fn, s->named[i].graph, out_graph);
    }
  }
  char msg[160];
  snprintf(msg, sizeof msg, "no model named '%.*s' was preloaded (set WT_NATIVE_NN_PRELOAD="
           "NAME:pytorch:cpu:PATH)", (int)(name_len > 64 ? 64 : name_len), name ? name : "");
  return wnn_fail(NN_NOT_FOUND, fn, msg);
}

wasi_nn_errno wasi_nn_load_by_name(const char *name, uint32_t name_len,
                                   wasi_nn_graph *out_graph) {
  return wnn_load_by_name("load_by_name", name, name_len, out_graph);
}

wasi_nn_errno wasi_nn_load_by_name_with_config(const char *name, uint32_t name_len,
                                               const char *config, uint32_t config_len,
                                               wasi_nn_graph *out_graph) {
  if (config_len && !config)
    return wnn_fail(NN_INVALID_ARGUMENT, "load_by_name_with_config", "null config");
  return wnn_load_by_name("load_by_name_with_config", name, name_len, out_graph);
}

wasi_nn_errno wasi_nn_unload(wasi_nn_graph graph) {
  wnn_state *s = &wnn_g;
  wnn_graph *g = wnn_graph_get(s, graph);
  if (!g) return wnn_fail(NN_INVALID_ARGUMENT, "unload", "unknown graph handle");
  s->graphs[graph - 1] = NULL;
  wnn_graph_release(s, g);
  return NN_SUCCESS;
}

wasi_nn_errno wasi_nn_init_execution_context(wasi_nn_graph graph, wasi_nn_exec_ctx *out_ctx) {
  static const char fn[] = "init_execution_context";
  wnn_state *s = &wnn_g;
  wnn_graph *g = wnn_graph_get(s, graph);
  if (!out_ctx) return wnn_fail(NN_INVALID_ARGUMENT, fn, "null pointer argument");
  if (!g) return wnn_fail(NN_INVALID_ARGUMENT, fn, "unknown graph handle");
  uint32_t i = 0;
  while (i < WNN_MAX_EXECS && s->execs[i]) i++;
  if (i == WNN_MAX_EXECS) return wnn_fail(NN_BUSY, fn, "too many open execution contexts");
  wnn_exec *e = malloc(sizeof *e);
  if (!e) return wnn_fail(NN_RUNTIME_ERROR, fn, "out of host memory");
  char msg[NN_MSG_MAX] = "";
  nn_errno rc = s->backend->init_context(g->bk, &e->bk, msg, sizeof msg);
  if (rc != NN_SUCCESS) {
    free(e);
    return wnn_fail(rc, fn, msg);
  }
  e->graph = g;
  g->refs++;
  s->execs[i] = e;
  *out_ctx = (i + 1) | WNN_EXEC_TAG;
  return NN_SUCCESS;
}

wasi_nn_errno wasi_nn_finalize_execution_context(wasi_nn_exec_ctx ctx) {
  wnn_state *s = &wnn_g;
  wnn_exec **slot = wnn_exec_slot(s, ctx);
  if (!slot)
    return wnn_fail(NN_INVALID_ARGUMENT, "finalize_execution_context",
                    "unknown execution context handle");
  wnn_exec *e = *slot;
  *slot = NULL;
  s->backend->free_context(e->bk);
  wnn_graph_release(s, e->graph);
  free(e);
  return NN_SUCCESS;
}

/* Checks a tensor as the runtime's nn_tensor_decode does: a known type, at
** most NN_MAX_DIMS dims, and data_len == product(dims) x element size with
** every step overflow-checked. */
static nn_errno wnn_tensor(const wasi_nn_tensor *in, nn_tensor *t) {
  static const char fn[] = "set_input";
  static const uint8_t empty = 0;
  if (!in || (in->ndims && !in->dims))
    return wnn_fail(NN_INVALID_ARGUMENT, fn, "null tensor or dims");
  size_t esize = wts_type_size(in->type);
  if (!esize) return wnn_fail(NN_INVALID_ARGUMENT, fn, "unknown tensor type");
  if (in->ndims > NN_MAX_DIMS) return wnn_fail(NN_INVALID_ARGUMENT, fn, "too many dims");
  uint64_t bytes = esize;
  for (uint32_t i = 0; i < in->ndims; i++) {
    bytes *= in->dims[i];
    if (bytes > UINT32_MAX) return wnn_fail(NN_INVALID_ARGUMENT, fn, "tensor too large");
  }
  if (bytes != in->data_len)
    return wnn_fail(NN_INVALID_ARGUMENT, fn, "data length is not product(dims) x element size");
  if (in->data_len && !in->data) return wnn_fail(NN_INVALID_ARGUMENT, fn, "null tensor data");
  *t = (nn_tensor){.dims = in->dims, .ndims = in->ndims, .type = (nn_tensor_type)in->type,
                   .data = in->data_len ? (const void *)in->data : (const void *)&empty,
                   .size = in->data_len};
  return NN_SUCCESS;
}

wasi_nn_errno wasi_nn_set_input(wasi_nn_exec_ctx ctx, uint32_t index,
                                const wasi_nn_tensor *tensor) {
  static const char fn[] = "set_input";
  wnn_state *s = &wnn_g;
  nn_errno rc;
  wnn_exec *e = wnn_exec_get(s, fn, ctx, &rc);
  if (!e) return rc;
  nn_tensor t;
  if ((rc = wnn_tensor(tensor, &t)) != NN_SUCCESS) return rc;
  char msg[NN_MSG_MAX] = "";
  rc = s->backend->set_input(e->bk, index, &t, msg, sizeof msg);
  return rc == NN_SUCCESS ? rc : wnn_fail(rc, fn, msg);
}

wasi_nn_errno wasi_nn_compute(wasi_nn_exec_ctx ctx) {
  wnn_state *s = &wnn_g;
  nn_errno rc;
  wnn_exec *e = wnn_exec_get(s, "compute", ctx, &rc);
  if (!e) return rc;
  char msg[NN_MSG_MAX] = "";
  rc = s->backend->compute(e->bk, msg, sizeof msg);
  return rc == NN_SUCCESS ? rc : wnn_fail(rc, "compute", msg);
}

/* A too-small buffer answers too_large with the required size in
** *bytes_written, as the runtime does, so wts_get_output can grow. */
wasi_nn_errno wasi_nn_get_output(wasi_nn_exec_ctx ctx, uint32_t index, uint8_t *buf,
                                 uint32_t buf_max, uint32_t *bytes_written) {
  static const char fn[] = "get_output";
  wnn_state *s = &wnn_g;
  nn_errno rc;
  if (!bytes_written || (buf_max && !buf))
    return wnn_fail(NN_INVALID_ARGUMENT, fn, "null pointer argument");
  wnn_exec *e = wnn_exec_get(s, fn, ctx, &rc);
  if (!e) return rc;
  uint8_t empty = 0;
  char msg[NN_MSG_MAX] = "";
  size_t written = 0;
  rc = s->backend->get_output(e->bk, index, buf_max ? (void *)buf : (void *)&empty, buf_max,
                              &written, msg, sizeof msg);
  if (rc == NN_SUCCESS || rc == NN_TOO_LARGE)
    *bytes_written = written > UINT32_MAX ? UINT32_MAX : (uint32_t)written;
  if (rc == NN_TOO_LARGE) {
    snprintf(msg, sizeof msg, "output %u needs %zu bytes, the buffer has %u", index, written,
             buf_max);
  }
  return rc == NN_SUCCESS ? rc : wnn_fail(rc, fn, msg);
}

/* WasmEdge's streaming calls: unsupported by the PyTorch backend. */
wasi_nn_errno wasi_nn_compute_single(wasi_nn_exec_ctx ctx) {
  return wnn_fail(NN_UNSUPPORTED_OPERATION, "compute_single", "streaming is not supported");
}

wasi_nn_errno wasi_nn_get_output_single(wasi_nn_exec_ctx ctx, uint32_t index, uint8_t *buf,
                                        uint32_t buf_max, uint32_t *bytes_written) {
  return wnn_fail(NN_UNSUPPORTED_OPERATION, "get_output_single", "streaming is not supported");
}

wasi_nn_errno wasi_nn_fini_single(wasi_nn_exec_ctx ctx) {
  return wnn_fail(NN_UNSUPPORTED_OPERATION, "fini_single", "streaming is not supported");
}
