/*
** peephole.c — the translator's fusions (see translate.c's header for the
** list): each looks at the instruction emitted just before (t->prev_pos)
** and, when that instruction produced a temporary the current one
** consumes, rewrites the two into one internal op of code.h.
*/
#include "interp/tr.h"

/* ---- fused conditions -------------------------------------------------------- */

#define TR_OP(n) IOP_i32_##n,
#define TR_OPI(n) IOP_i32_##n##_imm,
#define TR_BR(n) IOP_br_##n##_i32,
#define TR_BRI(n) IOP_br_##n##_i32_imm,
#define TR_ABR(n) IOP_add_br_##n##_i32,
#define TR_ABRI(n) IOP_add_br_##n##_i32_imm,
static const uint16_t CMP_OPS[] = {INTERP_I32_CMPS(TR_OP)};
static const uint16_t CMP_IMM_OPS[] = {INTERP_I32_CMPS(TR_OPI)};
static const uint16_t BR_OPS[] = {INTERP_I32_CMPS(TR_BR)};
static const uint16_t BR_IMM_OPS[] = {INTERP_I32_CMPS(TR_BRI)};
static const uint16_t ADD_BR_OPS[] = {INTERP_I32_CMPS(TR_ABR)};
static const uint16_t ADD_BR_IMM_OPS[] = {INTERP_I32_CMPS(TR_ABRI)};
static const uint16_t IMM_FROM[] = {INTERP_I32_IMM_OPS(TR_OP)};
static const uint16_t IMM_TO[] = {INTERP_I32_IMM_OPS(TR_OPI)};
#undef TR_OP
#undef TR_OPI
#undef TR_BR
#undef TR_BRI
#undef TR_ABR
#undef TR_ABRI
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

/* The compare-and-branch about to be emitted at the code's end (the
** compare it replaced began there) directly follows an i32_add_imm that
** the step before emitted alone, with no branch target between them:
** start of that add, else NONE. */
static uint32_t latch_add(const tr *t) {
  uint32_t c = t->ncode, add = t->add_prev;
  if (add == NONE || add + 4 != c || t->label_pos == c || t->code[add] != IOP_i32_add_imm)
    return NONE;
  return add;
}

#define TR_FC(n) IOP_f32_##n,
#define TR_BRF(n) IOP_br_f32_##n,
#define TR_BRFN(n) IOP_br_f32_n##n,
static const uint16_t FCMP_OPS[] = {INTERP_F32_CMPS(TR_FC)};
static const uint16_t BRF_OPS[] = {INTERP_F32_CMPS(TR_BRF)};
static const uint16_t BRFN_OPS[] = {INTERP_F32_CMPS(TR_BRFN)};
#undef TR_FC
#undef TR_BRF
#undef TR_BRFN

/* Like take_compare, for the f32 comparisons of INTERP_F32_CMPS: returns
** the index there (or -1) and removes the comparison. */
static int take_fcompare(tr *t, uint32_t cond, uint32_t *a, uint32_t *b) {
  uint32_t pos = t->prev_pos;
  if (pos == NONE || pos + 4 != t->ncode || t->code[pos + 1] != cond) return -1;
  for (unsigned i = 0; i < sizeof FCMP_OPS / sizeof FCMP_OPS[0]; i++) {
    if (t->code[pos] != FCMP_OPS[i]) continue;
    *a = t->code[pos + 2];
    *b = t->code[pos + 3];
    t->ncode = pos;
    t->prev_pos = NONE;
    return (int)i;
  }
  return -1;
}

/* br_if on the result of an i32 add/sub-immediate emitted just before
** (a count-down loop: `i32.sub k; local.tee n; br_if`): turns the add into
** the loop-latch op add_br_ne_i32_imm (add_br_eq with negate) comparing
** its own result with 0, and returns the position of the rel word; NONE
** when the pattern does not apply. Only for br_if (no moves between) and
** with no branch target between the add and the branch. */
static uint32_t fuse_add_branch(tr *t, uint32_t cond, bool negate) {
  uint32_t pos = t->prev_pos != NONE ? t->prev_pos : t->tee_pos;
  if (pos == NONE || pos + 4 != t->ncode || t->label_pos == t->ncode || t->code[pos + 1] != cond)
    return NONE;
  uint32_t op = t->code[pos];
  if (op != IOP_i32_add_imm && op != IOP_i32_sub_imm) return NONE;
  if (op == IOP_i32_sub_imm) t->code[pos + 3] = 0u - t->code[pos + 3]; /* a - k = a + (-k) */
  t->code[pos] = negate ? IOP_add_br_eq_i32_imm : IOP_add_br_ne_i32_imm;
  emit(t, cond);
  emit(t, 0);
  return emit(t, 0);
}

/* Emits "branch when cond != 0" (or == 0 with negate), fusing a preceding
** comparison; returns the position of the rel word. `mat_from` is the
** block base for mat_block, which materializes lazy entries first (NONE:
** none).
** The removed comparison's operands are popped slots or locals, which
** the materializing moves never write. */
uint32_t tr_emit_cond_branch(tr *t, uint32_t cond, bool negate, uint32_t mat_from) {
  uint32_t a = 0, b = 0;
  bool imm = false;
  int k = take_compare(t, cond, &a, &b, &imm);
  int fk = k == -1 ? take_fcompare(t, cond, &a, &b) : -1;
  if (k == -1 && fk == -1 && mat_from == NONE) {
    uint32_t rel = fuse_add_branch(t, cond, negate);
    if (rel != NONE) return rel;
  }
  if (mat_from != NONE) mat_block(t, mat_from);
  if (fk >= 0) {
    emit(t, negate ? BRFN_OPS[fk] : BRF_OPS[fk]);
    emit(t, a);
    emit(t, b);
  } else if (k == CMP_EQZ) {
    emit(t, negate ? IOP_br_nz : IOP_br_z);
    emit(t, a);
  } else if (k >= 0) {
    unsigned j = negate ? (unsigned)k ^ 1u : (unsigned)k; /* negation pairs */
    uint32_t add = mat_from == NONE ? latch_add(t) : NONE;
    if (add != NONE) { /* one op: the add's 4 words stay, the op word changes */
      if (t->npc && t->pcmap[2 * (t->npc - 1)] == t->ncode) t->npc--; /* the compare's */
      t->code[add] = imm ? ADD_BR_IMM_OPS[j] : ADD_BR_OPS[j];
    } else {
      emit(t, imm ? BR_IMM_OPS[j] : BR_OPS[j]);
    }
    emit(t, a);
    emit(t, b);
  } else {
    emit(t, negate ? IOP_br_z : IOP_br_nz);
    emit(t, cond);
  }
  return emit(t, 0);
}

/* Immediate forms that absorb the 4-word op just emitted when it produced
** their operand as a temporary: `to` after `prod` becomes `fused`, with
** prod's two operand words and then the immediate. */
static const uint16_t IMM_AFTER[][3] = {
    {IOP_i32_and_imm, IOP_i32_shr_u_imm, IOP_i32_shr_u_and},                /* (a >> s) & m */
    {IOP_i32_shl_imm, IOP_i32x4_extract_lane, IOP_i32x4_extract_lane_shl}, /* lane << k */
};

/* Emits the fused form of immediate op `to` (constant v) when the op just
** emitted is its IMM_AFTER producer writing the operand below the lazy
** constant on top; true if it did. (With a following add, fuse_pair turns
** extract_lane_shl into i32x4_extract_shladd.) */
static bool fold_into_prev(tr *t, uint32_t to, uint64_t v) {
  uint32_t pos = t->prev_pos, fused = NONE;
  if (pos == NONE || pos + 4 != t->ncode || t->stack[t->height - 2].src != NONE ||
      t->code[pos + 1] != home(t, t->height - 2))
    return false;
  for (unsigned i = 0; i < sizeof IMM_AFTER / sizeof IMM_AFTER[0]; i++)
    if (IMM_AFTER[i][0] == to && IMM_AFTER[i][1] == t->code[pos]) fused = IMM_AFTER[i][2];
  if (fused == NONE) return false;
  uint32_t a = t->code[pos + 2], b = t->code[pos + 3];
  t->ncode = pos;
  t->height -= 2;
  uint32_t dst = push_home(t, 1);
  t->last_pos = emit(t, fused);
  emit(t, dst);
  emit(t, a);
  emit(t, b);
  emit(t, (uint32_t)v);
  return true;
}

/* `(a << k) >> k` (arithmetic) with k 16 or 24, the shift's result a
** temporary: emits the sign extension i32.extend16_s / extend8_s; true
** if it did. */
static bool fold_sext(tr *t, uint32_t to, uint64_t v) {
  uint32_t pos = t->prev_pos, k = (uint32_t)v & 31;
  if (to != IOP_i32_shr_s_imm || (k != 16 && k != 24) || pos == NONE || pos + 4 != t->ncode ||
      t->code[pos] != IOP_i32_shl_imm || (t->code[pos + 3] & 31) != k ||
      t->stack[t->height - 2].src != NONE || t->code[pos + 1] != home(t, t->height - 2))
    return false;
  uint32_t a = t->code[pos + 2];
  t->ncode = pos;
  t->height -= 2;
  uint32_t dst = push_home(t, 1);
  t->last_pos = emit(t, k == 16 ? IOP_i32_extend16_s : IOP_i32_extend8_s);
  emit(t, dst);
  emit(t, a);
  return true;
}

/* Folds a lazy constant on top into the immediate form `to` of op. */
static void fold_const_slot(tr *t, uint32_t op, uint32_t to) {
  uint64_t v = t->cval[t->stack[t->height - 1].src - t->nlocals];
  if (fold_into_prev(t, to, v) || fold_sext(t, to, v)) return;
  t->height--;
  uint32_t a = pop_slot(t);
  uint32_t dst = push_home(t, 1);
  t->last_pos = emit(t, to);
  emit(t, dst);
  emit(t, a);
  emit(t, (uint32_t)v);
  if (op == IOP_i64_add) emit(t, (uint32_t)(v >> 32));
}

/* `i32.const k; i32.<op>` -> i32_<op>_imm (and i64.add): removes the
** const (an emitted op or a lazy constant slot) and returns true. The
** const must be the second operand. */
bool tr_fold_const(tr *t, uint32_t op) {
  uint32_t to = NONE;
  if (op == IOP_i64_add) to = IOP_i64_add_imm;
  for (unsigned i = 0; i < NIMM && to == NONE; i++)
    if (op == IMM_FROM[i]) to = IMM_TO[i];
  if (to == NONE) return false;
  if (t->height >= 2 && is_const_slot(t, t->stack[t->height - 1].src)) {
    fold_const_slot(t, op, to);
    return true;
  }
  uint32_t pos = t->prev_pos;
  uint32_t cop = op == IOP_i64_add ? IOP_i64_const : IOP_i32_const;
  uint32_t len = op == IOP_i64_add ? 4 : 3;
  if (pos == NONE || pos + len != t->ncode || t->code[pos] != cop || t->height < 2 ||
      t->stack[t->height - 1].src != NONE || t->code[pos + 1] != home(t, t->height - 1))
    return false;
  uint32_t lo = t->code[pos + 2], hi = len == 4 ? t->code[pos + 3] : 0;
  t->ncode = pos;
  t->height--;
  uint32_t a = pop_slot(t);
  uint32_t dst = push_home(t, 1);
  t->last_pos = emit(t, to);
  emit(t, dst);
  emit(t, a);
  emit(t, lo);
  if (len == 4) emit(t, hi);
  return true;
}

#define TR_LD(n, T, c) IOP_##n,
#define TR_LAI(n, T, c) IOP_##n##_ai,
#define TR_LAR(n, T, c) IOP_##n##_ar,
static const uint16_t LD_OPS[] = {INTERP_FUSED_LOADS(TR_LD)};
static const uint16_t LD_AI_OPS[] = {INTERP_FUSED_LOADS(TR_LAI)};
static const uint16_t LD_AR_OPS[] = {INTERP_FUSED_LOADS(TR_LAR)};
#undef TR_LD
#undef TR_LAI
#undef TR_LAR

/* `i32.add` / `i32_add_imm` / `i32_sub_imm` just emitted, whose result is
** the temporary on top (so the load is its only reader), followed by a
** load -> one fused load that adds itself. Saves a dispatch and a slot
** round trip on the address chain. Returns true when fused. */
bool tr_fuse_load(tr *t, uint32_t op) {
  unsigned k = 0, n = sizeof LD_OPS / sizeof LD_OPS[0];
  while (k < n && LD_OPS[k] != op) k++;
  uint32_t pos = t->prev_pos;
  if (k == n || pos == NONE || pos + 4 != t->ncode || t->height < 1 ||
      t->stack[t->height - 1].src != NONE || t->code[pos + 1] != home(t, t->height - 1))
    return false;
  uint32_t aop = t->code[pos], a = t->code[pos + 2], b = t->code[pos + 3], fop;
  if (aop == IOP_i32_add) fop = LD_AR_OPS[k];
  else if (aop == IOP_i32_add_imm) fop = LD_AI_OPS[k];
  else if (aop == IOP_i32_sub_imm) fop = LD_AI_OPS[k], b = 0u - b; /* a - k = a + (-k) mod 2^32 */
  else return false;
  t->ncode = pos;
  t->height--;
  rd_u32(t); /* alignment: a hint only */
  uint32_t offset = rd_u32(t);
  uint32_t dst = push_home(t, 1);
  t->last_pos = emit(t, fop);
  emit(t, dst);
  emit(t, a);
  emit(t, b);
  emit(t, offset);
  repoint_pc(t, pos);
  return true;
}

/* Pairs fused by fuse_pair: a producer `prod` of `len` words whose result
** is one operand of the binary `op` that follows becomes `to`, with the
** producer's operands, then the other operand of op. */
typedef struct tr_pair {
  uint16_t op, prod, len, to;
} tr_pair;
static const tr_pair PAIRS[] = {
    {IOP_f32_add, IOP_f32_mul, 4, IOP_f32_muladd},     /* x*y + c */
    {IOP_f64_add, IOP_f64_mul, 4, IOP_f64_muladd},
    {IOP_f32_add, IOP_f32_submul, 5, IOP_f32_lerp},    /* (a-b)*y + c */
    {IOP_f32_mul, IOP_f32_sub, 4, IOP_f32_submul},     /* (a-b)*y */
    {IOP_i32_add, IOP_i32_mul, 4, IOP_i32_muladd},     /* x*y + c */
    {IOP_i32_add, IOP_i32_mul_imm, 4, IOP_i32_muladd_imm}, /* x*k + c */
    {IOP_i32_add, IOP_i32_shl_imm, 4, IOP_i32_shladd},     /* (x << k) + c */
    {IOP_i32_add, IOP_i32x4_extract_lane_shl, 5, IOP_i32x4_extract_shladd},
    {IOP_i32x4_add, IOP_i32x4_mul, 4, IOP_i32x4_muladd},   /* v128 results */
    {IOP_v128_and, IOP_i32x4_shr_u, 4, IOP_i32x4_shr_u_and},
};

/* A producer of PAIRS just emitted, its result a temporary that is either
** operand of the binary op that follows -> one fused op (each step still
** rounds as before). The result is the top, or just below a lazy
** local/constant pushed after it (translate_func lets last_pos see
** through such pushes). The ops are commutative in the operand that is
** moved: exactly for integer add and v128.and; for f32/f64 add and mul a NaN result may
** carry either operand's payload, which Wasm allows, so x op y and
** y op x are the same op. */
bool tr_fuse_pair(tr *t, uint32_t op) {
  uint32_t pos = t->prev_pos;
  if (pos == NONE || t->height < 2) return false;
  const tr_pair *pr = NULL;
  for (unsigned i = 0; i < sizeof PAIRS / sizeof PAIRS[0] && !pr; i++)
    if (PAIRS[i].op == op && t->code[pos] == PAIRS[i].prod && pos + PAIRS[i].len == t->ncode)
      pr = &PAIRS[i];
  if (!pr) return false;
  const tr_ent *p = &t->stack[t->height - 1], *q = &t->stack[t->height - 2];
  uint32_t res = t->code[pos + 1], other;
  if (p->src == NONE && res == home(t, t->height - 1)) other = slot_at(t, t->height - 2);
  else if (q->src == NONE && p->src != NONE && res == home(t, t->height - 2)) other = p->src;
  else return false;
  uint32_t args[3], nargs = pr->len - 2u, w = p->w;
  for (uint32_t i = 0; i < nargs; i++) args[i] = t->code[pos + 2 + i];
  t->ncode = pos;
  t->height -= 2;
  uint32_t dst = push_home(t, w);
  t->last_pos = emit(t, pr->to);
  emit(t, dst);
  for (uint32_t i = 0; i < nargs; i++) emit(t, args[i]);
  emit(t, other);
  repoint_pc(t, pos);
  return true;
}

/* `i32.load8_u` (plain or address-fused) just emitted, its result the
** temporary on top, then f32.convert_i32_u -> the load converts itself
** (same slot, same trap site). Returns true when fused. */
bool tr_fuse_load_convert(tr *t, uint32_t op) {
  uint32_t pos = t->prev_pos;
  if (op != IOP_f32_convert_i32_u || pos == NONE || t->height < 1 ||
      t->stack[t->height - 1].src != NONE || pos + 1 >= t->ncode ||
      t->code[pos + 1] != home(t, t->height - 1))
    return false;
  uint32_t lop = t->code[pos], to;
  if (lop == IOP_i32_load8_u && pos + 4 == t->ncode) to = IOP_f32_load8_u;
  else if (lop == IOP_i32_load8_u_ai && pos + 5 == t->ncode) to = IOP_f32_load8_u_ai;
  else if (lop == IOP_i32_load8_u_ar && pos + 5 == t->ncode) to = IOP_f32_load8_u_ar;
  else return false;
  t->code[pos] = to;
  t->last_pos = pos;
  return true;
}

/* `f32.lt` / `f32.gt` (just emitted, or just before a local.tee that made
** it write the local) whose result is the condition of a scalar select ->
** one fused op that still writes the comparison's slot. Only this peephole
** looks through local.tee: the others assume the producer's result is a
** temporary, which a tee'd local is not. */
bool tr_fuse_cmp_select(tr *t) {
  uint32_t pos = t->prev_pos != NONE ? t->prev_pos : t->tee_pos;
  if (pos == NONE || pos + 4 != t->ncode || t->height < 3 || t->stack[t->height - 2].w != 1)
    return false;
  uint32_t op = t->code[pos], cslot = slot_at(t, t->height - 1);
  if ((op != IOP_f32_lt && op != IOP_f32_gt) || t->code[pos + 1] != cslot) return false;
  uint32_t a = t->code[pos + 2], b = t->code[pos + 3];
  t->ncode = pos;
  t->height--;
  uint32_t y = pop_slot(t), x = pop_slot(t);
  uint32_t dst = push_home(t, 1);
  t->last_pos = emit(t, op == IOP_f32_lt ? IOP_select_f32_lt : IOP_select_f32_gt);
  emit(t, dst);
  emit(t, x);
  emit(t, y);
  emit(t, a);
  emit(t, b);
  emit(t, cslot);
  repoint_pc(t, pos);
  return true;
}

