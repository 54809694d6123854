/*
** spectest_host.c — the `spectest` host module (spectest_host.h).
**
** The print functions take their arguments as raw slots (i32 zero-extended,
** floats as bit patterns) and print them only in verbose mode: what they
** print is never checked, and quiet runs keep the log readable.
*/
#include "spectest_host.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static float f32_of(uint64_t slot) {
  uint32_t bits = (uint32_t)slot;
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

static double f64_of(uint64_t slot) {
  double d;
  memcpy(&d, &slot, sizeof d);
  return d;
}

static bool quiet(const wt_host_call *call) {
  const bool *verbose = call->userdata;
  return !verbose || !*verbose;
}

static wt_trap_kind print_none(wt_host_call *call, uint64_t *slots) {
  if (!quiet(call)) printf("spectest.print\n");
  return WT_TRAP_NONE;
}

static wt_trap_kind print_i32(wt_host_call *call, uint64_t *slots) {
  if (!quiet(call)) printf("spectest.print_i32: %" PRId32 "\n", (int32_t)(uint32_t)slots[0]);
  return WT_TRAP_NONE;
}

static wt_trap_kind print_i64(wt_host_call *call, uint64_t *slots) {
  if (!quiet(call)) printf("spectest.print_i64: %" PRId64 "\n", (int64_t)slots[0]);
  return WT_TRAP_NONE;
}

static wt_trap_kind print_f32(wt_host_call *call, uint64_t *slots) {
  if (!quiet(call)) printf("spectest.print_f32: %g\n", (double)f32_of(slots[0]));
  return WT_TRAP_NONE;
}

static wt_trap_kind print_f64(wt_host_call *call, uint64_t *slots) {
  if (!quiet(call)) printf("spectest.print_f64: %g\n", f64_of(slots[0]));
  return WT_TRAP_NONE;
}

static wt_trap_kind print_i32_f32(wt_host_call *call, uint64_t *slots) {
  if (!quiet(call))
    printf("spectest.print_i32_f32: %" PRId32 " %g\n", (int32_t)(uint32_t)slots[0],
           (double)f32_of(slots[1]));
  return WT_TRAP_NONE;
}

static wt_trap_kind print_f64_f64(wt_host_call *call, uint64_t *slots) {
  if (!quiet(call))
    printf("spectest.print_f64_f64: %g %g\n", f64_of(slots[0]), f64_of(slots[1]));
  return WT_TRAP_NONE;
}

static const struct {
  const char *name, *signature;
  wt_host_fn fn;
} print_fns[] = {
    {"print", "()", print_none},
    {"print_i32", "(i)", print_i32},
    {"print_i64", "(I)", print_i64},
    {"print_f32", "(f)", print_f32},
    {"print_f64", "(F)", print_f64},
    {"print_i32_f32", "(if)", print_i32_f32},
    {"print_f64_f64", "(FF)", print_f64_f64},
};

static bool add(sh_module *mod, const char *name, wt_extern_kind kind, void *entity,
                wt_error *err) {
  if (!entity) {
    err->status = WT_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "cannot create spectest.%s", name);
    return false;
  }
  if (mod->count >= SH_NEXPORTS) return false;
  sh_export *e = &mod->exports[mod->count++];
  e->name = name;
  e->ext.kind = kind;
  switch (kind) {
  case WT_EXTERN_FUNC: e->ext.u.func = entity; break;
  case WT_EXTERN_TABLE: e->ext.u.table = entity; break;
  case WT_EXTERN_MEMORY: e->ext.u.memory = entity; break;
  case WT_EXTERN_GLOBAL: e->ext.u.global = entity; break;
  }
  return true;
}

/* Makes one immutable global holding `bits` of type `type`. */
static wt_global *const_global(wt_store *store, wt_valtype type, uint64_t bits) {
  wt_value v;
  memset(&v, 0, sizeof v);
  v.type = type;
  if (type == WT_I32 || type == WT_F32) v.of.i32 = (uint32_t)bits;
  else v.of.i64 = bits;
  return wt_global_new(store, v, false);
}

bool sh_init(sh_module *mod, wt_store *store, const bool *verbose, wt_error *err) {
  memset(mod, 0, sizeof *mod);
  mod->verbose = verbose;
  for (size_t i = 0; i < sizeof print_fns / sizeof print_fns[0]; i++) {
    wt_func *f = wt_func_new_host(store, print_fns[i].signature, print_fns[i].fn,
                                  (void *)verbose);
    if (!add(mod, print_fns[i].name, WT_EXTERN_FUNC, f, err)) return false;
  }
  /* 666.6 as f32 is 0x4426a666 and as f64 0x4084d4cccccccccd (README). */
  return add(mod, "global_i32", WT_EXTERN_GLOBAL, const_global(store, WT_I32, 666), err) &&
         add(mod, "global_i64", WT_EXTERN_GLOBAL, const_global(store, WT_I64, 666), err) &&
         add(mod, "global_f32", WT_EXTERN_GLOBAL,
             const_global(store, WT_F32, 0x4426a666u), err) &&
         add(mod, "global_f64", WT_EXTERN_GLOBAL,
             const_global(store, WT_F64, 0x4084d4cccccccccdu), err) &&
         add(mod, "table", WT_EXTERN_TABLE, wt_table_new(store, WT_FUNCREF, 10, 20), err) &&
         add(mod, "memory", WT_EXTERN_MEMORY, wt_memory_new(store, 1, 2), err);
}

bool sh_lookup(const sh_module *mod, const char *name, size_t len, wt_extern *out) {
  for (size_t i = 0; i < mod->count; i++) {
    const sh_export *e = &mod->exports[i];
    if (strlen(e->name) == len && memcmp(e->name, name, len) == 0) {
      *out = e->ext;
      return true;
    }
  }
  return false;
}
