/*
** emit_simd.c — translating the 0xFD (SIMD) instructions. Each becomes a
** call of the lane function of src/wasm/v128.h (embedded in the generated
** file), the very definitions the interpreter uses, so both tiers agree on
** every edge case. v128 values are C vector variables sv<h>; scalar floats
** cross into v128.h as bit patterns (v128.h's convention).
*/
#include <stdio.h>
#include <string.h>

#include "aot/aot_emit.h"
#include "wasm/simd_opcodes.h"

typedef struct simd_info {
  const char *name;
  wasm_imm imm;
  const char *sig;
  uint8_t lg;
} simd_info;

#define SIMD_INFO(name, sub, imm, sig, lg) [sub] = {#name, imm, sig, lg},
static const simd_info simd_infos[256] = {WASM_OPCODES_SIMD(SIMD_INFO)};
#undef SIMD_INFO

static uint8_t vtype(char ch) {
  switch (ch) {
  case 'i': return WT_I32;
  case 'I': return WT_I64;
  case 'f': return WT_F32;
  case 'F': return WT_F64;
  default: return WT_V128;
  }
}

/* An argument as v128.h wants it: floats as bits. */
static void put_arg(ef *e, uint8_t t, uint32_t h) {
  if (t == WT_F32) aot_buf_printf(e->o, "aot_b32(sf%u)", h);
  else if (t == WT_F64) aot_buf_printf(e->o, "aot_b64(sd%u)", h);
  else aot_buf_printf(e->o, "%s%u", ef_pfx(t), h);
}

/* Memory instructions: the address is bounds-checked (or guard-checked)
** for the access width, then v128.h reads or writes the host pointer. */
static void emit_mem(ef *e, const simd_info *si, const dec_instr *ins) {
  uint32_t n = 1u << si->lg;
  bool lane = si->imm == IMM_MEMARG_LANE;
  bool store = strstr(si->name, "store") != NULL;
  uint32_t np = (uint32_t)strcspn(si->sig, ":");
  uint32_t base = e->h - np;
  char ptr[128];
  snprintf(ptr, sizeof ptr, "M + aot_ea(c, si%u, %lluull, %u, %uu, 0x%xu)", base,
           (unsigned long long)ins->bits, n, e->fi, e->off);
  if (store && lane)
    aot_buf_printf(e->o, "wv_store_lane(%s, sv%u, %u, %u);\n", ptr, base + 1, n, ins->lane);
  else if (store)
    aot_buf_printf(e->o, "wv_store(%s, sv%u);\n", ptr, base + 1);
  else if (lane)
    aot_buf_printf(e->o, "sv%u = aot_vkeep(wv_load_lane(sv%u, %s, %u, %u));\n", base, base + 1,
                   ptr, n, ins->lane);
  else
    aot_buf_printf(e->o, "sv%u = aot_vkeep(wv_%s(%s));\n", base,
                   strcmp(si->name, "v128_load") ? si->name : "load", ptr);
  e->h = base;
  if (!store) ef_push(e, WT_V128);
}

void aot_emit_simd(ef *e, const dec_instr *ins) {
  const simd_info *si = &simd_infos[ins->sub & 0xff];
  if (si->imm == IMM_MEMARG || si->imm == IMM_MEMARG_LANE) {
    emit_mem(e, si, ins);
    return;
  }
  if (si->imm == IMM_V128) {
    uint64_t lo, hi;
    memcpy(&lo, ins->v128, 8);
    memcpy(&hi, ins->v128 + 8, 8);
    aot_buf_printf(e->o, "sv%u = wv_make(0x%llxull, 0x%llxull);\n", e->h, (unsigned long long)lo,
                   (unsigned long long)hi);
    ef_push(e, WT_V128);
    return;
  }
  if (si->imm == IMM_SHUFFLE) {
    /* Constant lanes: a compiler shuffle, not v128.h's byte loop, whose
    ** 16 narrow stores and wide reload stall on store forwarding. */
    e->h -= 2;
    aot_buf_printf(e->o, "sv%u = AOT_SHUFFLE(sv%u, sv%u", e->h, e->h, e->h + 1);
    for (int k = 0; k < 16; k++) aot_buf_printf(e->o, ", %u", ins->v128[k] & 31);
    aot_buf_puts(e->o, ");\n");
    ef_push(e, WT_V128);
    return;
  }
  const char *colon = strchr(si->sig, ':');
  uint32_t np = (uint32_t)(colon - si->sig);
  uint32_t base = e->h - np;
  uint8_t rt = colon[1] ? vtype(colon[1]) : 0;
  if (rt) aot_buf_printf(e->o, "%s%u = ", ef_pfx(rt), base);
  if (rt == WT_F32) aot_buf_puts(e->o, "aot_f32(");
  else if (rt == WT_F64) aot_buf_puts(e->o, "aot_f64(");
  aot_buf_printf(e->o, "wv_%s(", si->name);
  /* v128.h's lane functions take (vector, lane[, scalar]). */
  for (uint32_t k = 0; k < np; k++) {
    if (k) aot_buf_puts(e->o, ", ");
    if (k == 1 && si->imm == IMM_LANE) aot_buf_printf(e->o, "%u, ", ins->lane);
    put_arg(e, vtype(si->sig[k]), base + k);
  }
  if (si->imm == IMM_LANE && np == 1) aot_buf_printf(e->o, ", %u", ins->lane);
  aot_buf_puts(e->o, rt == WT_F32 || rt == WT_F64 ? "));\n" : ");\n");
  e->h = base;
  if (rt) ef_push(e, rt);
}
