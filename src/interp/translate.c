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
** and at calls; at a block's start only if a pre-scan of the block body
** (scan_block) finds a write of x, since nothing else inside a block
** changes the entries below it. A block or if with one result that a
** local.set/tee stores right after its end writes that local on every
** exit, and a br or fall-through end lets the producer of the carried
** value write the label's slot (retarget_exit).
**
** Peepholes, all restricted to the instruction emitted just before (the
** fusions are in peephole.c):
**  - `local.set x` after a producer rewrites the producer's dst to x;
**  - two copies in a row become one mov2;
**  - an i32 comparison (or eqz) followed by br_if/if becomes one branch;
**    so does an f32 comparison (both polarities, for NaN);
**  - `i32.const k; i32.<op>` (and i64.add) becomes an immediate form, and
**    that absorbs a shift before it: (a >> s) & m, lane << k, and
**    (a << 16|24) >> the same k (a sign extension);
**  - an address add (register or immediate) followed by a load becomes an
**    address-fused load (code.h's INTERP_FUSED_LOADS); i32.load8_u then
**    f32.convert_i32_u becomes a converting load;
**  - a producer whose result is an operand of the next binary op
**    (peephole.c's PAIRS): f32/f64 muladd, f32 sub->mul (submul) and
**    sub->mul->add (lerp), i32 mul/mul_imm/shl_imm->add, extract_lane->shl
**    ->add, i32x4 mul->add, i32x4.shr_u->v128.and;
**  - f32.lt/gt followed by the select it feeds (also through a local.tee)
**    becomes one select;
**  - an add-immediate directly followed by a compare-and-branch (the loop
**    latch), or an add/sub-immediate whose result is the br_if condition,
**    becomes one op.
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
#include "interp/tr.h"

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
  if (kind == CT_IF) c.else_site = tr_emit_cond_branch(t, cond, true, base);
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
    set_rel(t, c, tr_emit_cond_branch(t, cond, false, NONE));
    return;
  }
  uint32_t skip = tr_emit_cond_branch(t, cond, true, NONE);
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

/* Any instruction with a signature: [op, dst?, operands..., immediates]. */
static void op_generic(tr *t, const tr_opinfo *info) {
  const char *colon = strchr(info->sig, ':');
  uint32_t np = (uint32_t)(colon - info->sig), nr = (uint32_t)strlen(colon + 1);
  uint32_t iop = info->iop, args[3] = {0, 0, 0};
  if (iop == IOP_f32_const) iop = IOP_i32_const;
  if (iop == IOP_f64_const) iop = IOP_i64_const;
  if ((iop == IOP_i32_const || iop == IOP_i64_const) && lazy_const(t, info->imm)) return;
  if (iop == IOP_v128_const && lazy_v128(t)) return;
  if (np == 2 && info->imm == IMM_NONE && tr_fold_const(t, iop)) return;
  if (np == 1 && info->imm == IMM_MEMARG && tr_fuse_load(t, iop)) return;
  if (np == 2 && tr_fuse_pair(t, iop)) return;
  if (np == 1 && tr_fuse_load_convert(t, iop)) return;
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
    if (tr_fuse_cmp_select(t)) break;
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
