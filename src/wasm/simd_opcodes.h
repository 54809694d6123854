/*
** simd_opcodes.h — the one list of fixed-width SIMD instructions (Wasm 2.0,
** the 236 final opcodes of the SIMD proposal), all behind the 0xFD prefix.
** Decoder, validator and (later) the interpreter derive their tables from
** it, as they do from opcodes.h for the other instructions.
**
** OPSIMD(name, subcode, immediate, signature, lg)
**   name       C identifier suffix: WASM_OPSIMD_<name> in enum
**              wasm_opcode_simd; the text name has a dot after the shape
**              (i8x16_add is "i8x16.add")
**   subcode    the u32 LEB after 0xFD (every one is below 0x100)
**   immediate  IMM_NONE, IMM_MEMARG, IMM_MEMARG_LANE, IMM_LANE, IMM_V128 or
**              IMM_SHUFFLE (see wasm_imm in opcodes.h)
**   signature  "params:results" as in opcodes.h, with V = v128
**   lg         log2 of a width in bytes. Memory instructions: the access
**              width, i.e. the largest valid alignment (v128.load 4,
**              v128.load8x8_s 3, v128.load16_lane 1). Other instructions:
**              the lane width of the shape (of the result, or of the
**              operand when the result is scalar): i8x16 0, i16x8 1,
**              i32x4/f32x4 2, i64x2/f64x2 3. A lane immediate must be below
**              16 >> lg. Whole-vector instructions (v128.and...) have 0.
**
** The numbers were checked against the proposal's BinarySIMD.md and, op by
** op, against wabt 1.0.32 (names by disassembly; signatures, alignments and
** lane limits by wasm-validate accepting the valid form and rejecting the
** wrong ones).
*/
#ifndef WT_SIMD_OPCODES_H
#define WT_SIMD_OPCODES_H

#include "wasm/opcodes.h"

#define WASM_OPCODES_SIMD(OPSIMD)                                                     \
  /* memory: loads, store */                                                         \
  OPSIMD(v128_load, 0x00, IMM_MEMARG, "i:V", 4)                                      \
  OPSIMD(v128_load8x8_s, 0x01, IMM_MEMARG, "i:V", 3)                                 \
  OPSIMD(v128_load8x8_u, 0x02, IMM_MEMARG, "i:V", 3)                                 \
  OPSIMD(v128_load16x4_s, 0x03, IMM_MEMARG, "i:V", 3)                                \
  OPSIMD(v128_load16x4_u, 0x04, IMM_MEMARG, "i:V", 3)                                \
  OPSIMD(v128_load32x2_s, 0x05, IMM_MEMARG, "i:V", 3)                                \
  OPSIMD(v128_load32x2_u, 0x06, IMM_MEMARG, "i:V", 3)                                \
  OPSIMD(v128_load8_splat, 0x07, IMM_MEMARG, "i:V", 0)                               \
  OPSIMD(v128_load16_splat, 0x08, IMM_MEMARG, "i:V", 1)                              \
  OPSIMD(v128_load32_splat, 0x09, IMM_MEMARG, "i:V", 2)                              \
  OPSIMD(v128_load64_splat, 0x0a, IMM_MEMARG, "i:V", 3)                              \
  OPSIMD(v128_store, 0x0b, IMM_MEMARG, "iV:", 4)                                     \
  /* constant, shuffle, swizzle, splats */                                           \
  OPSIMD(v128_const, 0x0c, IMM_V128, ":V", 0)                                        \
  OPSIMD(i8x16_shuffle, 0x0d, IMM_SHUFFLE, "VV:V", 0)                                \
  OPSIMD(i8x16_swizzle, 0x0e, IMM_NONE, "VV:V", 0)                                   \
  OPSIMD(i8x16_splat, 0x0f, IMM_NONE, "i:V", 0)                                      \
  OPSIMD(i16x8_splat, 0x10, IMM_NONE, "i:V", 1)                                      \
  OPSIMD(i32x4_splat, 0x11, IMM_NONE, "i:V", 2)                                      \
  OPSIMD(i64x2_splat, 0x12, IMM_NONE, "I:V", 3)                                      \
  OPSIMD(f32x4_splat, 0x13, IMM_NONE, "f:V", 2)                                      \
  OPSIMD(f64x2_splat, 0x14, IMM_NONE, "F:V", 3)                                      \
  /* lane access */                                                                  \
  OPSIMD(i8x16_extract_lane_s, 0x15, IMM_LANE, "V:i", 0)                             \
  OPSIMD(i8x16_extract_lane_u, 0x16, IMM_LANE, "V:i", 0)                             \
  OPSIMD(i8x16_replace_lane, 0x17, IMM_LANE, "Vi:V", 0)                              \
  OPSIMD(i16x8_extract_lane_s, 0x18, IMM_LANE, "V:i", 1)                             \
  OPSIMD(i16x8_extract_lane_u, 0x19, IMM_LANE, "V:i", 1)                             \
  OPSIMD(i16x8_replace_lane, 0x1a, IMM_LANE, "Vi:V", 1)                              \
  OPSIMD(i32x4_extract_lane, 0x1b, IMM_LANE, "V:i", 2)                               \
  OPSIMD(i32x4_replace_lane, 0x1c, IMM_LANE, "Vi:V", 2)                              \
  OPSIMD(i64x2_extract_lane, 0x1d, IMM_LANE, "V:I", 3)                               \
  OPSIMD(i64x2_replace_lane, 0x1e, IMM_LANE, "VI:V", 3)                              \
  OPSIMD(f32x4_extract_lane, 0x1f, IMM_LANE, "V:f", 2)                               \
  OPSIMD(f32x4_replace_lane, 0x20, IMM_LANE, "Vf:V", 2)                              \
  OPSIMD(f64x2_extract_lane, 0x21, IMM_LANE, "V:F", 3)                               \
  OPSIMD(f64x2_replace_lane, 0x22, IMM_LANE, "VF:V", 3)                              \
  /* comparisons */                                                                  \
  OPSIMD(i8x16_eq, 0x23, IMM_NONE, "VV:V", 0)                                        \
  OPSIMD(i8x16_ne, 0x24, IMM_NONE, "VV:V", 0)                                        \
  OPSIMD(i8x16_lt_s, 0x25, IMM_NONE, "VV:V", 0)                                      \
  OPSIMD(i8x16_lt_u, 0x26, IMM_NONE, "VV:V", 0)                                      \
  OPSIMD(i8x16_gt_s, 0x27, IMM_NONE, "VV:V", 0)                                      \
  OPSIMD(i8x16_gt_u, 0x28, IMM_NONE, "VV:V", 0)                                      \
  OPSIMD(i8x16_le_s, 0x29, IMM_NONE, "VV:V", 0)                                      \
  OPSIMD(i8x16_le_u, 0x2a, IMM_NONE, "VV:V", 0)                                      \
  OPSIMD(i8x16_ge_s, 0x2b, IMM_NONE, "VV:V", 0)                                      \
  OPSIMD(i8x16_ge_u, 0x2c, IMM_NONE, "VV:V", 0)                                      \
  OPSIMD(i16x8_eq, 0x2d, IMM_NONE, "VV:V", 1)                                        \
  OPSIMD(i16x8_ne, 0x2e, IMM_NONE, "VV:V", 1)                                        \
  OPSIMD(i16x8_lt_s, 0x2f, IMM_NONE, "VV:V", 1)                                      \
  OPSIMD(i16x8_lt_u, 0x30, IMM_NONE, "VV:V", 1)                                      \
  OPSIMD(i16x8_gt_s, 0x31, IMM_NONE, "VV:V", 1)                                      \
  OPSIMD(i16x8_gt_u, 0x32, IMM_NONE, "VV:V", 1)                                      \
  OPSIMD(i16x8_le_s, 0x33, IMM_NONE, "VV:V", 1)                                      \
  OPSIMD(i16x8_le_u, 0x34, IMM_NONE, "VV:V", 1)                                      \
  OPSIMD(i16x8_ge_s, 0x35, IMM_NONE, "VV:V", 1)                                      \
  OPSIMD(i16x8_ge_u, 0x36, IMM_NONE, "VV:V", 1)                                      \
  OPSIMD(i32x4_eq, 0x37, IMM_NONE, "VV:V", 2)                                        \
  OPSIMD(i32x4_ne, 0x38, IMM_NONE, "VV:V", 2)                                        \
  OPSIMD(i32x4_lt_s, 0x39, IMM_NONE, "VV:V", 2)                                      \
  OPSIMD(i32x4_lt_u, 0x3a, IMM_NONE, "VV:V", 2)                                      \
  OPSIMD(i32x4_gt_s, 0x3b, IMM_NONE, "VV:V", 2)                                      \
  OPSIMD(i32x4_gt_u, 0x3c, IMM_NONE, "VV:V", 2)                                      \
  OPSIMD(i32x4_le_s, 0x3d, IMM_NONE, "VV:V", 2)                                      \
  OPSIMD(i32x4_le_u, 0x3e, IMM_NONE, "VV:V", 2)                                      \
  OPSIMD(i32x4_ge_s, 0x3f, IMM_NONE, "VV:V", 2)                                      \
  OPSIMD(i32x4_ge_u, 0x40, IMM_NONE, "VV:V", 2)                                      \
  OPSIMD(f32x4_eq, 0x41, IMM_NONE, "VV:V", 2)                                        \
  OPSIMD(f32x4_ne, 0x42, IMM_NONE, "VV:V", 2)                                        \
  OPSIMD(f32x4_lt, 0x43, IMM_NONE, "VV:V", 2)                                        \
  OPSIMD(f32x4_gt, 0x44, IMM_NONE, "VV:V", 2)                                        \
  OPSIMD(f32x4_le, 0x45, IMM_NONE, "VV:V", 2)                                        \
  OPSIMD(f32x4_ge, 0x46, IMM_NONE, "VV:V", 2)                                        \
  OPSIMD(f64x2_eq, 0x47, IMM_NONE, "VV:V", 3)                                        \
  OPSIMD(f64x2_ne, 0x48, IMM_NONE, "VV:V", 3)                                        \
  OPSIMD(f64x2_lt, 0x49, IMM_NONE, "VV:V", 3)                                        \
  OPSIMD(f64x2_gt, 0x4a, IMM_NONE, "VV:V", 3)                                        \
  OPSIMD(f64x2_le, 0x4b, IMM_NONE, "VV:V", 3)                                        \
  OPSIMD(f64x2_ge, 0x4c, IMM_NONE, "VV:V", 3)                                        \
  /* bitwise */                                                                      \
  OPSIMD(v128_not, 0x4d, IMM_NONE, "V:V", 0)                                         \
  OPSIMD(v128_and, 0x4e, IMM_NONE, "VV:V", 0)                                        \
  OPSIMD(v128_andnot, 0x4f, IMM_NONE, "VV:V", 0)                                     \
  OPSIMD(v128_or, 0x50, IMM_NONE, "VV:V", 0)                                         \
  OPSIMD(v128_xor, 0x51, IMM_NONE, "VV:V", 0)                                        \
  OPSIMD(v128_bitselect, 0x52, IMM_NONE, "VVV:V", 0)                                 \
  OPSIMD(v128_any_true, 0x53, IMM_NONE, "V:i", 0)                                    \
  /* lane loads and stores, zero-extending loads */                                  \
  OPSIMD(v128_load8_lane, 0x54, IMM_MEMARG_LANE, "iV:V", 0)                          \
  OPSIMD(v128_load16_lane, 0x55, IMM_MEMARG_LANE, "iV:V", 1)                         \
  OPSIMD(v128_load32_lane, 0x56, IMM_MEMARG_LANE, "iV:V", 2)                         \
  OPSIMD(v128_load64_lane, 0x57, IMM_MEMARG_LANE, "iV:V", 3)                         \
  OPSIMD(v128_store8_lane, 0x58, IMM_MEMARG_LANE, "iV:", 0)                          \
  OPSIMD(v128_store16_lane, 0x59, IMM_MEMARG_LANE, "iV:", 1)                         \
  OPSIMD(v128_store32_lane, 0x5a, IMM_MEMARG_LANE, "iV:", 2)                         \
  OPSIMD(v128_store64_lane, 0x5b, IMM_MEMARG_LANE, "iV:", 3)                         \
  OPSIMD(v128_load32_zero, 0x5c, IMM_MEMARG, "i:V", 2)                               \
  OPSIMD(v128_load64_zero, 0x5d, IMM_MEMARG, "i:V", 3)                               \
  /* arithmetic, conversions, narrowing and widening (subcodes interleave shapes) */ \
  OPSIMD(f32x4_demote_f64x2_zero, 0x5e, IMM_NONE, "V:V", 2)                          \
  OPSIMD(f64x2_promote_low_f32x4, 0x5f, IMM_NONE, "V:V", 3)                          \
  OPSIMD(i8x16_abs, 0x60, IMM_NONE, "V:V", 0)                                        \
  OPSIMD(i8x16_neg, 0x61, IMM_NONE, "V:V", 0)                                        \
  OPSIMD(i8x16_popcnt, 0x62, IMM_NONE, "V:V", 0)                                     \
  OPSIMD(i8x16_all_true, 0x63, IMM_NONE, "V:i", 0)                                   \
  OPSIMD(i8x16_bitmask, 0x64, IMM_NONE, "V:i", 0)                                    \
  OPSIMD(i8x16_narrow_i16x8_s, 0x65, IMM_NONE, "VV:V", 0)                            \
  OPSIMD(i8x16_narrow_i16x8_u, 0x66, IMM_NONE, "VV:V", 0)                            \
  OPSIMD(f32x4_ceil, 0x67, IMM_NONE, "V:V", 2)                                       \
  OPSIMD(f32x4_floor, 0x68, IMM_NONE, "V:V", 2)                                      \
  OPSIMD(f32x4_trunc, 0x69, IMM_NONE, "V:V", 2)                                      \
  OPSIMD(f32x4_nearest, 0x6a, IMM_NONE, "V:V", 2)                                    \
  OPSIMD(i8x16_shl, 0x6b, IMM_NONE, "Vi:V", 0)                                       \
  OPSIMD(i8x16_shr_s, 0x6c, IMM_NONE, "Vi:V", 0)                                     \
  OPSIMD(i8x16_shr_u, 0x6d, IMM_NONE, "Vi:V", 0)                                     \
  OPSIMD(i8x16_add, 0x6e, IMM_NONE, "VV:V", 0)                                       \
  OPSIMD(i8x16_add_sat_s, 0x6f, IMM_NONE, "VV:V", 0)                                 \
  OPSIMD(i8x16_add_sat_u, 0x70, IMM_NONE, "VV:V", 0)                                 \
  OPSIMD(i8x16_sub, 0x71, IMM_NONE, "VV:V", 0)                                       \
  OPSIMD(i8x16_sub_sat_s, 0x72, IMM_NONE, "VV:V", 0)                                 \
  OPSIMD(i8x16_sub_sat_u, 0x73, IMM_NONE, "VV:V", 0)                                 \
  OPSIMD(f64x2_ceil, 0x74, IMM_NONE, "V:V", 3)                                       \
  OPSIMD(f64x2_floor, 0x75, IMM_NONE, "V:V", 3)                                      \
  OPSIMD(i8x16_min_s, 0x76, IMM_NONE, "VV:V", 0)                                     \
  OPSIMD(i8x16_min_u, 0x77, IMM_NONE, "VV:V", 0)                                     \
  OPSIMD(i8x16_max_s, 0x78, IMM_NONE, "VV:V", 0)                                     \
  OPSIMD(i8x16_max_u, 0x79, IMM_NONE, "VV:V", 0)                                     \
  OPSIMD(f64x2_trunc, 0x7a, IMM_NONE, "V:V", 3)                                      \
  OPSIMD(i8x16_avgr_u, 0x7b, IMM_NONE, "VV:V", 0)                                    \
  OPSIMD(i16x8_extadd_pairwise_i8x16_s, 0x7c, IMM_NONE, "V:V", 1)                    \
  OPSIMD(i16x8_extadd_pairwise_i8x16_u, 0x7d, IMM_NONE, "V:V", 1)                    \
  OPSIMD(i32x4_extadd_pairwise_i16x8_s, 0x7e, IMM_NONE, "V:V", 2)                    \
  OPSIMD(i32x4_extadd_pairwise_i16x8_u, 0x7f, IMM_NONE, "V:V", 2)                    \
  OPSIMD(i16x8_abs, 0x80, IMM_NONE, "V:V", 1)                                        \
  OPSIMD(i16x8_neg, 0x81, IMM_NONE, "V:V", 1)                                        \
  OPSIMD(i16x8_q15mulr_sat_s, 0x82, IMM_NONE, "VV:V", 1)                             \
  OPSIMD(i16x8_all_true, 0x83, IMM_NONE, "V:i", 1)                                   \
  OPSIMD(i16x8_bitmask, 0x84, IMM_NONE, "V:i", 1)                                    \
  OPSIMD(i16x8_narrow_i32x4_s, 0x85, IMM_NONE, "VV:V", 1)                            \
  OPSIMD(i16x8_narrow_i32x4_u, 0x86, IMM_NONE, "VV:V", 1)                            \
  OPSIMD(i16x8_extend_low_i8x16_s, 0x87, IMM_NONE, "V:V", 1)                         \
  OPSIMD(i16x8_extend_high_i8x16_s, 0x88, IMM_NONE, "V:V", 1)                        \
  OPSIMD(i16x8_extend_low_i8x16_u, 0x89, IMM_NONE, "V:V", 1)                         \
  OPSIMD(i16x8_extend_high_i8x16_u, 0x8a, IMM_NONE, "V:V", 1)                        \
  OPSIMD(i16x8_shl, 0x8b, IMM_NONE, "Vi:V", 1)                                       \
  OPSIMD(i16x8_shr_s, 0x8c, IMM_NONE, "Vi:V", 1)                                     \
  OPSIMD(i16x8_shr_u, 0x8d, IMM_NONE, "Vi:V", 1)                                     \
  OPSIMD(i16x8_add, 0x8e, IMM_NONE, "VV:V", 1)                                       \
  OPSIMD(i16x8_add_sat_s, 0x8f, IMM_NONE, "VV:V", 1)                                 \
  OPSIMD(i16x8_add_sat_u, 0x90, IMM_NONE, "VV:V", 1)                                 \
  OPSIMD(i16x8_sub, 0x91, IMM_NONE, "VV:V", 1)                                       \
  OPSIMD(i16x8_sub_sat_s, 0x92, IMM_NONE, "VV:V", 1)                                 \
  OPSIMD(i16x8_sub_sat_u, 0x93, IMM_NONE, "VV:V", 1)                                 \
  OPSIMD(f64x2_nearest, 0x94, IMM_NONE, "V:V", 3)                                    \
  OPSIMD(i16x8_mul, 0x95, IMM_NONE, "VV:V", 1)                                       \
  OPSIMD(i16x8_min_s, 0x96, IMM_NONE, "VV:V", 1)                                     \
  OPSIMD(i16x8_min_u, 0x97, IMM_NONE, "VV:V", 1)                                     \
  OPSIMD(i16x8_max_s, 0x98, IMM_NONE, "VV:V", 1)                                     \
  OPSIMD(i16x8_max_u, 0x99, IMM_NONE, "VV:V", 1)                                     \
  OPSIMD(i16x8_avgr_u, 0x9b, IMM_NONE, "VV:V", 1)                                    \
  OPSIMD(i16x8_extmul_low_i8x16_s, 0x9c, IMM_NONE, "VV:V", 1)                        \
  OPSIMD(i16x8_extmul_high_i8x16_s, 0x9d, IMM_NONE, "VV:V", 1)                       \
  OPSIMD(i16x8_extmul_low_i8x16_u, 0x9e, IMM_NONE, "VV:V", 1)                        \
  OPSIMD(i16x8_extmul_high_i8x16_u, 0x9f, IMM_NONE, "VV:V", 1)                       \
  OPSIMD(i32x4_abs, 0xa0, IMM_NONE, "V:V", 2)                                        \
  OPSIMD(i32x4_neg, 0xa1, IMM_NONE, "V:V", 2)                                        \
  OPSIMD(i32x4_all_true, 0xa3, IMM_NONE, "V:i", 2)                                   \
  OPSIMD(i32x4_bitmask, 0xa4, IMM_NONE, "V:i", 2)                                    \
  OPSIMD(i32x4_extend_low_i16x8_s, 0xa7, IMM_NONE, "V:V", 2)                         \
  OPSIMD(i32x4_extend_high_i16x8_s, 0xa8, IMM_NONE, "V:V", 2)                        \
  OPSIMD(i32x4_extend_low_i16x8_u, 0xa9, IMM_NONE, "V:V", 2)                         \
  OPSIMD(i32x4_extend_high_i16x8_u, 0xaa, IMM_NONE, "V:V", 2)                        \
  OPSIMD(i32x4_shl, 0xab, IMM_NONE, "Vi:V", 2)                                       \
  OPSIMD(i32x4_shr_s, 0xac, IMM_NONE, "Vi:V", 2)                                     \
  OPSIMD(i32x4_shr_u, 0xad, IMM_NONE, "Vi:V", 2)                                     \
  OPSIMD(i32x4_add, 0xae, IMM_NONE, "VV:V", 2)                                       \
  OPSIMD(i32x4_sub, 0xb1, IMM_NONE, "VV:V", 2)                                       \
  OPSIMD(i32x4_mul, 0xb5, IMM_NONE, "VV:V", 2)                                       \
  OPSIMD(i32x4_min_s, 0xb6, IMM_NONE, "VV:V", 2)                                     \
  OPSIMD(i32x4_min_u, 0xb7, IMM_NONE, "VV:V", 2)                                     \
  OPSIMD(i32x4_max_s, 0xb8, IMM_NONE, "VV:V", 2)                                     \
  OPSIMD(i32x4_max_u, 0xb9, IMM_NONE, "VV:V", 2)                                     \
  OPSIMD(i32x4_dot_i16x8_s, 0xba, IMM_NONE, "VV:V", 2)                               \
  OPSIMD(i32x4_extmul_low_i16x8_s, 0xbc, IMM_NONE, "VV:V", 2)                        \
  OPSIMD(i32x4_extmul_high_i16x8_s, 0xbd, IMM_NONE, "VV:V", 2)                       \
  OPSIMD(i32x4_extmul_low_i16x8_u, 0xbe, IMM_NONE, "VV:V", 2)                        \
  OPSIMD(i32x4_extmul_high_i16x8_u, 0xbf, IMM_NONE, "VV:V", 2)                       \
  OPSIMD(i64x2_abs, 0xc0, IMM_NONE, "V:V", 3)                                        \
  OPSIMD(i64x2_neg, 0xc1, IMM_NONE, "V:V", 3)                                        \
  OPSIMD(i64x2_all_true, 0xc3, IMM_NONE, "V:i", 3)                                   \
  OPSIMD(i64x2_bitmask, 0xc4, IMM_NONE, "V:i", 3)                                    \
  OPSIMD(i64x2_extend_low_i32x4_s, 0xc7, IMM_NONE, "V:V", 3)                         \
  OPSIMD(i64x2_extend_high_i32x4_s, 0xc8, IMM_NONE, "V:V", 3)                        \
  OPSIMD(i64x2_extend_low_i32x4_u, 0xc9, IMM_NONE, "V:V", 3)                         \
  OPSIMD(i64x2_extend_high_i32x4_u, 0xca, IMM_NONE, "V:V", 3)                        \
  OPSIMD(i64x2_shl, 0xcb, IMM_NONE, "Vi:V", 3)                                       \
  OPSIMD(i64x2_shr_s, 0xcc, IMM_NONE, "Vi:V", 3)                                     \
  OPSIMD(i64x2_shr_u, 0xcd, IMM_NONE, "Vi:V", 3)                                     \
  OPSIMD(i64x2_add, 0xce, IMM_NONE, "VV:V", 3)                                       \
  OPSIMD(i64x2_sub, 0xd1, IMM_NONE, "VV:V", 3)                                       \
  OPSIMD(i64x2_mul, 0xd5, IMM_NONE, "VV:V", 3)                                       \
  OPSIMD(i64x2_eq, 0xd6, IMM_NONE, "VV:V", 3)                                        \
  OPSIMD(i64x2_ne, 0xd7, IMM_NONE, "VV:V", 3)                                        \
  OPSIMD(i64x2_lt_s, 0xd8, IMM_NONE, "VV:V", 3)                                      \
  OPSIMD(i64x2_gt_s, 0xd9, IMM_NONE, "VV:V", 3)                                      \
  OPSIMD(i64x2_le_s, 0xda, IMM_NONE, "VV:V", 3)                                      \
  OPSIMD(i64x2_ge_s, 0xdb, IMM_NONE, "VV:V", 3)                                      \
  OPSIMD(i64x2_extmul_low_i32x4_s, 0xdc, IMM_NONE, "VV:V", 3)                        \
  OPSIMD(i64x2_extmul_high_i32x4_s, 0xdd, IMM_NONE, "VV:V", 3)                       \
  OPSIMD(i64x2_extmul_low_i32x4_u, 0xde, IMM_NONE, "VV:V", 3)                        \
  OPSIMD(i64x2_extmul_high_i32x4_u, 0xdf, IMM_NONE, "VV:V", 3)                       \
  OPSIMD(f32x4_abs, 0xe0, IMM_NONE, "V:V", 2)                                        \
  OPSIMD(f32x4_neg, 0xe1, IMM_NONE, "V:V", 2)                                        \
  OPSIMD(f32x4_sqrt, 0xe3, IMM_NONE, "V:V", 2)                                       \
  OPSIMD(f32x4_add, 0xe4, IMM_NONE, "VV:V", 2)                                       \
  OPSIMD(f32x4_sub, 0xe5, IMM_NONE, "VV:V", 2)                                       \
  OPSIMD(f32x4_mul, 0xe6, IMM_NONE, "VV:V", 2)                                       \
  OPSIMD(f32x4_div, 0xe7, IMM_NONE, "VV:V", 2)                                       \
  OPSIMD(f32x4_min, 0xe8, IMM_NONE, "VV:V", 2)                                       \
  OPSIMD(f32x4_max, 0xe9, IMM_NONE, "VV:V", 2)                                       \
  OPSIMD(f32x4_pmin, 0xea, IMM_NONE, "VV:V", 2)                                      \
  OPSIMD(f32x4_pmax, 0xeb, IMM_NONE, "VV:V", 2)                                      \
  OPSIMD(f64x2_abs, 0xec, IMM_NONE, "V:V", 3)                                        \
  OPSIMD(f64x2_neg, 0xed, IMM_NONE, "V:V", 3)                                        \
  OPSIMD(f64x2_sqrt, 0xef, IMM_NONE, "V:V", 3)                                       \
  OPSIMD(f64x2_add, 0xf0, IMM_NONE, "VV:V", 3)                                       \
  OPSIMD(f64x2_sub, 0xf1, IMM_NONE, "VV:V", 3)                                       \
  OPSIMD(f64x2_mul, 0xf2, IMM_NONE, "VV:V", 3)                                       \
  OPSIMD(f64x2_div, 0xf3, IMM_NONE, "VV:V", 3)                                       \
  OPSIMD(f64x2_min, 0xf4, IMM_NONE, "VV:V", 3)                                       \
  OPSIMD(f64x2_max, 0xf5, IMM_NONE, "VV:V", 3)                                       \
  OPSIMD(f64x2_pmin, 0xf6, IMM_NONE, "VV:V", 3)                                      \
  OPSIMD(f64x2_pmax, 0xf7, IMM_NONE, "VV:V", 3)                                      \
  OPSIMD(i32x4_trunc_sat_f32x4_s, 0xf8, IMM_NONE, "V:V", 2)                          \
  OPSIMD(i32x4_trunc_sat_f32x4_u, 0xf9, IMM_NONE, "V:V", 2)                          \
  OPSIMD(f32x4_convert_i32x4_s, 0xfa, IMM_NONE, "V:V", 2)                            \
  OPSIMD(f32x4_convert_i32x4_u, 0xfb, IMM_NONE, "V:V", 2)                            \
  OPSIMD(i32x4_trunc_sat_f64x2_s_zero, 0xfc, IMM_NONE, "V:V", 2)                     \
  OPSIMD(i32x4_trunc_sat_f64x2_u_zero, 0xfd, IMM_NONE, "V:V", 2)                     \
  OPSIMD(f64x2_convert_low_i32x4_s, 0xfe, IMM_NONE, "V:V", 3)                        \
  OPSIMD(f64x2_convert_low_i32x4_u, 0xff, IMM_NONE, "V:V", 3)

/* Subcodes are below this bound, so tables indexed by subcode have this
** many entries (unassigned ones are zero/NULL). */
#define WASM_OPSIMD_LIMIT 0x100

/* enum wasm_opcode_simd: WASM_OPSIMD_v128_load = 0x00, ... */
#define WASM_OPSIMD_ENUM(name, sub, imm, sig, lg) WASM_OPSIMD_##name = sub,
typedef enum wasm_opcode_simd { WASM_OPCODES_SIMD(WASM_OPSIMD_ENUM) } wasm_opcode_simd;
#undef WASM_OPSIMD_ENUM

/* The number of SIMD instructions (236). */
#define WASM_OPSIMD_ONE(name, sub, imm, sig, lg) +1
enum { WASM_OPSIMD_NUMBER = 0 WASM_OPCODES_SIMD(WASM_OPSIMD_ONE) };
#undef WASM_OPSIMD_ONE

#endif /* WT_SIMD_OPCODES_H */
