/*
** opcodes.h — the one list of Wasm instructions (without SIMD, which has its
** own list in simd_opcodes.h), from which the decoder, validator, interpreter translation and
** disassembly derive their tables. No other file lists opcodes by hand.
**
** OP(name, byte, immediate, signature)
**   name       C identifier suffix: WASM_OP_<name> in enum wasm_opcode
**   byte       the single-byte opcode
**   immediate  an IMM_* kind below
**   signature  "params:results" with i=i32 I=i64 f=f32 F=f64, or NULL when
**              the instruction's typing is special (control, locals,
**              globals, references, select, tables, calls, drop).
**
** OPFC(name, subcode, immediate, signature): instructions behind the 0xFC
** prefix, subcode as u32 LEB: WASM_OPFC_<name> in enum wasm_opcode_fc.
*/
#ifndef WT_OPCODES_H
#define WT_OPCODES_H

typedef enum wasm_imm {
  IMM_NONE,
  IMM_BLOCKTYPE,     /* s33 block type: 0x40, a valtype, or a type index */
  IMM_LABEL,         /* u32 label depth */
  IMM_BR_TABLE,      /* vec(u32) labels, then default u32 */
  IMM_FUNC,          /* u32 function index */
  IMM_CALL_INDIRECT, /* u32 type index, u32 table index */
  IMM_LOCAL,         /* u32 local index */
  IMM_GLOBAL,        /* u32 global index */
  IMM_TABLE,         /* u32 table index */
  IMM_MEMARG,        /* u32 align (log2), u32 offset */
  IMM_MEMORY,        /* one 0x00 byte (memory index 0) */
  IMM_I32,           /* s32 LEB */
  IMM_I64,           /* s64 LEB */
  IMM_F32,           /* 4 bytes little-endian */
  IMM_F64,           /* 8 bytes little-endian */
  IMM_REFTYPE,       /* one reftype byte (ref.null) */
  IMM_SELECT_T,      /* vec(valtype), length 1 in Wasm 2.0 */
  IMM_DATA,          /* u32 data index (data.drop) */
  IMM_DATA_MEMORY,   /* u32 data index, then 0x00 (memory.init) */
  IMM_MEMORY_MEMORY, /* 0x00 0x00 (memory.copy) */
  IMM_ELEM,          /* u32 elem index (elem.drop) */
  IMM_ELEM_TABLE,    /* u32 elem index, u32 table index (table.init) */
  IMM_TABLE_TABLE,   /* u32 dst table, u32 src table (table.copy) */
  /* Only in simd_opcodes.h (0xFD prefix); SIMD loads/stores use IMM_MEMARG. */
  IMM_MEMARG_LANE,   /* memarg, then one lane-index byte (v128.load8_lane...) */
  IMM_LANE,          /* one lane-index byte (extract_lane, replace_lane) */
  IMM_V128,          /* 16 bytes, little-endian (v128.const) */
  IMM_SHUFFLE        /* 16 lane-index bytes, each < 32 (i8x16.shuffle) */
} wasm_imm;

#define WASM_OPCODES(OP)                                        \
  /* control */                                                 \
  OP(unreachable, 0x00, IMM_NONE, NULL)                         \
  OP(nop, 0x01, IMM_NONE, NULL)                                 \
  OP(block, 0x02, IMM_BLOCKTYPE, NULL)                          \
  OP(loop, 0x03, IMM_BLOCKTYPE, NULL)                           \
  OP(if, 0x04, IMM_BLOCKTYPE, NULL)                             \
  OP(else, 0x05, IMM_NONE, NULL)                                \
  OP(end, 0x0b, IMM_NONE, NULL)                                 \
  OP(br, 0x0c, IMM_LABEL, NULL)                                 \
  OP(br_if, 0x0d, IMM_LABEL, NULL)                              \
  OP(br_table, 0x0e, IMM_BR_TABLE, NULL)                        \
  OP(return, 0x0f, IMM_NONE, NULL)                              \
  OP(call, 0x10, IMM_FUNC, NULL)                                \
  OP(call_indirect, 0x11, IMM_CALL_INDIRECT, NULL)              \
  /* references */                                              \
  OP(ref_null, 0xd0, IMM_REFTYPE, NULL)                         \
  OP(ref_is_null, 0xd1, IMM_NONE, NULL)                         \
  OP(ref_func, 0xd2, IMM_FUNC, NULL)                            \
  /* parametric */                                              \
  OP(drop, 0x1a, IMM_NONE, NULL)                                \
  OP(select, 0x1b, IMM_NONE, NULL)                              \
  OP(select_t, 0x1c, IMM_SELECT_T, NULL)                        \
  /* variables */                                               \
  OP(local_get, 0x20, IMM_LOCAL, NULL)                          \
  OP(local_set, 0x21, IMM_LOCAL, NULL)                          \
  OP(local_tee, 0x22, IMM_LOCAL, NULL)                          \
  OP(global_get, 0x23, IMM_GLOBAL, NULL)                        \
  OP(global_set, 0x24, IMM_GLOBAL, NULL)                        \
  OP(table_get, 0x25, IMM_TABLE, NULL)                          \
  OP(table_set, 0x26, IMM_TABLE, NULL)                          \
  /* memory */                                                  \
  OP(i32_load, 0x28, IMM_MEMARG, "i:i")                         \
  OP(i64_load, 0x29, IMM_MEMARG, "i:I")                         \
  OP(f32_load, 0x2a, IMM_MEMARG, "i:f")                         \
  OP(f64_load, 0x2b, IMM_MEMARG, "i:F")                         \
  OP(i32_load8_s, 0x2c, IMM_MEMARG, "i:i")                      \
  OP(i32_load8_u, 0x2d, IMM_MEMARG, "i:i")                      \
  OP(i32_load16_s, 0x2e, IMM_MEMARG, "i:i")                     \
  OP(i32_load16_u, 0x2f, IMM_MEMARG, "i:i")                     \
  OP(i64_load8_s, 0x30, IMM_MEMARG, "i:I")                      \
  OP(i64_load8_u, 0x31, IMM_MEMARG, "i:I")                      \
  OP(i64_load16_s, 0x32, IMM_MEMARG, "i:I")                     \
  OP(i64_load16_u, 0x33, IMM_MEMARG, "i:I")                     \
  OP(i64_load32_s, 0x34, IMM_MEMARG, "i:I")                     \
  OP(i64_load32_u, 0x35, IMM_MEMARG, "i:I")                     \
  OP(i32_store, 0x36, IMM_MEMARG, "ii:")                        \
  OP(i64_store, 0x37, IMM_MEMARG, "iI:")                        \
  OP(f32_store, 0x38, IMM_MEMARG, "if:")                        \
  OP(f64_store, 0x39, IMM_MEMARG, "iF:")                        \
  OP(i32_store8, 0x3a, IMM_MEMARG, "ii:")                       \
  OP(i32_store16, 0x3b, IMM_MEMARG, "ii:")                      \
  OP(i64_store8, 0x3c, IMM_MEMARG, "iI:")                       \
  OP(i64_store16, 0x3d, IMM_MEMARG, "iI:")                      \
  OP(i64_store32, 0x3e, IMM_MEMARG, "iI:")                      \
  OP(memory_size, 0x3f, IMM_MEMORY, ":i")                       \
  OP(memory_grow, 0x40, IMM_MEMORY, "i:i")                      \
  /* constants */                                               \
  OP(i32_const, 0x41, IMM_I32, ":i")                            \
  OP(i64_const, 0x42, IMM_I64, ":I")                            \
  OP(f32_const, 0x43, IMM_F32, ":f")                            \
  OP(f64_const, 0x44, IMM_F64, ":F")                            \
  /* i32 comparisons */                                         \
  OP(i32_eqz, 0x45, IMM_NONE, "i:i")                            \
  OP(i32_eq, 0x46, IMM_NONE, "ii:i")                            \
  OP(i32_ne, 0x47, IMM_NONE, "ii:i")                            \
  OP(i32_lt_s, 0x48, IMM_NONE, "ii:i")                          \
  OP(i32_lt_u, 0x49, IMM_NONE, "ii:i")                          \
  OP(i32_gt_s, 0x4a, IMM_NONE, "ii:i")                          \
  OP(i32_gt_u, 0x4b, IMM_NONE, "ii:i")                          \
  OP(i32_le_s, 0x4c, IMM_NONE, "ii:i")                          \
  OP(i32_le_u, 0x4d, IMM_NONE, "ii:i")                          \
  OP(i32_ge_s, 0x4e, IMM_NONE, "ii:i")                          \
  OP(i32_ge_u, 0x4f, IMM_NONE, "ii:i")                          \
  /* i64 comparisons */                                         \
  OP(i64_eqz, 0x50, IMM_NONE, "I:i")                            \
  OP(i64_eq, 0x51, IMM_NONE, "II:i")                            \
  OP(i64_ne, 0x52, IMM_NONE, "II:i")                            \
  OP(i64_lt_s, 0x53, IMM_NONE, "II:i")                          \
  OP(i64_lt_u, 0x54, IMM_NONE, "II:i")                          \
  OP(i64_gt_s, 0x55, IMM_NONE, "II:i")                          \
  OP(i64_gt_u, 0x56, IMM_NONE, "II:i")                          \
  OP(i64_le_s, 0x57, IMM_NONE, "II:i")                          \
  OP(i64_le_u, 0x58, IMM_NONE, "II:i")                          \
  OP(i64_ge_s, 0x59, IMM_NONE, "II:i")                          \
  OP(i64_ge_u, 0x5a, IMM_NONE, "II:i")                          \
  /* float comparisons */                                       \
  OP(f32_eq, 0x5b, IMM_NONE, "ff:i")                            \
  OP(f32_ne, 0x5c, IMM_NONE, "ff:i")                            \
  OP(f32_lt, 0x5d, IMM_NONE, "ff:i")                            \
  OP(f32_gt, 0x5e, IMM_NONE, "ff:i")                            \
  OP(f32_le, 0x5f, IMM_NONE, "ff:i")                            \
  OP(f32_ge, 0x60, IMM_NONE, "ff:i")                            \
  OP(f64_eq, 0x61, IMM_NONE, "FF:i")                            \
  OP(f64_ne, 0x62, IMM_NONE, "FF:i")                            \
  OP(f64_lt, 0x63, IMM_NONE, "FF:i")                            \
  OP(f64_gt, 0x64, IMM_NONE, "FF:i")                            \
  OP(f64_le, 0x65, IMM_NONE, "FF:i")                            \
  OP(f64_ge, 0x66, IMM_NONE, "FF:i")                            \
  /* i32 arithmetic */                                          \
  OP(i32_clz, 0x67, IMM_NONE, "i:i")                            \
  OP(i32_ctz, 0x68, IMM_NONE, "i:i")                            \
  OP(i32_popcnt, 0x69, IMM_NONE, "i:i")                         \
  OP(i32_add, 0x6a, IMM_NONE, "ii:i")                           \
  OP(i32_sub, 0x6b, IMM_NONE, "ii:i")                           \
  OP(i32_mul, 0x6c, IMM_NONE, "ii:i")                           \
  OP(i32_div_s, 0x6d, IMM_NONE, "ii:i")                         \
  OP(i32_div_u, 0x6e, IMM_NONE, "ii:i")                         \
  OP(i32_rem_s, 0x6f, IMM_NONE, "ii:i")                         \
  OP(i32_rem_u, 0x70, IMM_NONE, "ii:i")                         \
  OP(i32_and, 0x71, IMM_NONE, "ii:i")                           \
  OP(i32_or, 0x72, IMM_NONE, "ii:i")                            \
  OP(i32_xor, 0x73, IMM_NONE, "ii:i")                           \
  OP(i32_shl, 0x74, IMM_NONE, "ii:i")                           \
  OP(i32_shr_s, 0x75, IMM_NONE, "ii:i")                         \
  OP(i32_shr_u, 0x76, IMM_NONE, "ii:i")                         \
  OP(i32_rotl, 0x77, IMM_NONE, "ii:i")                          \
  OP(i32_rotr, 0x78, IMM_NONE, "ii:i")                          \
  /* i64 arithmetic */                                          \
  OP(i64_clz, 0x79, IMM_NONE, "I:I")                            \
  OP(i64_ctz, 0x7a, IMM_NONE, "I:I")                            \
  OP(i64_popcnt, 0x7b, IMM_NONE, "I:I")                         \
  OP(i64_add, 0x7c, IMM_NONE, "II:I")                           \
  OP(i64_sub, 0x7d, IMM_NONE, "II:I")                           \
  OP(i64_mul, 0x7e, IMM_NONE, "II:I")                           \
  OP(i64_div_s, 0x7f, IMM_NONE, "II:I")                         \
  OP(i64_div_u, 0x80, IMM_NONE, "II:I")                         \
  OP(i64_rem_s, 0x81, IMM_NONE, "II:I")                         \
  OP(i64_rem_u, 0x82, IMM_NONE, "II:I")                         \
  OP(i64_and, 0x83, IMM_NONE, "II:I")                           \
  OP(i64_or, 0x84, IMM_NONE, "II:I")                            \
  OP(i64_xor, 0x85, IMM_NONE, "II:I")                           \
  OP(i64_shl, 0x86, IMM_NONE, "II:I")                           \
  OP(i64_shr_s, 0x87, IMM_NONE, "II:I")                         \
  OP(i64_shr_u, 0x88, IMM_NONE, "II:I")                         \
  OP(i64_rotl, 0x89, IMM_NONE, "II:I")                          \
  OP(i64_rotr, 0x8a, IMM_NONE, "II:I")                          \
  /* f32 arithmetic */                                          \
  OP(f32_abs, 0x8b, IMM_NONE, "f:f")                            \
  OP(f32_neg, 0x8c, IMM_NONE, "f:f")                            \
  OP(f32_ceil, 0x8d, IMM_NONE, "f:f")                           \
  OP(f32_floor, 0x8e, IMM_NONE, "f:f")                          \
  OP(f32_trunc, 0x8f, IMM_NONE, "f:f")                          \
  OP(f32_nearest, 0x90, IMM_NONE, "f:f")                        \
  OP(f32_sqrt, 0x91, IMM_NONE, "f:f")                           \
  OP(f32_add, 0x92, IMM_NONE, "ff:f")                           \
  OP(f32_sub, 0x93, IMM_NONE, "ff:f")                           \
  OP(f32_mul, 0x94, IMM_NONE, "ff:f")                           \
  OP(f32_div, 0x95, IMM_NONE, "ff:f")                           \
  OP(f32_min, 0x96, IMM_NONE, "ff:f")                           \
  OP(f32_max, 0x97, IMM_NONE, "ff:f")                           \
  OP(f32_copysign, 0x98, IMM_NONE, "ff:f")                      \
  /* f64 arithmetic */                                          \
  OP(f64_abs, 0x99, IMM_NONE, "F:F")                            \
  OP(f64_neg, 0x9a, IMM_NONE, "F:F")                            \
  OP(f64_ceil, 0x9b, IMM_NONE, "F:F")                           \
  OP(f64_floor, 0x9c, IMM_NONE, "F:F")                          \
  OP(f64_trunc, 0x9d, IMM_NONE, "F:F")                          \
  OP(f64_nearest, 0x9e, IMM_NONE, "F:F")                        \
  OP(f64_sqrt, 0x9f, IMM_NONE, "F:F")                           \
  OP(f64_add, 0xa0, IMM_NONE, "FF:F")                           \
  OP(f64_sub, 0xa1, IMM_NONE, "FF:F")                           \
  OP(f64_mul, 0xa2, IMM_NONE, "FF:F")                           \
  OP(f64_div, 0xa3, IMM_NONE, "FF:F")                           \
  OP(f64_min, 0xa4, IMM_NONE, "FF:F")                           \
  OP(f64_max, 0xa5, IMM_NONE, "FF:F")                           \
  OP(f64_copysign, 0xa6, IMM_NONE, "FF:F")                      \
  /* conversions */                                             \
  OP(i32_wrap_i64, 0xa7, IMM_NONE, "I:i")                       \
  OP(i32_trunc_f32_s, 0xa8, IMM_NONE, "f:i")                    \
  OP(i32_trunc_f32_u, 0xa9, IMM_NONE, "f:i")                    \
  OP(i32_trunc_f64_s, 0xaa, IMM_NONE, "F:i")                    \
  OP(i32_trunc_f64_u, 0xab, IMM_NONE, "F:i")                    \
  OP(i64_extend_i32_s, 0xac, IMM_NONE, "i:I")                   \
  OP(i64_extend_i32_u, 0xad, IMM_NONE, "i:I")                   \
  OP(i64_trunc_f32_s, 0xae, IMM_NONE, "f:I")                    \
  OP(i64_trunc_f32_u, 0xaf, IMM_NONE, "f:I")                    \
  OP(i64_trunc_f64_s, 0xb0, IMM_NONE, "F:I")                    \
  OP(i64_trunc_f64_u, 0xb1, IMM_NONE, "F:I")                    \
  OP(f32_convert_i32_s, 0xb2, IMM_NONE, "i:f")                  \
  OP(f32_convert_i32_u, 0xb3, IMM_NONE, "i:f")                  \
  OP(f32_convert_i64_s, 0xb4, IMM_NONE, "I:f")                  \
  OP(f32_convert_i64_u, 0xb5, IMM_NONE, "I:f")                  \
  OP(f32_demote_f64, 0xb6, IMM_NONE, "F:f")                     \
  OP(f64_convert_i32_s, 0xb7, IMM_NONE, "i:F")                  \
  OP(f64_convert_i32_u, 0xb8, IMM_NONE, "i:F")                  \
  OP(f64_convert_i64_s, 0xb9, IMM_NONE, "I:F")                  \
  OP(f64_convert_i64_u, 0xba, IMM_NONE, "I:F")                  \
  OP(f64_promote_f32, 0xbb, IMM_NONE, "f:F")                    \
  OP(i32_reinterpret_f32, 0xbc, IMM_NONE, "f:i")                \
  OP(i64_reinterpret_f64, 0xbd, IMM_NONE, "F:I")                \
  OP(f32_reinterpret_i32, 0xbe, IMM_NONE, "i:f")                \
  OP(f64_reinterpret_i64, 0xbf, IMM_NONE, "I:F")                \
  /* sign extension */                                          \
  OP(i32_extend8_s, 0xc0, IMM_NONE, "i:i")                      \
  OP(i32_extend16_s, 0xc1, IMM_NONE, "i:i")                     \
  OP(i64_extend8_s, 0xc2, IMM_NONE, "I:I")                      \
  OP(i64_extend16_s, 0xc3, IMM_NONE, "I:I")                     \
  OP(i64_extend32_s, 0xc4, IMM_NONE, "I:I")

#define WASM_OPCODES_FC(OPFC)                                   \
  OPFC(i32_trunc_sat_f32_s, 0, IMM_NONE, "f:i")                 \
  OPFC(i32_trunc_sat_f32_u, 1, IMM_NONE, "f:i")                 \
  OPFC(i32_trunc_sat_f64_s, 2, IMM_NONE, "F:i")                 \
  OPFC(i32_trunc_sat_f64_u, 3, IMM_NONE, "F:i")                 \
  OPFC(i64_trunc_sat_f32_s, 4, IMM_NONE, "f:I")                 \
  OPFC(i64_trunc_sat_f32_u, 5, IMM_NONE, "f:I")                 \
  OPFC(i64_trunc_sat_f64_s, 6, IMM_NONE, "F:I")                 \
  OPFC(i64_trunc_sat_f64_u, 7, IMM_NONE, "F:I")                 \
  OPFC(memory_init, 8, IMM_DATA_MEMORY, "iii:")                 \
  OPFC(data_drop, 9, IMM_DATA, ":")                             \
  OPFC(memory_copy, 10, IMM_MEMORY_MEMORY, "iii:")              \
  OPFC(memory_fill, 11, IMM_MEMORY, "iii:")                     \
  OPFC(table_init, 12, IMM_ELEM_TABLE, "iii:")                  \
  OPFC(elem_drop, 13, IMM_ELEM, ":")                            \
  OPFC(table_copy, 14, IMM_TABLE_TABLE, "iii:")                 \
  OPFC(table_grow, 15, IMM_TABLE, NULL)                         \
  OPFC(table_size, 16, IMM_TABLE, ":i")                         \
  OPFC(table_fill, 17, IMM_TABLE, NULL)

#define WASM_PREFIX_FC 0xfc
#define WASM_PREFIX_SIMD 0xfd

/* enum wasm_opcode: WASM_OP_unreachable = 0x00, ... */
#define WASM_OP_ENUM(name, byte, imm, sig) WASM_OP_##name = byte,
typedef enum wasm_opcode { WASM_OPCODES(WASM_OP_ENUM) } wasm_opcode;
#undef WASM_OP_ENUM

/* enum wasm_opcode_fc: WASM_OPFC_i32_trunc_sat_f32_s = 0, ... */
#define WASM_OPFC_ENUM(name, sub, imm, sig) WASM_OPFC_##name = sub,
typedef enum wasm_opcode_fc { WASM_OPCODES_FC(WASM_OPFC_ENUM) WASM_OPFC_COUNT } wasm_opcode_fc;
#undef WASM_OPFC_ENUM

#endif /* WT_OPCODES_H */
