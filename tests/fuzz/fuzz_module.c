/*
** fuzz_module.c — libFuzzer target: arbitrary bytes through decode,
** validate, instantiate, and a call of each exported function.
**
** Every import is satisfied with a fresh entity of exactly the declared
** type (read from the decoded module model), so that fuzzed modules get
** past linking into segment initialisation, the start function and calls.
** Resources are capped (memory pages, table size, a wall-clock deadline per
** call) so that a valid but greedy module is not reported as a crash.
** Any sanitizer report or crash is a bug in the engine; error statuses are
** the expected outcome for most inputs.
*/
#include <stdint.h>
#include <string.h>

#include "wasitorch.h"
#include "wasm/module.h"

#define FZ_MAX_PAGES 256        /* 16 MiB per memory */
#define FZ_MAX_TABLE 100000u    /* elements of an imported table */
#define FZ_MAX_CALLS 8          /* exported functions called per input */
#define FZ_MAX_VALUES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz_ctx {
  wt_store *store;
  const wt_module *module;
  uint32_t next; /* index of the import the resolver sees next */
} fz_ctx;

/* Host function body for every imported function: results are zero. The
** result count travels in the userdata pointer. */
static wt_trap_kind fz_host(wt_host_call *call, uint64_t *slots) {
  uintptr_t nresults = (uintptr_t)call->userdata;
  for (uintptr_t i = 0; i < nresults; i++) slots[i] = 0;
  return WT_TRAP_NONE;
}

static char sig_letter(uint8_t type) {
  switch (type) {
  case WT_I32: return 'i';
  case WT_I64: return 'I';
  case WT_F32: return 'f';
  case WT_F64: return 'F';
  case WT_EXTERNREF: return 'r';
  case WT_FUNCREF: return 'R';
  default: return 0; /* v128 has no host signature letter */
  }
}

/* Builds a host function of type `t`; NULL when the type has no signature. */
static wt_func *fz_func(wt_store *store, const mod_functype *t) {
  char sig[2 * MOD_MAX_PARAMS + 4];
  size_t n = 0;
  sig[n++] = '(';
  for (uint32_t i = 0; i < t->nparams + t->nresults; i++) {
    if (i == t->nparams) sig[n++] = ')';
    char c = sig_letter(t->types[i]);
    if (!c || n + 3 >= sizeof sig) return NULL;
    sig[n++] = c;
  }
  if (t->nresults == 0) sig[n++] = ')';
  sig[n] = '\0';
  return wt_func_new_host(store, sig, fz_host, (void *)(uintptr_t)t->nresults);
}

/* Makes an entity matching import `imp`; false means "unknown import". */
static bool fz_entity(fz_ctx *ctx, const mod_import *imp, wt_extern *out) {
  wt_value zero;
  memset(&zero, 0, sizeof zero);
  out->kind = imp->kind;
  switch (imp->kind) {
  case WT_EXTERN_FUNC:
    if (imp->desc.func_type >= ctx->module->ntypes) return false;
    out->u.func = fz_func(ctx->store, &ctx->module->types[imp->desc.func_type]);
    return out->u.func != NULL;
  case WT_EXTERN_TABLE:
    if (imp->desc.table.limits.min > FZ_MAX_TABLE) return false;
    out->u.table = wt_table_new(
        ctx->store, (wt_valtype)imp->desc.table.elem_type, (uint32_t)imp->desc.table.limits.min,
        imp->desc.table.limits.has_max ? (uint32_t)imp->desc.table.limits.max : UINT32_MAX);
    return out->u.table != NULL;
  case WT_EXTERN_MEMORY:
    if (imp->desc.memory.min > FZ_MAX_PAGES) return false;
    out->u.memory = wt_memory_new(
        ctx->store, (uint32_t)imp->desc.memory.min,
        imp->desc.memory.has_max ? (uint32_t)imp->desc.memory.max : UINT32_MAX);
    return out->u.memory != NULL;
  case WT_EXTERN_GLOBAL:
    zero.type = (wt_valtype)imp->desc.global.type;
    out->u.global = wt_global_new(ctx->store, zero, imp->desc.global.is_mutable);
    return out->u.global != NULL;
  }
  return false;
}

/* Resolver: imports arrive in order; the names are checked so that a change
** of that order only loses coverage, never matches the wrong import. */
static bool fz_resolve(void *ud, const wt_port *port, wt_extern *out) {
  fz_ctx *ctx = ud;
  const wt_module *m = ctx->module;
  uint32_t i = ctx->next++;
  if (i >= m->nimports) return false;
  const mod_import *imp = &m->imports[i];
  if (imp->kind != port->kind || imp->name_len != port->name_len ||
      memcmp(imp->name, port->name, port->name_len) != 0)
    return false;
  return fz_entity(ctx, imp, out);
}

/* Calls up to FZ_MAX_CALLS exported functions with zero arguments. */
static void fz_call_exports(wt_store *store, wt_instance *inst, const wt_module *m) {
  int calls = 0;
  for (uint32_t i = 0; i < wt_module_export_count(m) && calls < FZ_MAX_CALLS; i++) {
    wt_port port = wt_module_export(m, i);
    wt_extern ext;
    if (port.kind != WT_EXTERN_FUNC ||
        !wt_instance_export_n(inst, port.name, port.name_len, &ext))
      continue;
    uint32_t np = wt_func_param_count(ext.u.func), nr = wt_func_result_count(ext.u.func);
    if (np > FZ_MAX_VALUES || nr > FZ_MAX_VALUES) continue;
    wt_value args[FZ_MAX_VALUES], results[FZ_MAX_VALUES];
    memset(args, 0, sizeof args);
    for (uint32_t k = 0; k < np; k++) args[k].type = wt_func_param_type(ext.u.func, k);
    wt_error err;
    wt_func_call(store, ext.u.func, args, np, results, nr, &err);
    calls++;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wt_config config = {.max_memory_pages = FZ_MAX_PAGES, .timeout_ms = 200};
  wt_engine *engine = wt_engine_new(&config);
  if (!engine) return 0;
  wt_module *module = NULL;
  wt_error err;
  if (wt_module_new(engine, data, size, &module, &err) == WT_OK) {
    wt_store *store = wt_store_new(engine);
    if (store) {
      fz_ctx ctx = {store, module, 0};
      wt_instance *inst = NULL;
      if (wt_instantiate(store, module, fz_resolve, &ctx, &inst, &err) == WT_OK)
        fz_call_exports(store, inst, module);
      wt_store_free(store);
    }
    wt_module_free(module);
  }
  wt_engine_free(engine);
  return 0;
}
