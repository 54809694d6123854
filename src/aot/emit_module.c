/*
** emit_module.c — the C file of one module: prelude, per-type helpers,
** every function (emit_func.c), slot-ABI entries and the descriptor the
** runtime looks up with dlsym.
**
** Layout of the generated file:
**   #define AOT_GUARD 0|1, then aot_abi.h + aot_ops.h (embedded)
**   aot_rs<t>  result struct of multi-value type t
**   aot_ft<t>  native function pointer type of type t
**   gc<t>      call any wt_func of type t through aot_rt.call (imports,
**              call_indirect to foreign functions)
**   f<i>       function i (imports first in the index space, so the
**              first defined function is f<nfunc_imports>)
**   e<i>       slot-ABI entry of f<i>, for the runtime
**   wt_aot_module  the descriptor (the only exported symbol)
*/
#include <stdio.h>
#include <string.h>

#include "aot/aot.h"
#include "aot/aot_abi.h"

const char *aot_ctype(uint8_t t) {
  switch (t) {
  case WT_I32: return "uint32_t";
  case WT_I64: return "uint64_t";
  case WT_F32: return "float";
  case WT_F64: return "double";
  case WT_V128: return "aot_v128";
  default: return "aot_ref";
  }
}

char aot_type_letter(uint8_t t) {
  switch (t) {
  case WT_I32: return 'i';
  case WT_I64: return 'I';
  case WT_F32: return 'f';
  case WT_F64: return 'F';
  case WT_V128: return 'v';
  default: return 'r';
  }
}

/* Slots a value takes in the raw ABI: a v128 takes two (lane 0 first). */
static uint32_t width(uint8_t t) { return t == WT_V128 ? 2 : 1; }

/* C expression turning `S[k]` (a slot) into a value of type t. */
static void from_slot(aot_buf *o, uint8_t t, uint32_t k) {
  switch (t) {
  case WT_V128: aot_buf_printf(o, "wv_make(S[%u], S[%u])", k, k + 1); break;
  case WT_I32: aot_buf_printf(o, "(uint32_t)S[%u]", k); break;
  case WT_I64: aot_buf_printf(o, "S[%u]", k); break;
  case WT_F32: aot_buf_printf(o, "aot_f32((uint32_t)S[%u])", k); break;
  case WT_F64: aot_buf_printf(o, "aot_f64(S[%u])", k); break;
  default: aot_buf_printf(o, "(aot_ref)(uintptr_t)S[%u]", k); break;
  }
}

/* Statement storing value expression `v` of type t into S[k]. */
static void to_slot(aot_buf *o, uint8_t t, uint32_t k, const char *v) {
  switch (t) {
  case WT_V128: aot_buf_printf(o, "S[%u] = wv_lo(%s); S[%u] = wv_hi(%s);", k, v, k + 1, v); break;
  case WT_F32: aot_buf_printf(o, "S[%u] = aot_b32(%s);", k, v); break;
  case WT_F64: aot_buf_printf(o, "S[%u] = aot_b64(%s);", k, v); break;
  case WT_FUNCREF: case WT_EXTERNREF: aot_buf_printf(o, "S[%u] = (uintptr_t)%s;", k, v); break;
  default: aot_buf_printf(o, "S[%u] = %s;", k, v); break;
  }
}

static void ret_type(aot_buf *o, const wt_module *m, uint32_t ti) {
  const mod_functype *t = &m->types[ti];
  if (t->nresults == 0) aot_buf_puts(o, "void");
  else if (t->nresults == 1) aot_buf_puts(o, aot_ctype(mod_result(t, 0)));
  else aot_buf_printf(o, "aot_rs%u", ti);
}

/* aot_rs<t>, aot_ft<t> and gc<t> for every type of the module. */
static void emit_types(aot_buf *o, const wt_module *m) {
  for (uint32_t ti = 0; ti < m->ntypes; ti++) {
    const mod_functype *t = &m->types[ti];
    if (t->nresults > 1) {
      aot_buf_puts(o, "typedef struct {");
      for (uint32_t k = 0; k < t->nresults; k++)
        aot_buf_printf(o, " %s r%u;", aot_ctype(mod_result(t, k)), k);
      aot_buf_printf(o, " } aot_rs%u;\n", ti);
    }
    aot_buf_puts(o, "typedef ");
    ret_type(o, m, ti);
    aot_buf_printf(o, " (*aot_ft%u)(aot_ctx *", ti);
    for (uint32_t k = 0; k < t->nparams; k++) aot_buf_printf(o, ", %s", aot_ctype(mod_param(t, k)));
    aot_buf_puts(o, ");\n");
    /* gc<t>: pack the arguments into slots, call, unpack. */
    aot_buf_puts(o, "static inline ");
    ret_type(o, m, ti);
    aot_buf_printf(o, " gc%u(aot_ctx *c, void *fn, uint32_t fi, uint32_t off", ti);
    for (uint32_t k = 0; k < t->nparams; k++)
      aot_buf_printf(o, ", %s a%u", aot_ctype(mod_param(t, k)), k);
    uint32_t np = 0, nr = 0;
    for (uint32_t k = 0; k < t->nparams; k++) np += width(mod_param(t, k));
    for (uint32_t k = 0; k < t->nresults; k++) nr += width(mod_result(t, k));
    uint32_t n = np > nr ? np : nr;
    aot_buf_printf(o, ") {\n  uint64_t S[%u];", n ? n : 1);
    for (uint32_t k = 0, s = 0; k < t->nparams; k++) {
      char v[16];
      snprintf(v, sizeof v, "a%u", k);
      to_slot(o, mod_param(t, k), s, v);
      s += width(mod_param(t, k));
    }
    aot_buf_puts(o, "\n  c->rt->call(c, fn, S, fi, off);\n");
    if (t->nresults == 1) {
      aot_buf_puts(o, "  return ");
      from_slot(o, mod_result(t, 0), 0);
      aot_buf_puts(o, ";\n");
    } else if (t->nresults > 1) {
      aot_buf_printf(o, "  aot_rs%u R;", ti);
      for (uint32_t k = 0, s = 0; k < t->nresults; k++) {
        aot_buf_printf(o, " R.r%u = ", k);
        from_slot(o, mod_result(t, k), s);
        aot_buf_puts(o, ";");
        s += width(mod_result(t, k));
      }
      aot_buf_puts(o, "\n  return R;\n");
    }
    aot_buf_puts(o, "}\n");
  }
}

static void emit_prototypes(aot_buf *o, const wt_module *m) {
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs_total; i++) {
    uint32_t ti = m->func_types[i];
    const mod_functype *t = &m->types[ti];
    aot_buf_puts(o, "static ");
    ret_type(o, m, ti);
    aot_buf_printf(o, " f%u(aot_ctx *", i);
    for (uint32_t k = 0; k < t->nparams; k++) aot_buf_printf(o, ", %s", aot_ctype(mod_param(t, k)));
    aot_buf_puts(o, ");\n");
  }
}

/* e<i>: arguments from slots, results back into slots. */
static void emit_entries(aot_buf *o, const wt_module *m) {
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs_total; i++) {
    uint32_t ti = m->func_types[i];
    const mod_functype *t = &m->types[ti];
    aot_buf_printf(o, "static void e%u(aot_ctx *c, uint64_t *S) {\n  ", i);
    if (t->nresults) {
      ret_type(o, m, ti);
      aot_buf_puts(o, " R = ");
    }
    aot_buf_printf(o, "f%u(c", i);
    for (uint32_t k = 0, s = 0; k < t->nparams; k++) {
      aot_buf_puts(o, ", ");
      from_slot(o, mod_param(t, k), s);
      s += width(mod_param(t, k));
    }
    aot_buf_puts(o, ");\n  ");
    for (uint32_t k = 0, s = 0; k < t->nresults; k++) {
      char v[16];
      if (t->nresults == 1) snprintf(v, sizeof v, "R");
      else snprintf(v, sizeof v, "R.r%u", k);
      to_slot(o, mod_result(t, k), s, v);
      s += width(mod_result(t, k));
    }
    aot_buf_puts(o, "\n}\n");
  }
}

static void emit_descriptor(aot_buf *o, const wt_module *m, const aot_options *opt,
                            const char *hash) {
  aot_buf_puts(o, "static void (*const aot_entries[])(aot_ctx *, uint64_t *) = {");
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs_total; i++) aot_buf_printf(o, "e%u, ", i);
  aot_buf_puts(o, "0};\nstatic void *const aot_natives[] = {");
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs_total; i++) aot_buf_printf(o, "(void *)f%u, ", i);
  aot_buf_printf(o,
                 "0};\n__attribute__((visibility(\"default\"))) const aot_module_desc "
                 "wt_aot_module = {AOT_ABI_VERSION, %u, %uu, %uu, aot_entries, aot_natives, "
                 "\"%s\"};\n",
                 opt->guard_pages ? 1 : 0, m->nfuncs, m->nfunc_imports, hash);
}

wt_status aot_translate(const wt_module *m, const aot_options *opt, const char *wasm_hash,
                        aot_buf *out, wt_error *err) {
  aot_buf_printf(out, "/* generated by wasitorch %s from module %s */\n#define AOT_GUARD %d\n",
                 WT_VERSION, wasm_hash, opt->guard_pages ? 1 : 0);
  aot_buf_puts(out, aot_prelude_text);
  aot_buf_puts(out, "\n/* ---- module ---- */\n");
  emit_types(out, m);
  emit_prototypes(out, m);
  for (uint32_t i = 0; i < m->nfuncs; i++) {
    wt_status st = aot_emit_func(m, i, out, err);
    if (st != WT_OK) return st;
  }
  emit_entries(out, m);
  emit_descriptor(out, m, opt, wasm_hash);
  if (out->oom) return mod_fail(err, WT_ERR_NOMEM, UINT64_MAX, "aot: out of memory");
  return WT_OK;
}
