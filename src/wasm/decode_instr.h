/*
** decode_instr.h — reading one instruction with its immediates (private to
** src/wasm/).
**
** One reader for the decoder (which scans every body once to reject
** malformed encodings) and the validator (which types the same bytes), so
** the immediate layout of each opcode is written down only once, driven by
** the IMM_* kinds of opcodes.h.
*/
#ifndef WT_DECODE_INSTR_H
#define WT_DECODE_INSTR_H

#include "wasm/leb128.h"
#include "wasm/module.h"
#include "wasm/opcodes.h"
#include "wasm/simd_opcodes.h"

/* Pseudo value type of the validator's operand stack: a value whose type
** is not known because the code after it is unreachable. Not a Wasm byte. */
#define DEC_VT_UNKNOWN 0x00

/* Block type forms, in dec_instr.blocktype: a type index >= 0, or one of
** these (the s33 encodings of 0x40 and the single-byte value types). */
#define DEC_BT_EMPTY (-64)

typedef struct dec_instr {
  size_t offset;      /* of the opcode's first byte */
  uint8_t op;         /* first byte (WASM_OP_* or a prefix) */
  uint32_t sub;       /* WASM_OPFC_* after 0xFC, WASM_OPSIMD_* after 0xFD */
  wasm_imm imm;       /* what the immediates below mean */
  uint32_t a, b;      /* index immediates (label, func, type+table, ...) */
  uint64_t bits;      /* i32/i64/f32/f64 constant bits; memarg offset */
  int64_t blocktype;  /* IMM_BLOCKTYPE: type index or DEC_BT_EMPTY or -valtype */
  uint8_t valtype;    /* IMM_REFTYPE / IMM_SELECT_T: the (first) type */
  size_t table_pos;   /* IMM_BR_TABLE: offset of the first label LEB */
  uint8_t lane;       /* IMM_LANE / IMM_MEMARG_LANE: the lane index (unchecked) */
  uint8_t v128[16];   /* IMM_V128: the constant; IMM_SHUFFLE: the lane indices */
} dec_instr;

/* Checks that `byte` is a value type (v128 included). Fails on `rd` with
** "malformed value type". */
bool dec_valtype_ok(dec_rd *rd, size_t at, uint8_t byte);

/* Reads a value type byte (see dec_valtype_ok). */
bool dec_valtype(dec_rd *rd, uint8_t *out);

/* Reads a reference type byte ("malformed reference type" otherwise). */
bool dec_reftype(dec_rd *rd, uint8_t *out);

/* Reads the next instruction. For IMM_BR_TABLE, `a` is the label count,
** `b` the default label and table_pos where the labels start; for
** IMM_SELECT_T, `a` is the vector length; for IMM_MEMARG(_LANE), `a` is
** the alignment and `b` (and `bits`) the offset. Unknown opcodes, also
** unknown subcodes after 0xFC/0xFD, fail with "illegal opcode". Lane
** indices are not range-checked here: that is a validation rule. */
bool dec_instr_next(dec_rd *rd, dec_instr *ins);

/* Whether an instruction is SIMD or names v128: a 0xFD instruction, or a
** v128 block type or select type (for wt_module.uses_simd). */
bool dec_instr_simd(const dec_instr *ins);

/* The text name of an instruction for messages ("i32.add"), written into
** buf (at least 32 bytes). */
const char *dec_instr_name(const dec_instr *ins, char *buf, size_t size);

#endif /* WT_DECODE_INSTR_H */
