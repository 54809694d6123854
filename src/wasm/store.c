/*
** store.c — engine (configuration, function-type interning) and store
** (ownership of every runtime object).
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/interp.h"
#include "wasm/runtime.h"

/* ---- engine ------------------------------------------------------------- */

wt_engine *wt_engine_new(const wt_config *config) {
  wt_engine *eng = calloc(1, sizeof *eng);
  if (!eng) return NULL;
  if (config) eng->config = *config;
  wt_config *c = &eng->config;
  if (c->max_memory_pages == 0 || c->max_memory_pages > MOD_MAX_PAGES)
    c->max_memory_pages = MOD_MAX_PAGES;
  if (c->max_call_depth == 0) c->max_call_depth = RT_DEFAULT_CALL_DEPTH;
  if (c->value_stack_slots == 0) c->value_stack_slots = RT_DEFAULT_STACK_SLOTS;
  /* A stack too small for even one frame of a trivial function would only
  ** produce confusing traps; 1024 slots is the floor. */
  if (c->value_stack_slots < 1024) c->value_stack_slots = 1024;
  return eng;
}

void wt_engine_free(wt_engine *engine) {
  if (!engine) return;
  for (uint32_t i = 0; i < engine->ntypes; i++) {
    free(engine->types[i]->types);
    free(engine->types[i]);
  }
  free(engine->types);
  free(engine->index);
  free(engine);
}

/* FNV-1a over the counts and the valtype bytes. */
static uint32_t type_hash(uint32_t np, uint32_t nr, const uint8_t *types) {
  uint32_t h = 2166136261u;
  h = (h ^ np) * 16777619u;
  h = (h ^ nr) * 16777619u;
  for (uint32_t i = 0; i < np + nr; i++) h = (h ^ types[i]) * 16777619u;
  return h;
}

static bool type_equal(const rt_functype *t, uint32_t np, uint32_t nr, const uint8_t *types) {
  return t->nparams == np && t->nresults == nr &&
         (np + nr == 0 || memcmp(t->types, types, np + nr) == 0);
}

/* Rebuilds the hash index at twice the size (load factor stays <= 1/2). */
static bool index_grow(wt_engine *eng) {
  uint32_t cap = eng->index_cap ? eng->index_cap * 2 : 64;
  uint32_t *idx = calloc(cap, sizeof *idx);
  if (!idx) return false;
  for (uint32_t id = 0; id < eng->ntypes; id++) {
    uint32_t h = eng->types[id]->hash & (cap - 1);
    while (idx[h]) h = (h + 1) & (cap - 1);
    idx[h] = id + 1;
  }
  free(eng->index);
  eng->index = idx;
  eng->index_cap = cap;
  return true;
}

/* Appends a new type; returns its id or UINT32_MAX. */
static uint32_t type_add(wt_engine *eng, uint32_t np, uint32_t nr, const uint8_t *types,
                         uint32_t hash) {
  if (eng->ntypes == eng->cap_types) {
    uint32_t cap = eng->cap_types ? eng->cap_types * 2 : 32;
    rt_functype **t = realloc(eng->types, cap * sizeof *t);
    if (!t) return UINT32_MAX;
    eng->types = t;
    eng->cap_types = cap;
  }
  rt_functype *ft = calloc(1, sizeof *ft);
  uint8_t *copy = malloc(np + nr + 1);
  if (!ft || !copy) {
    free(ft);
    free(copy);
    return UINT32_MAX;
  }
  if (np + nr) memcpy(copy, types, np + nr);
  ft->nparams = np;
  ft->nresults = nr;
  ft->hash = hash;
  ft->types = copy;
  eng->types[eng->ntypes] = ft;
  return eng->ntypes++;
}

uint32_t rt_intern_type(wt_engine *eng, uint32_t np, uint32_t nr, const uint8_t *types) {
  if ((eng->ntypes + 1) * 2 > eng->index_cap && !index_grow(eng)) return UINT32_MAX;
  uint32_t hash = type_hash(np, nr, types);
  uint32_t mask = eng->index_cap - 1, h = hash & mask;
  for (; eng->index[h]; h = (h + 1) & mask) {
    const rt_functype *t = eng->types[eng->index[h] - 1];
    if (t->hash == hash && type_equal(t, np, nr, types)) return eng->index[h] - 1;
  }
  uint32_t id = type_add(eng, np, nr, types, hash);
  if (id != UINT32_MAX) eng->index[h] = id + 1;
  return id;
}

uint32_t rt_intern_modtype(wt_engine *engine, const mod_functype *type) {
  return rt_intern_type(engine, type->nparams, type->nresults, type->types);
}

/* ---- store -------------------------------------------------------------- */

wt_store *wt_store_new(wt_engine *engine) {
  if (!engine) return NULL;
  wt_store *s = calloc(1, sizeof *s);
  if (s) s->engine = engine;
  return s;
}

void rt_store_adopt(wt_store *store, rt_obj *obj, rt_kind kind) {
  obj->kind = kind;
  obj->next = store->objects;
  store->objects = obj;
}

void wt_store_free(wt_store *store) {
  if (!store) return;
  rt_obj *o = store->objects;
  while (o) {
    rt_obj *next = o->next;
    rt_obj_free(o);
    o = next;
  }
  interp_exec_free(store->spare);
  free(store);
}

wt_status rt_fail(wt_error *err, wt_status status, const char *fmt, ...) {
  if (!err) return status;
  err->status = status;
  err->trap = WT_TRAP_NONE;
  err->func_index = UINT32_MAX;
  err->offset = UINT64_MAX;
  err->exit_code = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return status;
}
