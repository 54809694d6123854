/*
** emit_func.c — translating one Wasm function body into a C function.
**
** The operand stack is resolved at translation time: the value at stack
** height h of type t lives in the C variable s<t><h> (si3 = an i32 at
** height 3), and locals are C locals l<n>. Every instruction becomes one C
** statement over those variables, so the C compiler sees plain SSA-friendly
** scalar code. Structured control flow becomes labels and gotos: a block's
** results sit at fixed heights [base, base + arity), so a branch copies the
** top `arity` values down to them and jumps; falling through needs no copy
** because validation guarantees the stack is exactly the results at `end`.
**
** Code after br/return/unreachable is stack-polymorphic and never runs; it
** is skipped (only its block structure is followed) until the enclosing
** block's else/end, so the typed variable model never sees unknown types.
*/
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "aot/aot_emit.h"

/* ---- small helpers -------------------------------------------------------- */

const char *ef_pfx(uint8_t t) {
  switch (t) {
  case WT_I32: return "si";
  case WT_I64: return "sj";
  case WT_F32: return "sf";
  case WT_F64: return "sd";
  case WT_V128: return "sv";
  default: return "sr";
  }
}

static uint8_t local_type(const ef *e, uint32_t i) {
  return i < e->ft->nparams ? mod_param(e->ft, i) : e->f->local_types[i - e->ft->nparams];
}

void ef_push(ef *e, uint8_t t) {
  if (e->h == e->cap) {
    uint32_t cap = e->cap ? e->cap * 2 : 64;
    uint8_t *p = realloc(e->types, cap);
    if (!p) {
      e->oom = true;
      return;
    }
    e->types = p;
    e->cap = cap;
  }
  e->types[e->h++] = t;
  if (e->h > e->maxh) e->maxh = e->h;
}

static uint8_t top(const ef *e, uint32_t k) { return e->types[e->h - 1 - k]; }

static ef_ctrl *cur(ef *e) { return &e->ctl[e->nctl - 1]; }

/* C expression converting variable (prefix, height) of type t to a slot. */
static void put_to_slot(ef *e, uint8_t t, uint32_t h) {
  switch (t) {
  case WT_F32: aot_buf_printf(e->o, "aot_b32(sf%u)", h); break;
  case WT_F64: aot_buf_printf(e->o, "aot_b64(sd%u)", h); break;
  case WT_FUNCREF: case WT_EXTERNREF: aot_buf_printf(e->o, "(uint64_t)(uintptr_t)sr%u", h); break;
  default: aot_buf_printf(e->o, "(uint64_t)%s%u", ef_pfx(t), h); break;
  }
}

/* The result types of a control entry (its own `one` for a single type). */
static const uint8_t *ctrl_results(const ef_ctrl *c) { return c->rt ? c->rt : &c->one; }

/* Emits the copies of a branch to `c`: the top `arity` values move down to
** heights [c->base, c->base + arity). Ascending order never overwrites a
** source before it is read, since destinations are at or below sources. */
static void emit_branch(ef *e, const ef_ctrl *c) {
  uint32_t n = c->kind == K_LOOP ? c->np : c->nr;
  const uint8_t *t = c->kind == K_LOOP ? c->pt : ctrl_results(c);
  for (uint32_t k = 0; k < n; k++) {
    uint32_t dst = c->base + k, src = e->h - n + k;
    if (dst != src) aot_buf_printf(e->o, " %s%u = %s%u;", ef_pfx(t[k]), dst, ef_pfx(t[k]), src);
  }
  aot_buf_printf(e->o, " goto L%u;", c->label);
}

/* Resolves a block type into params/results of the new control entry. */
static void block_sig(ef *e, int64_t bt, ef_ctrl *c) {
  c->np = c->nr = 0;
  c->pt = c->rt = NULL;
  if (bt >= 0) {
    const mod_functype *t = &e->m->types[bt];
    c->np = t->nparams;
    c->nr = t->nresults;
    c->pt = t->types;
    c->rt = t->types + t->nparams;
  } else if (bt != DEC_BT_EMPTY) {
    /* rt stays NULL: a pointer to c->one would dangle once the control
    ** stack is reallocated (see ctrl_results). */
    c->one = (uint8_t)(bt + 0x80);
    c->nr = 1;
  }
}

static ef_ctrl *push_ctrl(ef *e, uint8_t kind) {
  if (e->nctl == e->capctl) {
    uint32_t cap = e->capctl ? e->capctl * 2 : 16;
    ef_ctrl *p = realloc(e->ctl, cap * sizeof *p);
    if (!p) {
      e->oom = true;
      return NULL;
    }
    e->ctl = p;
    e->capctl = cap;
  }
  ef_ctrl *c = &e->ctl[e->nctl++];
  memset(c, 0, sizeof *c);
  c->kind = kind;
  c->label = e->nlabels++;
  return c;
}

/* ---- control instructions ---------------------------------------------- */

/* block/loop/if: in dead code only the nesting is tracked. */
static void op_block(ef *e, const dec_instr *ins) {
  bool dead = cur(e)->unreachable || cur(e)->dead;
  uint8_t kind = ins->op == WASM_OP_block ? K_BLOCK : ins->op == WASM_OP_loop ? K_LOOP : K_IF;
  if (!dead && kind == K_IF) e->h--; /* the condition */
  ef_ctrl *c = push_ctrl(e, kind);
  if (!c) return;
  c->dead = dead;
  if (dead) return;
  block_sig(e, ins->blocktype, c);
  c->base = e->h - c->np;
  if (kind == K_LOOP) {
    /* A register counter, not c->ticks: stores to linear memory may alias
    ** the context, so a counter in memory would be reloaded and stored on
    ** every iteration. Counting down to zero lets the test be one
    ** decrement-and-branch. */
    aot_buf_printf(e->o, "L%u:; if (AOT_UNLIKELY(--TK == 0)) { TK = AOT_TICKS; c->rt->tick(c, %uu, 0x%xu); }\n",
                   c->label, e->fi, e->off);
  } else if (kind == K_IF) {
    /* The else arm needs the parameters the then arm may overwrite; saved
    ** before the branch so the jump never skips their initialisation. */
    for (uint32_t k = 0; k < c->np; k++)
      aot_buf_printf(e->o, "%s P%u_%u = %s%u;\n", aot_ctype(c->pt[k]), c->label, k,
                     ef_pfx(c->pt[k]), c->base + k);
    aot_buf_printf(e->o, "if (!si%u) goto E%u;\n", e->h, c->label);
  }
}

static void reset_to(ef *e, const ef_ctrl *c, uint32_t n, const uint8_t *t) {
  e->h = c->base;
  for (uint32_t k = 0; k < n; k++) ef_push(e, t[k]);
}

static void op_else(ef *e) {
  ef_ctrl *c = cur(e);
  if (c->dead) return;
  aot_buf_printf(e->o, "goto L%u;\nE%u:;\n", c->label, c->label);
  for (uint32_t k = 0; k < c->np; k++)
    aot_buf_printf(e->o, "%s%u = P%u_%u;\n", ef_pfx(c->pt[k]), c->base + k, c->label, k);
  reset_to(e, c, c->np, c->pt);
  c->kind = K_BLOCK; /* the else arm ends like a block */
  c->unreachable = false;
}

/* Returns true when this `end` closes the function. */
static bool op_end(ef *e) {
  ef_ctrl c = *cur(e);
  e->nctl--;
  if (c.dead) return false;
  if (c.kind == K_IF) aot_buf_printf(e->o, "E%u:;\n", c.label);
  if (c.kind != K_LOOP) aot_buf_printf(e->o, "L%u:;\n", c.label);
  reset_to(e, &c, c.nr, ctrl_results(&c));
  return c.kind == K_FUNC;
}

static void op_br(ef *e, uint32_t depth) {
  emit_branch(e, &e->ctl[e->nctl - 1 - depth]);
  aot_buf_puts(e->o, "\n");
  cur(e)->unreachable = true;
}

static void op_br_if(ef *e, uint32_t depth) {
  e->h--;
  aot_buf_printf(e->o, "if (si%u) {", e->h);
  emit_branch(e, &e->ctl[e->nctl - 1 - depth]);
  aot_buf_puts(e->o, " }\n");
}

static void op_br_table(ef *e, const dec_instr *ins) {
  e->h--;
  aot_buf_printf(e->o, "switch (si%u) {\n", e->h);
  dec_rd rd = dec_rd_make(e->m->bytes, ins->table_pos, e->m->len);
  for (uint32_t i = 0; i < ins->a; i++) {
    uint32_t depth = 0;
    dec_u32(&rd, &depth);
    aot_buf_printf(e->o, "case %uu:", i);
    emit_branch(e, &e->ctl[e->nctl - 1 - depth]);
    aot_buf_puts(e->o, "\n");
  }
  aot_buf_puts(e->o, "default:");
  emit_branch(e, &e->ctl[e->nctl - 1 - ins->b]);
  aot_buf_puts(e->o, "\n}\n");
  cur(e)->unreachable = true;
}

/* ---- calls --------------------------------------------------------------- */

/* Emits `callee, a0, a1...)` for a call of type t whose arguments are the
** top t->nparams values, storing the result(s) at the argument base. The
** type stack is left alone; the caller pops and pushes. */
static void emit_call_expr(ef *e, const mod_functype *t, uint32_t type_index,
                           const char *callee) {
  uint32_t base = e->h - t->nparams;
  if (t->nresults == 1)
    aot_buf_printf(e->o, "%s%u = ", ef_pfx(mod_result(t, 0)), base);
  else if (t->nresults > 1)
    aot_buf_printf(e->o, "{ aot_rs%u R = ", type_index);
  aot_buf_puts(e->o, callee);
  for (uint32_t k = 0; k < t->nparams; k++)
    aot_buf_printf(e->o, ", %s%u", ef_pfx(mod_param(t, k)), base + k);
  aot_buf_puts(e->o, ");");
  if (t->nresults > 1) {
    for (uint32_t k = 0; k < t->nresults; k++)
      aot_buf_printf(e->o, " %s%u = R.r%u;", ef_pfx(mod_result(t, k)), base + k, k);
    aot_buf_puts(e->o, " }");
  }
}

/* Replaces the arguments on the type stack by the results. */
static void call_types(ef *e, const mod_functype *t) {
  e->h -= t->nparams;
  for (uint32_t k = 0; k < t->nresults; k++) ef_push(e, mod_result(t, k));
}

/* The call depth is counted at the call site, so exhaustion is reported
** at the call instruction, as the interpreter does. */
static void depth_enter(ef *e) {
  aot_buf_printf(e->o, "if (AOT_UNLIKELY(--c->depth < 0)) aot_trap(c, AOT_STACK_EXHAUSTED, %uu, 0x%xu);\n",
                 e->fi, e->off);
}

static void op_call(ef *e, uint32_t func) {
  uint32_t ti = e->m->func_types[func];
  const mod_functype *t = &e->m->types[ti];
  char callee[96];
  bool native = func >= e->m->nfunc_imports;
  if (!native)
    snprintf(callee, sizeof callee, "gc%u(c, c->funcs[%u], %uu, 0x%xu", ti, func, e->fi, e->off);
  else
    snprintf(callee, sizeof callee, "f%u(c", func);
  if (native) depth_enter(e);
  emit_call_expr(e, t, ti, callee);
  aot_buf_puts(e->o, native ? " c->depth++;\n" : "\n");
  call_types(e, t);
}

/* call_indirect: the runtime resolves and checks the element; a native
** function of this instance is called directly, anything else through the
** slot ABI. */
static void op_call_indirect(ef *e, uint32_t ti, uint32_t table) {
  const mod_functype *t = &e->m->types[ti];
  char callee[96];
  e->h--;
  aot_buf_printf(e->o,
                 "{ aot_target T; c->rt->indirect(c, %uu, si%u, %uu, &T, %uu, 0x%xu);\n"
                 "  if (AOT_LIKELY(T.native != 0)) { ",
                 table, e->h, ti, e->fi, e->off);
  snprintf(callee, sizeof callee, "((aot_ft%u)T.native)(c", ti);
  depth_enter(e);
  emit_call_expr(e, t, ti, callee);
  aot_buf_puts(e->o, " c->depth++; }\n  else { ");
  snprintf(callee, sizeof callee, "gc%u(c, T.fn, %uu, 0x%xu", ti, e->fi, e->off);
  emit_call_expr(e, t, ti, callee);
  aot_buf_puts(e->o, " } }\n");
  call_types(e, t);
}

/* ---- variables ----------------------------------------------------------- */

static void global_read(ef *e, uint8_t t, uint32_t g, uint32_t dst) {
  e->gused[g] = 1;
  switch (t) {
  case WT_I32: aot_buf_printf(e->o, "si%u = (uint32_t)*G%u;\n", dst, g); break;
  case WT_I64: aot_buf_printf(e->o, "sj%u = *G%u;\n", dst, g); break;
  case WT_F32: aot_buf_printf(e->o, "sf%u = aot_f32((uint32_t)*G%u);\n", dst, g); break;
  case WT_F64: aot_buf_printf(e->o, "sd%u = aot_f64(*G%u);\n", dst, g); break;
  /* A v128 global's cell is wt_global.val, directly followed by .hi. */
  case WT_V128: aot_buf_printf(e->o, "sv%u = wv_make(G%u[0], G%u[1]);\n", dst, g, g); break;
  default: aot_buf_printf(e->o, "sr%u = (void *)(uintptr_t)*G%u;\n", dst, g); break;
  }
}

static void global_write(ef *e, uint8_t t, uint32_t g, uint32_t src) {
  e->gused[g] = 1;
  if (t == WT_V128) {
    aot_buf_printf(e->o, "G%u[0] = wv_lo(sv%u); G%u[1] = wv_hi(sv%u);\n", g, src, g, src);
    return;
  }
  aot_buf_printf(e->o, "*G%u = ", g);
  put_to_slot(e, t, src);
  aot_buf_puts(e->o, ";\n");
}

/* ---- plain instructions (signature in opcodes.h) ------------------------ */

typedef struct op_info {
  const char *name;
  wasm_imm imm;
  const char *sig;
} op_info;

#define OPI(name, byte, imm, sig) [byte] = {#name, imm, sig},
static const op_info op_infos[256] = {WASM_OPCODES(OPI)};
#undef OPI
#define OPI(name, sub, imm, sig) [sub] = {#name, imm, sig},
static const op_info fc_table[WASM_OPFC_COUNT] = {WASM_OPCODES_FC(OPI)};
#undef OPI

static uint8_t sig_type(char ch) {
  switch (ch) {
  case 'i': return WT_I32;
  case 'I': return WT_I64;
  case 'f': return WT_F32;
  default: return WT_F64;
  }
}

/* Instructions that can trap take the context and the location. */
static bool op_traps(const char *name) {
  return strstr(name, "div_") || strstr(name, "rem_") ||
         (strstr(name, "_trunc_f") && !strstr(name, "_sat_"));
}

/* `dst = op_<name>(args);` for an instruction with signature `sig`. The
** memarg offset, context and location are added where the op needs them. */
static void emit_plain(ef *e, const op_info *oi, const dec_instr *ins) {
  const char *colon = strchr(oi->sig, ':');
  uint32_t np = (uint32_t)(colon - oi->sig);
  uint32_t base = e->h - np;
  bool mem = oi->imm == IMM_MEMARG;
  if (colon[1]) aot_buf_printf(e->o, "%s%u = ", ef_pfx(sig_type(colon[1])), base);
  aot_buf_printf(e->o, "op_%s(", oi->name);
  bool traps = mem || op_traps(oi->name);
  if (mem) aot_buf_puts(e->o, "c, M, ");
  else if (traps) aot_buf_puts(e->o, "c, ");
  for (uint32_t k = 0; k < np; k++)
    aot_buf_printf(e->o, "%s%s%u", k ? ", " : "", ef_pfx(sig_type(oi->sig[k])), base + k);
  if (mem) aot_buf_printf(e->o, ", %lluull", (unsigned long long)ins->bits);
  if (traps) aot_buf_printf(e->o, ", %uu, 0x%xu", e->fi, e->off);
  aot_buf_puts(e->o, ");\n");
  e->h = base;
  if (colon[1]) ef_push(e, sig_type(colon[1]));
}

static void emit_const(ef *e, const dec_instr *ins) {
  uint32_t h = e->h;
  switch (ins->op) {
  case WASM_OP_i32_const:
    aot_buf_printf(e->o, "si%u = 0x%xu;\n", h, (uint32_t)ins->bits);
    ef_push(e, WT_I32);
    break;
  case WASM_OP_i64_const:
    aot_buf_printf(e->o, "sj%u = 0x%llxull;\n", h, (unsigned long long)ins->bits);
    ef_push(e, WT_I64);
    break;
  case WASM_OP_f32_const:
    aot_buf_printf(e->o, "sf%u = aot_f32(0x%xu);\n", h, (uint32_t)ins->bits);
    ef_push(e, WT_F32);
    break;
  default:
    aot_buf_printf(e->o, "sd%u = aot_f64(0x%llxull);\n", h, (unsigned long long)ins->bits);
    ef_push(e, WT_F64);
    break;
  }
}

/* ---- variables, references, parametric ----------------------------------- */

static void op_variable(ef *e, const dec_instr *ins) {
  uint32_t i = ins->a;
  switch (ins->op) {
  case WASM_OP_local_get: {
    uint8_t t = local_type(e, i);
    aot_buf_printf(e->o, "%s%u = l%u;\n", ef_pfx(t), e->h, i);
    ef_push(e, t);
    break;
  }
  case WASM_OP_local_set:
  case WASM_OP_local_tee:
    aot_buf_printf(e->o, "l%u = %s%u;\n", i, ef_pfx(top(e, 0)), e->h - 1);
    if (ins->op == WASM_OP_local_set) e->h--;
    break;
  case WASM_OP_global_get: {
    uint8_t t = e->m->global_types[i].type;
    global_read(e, t, i, e->h);
    ef_push(e, t);
    break;
  }
  default: /* global.set */
    e->h--;
    global_write(e, e->m->global_types[i].type, i, e->h);
    break;
  }
}

static void op_parametric(ef *e, const dec_instr *ins) {
  switch (ins->op) {
  case WASM_OP_drop: e->h--; break;
  case WASM_OP_select:
  case WASM_OP_select_t: {
    uint8_t t = top(e, 1);
    uint32_t b = e->h - 3;
    aot_buf_printf(e->o, "%s%u = si%u ? %s%u : %s%u;\n", ef_pfx(t), b, b + 2, ef_pfx(t), b, ef_pfx(t),
                   b + 1);
    e->h = b + 1;
    break;
  }
  case WASM_OP_ref_null:
    aot_buf_printf(e->o, "sr%u = 0;\n", e->h);
    ef_push(e, ins->valtype);
    break;
  case WASM_OP_ref_is_null:
    aot_buf_printf(e->o, "si%u = sr%u == 0;\n", e->h - 1, e->h - 1);
    e->h--;
    ef_push(e, WT_I32);
    break;
  default: /* ref.func */
    aot_buf_printf(e->o, "sr%u = c->funcs[%u];\n", e->h, ins->a);
    ef_push(e, WT_FUNCREF);
    break;
  }
}

/* ---- tables and bulk memory (runtime callbacks) --------------------------- */

static void op_table(ef *e, const dec_instr *ins) {
  uint32_t h = e->h, fi = e->fi, off = e->off;
  if (ins->op == WASM_OP_table_get) {
    aot_buf_printf(e->o, "sr%u = c->rt->table_get(c, %uu, si%u, %uu, 0x%xu);\n", h - 1, ins->a,
                   h - 1, fi, off);
    e->h--;
    ef_push(e, e->m->tables[ins->a].elem_type);
    return;
  }
  if (ins->op == WASM_OP_table_set) {
    aot_buf_printf(e->o, "c->rt->table_set(c, %uu, si%u, sr%u, %uu, 0x%xu);\n", ins->a, h - 2,
                   h - 1, fi, off);
    e->h -= 2;
    return;
  }
  switch (ins->sub) {
  case WASM_OPFC_table_size:
    aot_buf_printf(e->o, "si%u = c->rt->table_size(c, %uu);\n", h, ins->a);
    ef_push(e, WT_I32);
    break;
  case WASM_OPFC_table_grow:
    aot_buf_printf(e->o, "si%u = c->rt->table_grow(c, %uu, sr%u, si%u);\n", h - 2, ins->a,
                   h - 2, h - 1);
    e->h -= 2;
    ef_push(e, WT_I32);
    break;
  case WASM_OPFC_table_fill:
    aot_buf_printf(e->o, "c->rt->table_fill(c, %uu, si%u, sr%u, si%u, %uu, 0x%xu);\n", ins->a,
                   h - 3, h - 2, h - 1, fi, off);
    e->h -= 3;
    break;
  case WASM_OPFC_table_copy:
    aot_buf_printf(e->o, "c->rt->table_copy(c, %uu, %uu, si%u, si%u, si%u, %uu, 0x%xu);\n",
                   ins->a, ins->b, h - 3, h - 2, h - 1, fi, off);
    e->h -= 3;
    break;
  case WASM_OPFC_table_init:
    aot_buf_printf(e->o, "c->rt->table_init(c, %uu, %uu, si%u, si%u, si%u, %uu, 0x%xu);\n",
                   ins->b, ins->a, h - 3, h - 2, h - 1, fi, off);
    e->h -= 3;
    break;
  default: /* elem.drop */
    aot_buf_printf(e->o, "c->rt->elem_drop(c, %uu);\n", ins->a);
    break;
  }
}

static void op_bulk_memory(ef *e, const dec_instr *ins) {
  uint32_t h = e->h, fi = e->fi, off = e->off;
  switch (ins->sub) {
  case WASM_OPFC_memory_init:
    aot_buf_printf(e->o, "c->rt->memory_init(c, %uu, si%u, si%u, si%u, %uu, 0x%xu);\n", ins->a,
                   h - 3, h - 2, h - 1, fi, off);
    e->h -= 3;
    break;
  case WASM_OPFC_memory_copy:
    aot_buf_printf(e->o, "c->rt->memory_copy(c, si%u, si%u, si%u, %uu, 0x%xu);\n", h - 3, h - 2,
                   h - 1, fi, off);
    e->h -= 3;
    break;
  case WASM_OPFC_memory_fill:
    aot_buf_printf(e->o, "c->rt->memory_fill(c, si%u, si%u, si%u, %uu, 0x%xu);\n", h - 3, h - 2,
                   h - 1, fi, off);
    e->h -= 3;
    break;
  default: /* data.drop */
    aot_buf_printf(e->o, "c->rt->data_drop(c, %uu);\n", ins->a);
    break;
  }
}

/* ---- dispatch -------------------------------------------------------------- */

/* Translates one instruction. Returns true once the function's final
** `end` has been seen. */
static bool emit_instr(ef *e, const dec_instr *ins) {
  ef_ctrl *c = cur(e);
  uint8_t op = ins->op;
  e->off = (uint32_t)ins->offset;
  if (op == WASM_OP_block || op == WASM_OP_loop || op == WASM_OP_if) {
    op_block(e, ins);
    return false;
  }
  if (op == WASM_OP_else) {
    op_else(e);
    return false;
  }
  if (op == WASM_OP_end) return op_end(e);
  if (c->unreachable || c->dead) return false;
  if (op == WASM_PREFIX_SIMD) {
    aot_emit_simd(e, ins);
    return false;
  }
  if (op == WASM_PREFIX_FC) {
    const op_info *oi = &fc_table[ins->sub];
    if (ins->sub <= WASM_OPFC_i64_trunc_sat_f64_u) emit_plain(e, oi, ins);
    else if (ins->sub == WASM_OPFC_memory_init || ins->sub == WASM_OPFC_data_drop ||
             ins->sub == WASM_OPFC_memory_copy || ins->sub == WASM_OPFC_memory_fill)
      op_bulk_memory(e, ins);
    else op_table(e, ins);
    return false;
  }
  switch (op) {
  case WASM_OP_unreachable:
    aot_buf_printf(e->o, "aot_trap(c, AOT_UNREACHABLE, %uu, 0x%xu);\n", e->fi, e->off);
    c->unreachable = true;
    return false;
  case WASM_OP_nop: return false;
  case WASM_OP_br: op_br(e, ins->a); return false;
  case WASM_OP_br_if: op_br_if(e, ins->a); return false;
  case WASM_OP_br_table: op_br_table(e, ins); return false;
  case WASM_OP_return: op_br(e, e->nctl - 1); return false;
  case WASM_OP_call: op_call(e, ins->a); return false;
  case WASM_OP_call_indirect: op_call_indirect(e, ins->a, ins->b); return false;
  case WASM_OP_local_get: case WASM_OP_local_set: case WASM_OP_local_tee:
  case WASM_OP_global_get: case WASM_OP_global_set:
    op_variable(e, ins);
    return false;
  case WASM_OP_drop: case WASM_OP_select: case WASM_OP_select_t: case WASM_OP_ref_null:
  case WASM_OP_ref_is_null: case WASM_OP_ref_func:
    op_parametric(e, ins);
    return false;
  case WASM_OP_table_get: case WASM_OP_table_set: op_table(e, ins); return false;
  case WASM_OP_i32_const: case WASM_OP_i64_const: case WASM_OP_f32_const:
  case WASM_OP_f64_const:
    emit_const(e, ins);
    return false;
  case WASM_OP_memory_size:
    aot_buf_printf(e->o, "si%u = op_memory_size(c);\n", e->h);
    ef_push(e, WT_I32);
    return false;
  case WASM_OP_memory_grow:
    aot_buf_printf(e->o, "si%u = c->rt->memory_grow(c, si%u);\n", e->h - 1, e->h - 1);
    return false;
  default: emit_plain(e, &op_infos[op], ins); return false;
  }
}

/* "T l0, T l1" parameter list of function type t. */
static void emit_params(aot_buf *o, const mod_functype *t) {
  aot_buf_puts(o, "aot_ctx *c");
  for (uint32_t k = 0; k < t->nparams; k++)
    aot_buf_printf(o, ", %s l%u", aot_ctype(mod_param(t, k)), k);
}

/* Declarations: non-parameter locals (zeroed), the stack variables that
** were used, the memory base and the cached global cells. */
static void emit_decls(ef *e, aot_buf *o) {
  uint32_t np = e->ft->nparams;
  for (uint32_t i = 0; i < e->f->nlocals; i++) {
    uint8_t t = e->f->local_types[i];
    aot_buf_printf(o, "  %s l%u = %s;\n", aot_ctype(t), np + i, t == WT_V128 ? "{0}" : "0");
  }
  static const uint8_t kinds[6] = {WT_I32, WT_I64, WT_F32, WT_F64, WT_FUNCREF, WT_V128};
  for (int k = 0; k < 6 && e->maxh; k++) {
    for (uint32_t h = 0; h < e->maxh; h++) {
      if (h % 16 == 0) aot_buf_printf(o, "%s  %s ", h ? ";\n" : "", aot_ctype(kinds[k]));
      else aot_buf_puts(o, ", ");
      aot_buf_printf(o, "%s%u", ef_pfx(kinds[k]), h);
    }
    aot_buf_puts(o, ";\n");
  }
  aot_buf_puts(o, "  uint8_t *M = c->mem; (void)M;\n  uint32_t TK = AOT_TICKS; (void)TK;\n");
  for (uint32_t g = 0; g < e->m->nglobals_total; g++)
    if (e->gused[g]) aot_buf_printf(o, "  uint64_t *const G%u = c->globals[%u];\n", g, g);
}

/* The C return type of function type `ti`. */
static void emit_ret_type(aot_buf *o, const wt_module *m, uint32_t ti) {
  const mod_functype *t = &m->types[ti];
  if (t->nresults == 0) aot_buf_puts(o, "void");
  else if (t->nresults == 1) aot_buf_puts(o, aot_ctype(mod_result(t, 0)));
  else aot_buf_printf(o, "aot_rs%u", ti);
}

/* Translates the whole body into e->o; false on malformed input the
** validator should have refused, or out of memory. */
static bool emit_body(ef *e) {
  const mod_func *f = e->f;
  dec_rd rd = dec_rd_make(e->m->bytes, f->code_offset, (size_t)f->code_offset + f->code_len);
  ef_ctrl *fc = push_ctrl(e, K_FUNC);
  if (!fc) return false;
  fc->nr = e->ft->nresults;
  fc->rt = e->ft->types + e->ft->nparams;
  dec_instr ins;
  while (!e->oom && !e->o->oom) {
    if (!dec_instr_next(&rd, &ins)) return false;
    if (aot_emit_idiom(e, &rd, &ins)) continue;
    if (emit_instr(e, &ins)) return true;
  }
  return false;
}

wt_status aot_emit_func(const wt_module *m, uint32_t i, aot_buf *out, wt_error *err) {
  ef e;
  memset(&e, 0, sizeof e);
  e.m = m;
  e.f = &m->funcs[i];
  e.fi = m->nfunc_imports + i;
  uint32_t ti = m->func_types[e.fi];
  e.ft = &m->types[ti];
  aot_buf body = {0};
  e.o = &body;
  e.gused = calloc(m->nglobals_total + 1, 1);
  bool ok = e.gused && emit_body(&e) && !e.oom && !body.oom;
  if (ok) {
    aot_buf_puts(out, "static ");
    emit_ret_type(out, m, ti);
    aot_buf_printf(out, " f%u(", e.fi);
    emit_params(out, e.ft);
    aot_buf_puts(out, ") {\n");
    emit_decls(&e, out);
    /* The native stack itself is checked on entry (a big frame could
    ** overflow it before the depth limit is reached). */
    aot_buf_printf(out,
                   "  if (AOT_UNLIKELY((uintptr_t)__builtin_frame_address(0) < c->stack_limit)) "
                   "aot_trap(c, AOT_STACK_EXHAUSTED, %uu, 0x%xu);\n",
                   e.fi, e.f->code_offset);
    aot_buf_put(out, body.p, body.len);
    const mod_functype *t = e.ft;
    if (t->nresults == 1) {
      aot_buf_printf(out, "  return %s0;\n", ef_pfx(mod_result(t, 0)));
    } else if (t->nresults > 1) {
      aot_buf_printf(out, "  { aot_rs%u R;", ti);
      for (uint32_t k = 0; k < t->nresults; k++)
        aot_buf_printf(out, " R.r%u = %s%u;", k, ef_pfx(mod_result(t, k)), k);
      aot_buf_puts(out, " return R; }\n");
    }
    aot_buf_puts(out, "}\n\n");
  }
  aot_buf_free(&body);
  free(e.types);
  free(e.ctl);
  free(e.gused);
  if (ok && !out->oom) return WT_OK;
  if (e.oom || body.oom || out->oom || !e.gused)
    return mod_fail(err, WT_ERR_NOMEM, UINT64_MAX, "aot: out of memory translating function %u",
                    e.fi);
  return mod_fail(err, WT_ERR_UNSUPPORTED, e.f->code_offset,
                  "aot: cannot translate function %u", e.fi);
}
