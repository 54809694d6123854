/*
** translate.c — validated Wasm function bodies to the internal code of
** code.h (prefix `tr_` for the translator's types).
**
** The translator walks the instruction bytes once, simulating the operand
** stack, after a pre-pass that pools the constants used in loops into
** constant slots (scan_consts). Each stack entry is either "home" (its
** value sits in the slot of its height) or a lazy reference to a local or
** a constant slot: `local.get x` and a pooled `*.const` emit nothing and
** consumers read the slot directly. A lazy entry is copied to its home
** slot ("materialized") before anything could change x (local.set/tee x)
** and at every control-flow boundary, so a lazy entry only ever spans
** straight-line code.
**
** Peepholes, all restricted to the instruction emitted just before:
**  - `local.set x` after a producer rewrites the producer's dst to x;
**  - an i32 comparison (or eqz) followed by br_if/if becomes one branch;
**  - `i32.const k; i32.add` (and i64) becomes an add-immediate;
**  - an address add (register or immediate) followed by a load becomes an
**    address-fused load (code.h's INTERP_FUSED_LOADS);
**  - f32/f64 mul followed by an add of the product becomes a muladd;
**  - f32.lt/gt followed by the select it feeds (also through a local.tee)
**    becomes one select;
**  - an add-immediate directly followed by a compare-and-branch (the loop
**    latch) becomes one op.
** A lazy push keeps the instruction before it visible (see translate_func).
**
** Dead code after br/br_table/return/unreachable is skipped up to the end
** of its block, so the polymorphic stack never needs modelling.
**
** Each stack entry records its width in slots (2 for v128, else 1) and
** its slot offset above the locals, so heights map to the packed slot
** layout of code.h; block and function types give the widths of values a
** label receives.
*/
#include <stdlib.h>
#include <string.h>

#include "interp/code.h"
#include "interp/interp.h"

#define NONE UINT32_MAX

/* Constant slots per function (distinct scalar values; more are emitted
** as const ops) and the size of their hash table (a power of two, at least
** twice as large, so probes stay short). */
#define TR_CONST_MAX 256u
#define TR_CONST_HASH_BITS 9u
#define TR_CONST_HASH (1u << TR_CONST_HASH_BITS)

/* Block pre-scan (scan_block): at most this many body bytes are looked at
** (past that every lazy entry is materialized, as if all locals were
** written), and at most this many distinct written locals are kept. */
#define TR_SCAN_BYTES 4096u
#define TR_SCAN_LOCALS 32u

enum { CT_BLOCK, CT_LOOP, CT_IF, CT_ELSE, CT_FUNC };

typedef struct tr_ctrl {
  uint8_t kind;
  uint8_t vt;         /* single result type (ti == NONE), 0 for none */
  uint32_t ti;        /* block type index, or NONE */
  uint32_t height;    /* stack height below the block's parameters */
  uint32_t base_off;  /* slot offset of that height */
  uint32_t nparams, nresults;
  uint32_t start;     /* loop: code index of the header */
  uint32_t patches;   /* chain of unresolved forward rel words */
  uint32_t else_site; /* if: rel word of the br_z to the else arm */
  uint32_t res_slot;  /* block/if with one result stored into a local right
                      ** after its end: that local's slot (the result is
                      ** written there on every exit), or NONE = home */
} tr_ctrl;

/* One simulated stack entry. */
typedef struct tr_ent {
  uint32_t src;  /* slot of the local it lazily refers to, or NONE = home */
  uint32_t off;  /* home slot minus the locals' slot count */
  uint32_t w;    /* width in slots */
} tr_ent;

typedef struct tr {
  const wt_module *mod;
  wt_engine *eng;
  const uint8_t *p, *start, *end;
  uint32_t base;             /* module offset of `start` */
  uint32_t nvals;            /* locals (params included), in values */
  uint32_t nlocals;          /* the same in slots */
  uint32_t hbase;            /* first operand-stack slot: nlocals + nconst */
  uint32_t nconst;           /* constant slots [nlocals, hbase), values in cval */
  uint64_t cval[TR_CONST_MAX];
  uint16_t chash[TR_CONST_HASH]; /* open addressing: index + 1, 0 = empty */
  bool cpair[TR_CONST_MAX];  /* entry i starts a v128 pair (i, i + 1) */
  uint32_t *lslot;           /* per local: its slot */
  uint8_t *lwidth;           /* per local: its width */
  uint32_t *code;            uint32_t ncode, capcode;
  tr_ent *stack;             uint32_t height, capstack, maxtop; /* maxtop: slots */
  tr_ctrl *ctrl;             uint32_t nctrl, capctrl;
  uint32_t *pcmap;           uint32_t npc, cappc; /* pairs */
  uint32_t last_pos;         /* start of the single producer just emitted */
  uint32_t prev_pos;         /* last_pos as it was before this instruction */
  uint32_t cur_off;          /* module offset of the instruction being translated */
  uint32_t tee_pos;          /* producer whose dst the last local.tee rewrote, or NONE */
  uint32_t label_pos;        /* code index of the latest branch target placed */
  uint32_t last_mov;         /* start of the latest scalar mov emitted (for mov2) */
  uint32_t add_cur, add_prev; /* an i32_add_imm that was all the code emitted by
                             ** the latest emitting step / the one before (or NONE) */
  uint32_t wr[TR_SCAN_LOCALS]; /* slots of the locals the block being opened writes */
  uint32_t nwr;              /* their count, or NONE: unknown, assume all */
  bool dead;
  uint32_t dead_depth;
  bool oom, bad, ticks;
} tr;

static uint32_t width_of(uint8_t valtype) { return valtype == WT_V128 ? 2 : 1; }

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

static uint32_t home(const tr *t, uint32_t h) { return t->hbase + t->stack[h].off; }

/* Slot offset of height h (h may be the next free height). */
static uint32_t off_at(const tr *t, uint32_t h) {
  if (h < t->height) return t->stack[h].off;
  if (t->height == 0) return 0;
  const tr_ent *e = &t->stack[t->height - 1];
  return e->off + e->w;
}

static uint32_t slot_at(const tr *t, uint32_t h) {
  return t->stack[h].src == NONE ? home(t, h) : t->stack[h].src;
}

static void push_entry(tr *t, uint32_t v, uint32_t w) {
  if (!grow(&t->stack, &t->capstack, (uint64_t)t->height + 1, sizeof *t->stack)) {
    t->oom = true;
    return;
  }
  uint32_t off = off_at(t, t->height);
  t->stack[t->height++] = (tr_ent){v, off, w};
  if (off + w > t->maxtop) t->maxtop = off + w;
}

/* Pushes a value produced into its home slot; returns that slot. */
static uint32_t push_home(tr *t, uint32_t w) {
  push_entry(t, NONE, w);
  return home(t, t->height - 1);
}

/* Emits a copy of a value of width w. */
static void emit_mov(tr *t, uint32_t dst, uint32_t src, uint32_t w) {
  uint32_t m = t->last_mov;
  if (w == 1 && m != NONE && m + 3 == t->ncode && t->code[m] == IOP_mov && t->label_pos != t->ncode) {
    /* Directly after another mov with no branch target between: one
    ** mov2 (copies at block exits and loop back-edges come in runs). */
    t->code[m] = IOP_mov2;
    emit(t, dst);
    emit(t, src);
    t->last_mov = NONE;
    return;
  }
  t->last_mov = w == 1 ? t->ncode : NONE;
  emit(t, w == 2 ? IOP_mov128 : IOP_mov);
  emit(t, dst);
  emit(t, src);
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
    if (t->stack[h].src == NONE) continue;
    emit_mov(t, home(t, h), t->stack[h].src, t->stack[h].w);
    t->stack[h].src = NONE;
  }
}

/* True when the block being opened may write the local in slot s (see
** scan_block); constant slots are never written. */
static bool block_writes(const tr *t, uint32_t s) {
  if (s >= t->nlocals) return false;
  if (t->nwr == NONE) return true;
  for (uint32_t i = 0; i < t->nwr; i++)
    if (t->wr[i] == s) return true;
  return false;
}

/* Block entry: the block's parameters (heights from `base` up) go home;
** a lazy entry below them stays lazy unless the block may write its
** local. Nothing inside a block changes the entries below its base, so
** such an entry is valid on every path through the block and after it. */
static void mat_block(tr *t, uint32_t base) {
  for (uint32_t h = 0; h < t->height; h++) {
    uint32_t src = t->stack[h].src;
    if (src == NONE || (h < base && !block_writes(t, src))) continue;
    emit_mov(t, home(t, h), src, t->stack[h].w);
    t->stack[h].src = NONE;
  }
}

/* Materializes every lazy reference to the local in slot x; true if any
** was. */
static bool mat_local(tr *t, uint32_t x) {
  bool any = false;
  for (uint32_t h = 0; h < t->height; h++) {
    if (t->stack[h].src != x) continue;
    emit_mov(t, home(t, h), x, t->stack[h].w);
    t->stack[h].src = NONE;
    any = true;
  }
  return any;
}

static void record_pc(tr *t, uint32_t code_index, uint32_t offset) {
  if (t->npc && t->pcmap[2 * (t->npc - 1)] == code_index) {
    t->pcmap[2 * (t->npc - 1) + 1] = offset;
    return;
  }
  if (t->npc && t->pcmap[2 * (t->npc - 1) + 1] == offset) return; /* same instruction */
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

/* Type of a block's parameter i (or result i). */
static uint8_t ctrl_type(const tr *t, const tr_ctrl *c, bool result, uint32_t i) {
  if (c->ti == NONE) return c->vt;
  const mod_functype *ft = &t->mod->types[c->ti];
  return result ? mod_result(ft, i) : mod_param(ft, i);
}

/* Width of the i-th value a branch to label c carries. */
static uint32_t label_width(const tr *t, const tr_ctrl *c, uint32_t i) {
  return width_of(ctrl_type(t, c, c->kind != CT_LOOP, i));
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

/* First slot of the values a branch to label c carries. */
static uint32_t label_slot(const tr *t, const tr_ctrl *c) {
  return c->res_slot != NONE ? c->res_slot : t->hbase + c->base_off;
}

/* True when the top values are not already in label c's slots. */
static bool needs_moves(const tr *t, const tr_ctrl *c) {
  uint32_t n = label_arity(c), dst = label_slot(t, c);
  for (uint32_t i = 0; i < n; i++) {
    if (slot_at(t, t->height - n + i) != dst) return true;
    dst += label_width(t, c, i);
  }
  return false;
}

/* Copies the top values to label c's slots without changing the
** simulated stack (the code may run on one path only). Ascending order is
** safe: a home source never lies below its target (the values below are
** the same, and the label's slots start at its base), a v128 move reads
** both halves before writing, and lazy sources are locals, below every
** home slot. */
static void emit_moves(tr *t, const tr_ctrl *c) {
  uint32_t n = label_arity(c), dst = label_slot(t, c);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t src = slot_at(t, t->height - n + i), w = label_width(t, c, i);
    if (src != dst) emit_mov(t, dst, src, w);
    dst += w;
  }
}

/* Moves the results to the packed slots from 0 and returns; leaves the
** stack as is. */
static void emit_return(tr *t) {
  uint32_t n = t->ctrl[0].nresults;
  if (n > t->height) {
    t->bad = true;
    return;
  }
  if (n == 1) {
    const tr_ent *e = &t->stack[t->height - 1];
    uint32_t src = slot_at(t, t->height - 1);
    if (src != 0) emit_mov(t, 0, src, e->w);
  } else if (n > 1) {
    /* Lazy sources first go home, so no target local is read after
    ** being overwritten. */
    for (uint32_t h = t->height - n; h < t->height; h++) {
      if (t->stack[h].src == NONE) continue;
      emit_mov(t, home(t, h), t->stack[h].src, t->stack[h].w);
    }
    uint32_t dst = 0;
    for (uint32_t h = t->height - n; h < t->height; h++) {
      uint32_t src = home(t, h);
      if (src != dst) emit_mov(t, dst, src, t->stack[h].w);
      dst += t->stack[h].w;
    }
  }
  emit(t, IOP_return);
}

/* On a path that leaves for label c right after it (br, or a block's
** fall-through end): when c takes one value and the instruction just
** emitted produced it into its home slot on top, that instruction writes
** the label's slot directly and no move is needed. The value is dead in
** its home slot afterwards. */
static void retarget_exit(tr *t, const tr_ctrl *c) {
  uint32_t pos = t->prev_pos;
  if (label_arity(c) != 1 || t->height == 0 || pos == NONE || pos + 1 >= t->ncode ||
      t->stack[t->height - 1].src != NONE || t->code[pos + 1] != home(t, t->height - 1))
    return;
  t->code[pos + 1] = label_slot(t, c);
  t->stack[t->height - 1].src = label_slot(t, c); /* now read from there */
}

/* Emits an unconditional branch to `c` (moves included). */
static void emit_branch(tr *t, tr_ctrl *c) {
  if (c->kind == CT_FUNC) {
    emit_return(t);
    return;
  }
  emit_moves(t, c);
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
static uint32_t emit_cond_branch(tr *t, uint32_t cond, bool negate, uint32_t mat_from) {
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

/* ---- control instructions ----------------------------------------------------- */

static bool is_valtype(uint8_t b) {
  return b == WT_I32 || b == WT_I64 || b == WT_F32 || b == WT_F64 || b == WT_V128 ||
         b == WT_FUNCREF || b == WT_EXTERNREF;
}

/* Reads a block type into c's nparams/nresults/vt/ti. */
static void block_type(tr *t, tr_ctrl *c) {
  c->nparams = c->nresults = 0;
  c->vt = 0;
  c->ti = NONE;
  if (t->p >= t->end) return;
  uint8_t b = *t->p;
  if (b == 0x40 || is_valtype(b)) {
    t->p++;
    c->nresults = b != 0x40;
    c->vt = b != 0x40 ? b : 0;
    return;
  }
  int64_t idx = rd_sleb(t);
  if (idx < 0 || (uint64_t)idx >= t->mod->ntypes) {
    t->bad = true;
    return;
  }
  c->ti = (uint32_t)idx;
  c->nparams = t->mod->types[idx].nparams;
  c->nresults = t->mod->types[idx].nresults;
}

static void push_ctrl(tr *t, tr_ctrl c) {
  if (!grow(&t->ctrl, &t->capctrl, (uint64_t)t->nctrl + 1, sizeof *t->ctrl)) {
    t->oom = true;
    return;
  }
  t->ctrl[t->nctrl++] = c;
}

static bool skip_dead(tr *t, uint8_t op);

/* Adds local slot s to the written set of scan_block. */
static void note_write(tr *t, uint32_t s) {
  if (t->nwr == NONE) return;
  for (uint32_t i = 0; i < t->nwr; i++)
    if (t->wr[i] == s) return;
  if (t->nwr == TR_SCAN_LOCALS) t->nwr = NONE;
  else t->wr[t->nwr++] = s;
}

/* Pre-scans the body of the block being opened (t->p is just past its
** block type), at most TR_SCAN_BYTES: records in t->wr the slots of the
** locals it writes, nested blocks included (nwr = NONE: unknown), and
** returns the index of the local that a local.set/tee right after the
** block's end stores to (NONE if none). Decoding only; nothing is kept. */
static uint32_t scan_block(tr *t) {
  const uint8_t *save = t->p;
  uint32_t keep = t->ncode, dd = t->dead_depth, after = NONE;
  bool done = false;
  t->nwr = 0;
  t->dead_depth = 0;
  while (!done && t->p < t->end && (size_t)(t->p - save) < TR_SCAN_BYTES && !t->oom) {
    uint8_t op = *t->p++;
    if (op == WASM_OP_local_set || op == WASM_OP_local_tee) {
      uint32_t x = rd_u32(t);
      if (x < t->nvals) note_write(t, t->lslot[x]);
    } else if (skip_dead(t, op)) {
      done = op == WASM_OP_end; /* at depth 0: its own else, or its end */
    }
  }
  if (!done) t->nwr = NONE;
  if (done && t->p < t->end && (*t->p == WASM_OP_local_set || *t->p == WASM_OP_local_tee)) {
    t->p++;
    after = rd_u32(t);
  }
  t->p = save;
  t->ncode = keep;
  t->dead_depth = dd;
  return after;
}

/* True when a scan is worth its cost: a lazy local below would otherwise
** be copied, or a single result could go straight to a local. */
static bool want_scan(const tr *t, const tr_ctrl *c, uint32_t base) {
  if (c->kind != CT_LOOP && c->nparams == 0 && c->nresults == 1) return true;
  for (uint32_t h = 0; h < base && h < t->height; h++)
    if (t->stack[h].src != NONE && t->stack[h].src < t->nlocals) return true;
  return false;
}

static void op_block(tr *t, uint8_t kind) {
  tr_ctrl c = {kind, 0, NONE, 0, 0, 0, 0, 0, NONE, NONE, NONE};
  block_type(t, &c);
  uint32_t cond = kind == CT_IF ? pop_slot(t) : 0;
  uint32_t base = t->height >= c.nparams ? t->height - c.nparams : 0;
  t->nwr = NONE;
  if (want_scan(t, &c, base)) {
    uint32_t x = scan_block(t);
    /* The result goes to local x on every exit (br, br_if, br_table, the
    ** fall-through ends), so the local.set after the end is free. x
    ** counts as written: lazy copies of it below are made first. */
    if (x < t->nvals && kind != CT_LOOP && c.nparams == 0 && c.nresults == 1 &&
        t->lwidth[x] == width_of(ctrl_type(t, &c, true, 0)) && t->nwr != NONE) {
      c.res_slot = t->lslot[x];
      note_write(t, c.res_slot);
    }
  }
  if (kind == CT_IF) c.else_site = emit_cond_branch(t, cond, true, base);
  else mat_block(t, base);
  c.height = base;
  c.base_off = off_at(t, c.height);
  c.start = t->label_pos = t->ncode;
  if (kind == CT_LOOP && t->ticks) emit(t, IOP_tick);
  push_ctrl(t, c);
}

/* Resets the simulated stack to c's base plus its parameters (or
** results), home, or the result in c's result local. Entries below the
** base are unchanged since the block began (mat_block). */
static void reset_stack(tr *t, const tr_ctrl *c, bool results) {
  if (t->height > c->height) t->height = c->height;
  uint32_t n = results ? c->nresults : c->nparams;
  while (t->height < c->height) push_entry(t, NONE, 1); /* only after t->bad */
  for (uint32_t i = 0; i < n; i++) push_entry(t, NONE, width_of(ctrl_type(t, c, results, i)));
  if (results && c->res_slot != NONE && n == 1) t->stack[t->height - 1].src = c->res_slot;
}

/* The fall-through exit of a block arm: its values go to the label's
** slots (home, or the result local). */
static void exit_fallthrough(tr *t, const tr_ctrl *c) {
  if (c->res_slot == NONE || t->height != c->height + 1) {
    mat_range(t, c->height);
    return;
  }
  retarget_exit(t, c);
  uint32_t src = slot_at(t, t->height - 1);
  if (src != c->res_slot) emit_mov(t, c->res_slot, src, t->stack[t->height - 1].w);
}

static void op_else(tr *t) {
  tr_ctrl *c = &t->ctrl[t->nctrl - 1];
  if (!t->dead) {
    exit_fallthrough(t, c);
    emit(t, IOP_jmp);
    set_rel(t, c, emit(t, 0));
  }
  if (c->else_site != NONE) put(t, c->else_site, t->ncode - c->else_site);
  t->label_pos = t->ncode;
  c->else_site = NONE;
  c->kind = CT_ELSE;
  reset_stack(t, c, false);
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
  if (!t->dead) exit_fallthrough(t, c);
  if (c->else_site != NONE) put(t, c->else_site, t->ncode - c->else_site);
  resolve_chain(t, c->patches, t->ncode);
  t->label_pos = t->ncode;
  reset_stack(t, c, true);
  t->nctrl--;
  t->dead = false;
  return false;
}

/* br: the value may be produced straight into the label's slot. */
static void op_br(tr *t, tr_ctrl *c) {
  if (c->kind != CT_FUNC) retarget_exit(t, c);
  emit_branch(t, c);
  t->dead = true;
}

static void op_br_if(tr *t, uint32_t depth) {
  uint32_t cond = pop_slot(t);
  tr_ctrl *c = label(t, depth);
  if (c->kind != CT_FUNC && !needs_moves(t, c)) {
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
    if (c->kind != CT_FUNC && !needs_moves(t, c)) set_rel(t, c, pos);
    if (t->oom || t->bad) return;
  }
  t->p = labels;
  for (uint64_t i = 0; i <= n; i++) {
    tr_ctrl *c = label(t, rd_u32(t));
    if (c->kind != CT_FUNC && !needs_moves(t, c)) continue;
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
  uint32_t argslot = t->hbase + off_at(t, t->height - ft->nparams);
  emit(t, op);
  emit(t, imm1);
  if (indirect) {
    emit(t, imm2);
    emit(t, idx);
  }
  emit(t, argslot);
  t->height -= ft->nparams;
  for (uint32_t i = 0; i < ft->nresults; i++) push_home(t, width_of(mod_result(ft, i)));
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

static void op_local_set(tr *t, uint32_t index, bool tee) {
  if (t->height == 0 || index >= t->nvals) {
    t->bad = true;
    return;
  }
  uint32_t x = t->lslot[index], top = t->stack[t->height - 1].src;
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
    emit_mov(t, x, src, t->lwidth[index]);
  }
  if (tee) t->stack[t->height - 1].src = x;
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
#define TR_INFO_SIMD(name, sub, imm, sig, lg) [sub] = {sig, IOP_##name, imm, 1},
static const tr_opinfo OPS_SIMD[WASM_OPSIMD_LIMIT] = {WASM_OPCODES_SIMD(TR_INFO_SIMD)};
#undef TR_INFO
#undef TR_INFO_SIMD

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
  case IMM_MEMARG_LANE:
    rd_u32(t);
    emit(t, rd_u32(t));
    emit(t, (uint32_t)rd_bytes(t, 1));
    break;
  case IMM_LANE: emit(t, (uint32_t)rd_bytes(t, 1)); break;
  case IMM_V128:
  case IMM_SHUFFLE:
    for (int i = 0; i < 4; i++) emit(t, (uint32_t)rd_bytes(t, 4));
    break;
  default: break;
  }
}

/* ---- constant slots ------------------------------------------------------------ */

/* Reads the immediate of a scalar const (immediate kind imm) as the bit
** pattern its slot holds: i32/f32 zero-extended, like every i32 value. */
static uint64_t rd_const(tr *t, uint8_t imm) {
  switch (imm) {
  case IMM_I32: return (uint32_t)rd_sleb(t);
  case IMM_I64: return (uint64_t)rd_sleb(t);
  case IMM_F32: return rd_bytes(t, 4);
  default: return rd_bytes(t, 8);
  }
}

/* Index of constant v in the function's pool, adding it when `add` and
** there is room; NONE otherwise. The table is never more than half full,
** so the probe ends. */
static uint32_t const_index(tr *t, uint64_t v, bool add) {
  uint32_t h = (uint32_t)((v * 0x9E3779B97F4A7C15u) >> (64 - TR_CONST_HASH_BITS));
  for (; t->chash[h] != 0; h = (h + 1) & (TR_CONST_HASH - 1))
    if (t->cval[t->chash[h] - 1] == v) return t->chash[h] - 1u;
  if (!add || t->nconst == TR_CONST_MAX) return NONE;
  t->cval[t->nconst++] = v;
  t->chash[h] = (uint16_t)t->nconst;
  return t->nconst - 1;
}

/* Reads a v128.const immediate as its two slots (the bytes in memory
** order, as a v128 is stored in a slot pair). */
static void rd_v128(tr *t, uint64_t pair[2]) {
  uint8_t b[16] = {0};
  for (unsigned i = 0; i < 16 && t->p < t->end; i++) b[i] = *t->p++;
  memcpy(pair, b, sizeof b);
}

/* Index of the first slot of v128 constant `pair` in the pool, adding it
** when `add` and there is room; NONE otherwise. Pairs are rare (SIMD code
** only) and not hashed: a linear search is enough. */
static uint32_t const_pair_index(tr *t, const uint64_t pair[2], bool add) {
  for (uint32_t i = 0; i < t->nconst; i++)
    if (t->cpair[i] && t->cval[i] == pair[0] && t->cval[i + 1] == pair[1]) return i;
  if (!add || t->nconst + 2 > TR_CONST_MAX) return NONE;
  t->cpair[t->nconst] = true;
  t->cval[t->nconst++] = pair[0];
  t->cval[t->nconst++] = pair[1];
  return t->nconst - 2;
}

/* v128.const: like lazy_const, for a pooled pair. */
static bool lazy_v128(tr *t) {
  const uint8_t *save = t->p;
  uint64_t pair[2];
  rd_v128(t, pair);
  uint32_t i = const_pair_index(t, pair, false);
  if (i == NONE) {
    t->p = save;
    return false;
  }
  push_entry(t, t->nlocals + i, 2);
  return true;
}

static bool is_const_slot(const tr *t, uint32_t s) {
  return s != NONE && s >= t->nlocals && s < t->hbase;
}

/* A scalar const whose value has a slot pushes a lazy reference to it
** (like local.get) instead of emitting an op; true if it did. */
static bool lazy_const(tr *t, uint8_t imm) {
  const uint8_t *save = t->p;
  uint32_t i = const_index(t, rd_const(t, imm), false);
  if (i == NONE) {
    t->p = save;
    return false;
  }
  push_entry(t, t->nlocals + i, 1);
  return true;
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
static bool fold_const(tr *t, uint32_t op) {
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

/* A fused instruction now starting at `pos` traps as the instruction being
** translated: drops the map entries of the ops it replaced. */
static void repoint_pc(tr *t, uint32_t pos) {
  while (t->npc && t->pcmap[2 * (t->npc - 1)] >= pos) t->npc--;
  record_pc(t, pos, t->cur_off);
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
static bool fuse_load(tr *t, uint32_t op) {
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
static bool fuse_pair(tr *t, uint32_t op) {
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
static bool fuse_load_convert(tr *t, uint32_t op) {
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

/* Any instruction with a signature: [op, dst?, operands..., immediates]. */
static void op_generic(tr *t, const tr_opinfo *info) {
  const char *colon = strchr(info->sig, ':');
  uint32_t np = (uint32_t)(colon - info->sig), nr = (uint32_t)strlen(colon + 1);
  uint32_t iop = info->iop, args[3] = {0, 0, 0};
  if (iop == IOP_f32_const) iop = IOP_i32_const;
  if (iop == IOP_f64_const) iop = IOP_i64_const;
  if ((iop == IOP_i32_const || iop == IOP_i64_const) && lazy_const(t, info->imm)) return;
  if (iop == IOP_v128_const && lazy_v128(t)) return;
  if (np == 2 && info->imm == IMM_NONE && fold_const(t, iop)) return;
  if (np == 1 && info->imm == IMM_MEMARG && fuse_load(t, iop)) return;
  if (np == 2 && fuse_pair(t, iop)) return;
  if (np == 1 && fuse_load_convert(t, iop)) return;
  if (np > 3 || t->height < np) {
    t->bad = true;
    return;
  }
  for (uint32_t i = np; i-- > 0;) args[i] = pop_slot(t);
  uint32_t pos = emit(t, iop);
  if (nr) {
    emit(t, push_home(t, colon[1] == 'V' ? 2 : 1));
    t->last_pos = pos;
  }
  for (uint32_t i = 0; i < np; i++) emit(t, args[i]);
  emit_imms(t, info->imm);
}

/* Emits op with `nargs` popped operands and a result of width `result`
** slots (0: none). */
static void emit_popped(tr *t, uint32_t op, uint32_t nargs, uint32_t result, uint32_t imm) {
  uint32_t args[3] = {0, 0, 0};
  for (uint32_t i = nargs; i-- > 0;) args[i] = pop_slot(t);
  uint32_t pos = emit(t, op);
  if (result) {
    emit(t, push_home(t, result));
    t->last_pos = pos;
  }
  if (imm != NONE) emit(t, imm);
  for (uint32_t i = 0; i < nargs; i++) emit(t, args[i]);
}

/* `f32.lt` / `f32.gt` (just emitted, or just before a local.tee that made
** it write the local) whose result is the condition of a scalar select ->
** one fused op that still writes the comparison's slot. Only this peephole
** looks through local.tee: the others assume the producer's result is a
** temporary, which a tee'd local is not. */
static bool fuse_cmp_select(tr *t) {
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

/* Instructions whose typing is special (NULL signature), except control. */
/* Width of the value at depth d below the top (0 = top); 1 if absent. */
static uint32_t top_width(const tr *t, uint32_t d) {
  return t->height > d ? t->stack[t->height - 1 - d].w : 1;
}

/* global.get/set pick the v128 form by the global's type. */
static void op_global(tr *t, bool set) {
  uint32_t g = rd_u32(t);
  if (g >= t->mod->nglobals_total) {
    t->bad = true;
    return;
  }
  bool wide = t->mod->global_types[g].type == WT_V128;
  if (set) emit_popped(t, wide ? IOP_global_set128 : IOP_global_set, 1, 0, g);
  else emit_popped(t, wide ? IOP_global_get128 : IOP_global_get, 0, wide ? 2 : 1, g);
}

static void op_special(tr *t, uint8_t op) {
  switch (op) {
  case WASM_OP_drop: pop_slot(t); break;
  case WASM_OP_select_t: {
    uint32_t n = rd_u32(t);
    t->p += n;
  } /* fallthrough */
  case WASM_OP_select: {
    if (fuse_cmp_select(t)) break;
    uint32_t w = top_width(t, 1);
    emit_popped(t, w == 2 ? IOP_select128 : IOP_select, 3, w, NONE);
    break;
  }
  case WASM_OP_local_get: {
    uint32_t x = rd_u32(t);
    if (x >= t->nvals) t->bad = true;
    else push_entry(t, t->lslot[x], t->lwidth[x]);
    break;
  }
  case WASM_OP_local_set: op_local_set(t, rd_u32(t), false); break;
  case WASM_OP_local_tee: op_local_set(t, rd_u32(t), true); break;
  case WASM_OP_global_get: op_global(t, false); break;
  case WASM_OP_global_set: op_global(t, true); break;
  case WASM_OP_table_get: emit_popped(t, IOP_table_get, 1, 1, rd_u32(t)); break;
  case WASM_OP_table_set: emit_popped(t, IOP_table_set, 2, 0, rd_u32(t)); break;
  case WASM_OP_ref_null:
    t->p++;
    emit_popped(t, IOP_i64_const, 0, 1, 0);
    emit(t, 0);
    break;
  case WASM_OP_ref_is_null: emit_popped(t, IOP_i64_eqz, 1, 1, NONE); break;
  case WASM_OP_ref_func: emit_popped(t, IOP_ref_func, 0, 1, rd_u32(t)); break;
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
  if (sub == WASM_OPFC_table_grow) emit_popped(t, IOP_table_grow, 2, 1, table);
  else emit_popped(t, IOP_table_fill, 3, 0, table); /* table_fill */
}

/* A 0xFD instruction: every one has a signature and the generic shape. */
static void op_simd(tr *t) {
  uint32_t sub = rd_u32(t);
  if (sub >= WASM_OPSIMD_LIMIT || !OPS_SIMD[sub].valid) {
    t->bad = true;
    return;
  }
  op_generic(t, &OPS_SIMD[sub]);
}

/* Skips one instruction of dead code, tracking nested blocks. Returns
** true when the instruction ends the dead region (else/end at depth 0). */
static bool skip_dead(tr *t, uint8_t op) {
  switch (op) {
  case WASM_OP_block:
  case WASM_OP_loop:
  case WASM_OP_if: {
    tr_ctrl c;
    block_type(t, &c);
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
  case WASM_PREFIX_SIMD: {
    uint32_t sub = rd_u32(t);
    if (sub < WASM_OPSIMD_LIMIT) emit_imms(t, OPS_SIMD[sub].imm);
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

/* Pre-pass over the body: pools the distinct scalar constants used inside
** loops, where a const op would run on every iteration (one outside a loop
** runs at most once per call, no more than copying its slot in at frame
** entry would cost). Sets the operand stack's base above the pool. */
static void scan_consts(tr *t) {
  const uint8_t *save = t->p;
  uint64_t loops = 0; /* bit d: block at depth d is a loop */
  uint32_t depth = 0;
  while (t->p < t->end && !t->oom) {
    uint8_t op = *t->p++;
    bool in_loop = loops != 0 || depth > 64;
    if (op >= WASM_OP_i32_const && op <= WASM_OP_f64_const) {
      uint64_t v = rd_const(t, OPS[op].imm);
      if (in_loop) const_index(t, v, true);
      continue;
    }
    if (op == WASM_PREFIX_SIMD) {
      const uint8_t *sub_at = t->p;
      if (rd_u32(t) == WASM_OPSIMD_v128_const) {
        uint64_t pair[2];
        rd_v128(t, pair);
        if (in_loop) const_pair_index(t, pair, true);
        continue;
      }
      t->p = sub_at;
    }
    if (op == WASM_OP_end && depth > 0 && --depth < 64) loops &= ~((uint64_t)1 << depth);
    if (op == WASM_OP_block || op == WASM_OP_if || op == WASM_OP_loop) {
      if (op == WASM_OP_loop && depth < 64) loops |= (uint64_t)1 << depth;
      depth++;
    }
    skip_dead(t, op);
  }
  t->p = save;
  t->ncode = 0; /* skip_dead decodes immediates by emitting them */
  t->dead_depth = 0;
  t->hbase = t->nlocals + t->nconst;
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
  case WASM_OP_br: op_br(t, label(t, rd_u32(t))); break;
  case WASM_OP_br_if: op_br_if(t, rd_u32(t)); break;
  case WASM_OP_br_table: op_br_table(t); break;
  case WASM_OP_return: emit_return(t); t->dead = true; break;
  case WASM_PREFIX_FC: op_fc(t); break;
  case WASM_PREFIX_SIMD: op_simd(t); break;
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
  free(t->lslot);
  free(t->lwidth);
}

/* Slots taken by n values of the given types. */
static uint32_t slots_of(const uint8_t *types, uint32_t n) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++) k += width_of(types[i]);
  return k;
}

/* Assigns each parameter and declared local its packed slot. */
static bool layout_locals(tr *t, const mod_functype *ft, const mod_func *f) {
  t->nvals = ft->nparams + f->nlocals;
  t->lslot = malloc(((size_t)t->nvals + 1) * sizeof *t->lslot);
  t->lwidth = malloc((size_t)t->nvals + 1);
  if (!t->lslot || !t->lwidth) return false;
  uint32_t slot = 0;
  for (uint32_t i = 0; i < t->nvals; i++) {
    uint8_t vt = i < ft->nparams ? mod_param(ft, i) : f->local_types[i - ft->nparams];
    t->lslot[i] = slot;
    t->lwidth[i] = (uint8_t)width_of(vt);
    slot += t->lwidth[i];
  }
  t->nlocals = slot;
  return true;
}

/* Builds the interp_code of a finished translation (takes its arrays). */
static interp_code *finish(tr *t, const wt_module *mod, uint32_t index) {
  const mod_func *f = &mod->funcs[index];
  const mod_functype *ft = &mod->types[f->type_index];
  interp_code *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->code = t->code;
  c->ncode = t->ncode;
  c->nparams = slots_of(ft->types, ft->nparams);
  c->nresults = slots_of(ft->types + ft->nparams, ft->nresults);
  c->nlocals = t->nlocals;
  c->frame_slots = t->hbase + t->maxtop;
  if (t->nconst) {
    c->consts = malloc(t->nconst * sizeof *c->consts);
    if (!c->consts) {
      free(c);
      return NULL;
    }
    memcpy(c->consts, t->cval, t->nconst * sizeof *c->consts);
    c->nconsts = t->nconst;
  }
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
  t.last_pos = t.prev_pos = t.tee_pos = t.label_pos = t.add_cur = t.add_prev = NONE;
  t.last_mov = NONE;
  t.ticks = mod->engine && mod->engine->config.timeout_ms != 0;
  if (!layout_locals(&t, ft, f)) {
    tr_free(&t);
    return mod_fail(err, WT_ERR_NOMEM, t.base, "out of memory translating a function");
  }
  scan_consts(&t);
  push_ctrl(&t, (tr_ctrl){CT_FUNC, 0, f->type_index, 0, 0, 0, ft->nresults, 0, NONE, NONE, NONE});
  if (t.ticks) emit(&t, IOP_tick);
  bool done = false;
  while (!done && t.p < t.end && !t.oom && !t.bad) {
    uint32_t start = t.ncode, off = t.base + (uint32_t)(t.p - t.start);
    t.cur_off = off;
    uint32_t h0 = t.height;
    uint8_t opbyte = *t.p;
    t.prev_pos = t.last_pos;
    t.last_pos = NONE;
    done = step(&t);
    /* A lazy push (local.get, pooled const) emits nothing: the producer
    ** before it stays visible. Every peephole checks that the value it
    ** removes is a home temporary at the height it consumes, which a
    ** lazy entry never is. */
    if (t.ncode == start && t.height == h0 + 1 && !t.dead && t.stack[h0].src != NONE)
      t.last_pos = t.prev_pos;
    t.tee_pos = opbyte == WASM_OP_local_tee && t.ncode == start && !t.dead ? t.prev_pos : NONE;
    if (t.ncode != start) { /* for latch_add */
      bool lone_add = t.last_pos != NONE && t.last_pos + 4 == t.ncode &&
                      t.code[t.last_pos] == IOP_i32_add_imm;
      t.add_prev = t.add_cur;
      t.add_cur = lone_add ? t.last_pos : NONE;
    }
    if (t.ncode > start) record_pc(&t, start, off);
  }
  wt_status st = WT_OK;
  if (t.oom) st = mod_fail(err, WT_ERR_NOMEM, t.base, "out of memory translating a function");
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
  free(c->consts);
  free(c);
  func->compiled = NULL;
}
