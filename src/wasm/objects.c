/*
** objects.c — functions, tables and globals of a store, and freeing any
** store object.
*/
#include <stdlib.h>
#include <string.h>

#include "wasm/runtime.h"

/* ---- freeing ------------------------------------------------------------ */

static void instance_free(wt_instance *inst) {
  const wt_module *mod = inst->module;
  if (inst->elem_items)
    for (uint32_t i = 0; i < mod->nelems; i++) free(inst->elem_items[i]);
  free(inst->elem_items);
  free(inst->elem_len);
  free(inst->data_len);
  free(inst->funcs);
  free(inst->tables);
  free(inst->memories);
  free(inst->globals);
}

void rt_obj_free(rt_obj *obj) {
  switch (obj->kind) {
  case RT_FUNC: break;
  case RT_TABLE: free(((wt_table *)obj)->elems); break;
  case RT_MEMORY: rt_memory_release((wt_memory *)obj); break;
  case RT_GLOBAL: break;
  case RT_INSTANCE: instance_free((wt_instance *)obj); break;
  }
  free(obj);
}

/* ---- functions ---------------------------------------------------------- */

wt_func *rt_func_new_wasm(wt_store *store, wt_instance *inst, uint32_t func_index,
                          uint32_t type_id) {
  wt_func *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->type_id = type_id;
  f->type = store->engine->types[type_id];
  f->inst = inst;
  f->func_index = func_index;
  rt_store_adopt(store, &f->obj, RT_FUNC);
  return f;
}

/* Maps one signature letter to a valtype (0 when unknown). */
static uint8_t sig_letter(char c) {
  switch (c) {
  case 'i': return WT_I32;
  case 'I': return WT_I64;
  case 'f': return WT_F32;
  case 'F': return WT_F64;
  case 'r': return WT_EXTERNREF;
  case 'R': return WT_FUNCREF;
  default: return 0;
  }
}

/* Parses "(params)results" into types[]; returns false when malformed. */
static bool parse_signature(const char *sig, uint8_t *types, uint32_t *np, uint32_t *nr) {
  uint32_t n = 0;
  if (*sig++ != '(') return false;
  for (; *sig && *sig != ')'; sig++) {
    if (n >= MOD_MAX_PARAMS || !(types[n++] = sig_letter(*sig))) return false;
  }
  if (*sig++ != ')') return false;
  *np = n;
  for (; *sig; sig++) {
    if (n >= 2 * MOD_MAX_PARAMS || !(types[n++] = sig_letter(*sig))) return false;
  }
  *nr = n - *np;
  return true;
}

wt_func *wt_func_new_host(wt_store *store, const char *signature, wt_host_fn fn,
                          void *userdata) {
  if (!store || !signature || !fn) return NULL;
  if (strlen(signature) > 2 * MOD_MAX_PARAMS + 2) return NULL;
  uint8_t types[2 * MOD_MAX_PARAMS];
  uint32_t np, nr;
  if (!parse_signature(signature, types, &np, &nr)) return NULL;
  uint32_t id = rt_intern_type(store->engine, np, nr, types);
  if (id == UINT32_MAX) return NULL;
  wt_func *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->type_id = id;
  f->type = store->engine->types[id];
  f->host = fn;
  f->userdata = userdata;
  f->func_index = UINT32_MAX;
  rt_store_adopt(store, &f->obj, RT_FUNC);
  return f;
}

uint32_t wt_func_param_count(const wt_func *func) { return func ? func->type->nparams : 0; }
uint32_t wt_func_result_count(const wt_func *func) { return func ? func->type->nresults : 0; }

wt_valtype wt_func_param_type(const wt_func *func, uint32_t index) {
  if (!func || index >= func->type->nparams) return 0;
  return (wt_valtype)func->type->types[index];
}

wt_valtype wt_func_result_type(const wt_func *func, uint32_t index) {
  if (!func || index >= func->type->nresults) return 0;
  return (wt_valtype)func->type->types[func->type->nparams + index];
}

/* ---- tables ------------------------------------------------------------- */

wt_table *rt_table_new(wt_store *store, uint8_t elem_type, uint32_t min, uint32_t max) {
  if (min > MOD_MAX_TABLE) return NULL;
  wt_table *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->elems = calloc(min ? min : 1, sizeof *t->elems);
  if (!t->elems) {
    free(t);
    return NULL;
  }
  t->elem_type = elem_type;
  t->size = min;
  t->cap = min ? min : 1;
  t->max = max;
  rt_store_adopt(store, &t->obj, RT_TABLE);
  return t;
}

wt_table *wt_table_new(wt_store *store, wt_valtype elem_type, uint32_t min, uint32_t max) {
  if (!store || (elem_type != WT_FUNCREF && elem_type != WT_EXTERNREF)) return NULL;
  if (max != UINT32_MAX && max < min) return NULL;
  return rt_table_new(store, (uint8_t)elem_type, min, max);
}

int64_t rt_table_grow(wt_table *t, uint32_t delta, void *init) {
  uint32_t old = t->size;
  uint64_t want = (uint64_t)old + delta;
  uint64_t limit = t->max == UINT32_MAX ? MOD_MAX_TABLE : t->max;
  if (limit > MOD_MAX_TABLE) limit = MOD_MAX_TABLE;
  if (want > limit) return -1;
  if (want > t->cap) {
    uint64_t cap = t->cap * 2 > want ? t->cap * 2 : want;
    if (cap > limit) cap = limit;
    void **e = realloc(t->elems, (size_t)cap * sizeof *e);
    if (!e) return -1;
    t->elems = e;
    t->cap = (uint32_t)cap;
  }
  for (uint64_t i = old; i < want; i++) t->elems[i] = init;
  t->size = (uint32_t)want;
  return old;
}

wt_trap_kind rt_table_init(wt_instance *inst, uint32_t table, uint32_t seg, uint32_t dst,
                           uint32_t src, uint32_t n) {
  wt_table *t = inst->tables[table];
  if ((uint64_t)src + n > inst->elem_len[seg] || (uint64_t)dst + n > t->size)
    return WT_TRAP_TABLE_OOB;
  if (n) memcpy(t->elems + dst, inst->elem_items[seg] + src, (size_t)n * sizeof(void *));
  return WT_TRAP_NONE;
}

/* ---- globals ------------------------------------------------------------ */

wt_global *rt_global_new(wt_store *store, uint8_t type, bool is_mutable, uint64_t val) {
  wt_global *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->type = type;
  g->is_mutable = is_mutable;
  g->val = val;
  rt_store_adopt(store, &g->obj, RT_GLOBAL);
  return g;
}

wt_global *wt_global_new(wt_store *store, wt_value init, bool is_mutable) {
  if (!store) return NULL;
  uint64_t bits;
  switch (init.type) {
  case WT_I32:
  case WT_F32: bits = init.of.i32; break;
  case WT_I64:
  case WT_F64: bits = init.of.i64; break;
  case WT_FUNCREF: bits = (uint64_t)(uintptr_t)init.of.funcref; break;
  case WT_EXTERNREF: bits = (uint64_t)(uintptr_t)init.of.externref; break;
  case WT_V128: {
    wt_global *g = rt_global_new(store, WT_V128, is_mutable, 0);
    if (g) {
      memcpy(&g->val, init.of.v128, 8);
      memcpy(&g->hi, init.of.v128 + 8, 8);
    }
    return g;
  }
  default: return NULL;
  }
  return rt_global_new(store, (uint8_t)init.type, is_mutable, bits);
}

wt_value wt_global_get(const wt_global *global) {
  wt_value v;
  memset(&v, 0, sizeof v);
  if (!global) return v;
  v.type = (wt_valtype)global->type;
  switch (global->type) {
  case WT_I32:
  case WT_F32: v.of.i32 = (uint32_t)global->val; break;
  case WT_FUNCREF: v.of.funcref = (wt_func *)(uintptr_t)global->val; break;
  case WT_EXTERNREF: v.of.externref = (void *)(uintptr_t)global->val; break;
  case WT_V128:
    memcpy(v.of.v128, &global->val, 8);
    memcpy(v.of.v128 + 8, &global->hi, 8);
    break;
  default: v.of.i64 = global->val; break;
  }
  return v;
}
