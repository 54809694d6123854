/*
** validate_code.c — type checking of function bodies.
**
** This is the spec's validation algorithm (appendix "Validation
** Algorithm"): an operand stack of value types where DEC_VT_UNKNOWN stands
** for a value of unreachable code, and a stack of control frames. Both
** stacks live on the heap and grow by doubling, so nesting depth costs no C
** stack; everything is one linear pass over the body. Plain numeric and
** memory instructions are typed from the signatures of the WASM_OPCODES
** X-macro list, and every SIMD instruction from WASM_OPCODES_SIMD (whose lg
** column also gives the alignment and lane-index bounds); only
** instructions with a NULL signature are handled by hand. The decoder has already read every body once, so instruction reads
** here cannot fail on well-formed input.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "wasm/decode_instr.h"
#include "wasm/validate_priv.h"

/* Resource cap on the operand stack: each call may push up to
** MOD_MAX_PARAMS results, so without it a small body could make the
** validator allocate hundreds of megabytes. Real code stays far below. */
#define VAL_MAX_STACK (1u << 20)

/* Kind of the outermost frame (the function body); not an opcode. */
#define FRAME_FUNC 0xff

typedef struct vframe {
  uint8_t kind;           /* WASM_OP_block/loop/if/else or FRAME_FUNC */
  bool unreachable;       /* the rest of this block is dead code */
  size_t height;          /* operand stack height at block entry */
  const uint8_t *params;  /* start types */
  const uint8_t *results; /* end types */
  uint32_t nparams, nresults;
} vframe;

struct val_code {
  const wt_module *m;
  wt_error *err;
  const mod_functype *ft;  /* type of the function being checked */
  const mod_func *func;
  const dec_instr *ins;    /* instruction being checked, for messages */
  uint8_t *vals;
  size_t nvals, capvals;
  vframe *frames;
  size_t nframes, capframes;
  wt_status status;        /* of the first failure */
};

#define SIG_OF(name, byte, imm, sig) [byte] = sig,
static const char *const k_sig[256] = {WASM_OPCODES(SIG_OF)};
#undef SIG_OF
#define FC_SIG_OF(name, sub, imm, sig) [sub] = sig,
static const char *const k_fc_sig[WASM_OPFC_COUNT] = {WASM_OPCODES_FC(FC_SIG_OF)};
#undef FC_SIG_OF
#define SIMD_SIG_OF(name, sub, imm, sig, lg) [sub] = sig,
static const char *const k_simd_sig[WASM_OPSIMD_LIMIT] = {WASM_OPCODES_SIMD(SIMD_SIG_OF)};
#undef SIMD_SIG_OF
#define SIMD_LG_OF(name, sub, imm, sig, lg) [sub] = lg,
static const uint8_t k_simd_lg[WASM_OPSIMD_LIMIT] = {WASM_OPCODES_SIMD(SIMD_LG_OF)};
#undef SIMD_LG_OF

/* Every value type as a one-element array, for block types with a single
** result (frames point at their types instead of copying them). */
static const uint8_t k_valtypes[] = {WT_I32, WT_I64, WT_F32, WT_F64, WT_V128, WT_FUNCREF, WT_EXTERNREF};

const char *val_type_name(uint8_t t) {
  switch (t) {
    case WT_I32: return "i32";
    case WT_I64: return "i64";
    case WT_F32: return "f32";
    case WT_F64: return "f64";
    case WT_V128: return "v128";
    case WT_FUNCREF: return "funcref";
    case WT_EXTERNREF: return "externref";
    default: return "unknown";
  }
}

/* ----------------------------------------------------------------------
** Errors and the two stacks
*/

/* Records an INVALID error at the current instruction; returns false. */
static bool fail(val_code *vc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static bool fail(val_code *vc, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  vc->status = mod_fail(vc->err, WT_ERR_INVALID, vc->ins->offset, "%s", msg);
  return false;
}

static bool mismatch(val_code *vc, uint8_t want, uint8_t got, bool empty) {
  char name[40];
  dec_instr_name(vc->ins, name, sizeof name);
  if (empty)
    return fail(vc, "type mismatch in %s: expected %s but the stack is empty", name, val_type_name(want));
  return fail(vc, "type mismatch in %s: expected %s, got %s", name, val_type_name(want), val_type_name(got));
}

static bool nomem(val_code *vc) {
  vc->status = mod_fail(vc->err, WT_ERR_NOMEM, vc->ins->offset, "out of memory in validation");
  return false;
}

static bool push(val_code *vc, uint8_t t) {
  if (vc->nvals == vc->capvals) {
    if (vc->capvals >= VAL_MAX_STACK) {
      vc->status = mod_fail(vc->err, WT_ERR_NOMEM, vc->ins->offset, "operand stack deeper than %u values", VAL_MAX_STACK);
      return false;
    }
    size_t cap = vc->capvals ? vc->capvals * 2 : 256;
    uint8_t *p = realloc(vc->vals, cap);
    if (!p) return nomem(vc);
    vc->vals = p;
    vc->capvals = cap;
  }
  vc->vals[vc->nvals++] = t;
  return true;
}

static bool push_n(val_code *vc, const uint8_t *types, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (!push(vc, types[i])) return false;
  return true;
}

/* Pops any value; in unreachable code an empty block yields UNKNOWN. */
static bool pop_any(val_code *vc, uint8_t *out, uint8_t want) {
  const vframe *f = &vc->frames[vc->nframes - 1];
  if (vc->nvals == f->height) {
    if (f->unreachable) {
      *out = DEC_VT_UNKNOWN;
      return true;
    }
    return mismatch(vc, want, 0, true);
  }
  *out = vc->vals[--vc->nvals];
  return true;
}

/* Pops a value of type `want` (DEC_VT_UNKNOWN accepts any). */
static bool pop_expect(val_code *vc, uint8_t want) {
  uint8_t got = 0;
  if (!pop_any(vc, &got, want)) return false;
  if (got != want && got != DEC_VT_UNKNOWN && want != DEC_VT_UNKNOWN) return mismatch(vc, want, got, false);
  return true;
}

static bool pop_n(val_code *vc, const uint8_t *types, uint32_t n) {
  for (uint32_t i = n; i-- > 0;)
    if (!pop_expect(vc, types[i])) return false;
  return true;
}

static bool push_frame(val_code *vc, uint8_t kind, const uint8_t *params, uint32_t np,
                       const uint8_t *results, uint32_t nr) {
  if (vc->nframes == vc->capframes) {
    size_t cap = vc->capframes ? vc->capframes * 2 : 64;
    vframe *p = realloc(vc->frames, cap * sizeof *p);
    if (!p) return nomem(vc);
    vc->frames = p;
    vc->capframes = cap;
  }
  vframe *f = &vc->frames[vc->nframes++];
  f->kind = kind;
  f->unreachable = false;
  f->height = vc->nvals;
  f->params = params;
  f->nparams = np;
  f->results = results;
  f->nresults = nr;
  return push_n(vc, params, np);
}

/* Pops the innermost frame after checking its results are exactly what
** is left above its entry height. The frame is copied to *out. */
static bool pop_frame(val_code *vc, vframe *out) {
  const vframe *f = &vc->frames[vc->nframes - 1];
  if (!pop_n(vc, f->results, f->nresults)) return false;
  if (vc->nvals != f->height) {
    char name[40];
    return fail(vc, "type mismatch in %s: %zu value(s) left on the stack at the end of the block",
                dec_instr_name(vc->ins, name, sizeof name), vc->nvals - f->height);
  }
  *out = *f;
  vc->nframes--;
  return true;
}

/* The rest of the current block is unreachable: drop its operands and let
** pops produce UNKNOWN. */
static void set_unreachable(val_code *vc) {
  vframe *f = &vc->frames[vc->nframes - 1];
  vc->nvals = f->height;
  f->unreachable = true;
}

/* Types a branch to label l carries (a loop's label takes its params). */
static void label_types(const vframe *f, const uint8_t **types, uint32_t *n) {
  *types = f->kind == WASM_OP_loop ? f->params : f->results;
  *n = f->kind == WASM_OP_loop ? f->nparams : f->nresults;
}

static bool check_label(val_code *vc, uint32_t l, const vframe **out) {
  if (l >= vc->nframes) return fail(vc, "unknown label %u", l);
  *out = &vc->frames[vc->nframes - 1 - l];
  return true;
}

/* Applies a "params:results" signature from opcodes.h. */
static bool apply_sig(val_code *vc, const char *sig) {
  static const uint8_t letter[128] = {['i'] = WT_I32, ['I'] = WT_I64, ['f'] = WT_F32, ['F'] = WT_F64,
                                      ['V'] = WT_V128};
  const char *colon = strchr(sig, ':');
  for (const char *p = colon; p-- > sig;)
    if (!pop_expect(vc, letter[(unsigned char)*p])) return false;
  for (const char *p = colon + 1; *p; p++)
    if (!push(vc, letter[(unsigned char)*p])) return false;
  return true;
}

/* ----------------------------------------------------------------------
** Control instructions
*/

/* Resolves a block type to its params and results. */
static bool block_sig(val_code *vc, int64_t bt, const uint8_t **params, uint32_t *np,
                      const uint8_t **results, uint32_t *nr) {
  *np = *nr = 0;
  *params = *results = NULL;
  if (bt == DEC_BT_EMPTY) return true;
  if (bt >= 0) {
    if ((uint64_t)bt >= vc->m->ntypes) return fail(vc, "unknown type %lld", (long long)bt);
    const mod_functype *t = &vc->m->types[bt];
    *params = t->types;
    *np = t->nparams;
    *results = t->types + t->nparams;
    *nr = t->nresults;
    return true;
  }
  uint8_t vt = (uint8_t)(bt + 0x80);
  for (size_t i = 0; i < sizeof k_valtypes; i++)
    if (k_valtypes[i] == vt) {
      *results = &k_valtypes[i];
      *nr = 1;
      return true;
    }
  return fail(vc, "malformed block type");
}

static bool check_block(val_code *vc, const dec_instr *ins) {
  const uint8_t *params, *results;
  uint32_t np, nr;
  if (!block_sig(vc, ins->blocktype, &params, &np, &results, &nr)) return false;
  if (ins->op == WASM_OP_if && !pop_expect(vc, WT_I32)) return false;
  if (!pop_n(vc, params, np)) return false;
  return push_frame(vc, ins->op, params, np, results, nr);
}

static bool check_else(val_code *vc) {
  vframe f;
  if (vc->frames[vc->nframes - 1].kind != WASM_OP_if) return fail(vc, "else without matching if");
  if (!pop_frame(vc, &f)) return false;
  return push_frame(vc, WASM_OP_else, f.params, f.nparams, f.results, f.nresults);
}

/* `end`: an `if` without `else` passes its params through the missing
** else branch, so they must equal its results. */
static bool check_end(val_code *vc) {
  vframe f;
  if (!pop_frame(vc, &f)) return false;
  if (f.kind == WASM_OP_if &&
      (f.nparams != f.nresults || (f.nparams && memcmp(f.params, f.results, f.nparams))))
    return fail(vc, "type mismatch in if without else: params differ from results");
  if (f.kind == FRAME_FUNC) return true;
  return push_n(vc, f.results, f.nresults);
}

static bool check_br(val_code *vc, const dec_instr *ins) {
  const vframe *f;
  const uint8_t *types;
  uint32_t n;
  if (ins->op == WASM_OP_br_if && !pop_expect(vc, WT_I32)) return false;
  if (!check_label(vc, ins->a, &f)) return false;
  label_types(f, &types, &n);
  if (!pop_n(vc, types, n)) return false;
  if (ins->op == WASM_OP_br_if) return push_n(vc, types, n);
  set_unreachable(vc);
  return true;
}

/* Checks the top n operands against types without popping (the spec pops
** and pushes back the same values; in unreachable code missing operands
** count as UNKNOWN, which matches anything). */
static bool peek_n(val_code *vc, const uint8_t *types, uint32_t n) {
  const vframe *top = &vc->frames[vc->nframes - 1];
  for (uint32_t i = 0; i < n; i++) {
    uint8_t want = types[n - 1 - i];
    if (vc->nvals < top->height + 1 + i) {
      if (top->unreachable) return true;
      return mismatch(vc, want, 0, true);
    }
    uint8_t got = vc->vals[vc->nvals - 1 - i];
    if (got != want && got != DEC_VT_UNKNOWN) return mismatch(vc, want, got, false);
  }
  return true;
}

static bool check_br_table(val_code *vc, const dec_instr *ins) {
  const vframe *f;
  const uint8_t *dtypes, *types;
  uint32_t arity, n;
  if (!pop_expect(vc, WT_I32)) return false;
  if (!check_label(vc, ins->b, &f)) return false;
  label_types(f, &dtypes, &arity);
  dec_rd rd = dec_rd_make(vc->m->bytes, ins->table_pos, vc->m->len);
  for (uint32_t i = 0; i < ins->a; i++) {
    uint32_t l = 0;
    dec_u32(&rd, &l);
    if (!check_label(vc, l, &f)) return false;
    label_types(f, &types, &n);
    if (n != arity) return fail(vc, "type mismatch in br_table: label %u has arity %u, default %u", l, n, arity);
    if (!peek_n(vc, types, n)) return false;
  }
  if (!pop_n(vc, dtypes, arity)) return false;
  set_unreachable(vc);
  return true;
}

/* Pops a call's params and pushes its results. */
static bool apply_functype(val_code *vc, const mod_functype *t) {
  return pop_n(vc, t->types, t->nparams) && push_n(vc, t->types + t->nparams, t->nresults);
}

static bool check_call(val_code *vc, const dec_instr *ins) {
  const wt_module *m = vc->m;
  if (ins->op == WASM_OP_call) {
    if (ins->a >= m->nfuncs_total) return fail(vc, "unknown function %u", ins->a);
    return apply_functype(vc, &m->types[m->func_types[ins->a]]);
  }
  if (ins->b >= m->ntables) return fail(vc, "unknown table %u", ins->b);
  if (m->tables[ins->b].elem_type != WT_FUNCREF)
    return fail(vc, "type mismatch in call_indirect: table %u is not a funcref table", ins->b);
  if (ins->a >= m->ntypes) return fail(vc, "unknown type %u", ins->a);
  return pop_expect(vc, WT_I32) && apply_functype(vc, &m->types[ins->a]);
}

static bool check_control(val_code *vc, const dec_instr *ins) {
  switch (ins->op) {
    case WASM_OP_unreachable: set_unreachable(vc); return true;
    case WASM_OP_nop: return true;
    case WASM_OP_block: case WASM_OP_loop: case WASM_OP_if: return check_block(vc, ins);
    case WASM_OP_else: return check_else(vc);
    case WASM_OP_end: return check_end(vc);
    case WASM_OP_br: case WASM_OP_br_if: return check_br(vc, ins);
    case WASM_OP_br_table: return check_br_table(vc, ins);
    case WASM_OP_return: {
      const vframe *fn = &vc->frames[0];
      if (!pop_n(vc, fn->results, fn->nresults)) return false;
      set_unreachable(vc);
      return true;
    }
    default: return check_call(vc, ins);
  }
}

/* ----------------------------------------------------------------------
** Parametric, variable, reference and table instructions
*/

static bool is_num(uint8_t t) {
  return t == WT_I32 || t == WT_I64 || t == WT_F32 || t == WT_F64 || t == WT_V128 || t == DEC_VT_UNKNOWN;
}

static bool is_ref(uint8_t t) { return t == WT_FUNCREF || t == WT_EXTERNREF || t == DEC_VT_UNKNOWN; }

static bool check_select(val_code *vc, const dec_instr *ins) {
  uint8_t t1 = 0, t2 = 0;
  if (ins->op == WASM_OP_select_t) {
    if (ins->a != 1) return fail(vc, "invalid result arity %u in select", ins->a);
    return pop_expect(vc, WT_I32) && pop_expect(vc, ins->valtype) && pop_expect(vc, ins->valtype) &&
           push(vc, ins->valtype);
  }
  if (!pop_expect(vc, WT_I32) || !pop_any(vc, &t1, WT_I32) || !pop_any(vc, &t2, WT_I32)) return false;
  if (!is_num(t1) || !is_num(t2))
    return fail(vc, "type mismatch in select: untyped select needs numeric operands");
  if (t1 != t2 && t1 != DEC_VT_UNKNOWN && t2 != DEC_VT_UNKNOWN)
    return mismatch(vc, t1, t2, false);
  return push(vc, t1 == DEC_VT_UNKNOWN ? t2 : t1);
}

static bool check_local(val_code *vc, const dec_instr *ins) {
  uint32_t np = vc->ft->nparams;
  if ((uint64_t)ins->a >= (uint64_t)np + vc->func->nlocals) return fail(vc, "unknown local %u", ins->a);
  uint8_t t = ins->a < np ? vc->ft->types[ins->a] : vc->func->local_types[ins->a - np];
  switch (ins->op) {
    case WASM_OP_local_get: return push(vc, t);
    case WASM_OP_local_set: return pop_expect(vc, t);
    default: return pop_expect(vc, t) && push(vc, t); /* local.tee */
  }
}

static bool check_global(val_code *vc, const dec_instr *ins) {
  if (ins->a >= vc->m->nglobals_total) return fail(vc, "unknown global %u", ins->a);
  const mod_globaltype *g = &vc->m->global_types[ins->a];
  if (ins->op == WASM_OP_global_get) return push(vc, g->type);
  if (!g->is_mutable) return fail(vc, "global is immutable: global.set of global %u", ins->a);
  return pop_expect(vc, g->type);
}

static bool check_table_index(val_code *vc, uint32_t t, uint8_t *elem_type) {
  if (t >= vc->m->ntables) return fail(vc, "unknown table %u", t);
  *elem_type = vc->m->tables[t].elem_type;
  return true;
}

static bool check_ref(val_code *vc, const dec_instr *ins) {
  uint8_t t = 0;
  switch (ins->op) {
    case WASM_OP_ref_null: return push(vc, ins->valtype);
    case WASM_OP_ref_is_null:
      if (!pop_any(vc, &t, WT_FUNCREF)) return false;
      if (!is_ref(t)) return fail(vc, "type mismatch in ref.is_null: expected a reference, got %s", val_type_name(t));
      return push(vc, WT_I32);
    default: /* ref.func */
      if (ins->a >= vc->m->nfuncs_total) return fail(vc, "unknown function %u", ins->a);
      if (!vc->m->func_declared[ins->a]) return fail(vc, "undeclared function reference %u", ins->a);
      return push(vc, WT_FUNCREF);
  }
}

static bool check_variable(val_code *vc, const dec_instr *ins) {
  uint8_t et = 0;
  switch (ins->op) {
    case WASM_OP_drop: return pop_any(vc, &et, DEC_VT_UNKNOWN);
    case WASM_OP_select: case WASM_OP_select_t: return check_select(vc, ins);
    case WASM_OP_local_get: case WASM_OP_local_set: case WASM_OP_local_tee: return check_local(vc, ins);
    case WASM_OP_global_get: case WASM_OP_global_set: return check_global(vc, ins);
    case WASM_OP_table_get:
      return check_table_index(vc, ins->a, &et) && pop_expect(vc, WT_I32) && push(vc, et);
    case WASM_OP_table_set:
      return check_table_index(vc, ins->a, &et) && pop_expect(vc, et) && pop_expect(vc, WT_I32);
    case WASM_OP_ref_null: case WASM_OP_ref_is_null: case WASM_OP_ref_func: return check_ref(vc, ins);
    default: return check_control(vc, ins);
  }
}

/* ----------------------------------------------------------------------
** Memory and 0xFC instructions
*/

/* log2 of the access width of a load or store. */
static uint32_t natural_align(uint8_t op) {
  switch (op) {
    case WASM_OP_i32_load8_s: case WASM_OP_i32_load8_u: case WASM_OP_i64_load8_s:
    case WASM_OP_i64_load8_u: case WASM_OP_i32_store8: case WASM_OP_i64_store8:
      return 0;
    case WASM_OP_i32_load16_s: case WASM_OP_i32_load16_u: case WASM_OP_i64_load16_s:
    case WASM_OP_i64_load16_u: case WASM_OP_i32_store16: case WASM_OP_i64_store16:
      return 1;
    case WASM_OP_i32_load: case WASM_OP_f32_load: case WASM_OP_i64_load32_s:
    case WASM_OP_i64_load32_u: case WASM_OP_i32_store: case WASM_OP_f32_store:
    case WASM_OP_i64_store32:
      return 2;
    default:
      return 3;
  }
}

static bool need_memory(val_code *vc) {
  return vc->m->nmemories > 0 || fail(vc, "unknown memory 0");
}

/* A memarg's alignment (log2) may not exceed the access width (log2). */
static bool check_align(val_code *vc, uint32_t align, uint32_t natural) {
  if (align <= natural) return true;
  return fail(vc, "alignment must not be larger than natural (2^%u > %u bytes)", align, 1u << natural);
}

static bool check_segment(val_code *vc, uint32_t index, bool data) {
  const wt_module *m = vc->m;
  uint32_t n = data ? (m->has_data_count ? m->data_count : m->ndatas) : m->nelems;
  if (index >= n) return fail(vc, "unknown %s segment %u", data ? "data" : "elem", index);
  return true;
}

static bool check_fc_table(val_code *vc, const dec_instr *ins) {
  uint8_t et = 0, et2 = 0;
  switch (ins->sub) {
    case WASM_OPFC_table_init:
      if (!check_table_index(vc, ins->b, &et) || !check_segment(vc, ins->a, false)) return false;
      if (vc->m->elems[ins->a].elem_type != et) return fail(vc, "type mismatch in table.init: element type differs from table");
      return apply_sig(vc, k_fc_sig[ins->sub]);
    case WASM_OPFC_elem_drop: return check_segment(vc, ins->a, false);
    case WASM_OPFC_table_copy:
      if (!check_table_index(vc, ins->a, &et) || !check_table_index(vc, ins->b, &et2)) return false;
      if (et != et2) return fail(vc, "type mismatch in table.copy: element types differ");
      return apply_sig(vc, k_fc_sig[ins->sub]);
    case WASM_OPFC_table_grow:
      return check_table_index(vc, ins->a, &et) && pop_expect(vc, WT_I32) && pop_expect(vc, et) && push(vc, WT_I32);
    case WASM_OPFC_table_size: return check_table_index(vc, ins->a, &et) && push(vc, WT_I32);
    default: /* table.fill */
      return check_table_index(vc, ins->a, &et) && pop_expect(vc, WT_I32) && pop_expect(vc, et) &&
             pop_expect(vc, WT_I32);
  }
}

static bool check_fc(val_code *vc, const dec_instr *ins) {
  switch (ins->sub) {
    case WASM_OPFC_memory_init:
      return need_memory(vc) && check_segment(vc, ins->a, true) && apply_sig(vc, k_fc_sig[ins->sub]);
    case WASM_OPFC_data_drop: return check_segment(vc, ins->a, true);
    case WASM_OPFC_memory_copy: case WASM_OPFC_memory_fill:
      return need_memory(vc) && apply_sig(vc, k_fc_sig[ins->sub]);
    default:
      if (ins->sub <= WASM_OPFC_i64_trunc_sat_f64_u) return apply_sig(vc, k_fc_sig[ins->sub]);
      return check_fc_table(vc, ins);
  }
}

/* 0xFD instructions: memory, alignment and lane-index rules from the lg
** column of simd_opcodes.h, then the signature. */
static bool check_simd(val_code *vc, const dec_instr *ins) {
  uint32_t lg = k_simd_lg[ins->sub];
  char name[40];
  if (ins->imm == IMM_MEMARG || ins->imm == IMM_MEMARG_LANE)
    if (!need_memory(vc) || !check_align(vc, ins->a, lg)) return false;
  if ((ins->imm == IMM_LANE || ins->imm == IMM_MEMARG_LANE) && ins->lane >= 16u >> lg)
    return fail(vc, "invalid lane index %u in %s (%u lanes)", ins->lane,
                dec_instr_name(ins, name, sizeof name), 16u >> lg);
  if (ins->imm == IMM_SHUFFLE)
    for (unsigned i = 0; i < 16; i++)
      if (ins->v128[i] >= 32) return fail(vc, "invalid lane index %u in i8x16.shuffle (32 lanes)", ins->v128[i]);
  return apply_sig(vc, k_simd_sig[ins->sub]);
}

/* One instruction: numeric and memory ones by their opcodes.h or
** simd_opcodes.h signature, the rest by category. */
static bool check_instr(val_code *vc, const dec_instr *ins) {
  vc->ins = ins;
  if (ins->op == WASM_PREFIX_FC) return check_fc(vc, ins);
  if (ins->op == WASM_PREFIX_SIMD) return check_simd(vc, ins);
  const char *sig = k_sig[ins->op];
  if (!sig) return check_variable(vc, ins);
  if (ins->imm == IMM_MEMARG || ins->imm == IMM_MEMORY) {
    if (!need_memory(vc)) return false;
    if (ins->imm == IMM_MEMARG && !check_align(vc, ins->a, natural_align(ins->op))) return false;
  }
  return apply_sig(vc, sig);
}

/* ----------------------------------------------------------------------
** Entry points
*/

val_code *val_code_new(void) { return calloc(1, sizeof(val_code)); }

void val_code_free(val_code *vc) {
  if (!vc) return;
  free(vc->vals);
  free(vc->frames);
  free(vc);
}

wt_status val_function(val_code *vc, const wt_module *m, uint32_t index, wt_error *err) {
  const mod_func *f = &m->funcs[index];
  const mod_functype *ft = &m->types[f->type_index];
  dec_instr ins = {.offset = f->code_offset};
  vc->m = m;
  vc->err = err;
  vc->ft = ft;
  vc->func = f;
  vc->ins = &ins;
  vc->nvals = vc->nframes = 0;
  vc->status = WT_OK;
  if (!push_frame(vc, FRAME_FUNC, NULL, 0, ft->types + ft->nparams, ft->nresults)) return vc->status;
  dec_rd rd = dec_rd_make(m->bytes, f->code_offset, (size_t)f->code_offset + f->code_len);
  while (vc->nframes > 0) {
    if (!dec_instr_next(&rd, &ins)) /* the decoder rejects this first */
      return mod_fail(err, WT_ERR_MALFORMED, rd.why_at, "%s", rd.why ? rd.why : "malformed code");
    if (!check_instr(vc, &ins)) return vc->status;
  }
  if (!dec_rd_eof(&rd)) return mod_fail(err, WT_ERR_MALFORMED, rd.pos, "END opcode expected");
  return WT_OK;
}
