/*
** abi.c — the `wasi_ephemeral_nn` host functions.
**
** Each function decodes its i32 arguments, checks every guest pointer and
** length against the guest's memory (a bad one is invalid_argument, never a
** host access out of bounds), resolves handles, and hands host pointers to
** the backend. Every failure returns an nn_errno to the guest and logs one
** "wasi-nn: FN: reason" line (nn_fail). Host functions never trap: a guest
** always gets to see and handle the errno.
**
** Layouts and enumerations: shared/docs/wasi-nn-abi.md, docs/wasi-nn.md.
*/
#include <stdio.h>
#include <stdlib.h>

#include "nn/nn_internal.h"

#define BUILDER_SIZE 8u /* {u32 ptr, u32 len} */
#define NAME_SHOWN 64   /* bytes of a guest string quoted in messages */

/* ---- argument helpers ---------------------------------------------------- */

/* host_mem that accepts an empty range anywhere: the pointer of an empty
** buffer is never dereferenced, but backends may still pass it to memcpy,
** so give them a valid address instead of NULL. */
static void *guest_range(wt_host_call *call, uint32_t ptr, uint32_t len, void *empty) {
  if (len == 0) return empty;
  return host_mem(call, ptr, len);
}

/* Guest bytes made safe to quote: truncated, non-printables as '?'. */
static const char *quote(char out[NAME_SHOWN + 4], const uint8_t *s, uint32_t len) {
  uint32_t n = len < NAME_SHOWN ? len : NAME_SHOWN;
  for (uint32_t i = 0; i < n; i++) out[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
  strcpy(out + n, len > NAME_SHOWN ? "..." : "");
  return out;
}

/* Checks that a u32 out-parameter can be written before any work is done,
** so a failing write can never strand a freshly made object. */
static bool out_ok(wt_host_call *call, uint32_t ptr) { return host_mem(call, ptr, 4) != NULL; }

/* Stores a new graph under a fresh handle and writes the handle; on
** failure the graph reference is released. */
static nn_errno publish_graph(nn_ctx *nn, wt_host_call *call, const char *fn, nn_graph *g,
                              uint32_t out) {
  uint32_t handle;
  if (!nn_table_add(&nn->graphs, g, &handle)) {
    nn_graph_release(nn, g);
    return nn_fail(nn, NN_BUSY, fn, "too many open graphs (%u); unload some first",
                   NN_TABLE_CAP);
  }
  host_write_u32(call, out, handle);
  return NN_SUCCESS;
}

/* ---- load ------------------------------------------------------------------ */

/* load(builders_ptr, builders_len, encoding, target, out graph): the model
** bytes come from the guest; PyTorch takes exactly one builder. */
static nn_errno do_load(nn_ctx *nn, wt_host_call *call, uint32_t builders, uint32_t nbuilders,
                        uint32_t encoding, uint32_t target, uint32_t out) {
  static const char fn[] = "load";
  if (!out_ok(call, out))
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "graph pointer 0x%x is outside guest memory", out);
  if (!nn_encoding_is_pytorch(encoding))
    return nn_fail(nn, NN_INVALID_ENCODING, fn, "encoding %u (%s) is not available: only "
                   "pytorch (3) is supported by this build", encoding, nn_encoding_name(encoding));
  if (target > NN_TARGET_TPU)
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "unknown execution target %u (cpu 0, gpu 1, "
                   "tpu 2)", target);
  if (nbuilders > UINT32_MAX / BUILDER_SIZE || !host_mem(call, builders, nbuilders * BUILDER_SIZE))
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "builder array 0x%x (%u entries) is outside "
                   "guest memory", builders, nbuilders);
  if (nbuilders != 1)
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "the pytorch backend takes exactly one builder "
                   "(the TorchScript file), got %u", nbuilders);
  uint32_t ptr = 0, len = 0; /* both readable: the array range was checked */
  host_read_u32(call, builders, &ptr);
  host_read_u32(call, builders + 4, &len);
  uint8_t empty = 0;
  const uint8_t *bytes = guest_range(call, ptr, len, &empty);
  if (!bytes)
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "model bytes 0x%x+%u are outside guest memory",
                   ptr, len);
  if (nn->graphs.live >= NN_TABLE_CAP)
    return nn_fail(nn, NN_BUSY, fn, "too many open graphs (%u); unload some first", NN_TABLE_CAP);
  nn_errno rc;
  const nn_backend *b = nn_backend_get(nn, fn, &rc);
  if (!b) return rc;
  char msg[NN_MSG_MAX] = "";
  void *bk = NULL;
  rc = b->load_bytes(bytes, len, (nn_target)target, &bk, msg, sizeof msg);
  if (rc != NN_SUCCESS) return nn_backend_fail(nn, rc, fn, msg);
  nn_graph *g = nn_graph_new(bk);
  if (!g) {
    b->free_graph(bk);
    return nn_fail(nn, NN_RUNTIME_ERROR, fn, "out of host memory");
  }
  return publish_graph(nn, call, fn, g, out);
}

/* load_by_name[_with_config]: a model named by --nn-preload. The name is
** only ever compared with preload names, never used as a host path. */
static nn_errno do_load_by_name(nn_ctx *nn, wt_host_call *call, const char *fn, uint32_t name,
                                uint32_t name_len, uint32_t out) {
  if (!out_ok(call, out))
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "graph pointer 0x%x is outside guest memory", out);
  uint8_t empty = 0;
  const uint8_t *s = guest_range(call, name, name_len, &empty);
  if (!s)
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "name 0x%x+%u is outside guest memory", name,
                   name_len);
  nn_graph *g = nn_named_find(nn, (const char *)s, name_len);
  char shown[NAME_SHOWN + 4];
  if (!g)
    return nn_fail(nn, NN_NOT_FOUND, fn, "no model named '%s' was preloaded (run with "
                   "--nn-preload NAME:pytorch:cpu:PATH)", quote(shown, s, name_len));
  g->refs++;
  return publish_graph(nn, call, fn, g, out);
}

/* WasmEdge's variant with a JSON config string. The PyTorch backend has no
** per-load options, so the config is bounds-checked and otherwise ignored. */
static nn_errno do_load_by_name_with_config(nn_ctx *nn, wt_host_call *call, uint32_t name,
                                            uint32_t name_len, uint32_t config,
                                            uint32_t config_len, uint32_t out) {
  static const char fn[] = "load_by_name_with_config";
  uint8_t empty = 0;
  if (!guest_range(call, config, config_len, &empty))
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "config 0x%x+%u is outside guest memory", config,
                   config_len);
  return do_load_by_name(nn, call, fn, name, name_len, out);
}

static nn_errno do_unload(nn_ctx *nn, uint32_t graph) {
  nn_graph *g = nn_table_remove(&nn->graphs, graph);
  if (!g) return nn_fail(nn, NN_INVALID_ARGUMENT, "unload", "unknown graph handle %u", graph);
  nn_graph_release(nn, g);
  return NN_SUCCESS;
}

/* ---- execution contexts ------------------------------------------------ */

static nn_errno do_init_execution_context(nn_ctx *nn, wt_host_call *call, uint32_t graph,
                                          uint32_t out) {
  static const char fn[] = "init_execution_context";
  if (!out_ok(call, out))
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "context pointer 0x%x is outside guest memory",
                   out);
  nn_graph *g = nn_table_get(&nn->graphs, graph);
  if (!g) return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "unknown graph handle %u", graph);
  if (nn->execs.live >= NN_TABLE_CAP)
    return nn_fail(nn, NN_BUSY, fn, "too many open execution contexts (%u)", NN_TABLE_CAP);
  nn_exec *e = malloc(sizeof *e);
  if (!e) return nn_fail(nn, NN_RUNTIME_ERROR, fn, "out of host memory");
  char msg[NN_MSG_MAX] = "";
  nn_errno rc = nn->backend->init_context(g->bk, &e->bk, msg, sizeof msg);
  if (rc != NN_SUCCESS) {
    free(e);
    return nn_backend_fail(nn, rc, fn, msg);
  }
  e->graph = g;
  g->refs++;
  uint32_t handle;
  if (!nn_table_add(&nn->execs, e, &handle)) {
    nn_exec_free(nn, e);
    return nn_fail(nn, NN_BUSY, fn, "too many open execution contexts (%u)", NN_TABLE_CAP);
  }
  host_write_u32(call, out, handle);
  return NN_SUCCESS;
}

static nn_errno do_finalize(nn_ctx *nn, uint32_t ctx) {
  nn_exec *e = nn_table_remove(&nn->execs, ctx);
  if (!e)
    return nn_fail(nn, NN_INVALID_ARGUMENT, "finalize_execution_context",
                   "unknown execution context handle %u", ctx);
  nn_exec_free(nn, e);
  return NN_SUCCESS;
}

static nn_exec *get_exec(nn_ctx *nn, const char *fn, uint32_t ctx, nn_errno *rc) {
  nn_exec *e = nn_table_get(&nn->execs, ctx);
  if (!e) *rc = nn_fail(nn, NN_INVALID_ARGUMENT, fn, "unknown execution context handle %u", ctx);
  return e;
}

/* ---- inference ------------------------------------------------------------ */

static nn_errno do_set_input(nn_ctx *nn, wt_host_call *call, uint32_t ctx, uint32_t index,
                             uint32_t tensor) {
  static const char fn[] = "set_input";
  nn_errno rc;
  nn_exec *e = get_exec(nn, fn, ctx, &rc);
  if (!e) return rc;
  uint32_t dims[NN_MAX_DIMS];
  nn_tensor t;
  rc = nn_tensor_decode(nn, call, fn, tensor, &t, dims);
  if (rc != NN_SUCCESS) return rc;
  char msg[NN_MSG_MAX] = "";
  rc = nn->backend->set_input(e->bk, index, &t, msg, sizeof msg);
  return rc == NN_SUCCESS ? rc : nn_backend_fail(nn, rc, fn, msg);
}

static nn_errno do_compute(nn_ctx *nn, uint32_t ctx) {
  static const char fn[] = "compute";
  nn_errno rc;
  nn_exec *e = get_exec(nn, fn, ctx, &rc);
  if (!e) return rc;
  char msg[NN_MSG_MAX] = "";
  rc = nn->backend->compute(e->bk, msg, sizeof msg);
  return rc == NN_SUCCESS ? rc : nn_backend_fail(nn, rc, fn, msg);
}

/* get_output(ctx, index, buf, buf_max, out written). A too-small buffer
** answers too_large and still writes the required size to *written, so a
** guest can allocate and retry. */
static nn_errno do_get_output(nn_ctx *nn, wt_host_call *call, uint32_t ctx, uint32_t index,
                              uint32_t buf, uint32_t cap, uint32_t out) {
  static const char fn[] = "get_output";
  if (!out_ok(call, out))
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "bytes_written pointer 0x%x is outside guest "
                   "memory", out);
  nn_errno rc;
  nn_exec *e = get_exec(nn, fn, ctx, &rc);
  if (!e) return rc;
  uint8_t empty = 0;
  void *dst = guest_range(call, buf, cap, &empty);
  if (!dst)
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "output buffer 0x%x+%u is outside guest memory",
                   buf, cap);
  char msg[NN_MSG_MAX] = "";
  size_t written = 0;
  rc = nn->backend->get_output(e->bk, index, dst, cap, &written, msg, sizeof msg);
  /* No wasm32 buffer can exceed 4 GiB - 1; clamp so the guest sees "huge". */
  uint32_t shown = written > UINT32_MAX ? UINT32_MAX : (uint32_t)written;
  if (rc == NN_SUCCESS || rc == NN_TOO_LARGE) host_write_u32(call, out, shown);
  if (rc == NN_TOO_LARGE)
    return nn_fail(nn, rc, fn, "output %u needs %zu bytes, the buffer has %u", index, written, cap);
  return rc == NN_SUCCESS ? rc : nn_backend_fail(nn, rc, fn, msg);
}

/* WasmEdge's streaming entries exist for LLM backends; declaring them lets
** modules built with wasmedge-wasi-nn link, and they answer unsupported. */
static nn_errno unsupported(nn_ctx *nn, const char *fn) {
  return nn_fail(nn, NN_UNSUPPORTED_OPERATION, fn, "streaming inference is not supported by "
                 "the pytorch backend (use compute and get_output)");
}

/* ---- the raw host functions ------------------------------------------------
** Each unpacks its slots, runs the do_* function and returns the errno as
** its single i32 result. None of them ever traps. */
#define ARG(i) host_arg_u32(slots, i)
#define NN(call) ((nn_ctx *)(call)->userdata)
#define DONE(expr) (host_ret_u32(slots, (uint32_t)(expr)), WT_TRAP_NONE)

static wt_trap_kind h_load(wt_host_call *call, uint64_t *slots) {
  return DONE(do_load(NN(call), call, ARG(0), ARG(1), ARG(2), ARG(3), ARG(4)));
}
static wt_trap_kind h_load_by_name(wt_host_call *call, uint64_t *slots) {
  return DONE(do_load_by_name(NN(call), call, "load_by_name", ARG(0), ARG(1), ARG(2)));
}
static wt_trap_kind h_load_by_name_with_config(wt_host_call *call, uint64_t *slots) {
  return DONE(do_load_by_name_with_config(NN(call), call, ARG(0), ARG(1), ARG(2), ARG(3), ARG(4)));
}
static wt_trap_kind h_init_execution_context(wt_host_call *call, uint64_t *slots) {
  return DONE(do_init_execution_context(NN(call), call, ARG(0), ARG(1)));
}
static wt_trap_kind h_set_input(wt_host_call *call, uint64_t *slots) {
  return DONE(do_set_input(NN(call), call, ARG(0), ARG(1), ARG(2)));
}
static wt_trap_kind h_compute(wt_host_call *call, uint64_t *slots) {
  return DONE(do_compute(NN(call), ARG(0)));
}
static wt_trap_kind h_get_output(wt_host_call *call, uint64_t *slots) {
  return DONE(do_get_output(NN(call), call, ARG(0), ARG(1), ARG(2), ARG(3), ARG(4)));
}
static wt_trap_kind h_unload(wt_host_call *call, uint64_t *slots) {
  return DONE(do_unload(NN(call), ARG(0)));
}
static wt_trap_kind h_finalize_execution_context(wt_host_call *call, uint64_t *slots) {
  return DONE(do_finalize(NN(call), ARG(0)));
}
static wt_trap_kind h_compute_single(wt_host_call *call, uint64_t *slots) {
  return DONE(unsupported(NN(call), "compute_single"));
}
static wt_trap_kind h_get_output_single(wt_host_call *call, uint64_t *slots) {
  return DONE(unsupported(NN(call), "get_output_single"));
}
static wt_trap_kind h_fini_single(wt_host_call *call, uint64_t *slots) {
  return DONE(unsupported(NN(call), "fini_single"));
}

static const host_fn_def nn_fns[] = {
    {"load", "(iiiii)i", h_load},
    {"load_by_name", "(iii)i", h_load_by_name},
    {"load_by_name_with_config", "(iiiii)i", h_load_by_name_with_config},
    {"init_execution_context", "(ii)i", h_init_execution_context},
    {"set_input", "(iii)i", h_set_input},
    {"compute", "(i)i", h_compute},
    {"get_output", "(iiiii)i", h_get_output},
    {"unload", "(i)i", h_unload},
    {"finalize_execution_context", "(i)i", h_finalize_execution_context},
    {"compute_single", "(i)i", h_compute_single},
    {"get_output_single", "(iiiii)i", h_get_output_single},
    {"fini_single", "(i)i", h_fini_single},
};

host_module nn_host_module(nn_ctx *ctx) {
  return (host_module){.name = "wasi_ephemeral_nn", .fns = nn_fns,
                       .nfns = sizeof nn_fns / sizeof nn_fns[0], .userdata = ctx};
}
