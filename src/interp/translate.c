/*
** translate.c — validated Wasm function bodies to the internal code of
** code.h (prefix `tr_` for the translator's types).
**
** The translator walks the instruction bytes once, simulating the operand
** stack. Each stack entry is either "home" (its value sits in the slot of
** its height) or a lazy reference to a local: `local.get x` emits nothing
** and consumers read slot x directly. A lazy entry is copied to its home
** slot ("materialized") before anything could change x (local.set/tee x)
** and at every control-flow boundary, so a lazy entry only ever spans
** straight-line code.
**
** Peepholes, all restricted to the instruction emitted just before:
**  - `local.set x` after a producer rewrites the producer's dst to x;
**  - an i32 comparison (or eqz) followed by br_if/if becomes one branch;
**  - `i32.const k; i32.add` (and i64) becomes an add-immediate.
**
** Dead code after br/br_table/return/unreachable is skipped up to the end
** of its block, so the polymorphic stack never needs modelling.
*/
#include <stdlib.h>
#include <string.h>

#include "interp/code.h"
#include "interp/interp.h"

#define NONE UINT32_MAX

enum { CT_BLOCK, CT_LOOP, CT_IF, CT_ELSE, CT_FUNC };

typedef struct tr_ctrl {
  uint8_t kind;
  uint32_t height;    /* stack height below the block's parameters */
  uint32_t nparams, nresults;
  uint32_t start;     /* loop: code index of the header */
  uint32_t patches;   /* chain of unresolved forward rel words */
  uint32_t else_site; /* if: rel word of the br_z to the else arm */
} tr_ctrl;

typedef struct tr {
  const wt_module *mod;
  wt_engine *eng;
  const uint8_t *p, *start, *end;
  uint32_t base;             /* module offset of `start` */
  uint32_t nlocals;
  uint32_t *code;            uint32_t ncode, capcode;
  uint32_t *stack;           uint32_t height, capstack, maxh; /* NONE = home */
  tr_ctrl *ctrl;             uint32_t nctrl, capctrl;
  uint32_t *pcmap;           uint32_t npc, cappc; /* pairs */
  uint32_t last_pos;         /* start of the single producer just emitted */
  uint32_t prev_pos;         /* last_pos as it was before this instruction */
  bool dead;
  uint32_t dead_depth;
  bool oom, bad, ticks;
  bool simd; /* met a SIMD instruction (not supported yet) */
} tr;

/* Grows *arr to hold at least `need` elements of `size` bytes. */
static bool grow(void *arrp, uint32_t *cap, uint64_t need, size_t size) {
  if (need <= *cap) return true;
  uint64_t n = *cap ? (uint64_t)*cap * 2 : 64;
  while (n < need) n *= 2;
  if (n > UINT32_MAX / 2) return false;
  void **arr = arrp;
  void *q = realloc(*arr, (size_t)n * size);
  if (!q) return false;
  *arr = q;
  *cap = (uint32_t)n;
  return true;
}

/* ---- reading -------------------------------------------------------------- */

static uint64_t rd_uleb(tr *t) {
  uint64_t r = 0;
  unsigned shift = 0;
  while (t->p < t->end) {
    uint8_t b = *t->p++;
    if (shift < 64) r |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  return r;
}

static int64_t rd_sleb(tr *t) {
  uint64_t r = 0;
  unsigned shift = 0;
  uint8_t b = 0;
  while (t->p < t->end) {
    b = *t->p++;
    if (shift < 64) r |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  if (shift < 64 && (b & 0x40)) r |= ~(uint64_t)0 << shift;
  return (int64_t)r;
}

static uint32_t rd_u32(tr *t) { return (uint32_t)rd_uleb(t); }

static uint64_t rd_bytes(tr *t, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n && t->p < t->end; i++) v |= (uint64_t)*t->p++ << (8 * i);
  return v;
}

/* ---- emitting ------------------------------------------------------------- */

static uint32_t emit(tr *t, uint32_t w) {
  if (!grow(&t->code, &t->capcode, (uint64_t)t->ncode + 1, sizeof *t->code)) {
    t->oom = true;
    return t->ncode;
  }
  t->code[t->ncode] = w;
  return t->ncode++;
}

static void put(tr *t, uint32_t pos, uint32_t w) {
  if (pos < t->ncode) t->code[pos] = w;
}

static uint32_t home(const tr *t, uint32_t h) { return t->nlocals + h; }

static uint32_t slot_at(const tr *t, uint32_t h) {
  return t->stack[h] == NONE ? home(t, h) : t->stack[h];
}

static void push_entry(tr *t, uint32_t v) {
  if (!grow(&t->stack, &t->capstack, (uint64_t)t->height + 1, sizeof *t->stack)) {
    t->oom = true;
    return;
  }
  t->stack[t->height++] = v;
  if (t->height > t->maxh) t->maxh = t->height;
}

/* Pushes a value produced into its home slot; returns that slot. */
static uint32_t push_home(tr *t) {
  push_entry(t, NONE);
  return home(t, t->height - 1);
}

static uint32_t pop_slot(tr *t) {
  if (t->height == 0 || (t->nctrl && t->height < t->ctrl[t->nctrl - 1].height)) {
    t->bad = true;
    return home(t, 0);
  }
  t->height--;
  return slot_at(t, t->height);
}

/* Copies lazy entries at heights [from, height) to their home slots. */
static void mat_range(tr *t, uint32_t from) {
  for (uint32_t h = from; h < t->height; h++) {
    if (t->stack[h] == NONE) continue;
    emit(t, IOP_mov);
    emit(t, home(t, h));
    emit(t, t->stack[h]);
    t->stack[h] = NONE;
  }
}

/* Materializes every lazy reference to local x; true if any was. */
static bool mat_local(tr *t, uint32_t x) {
  bool any = false;
  for (uint32_t h = 0; h < t->height; h++) {
    if (t->stack[h] != x) continue;
    emit(t, IOP_mov);
    emit(t, home(t, h));
    emit(t, x);
    t->stack[h] = NONE;
    any = true;
  }
  return any;
}

static void record_pc(tr *t, uint32_t code_index, uint32_t offset) {
  if (t->npc && t->pcmap[2 * (t->npc - 1)] == code_index) {
    t->pcmap[2 * (t->npc - 1) + 1] = offset;
    return;
  }
  if (!grow(&t->pcmap, &t->cappc, 2 * ((uint64_t)t->npc + 1), sizeof *t->pcmap)) {
    t->oom = true;
    return;
  }
  t->pcmap[2 * t->npc] = code_index;
  t->pcmap[2 * t->npc + 1] = offset;
  t->npc++;
}

/* ---- branches --------------------------------------------------------------- */

static uint32_t label_arity(const tr_ctrl *c) {
  return c->kind == CT_LOOP ? c->nparams : c->nresults;
}

/* Writes at `pos` the relative target of a branch to label `c`. Forward
** targets join the label's patch chain (the word holds the next link). */
static void set_rel(tr *t, tr_ctrl *c, uint32_t pos) {
  if (c->kind == CT_LOOP) {
    put(t, pos, (uint32_t)((int64_t)c->start - pos));
  } else {
    put(t, pos, c->patches);
    if (pos < t->ncode) c->patches = pos;
  }
}

static void resolve_chain(tr *t, uint32_t chain, uint32_t target) {
  while (chain != NONE && chain < t->ncode) {
    uint32_t next = t->code[chain];
    t->code[chain] = target - chain;
    chain = next;
  }
}

/* True when the top n values are not already in the label's slots. */
static bool needs_moves(const tr *t, uint32_t dst_h, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (slot_at(t, t->height - n + i) != home(t, dst_h + i)) return true;
  return false;
}

/* Copies the top n values to the slots of heights dst_h.. without
** changing the simulated stack (the code may run on one path only).
** Ascending order is safe: a home source never lies below its target,
** and lazy sources are locals, below every home slot. */
static void emit_moves(tr *t, uint32_t dst_h, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    uint32_t src = slot_at(t, t->height - n + i), dst = home(t, dst_h + i);
    if (src == dst) continue;
    emit(t, IOP_mov);
    emit(t, dst);
    emit(t, src);
  }
}

/* Moves the results to slots 0..n and returns; leaves the stack as is. */
static void emit_return(tr *t) {
  uint32_t n = t->ctrl[0].nresults;
  if (n == 1) {
    uint32_t src = slot_at(t, t->height - 1);
    if (src != 0) {
      emit(t, IOP_mov);
      emit(t, 0);
      emit(t, src);
    }
  } else if (n > 1) {
    /* Lazy sources first go home, so no target local is read after
    ** being overwritten. */
    for (uint32_t h = t->height - n; h < t->height; h++) {
      if (t->stack[h] == NONE) continue;
      emit(t, IOP_mov);
      emit(t, home(t, h));
      emit(t, t->stack[h]);
    }
    for (uint32_t i = 0; i < n; i++) {
      uint32_t src = home(t, t->height - n + i);
      if (src == i) continue;
      emit(t, IOP_mov);
      emit(t, i);
      emit(t, src);
    }
  }
  emit(t, IOP_return);
}

/* Emits an unconditional branch to `c` (moves included). */
static void emit_branch(tr *t, tr_ctrl *c) {
  if (c->kind == CT_FUNC) {
    emit_return(t);
    return;
  }
  emit_moves(t, c->height, label_arity(c));
  emit(t, IOP_jmp);
  set_rel(t, c, emit(t, 0));
}

static tr_ctrl *label(tr *t, uint32_t depth) {
  if (depth >= t->nctrl) {
    t->bad = true;
    depth = t->nctrl - 1;
  }
  return &t->ctrl[t->nctrl - 1 - depth];
}

/* ---- fused conditions -------------------------------------------------------- */

#define TR_OP(n) IOP_i32_##n,
#define TR_OPI(n) IOP_i32_##n##_imm,
#define TR_BR(n) IOP_br_##n##_i32,
#define TR_BRI(n) IOP_br_##n##_i32_imm,
static const uint16_t CMP_OPS[] = {INTERP_I32_CMPS(TR_OP)};
static const uint16_t CMP_IMM_OPS[] = {INTERP_I32_CMPS(TR_OPI)};
static const uint16_t BR_OPS[] = {INTERP_I32_CMPS(TR_BR)};
static const uint16_t BR_IMM_OPS[] = {INTERP_I32_CMPS(TR_BRI)};
static const uint16_t IMM_FROM[] = {INTERP_I32_IMM_OPS(TR_OP)};
static const uint16_t IMM_TO[] = {INTERP_I32_IMM_OPS(TR_OPI)};
#undef TR_OP
#undef TR_OPI
#undef TR_BR
#undef TR_BRI
#define NCMP (sizeof CMP_OPS / sizeof CMP_OPS[0])
#define NIMM (sizeof IMM_FROM / sizeof IMM_FROM[0])
#define CMP_EQZ (-2)

/* If the instruction just emitted is an i32 comparison (register or
** immediate form, or eqz) writing `cond`, removes it and returns its index
** in INTERP_I32_CMPS (CMP_EQZ for eqz, -1 for none), operands in *a, *b. */
static int take_compare(tr *t, uint32_t cond, uint32_t *a, uint32_t *b, bool *imm) {
  uint32_t pos = t->prev_pos;
  if (pos == NONE || pos + 1 >= t->ncode || t->code[pos + 1] != cond) return -1;
  uint32_t op = t->code[pos];
  int k = -1;
  if (op == IOP_i32_eqz) k = CMP_EQZ;
  for (unsigned i = 0; i < NCMP && k == -1; i++) {
    if (op == CMP_OPS[i] || op == CMP_IMM_OPS[i]) k = (int)i;
  }
  uint32_t len = k == CMP_EQZ ? 3 : 4;
  if (k == -1 || pos + len != t->ncode) return -1;
  *imm = k >= 0 && op == CMP_IMM_OPS[k];
  *a = t->code[pos + 2];
  *b = k == CMP_EQZ ? 0 : t->code[pos + 3];
  t->ncode = pos;
  t->prev_pos = NONE;
  return k;
}

/* Emits "branch when cond != 0" (or == 0 with negate), fusing a preceding
** comparison; returns the position of the rel word. `mat_from` is the
** height from which lazy entries must be materialized first (NONE: none).
** The removed comparison's operands are popped slots or locals, which
** the materializing moves never write. */
static uint32_t emit_cond_branch(tr *t, uint32_t cond, bool negate, uint32_t mat_from) {
  uint32_t a = 0, b = 0;
  bool imm = false;
  int k = take_compare(t, cond, &a, &b, &imm);
  if (mat_from != NONE) mat_range(t, mat_from);
  if (k == CMP_EQZ) {
    emit(t, negate ? IOP_br_nz : IOP_br_z);
    emit(t, a);
  } else if (k >= 0) {
    unsigned j = negate ? (unsigned)k ^ 1u : (unsigned)k; /* negation pairs */
    emit(t, imm ? BR_IMM_OPS[j] : BR_OPS[j]);
    emit(t, a);
    emit(t, b);
  } else {
    emit(t, negate ? IOP_br_z : IOP_br_nz);
    emit(t, cond);
  }
  return emit(t, 0);
}

/* ---- control instructions ----------------------------------------------------- */

static bool is_valtype(uint8_t b) {
  return b == WT_I32 || b == WT_I64 || b == WT_F32 || b == WT_F64 || b == WT_V128 ||
         b == WT_FUNCREF || b == WT_EXTERNREF;
}

static void block_type(tr *t, uint32_t *np, uint32_t *nr) {
  *np = *nr = 0;
  if (t->p >= t->end) return;
  uint8_t b = *t->p;
  if (b == 0x40 || is_valtype(b)) {
    t->p++;
    *nr = b != 0x40;
    return;
  }
  int64_t idx = rd_sleb(t);
  if (idx < 0 || (uint64_t)idx >= t->mod->ntypes) {
    t->bad = true;
    return;
  }
  *np = t->mod->types[idx].nparams;
  *nr = t->mod->types[idx].nresults;
}

static void push_ctrl(tr *t, tr_ctrl c) {
  if (!grow(&t->ctrl, &t->capctrl, (uint64_t)t->nctrl + 1, sizeof *t->ctrl)) {
    t->oom = true;
    return;
  }
  t->ctrl[t->nctrl++] = c;
}

static void op_block(tr *t, uint8_t kind) {
  uint32_t np, nr;
  block_type(t, &np, &nr);
  tr_ctrl c = {kind, 0, np, nr, 0, NONE, NONE};
  if (kind == CT_IF) {
    uint32_t cond = pop_slot(t);
    c.else_site = emit_cond_branch(t, cond, true, 0);
  } else {
    mat_range(t, 0);
  }
  c.height = t->height >= np ? t->height - np : 0;
  c.start = t->ncode;
  if (kind == CT_LOOP && t->ticks) emit(t, IOP_tick);
  push_ctrl(t, c);
}

/* Resets the simulated stack to `h` home entries. */
static void reset_stack(tr *t, uint32_t h) {
  while (t->height > h) t->height--;
  while (t->height < h) push_entry(t, NONE);
  for (uint32_t i = 0; i < h; i++) t->stack[i] = NONE;
}

static void op_else(tr *t) {
  tr_ctrl *c = &t->ctrl[t->nctrl - 1];
  if (!t->dead) {
    mat_range(t, c->height);
    emit(t, IOP_jmp);
    set_rel(t, c, emit(t, 0));
  }
  if (c->else_site != NONE) put(t, c->else_site, t->ncode - c->else_site);
  c->else_site = NONE;
  c->kind = CT_ELSE;
  reset_stack(t, c->height + c->nparams);
  t->dead = false;
}

/* Returns true when the function's final `end` was reached. */
static bool op_end(tr *t) {
  tr_ctrl *c = &t->ctrl[t->nctrl - 1];
  if (c->kind == CT_FUNC) {
    if (!t->dead) emit_return(t);
    t->nctrl--;
    return true;
  }
  if (!t->dead) mat_range(t, c->height);
  if (c->else_site != NONE) put(t, c->else_site, t->ncode - c->else_site);
  resolve_chain(t, c->patches, t->ncode);
  reset_stack(t, c->height + c->nresults);
  t->nctrl--;
  t->dead = false;
  return false;
}

static void op_br_if(tr *t, uint32_t depth) {
  uint32_t cond = pop_slot(t);
  tr_ctrl *c = label(t, depth);
  if (c->kind != CT_FUNC && !needs_moves(t, c->height, label_arity(c))) {
    set_rel(t, c, emit_cond_branch(t, cond, false, NONE));
    return;
  }
  uint32_t skip = emit_cond_branch(t, cond, true, NONE);
  emit_branch(t, c);
  put(t, skip, t->ncode - skip);
}

/* br_table: the table holds one rel word per label; labels that need
** value moves get a stub after the table that moves and jumps. The
** labels are read twice (emit, then stubs) to avoid a temporary array. */
static void op_br_table(tr *t) {
  uint32_t idx = pop_slot(t);
  uint32_t n = rd_u32(t);
  emit(t, IOP_br_table);
  emit(t, idx);
  emit(t, n);
  uint32_t first = t->ncode;
  const uint8_t *labels = t->p;
  for (uint64_t i = 0; i <= n; i++) {
    tr_ctrl *c = label(t, rd_u32(t));
    uint32_t pos = emit(t, 0);
    if (c->kind != CT_FUNC && !needs_moves(t, c->height, label_arity(c))) set_rel(t, c, pos);
    if (t->oom || t->bad) return;
  }
  t->p = labels;
  for (uint64_t i = 0; i <= n; i++) {
    tr_ctrl *c = label(t, rd_u32(t));
    if (c->kind != CT_FUNC && !needs_moves(t, c->height, label_arity(c))) continue;
    uint32_t pos = first + (uint32_t)i;
    put(t, pos, t->ncode - pos);
    emit_branch(t, c);
  }
  t->dead = true;
}

/* ---- calls -------------------------------------------------------------------- */

/* Emits a call: the arguments go home (the callee frame starts at the
** first of them) and the results come back in the same slots. */
static void emit_call(tr *t, const mod_functype *ft, uint32_t op, uint32_t imm1, uint32_t imm2,
                      bool indirect) {
  uint32_t idx = indirect ? pop_slot(t) : 0;
  if (t->height < ft->nparams) {
    t->bad = true;
    return;
  }
  mat_range(t, t->height - ft->nparams);
  uint32_t argslot = home(t, t->height - ft->nparams);
  emit(t, op);
  emit(t, imm1);
  if (indirect) {
    emit(t, imm2);
    emit(t, idx);
  }
  emit(t, argslot);
  t->height -= ft->nparams;
  for (uint32_t i = 0; i < ft->nresults; i++) push_home(t);
}

static void op_call(tr *t) {
  uint32_t f = rd_u32(t);
  if (f >= t->mod->nfuncs_total) {
    t->bad = true;
    return;
  }
  emit_call(t, &t->mod->types[t->mod->func_types[f]], IOP_call, f, 0, false);
}

static void op_call_indirect(tr *t) {
  uint32_t ti = rd_u32(t), table = rd_u32(t);
  if (ti >= t->mod->ntypes) {
    t->bad = true;
    return;
  }
  uint32_t id = rt_intern_modtype(t->eng, &t->mod->types[ti]);
  if (id == UINT32_MAX) t->oom = true;
  emit_call(t, &t->mod->types[ti], IOP_call_indirect, id, table, true);
}

/* ---- locals ------------------------------------------------------------------- */

static void op_local_set(tr *t, uint32_t x, bool tee) {
  if (t->height == 0 || x >= t->nlocals) {
    t->bad = true;
    return;
  }
  uint32_t top = t->stack[t->height - 1];
  if (top == x) { /* x = x */
    if (!tee) t->height--;
    return;
  }
  bool copied = mat_local(t, x);
  uint32_t pos = t->prev_pos, src = slot_at(t, t->height - 1);
  if (!copied && top == NONE && pos != NONE && pos + 1 < t->ncode &&
      t->code[pos + 1] == src) {
    t->code[pos + 1] = x; /* the producer writes the local directly */
  } else {
    emit(t, IOP_mov);
    emit(t, x);
    emit(t, src);
  }
  if (tee) t->stack[t->height - 1] = x;
  else t->height--;
}

/* ---- generic instructions -------------------------------------------------------- */

typedef struct tr_opinfo {
  const char *sig;
  uint16_t iop;
  uint8_t imm;
  uint8_t valid;
} tr_opinfo;

#define TR_INFO(name, byte, imm, sig) [byte] = {sig, IOP_##name, imm, 1},
static const tr_opinfo OPS[256] = {WASM_OPCODES(TR_INFO)};
static const tr_opinfo OPS_FC[WASM_OPFC_COUNT] = {WASM_OPCODES_FC(TR_INFO)};
#undef TR_INFO

/* Decodes and emits the immediates of a generic instruction. */
static void emit_imms(tr *t, uint8_t imm) {
  switch (imm) {
  case IMM_MEMARG:
    rd_u32(t); /* alignment: a hint only */
    emit(t, rd_u32(t));
    break;
  case IMM_MEMORY: t->p++; break;
  case IMM_MEMORY_MEMORY: t->p += 2; break;
  case IMM_I32: emit(t, (uint32_t)rd_sleb(t)); break;
  case IMM_F32: emit(t, (uint32_t)rd_bytes(t, 4)); break;
  case IMM_I64:
  case IMM_F64: {
    uint64_t v = imm == IMM_I64 ? (uint64_t)rd_sleb(t) : rd_bytes(t, 8);
    emit(t, (uint32_t)v);
    emit(t, (uint32_t)(v >> 32));
    break;
  }
  case IMM_DATA_MEMORY:
    emit(t, rd_u32(t));
    t->p++;
    break;
  case IMM_TABLE:
  case IMM_DATA:
  case IMM_ELEM: emit(t, rd_u32(t)); break;
  case IMM_ELEM_TABLE:
  case IMM_TABLE_TABLE:
    emit(t, rd_u32(t));
    emit(t, rd_u32(t));
    break;
  default: break;
  }
}

/* `i32.const k; i32.<op>` -> i32_<op>_imm (and i64.add): removes the
** const and returns true. The const must be the second operand. */
static bool fold_const(tr *t, uint32_t op) {
  uint32_t to = NONE;
  if (op == IOP_i64_add) to = IOP_i64_add_imm;
  for (unsigned i = 0; i < NIMM && to == NONE; i++)
    if (op == IMM_FROM[i]) to = IMM_TO[i];
  if (to == NONE) return false;
  uint32_t pos = t->prev_pos;
  uint32_t cop = op == IOP_i64_add ? IOP_i64_const : IOP_i32_const;
  uint32_t len = op == IOP_i64_add ? 4 : 3;
  if (pos == NONE || pos + len != t->ncode || t->code[pos] != cop || t->height < 2 ||
      t->stack[t->height - 1] != NONE || t->code[pos + 1] != home(t, t->height - 1))
    return false;
  uint32_t lo = t->code[pos + 2], hi = len == 4 ? t->code[pos + 3] : 0;
  t->ncode = pos;
  t->height--;
  uint32_t a = pop_slot(t);
  uint32_t dst = push_home(t);
  t->last_pos = emit(t, to);
  emit(t, dst);
  emit(t, a);
  emit(t, lo);
  if (len == 4) emit(t, hi);
  return true;
}

/* Any instruction with a signature: [op, dst?, operands..., immediates]. */
static void op_generic(tr *t, const tr_opinfo *info) {
  const char *colon = strchr(info->sig, ':');
  uint32_t np = (uint32_t)(colon - info->sig), nr = (uint32_t)strlen(colon + 1);
  uint32_t iop = info->iop, args[3] = {0, 0, 0};
  if (iop == IOP_f32_const) iop = IOP_i32_const;
  if (iop == IOP_f64_const) iop = IOP_i64_const;
  if (np == 2 && info->imm == IMM_NONE && fold_const(t, iop)) return;
  if (np > 3 || t->height < np) {
    t->bad = true;
    return;
  }
  for (uint32_t i = np; i-- > 0;) args[i] = pop_slot(t);
  uint32_t pos = emit(t, iop);
  if (nr) {
    emit(t, push_home(t));
    t->last_pos = pos;
  }
  for (uint32_t i = 0; i < np; i++) emit(t, args[i]);
  emit_imms(t, info->imm);
}

/* Emits op with `nargs` popped operands and an optional result slot. */
static void emit_popped(tr *t, uint32_t op, uint32_t nargs, bool result, uint32_t imm) {
  uint32_t args[3] = {0, 0, 0};
  for (uint32_t i = nargs; i-- > 0;) args[i] = pop_slot(t);
  uint32_t pos = emit(t, op);
  if (result) {
    emit(t, push_home(t));
    t->last_pos = pos;
  }
  if (imm != NONE) emit(t, imm);
  for (uint32_t i = 0; i < nargs; i++) emit(t, args[i]);
}

/* Instructions whose typing is special (NULL signature), except control. */
static void op_special(tr *t, uint8_t op) {
  switch (op) {
  case WASM_OP_drop: pop_slot(t); break;
  case WASM_OP_select_t: {
    uint32_t n = rd_u32(t);
    t->p += n;
  } /* fallthrough */
  case WASM_OP_select: emit_popped(t, IOP_select, 3, true, NONE); break;
  case WASM_OP_local_get: {
    uint32_t x = rd_u32(t);
    if (x >= t->nlocals) t->bad = true;
    else push_entry(t, x);
    break;
  }
  case WASM_OP_local_set: op_local_set(t, rd_u32(t), false); break;
  case WASM_OP_local_tee: op_local_set(t, rd_u32(t), true); break;
  case WASM_OP_global_get: emit_popped(t, IOP_global_get, 0, true, rd_u32(t)); break;
  case WASM_OP_global_set: emit_popped(t, IOP_global_set, 1, false, rd_u32(t)); break;
  case WASM_OP_table_get: emit_popped(t, IOP_table_get, 1, true, rd_u32(t)); break;
  case WASM_OP_table_set: emit_popped(t, IOP_table_set, 2, false, rd_u32(t)); break;
  case WASM_OP_ref_null:
    t->p++;
    emit_popped(t, IOP_i64_const, 0, true, 0);
    emit(t, 0);
    break;
  case WASM_OP_ref_is_null: emit_popped(t, IOP_i64_eqz, 1, true, NONE); break;
  case WASM_OP_ref_func: emit_popped(t, IOP_ref_func, 0, true, rd_u32(t)); break;
  case WASM_OP_call: op_call(t); break;
  case WASM_OP_call_indirect: op_call_indirect(t); break;
  default: t->bad = true; break;
  }
}

static void op_fc(tr *t) {
  uint32_t sub = rd_u32(t);
  if (sub >= WASM_OPFC_COUNT || !OPS_FC[sub].valid) {
    t->bad = true;
    return;
  }
  if (OPS_FC[sub].sig) {
    op_generic(t, &OPS_FC[sub]);
    return;
  }
  uint32_t table = rd_u32(t);
  if (sub == WASM_OPFC_table_grow) emit_popped(t, IOP_table_grow, 2, true, table);
  else emit_popped(t, IOP_table_fill, 3, false, table); /* table_fill */
}

/* Skips one instruction of dead code, tracking nested blocks. Returns
** true when the instruction ends the dead region (else/end at depth 0). */
static bool skip_dead(tr *t, uint8_t op) {
  switch (op) {
  case WASM_OP_block:
  case WASM_OP_loop:
  case WASM_OP_if: {
    uint32_t np, nr;
    block_type(t, &np, &nr);
    t->dead_depth++;
    return false;
  }
  case WASM_OP_else:
  case WASM_OP_end:
    if (t->dead_depth == 0) return true;
    if (op == WASM_OP_end) t->dead_depth--;
    return false;
  case WASM_OP_br_table: {
    uint32_t n = rd_u32(t);
    for (uint64_t i = 0; i <= n && t->p < t->end; i++) rd_u32(t);
    return false;
  }
  case WASM_OP_call_indirect: rd_u32(t); rd_u32(t); return false;
  case WASM_OP_select_t: t->p += rd_u32(t); return false;
  case WASM_OP_ref_null: t->p++; return false;
  case WASM_PREFIX_FC: {
    uint32_t sub = rd_u32(t);
    if (sub < WASM_OPFC_COUNT) emit_imms(t, OPS_FC[sub].imm);
    return false;
  }
  default: break;
  }
  uint8_t imm = OPS[op].imm;
  if (imm == IMM_LABEL || imm == IMM_FUNC || imm == IMM_LOCAL || imm == IMM_GLOBAL ||
      imm == IMM_TABLE)
    rd_u32(t);
  else if (imm != IMM_NONE)
    emit_imms(t, imm);
  return false;
}

/* Translates one instruction; returns true after the function's end. */
static bool step(tr *t) {
  uint8_t op = *t->p++;
  if (t->dead) {
    uint32_t keep = t->ncode;
    bool live = skip_dead(t, op);
    t->ncode = keep; /* emit_imms may have emitted words */
    if (!live) return false;
    t->dead_depth = 0;
  }
  switch (op) {
  case WASM_OP_unreachable: emit(t, IOP_unreachable); t->dead = true; break;
  case WASM_OP_nop: break;
  case WASM_OP_block: op_block(t, CT_BLOCK); break;
  case WASM_OP_loop: op_block(t, CT_LOOP); break;
  case WASM_OP_if: op_block(t, CT_IF); break;
  case WASM_OP_else: op_else(t); break;
  case WASM_OP_end: return op_end(t);
  case WASM_OP_br: emit_branch(t, label(t, rd_u32(t))); t->dead = true; break;
  case WASM_OP_br_if: op_br_if(t, rd_u32(t)); break;
  case WASM_OP_br_table: op_br_table(t); break;
  case WASM_OP_return: emit_return(t); t->dead = true; break;
  case WASM_PREFIX_FC: op_fc(t); break;
  case WASM_PREFIX_SIMD: t->simd = t->bad = true; break;
  default:
    if (!OPS[op].valid) t->bad = true;
    else if (OPS[op].sig) op_generic(t, &OPS[op]);
    else op_special(t, op);
    break;
  }
  return false;
}

/* ---- entry points -------------------------------------------------------------- */

static void tr_free(tr *t) {
  free(t->code);
  free(t->stack);
  free(t->ctrl);
  free(t->pcmap);
}

/* Builds the interp_code of a finished translation (takes its arrays). */
static interp_code *finish(tr *t, const wt_module *mod, uint32_t index) {
  const mod_func *f = &mod->funcs[index];
  const mod_functype *ft = &mod->types[f->type_index];
  interp_code *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->code = t->code;
  c->ncode = t->ncode;
  c->nparams = ft->nparams;
  c->nresults = ft->nresults;
  c->nlocals = t->nlocals;
  c->frame_slots = t->nlocals + t->maxh;
  if (c->frame_slots < c->nresults) c->frame_slots = c->nresults;
  c->func_index = mod->nfunc_imports + index;
  c->debug_name = f->debug_name;
  c->pcmap = t->pcmap;
  c->npcmap = t->npc;
  t->code = NULL;
  t->pcmap = NULL;
  return c;
}

/* Translates defined function `index`; stores the result in ->compiled. */
static wt_status translate_func(wt_module *mod, uint32_t index, wt_error *err) {
  mod_func *f = &mod->funcs[index];
  const mod_functype *ft = &mod->types[f->type_index];
  tr t;
  memset(&t, 0, sizeof t);
  t.mod = mod;
  t.eng = mod->engine;
  t.p = t.start = f->code;
  t.end = f->code + f->code_len;
  t.base = f->code_offset;
  t.nlocals = ft->nparams + f->nlocals;
  t.last_pos = t.prev_pos = NONE;
  t.ticks = mod->engine && mod->engine->config.timeout_ms != 0;
  push_ctrl(&t, (tr_ctrl){CT_FUNC, 0, 0, ft->nresults, 0, NONE, NONE});
  if (t.ticks) emit(&t, IOP_tick);
  bool done = false;
  while (!done && t.p < t.end && !t.oom && !t.bad) {
    uint32_t start = t.ncode, off = t.base + (uint32_t)(t.p - t.start);
    t.prev_pos = t.last_pos;
    t.last_pos = NONE;
    done = step(&t);
    if (t.ncode > start) record_pc(&t, start, off);
  }
  wt_status st = WT_OK;
  if (t.oom) st = mod_fail(err, WT_ERR_NOMEM, t.base, "out of memory translating a function");
  else if (t.simd)
    st = mod_fail(err, WT_ERR_UNSUPPORTED, t.base + (uint32_t)(t.p - t.start) - 1,
                  "SIMD instructions are not supported by the interpreter yet");
  else if (t.bad || !done)
    st = mod_fail(err, WT_ERR_INVALID, t.base, "function %u cannot be translated",
                  mod->nfunc_imports + index);
  else if (!(f->compiled = finish(&t, mod, index)))
    st = mod_fail(err, WT_ERR_NOMEM, t.base, "out of memory translating a function");
  tr_free(&t);
  return st;
}

wt_status interp_prepare(wt_module *module, wt_error *err) {
  for (uint32_t i = 0; i < module->nfuncs; i++) {
    wt_status st = translate_func(module, i, err);
    if (st != WT_OK) return st;
  }
  return WT_OK;
}

void interp_release(mod_func *func) {
  if (!func || !func->compiled) return;
  interp_code *c = func->compiled;
  free(c->code);
  free(c->pcmap);
  free(c);
  func->compiled = NULL;
}
