/*
** module.c — module lifetime (decode → validate → translate, and freeing)
** and the read-only import/export queries of the public API.
*/
#include <stdlib.h>

#include "interp/interp.h"
#include "wasm/module.h"

wt_status wt_module_new(wt_engine *engine, const uint8_t *bytes, size_t len,
                        wt_module **out, wt_error *err) {
  if (!out) return mod_fail(err, WT_ERR_ARG, UINT64_MAX, "no place for the module");
  *out = NULL;
  wt_module *m = NULL;
  wt_status st = dec_decode(engine, bytes, len, &m, err);
  if (st != WT_OK) return st;
  st = val_validate(m, err);
  if (st == WT_OK) st = interp_prepare(m, err);
  if (st != WT_OK) {
    mod_free(m);
    return st;
  }
  *out = m;
  return WT_OK;
}

void wt_module_free(wt_module *module) { mod_free(module); }

/* Frees everything a (possibly half-decoded) module owns. Arrays are
** zero-filled when allocated and their counts set at the same time, so
** every pointer here is either NULL or owned. */
void mod_free(wt_module *m) {
  if (!m) return;
  for (uint32_t i = 0; i < m->ntypes; i++) free(m->types[i].types);
  for (uint32_t i = 0; i < m->nimports; i++) {
    free((char *)m->imports[i].module);
    free((char *)m->imports[i].name);
  }
  for (uint32_t i = 0; i < m->nexports; i++) free((char *)m->exports[i].name);
  for (uint32_t i = 0; i < m->nfuncs; i++) {
    mod_func *f = &m->funcs[i];
    if (f->compiled) interp_release(f);
    free(f->local_types);
    free((char *)f->debug_name);
  }
  for (uint32_t i = 0; i < m->nelems; i++) free(m->elems[i].items);
  free(m->types);
  free(m->imports);
  free(m->exports);
  free(m->funcs);
  free(m->func_types);
  free(m->tables);
  free(m->memories);
  free(m->globals);
  free(m->global_types);
  free(m->elems);
  free(m->datas);
  free(m->func_declared);
  free((char *)m->name);
  free(m->bytes);
  free(m);
}

static wt_port port_of_import(const mod_import *imp) {
  wt_port p = {imp->module, imp->module_len, imp->name, imp->name_len, imp->kind};
  return p;
}

uint32_t wt_module_import_count(const wt_module *module) { return module ? module->nimports : 0; }

/* Out-of-range indices give an empty port rather than undefined reads. */
wt_port wt_module_import(const wt_module *module, uint32_t index) {
  if (!module || index >= module->nimports) {
    wt_port none = {NULL, 0, NULL, 0, WT_EXTERN_FUNC};
    return none;
  }
  return port_of_import(&module->imports[index]);
}

uint32_t wt_module_export_count(const wt_module *module) { return module ? module->nexports : 0; }

wt_port wt_module_export(const wt_module *module, uint32_t index) {
  wt_port p = {NULL, 0, NULL, 0, WT_EXTERN_FUNC};
  if (!module || index >= module->nexports) return p;
  const mod_export *ex = &module->exports[index];
  p.name = ex->name;
  p.name_len = ex->name_len;
  p.kind = ex->kind;
  return p;
}
