/*
** emit_idiom.c — instruction sequences the translator recognises whole.
**
** A compiler targeting Wasm wraps some C operations in guards that exist
** only because the Wasm instruction traps where the C operation would not.
** clang-14 (without nontrapping-fptoint) wraps every signed float-to-int
** cast like this:
**
**   block (result i32)
**     <x>  local.tee $t  f32.abs  f32.const 0x1p+31  f32.lt
**     if  local.get $t  i32.trunc_f32_s  br 1  end
**     i32.const 0x80000000
**   end
**
** which is |x| < 2^31 ? (int)x : INT_MIN. On x86-64 that is exactly one
** cvttss2si, which returns INT_MIN for NaN and out-of-range inputs.
** Translated literally it costs an abs, a compare and two branches per
** cast, and gcc cannot see that they are redundant. Each instruction is
** checked, and the value must be the enclosing block's only result, so
** anything else keeps the literal translation.
*/
#include "aot/aot_emit.h"

/* The four forms; the float ops follow from `from`, the fallback constant
** (INT32_MIN or INT64_MIN) from `to`. */
typedef struct trunc_idiom {
  uint8_t trunc_op;
  uint8_t from, to;    /* value types */
  uint64_t bound;      /* bits of the float constant: 2^31 or 2^63 */
  const char *fn;      /* aot_ops.h helper */
} trunc_idiom;

static const trunc_idiom trunc_idioms[] = {
    {WASM_OP_i32_trunc_f32_s, WT_F32, WT_I32, 0x4f000000u, "op_i32_trunc_f32_s_or_min"},
    {WASM_OP_i32_trunc_f64_s, WT_F64, WT_I32, 0x41e0000000000000ull, "op_i32_trunc_f64_s_or_min"},
    {WASM_OP_i64_trunc_f32_s, WT_F32, WT_I64, 0x5f000000u, "op_i64_trunc_f32_s_or_min"},
    {WASM_OP_i64_trunc_f64_s, WT_F64, WT_I64, 0x43e0000000000000ull, "op_i64_trunc_f64_s_or_min"},
};

/* Reads the next instruction into *ins if it has opcode `op`. */
static bool next_is(dec_rd *rd, dec_instr *ins, uint8_t op) {
  return dec_instr_next(rd, ins) && ins->op == op;
}

/* The guarded truncation starting at `tee` (a local.tee of a float). The
** reader is advanced past the integer constant only on a match; the
** block's `end` is left for the caller, which closes the block as usual. */
static bool guarded_trunc(ef *e, dec_rd *rd, const dec_instr *tee) {
  const ef_ctrl *blk = &e->ctl[e->nctl - 1];
  if (blk->kind != K_BLOCK || blk->nr != 1 || e->h == 0 || e->h - 1 != blk->base) return false;
  uint8_t result = blk->rt ? blk->rt[0] : blk->one;
  for (size_t k = 0; k < sizeof trunc_idioms / sizeof trunc_idioms[0]; k++) {
    const trunc_idiom *t = &trunc_idioms[k];
    if (e->types[e->h - 1] != t->from || result != t->to) continue;
    bool f32 = t->from == WT_F32, i32 = t->to == WT_I32;
    dec_rd r = *rd;
    dec_instr i;
    if (!next_is(&r, &i, f32 ? WASM_OP_f32_abs : WASM_OP_f64_abs) ||
        !next_is(&r, &i, f32 ? WASM_OP_f32_const : WASM_OP_f64_const) || i.bits != t->bound ||
        !next_is(&r, &i, f32 ? WASM_OP_f32_lt : WASM_OP_f64_lt) ||
        !next_is(&r, &i, WASM_OP_if) || i.blocktype != DEC_BT_EMPTY ||
        !next_is(&r, &i, WASM_OP_local_get) || i.a != tee->a || !next_is(&r, &i, t->trunc_op) ||
        !next_is(&r, &i, WASM_OP_br) || i.a != 1 || !next_is(&r, &i, WASM_OP_end) ||
        !next_is(&r, &i, i32 ? WASM_OP_i32_const : WASM_OP_i64_const) ||
        (i32 ? (uint32_t)i.bits != 0x80000000u : i.bits != 0x8000000000000000ull))
      continue;
    dec_rd after = r;
    if (!next_is(&r, &i, WASM_OP_end)) continue;
    uint32_t h = e->h - 1;
    aot_buf_printf(e->o, "l%u = %s%u;\n%s%u = %s(%s%u);\n", tee->a, ef_pfx(t->from), h,
                   ef_pfx(t->to), h, t->fn, ef_pfx(t->from), h);
    e->types[h] = t->to;
    *rd = after;
    return true;
  }
  return false;
}

bool aot_emit_idiom(ef *e, dec_rd *rd, const dec_instr *ins) {
  const ef_ctrl *c = &e->ctl[e->nctl - 1];
  if (c->unreachable || c->dead) return false;
  if (ins->op == WASM_OP_local_tee) return guarded_trunc(e, rd, ins);
  return false;
}
