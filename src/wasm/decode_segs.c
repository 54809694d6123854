/*
** decode_segs.c — constant expressions, element and data segments, and the
** "name" custom section (see decode.c for the module structure).
*/
#include <stdlib.h>

#include "wasm/decode_priv.h"

/* Reasons stored in u.index of a MOD_CONST_INVALID expression. */
enum { CONST_NOT_CONSTANT = 0, CONST_ARITY = 1 };

/* Fills c from the first instruction of a constant expression; returns
** false when the instruction is not a constant one. */
static bool const_from_instr(const dec_instr *ins, mod_const *c) {
  switch (ins->op) {
    case WASM_OP_i32_const: c->kind = MOD_CONST_I32; c->type = WT_I32; c->u.bits = ins->bits; return true;
    case WASM_OP_i64_const: c->kind = MOD_CONST_I64; c->type = WT_I64; c->u.bits = ins->bits; return true;
    case WASM_OP_f32_const: c->kind = MOD_CONST_F32; c->type = WT_F32; c->u.bits = ins->bits; return true;
    case WASM_OP_f64_const: c->kind = MOD_CONST_F64; c->type = WT_F64; c->u.bits = ins->bits; return true;
    case WASM_OP_ref_null: c->kind = MOD_CONST_REF_NULL; c->type = ins->valtype; return true;
    case WASM_OP_ref_func: c->kind = MOD_CONST_REF_FUNC; c->type = WT_FUNCREF; c->u.index = ins->a; return true;
    case WASM_OP_global_get: c->kind = MOD_CONST_GLOBAL_GET; c->type = 0; c->u.index = ins->a; return true;
    case WASM_PREFIX_SIMD:
      if (ins->sub != WASM_OPSIMD_v128_const) return false;
      c->kind = MOD_CONST_V128;
      c->type = WT_V128;
      memcpy(c->u.v128, ins->v128, 16);
      return true;
    default: return false;
  }
}

/* A constant expression is binary-wise any instruction sequence ending in
** `end`; validity (one constant instruction) is the validator's business,
** so anything else well-formed is kept as MOD_CONST_INVALID. */
bool dec_const_expr(dec *d, dec_rd *rd, mod_const *c) {
  memset(c, 0, sizeof *c);
  c->offset = (uint32_t)rd->pos;
  uint32_t ninstr = 0;
  bool constant = true;
  uint64_t depth = 1;
  dec_instr ins;
  for (;;) {
    if (!dec_instr_next(rd, &ins)) return false;
    if (dec_instr_simd(&ins)) d->m->uses_simd = true;
    if (ins.op == WASM_OP_end && --depth == 0) break;
    if (ins.op == WASM_OP_block || ins.op == WASM_OP_loop || ins.op == WASM_OP_if) depth++;
    if (ninstr++ == 0) constant = const_from_instr(&ins, c);
    else if (constant) constant = const_from_instr(&ins, &(mod_const){0});
  }
  if (!constant) {
    c->kind = MOD_CONST_INVALID;
    c->u.index = CONST_NOT_CONSTANT;
  } else if (ninstr != 1) {
    c->kind = MOD_CONST_INVALID;
    c->u.index = CONST_ARITY;
  }
  return true;
}

/* ----------------------------------------------------------------------
** Element section: flags 0..7 select active/passive/declarative, an
** explicit table index, and function indices versus expressions.
*/

/* The items of one segment: vec(funcidx) or vec(expr). */
static wt_status read_elem_items(dec *d, dec_rd *rd, mod_elem *e, bool exprs) {
  uint32_t n = 0;
  if (!dec_count(rd, &n, 1)) return dec_fail_rd(d, rd);
  if (!(e->items = dec_alloc(d, n, sizeof *e->items, rd->pos))) return WT_ERR_NOMEM;
  e->count = n;
  for (uint32_t i = 0; i < n; i++) {
    mod_const *c = &e->items[i];
    if (exprs) {
      if (!dec_const_expr(d, rd, c)) return dec_fail_rd(d, rd);
      continue;
    }
    c->offset = (uint32_t)rd->pos;
    c->kind = MOD_CONST_REF_FUNC;
    c->type = WT_FUNCREF;
    if (!dec_u32(rd, &c->u.index)) return dec_fail_rd(d, rd);
  }
  return WT_OK;
}

static wt_status read_elem(dec *d, dec_rd *rd, mod_elem *e) {
  uint32_t flags = 0;
  size_t at = rd->pos;
  if (!dec_u32(rd, &flags)) return dec_fail_rd(d, rd);
  if (flags > 7) return mod_fail(d->err, WT_ERR_MALFORMED, at, "malformed elements segment kind");
  bool passive_or_decl = flags & 1, explicit_or_decl = flags & 2, exprs = flags & 4;
  e->elem_type = WT_FUNCREF;
  if (!passive_or_decl) {
    e->mode = MOD_SEG_ACTIVE;
    if (explicit_or_decl && !dec_u32(rd, &e->table)) return dec_fail_rd(d, rd);
    if (!dec_const_expr(d, rd, &e->offset)) return dec_fail_rd(d, rd);
  } else {
    e->mode = explicit_or_decl ? MOD_SEG_DECLARATIVE : MOD_SEG_PASSIVE;
  }
  if (flags & 3) { /* forms with an explicit element kind or type */
    if (exprs) {
      if (!dec_reftype(rd, &e->elem_type)) return dec_fail_rd(d, rd);
    } else {
      uint8_t kind = 0;
      at = rd->pos;
      if (!dec_u8(rd, &kind)) return dec_fail_rd(d, rd);
      if (kind != 0) return mod_fail(d->err, WT_ERR_MALFORMED, at, "malformed element kind");
    }
  }
  return read_elem_items(d, rd, e, exprs);
}

wt_status dec_elem_section(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  if (!dec_count(rd, &n, 2)) return dec_fail_rd(d, rd);
  if (!(m->elems = dec_alloc(d, n, sizeof *m->elems, rd->pos))) return WT_ERR_NOMEM;
  m->nelems = n;
  for (uint32_t i = 0; i < n; i++) {
    wt_status st = read_elem(d, rd, &m->elems[i]);
    if (st != WT_OK) return st;
  }
  return WT_OK;
}

/* ----------------------------------------------------------------------
** Data section: flags 0 (active, memory 0), 1 (passive), 2 (active,
** explicit memory index).
*/

static wt_status read_data(dec *d, dec_rd *rd, mod_data *seg) {
  uint32_t flags = 0, len = 0;
  size_t at = rd->pos;
  if (!dec_u32(rd, &flags)) return dec_fail_rd(d, rd);
  if (flags > 2) return mod_fail(d->err, WT_ERR_MALFORMED, at, "malformed data segment kind");
  seg->mode = flags == 1 ? MOD_SEG_PASSIVE : MOD_SEG_ACTIVE;
  if (flags == 2 && !dec_u32(rd, &seg->memory)) return dec_fail_rd(d, rd);
  if (flags != 1 && !dec_const_expr(d, rd, &seg->offset)) return dec_fail_rd(d, rd);
  if (!dec_u32(rd, &len)) return dec_fail_rd(d, rd);
  const uint8_t *p = dec_bytes(rd, len);
  if (!p) return dec_fail_rd(d, rd);
  seg->bytes = p;
  seg->len = len;
  return WT_OK;
}

wt_status dec_data_section(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  if (!dec_count(rd, &n, 2)) return dec_fail_rd(d, rd);
  if (!(m->datas = dec_alloc(d, n, sizeof *m->datas, rd->pos))) return WT_ERR_NOMEM;
  m->ndatas = n;
  for (uint32_t i = 0; i < n; i++) {
    wt_status st = read_data(d, rd, &m->datas[i]);
    if (st != WT_OK) return st;
  }
  return WT_OK;
}

/* ----------------------------------------------------------------------
** The "name" section (best effort: a bad subsection ends the parse
** silently, keeping what was read). Subsection 0 names the module,
** subsection 1 maps function indices to names.
*/

static void read_function_names(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  if (!dec_count(rd, &n, 2)) return;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t idx = 0, len = 0;
    char *name = NULL;
    bool nomem = false;
    if (!dec_u32(rd, &idx) || !dec_name(rd, &name, &len, &nomem)) return;
    if (idx < m->nfunc_imports || idx - m->nfunc_imports >= m->nfuncs ||
        m->funcs[idx - m->nfunc_imports].debug_name) {
      free(name); /* an import, out of range, or a duplicate */
      continue;
    }
    m->funcs[idx - m->nfunc_imports].debug_name = name;
  }
}

void dec_name_section(dec *d) {
  dec_rd rd = dec_rd_make(d->m->bytes, d->name_pos, d->name_end);
  while (!dec_rd_eof(&rd)) {
    uint8_t id = 0;
    uint32_t size = 0;
    if (!dec_u8(&rd, &id) || !dec_u32(&rd, &size) || size > dec_rd_left(&rd)) return;
    dec_rd sub = dec_rd_make(rd.buf, rd.pos, rd.pos + size);
    rd.pos += size;
    if (id == 0 && !d->m->name) {
      char *name = NULL;
      uint32_t len = 0;
      bool nomem = false;
      if (dec_name(&sub, &name, &len, &nomem)) d->m->name = name;
    } else if (id == 1) {
      read_function_names(d, &sub);
    }
  }
}
