/*
** validate.c — module-level validation: type and index rules for imports,
** functions, tables, memories, globals, exports, the start function and
** segments, constant expressions, then every function body through
** validate_code.c.
**
** Also builds module->func_declared, the spec's C.refs: the functions that
** `ref.func` may name inside code (those mentioned in element segments,
** exports and global initialisers).
*/
#include <stdlib.h>
#include <string.h>

#include "wasm/validate_priv.h"

/* ----------------------------------------------------------------------
** Types, limits and constant expressions
*/

static wt_status check_limits(wt_error *err, const mod_limits *l, uint64_t bound, const char *what,
                              uint32_t index) {
  if (l->min > bound || (l->has_max && l->max > bound))
    return mod_fail(err, WT_ERR_INVALID, UINT64_MAX,
                    "%s %u: memory size must be at most 65536 pages (4GiB)", what, index);
  if (l->has_max && l->min > l->max)
    return mod_fail(err, WT_ERR_INVALID, UINT64_MAX,
                    "%s %u: size minimum must not be greater than maximum", what, index);
  return WT_OK;
}

static wt_status check_type_index(const wt_module *m, wt_error *err, uint32_t t, const char *what,
                                  uint32_t index) {
  if (t >= m->ntypes) return mod_fail(err, WT_ERR_INVALID, UINT64_MAX, "%s %u: unknown type %u", what, index, t);
  return WT_OK;
}

/* A constant expression of type `want`. Only imported immutable globals
** may be read (Wasm 2.0; the spec testsuite of that version expects
** "unknown global" for defined ones). GLOBAL_GET gets its type here. */
static wt_status check_const(const wt_module *m, wt_error *err, mod_const *c, uint8_t want) {
  switch (c->kind) {
    case MOD_CONST_INVALID:
      return mod_fail(err, WT_ERR_INVALID, c->offset, "%s",
                      c->u.index == 0 ? "constant expression required" : "type mismatch in constant expression");
    case MOD_CONST_GLOBAL_GET:
      if (c->u.index >= m->nglobal_imports)
        return mod_fail(err, WT_ERR_INVALID, c->offset, "unknown global %u", c->u.index);
      if (m->global_types[c->u.index].is_mutable)
        return mod_fail(err, WT_ERR_INVALID, c->offset, "constant expression required (global %u is mutable)",
                        c->u.index);
      c->type = m->global_types[c->u.index].type;
      break;
    case MOD_CONST_REF_FUNC:
      if (c->u.index >= m->nfuncs_total)
        return mod_fail(err, WT_ERR_INVALID, c->offset, "unknown function %u", c->u.index);
      break;
    default:
      break;
  }
  if (c->type != want)
    return mod_fail(err, WT_ERR_INVALID, c->offset, "type mismatch: constant expression has type %s, expected %s",
                    val_type_name(c->type), val_type_name(want));
  return WT_OK;
}

/* ----------------------------------------------------------------------
** Sections
*/

static wt_status check_imports_and_types(const wt_module *m, wt_error *err) {
  wt_status st = WT_OK;
  for (uint32_t i = 0; i < m->nimports && st == WT_OK; i++) {
    const mod_import *imp = &m->imports[i];
    if (imp->kind == WT_EXTERN_FUNC) st = check_type_index(m, err, imp->desc.func_type, "import", i);
  }
  for (uint32_t i = 0; i < m->nfuncs && st == WT_OK; i++)
    st = check_type_index(m, err, m->funcs[i].type_index, "function", m->nfunc_imports + i);
  for (uint32_t i = 0; i < m->ntables && st == WT_OK; i++)
    st = check_limits(err, &m->tables[i].limits, UINT32_MAX, "table", i);
  if (st == WT_OK && m->nmemories > 1)
    return mod_fail(err, WT_ERR_INVALID, UINT64_MAX, "multiple memories (%u)", m->nmemories);
  for (uint32_t i = 0; i < m->nmemories && st == WT_OK; i++)
    st = check_limits(err, &m->memories[i], MOD_MAX_PAGES, "memory", i);
  return st;
}

static wt_status check_globals(wt_module *m, wt_error *err) {
  for (uint32_t i = 0; i < m->nglobals; i++) {
    wt_status st = check_const(m, err, &m->globals[i].init, m->globals[i].type.type);
    if (st != WT_OK) return st;
  }
  return WT_OK;
}

/* Orders exports by name so duplicates end up next to each other. */
static int cmp_export(const void *a, const void *b) {
  const mod_export *x = *(const mod_export *const *)a, *y = *(const mod_export *const *)b;
  if (x->name_len != y->name_len) return x->name_len < y->name_len ? -1 : 1;
  return memcmp(x->name, y->name, x->name_len);
}

/* Export names must be unique: sort (O(n log n)) and compare neighbours. */
static wt_status check_export_names(const wt_module *m, wt_error *err) {
  if (m->nexports < 2) return WT_OK;
  const mod_export **order = malloc(m->nexports * sizeof *order);
  if (!order) return mod_fail(err, WT_ERR_NOMEM, UINT64_MAX, "out of memory");
  for (uint32_t i = 0; i < m->nexports; i++) order[i] = &m->exports[i];
  qsort(order, m->nexports, sizeof *order, cmp_export);
  wt_status st = WT_OK;
  for (uint32_t i = 1; i < m->nexports && st == WT_OK; i++)
    if (!cmp_export(&order[i - 1], &order[i]))
      st = mod_fail(err, WT_ERR_INVALID, UINT64_MAX, "duplicate export name \"%s\"", order[i]->name);
  free(order);
  return st;
}

static wt_status check_exports(const wt_module *m, wt_error *err) {
  static const char *const kinds[] = {"function", "table", "memory", "global"};
  for (uint32_t i = 0; i < m->nexports; i++) {
    const mod_export *ex = &m->exports[i];
    uint32_t n = ex->kind == WT_EXTERN_FUNC ? m->nfuncs_total
               : ex->kind == WT_EXTERN_TABLE ? m->ntables
               : ex->kind == WT_EXTERN_MEMORY ? m->nmemories : m->nglobals_total;
    if (ex->index >= n)
      return mod_fail(err, WT_ERR_INVALID, UINT64_MAX, "export \"%s\": unknown %s %u", ex->name,
                      kinds[ex->kind], ex->index);
  }
  return check_export_names(m, err);
}

static wt_status check_start(const wt_module *m, wt_error *err) {
  if (!m->has_start) return WT_OK;
  if (m->start >= m->nfuncs_total)
    return mod_fail(err, WT_ERR_INVALID, UINT64_MAX, "unknown function %u as start function", m->start);
  const mod_functype *t = &m->types[m->func_types[m->start]];
  if (t->nparams || t->nresults)
    return mod_fail(err, WT_ERR_INVALID, UINT64_MAX, "start function %u must have type [] -> []", m->start);
  return WT_OK;
}

static wt_status check_elems(wt_module *m, wt_error *err) {
  for (uint32_t i = 0; i < m->nelems; i++) {
    mod_elem *e = &m->elems[i];
    wt_status st = WT_OK;
    if (e->mode == MOD_SEG_ACTIVE) {
      if (e->table >= m->ntables)
        return mod_fail(err, WT_ERR_INVALID, e->offset.offset, "unknown table %u in element segment %u", e->table, i);
      if (m->tables[e->table].elem_type != e->elem_type)
        return mod_fail(err, WT_ERR_INVALID, e->offset.offset, "type mismatch: element segment %u and table %u",
                        i, e->table);
      st = check_const(m, err, &e->offset, WT_I32);
    }
    for (uint32_t k = 0; k < e->count && st == WT_OK; k++) st = check_const(m, err, &e->items[k], e->elem_type);
    if (st != WT_OK) return st;
  }
  return WT_OK;
}

static wt_status check_datas(wt_module *m, wt_error *err) {
  for (uint32_t i = 0; i < m->ndatas; i++) {
    mod_data *d = &m->datas[i];
    if (d->mode != MOD_SEG_ACTIVE) continue;
    if (d->memory >= m->nmemories)
      return mod_fail(err, WT_ERR_INVALID, d->offset.offset, "unknown memory %u in data segment %u", d->memory, i);
    wt_status st = check_const(m, err, &d->offset, WT_I32);
    if (st != WT_OK) return st;
  }
  return WT_OK;
}

/* C.refs: every function index named outside function bodies. Indices are
** range-checked here; out-of-range ones are reported by their owners. */
static wt_status build_declared(wt_module *m, wt_error *err) {
  m->func_declared = calloc(m->nfuncs_total ? m->nfuncs_total : 1, 1);
  if (!m->func_declared) return mod_fail(err, WT_ERR_NOMEM, UINT64_MAX, "out of memory");
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == WT_EXTERN_FUNC && m->exports[i].index < m->nfuncs_total)
      m->func_declared[m->exports[i].index] = 1;
  for (uint32_t i = 0; i < m->nglobals; i++) {
    const mod_const *c = &m->globals[i].init;
    if (c->kind == MOD_CONST_REF_FUNC && c->u.index < m->nfuncs_total) m->func_declared[c->u.index] = 1;
  }
  for (uint32_t i = 0; i < m->nelems; i++)
    for (uint32_t k = 0; k < m->elems[i].count; k++) {
      const mod_const *c = &m->elems[i].items[k];
      if (c->kind == MOD_CONST_REF_FUNC && c->u.index < m->nfuncs_total) m->func_declared[c->u.index] = 1;
    }
  return WT_OK;
}

static wt_status check_bodies(const wt_module *m, wt_error *err) {
  if (!m->nfuncs) return WT_OK;
  val_code *vc = val_code_new();
  if (!vc) return mod_fail(err, WT_ERR_NOMEM, UINT64_MAX, "out of memory");
  wt_status st = WT_OK;
  for (uint32_t i = 0; i < m->nfuncs && st == WT_OK; i++) st = val_function(vc, m, i, err);
  val_code_free(vc);
  return st;
}

wt_status val_validate(wt_module *m, wt_error *err) {
  free(m->func_declared); /* validating twice must not leak */
  m->func_declared = NULL;
  wt_status st = check_imports_and_types(m, err);
  if (st == WT_OK) st = check_globals(m, err);
  if (st == WT_OK) st = check_exports(m, err);
  if (st == WT_OK) st = check_start(m, err);
  if (st == WT_OK) st = check_elems(m, err);
  if (st == WT_OK) st = check_datas(m, err);
  if (st == WT_OK) st = build_declared(m, err);
  if (st == WT_OK) st = check_bodies(m, err);
  return st;
}
