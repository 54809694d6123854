/*
** instance.c — instantiation (Wasm 2.0, section 4.5.4) and export lookup.
**
** Order: resolve and type-check imports, create functions, globals, tables
** and memories, evaluate element segments, apply active element segments
** then active data segments in order (a failing one traps; earlier ones
** keep their effect, which matters for imported tables and memories), drop
** active and declarative segments, run the start function.
**
** A failed instance stays owned by the store: functions it created may
** already sit in an imported table and must remain callable.
*/
#include <stdlib.h>
#include <string.h>

#include "interp/interp.h"
#include "wasm/runtime.h"

typedef struct inst_build {
  wt_store *store;
  const wt_module *mod;
  wt_instance *inst;
  uint32_t *type_ids; /* interned id of each module type */
  wt_error *err;
} inst_build;

static wt_status fail_trap(wt_error *err, wt_trap_kind kind) {
  rt_fail(err, WT_ERR_TRAP, "%s", wt_trap_message(kind));
  if (err) err->trap = kind;
  return WT_ERR_TRAP;
}

/* Allocates the instance and its index-space arrays. */
static wt_status alloc_instance(inst_build *b) {
  const wt_module *mod = b->mod;
  wt_instance *inst = calloc(1, sizeof *inst);
  if (!inst) return rt_fail(b->err, WT_ERR_NOMEM, "out of memory");
  rt_store_adopt(b->store, &inst->obj, RT_INSTANCE);
  b->inst = inst;
  inst->store = b->store;
  inst->module = mod;
  inst->funcs = calloc(mod->nfuncs_total + 1, sizeof *inst->funcs);
  inst->tables = calloc(mod->ntables + 1, sizeof *inst->tables);
  inst->memories = calloc(mod->nmemories + 1, sizeof *inst->memories);
  inst->globals = calloc(mod->nglobals_total + 1, sizeof *inst->globals);
  inst->elem_items = calloc(mod->nelems + 1, sizeof *inst->elem_items);
  inst->elem_len = calloc(mod->nelems + 1, sizeof *inst->elem_len);
  inst->data_len = calloc(mod->ndatas + 1, sizeof *inst->data_len);
  b->type_ids = calloc(mod->ntypes + 1, sizeof *b->type_ids);
  if (!inst->funcs || !inst->tables || !inst->memories || !inst->globals ||
      !inst->elem_items || !inst->elem_len || !inst->data_len || !b->type_ids)
    return rt_fail(b->err, WT_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0; i < mod->ntypes; i++) {
    b->type_ids[i] = rt_intern_modtype(b->store->engine, &mod->types[i]);
    if (b->type_ids[i] == UINT32_MAX) return rt_fail(b->err, WT_ERR_NOMEM, "out of memory");
  }
  return WT_OK;
}

/* Limits subtyping (spec 4.5.2): the provided size must be at least the
** required minimum, and a required maximum needs a provided one within it. */
static bool limits_match(uint64_t have_min, uint32_t have_max, const mod_limits *want) {
  if (have_min < want->min) return false;
  if (!want->has_max) return true;
  return have_max != UINT32_MAX && have_max <= want->max;
}

/* Checks that `ext` fits import `imp`. */
static bool import_matches(const inst_build *b, const mod_import *imp, const wt_extern *ext) {
  if (ext->kind != imp->kind) return false;
  switch (imp->kind) {
  case WT_EXTERN_FUNC:
    return ext->u.func && ext->u.func->type_id == b->type_ids[imp->desc.func_type];
  case WT_EXTERN_TABLE: {
    const wt_table *t = ext->u.table;
    return t && t->elem_type == imp->desc.table.elem_type &&
           limits_match(t->size, t->max, &imp->desc.table.limits);
  }
  case WT_EXTERN_MEMORY: {
    const wt_memory *m = ext->u.memory;
    return m && limits_match(m->pages, m->max_pages, &imp->desc.memory);
  }
  case WT_EXTERN_GLOBAL: {
    const wt_global *g = ext->u.global;
    return g && g->type == imp->desc.global.type &&
           g->is_mutable == imp->desc.global.is_mutable;
  }
  }
  return false;
}

/* Resolves every import through the embedder's resolver. */
static wt_status link_imports(inst_build *b, wt_resolver resolve, void *ud) {
  const wt_module *mod = b->mod;
  wt_instance *inst = b->inst;
  uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
  for (uint32_t i = 0; i < mod->nimports; i++) {
    const mod_import *imp = &mod->imports[i];
    wt_port port = {imp->module, imp->module_len, imp->name, imp->name_len, imp->kind};
    wt_extern ext;
    memset(&ext, 0, sizeof ext);
    if (!resolve || !resolve(ud, &port, &ext))
      return rt_fail(b->err, WT_ERR_LINK, "unknown import %.*s.%.*s", (int)imp->module_len,
                     imp->module, (int)imp->name_len, imp->name);
    if (!import_matches(b, imp, &ext))
      return rt_fail(b->err, WT_ERR_LINK, "incompatible import type for %.*s.%.*s",
                     (int)imp->module_len, imp->module, (int)imp->name_len, imp->name);
    switch (imp->kind) {
    case WT_EXTERN_FUNC: inst->funcs[nf++] = ext.u.func; break;
    case WT_EXTERN_TABLE: inst->tables[nt++] = ext.u.table; break;
    case WT_EXTERN_MEMORY: inst->memories[nm++] = ext.u.memory; break;
    case WT_EXTERN_GLOBAL: inst->globals[ng++] = ext.u.global; break;
    }
  }
  return WT_OK;
}

/* Evaluates a constant expression to slot bits. Validation guarantees the
** referenced global and function exist at this point. */
static uint64_t eval_const(const wt_instance *inst, const mod_const *c) {
  switch (c->kind) {
  case MOD_CONST_REF_NULL: return 0;
  case MOD_CONST_REF_FUNC: return (uint64_t)(uintptr_t)inst->funcs[c->u.index];
  case MOD_CONST_GLOBAL_GET: return inst->globals[c->u.index]->val;
  case MOD_CONST_V128: {
    uint64_t lo;
    memcpy(&lo, c->u.v128, 8);
    return lo;
  }
  default: return c->u.bits;
  }
}

/* Creates the module's own functions, globals, tables and memories. */
static wt_status create_entities(inst_build *b) {
  const wt_module *mod = b->mod;
  wt_instance *inst = b->inst;
  for (uint32_t i = mod->nfunc_imports; i < mod->nfuncs_total; i++) {
    wt_func *f = rt_func_new_wasm(b->store, inst, i, b->type_ids[mod->func_types[i]]);
    if (!f) return rt_fail(b->err, WT_ERR_NOMEM, "out of memory");
    f->code = mod->funcs[i - mod->nfunc_imports].compiled;
    inst->funcs[i] = f;
  }
  for (uint32_t i = 0; i < mod->nglobals; i++) {
    const mod_global *mg = &mod->globals[i];
    wt_global *g = rt_global_new(b->store, mg->type.type, mg->type.is_mutable,
                                 eval_const(inst, &mg->init));
    if (!g) return rt_fail(b->err, WT_ERR_NOMEM, "out of memory");
    if (mg->init.kind == MOD_CONST_V128) memcpy(&g->hi, mg->init.u.v128 + 8, 8);
    if (mg->init.kind == MOD_CONST_GLOBAL_GET) g->hi = inst->globals[mg->init.u.index]->hi;
    inst->globals[mod->nglobal_imports + i] = g;
  }
  for (uint32_t i = mod->ntable_imports; i < mod->ntables; i++) {
    const mod_tabletype *tt = &mod->tables[i];
    uint32_t max = tt->limits.has_max ? (uint32_t)tt->limits.max : UINT32_MAX;
    inst->tables[i] = rt_table_new(b->store, tt->elem_type, (uint32_t)tt->limits.min, max);
    if (!inst->tables[i]) return rt_fail(b->err, WT_ERR_NOMEM, "table allocation failed");
  }
  for (uint32_t i = mod->nmemory_imports; i < mod->nmemories; i++) {
    const mod_limits *l = &mod->memories[i];
    uint32_t max = l->has_max ? (uint32_t)l->max : UINT32_MAX;
    inst->memories[i] = rt_memory_new(b->store, (uint32_t)l->min, max);
    if (!inst->memories[i])
      return rt_fail(b->err, WT_ERR_NOMEM, "memory of %u pages exceeds the limit or failed",
                     (uint32_t)l->min);
  }
  inst->mem0 = mod->nmemories ? inst->memories[0] : NULL;
  return WT_OK;
}

/* Evaluates every element segment into a reference vector. */
static wt_status eval_segments(inst_build *b) {
  const wt_module *mod = b->mod;
  wt_instance *inst = b->inst;
  for (uint32_t i = 0; i < mod->nelems; i++) {
    const mod_elem *e = &mod->elems[i];
    inst->elem_items[i] = calloc(e->count + 1, sizeof(void *));
    if (!inst->elem_items[i]) return rt_fail(b->err, WT_ERR_NOMEM, "out of memory");
    for (uint32_t k = 0; k < e->count; k++)
      inst->elem_items[i][k] = (void *)(uintptr_t)eval_const(inst, &e->items[k]);
    inst->elem_len[i] = e->count;
  }
  for (uint32_t i = 0; i < mod->ndatas; i++) inst->data_len[i] = mod->datas[i].len;
  return WT_OK;
}

/* Applies active element then data segments; drops what the spec drops. */
static wt_status apply_segments(inst_build *b) {
  const wt_module *mod = b->mod;
  wt_instance *inst = b->inst;
  for (uint32_t i = 0; i < mod->nelems; i++) {
    const mod_elem *e = &mod->elems[i];
    if (e->mode == MOD_SEG_ACTIVE) {
      uint32_t off = (uint32_t)eval_const(inst, &e->offset);
      wt_trap_kind t = rt_table_init(inst, e->table, i, off, 0, e->count);
      if (t != WT_TRAP_NONE) return fail_trap(b->err, t);
    }
    if (e->mode != MOD_SEG_PASSIVE) inst->elem_len[i] = 0;
  }
  for (uint32_t i = 0; i < mod->ndatas; i++) {
    const mod_data *d = &mod->datas[i];
    if (d->mode != MOD_SEG_ACTIVE) continue;
    uint32_t off = (uint32_t)eval_const(inst, &d->offset);
    wt_trap_kind t = rt_memory_init(inst, i, off, 0, d->len);
    if (t != WT_TRAP_NONE) return fail_trap(b->err, t);
    inst->data_len[i] = 0;
  }
  return WT_OK;
}

static wt_status run_start(inst_build *b) {
  if (!b->mod->has_start) return WT_OK;
  wt_func *f = b->inst->funcs[b->mod->start];
  uint64_t slots[1] = {0};
  return interp_invoke(b->store, f, slots, b->err);
}

wt_status wt_instantiate(wt_store *store, const wt_module *module, wt_resolver resolve,
                         void *userdata, wt_instance **out, wt_error *err) {
  if (out) *out = NULL;
  if (!store || !module || !out) return rt_fail(err, WT_ERR_ARG, "bad argument");
  if (module->engine && module->engine != store->engine)
    return rt_fail(err, WT_ERR_ARG, "module and store belong to different engines");
  inst_build b = {store, module, NULL, NULL, err};
  wt_status st = alloc_instance(&b);
  if (st == WT_OK) st = link_imports(&b, resolve, userdata);
  if (st == WT_OK) st = create_entities(&b);
  if (st == WT_OK) st = eval_segments(&b);
  if (st == WT_OK) st = apply_segments(&b);
  free(b.type_ids);
  if (st == WT_OK) st = run_start(&b);
  if (st == WT_OK) *out = b.inst;
  return st;
}

/* ---- exports ------------------------------------------------------------ */

bool wt_instance_export_n(wt_instance *inst, const char *name, size_t len, wt_extern *out) {
  if (!inst || !name || !out) return false;
  const wt_module *mod = inst->module;
  for (uint32_t i = 0; i < mod->nexports; i++) {
    const mod_export *e = &mod->exports[i];
    if (e->name_len != len || memcmp(e->name, name, len) != 0) continue;
    out->kind = e->kind;
    switch (e->kind) {
    case WT_EXTERN_FUNC: out->u.func = inst->funcs[e->index]; break;
    case WT_EXTERN_TABLE: out->u.table = inst->tables[e->index]; break;
    case WT_EXTERN_MEMORY: out->u.memory = inst->memories[e->index]; break;
    case WT_EXTERN_GLOBAL: out->u.global = inst->globals[e->index]; break;
    }
    return true;
  }
  return false;
}

bool wt_instance_export(wt_instance *inst, const char *name, wt_extern *out) {
  return name && wt_instance_export_n(inst, name, strlen(name), out);
}

const wt_module *wt_instance_module(const wt_instance *inst) {
  return inst ? inst->module : NULL;
}
