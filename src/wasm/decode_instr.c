/*
** decode_instr.c — instruction and value-type decoding shared by the
** decoder (decode.c) and the function-body validator (validate_code.c).
*/
#include "wasm/decode_instr.h"

#include <stdio.h>

/* Immediate kind of every single-byte opcode, and whether it exists. */
#define OP_IMM(name, byte, imm, sig) [byte] = (uint8_t)((imm) + 1),
static const uint8_t k_imm_plus1[256] = {WASM_OPCODES(OP_IMM)};
#undef OP_IMM

#define OPFC_IMM(name, sub, imm, sig) [sub] = (uint8_t)(imm),
static const uint8_t k_fc_imm[WASM_OPFC_COUNT] = {WASM_OPCODES_FC(OPFC_IMM)};
#undef OPFC_IMM

#define OP_NAME(name, byte, imm, sig) [byte] = #name,
static const char *const k_op_name[256] = {WASM_OPCODES(OP_NAME)};
#undef OP_NAME

#define OPFC_NAME(name, sub, imm, sig) [sub] = #name,
static const char *const k_fc_name[WASM_OPFC_COUNT] = {WASM_OPCODES_FC(OPFC_NAME)};
#undef OPFC_NAME

/* Immediate kind + 1 of every SIMD subcode; 0 marks an unassigned one. */
#define OPSIMD_IMM(name, sub, imm, sig, lg) [sub] = (uint8_t)((imm) + 1),
static const uint8_t k_simd_imm_plus1[WASM_OPSIMD_LIMIT] = {WASM_OPCODES_SIMD(OPSIMD_IMM)};
#undef OPSIMD_IMM

#define OPSIMD_NAME(name, sub, imm, sig, lg) [sub] = #name,
static const char *const k_simd_name[WASM_OPSIMD_LIMIT] = {WASM_OPCODES_SIMD(OPSIMD_NAME)};
#undef OPSIMD_NAME

/* Value types are checked in one place, for every position a value type
** may take (function types, locals, globals, block types, select). */
bool dec_valtype_ok(dec_rd *rd, size_t at, uint8_t byte) {
  switch (byte) {
    case WT_I32: case WT_I64: case WT_F32: case WT_F64: case WT_V128:
    case WT_FUNCREF: case WT_EXTERNREF:
      return true;
    default:
      return dec_rd_fail(rd, at, "malformed value type");
  }
}

bool dec_valtype(dec_rd *rd, uint8_t *out) {
  size_t at = rd->pos;
  return dec_u8(rd, out) && dec_valtype_ok(rd, at, *out);
}

bool dec_reftype(dec_rd *rd, uint8_t *out) {
  size_t at = rd->pos;
  if (!dec_u8(rd, out)) return false;
  if (*out != WT_FUNCREF && *out != WT_EXTERNREF)
    return dec_rd_fail(rd, at, "malformed reference type");
  return true;
}

/* Block type: 0x40, a value type, or a non-negative s33 type index. */
static bool read_blocktype(dec_rd *rd, dec_instr *ins) {
  size_t at = rd->pos;
  if (!dec_s33(rd, &ins->blocktype)) return false;
  if (ins->blocktype >= 0 || ins->blocktype == DEC_BT_EMPTY) return true;
  /* Single-byte negative forms are value types (0x7f is -1, ...). */
  if (ins->blocktype < -64) return dec_rd_fail(rd, at, "malformed value type");
  return dec_valtype_ok(rd, at, (uint8_t)(ins->blocktype + 0x80));
}

/* A byte that must be zero (memory index in Wasm 2.0 encodings). */
static bool zero_byte(dec_rd *rd) {
  size_t at = rd->pos;
  uint8_t b = 0;
  if (!dec_u8(rd, &b)) return false;
  return b == 0 || dec_rd_fail(rd, at, "zero byte expected");
}

/* br_table: remembers where the labels start and skips them. The count is
** bounded by the bytes left, as each label takes at least one byte. */
static bool read_br_table(dec_rd *rd, dec_instr *ins) {
  if (!dec_u32(rd, &ins->a)) return false;
  if (ins->a > dec_rd_left(rd)) return dec_rd_fail(rd, rd->pos, "unexpected end");
  ins->table_pos = rd->pos;
  uint32_t label = 0;
  for (uint32_t i = 0; i < ins->a; i++)
    if (!dec_u32(rd, &label)) return false;
  return dec_u32(rd, &ins->b);
}

/* select with types: a vector of value types; the validator insists on
** exactly one, so the decoder only needs them well-formed. */
static bool read_select_t(dec_rd *rd, dec_instr *ins) {
  if (!dec_u32(rd, &ins->a)) return false;
  if (ins->a > dec_rd_left(rd)) return dec_rd_fail(rd, rd->pos, "unexpected end");
  ins->valtype = DEC_VT_UNKNOWN;
  for (uint32_t i = 0; i < ins->a; i++) {
    uint8_t t = 0;
    if (!dec_valtype(rd, &t)) return false;
    if (i == 0) ins->valtype = t;
  }
  return true;
}

/* Sixteen raw bytes (v128.const, i8x16.shuffle). */
static bool read_16(dec_rd *rd, dec_instr *ins) {
  const uint8_t *p = dec_bytes(rd, 16);
  if (!p) return false;
  memcpy(ins->v128, p, 16);
  return true;
}

/* Reads the immediates of kind `imm` into ins. */
static bool read_imm(dec_rd *rd, wasm_imm imm, dec_instr *ins) {
  int32_t s32 = 0;
  int64_t s64 = 0;
  switch (imm) {
    case IMM_NONE: return true;
    case IMM_BLOCKTYPE: return read_blocktype(rd, ins);
    case IMM_LABEL: case IMM_FUNC: case IMM_LOCAL: case IMM_GLOBAL:
    case IMM_TABLE: case IMM_DATA: case IMM_ELEM:
      return dec_u32(rd, &ins->a);
    case IMM_BR_TABLE: return read_br_table(rd, ins);
    case IMM_CALL_INDIRECT: case IMM_ELEM_TABLE: case IMM_TABLE_TABLE:
      return dec_u32(rd, &ins->a) && dec_u32(rd, &ins->b);
    case IMM_MEMARG: case IMM_MEMARG_LANE:
      if (!dec_u32(rd, &ins->a) || !dec_u32(rd, &ins->b)) return false;
      ins->bits = ins->b;
      return imm == IMM_MEMARG || dec_u8(rd, &ins->lane);
    case IMM_LANE: return dec_u8(rd, &ins->lane);
    case IMM_V128: case IMM_SHUFFLE: return read_16(rd, ins);
    case IMM_MEMORY: return zero_byte(rd);
    case IMM_MEMORY_MEMORY: return zero_byte(rd) && zero_byte(rd);
    case IMM_DATA_MEMORY: return dec_u32(rd, &ins->a) && zero_byte(rd);
    case IMM_I32:
      if (!dec_s32(rd, &s32)) return false;
      ins->bits = (uint32_t)s32;
      return true;
    case IMM_I64:
      if (!dec_s64(rd, &s64)) return false;
      ins->bits = (uint64_t)s64;
      return true;
    case IMM_F32: return dec_fixed(rd, 4, &ins->bits);
    case IMM_F64: return dec_fixed(rd, 8, &ins->bits);
    case IMM_REFTYPE: return dec_reftype(rd, &ins->valtype);
    case IMM_SELECT_T: return read_select_t(rd, ins);
  }
  return dec_rd_fail(rd, ins->offset, "illegal opcode");
}

bool dec_instr_next(dec_rd *rd, dec_instr *ins) {
  ins->offset = rd->pos;
  ins->sub = 0;
  if (!dec_u8(rd, &ins->op)) return false;
  if (ins->op == WASM_PREFIX_FC) {
    if (!dec_u32(rd, &ins->sub)) return false;
    if (ins->sub >= WASM_OPFC_COUNT) return dec_rd_fail(rd, ins->offset, "illegal opcode");
    ins->imm = (wasm_imm)k_fc_imm[ins->sub];
    return read_imm(rd, ins->imm, ins);
  }
  if (ins->op == WASM_PREFIX_SIMD) {
    if (!dec_u32(rd, &ins->sub)) return false;
    if (ins->sub >= WASM_OPSIMD_LIMIT || !k_simd_imm_plus1[ins->sub])
      return dec_rd_fail(rd, ins->offset, "illegal opcode");
    ins->imm = (wasm_imm)(k_simd_imm_plus1[ins->sub] - 1);
    return read_imm(rd, ins->imm, ins);
  }
  if (!k_imm_plus1[ins->op]) return dec_rd_fail(rd, ins->offset, "illegal opcode");
  ins->imm = (wasm_imm)(k_imm_plus1[ins->op] - 1);
  return read_imm(rd, ins->imm, ins);
}

bool dec_instr_simd(const dec_instr *ins) {
  if (ins->op == WASM_PREFIX_SIMD) return true;
  if (ins->imm == IMM_BLOCKTYPE) return ins->blocktype == (int64_t)WT_V128 - 0x80;
  return ins->imm == IMM_SELECT_T && ins->valtype == WT_V128;
}

/* Wasm text names use a dot after the type or category prefix
** ("i32.add", "local.get", "memory.size", "i8x16.add") but not in "br_table",
** "br_if", "call_indirect"; select_t prints as "select". */
const char *dec_instr_name(const dec_instr *ins, char *buf, size_t size) {
  const char *raw = NULL;
  if (ins->op == WASM_PREFIX_FC)
    raw = ins->sub < WASM_OPFC_COUNT ? k_fc_name[ins->sub] : NULL;
  else if (ins->op == WASM_PREFIX_SIMD)
    raw = ins->sub < WASM_OPSIMD_LIMIT ? k_simd_name[ins->sub] : NULL;
  else
    raw = k_op_name[ins->op];
  if (!raw) {
    snprintf(buf, size, "opcode 0x%02x", ins->op);
    return buf;
  }
  if (ins->op == WASM_OP_select_t) raw = "select";
  snprintf(buf, size, "%s", raw);
  bool keep = !strncmp(raw, "br_", 3) || !strncmp(raw, "call_", 5);
  char *us = keep ? NULL : strchr(buf, '_');
  if (us) *us = '.';
  return buf;
}
