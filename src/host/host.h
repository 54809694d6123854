/*
** host.h — the host-function layer shared by every host module (WASI,
** WASI-NN, the spec-test module) and by both execution tiers.
**
** A host module is a static table of {name, signature, function} plus one
** userdata pointer (the module's context: a wasi_ctx, an nn_ctx ...).
** host_resolve() binds an import to the matching entry, creating the
** wt_func in the store. Guest-memory access goes only through the
** bounds-checked helpers below: a wild guest pointer becomes an error
** code, never a host read or write out of bounds.
*/
#ifndef WT_HOST_H
#define WT_HOST_H

#include <string.h>

#include "wasitorch.h"

typedef struct host_fn_def {
  const char *name;
  const char *signature; /* see wt_func_new_host */
  wt_host_fn fn;
} host_fn_def;

typedef struct host_module {
  const char *name;          /* import module name, e.g. "wasi_snapshot_preview1" */
  const host_fn_def *fns;
  size_t nfns;
  void *userdata;            /* passed to every function as call->userdata */
} host_module;

/* Binds `import` to a function of one of `mods` (matched by module and field
** name). Returns false when no module provides it; the runtime then reports
** "unknown import". Function entities are created once per (store, entry)
** pair is not required: each import gets its own wt_func. */
bool host_resolve(wt_store *store, const host_module *mods, size_t nmods,
                  const wt_port *import, wt_extern *out);

/* Formats a host-function failure into call->error and returns
** WT_TRAP_HOST, for `return host_trap(call, "...", ...);`. */
wt_trap_kind host_trap(wt_host_call *call, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- bounds-checked guest memory access --------------------------------
** All return false (or NULL) when the range is outside the calling
** instance's memory 0 or the instance has no memory. Values are
** little-endian in guest memory; these helpers do not assume alignment. */
static inline void *host_mem(wt_host_call *call, uint32_t ptr, uint32_t len) {
  return call->memory ? wt_memory_ptr(call->memory, ptr, len) : NULL;
}

static inline bool host_read_u32(wt_host_call *call, uint32_t ptr, uint32_t *out) {
  const uint8_t *p = (const uint8_t *)host_mem(call, ptr, 4);
  if (!p) return false;
  *out = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return true;
}

static inline bool host_write_u32(wt_host_call *call, uint32_t ptr, uint32_t value) {
  uint8_t *p = (uint8_t *)host_mem(call, ptr, 4);
  if (!p) return false;
  p[0] = (uint8_t)value; p[1] = (uint8_t)(value >> 8);
  p[2] = (uint8_t)(value >> 16); p[3] = (uint8_t)(value >> 24);
  return true;
}

static inline bool host_write_u64(wt_host_call *call, uint32_t ptr, uint64_t value) {
  uint8_t *p = (uint8_t *)host_mem(call, ptr, 8);
  if (!p) return false;
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(value >> (8 * i));
  return true;
}

static inline bool host_read_u64(wt_host_call *call, uint32_t ptr, uint64_t *out) {
  const uint8_t *p = (const uint8_t *)host_mem(call, ptr, 8);
  if (!p) return false;
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  *out = v;
  return true;
}

/* Argument accessors for the raw slot array. */
static inline uint32_t host_arg_u32(const uint64_t *slots, int i) { return (uint32_t)slots[i]; }
static inline uint64_t host_arg_u64(const uint64_t *slots, int i) { return slots[i]; }
static inline void host_ret_u32(uint64_t *slots, uint32_t v) { slots[0] = v; }

#endif /* WT_HOST_H */
