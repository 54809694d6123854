/*
** interp_runtime.c — regression tests of the runtime objects and the
** interpreter through the public API: trap reports (kind, function index,
** debug name, byte offset), bounded recursion, the memory cap, host
** functions (results, memory access, proc_exit unwinding), link errors and
** the execution deadline.
**
** Plain C: each failed CHECK is printed and counted; the exit status is
** the number of failures. Built twice (computed-goto and switch dispatch).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interp_modules.h"
#include "wasitorch.h"
#include "wt_check.h"


/* ---- a host function and resolvers -------------------------------------- */

/* env.host (i32) -> i32: 7 exits with code 42, 13 fails with a message,
** anything else stores the argument at address 16 of the caller's memory
** and returns twice it. */
static wt_trap_kind host_fn(wt_host_call *call, uint64_t *slots) {
  uint32_t arg = (uint32_t)slots[0];
  int *calls = call->userdata;
  (*calls)++;
  if (arg == 7) {
    call->error->exit_code = 42;
    return WT_TRAP_EXIT;
  }
  if (arg == 13) {
    snprintf(call->error->message, sizeof call->error->message, "host says no");
    return WT_TRAP_HOST;
  }
  uint8_t *p = wt_memory_ptr(call->memory, 16, 4);
  if (!p) return WT_TRAP_HOST;
  memcpy(p, &arg, 4);
  slots[0] = arg * 2;
  return WT_TRAP_NONE;
}

typedef struct env {
  wt_store *store;
  const char *signature; /* of the function handed out for env.host */
  int calls;
} env;

static bool resolve_env(void *ud, const wt_port *imp, wt_extern *out) {
  env *e = ud;
  if (imp->module_len != 3 || memcmp(imp->module, "env", 3) != 0) return false;
  if (imp->name_len != 4 || memcmp(imp->name, "host", 4) != 0) return false;
  out->kind = WT_EXTERN_FUNC;
  out->u.func = wt_func_new_host(e->store, e->signature, host_fn, &e->calls);
  return out->u.func != NULL;
}

static bool resolve_none(void *ud, const wt_port *imp, wt_extern *out) {
  (void)ud, (void)imp, (void)out;
  return false;
}

/* ---- helpers ------------------------------------------------------------- */

typedef struct fixture {
  wt_engine *eng;
  wt_store *store;
  wt_module *mod;
  wt_instance *inst;
  env env;
} fixture;

static bool setup(fixture *f, const wt_config *cfg, const uint8_t *bytes, size_t len) {
  wt_error err;
  memset(f, 0, sizeof *f);
  f->eng = wt_engine_new(cfg);
  f->store = wt_store_new(f->eng);
  f->env.store = f->store;
  f->env.signature = "(i)i";
  if (wt_module_new(f->eng, bytes, len, &f->mod, &err) != WT_OK) {
    fprintf(stderr, "module: %s\n", err.message);
    return false;
  }
  if (wt_instantiate(f->store, f->mod, resolve_env, &f->env, &f->inst, &err) != WT_OK) {
    fprintf(stderr, "instantiate: %s\n", err.message);
    return false;
  }
  return true;
}

static void teardown(fixture *f) {
  wt_store_free(f->store);
  wt_module_free(f->mod);
  wt_engine_free(f->eng);
}

static wt_func *export_func(fixture *f, const char *name) {
  wt_extern ext;
  if (!wt_instance_export(f->inst, name, &ext) || ext.kind != WT_EXTERN_FUNC) return NULL;
  return ext.u.func;
}

static wt_value i32(uint32_t v) {
  wt_value x;
  memset(&x, 0, sizeof x);
  x.type = WT_I32;
  x.of.i32 = v;
  return x;
}

/* Calls an (i32...) -> i32 export; returns the status, result in *out. */
static wt_status call_i32(fixture *f, const char *name, const wt_value *args, size_t n,
                          uint32_t *out, wt_error *err) {
  wt_func *fn = export_func(f, name);
  if (!fn) return WT_ERR_ARG;
  wt_value r;
  memset(&r, 0, sizeof r);
  wt_status st = wt_func_call(f->store, fn, args, n, &r, 1, err);
  if (out) *out = r.of.i32;
  return st;
}

/* ---- tests ----------------------------------------------------------------- */

/* A trap names its kind, the function index (imports count), the debug
** name and the byte offset of the instruction. */
static void test_trap_location(void) {
  fixture f;
  CHECK(setup(&f, NULL, TRAPS_wasm, sizeof TRAPS_wasm));
  wt_error err;
  uint32_t r = 0;
  wt_value args[2] = {i32((uint32_t)-7), i32(2)};
  CHECK(call_i32(&f, "main", args, 2, &r, &err) == WT_OK && r == (uint32_t)-3);
  args[1] = i32(0);
  CHECK(call_i32(&f, "main", args, 2, &r, &err) == WT_ERR_TRAP);
  CHECK(err.trap == WT_TRAP_DIV_BY_ZERO);
  CHECK(err.func_index == 1);
  CHECK(err.offset == 0x74);
  CHECK(strcmp(err.message,
               "trap in function 1 ($main) at offset 0x74: integer divide by zero") == 0);
  args[0] = i32(0x80000000u);
  args[1] = i32((uint32_t)-1);
  CHECK(call_i32(&f, "main", args, 2, &r, &err) == WT_ERR_TRAP);
  CHECK(err.trap == WT_TRAP_INT_OVERFLOW);
  /* offset 0xfffffff0 + address 0x10 is 2^32: beyond memory, no wrap. */
  args[0] = i32(0x10);
  CHECK(call_i32(&f, "oob", args, 1, &r, &err) == WT_ERR_TRAP);
  CHECK(err.trap == WT_TRAP_MEMORY_OOB && err.func_index == 5 && err.offset == 0xa5);
  teardown(&f);
}

/* Unbounded recursion ends in "call stack exhausted" at the configured
** depth, bounded recursion below it works, and the store stays usable. */
static void test_stack_exhaustion(void) {
  wt_config cfg = {0};
  cfg.max_call_depth = 500;
  fixture f;
  CHECK(setup(&f, &cfg, TRAPS_wasm, sizeof TRAPS_wasm));
  wt_error err;
  uint32_t r = 0;
  wt_value arg = i32(0);
  CHECK(call_i32(&f, "rec", &arg, 1, &r, &err) == WT_ERR_TRAP);
  CHECK(err.trap == WT_TRAP_STACK_EXHAUSTED);
  CHECK(err.func_index == 2 && err.offset == 0x7d);
  CHECK(strstr(err.message, "call stack exhausted") != NULL);
  arg = i32(400);
  CHECK(call_i32(&f, "count", &arg, 1, &r, &err) == WT_OK && r == 400);
  arg = i32(600);
  CHECK(call_i32(&f, "count", &arg, 1, &r, &err) == WT_ERR_TRAP &&
        err.trap == WT_TRAP_STACK_EXHAUSTED);
  arg = i32(10);
  CHECK(call_i32(&f, "count", &arg, 1, &r, &err) == WT_OK && r == 10);
  teardown(&f);

  /* The value stack is bounded too: a deep call depth with few slots. */
  cfg.max_call_depth = 1000000;
  cfg.value_stack_slots = 2048;
  CHECK(setup(&f, &cfg, TRAPS_wasm, sizeof TRAPS_wasm));
  arg = i32(0);
  CHECK(call_i32(&f, "rec", &arg, 1, &r, &err) == WT_ERR_TRAP &&
        err.trap == WT_TRAP_STACK_EXHAUSTED);
  teardown(&f);
}

/* max_memory_pages caps memory.grow and instantiation; wt_memory_ptr
** rejects ranges that leave memory, including ones whose end wraps. */
static void test_memory_cap(void) {
  wt_config cfg = {0};
  cfg.max_memory_pages = 2;
  fixture f;
  CHECK(setup(&f, &cfg, MEM_wasm, sizeof MEM_wasm));
  wt_error err;
  uint32_t r = 0;
  wt_value arg = i32(1);
  CHECK(call_i32(&f, "grow", &arg, 1, &r, &err) == WT_OK && r == 1);
  CHECK(call_i32(&f, "grow", &arg, 1, &r, &err) == WT_OK && r == (uint32_t)-1);
  CHECK(call_i32(&f, "size", NULL, 0, &r, &err) == WT_OK && r == 2);
  wt_extern mem;
  CHECK(wt_instance_export(f.inst, "mem", &mem) && mem.kind == WT_EXTERN_MEMORY);
  CHECK(wt_memory_size(mem.u.memory) == 2 * 65536);
  /* The last byte is writable by the guest and visible to the host. */
  wt_value st[2] = {i32(2 * 65536 - 4), i32(0xdeadbeef)};
  CHECK(wt_func_call(f.store, export_func(&f, "store"), st, 2, NULL, 0, &err) == WT_OK);
  uint8_t *p = wt_memory_ptr(mem.u.memory, 2 * 65536 - 4, 4);
  CHECK(p && p == wt_memory_data(mem.u.memory) + 2 * 65536 - 4 && p[0] == 0xef);
  CHECK(wt_memory_ptr(mem.u.memory, 2 * 65536 - 4, 5) == NULL);
  CHECK(wt_memory_ptr(mem.u.memory, 0xffffffffu, 2) == NULL);
  CHECK(wt_memory_ptr(mem.u.memory, 2 * 65536, 0) != NULL);
  arg = i32(2 * 65536 - 3);
  CHECK(call_i32(&f, "load", &arg, 1, &r, &err) == WT_ERR_TRAP && err.trap == WT_TRAP_MEMORY_OOB);
  teardown(&f);

  /* A memory whose minimum exceeds the cap cannot be instantiated. */
  wt_engine *eng = wt_engine_new(&cfg);
  wt_store *store = wt_store_new(eng);
  wt_module *mod = NULL;
  wt_instance *inst = NULL;
  CHECK(wt_module_new(eng, MEM3_wasm, sizeof MEM3_wasm, &mod, &err) == WT_OK);
  CHECK(wt_instantiate(store, mod, resolve_none, NULL, &inst, &err) == WT_ERR_NOMEM);
  CHECK(inst == NULL);
  CHECK(wt_memory_new(store, 3, UINT32_MAX) == NULL);
  CHECK(wt_memory_new(store, 1, 2) != NULL);
  wt_store_free(store);
  wt_module_free(mod);
  wt_engine_free(eng);
}

/* Host functions see the caller's memory; their traps (and proc_exit)
** unwind the whole call with the message and exit code. */
static void test_host_calls(void) {
  fixture f;
  CHECK(setup(&f, NULL, TRAPS_wasm, sizeof TRAPS_wasm));
  wt_error err;
  uint32_t r = 0;
  wt_value arg = i32(5);
  CHECK(call_i32(&f, "callhost", &arg, 1, &r, &err) == WT_OK && r == 110);
  wt_extern mem;
  CHECK(wt_instance_export(f.inst, "mem", &mem));
  uint32_t stored = 0;
  memcpy(&stored, wt_memory_data(mem.u.memory) + 16, 4);
  CHECK(stored == 5);
  arg = i32(7);
  CHECK(call_i32(&f, "callhost", &arg, 1, &r, &err) == WT_ERR_EXIT);
  CHECK(err.trap == WT_TRAP_EXIT && err.exit_code == 42);
  arg = i32(13);
  CHECK(call_i32(&f, "callhost", &arg, 1, &r, &err) == WT_ERR_TRAP);
  CHECK(err.trap == WT_TRAP_HOST && strstr(err.message, "host says no") != NULL);
  CHECK(err.func_index == 4);
  CHECK(f.env.calls == 3);
  /* Argument checking of wt_func_call. */
  wt_value bad = i32(1);
  bad.type = WT_I64;
  CHECK(call_i32(&f, "callhost", &bad, 1, &r, &err) == WT_ERR_ARG);
  CHECK(call_i32(&f, "callhost", NULL, 0, &r, &err) == WT_ERR_ARG);
  /* Malformed signatures. */
  CHECK(wt_func_new_host(f.store, "(i", host_fn, NULL) == NULL);
  CHECK(wt_func_new_host(f.store, "(x)i", host_fn, NULL) == NULL);
  CHECK(wt_func_new_host(f.store, "i)i", host_fn, NULL) == NULL);
  wt_func *h = wt_func_new_host(f.store, "(iIfF)rR", host_fn, NULL);
  CHECK(h && wt_func_param_count(h) == 4 && wt_func_result_count(h) == 2);
  CHECK(h && wt_func_param_type(h, 1) == WT_I64 && wt_func_result_type(h, 1) == WT_FUNCREF);
  teardown(&f);
}

/* Unknown and mistyped imports are link errors naming the import. */
static void test_link_errors(void) {
  wt_engine *eng = wt_engine_new(NULL);
  wt_store *store = wt_store_new(eng);
  wt_module *mod = NULL;
  wt_instance *inst = NULL;
  wt_error err;
  CHECK(wt_module_new(eng, TRAPS_wasm, sizeof TRAPS_wasm, &mod, &err) == WT_OK);
  CHECK(wt_instantiate(store, mod, resolve_none, NULL, &inst, &err) == WT_ERR_LINK);
  CHECK(strcmp(err.message, "unknown import env.host") == 0);
  env e = {store, "(i)", 0};
  CHECK(wt_instantiate(store, mod, resolve_env, &e, &inst, &err) == WT_ERR_LINK);
  CHECK(strcmp(err.message, "incompatible import type for env.host") == 0);
  CHECK(inst == NULL);
  wt_store_free(store);
  wt_module_free(mod);
  wt_engine_free(eng);
}

/* With timeout_ms set, an endless loop stops with WT_TRAP_TIMEOUT. */
static void test_timeout(void) {
  wt_config cfg = {0};
  cfg.timeout_ms = 50;
  fixture f;
  CHECK(setup(&f, &cfg, TRAPS_wasm, sizeof TRAPS_wasm));
  wt_error err;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  CHECK(wt_func_call(f.store, export_func(&f, "spin"), NULL, 0, NULL, 0, &err) == WT_ERR_TRAP);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  CHECK(err.trap == WT_TRAP_TIMEOUT);
  CHECK(secs >= 0.045 && secs < 5.0);
  teardown(&f);
}

int main(void) {
  test_trap_location();
  test_stack_exhaustion();
  test_memory_cap();
  test_host_calls();
  test_link_errors();
  test_timeout();
  return wt_check_finish("interp_runtime");
}
