/*
** code.h — the interpreter's internal code (private to src/interp/).
**
** Each Wasm function is translated once into an array of 32-bit words. An
** instruction is an opcode word followed by its operands:
**
**   +--------+--------+--------+--------+
**   |  op    |  dst   |   a    |   b    |   e.g. i32_add: fp[dst] = fp[a] + fp[b]
**   +--------+--------+--------+--------+
**
** Operands are frame slots: 64-bit cells addressed from the frame pointer
** fp. Every value takes one slot, except a v128, which takes two
** consecutive slots (low 8 bytes first, i.e. lanes in memory order; slot
** s names the pair s, s+1). Scalar code is therefore laid out exactly as
** before SIMD existed and runs the same handlers at the same speed.
** Slots [0, nparams) are the parameters, [nparams, nlocals) the declared
** locals (all three counts in slots, not values), [nlocals, nlocals +
** nconsts) constants (copied in at frame entry; a `*.const` in a loop
** becomes a read of one, see translate.c), and the rest up to frame_slots
** the operand stack. The value at Wasm stack height h lives in slot
** nlocals + nconsts + off(h), where off(h) is the sum of the widths (1 or
** 2) of the values below it; the validator guarantees that at a given
** program point the types below h are fixed, so off(h) is too. Because
** every height has a fixed slot, `local.get` needs no copy: the translator
** lets later instructions read the local's slot directly (see translate.c).
** Parameters, results and call arguments use the same packed layout, so
** a callee's frame begins at its caller's first argument slot and results
** come back in slots [0, nresults) packed the same way. Slot arrays given
** to interp_invoke (wt_func_call, the start function) use it as well.
**
** i32 values are kept zero-extended; floats as their bit patterns (no x87,
** NaN payloads survive); references as pointers (NULL = null).
**
** Branch targets are relative: a `rel` word at code index p sends control
** to index p + (int32_t)rel. Calls: the arguments are in consecutive slots
** starting at `argslot`; the callee's frame begins there (so arguments are
** its first locals, in place) and it leaves its results at the same slots.
**
** Operand layout. Every op with a Wasm signature in opcodes.h has the
** generic shape [op, dst (when it has a result), operands in Wasm order,
** decoded immediates]:
**   i32_add dst a b        i32_load dst addr offset   i32_store addr val offset
**   i32_const dst imm      i64_const dst lo hi        (f32/f64 consts use these)
**   memory_size dst        memory_grow dst delta      table_size dst t
**   memory_init d s n seg  memory_copy d s n          memory_fill d val n
**   table_init d s n seg t table_copy d s n dt st     data_drop seg  elem_drop seg
** The others:
**   mov dst src            jmp rel                    tick
**   mov2 d1 s1 d2 s2       (two movs, in that order)
**   br_nz cond rel         br_z cond rel              (branch if != 0 / == 0)
**   br_table idx n rel*n rel_default
**   call func argslot      call_indirect typeid table idx argslot
**   return                 (results already in slots 0..nresults)
**   unreachable            select dst a b cond
**   global_get dst g       global_set g src           ref_func dst f
**   table_get dst t idx    table_set t idx val
**   table_grow dst t init n    table_fill t i val n
**   mov128 dst src         select128 dst a b cond     (v128 forms)
**   global_get128 dst g    global_set128 g src
** SIMD ops (IOP_<name> for each name of simd_opcodes.h) keep the generic
** shape; their immediates are: memarg -> offset; memarg+lane -> offset
** lane; lane -> lane; v128.const and shuffle -> 4 words (16 bytes, lane 0
** first). E.g. v128_load8_lane dst addr vec offset lane, i8x16_shuffle
** dst a b w0 w1 w2 w3. Their semantics are src/wasm/v128.h's wv_<name>.
** Fused ops (made by translate.c's peepholes):
**   br_<cmp>_i32 a b rel   branch when the i32 comparison of a and b holds
**   br_<cmp>_i32_imm a imm rel
**   i32_<op>_imm dst a imm i64_add_imm dst a lo hi
**   <load>_ai dst a k offset   <load>_ar dst a b offset (INTERP_FUSED_LOADS)
**   f32_muladd dst x y c       fp[dst] = (x * y) + c, rounded after each op
**   f64_muladd dst x y c       (Wasm has no FMA)
**   select_f32_lt dst x y a b c    fp[c] = a < b; fp[dst] = fp[c] ? x : y
**   select_f32_gt dst x y a b c    (the same with >)
**   add_br_<cmp>_i32 d a k x y rel      fp[d] = fp[a] + k, then br_<cmp>_i32 x y rel
**   add_br_<cmp>_i32_imm d a k x y rel  (then br_<cmp>_i32_imm): the loop latch;
**                                       rel is relative to its own word (pc + 6)
**   f32_submul dst a b y       fp[dst] = (a - b) * y, rounded after each op
**   f32_lerp dst a b y c       fp[dst] = ((a - b) * y) + c (the blend a + (b - a) * t)
**   i32_muladd dst x y c       fp[dst] = x * y + c
**   i32_muladd_imm dst x k c   fp[dst] = x * k + c
**   i32_shr_u_and dst a s m    fp[dst] = (a >> (s & 31)) & m (a bit-field extract)
**   f32_load8_u dst addr offset    i32.load8_u then f32.convert_i32_u (also
**   f32_load8_u_ai / _ar           in the address-fused forms above)
**   i32_shladd dst x k c       fp[dst] = (x << (k & 31)) + c (a scaled index)
**   i32x4_extract_lane_shl dst v lane k    lane of v, shifted left by k & 31
**   i32x4_extract_shladd dst v lane k c    (lane << (k & 31)) + c: an address
**                              from a vector of indices (clang's gathers)
**   i32x4_muladd dst x y c     i32x4.add(i32x4.mul(x, y), c)
**   i32x4_shr_u_and dst a n c  v128.and(i32x4.shr_u(a, n), c)
**   br_f32_<cmp> a b rel       branch when the f32 comparison holds
**   br_f32_n<cmp> a b rel      branch when it does not (NaN: !(a < b) != a >= b)
*/
#ifndef WT_INTERP_CODE_H
#define WT_INTERP_CODE_H

#include "wasm/opcodes.h"
#include "wasm/simd_opcodes.h"
#include "wasm/runtime.h"

/* Internal ops beyond the Wasm ones (same argument shape as the X-macros). */
#define INTERP_EXTRA_OPS(X)                                     \
  X(mov, 0, 0, 0)                                               \
  X(mov2, 0, 0, 0)                                              \
  X(jmp, 0, 0, 0)                                               \
  X(br_nz, 0, 0, 0)                                             \
  X(br_z, 0, 0, 0)                                              \
  X(tick, 0, 0, 0)                                              \
  X(i64_add_imm, 0, 0, 0)                                       \
  X(mov128, 0, 0, 0)                                            \
  X(select128, 0, 0, 0)                                         \
  X(global_get128, 0, 0, 0)                                     \
  X(global_set128, 0, 0, 0)                                     \
  X(f32_muladd, 0, 0, 0)                                        \
  X(f64_muladd, 0, 0, 0)                                        \
  X(select_f32_lt, 0, 0, 0)                                     \
  X(select_f32_gt, 0, 0, 0)                                     \
  X(f32_submul, 0, 0, 0)                                        \
  X(f32_lerp, 0, 0, 0)                                          \
  X(i32_muladd, 0, 0, 0)                                        \
  X(i32_muladd_imm, 0, 0, 0)                                    \
  X(i32_shr_u_and, 0, 0, 0)                                     \
  X(f32_load8_u, 0, 0, 0)                                       \
  X(f32_load8_u_ai, 0, 0, 0)                                    \
  X(f32_load8_u_ar, 0, 0, 0)                                    \
  X(i32_shladd, 0, 0, 0)                                        \
  X(i32x4_extract_lane_shl, 0, 0, 0)                            \
  X(i32x4_extract_shladd, 0, 0, 0)                              \
  X(i32x4_muladd, 0, 0, 0)                                      \
  X(i32x4_shr_u_and, 0, 0, 0)

/* f32 comparisons that fuse with the branch they feed into
** `br_f32_<cmp> a b rel` (branch when the comparison holds) and
** `br_f32_n<cmp> a b rel` (branch when it does not). Both polarities are
** needed: with NaN, !(a < b) is not (a >= b). */
#define INTERP_F32_CMPS(X) X(eq) X(ne) X(lt) X(gt) X(le) X(ge)

/* i32 binary ops that get an immediate form `i32_<op>_imm dst a imm`
** (for `i32.const k; i32.<op>`), and the comparisons among them, which
** also fuse with a following branch into `br_<cmp>_i32 a b rel` and
** `br_<cmp>_i32_imm a imm rel`. The comparisons come in negation pairs
** (eq/ne, lt/ge, gt/le), which translate.c relies on. */
#define INTERP_I32_CMPS(X) \
  X(eq) X(ne) X(lt_s) X(ge_s) X(lt_u) X(ge_u) X(gt_s) X(le_s) X(gt_u) X(le_u)
#define INTERP_I32_IMM_OPS(X) \
  X(add) X(sub) X(mul) X(and) X(or) X(xor) X(shl) X(shr_s) X(shr_u) INTERP_I32_CMPS(X)

/* Loads that also get address-fused forms, as (name, memory type, how the
** loaded value v becomes a slot): `name_ai dst a k offset` loads from
** (uint32_t)(a + k) + offset and `name_ar dst a b offset` from
** (uint32_t)(a + b) + offset (for an i32.add/add-immediate/sub-immediate
** whose result only feeds the load; the 32-bit wrap of the sum is kept). */
#define INTERP_FUSED_LOADS(X)                                                  \
  X(i32_load, uint32_t, v) X(i64_load, uint64_t, v) X(f32_load, uint32_t, v)   \
  X(f64_load, uint64_t, v) X(i32_load8_s, int8_t, (uint32_t)(int32_t)v)        \
  X(i32_load8_u, uint8_t, (uint32_t)v) X(i32_load16_s, int16_t, (uint32_t)(int32_t)v) \
  X(i32_load16_u, uint16_t, (uint32_t)v)

#define IOP_ENUM(name, a, b, c) IOP_##name,
#define IOP_ENUM_SIMD(name, a, b, c, d) IOP_##name,
#define IOP_ENUM_IMM(n) IOP_i32_##n##_imm,
#define IOP_ENUM_BR(n) IOP_br_##n##_i32,
#define IOP_ENUM_BRI(n) IOP_br_##n##_i32_imm,
#define IOP_ENUM_LAI(n, T, conv) IOP_##n##_ai,
#define IOP_ENUM_ABR(n) IOP_add_br_##n##_i32,
#define IOP_ENUM_ABRI(n) IOP_add_br_##n##_i32_imm,
#define IOP_ENUM_LAR(n, T, conv) IOP_##n##_ar,
#define IOP_ENUM_BRF(n) IOP_br_f32_##n,
#define IOP_ENUM_BRFN(n) IOP_br_f32_n##n,
typedef enum interp_op {
  WASM_OPCODES(IOP_ENUM) WASM_OPCODES_FC(IOP_ENUM) INTERP_EXTRA_OPS(IOP_ENUM)
  WASM_OPCODES_SIMD(IOP_ENUM_SIMD)
  INTERP_I32_IMM_OPS(IOP_ENUM_IMM) INTERP_I32_CMPS(IOP_ENUM_BR) INTERP_I32_CMPS(IOP_ENUM_BRI)
  INTERP_FUSED_LOADS(IOP_ENUM_LAI) INTERP_FUSED_LOADS(IOP_ENUM_LAR)
  INTERP_I32_CMPS(IOP_ENUM_ABR) INTERP_I32_CMPS(IOP_ENUM_ABRI)
  INTERP_F32_CMPS(IOP_ENUM_BRF) INTERP_F32_CMPS(IOP_ENUM_BRFN)
  IOP_COUNT
} interp_op;
#undef IOP_ENUM
#undef IOP_ENUM_SIMD
#undef IOP_ENUM_IMM
#undef IOP_ENUM_BR
#undef IOP_ENUM_BRI
#undef IOP_ENUM_LAI
#undef IOP_ENUM_ABR
#undef IOP_ENUM_ABRI
#undef IOP_ENUM_LAR
#undef IOP_ENUM_BRF
#undef IOP_ENUM_BRFN

/* One translated function. */
typedef struct interp_code {
  uint32_t *code;        /* ncode words */
  uint32_t ncode;
  uint32_t nparams, nresults; /* in slots (a v128 counts 2) */
  uint32_t nlocals;      /* slots of params and declared locals */
  uint32_t frame_slots;  /* nlocals + nconsts + the deepest operand stack */
  uint32_t func_index;   /* in the module's function index space */
  const char *debug_name;
  uint32_t *pcmap;       /* npcmap pairs (code index, module byte offset), ascending */
  uint32_t npcmap;
  uint64_t *consts;      /* nconsts constant slots, copied to fp[nlocals..] at entry */
  uint32_t nconsts;
} interp_code;

/* Execution stack of one wt_func_call (reused through store->spare). */
typedef struct interp_frame {
  wt_func *fn;
  uint64_t *fp;
  const uint32_t *ret_pc; /* where the caller resumes */
} interp_frame;

typedef struct interp_exec {
  uint64_t *stack;
  uint32_t nslots;
  interp_frame *frames;
  uint32_t max_frames;
  uint64_t deadline_ns;  /* 0 = none */
  uint32_t ticks;        /* countdown to the next clock read */
  wt_error host_err;     /* where host functions write trap messages */
} interp_exec;

/* Where a trap happened. */
typedef struct interp_site {
  wt_func *fn;
  const uint32_t *pc;
} interp_site;

/* exec.c: runs `fn` (a Wasm function) with arguments in ex->stack[0..).
** Returns WT_TRAP_NONE with results in ex->stack[0..nresults), or a trap
** with *site filled in. */
wt_trap_kind interp_run(interp_exec *ex, wt_func *fn, interp_site *site);

/* exec.c: byte offset in the module of the instruction at `pc`. */
uint64_t interp_pc_offset(const interp_code *code, const uint32_t *pc);

#endif /* WT_INTERP_CODE_H */
