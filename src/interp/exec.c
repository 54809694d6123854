/*
** exec.c — the dispatch loop over the internal code of code.h.
**
** One C function runs every Wasm frame of a wt_func_call: Wasm-to-Wasm
** calls push an interp_frame on an explicit, bounded frame stack instead of
** recursing in C, so deep guest recursion ends in "call stack exhausted",
** never in a host stack overflow. The value stack is one array; a callee's
** frame starts at its caller's argument slots.
**
** Dispatch is computed goto (GCC/Clang labels as values) by default, or a
** portable `switch` when INTERP_USE_SWITCH is defined; the handlers are
** written once with the CASE/NEXT macros and are the same in both.
**
** Handlers read all their operands before writing their destination
** (translate.c may make a destination equal to an operand), and advance pc
** only after their last trap check, so a trap reports the instruction.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interp/code.h"
#include "interp/numeric.h"
#include "interp/simd_fast.h"
#include "wasm/v128.h"

#if !defined(INTERP_USE_SWITCH) && defined(__GNUC__)
#define INTERP_COMPUTED_GOTO 1
#else
#define INTERP_COMPUTED_GOTO 0
#endif

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Clock reads between two deadline checks of the `tick` op. */
#define TICK_INTERVAL 4096u

uint64_t interp_pc_offset(const interp_code *code, const uint32_t *pc) {
  if (!code || !code->npcmap || pc < code->code) return UINT64_MAX;
  uint32_t at = (uint32_t)(pc - code->code), lo = 0, hi = code->npcmap;
  while (hi - lo > 1) { /* last entry with code index <= at */
    uint32_t mid = (lo + hi) / 2;
    if (code->pcmap[2 * mid] <= at) lo = mid;
    else hi = mid;
  }
  return code->pcmap[2 * lo + 1];
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- slow paths, kept out of the loop ------------------------------------------- */

static wt_trap_kind call_host(interp_exec *ex, wt_instance *inst, wt_func *f, uint64_t *slots) {
  wt_host_call hc = {inst, inst->mem0, f->userdata, &ex->host_err};
  ex->host_err.message[0] = '\0';
  ex->host_err.exit_code = 0;
  return f->host(&hc, slots);
}

static wt_trap_kind tick(interp_exec *ex) {
  ex->ticks = TICK_INTERVAL;
  if (ex->deadline_ns && now_ns() > ex->deadline_ns) return WT_TRAP_TIMEOUT;
  return WT_TRAP_NONE;
}

static wt_trap_kind memory_copy(wt_memory *m, uint32_t d, uint32_t s, uint32_t n) {
  if (!m || (uint64_t)d + n > m->size || (uint64_t)s + n > m->size) return WT_TRAP_MEMORY_OOB;
  memmove(m->base + d, m->base + s, n);
  return WT_TRAP_NONE;
}

static wt_trap_kind memory_fill(wt_memory *m, uint32_t d, uint32_t v, uint32_t n) {
  if (!m || (uint64_t)d + n > m->size) return WT_TRAP_MEMORY_OOB;
  memset(m->base + d, (int)(v & 0xff), n);
  return WT_TRAP_NONE;
}

static wt_trap_kind table_copy(wt_table *dt, wt_table *st, uint32_t d, uint32_t s, uint32_t n) {
  if ((uint64_t)d + n > dt->size || (uint64_t)s + n > st->size) return WT_TRAP_TABLE_OOB;
  if (n) memmove(dt->elems + d, st->elems + s, (size_t)n * sizeof(void *));
  return WT_TRAP_NONE;
}

static wt_trap_kind table_fill(wt_table *t, uint32_t i, void *val, uint32_t n) {
  if ((uint64_t)i + n > t->size) return WT_TRAP_TABLE_OOB;
  for (uint32_t k = 0; k < n; k++) t->elems[i + k] = val;
  return WT_TRAP_NONE;
}

/* ---- the loop ---------------------------------------------------------------------- */

#define R32(s) ((uint32_t)fp[s])
#define R64(s) (fp[s])
#define RF32(s) f32_of(fp[s])
#define RF64(s) f64_of(fp[s])
#define W32(s, v) (fp[s] = (uint32_t)(v))
#define W64(s, v) (fp[s] = (uint64_t)(v))
#define REL(at) ((int32_t)pc[at])

#if INTERP_COMPUTED_GOTO
#define CASE(name) L_##name:
#define NEXT() goto *labels[*pc]
#define DISPATCH_BEGIN NEXT();
#define DISPATCH_END
#else
#define CASE(name) case IOP_##name:
#define NEXT() goto dispatch
#define DISPATCH_BEGIN \
  dispatch:            \
  switch ((interp_op)*pc) {
#define DISPATCH_END \
  default: goto bad_op; \
  }
#endif

#define TRAP(k)       \
  do {                \
    trap = (k);       \
    goto trapped;     \
  } while (0)

/* The one bounds check of linear memory: [ea, ea+n) must be inside. ea is
** a 33-bit sum (i32 address + u32 offset), so the addition cannot wrap. */
#define MEM_CHECK(ea, n) \
  if (UNLIKELY((ea) + (n) > memsz)) TRAP(WT_TRAP_MEMORY_OOB)

/* Fills a new frame's constant slots (code.h). A plain loop: the pools are
** small, and a memcpy call costs more than the copy on short calls. */
#define COPY_CONSTS(f, c)                                                  \
  for (uint32_t k_ = 0; k_ < (c)->nconsts; k_++) (f)[(c)->nlocals + k_] = (c)->consts[k_]

#define RELOAD_MEM()                          \
  do {                                        \
    wt_memory *m_ = inst->mem0;               \
    mem = m_ ? m_->base : NULL;               \
    memsz = m_ ? m_->size : 0;                \
  } while (0)

#define OP_BIN32(name, expr)                               \
  CASE(name) {                                             \
    uint32_t a = R32(pc[2]), b = R32(pc[3]);               \
    W32(pc[1], expr);                                      \
    pc += 4;                                               \
    NEXT();                                                \
  }
#define OP_BIN64(name, expr)                               \
  CASE(name) {                                             \
    uint64_t a = R64(pc[2]), b = R64(pc[3]);               \
    W64(pc[1], expr);                                      \
    pc += 4;                                               \
    NEXT();                                                \
  }
#define OP_UN32(name, expr)                                \
  CASE(name) {                                             \
    uint32_t a = R32(pc[2]);                               \
    W32(pc[1], expr);                                      \
    pc += 3;                                               \
    NEXT();                                                \
  }
#define OP_UN64(name, expr)                                \
  CASE(name) {                                             \
    uint64_t a = R64(pc[2]);                               \
    W64(pc[1], expr);                                      \
    pc += 3;                                               \
    NEXT();                                                \
  }
/* i32 operand, 64-bit result. */
#define OP_WIDEN(name, expr)                               \
  CASE(name) {                                             \
    uint32_t a = R32(pc[2]);                               \
    W64(pc[1], expr);                                      \
    pc += 3;                                               \
    NEXT();                                                \
  }
/* Float ops: T is float or double, RD the slot reader, WR the encoder. */
#define OP_FBIN(name, T, RD, WR, expr)                     \
  CASE(name) {                                             \
    T a = RD(pc[2]), b = RD(pc[3]);                        \
    fp[pc[1]] = WR(expr);                                  \
    pc += 4;                                               \
    NEXT();                                                \
  }
#define OP_FCMP(name, T, RD, expr)                         \
  CASE(name) {                                             \
    T a = RD(pc[2]), b = RD(pc[3]);                        \
    W32(pc[1], expr);                                      \
    pc += 4;                                               \
    NEXT();                                                \
  }
#define OP_FUN(name, T, RD, WR, expr)                      \
  CASE(name) {                                             \
    T a = RD(pc[2]);                                       \
    fp[pc[1]] = WR(expr);                                  \
    pc += 3;                                               \
    NEXT();                                                \
  }
#define OP_LOAD(name, T, conv)                             \
  CASE(name) {                                             \
    uint64_t ea = (uint64_t)R32(pc[2]) + pc[3];            \
    MEM_CHECK(ea, sizeof(T));                              \
    T v;                                                   \
    memcpy(&v, mem + ea, sizeof v);                        \
    fp[pc[1]] = (conv);                                    \
    pc += 4;                                               \
    NEXT();                                                \
  }
/* Address-fused loads (code.h): B is the second addend, a slot value or
** the immediate; the sum wraps at 32 bits like i32.add. */
#define OP_LOAD_FUSED(name, T, conv, B)                    \
  CASE(name) {                                             \
    uint64_t ea = (uint64_t)(uint32_t)(R32(pc[2]) + (B)) + pc[4]; \
    MEM_CHECK(ea, sizeof(T));                              \
    T v;                                                   \
    memcpy(&v, mem + ea, sizeof v);                        \
    fp[pc[1]] = (conv);                                    \
    pc += 5;                                               \
    NEXT();                                                \
  }
#define OP_LOAD_AI(n, T, conv) OP_LOAD_FUSED(n##_ai, T, conv, pc[3])
#define OP_LOAD_AR(n, T, conv) OP_LOAD_FUSED(n##_ar, T, conv, R32(pc[3]))
#define OP_STORE(name, T)                                  \
  CASE(name) {                                             \
    uint64_t ea = (uint64_t)R32(pc[1]) + pc[3];            \
    MEM_CHECK(ea, sizeof(T));                              \
    T v = (T)fp[pc[2]];                                    \
    memcpy(mem + ea, &v, sizeof v);                        \
    pc += 4;                                               \
    NEXT();                                                \
  }
/* Trapping float-to-int: FN is one of numeric.h's trunc_* helpers. */
#define OP_TRUNC(name, RD, FN)                             \
  CASE(name) {                                             \
    double a = RD(pc[2]);                                  \
    uint64_t r;                                            \
    if (UNLIKELY(!FN(a, &r)))                              \
      TRAP(a != a ? WT_TRAP_INVALID_CONVERSION : WT_TRAP_INT_OVERFLOW); \
    fp[pc[1]] = r;                                         \
    pc += 3;                                               \
    NEXT();                                                \
  }
#define OP_BRCMP(name, expr, B)                            \
  CASE(name) {                                             \
    uint32_t a = R32(pc[1]), b = (B);                      \
    if (expr) pc += 3 + REL(3);                            \
    else pc += 4;                                          \
    NEXT();                                                \
  }
/* add_imm then compare-and-branch (code.h): the sum is written before the
** comparison reads its operands, as in the two ops it replaces. */
#define OP_ADD_BRCMP(name, expr, B)                        \
  CASE(name) {                                             \
    W32(pc[1], R32(pc[2]) + pc[3]);                        \
    uint32_t a = R32(pc[4]), b = (B);                      \
    if (expr) pc += 6 + REL(6);                            \
    else pc += 7;                                          \
    NEXT();                                                \
  }
#define OP_BIN32I(name, expr)                              \
  CASE(name) {                                             \
    uint32_t a = R32(pc[2]), b = pc[3];                    \
    W32(pc[1], expr);                                      \
    pc += 4;                                               \
    NEXT();                                                \
  }

/* The i32 ops that also have immediate forms (code.h's
** INTERP_I32_IMM_OPS), as (name, expression of a and b). */
#define I32_ARITH_EXPRS(X)                                 \
  X(add, a + b) X(sub, a - b) X(mul, a * b) X(and, a & b) X(or, a | b) X(xor, a ^ b) \
  X(shl, a << (b & 31)) X(shr_s, (uint32_t)((int32_t)a >> (b & 31))) X(shr_u, a >> (b & 31))
#define I32_CMP_EXPRS(X)                                   \
  X(eq, a == b) X(ne, a != b)                              \
  X(lt_s, (int32_t)a < (int32_t)b) X(ge_s, (int32_t)a >= (int32_t)b) \
  X(lt_u, a < b) X(ge_u, a >= b)                           \
  X(gt_s, (int32_t)a > (int32_t)b) X(le_s, (int32_t)a <= (int32_t)b) \
  X(gt_u, a > b) X(le_u, a <= b)
/* f32 comparisons with a fused branch form (code.h's INTERP_F32_CMPS). */
#define F32_CMP_EXPRS(X) \
  X(eq, a == b) X(ne, a != b) X(lt, a < b) X(gt, a > b) X(le, a <= b) X(ge, a >= b)
#define OP_BRF(n, expr)                                    \
  CASE(br_f32_##n) {                                       \
    float a = RF32(pc[1]), b = RF32(pc[2]);                \
    if (expr) pc += 3 + REL(3);                            \
    else pc += 4;                                          \
    NEXT();                                                \
  }                                                        \
  CASE(br_f32_n##n) {                                      \
    float a = RF32(pc[1]), b = RF32(pc[2]);                \
    if (!(expr)) pc += 3 + REL(3);                         \
    else pc += 4;                                          \
    NEXT();                                                \
  }
#define OP_BIN32_REG(n, expr) OP_BIN32(i32_##n, expr)
#define OP_BIN32_IMM(n, expr) OP_BIN32I(i32_##n##_imm, expr)
#define OP_BR_REG(n, expr) OP_BRCMP(br_##n##_i32, expr, R32(pc[2]))
#define OP_BR_IMM(n, expr) OP_BRCMP(br_##n##_i32_imm, expr, pc[2])
#define OP_ADD_BR_REG(n, expr) OP_ADD_BRCMP(add_br_##n##_i32, expr, R32(pc[5]))
#define OP_ADD_BR_IMM(n, expr) OP_ADD_BRCMP(add_br_##n##_i32_imm, expr, pc[5])

wt_trap_kind interp_run(interp_exec *ex, wt_func *fn, interp_site *site) {
#if INTERP_COMPUTED_GOTO
#define LABEL(name, a, b, c) &&L_##name,
#define LABEL_SIMD(name, a, b, c, d) &&L_##name,
#define LABEL_IMM(n) &&L_i32_##n##_imm,
#define LABEL_BR(n) &&L_br_##n##_i32,
#define LABEL_BRI(n) &&L_br_##n##_i32_imm,
#define LABEL_LAI(n, T, conv) &&L_##n##_ai,
#define LABEL_ABR(n) &&L_add_br_##n##_i32,
#define LABEL_ABRI(n) &&L_add_br_##n##_i32_imm,
#define LABEL_LAR(n, T, conv) &&L_##n##_ar,
#define LABEL_BRF(n) &&L_br_f32_##n,
#define LABEL_BRFN(n) &&L_br_f32_n##n,
  /* In the order of enum interp_op (code.h). */
  static const void *const labels[IOP_COUNT] = {
      WASM_OPCODES(LABEL) WASM_OPCODES_FC(LABEL) INTERP_EXTRA_OPS(LABEL)
      WASM_OPCODES_SIMD(LABEL_SIMD)
      INTERP_I32_IMM_OPS(LABEL_IMM) INTERP_I32_CMPS(LABEL_BR) INTERP_I32_CMPS(LABEL_BRI)
      INTERP_FUSED_LOADS(LABEL_LAI) INTERP_FUSED_LOADS(LABEL_LAR)
      INTERP_I32_CMPS(LABEL_ABR) INTERP_I32_CMPS(LABEL_ABRI)
      INTERP_F32_CMPS(LABEL_BRF) INTERP_F32_CMPS(LABEL_BRFN)};
#undef LABEL
#undef LABEL_SIMD
#undef LABEL_IMM
#undef LABEL_BR
#undef LABEL_BRI
#undef LABEL_LAI
#undef LABEL_ABR
#undef LABEL_ABRI
#undef LABEL_LAR
#undef LABEL_BRF
#undef LABEL_BRFN
#endif
  const interp_code *code = fn->code;
  interp_frame *frames = ex->frames;
  uint64_t *const stack_end = ex->stack + ex->nslots;
  uint32_t depth = 0;
  wt_trap_kind trap = WT_TRAP_NONE;
  wt_instance *inst = fn->inst;
  uint64_t *fp = ex->stack;
  const uint32_t *pc = code->code;
  uint8_t *mem;
  uint64_t memsz;
  wt_func *callee;
  uint64_t *nfp;
  const uint32_t *next;

  frames[0] = (interp_frame){fn, fp, NULL};
  if (code->frame_slots > ex->nslots) TRAP(WT_TRAP_STACK_EXHAUSTED);
  memset(fp + code->nparams, 0, (size_t)(code->nlocals - code->nparams) * sizeof *fp);
  COPY_CONSTS(fp, code);
  RELOAD_MEM();

  DISPATCH_BEGIN

  /* ---- control ---- */
  CASE(unreachable) TRAP(WT_TRAP_UNREACHABLE);
  CASE(jmp) {
    pc += 1 + REL(1);
    NEXT();
  }
  CASE(br_nz) {
    if (R32(pc[1])) pc += 2 + REL(2);
    else pc += 3;
    NEXT();
  }
  CASE(br_z) {
    if (!R32(pc[1])) pc += 2 + REL(2);
    else pc += 3;
    NEXT();
  }
  I32_CMP_EXPRS(OP_BR_REG)
  I32_CMP_EXPRS(OP_BR_IMM)
  I32_CMP_EXPRS(OP_ADD_BR_REG)
  I32_CMP_EXPRS(OP_ADD_BR_IMM)
  F32_CMP_EXPRS(OP_BRF)
  CASE(br_table) {
    uint32_t i = R32(pc[1]), n = pc[2];
    const uint32_t *t = pc + 3 + (i < n ? i : n);
    pc = t + (int32_t)*t;
    NEXT();
  }
  CASE(tick) {
    if (UNLIKELY(--ex->ticks == 0) && (trap = tick(ex)) != WT_TRAP_NONE) goto trapped;
    pc += 1;
    NEXT();
  }
  CASE(call) {
    callee = inst->funcs[pc[1]];
    nfp = fp + pc[2];
    next = pc + 3;
    goto do_call;
  }
  CASE(call_indirect) {
    wt_table *tab = inst->tables[pc[2]];
    uint32_t i = R32(pc[3]);
    if (UNLIKELY(i >= tab->size)) TRAP(WT_TRAP_UNDEFINED_ELEM);
    callee = tab->elems[i];
    if (UNLIKELY(!callee)) TRAP(WT_TRAP_UNINITIALIZED_ELEM);
    if (UNLIKELY(callee->type_id != pc[1])) TRAP(WT_TRAP_INDIRECT_MISMATCH);
    nfp = fp + pc[4];
    next = pc + 5;
    goto do_call;
  }
  CASE(return) {
    next = frames[depth].ret_pc;
    if (depth == 0) goto done;
    depth--;
    fp = frames[depth].fp;
    inst = frames[depth].fn->inst;
    pc = next;
    RELOAD_MEM();
    NEXT();
  }

  /* ---- parametric, variables, references ---- */
  CASE(mov) {
    fp[pc[1]] = fp[pc[2]];
    pc += 3;
    NEXT();
  }
  CASE(mov2) {
    fp[pc[1]] = fp[pc[2]];
    fp[pc[3]] = fp[pc[4]];
    pc += 5;
    NEXT();
  }
  CASE(select) {
    /* A mask, not `c ? a : b`: gcc compiles the conditional to a branch,
    ** which mispredicts on data-dependent selects (arg-max, clamps). */
    uint64_t m = (uint64_t)0 - (uint64_t)(R32(pc[4]) != 0);
    fp[pc[1]] = (fp[pc[2]] & m) | (fp[pc[3]] & ~m);
    pc += 5;
    NEXT();
  }
  CASE(global_get) {
    fp[pc[1]] = inst->globals[pc[2]]->val;
    pc += 3;
    NEXT();
  }
  CASE(global_set) {
    inst->globals[pc[1]]->val = fp[pc[2]];
    pc += 3;
    NEXT();
  }
  CASE(ref_func) {
    fp[pc[1]] = (uint64_t)(uintptr_t)inst->funcs[pc[2]];
    pc += 3;
    NEXT();
  }
  CASE(i32_const) {
    fp[pc[1]] = pc[2];
    pc += 3;
    NEXT();
  }
  CASE(i64_const) {
    fp[pc[1]] = (uint64_t)pc[2] | (uint64_t)pc[3] << 32;
    pc += 4;
    NEXT();
  }
  CASE(i64_add_imm) {
    W64(pc[1], R64(pc[2]) + ((uint64_t)pc[3] | (uint64_t)pc[4] << 32));
    pc += 5;
    NEXT();
  }

  /* ---- tables ---- */
  CASE(table_get) {
    wt_table *t = inst->tables[pc[2]];
    uint32_t i = R32(pc[3]);
    if (UNLIKELY(i >= t->size)) TRAP(WT_TRAP_TABLE_OOB);
    fp[pc[1]] = (uint64_t)(uintptr_t)t->elems[i];
    pc += 4;
    NEXT();
  }
  CASE(table_set) {
    wt_table *t = inst->tables[pc[1]];
    uint32_t i = R32(pc[2]);
    if (UNLIKELY(i >= t->size)) TRAP(WT_TRAP_TABLE_OOB);
    t->elems[i] = (void *)(uintptr_t)fp[pc[3]];
    pc += 4;
    NEXT();
  }
  CASE(table_size) {
    W32(pc[1], inst->tables[pc[2]]->size);
    pc += 3;
    NEXT();
  }
  CASE(table_grow) {
    int64_t r = rt_table_grow(inst->tables[pc[2]], R32(pc[4]), (void *)(uintptr_t)fp[pc[3]]);
    W32(pc[1], (uint32_t)r);
    pc += 5;
    NEXT();
  }
  CASE(table_fill) {
    trap = table_fill(inst->tables[pc[1]], R32(pc[2]), (void *)(uintptr_t)fp[pc[3]], R32(pc[4]));
    if (UNLIKELY(trap)) goto trapped;
    pc += 5;
    NEXT();
  }
  CASE(table_init) {
    trap = rt_table_init(inst, pc[5], pc[4], R32(pc[1]), R32(pc[2]), R32(pc[3]));
    if (UNLIKELY(trap)) goto trapped;
    pc += 6;
    NEXT();
  }
  CASE(table_copy) {
    trap = table_copy(inst->tables[pc[4]], inst->tables[pc[5]], R32(pc[1]), R32(pc[2]),
                      R32(pc[3]));
    if (UNLIKELY(trap)) goto trapped;
    pc += 6;
    NEXT();
  }
  CASE(elem_drop) {
    inst->elem_len[pc[1]] = 0;
    pc += 2;
    NEXT();
  }

  /* ---- memory ---- */
  INTERP_FUSED_LOADS(OP_LOAD_AI)
  INTERP_FUSED_LOADS(OP_LOAD_AR)
  OP_LOAD(i32_load, uint32_t, v)
  OP_LOAD(f32_load8_u, uint8_t, bits_f32((float)v))
  OP_LOAD_FUSED(f32_load8_u_ai, uint8_t, bits_f32((float)v), pc[3])
  OP_LOAD_FUSED(f32_load8_u_ar, uint8_t, bits_f32((float)v), R32(pc[3]))
  OP_LOAD(i64_load, uint64_t, v)
  OP_LOAD(f32_load, uint32_t, v)
  OP_LOAD(f64_load, uint64_t, v)
  OP_LOAD(i32_load8_s, int8_t, (uint32_t)(int32_t)v)
  OP_LOAD(i32_load8_u, uint8_t, (uint32_t)v)
  OP_LOAD(i32_load16_s, int16_t, (uint32_t)(int32_t)v)
  OP_LOAD(i32_load16_u, uint16_t, (uint32_t)v)
  OP_LOAD(i64_load8_s, int8_t, (uint64_t)(int64_t)v)
  OP_LOAD(i64_load8_u, uint8_t, (uint64_t)v)
  OP_LOAD(i64_load16_s, int16_t, (uint64_t)(int64_t)v)
  OP_LOAD(i64_load16_u, uint16_t, (uint64_t)v)
  OP_LOAD(i64_load32_s, int32_t, (uint64_t)(int64_t)v)
  OP_LOAD(i64_load32_u, uint32_t, (uint64_t)v)
  OP_STORE(i32_store, uint32_t)
  OP_STORE(i64_store, uint64_t)
  OP_STORE(f32_store, uint32_t)
  OP_STORE(f64_store, uint64_t)
  OP_STORE(i32_store8, uint8_t)
  OP_STORE(i32_store16, uint16_t)
  OP_STORE(i64_store8, uint8_t)
  OP_STORE(i64_store16, uint16_t)
  OP_STORE(i64_store32, uint32_t)
  CASE(memory_size) {
    W32(pc[1], inst->mem0->pages);
    pc += 2;
    NEXT();
  }
  CASE(memory_grow) {
    int64_t r = rt_memory_grow(inst->mem0, R32(pc[2]));
    W32(pc[1], (uint32_t)r);
    RELOAD_MEM();
    pc += 3;
    NEXT();
  }
  CASE(memory_init) {
    trap = rt_memory_init(inst, pc[4], R32(pc[1]), R32(pc[2]), R32(pc[3]));
    if (UNLIKELY(trap)) goto trapped;
    pc += 5;
    NEXT();
  }
  CASE(data_drop) {
    inst->data_len[pc[1]] = 0;
    pc += 2;
    NEXT();
  }
  CASE(memory_copy) {
    trap = memory_copy(inst->mem0, R32(pc[1]), R32(pc[2]), R32(pc[3]));
    if (UNLIKELY(trap)) goto trapped;
    pc += 4;
    NEXT();
  }
  CASE(memory_fill) {
    trap = memory_fill(inst->mem0, R32(pc[1]), R32(pc[2]), R32(pc[3]));
    if (UNLIKELY(trap)) goto trapped;
    pc += 4;
    NEXT();
  }

  /* ---- i32 ---- */
  OP_UN32(i32_eqz, a == 0)
  I32_CMP_EXPRS(OP_BIN32_REG)
  OP_UN32(i32_clz, clz32(a))
  OP_UN32(i32_ctz, ctz32(a))
  OP_UN32(i32_popcnt, (uint32_t)__builtin_popcount(a))
  I32_ARITH_EXPRS(OP_BIN32_REG)
  I32_ARITH_EXPRS(OP_BIN32_IMM)
  I32_CMP_EXPRS(OP_BIN32_IMM)
  CASE(i32_muladd) {
    W32(pc[1], R32(pc[2]) * R32(pc[3]) + R32(pc[4]));
    pc += 5;
    NEXT();
  }
  CASE(i32_muladd_imm) {
    W32(pc[1], R32(pc[2]) * pc[3] + R32(pc[4]));
    pc += 5;
    NEXT();
  }
  CASE(i32_shr_u_and) {
    W32(pc[1], (R32(pc[2]) >> (pc[3] & 31)) & pc[4]);
    pc += 5;
    NEXT();
  }
  CASE(i32_shladd) {
    W32(pc[1], (R32(pc[2]) << (pc[3] & 31)) + R32(pc[4]));
    pc += 5;
    NEXT();
  }
  CASE(i32x4_extract_lane_shl) {
    W32(pc[1], isf_lane32(fp + pc[2], pc[3]) << (pc[4] & 31));
    pc += 5;
    NEXT();
  }
  CASE(i32x4_extract_shladd) {
    W32(pc[1], (isf_lane32(fp + pc[2], pc[3]) << (pc[4] & 31)) + R32(pc[5]));
    pc += 6;
    NEXT();
  }
  CASE(i32_div_s) {
    int32_t a = (int32_t)R32(pc[2]), b = (int32_t)R32(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(WT_TRAP_DIV_BY_ZERO);
    if (UNLIKELY(a == INT32_MIN && b == -1)) TRAP(WT_TRAP_INT_OVERFLOW);
    W32(pc[1], a / b);
    pc += 4;
    NEXT();
  }
  CASE(i32_div_u) {
    uint32_t a = R32(pc[2]), b = R32(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(WT_TRAP_DIV_BY_ZERO);
    W32(pc[1], a / b);
    pc += 4;
    NEXT();
  }
  CASE(i32_rem_s) {
    int32_t a = (int32_t)R32(pc[2]), b = (int32_t)R32(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(WT_TRAP_DIV_BY_ZERO);
    W32(pc[1], b == -1 ? 0 : a % b);
    pc += 4;
    NEXT();
  }
  CASE(i32_rem_u) {
    uint32_t a = R32(pc[2]), b = R32(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(WT_TRAP_DIV_BY_ZERO);
    W32(pc[1], a % b);
    pc += 4;
    NEXT();
  }
  OP_BIN32(i32_rotl, rotl32(a, b))
  OP_BIN32(i32_rotr, rotr32(a, b))

  /* ---- i64 ---- */
  OP_UN64(i64_eqz, a == 0)
  OP_BIN64(i64_eq, a == b)
  OP_BIN64(i64_ne, a != b)
  OP_BIN64(i64_lt_s, (int64_t)a < (int64_t)b)
  OP_BIN64(i64_lt_u, a < b)
  OP_BIN64(i64_gt_s, (int64_t)a > (int64_t)b)
  OP_BIN64(i64_gt_u, a > b)
  OP_BIN64(i64_le_s, (int64_t)a <= (int64_t)b)
  OP_BIN64(i64_le_u, a <= b)
  OP_BIN64(i64_ge_s, (int64_t)a >= (int64_t)b)
  OP_BIN64(i64_ge_u, a >= b)
  OP_UN64(i64_clz, clz64(a))
  OP_UN64(i64_ctz, ctz64(a))
  OP_UN64(i64_popcnt, (uint64_t)__builtin_popcountll(a))
  OP_BIN64(i64_add, a + b)
  OP_BIN64(i64_sub, a - b)
  OP_BIN64(i64_mul, a * b)
  CASE(i64_div_s) {
    int64_t a = (int64_t)R64(pc[2]), b = (int64_t)R64(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(WT_TRAP_DIV_BY_ZERO);
    if (UNLIKELY(a == INT64_MIN && b == -1)) TRAP(WT_TRAP_INT_OVERFLOW);
    W64(pc[1], a / b);
    pc += 4;
    NEXT();
  }
  CASE(i64_div_u) {
    uint64_t a = R64(pc[2]), b = R64(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(WT_TRAP_DIV_BY_ZERO);
    W64(pc[1], a / b);
    pc += 4;
    NEXT();
  }
  CASE(i64_rem_s) {
    int64_t a = (int64_t)R64(pc[2]), b = (int64_t)R64(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(WT_TRAP_DIV_BY_ZERO);
    W64(pc[1], b == -1 ? 0 : a % b);
    pc += 4;
    NEXT();
  }
  CASE(i64_rem_u) {
    uint64_t a = R64(pc[2]), b = R64(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(WT_TRAP_DIV_BY_ZERO);
    W64(pc[1], a % b);
    pc += 4;
    NEXT();
  }
  OP_BIN64(i64_and, a & b)
  OP_BIN64(i64_or, a | b)
  OP_BIN64(i64_xor, a ^ b)
  OP_BIN64(i64_shl, a << (b & 63))
  OP_BIN64(i64_shr_s, (uint64_t)((int64_t)a >> (b & 63)))
  OP_BIN64(i64_shr_u, a >> (b & 63))
  OP_BIN64(i64_rotl, rotl64(a, b))
  OP_BIN64(i64_rotr, rotr64(a, b))

  /* ---- f32 ---- */
  OP_FCMP(f32_eq, float, RF32, a == b)
  OP_FCMP(f32_ne, float, RF32, a != b)
  OP_FCMP(f32_lt, float, RF32, a < b)
  OP_FCMP(f32_gt, float, RF32, a > b)
  OP_FCMP(f32_le, float, RF32, a <= b)
  OP_FCMP(f32_ge, float, RF32, a >= b)
  OP_UN32(f32_abs, a & 0x7fffffffu)
  OP_UN32(f32_neg, a ^ 0x80000000u)
  OP_FUN(f32_ceil, float, RF32, bits_f32, wasm_ceil32(a))
  OP_FUN(f32_floor, float, RF32, bits_f32, wasm_floor32(a))
  OP_FUN(f32_trunc, float, RF32, bits_f32, wasm_trunc32(a))
  OP_FUN(f32_nearest, float, RF32, bits_f32, wasm_nearest32(a))
  OP_FUN(f32_sqrt, float, RF32, bits_f32, sqrtf(a))
/* A float comparison fused with the select it feeds (translate.c). The
** comparison is still written to its slot: it may be a local that is read
** again (local.tee). Everything is read before anything is written. */
#define OP_SELECT_FCMP(name, cmp)                                          \
  CASE(name) {                                                             \
    uint64_t x = fp[pc[2]], y = fp[pc[3]];                                 \
    uint32_t c = RF32(pc[4]) cmp RF32(pc[5]);                              \
    uint64_t m = (uint64_t)0 - (uint64_t)c;                                \
    fp[pc[6]] = c;                                                         \
    fp[pc[1]] = (x & m) | (y & ~m);                                        \
    pc += 7;                                                               \
    NEXT();                                                                \
  }
  OP_SELECT_FCMP(select_f32_lt, <)
  OP_SELECT_FCMP(select_f32_gt, >)
  /* Two statements, two roundings: the product is rounded to T before the
  ** add (C11 mode keeps gcc from contracting it into an FMA). */
#define OP_MULADD(name, T, RD, WR)                                          \
  CASE(name) {                                                              \
    T m = RD(pc[2]) * RD(pc[3]);                                            \
    T c = RD(pc[4]);                                                        \
    fp[pc[1]] = WR(m + c);                                                  \
    pc += 5;                                                                \
    NEXT();                                                                 \
  }
  OP_MULADD(f32_muladd, float, RF32, bits_f32)
  CASE(f32_submul) {
    float d = RF32(pc[2]) - RF32(pc[3]);
    float y = RF32(pc[4]);
    fp[pc[1]] = bits_f32(d * y);
    pc += 5;
    NEXT();
  }
  CASE(f32_lerp) {
    /* Three roundings, as the sub, mul and add it replaces. */
    float d = RF32(pc[2]) - RF32(pc[3]);
    float m = d * RF32(pc[4]);
    float c = RF32(pc[5]);
    fp[pc[1]] = bits_f32(m + c);
    pc += 6;
    NEXT();
  }
  OP_FBIN(f32_add, float, RF32, bits_f32, a + b)
  OP_FBIN(f32_sub, float, RF32, bits_f32, a - b)
  OP_FBIN(f32_mul, float, RF32, bits_f32, a * b)
  OP_FBIN(f32_div, float, RF32, bits_f32, a / b)
  OP_BIN64(f32_min, wasm_fmin32(a, b))
  OP_BIN64(f32_max, wasm_fmax32(a, b))
  OP_BIN32(f32_copysign, (a & 0x7fffffffu) | (b & 0x80000000u))

  /* ---- f64 ---- */
  OP_FCMP(f64_eq, double, RF64, a == b)
  OP_FCMP(f64_ne, double, RF64, a != b)
  OP_FCMP(f64_lt, double, RF64, a < b)
  OP_FCMP(f64_gt, double, RF64, a > b)
  OP_FCMP(f64_le, double, RF64, a <= b)
  OP_FCMP(f64_ge, double, RF64, a >= b)
  OP_UN64(f64_abs, a & 0x7fffffffffffffffull)
  OP_UN64(f64_neg, a ^ 0x8000000000000000ull)
  OP_FUN(f64_ceil, double, RF64, bits_f64, wasm_ceil64(a))
  OP_FUN(f64_floor, double, RF64, bits_f64, wasm_floor64(a))
  OP_FUN(f64_trunc, double, RF64, bits_f64, wasm_trunc64(a))
  OP_FUN(f64_nearest, double, RF64, bits_f64, wasm_nearest64(a))
  OP_FUN(f64_sqrt, double, RF64, bits_f64, sqrt(a))
  OP_MULADD(f64_muladd, double, RF64, bits_f64)
  OP_FBIN(f64_add, double, RF64, bits_f64, a + b)
  OP_FBIN(f64_sub, double, RF64, bits_f64, a - b)
  OP_FBIN(f64_mul, double, RF64, bits_f64, a * b)
  OP_FBIN(f64_div, double, RF64, bits_f64, a / b)
  OP_BIN64(f64_min, wasm_fmin64(a, b))
  OP_BIN64(f64_max, wasm_fmax64(a, b))
  OP_BIN64(f64_copysign, (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull))

  /* ---- conversions ---- */
  OP_UN64(i32_wrap_i64, (uint32_t)a)
  OP_TRUNC(i32_trunc_f32_s, RF32, trunc_i32_s)
  OP_TRUNC(i32_trunc_f32_u, RF32, trunc_i32_u)
  OP_TRUNC(i32_trunc_f64_s, RF64, trunc_i32_s)
  OP_TRUNC(i32_trunc_f64_u, RF64, trunc_i32_u)
  OP_WIDEN(i64_extend_i32_s, (int64_t)(int32_t)a)
  OP_WIDEN(i64_extend_i32_u, a)
  OP_TRUNC(i64_trunc_f32_s, RF32, trunc_i64_s)
  OP_TRUNC(i64_trunc_f32_u, RF32, trunc_i64_u)
  OP_TRUNC(i64_trunc_f64_s, RF64, trunc_i64_s)
  OP_TRUNC(i64_trunc_f64_u, RF64, trunc_i64_u)
  OP_UN32(f32_convert_i32_s, bits_f32((float)(int32_t)a))
  OP_UN32(f32_convert_i32_u, bits_f32((float)a))
  OP_UN64(f32_convert_i64_s, bits_f32((float)(int64_t)a))
  OP_UN64(f32_convert_i64_u, bits_f32((float)a))
  OP_FUN(f32_demote_f64, double, RF64, bits_f32, (float)a)
  OP_WIDEN(f64_convert_i32_s, bits_f64((double)(int32_t)a))
  OP_WIDEN(f64_convert_i32_u, bits_f64((double)a))
  OP_UN64(f64_convert_i64_s, bits_f64((double)(int64_t)a))
  OP_UN64(f64_convert_i64_u, bits_f64((double)a))
  OP_FUN(f64_promote_f32, float, RF32, bits_f64, (double)a)
  OP_UN32(i32_reinterpret_f32, a)
  OP_UN64(i64_reinterpret_f64, a)
  OP_UN32(f32_reinterpret_i32, a)
  OP_UN64(f64_reinterpret_i64, a)
  OP_UN32(i32_extend8_s, (int32_t)(int8_t)a)
  OP_UN32(i32_extend16_s, (int32_t)(int16_t)a)
  OP_UN64(i64_extend8_s, (int64_t)(int8_t)a)
  OP_UN64(i64_extend16_s, (int64_t)(int16_t)a)
  OP_UN64(i64_extend32_s, (int64_t)(int32_t)a)
  OP_FUN(i32_trunc_sat_f32_s, float, RF32, , sat_i32_s(a))
  OP_FUN(i32_trunc_sat_f32_u, float, RF32, , sat_i32_u(a))
  OP_FUN(i32_trunc_sat_f64_s, double, RF64, , sat_i32_s(a))
  OP_FUN(i32_trunc_sat_f64_u, double, RF64, , sat_i32_u(a))
  OP_FUN(i64_trunc_sat_f32_s, float, RF32, , sat_i64_s(a))
  OP_FUN(i64_trunc_sat_f32_u, float, RF32, , sat_i64_u(a))
  OP_FUN(i64_trunc_sat_f64_s, double, RF64, , sat_i64_s(a))
  OP_FUN(i64_trunc_sat_f64_u, double, RF64, , sat_i64_u(a))

  /* ---- SIMD ---- */
#include "interp/exec_simd.inc"

  /* Wasm opcodes the translator never emits. */
  CASE(nop) CASE(block) CASE(loop) CASE(if) CASE(else) CASE(end) CASE(br) CASE(br_if)
  CASE(ref_null) CASE(ref_is_null) CASE(drop) CASE(select_t) CASE(local_get) CASE(local_set)
  CASE(local_tee) CASE(f32_const) CASE(f64_const)
  goto bad_op;

  DISPATCH_END

do_call:
  if (callee->host) {
    trap = call_host(ex, inst, callee, nfp);
    if (UNLIKELY(trap)) goto trapped;
    RELOAD_MEM();
    pc = next;
    NEXT();
  } else {
    const interp_code *c = callee->code;
    if (UNLIKELY(depth + 1 >= ex->max_frames || (size_t)(stack_end - nfp) < c->frame_slots))
      TRAP(WT_TRAP_STACK_EXHAUSTED);
    memset(nfp + c->nparams, 0, (size_t)(c->nlocals - c->nparams) * sizeof *nfp);
    COPY_CONSTS(nfp, c);
    frames[++depth] = (interp_frame){callee, nfp, next};
    fp = nfp;
    inst = callee->inst;
    pc = c->code;
    RELOAD_MEM();
    NEXT();
  }

bad_op:
  /* Unreachable with a correct translator; reported, never executed. */
  trap = WT_TRAP_HOST;
  snprintf(ex->host_err.message, sizeof ex->host_err.message,
           "internal error: bad interpreter op %u", *pc);
trapped:
  site->fn = frames[depth].fn;
  site->pc = pc;
  return trap;
done:
  return WT_TRAP_NONE;
}
