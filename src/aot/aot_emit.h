/*
** aot_emit.h — the function translator's state, shared by emit_func.c
** (scalar and control instructions) and emit_simd.c (0xFD instructions).
*/
#ifndef WT_AOT_EMIT_H
#define WT_AOT_EMIT_H

#include "aot/aot.h"
#include "wasm/decode_instr.h"

enum { K_FUNC, K_BLOCK, K_LOOP, K_IF };

typedef struct ef_ctrl {
  uint8_t kind;
  uint32_t label;
  uint32_t base;        /* stack height below the block's parameters */
  uint32_t np, nr;
  const uint8_t *pt;    /* parameter types */
  const uint8_t *rt;    /* result types, NULL when the single type is in `one` */
  uint8_t one;          /* storage for a single-valtype block type */
  bool unreachable;     /* the rest of this block is dead */
  bool dead;            /* the whole construct sits in dead code */
} ef_ctrl;

typedef struct ef {
  const wt_module *m;
  uint32_t fi;              /* function index (imports first) */
  const mod_functype *ft;
  const mod_func *f;
  aot_buf *o;
  uint8_t *types;           /* operand stack types */
  uint32_t h, cap, maxh;
  ef_ctrl *ctl;
  uint32_t nctl, capctl;
  uint32_t nlabels;
  uint8_t *gused;           /* globals referenced, for the G<n> caches */
  bool oom;
  uint32_t off;             /* offset of the current instruction */
} ef;

/* Variable prefix of a value type ("si" for i32 ...). */
const char *ef_pfx(uint8_t t);
/* Pushes a value of type t on the translation-time stack. */
void ef_push(ef *e, uint8_t t);
/* emit_simd.c: one SIMD instruction. */
void aot_emit_simd(ef *e, const dec_instr *ins);
/* emit_idiom.c: translates a known multi-instruction sequence starting at
** `ins` and advances `rd` past it; false (nothing emitted) otherwise. */
bool aot_emit_idiom(ef *e, dec_rd *rd, const dec_instr *ins);

#endif /* WT_AOT_EMIT_H */
