/*
** test_aot_api.c — the AOT embedding API across tier boundaries:
** a host function re-entering native code, interpreted code calling native
** exports and native code calling interpreted ones, traps crossing both,
** v128 through wt_func_call, and the load-time refusals (guard-page code in
** an engine without guard regions, stale flags).
**
** usage: test_aot_api MIXED.wasm USER.wasm WORKDIR
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasitorch.h"

static int failures;
#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      failures++;                                          \
      printf("FAIL %s:%d: ", __FILE__, __LINE__);          \
      printf(__VA_ARGS__);                                 \
      printf("\n");                                        \
    }                                                      \
  } while (0)

static uint8_t *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
  if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
    free(p);
    p = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return p;
}

typedef struct world {
  wt_store *store;
  wt_instance *a; /* AOT */
  wt_func *cb;
} world;

static wt_func *export_fn(wt_instance *inst, const char *name) {
  wt_extern e;
  return wt_instance_export(inst, name, &e) && e.kind == WT_EXTERN_FUNC ? e.u.func : NULL;
}

/* host.cb(x) = 10 * a.add1(x): re-enters native code from a host call. */
static wt_trap_kind host_cb(wt_host_call *call, uint64_t *slots) {
  world *w = call->userdata;
  wt_value arg = {WT_I32, {.i32 = (uint32_t)slots[0]}}, res;
  wt_error err;
  if (wt_func_call(w->store, export_fn(w->a, "add1"), &arg, 1, &res, 1, &err) != WT_OK)
    return WT_TRAP_HOST;
  slots[0] = res.of.i32 * 10u;
  return WT_TRAP_NONE;
}

static bool resolve(void *ud, const wt_port *imp, wt_extern *out) {
  world *w = ud;
  if (imp->module_len == 4 && !memcmp(imp->module, "host", 4)) {
    out->kind = WT_EXTERN_FUNC;
    out->u.func = w->cb;
    return true;
  }
  if (imp->module_len == 1 && imp->module[0] == 'a')
    return wt_instance_export_n(w->a, imp->name, imp->name_len, out);
  return false;
}

static uint32_t call_i32(wt_store *s, wt_func *f, uint32_t x, wt_status *st, wt_error *err) {
  wt_value arg = {WT_I32, {.i32 = x}}, res = {WT_I32, {.i32 = 0}};
  *st = wt_aot_func_call(s, f, &arg, 1, &res, 1, err);
  return res.of.i32;
}

static void test_tiers(wt_engine *eng, wt_aot_module *ma, const uint8_t *ub, size_t ulen,
                       const wt_aot_options *opt) {
  world w = {wt_store_new(eng), NULL, NULL};
  w.cb = wt_func_new_host(w.store, "(i)i", host_cb, &w);
  wt_error err;
  wt_status st = wt_aot_instantiate(w.store, ma, resolve, &w, &w.a, &err);
  CHECK(st == WT_OK, "instantiate A: %s", err.message);
  if (st != WT_OK) return;
  CHECK(call_i32(w.store, export_fn(w.a, "add1"), 41, &st, &err) == 42 && st == WT_OK, "add1");
  CHECK(call_i32(w.store, export_fn(w.a, "viahost"), 5, &st, &err) == 60 && st == WT_OK,
        "viahost: %s", err.message);
  call_i32(w.store, export_fn(w.a, "boom"), 0, &st, &err);
  CHECK(st == WT_ERR_TRAP && err.trap == WT_TRAP_DIV_BY_ZERO &&
            strstr(err.message, "trap in function 3 at offset") &&
            strstr(err.message, "integer divide by zero"),
        "boom: %s", err.message);

  /* v128 in and out through the slot ABI. */
  wt_value v = {WT_V128, {.i64 = 0}}, r;
  for (int i = 0; i < 16; i++) v.of.v128[i] = (uint8_t)i;
  st = wt_func_call(w.store, export_fn(w.a, "vswap"), &v, 1, &r, 1, &err);
  CHECK(st == WT_OK && r.of.v128[0] == 8 && r.of.v128[8] == 0 && r.of.v128[15] == 7, "vswap");

  /* B: interpreted, calling native exports. */
  wt_module *mb;
  wt_instance *b;
  st = wt_module_new(eng, ub, ulen, &mb, &err);
  CHECK(st == WT_OK, "module B: %s", err.message);
  if (st == WT_OK && wt_instantiate(w.store, mb, resolve, &w, &b, &err) == WT_OK) {
    CHECK(call_i32(w.store, export_fn(b, "twice"), 1, &st, &err) == 3 && st == WT_OK, "B twice");
    call_i32(w.store, export_fn(b, "boom"), 0, &st, &err);
    CHECK(st == WT_ERR_TRAP && err.trap == WT_TRAP_DIV_BY_ZERO, "B boom: %s", err.message);
  }

  /* C: the same module natively, calling native code of another instance. */
  wt_aot_module *mc;
  st = wt_aot_cached(eng, ub, ulen, opt, true, &mc, &err);
  CHECK(st == WT_OK, "compile C: %s", err.message);
  wt_instance *c;
  if (st == WT_OK && wt_aot_instantiate(w.store, mc, resolve, &w, &c, &err) == WT_OK) {
    CHECK(call_i32(w.store, export_fn(c, "twice"), 5, &st, &err) == 7 && st == WT_OK, "C twice");
    call_i32(w.store, export_fn(c, "boom"), 0, &st, &err);
    CHECK(st == WT_ERR_TRAP && err.trap == WT_TRAP_DIV_BY_ZERO &&
              strstr(err.message, "trap in function 3"),
          "C boom: %s", err.message);
  }
  wt_store_free(w.store);
  if (st == WT_OK || mc) wt_aot_module_free(mc);
  wt_module_free(mb);
}

int main(int argc, char **argv) {
  if (argc != 4) return 2;
  size_t alen, ulen;
  uint8_t *ab = slurp(argv[1], &alen), *ub = slurp(argv[2], &ulen);
  if (!ab || !ub) return 2;
  wt_aot_options opt;
  memset(&opt, 0, sizeof opt);
  opt.cache_dir = argv[3];
  wt_config cfg = {0, 0, 0, 0, WT_CONFIG_GUARD_REGIONS};
  wt_engine *eng = wt_engine_new(&cfg);
  wt_aot_module *ma = NULL;
  wt_error err;
  wt_status st = wt_aot_cached(eng, ab, alen, &opt, true, &ma, &err);
  CHECK(st == WT_OK, "compile A: %s", err.message);
  if (st == WT_OK) test_tiers(eng, ma, ub, ulen, &opt);
  wt_aot_module_free(ma);

  /* Without --compile nothing new is built; a cached one is found. */
  wt_aot_options o1 = opt;
  o1.cflags = "-O1";
  st = wt_aot_cached(eng, ab, alen, &o1, false, &ma, &err);
  CHECK(st != WT_OK && ma == NULL, "uncompiled -O1 artifact was found");
  st = wt_aot_cached(eng, ab, alen, &opt, false, &ma, &err);
  CHECK(st == WT_OK, "cached artifact not found: %s", err.message);
  wt_aot_module_free(ma);

  /* Stale: the cached -O2 artifact loaded expecting -O1. */
  char path[1024];
  CHECK(wt_aot_cache_path(ab, alen, &opt, path, sizeof path), "cache path");
  st = wt_aot_load(eng, path, &o1, &ma, &err);
  CHECK(st == WT_ERR_INVALID && strstr(err.message, "stale"), "stale: %s", err.message);

  /* Guard-page code needs an engine with guard regions. */
  wt_engine *plain = wt_engine_new(NULL);
  st = wt_aot_load(plain, path, NULL, &ma, &err);
  CHECK(st == WT_ERR_UNSUPPORTED, "guard code in a plain engine: %s", err.message);
  wt_engine_free(plain);
  wt_engine_free(eng);
  free(ab);
  free(ub);
  printf("%s\n", failures ? "test_aot_api: FAILED" : "test_aot_api: all passed");
  return failures != 0;
}
