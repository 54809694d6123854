/*
** v128.h — exact lane semantics of Wasm 2.0 fixed-width SIMD (prefix `wv_`).
**
** Self-contained on purpose: plain C11 plus GCC/Clang vector extensions,
** static inline functions only, no globals and no engine types, so the
** interpreter (src/interp/exec_simd.inc) and the AOT tier's generated C
** include the very same definitions and cannot disagree on an edge case.
**
** Conventions
**  - wv128 is the 16-byte value; lane 0 is the lowest-addressed byte
**    group (Wasm is little-endian, and so are all hosts we build for).
**  - One function per instruction, named wv_<name> after the names of
**    simd_opcodes.h (wv_i8x16_add is i8x16.add). Memory instructions take
**    a host pointer the caller has already bounds-checked.
**  - Scalars cross the boundary as bit patterns: i32 and f32 as uint32_t,
**    i64 and f64 as uint64_t. Float lanes are never moved through a float
**    register unless arithmetic is done on them, so NaN payloads survive
**    splat, extract, replace, shuffle and the bitwise ops.
**  - Float arithmetic uses the host's IEEE units, which produce quiet
**    (arithmetic) NaNs from NaN inputs and a canonical NaN otherwise; the
**    spec allows exactly that nondeterminism. Operations that C would get
**    wrong (min/max with NaN and signed zeros, rounding helpers that may
**    return a signalling NaN unchanged, float->int conversion) are spelled
**    out.
**  - Integer arithmetic is done on unsigned lanes so wrap-around is
**    defined; signed lanes are used only for comparisons and arithmetic
**    right shifts (implementation-defined in ISO C, arithmetic on GCC and
**    Clang, which this header requires anyway).
*/
#ifndef WT_V128_H
#define WT_V128_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#if !defined(__GNUC__)
#error "v128.h needs GCC/Clang vector extensions"
#endif

#define WV_VEC(T) __attribute__((vector_size(16), aligned(16))) T
typedef uint64_t WV_VEC(wv128); /* the value type; other views are bit casts */
typedef int8_t WV_VEC(wv_i8);
typedef uint8_t WV_VEC(wv_u8);
typedef int16_t WV_VEC(wv_i16);
typedef uint16_t WV_VEC(wv_u16);
typedef int32_t WV_VEC(wv_i32);
typedef uint32_t WV_VEC(wv_u32);
typedef int64_t WV_VEC(wv_i64);
typedef uint64_t WV_VEC(wv_u64);
typedef float WV_VEC(wv_f32);
typedef double WV_VEC(wv_f64);
#undef WV_VEC

/* ---- memory and constants ------------------------------------------------ */

static inline wv128 wv_load(const void *p) {
  wv128 v;
  memcpy(&v, p, 16);
  return v;
}

static inline void wv_store(void *p, wv128 v) { memcpy(p, &v, 16); }

static inline wv128 wv_make(uint64_t lo, uint64_t hi) {
  wv128 v = {lo, hi};
  return v;
}

static inline uint64_t wv_lo(wv128 v) { return v[0]; }
static inline uint64_t wv_hi(wv128 v) { return v[1]; }

/* v128.load8x8_s ... load32x2_u: 8 bytes widened lane by lane. */
#define WV_LOAD_EXT(name, SRC, DST, VT)            \
  static inline wv128 wv_##name(const void *p) {   \
    SRC in[16 / (2 * sizeof(SRC))];                \
    memcpy(in, p, 8);                              \
    VT r;                                          \
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) r[i] = (DST)in[i]; \
    return (wv128)r;                               \
  }
WV_LOAD_EXT(v128_load8x8_s, int8_t, int16_t, wv_i16)
WV_LOAD_EXT(v128_load8x8_u, uint8_t, uint16_t, wv_u16)
WV_LOAD_EXT(v128_load16x4_s, int16_t, int32_t, wv_i32)
WV_LOAD_EXT(v128_load16x4_u, uint16_t, uint32_t, wv_u32)
WV_LOAD_EXT(v128_load32x2_s, int32_t, int64_t, wv_i64)
WV_LOAD_EXT(v128_load32x2_u, uint32_t, uint64_t, wv_u64)
#undef WV_LOAD_EXT

static inline wv128 wv_i8x16_splat(uint32_t x) {
  wv_u8 r = {0};
  return (wv128)(r + (uint8_t)x);
}
static inline wv128 wv_i16x8_splat(uint32_t x) {
  wv_u16 r = {0};
  return (wv128)(r + (uint16_t)x);
}
static inline wv128 wv_i32x4_splat(uint32_t x) {
  wv_u32 r = {0};
  return (wv128)(r + x);
}
static inline wv128 wv_i64x2_splat(uint64_t x) { return wv_make(x, x); }
static inline wv128 wv_f32x4_splat(uint32_t bits) { return wv_i32x4_splat(bits); }
static inline wv128 wv_f64x2_splat(uint64_t bits) { return wv_make(bits, bits); }

static inline wv128 wv_v128_load8_splat(const void *p) { return wv_i8x16_splat(*(const uint8_t *)p); }
static inline wv128 wv_v128_load16_splat(const void *p) {
  uint16_t x;
  memcpy(&x, p, 2);
  return wv_i16x8_splat(x);
}
static inline wv128 wv_v128_load32_splat(const void *p) {
  uint32_t x;
  memcpy(&x, p, 4);
  return wv_i32x4_splat(x);
}
static inline wv128 wv_v128_load64_splat(const void *p) {
  uint64_t x;
  memcpy(&x, p, 8);
  return wv_make(x, x);
}
static inline wv128 wv_v128_load32_zero(const void *p) {
  uint32_t x;
  memcpy(&x, p, 4);
  return wv_make(x, 0);
}
static inline wv128 wv_v128_load64_zero(const void *p) {
  uint64_t x;
  memcpy(&x, p, 8);
  return wv_make(x, 0);
}

/* Lane loads/stores: `nbytes` is the lane width (1, 2, 4, 8); the lane
** index has been validated (below 16 / nbytes). Byte copies into the
** vector's storage are exact on a little-endian host. */
static inline wv128 wv_load_lane(wv128 v, const void *p, unsigned nbytes, unsigned lane) {
  memcpy((unsigned char *)&v + (size_t)lane * nbytes, p, nbytes);
  return v;
}
static inline void wv_store_lane(void *p, wv128 v, unsigned nbytes, unsigned lane) {
  memcpy(p, (const unsigned char *)&v + (size_t)lane * nbytes, nbytes);
}

/* ---- lanes ------------------------------------------------------------------- */

static inline uint32_t wv_i8x16_extract_lane_s(wv128 v, unsigned l) { return (uint32_t)(int32_t)((wv_i8)v)[l & 15]; }
static inline uint32_t wv_i8x16_extract_lane_u(wv128 v, unsigned l) { return ((wv_u8)v)[l & 15]; }
static inline uint32_t wv_i16x8_extract_lane_s(wv128 v, unsigned l) { return (uint32_t)(int32_t)((wv_i16)v)[l & 7]; }
static inline uint32_t wv_i16x8_extract_lane_u(wv128 v, unsigned l) { return ((wv_u16)v)[l & 7]; }
static inline uint32_t wv_i32x4_extract_lane(wv128 v, unsigned l) { return ((wv_u32)v)[l & 3]; }
static inline uint64_t wv_i64x2_extract_lane(wv128 v, unsigned l) { return v[l & 1]; }
static inline uint32_t wv_f32x4_extract_lane(wv128 v, unsigned l) { return ((wv_u32)v)[l & 3]; }
static inline uint64_t wv_f64x2_extract_lane(wv128 v, unsigned l) { return v[l & 1]; }

static inline wv128 wv_i8x16_replace_lane(wv128 v, unsigned l, uint32_t x) {
  wv_u8 r = (wv_u8)v;
  r[l & 15] = (uint8_t)x;
  return (wv128)r;
}
static inline wv128 wv_i16x8_replace_lane(wv128 v, unsigned l, uint32_t x) {
  wv_u16 r = (wv_u16)v;
  r[l & 7] = (uint16_t)x;
  return (wv128)r;
}
static inline wv128 wv_i32x4_replace_lane(wv128 v, unsigned l, uint32_t x) {
  wv_u32 r = (wv_u32)v;
  r[l & 3] = x;
  return (wv128)r;
}
static inline wv128 wv_i64x2_replace_lane(wv128 v, unsigned l, uint64_t x) {
  v[l & 1] = x;
  return v;
}
static inline wv128 wv_f32x4_replace_lane(wv128 v, unsigned l, uint32_t x) { return wv_i32x4_replace_lane(v, l, x); }
static inline wv128 wv_f64x2_replace_lane(wv128 v, unsigned l, uint64_t x) { return wv_i64x2_replace_lane(v, l, x); }

/* i8x16.shuffle: idx[i] < 32 selects byte idx[i] of a:b (validated). */
static inline wv128 wv_i8x16_shuffle(wv128 a, wv128 b, const uint8_t idx[16]) {
  uint8_t ab[32], r[16];
  memcpy(ab, &a, 16);
  memcpy(ab + 16, &b, 16);
  for (unsigned i = 0; i < 16; i++) r[i] = ab[idx[i] & 31];
  return wv_load(r);
}

/* i8x16.swizzle: out-of-range indices (>= 16) give 0. */
static inline wv128 wv_i8x16_swizzle(wv128 a, wv128 s) {
  wv_u8 x = (wv_u8)a, i = (wv_u8)s, r;
  for (unsigned k = 0; k < 16; k++) r[k] = i[k] < 16 ? x[i[k] & 15] : 0;
  return (wv128)r;
}

/* ---- bitwise ------------------------------------------------------------------- */

static inline wv128 wv_v128_not(wv128 a) { return ~a; }
static inline wv128 wv_v128_and(wv128 a, wv128 b) { return a & b; }
static inline wv128 wv_v128_andnot(wv128 a, wv128 b) { return a & ~b; }
static inline wv128 wv_v128_or(wv128 a, wv128 b) { return a | b; }
static inline wv128 wv_v128_xor(wv128 a, wv128 b) { return a ^ b; }
static inline wv128 wv_v128_bitselect(wv128 a, wv128 b, wv128 c) { return (a & c) | (b & ~c); }
static inline uint32_t wv_v128_any_true(wv128 a) { return (a[0] | a[1]) != 0; }

/* Lane-wise choice by a mask of all-ones/all-zeros lanes. */
static inline wv128 wv_sel(wv128 m, wv128 a, wv128 b) { return (a & m) | (b & ~m); }

/* ---- comparisons (lanes all-ones when true) -------------------------------------- */

#define WV_CMP(name, VT, op) \
  static inline wv128 wv_##name(wv128 a, wv128 b) { return (wv128)((VT)a op (VT)b); }
#define WV_CMPS(shape, S, U)                                                         \
  WV_CMP(shape##_eq, S, ==) WV_CMP(shape##_ne, S, !=) WV_CMP(shape##_lt_s, S, <)     \
  WV_CMP(shape##_lt_u, U, <) WV_CMP(shape##_gt_s, S, >) WV_CMP(shape##_gt_u, U, >)   \
  WV_CMP(shape##_le_s, S, <=) WV_CMP(shape##_le_u, U, <=) WV_CMP(shape##_ge_s, S, >=) \
  WV_CMP(shape##_ge_u, U, >=)
WV_CMPS(i8x16, wv_i8, wv_u8)
WV_CMPS(i16x8, wv_i16, wv_u16)
WV_CMPS(i32x4, wv_i32, wv_u32)
WV_CMP(i64x2_eq, wv_i64, ==)
WV_CMP(i64x2_ne, wv_i64, !=)
WV_CMP(i64x2_lt_s, wv_i64, <)
WV_CMP(i64x2_gt_s, wv_i64, >)
WV_CMP(i64x2_le_s, wv_i64, <=)
WV_CMP(i64x2_ge_s, wv_i64, >=)
/* Float comparisons are IEEE: false with a NaN operand, except ne. */
#define WV_FCMPS(shape, F)                                                        \
  WV_CMP(shape##_eq, F, ==) WV_CMP(shape##_ne, F, !=) WV_CMP(shape##_lt, F, <)    \
  WV_CMP(shape##_gt, F, >) WV_CMP(shape##_le, F, <=) WV_CMP(shape##_ge, F, >=)
WV_FCMPS(f32x4, wv_f32)
WV_FCMPS(f64x2, wv_f64)
#undef WV_CMP
#undef WV_CMPS
#undef WV_FCMPS

/* ---- integer arithmetic -------------------------------------------------------- */

#define WV_BIN(name, VT, expr) \
  static inline wv128 wv_##name(wv128 va, wv128 vb) { VT a = (VT)va, b = (VT)vb; return (wv128)(expr); }
#define WV_UN(name, VT, expr) \
  static inline wv128 wv_##name(wv128 va) { VT a = (VT)va; return (wv128)(expr); }

WV_BIN(i8x16_add, wv_u8, a + b)
WV_BIN(i16x8_add, wv_u16, a + b)
WV_BIN(i32x4_add, wv_u32, a + b)
WV_BIN(i64x2_add, wv_u64, a + b)
WV_BIN(i8x16_sub, wv_u8, a - b)
WV_BIN(i16x8_sub, wv_u16, a - b)
WV_BIN(i32x4_sub, wv_u32, a - b)
WV_BIN(i64x2_sub, wv_u64, a - b)
WV_BIN(i16x8_mul, wv_u16, a * b)
WV_BIN(i32x4_mul, wv_u32, a * b)
WV_BIN(i64x2_mul, wv_u64, a * b)
WV_UN(i8x16_neg, wv_u8, -a)
WV_UN(i16x8_neg, wv_u16, -a)
WV_UN(i32x4_neg, wv_u32, -a)
WV_UN(i64x2_neg, wv_u64, -a)
/* abs: (a ^ m) - m with m the sign spread over the lane; INT_MIN stays. */
WV_UN(i8x16_abs, wv_u8, (a ^ (wv_u8)((wv_i8)a >> 7)) - (wv_u8)((wv_i8)a >> 7))
WV_UN(i16x8_abs, wv_u16, (a ^ (wv_u16)((wv_i16)a >> 15)) - (wv_u16)((wv_i16)a >> 15))
WV_UN(i32x4_abs, wv_u32, (a ^ (wv_u32)((wv_i32)a >> 31)) - (wv_u32)((wv_i32)a >> 31))
WV_UN(i64x2_abs, wv_u64, (a ^ (wv_u64)((wv_i64)a >> 63)) - (wv_u64)((wv_i64)a >> 63))

/* min/max by mask selection (C has no vector ?: operator). */
#define WV_MINMAX(shape, S, U)                                                       \
  static inline wv128 wv_##shape##_min_s(wv128 a, wv128 b) { return wv_sel((wv128)((S)a < (S)b), a, b); } \
  static inline wv128 wv_##shape##_min_u(wv128 a, wv128 b) { return wv_sel((wv128)((U)a < (U)b), a, b); } \
  static inline wv128 wv_##shape##_max_s(wv128 a, wv128 b) { return wv_sel((wv128)((S)a > (S)b), a, b); } \
  static inline wv128 wv_##shape##_max_u(wv128 a, wv128 b) { return wv_sel((wv128)((U)a > (U)b), a, b); }
WV_MINMAX(i8x16, wv_i8, wv_u8)
WV_MINMAX(i16x8, wv_i16, wv_u16)
WV_MINMAX(i32x4, wv_i32, wv_u32)
#undef WV_MINMAX

/* avgr_u: (a + b + 1) >> 1 without the overflowing sum. */
WV_BIN(i8x16_avgr_u, wv_u8, (a | b) - ((a ^ b) >> 1))
WV_BIN(i16x8_avgr_u, wv_u16, (a | b) - ((a ^ b) >> 1))

/* Saturating add/sub, lane by lane in a wider type. */
#define WV_SAT(name, VT, W, LO, HI, op)                          \
  static inline wv128 wv_##name(wv128 va, wv128 vb) {            \
    VT a = (VT)va, b = (VT)vb, r;                                \
    for (unsigned i = 0; i < 16 / sizeof a[0]; i++) {            \
      W x = (W)a[i] op (W)b[i];                                  \
      r[i] = (__typeof__(r[0]))(x < (LO) ? (LO) : x > (HI) ? (HI) : x); \
    }                                                            \
    return (wv128)r;                                             \
  }
WV_SAT(i8x16_add_sat_s, wv_i8, int32_t, -128, 127, +)
WV_SAT(i8x16_add_sat_u, wv_u8, int32_t, 0, 255, +)
WV_SAT(i8x16_sub_sat_s, wv_i8, int32_t, -128, 127, -)
WV_SAT(i8x16_sub_sat_u, wv_u8, int32_t, 0, 255, -)
WV_SAT(i16x8_add_sat_s, wv_i16, int32_t, -32768, 32767, +)
WV_SAT(i16x8_add_sat_u, wv_u16, int32_t, 0, 65535, +)
WV_SAT(i16x8_sub_sat_s, wv_i16, int32_t, -32768, 32767, -)
WV_SAT(i16x8_sub_sat_u, wv_u16, int32_t, 0, 65535, -)
#undef WV_SAT

/* q15mulr_sat_s: (a * b + 2^14) >> 15, saturated (only -1 * -1 overflows). */
static inline wv128 wv_i16x8_q15mulr_sat_s(wv128 va, wv128 vb) {
  wv_i16 a = (wv_i16)va, b = (wv_i16)vb, r;
  for (unsigned i = 0; i < 8; i++) {
    int32_t x = ((int32_t)a[i] * b[i] + 0x4000) >> 15;
    r[i] = (int16_t)(x > 32767 ? 32767 : x);
  }
  return (wv128)r;
}

/* Shifts take the count modulo the lane width. */
#define WV_SHIFTS(shape, S, U, bits)                                                         \
  static inline wv128 wv_##shape##_shl(wv128 a, uint32_t n) { return (wv128)((U)a << (int)(n & (bits - 1))); }   \
  static inline wv128 wv_##shape##_shr_s(wv128 a, uint32_t n) { return (wv128)((S)a >> (int)(n & (bits - 1))); } \
  static inline wv128 wv_##shape##_shr_u(wv128 a, uint32_t n) { return (wv128)((U)a >> (int)(n & (bits - 1))); }
WV_SHIFTS(i8x16, wv_i8, wv_u8, 8)
WV_SHIFTS(i16x8, wv_i16, wv_u16, 16)
WV_SHIFTS(i32x4, wv_i32, wv_u32, 32)
WV_SHIFTS(i64x2, wv_i64, wv_u64, 64)
#undef WV_SHIFTS

/* popcnt per byte: the classic bit-slice sum, exact on 8-bit lanes. */
static inline wv128 wv_i8x16_popcnt(wv128 va) {
  wv_u8 a = (wv_u8)va;
  a = a - ((a >> 1) & 0x55);
  a = (a & 0x33) + ((a >> 2) & 0x33);
  return (wv128)((a + (a >> 4)) & 0x0f);
}

/* all_true: every lane nonzero; bitmask: lane i's sign bit at bit i. */
#define WV_REDUCE(shape, S, n)                                                     \
  static inline uint32_t wv_##shape##_all_true(wv128 va) {                         \
    S a = (S)va;                                                                   \
    uint32_t r = 1;                                                                \
    for (unsigned i = 0; i < n; i++) r &= a[i] != 0;                               \
    return r;                                                                      \
  }                                                                                \
  static inline uint32_t wv_##shape##_bitmask(wv128 va) {                          \
    S a = (S)va;                                                                   \
    uint32_t r = 0;                                                                \
    for (unsigned i = 0; i < n; i++) r |= (uint32_t)(a[i] < 0) << i;               \
    return r;                                                                      \
  }
WV_REDUCE(i8x16, wv_i8, 16)
WV_REDUCE(i16x8, wv_i16, 8)
WV_REDUCE(i32x4, wv_i32, 4)
WV_REDUCE(i64x2, wv_i64, 2)
#undef WV_REDUCE

/* ---- widening, narrowing, pairwise, dot ------------------------------------------- */

/* extend_low/high: lanes `first`.. of the narrow shape, widened. */
#define WV_EXTEND(name, SRC, DST, T, first)                     \
  static inline wv128 wv_##name(wv128 va) {                     \
    SRC a = (SRC)va;                                            \
    DST r;                                                      \
    for (unsigned i = 0; i < 16 / sizeof r[0]; i++) r[i] = (T)a[i + (first)]; \
    return (wv128)r;                                            \
  }
WV_EXTEND(i16x8_extend_low_i8x16_s, wv_i8, wv_i16, int16_t, 0)
WV_EXTEND(i16x8_extend_high_i8x16_s, wv_i8, wv_i16, int16_t, 8)
WV_EXTEND(i16x8_extend_low_i8x16_u, wv_u8, wv_u16, uint16_t, 0)
WV_EXTEND(i16x8_extend_high_i8x16_u, wv_u8, wv_u16, uint16_t, 8)
WV_EXTEND(i32x4_extend_low_i16x8_s, wv_i16, wv_i32, int32_t, 0)
WV_EXTEND(i32x4_extend_high_i16x8_s, wv_i16, wv_i32, int32_t, 4)
WV_EXTEND(i32x4_extend_low_i16x8_u, wv_u16, wv_u32, uint32_t, 0)
WV_EXTEND(i32x4_extend_high_i16x8_u, wv_u16, wv_u32, uint32_t, 4)
WV_EXTEND(i64x2_extend_low_i32x4_s, wv_i32, wv_i64, int64_t, 0)
WV_EXTEND(i64x2_extend_high_i32x4_s, wv_i32, wv_i64, int64_t, 2)
WV_EXTEND(i64x2_extend_low_i32x4_u, wv_u32, wv_u64, uint64_t, 0)
WV_EXTEND(i64x2_extend_high_i32x4_u, wv_u32, wv_u64, uint64_t, 2)
#undef WV_EXTEND

/* extmul: widen both, multiply in the wide type (the products fit; the
** unsigned wide type keeps the 32x32->64 case free of overflow). */
#define WV_EXTMUL(name, SRC, DST, T, first)                                       \
  static inline wv128 wv_##name(wv128 va, wv128 vb) {                             \
    SRC a = (SRC)va, b = (SRC)vb;                                                 \
    DST r;                                                                        \
    for (unsigned i = 0; i < 16 / sizeof r[0]; i++)                               \
      r[i] = (__typeof__(r[0]))((T)a[i + (first)] * (T)b[i + (first)]);          \
    return (wv128)r;                                                              \
  }
WV_EXTMUL(i16x8_extmul_low_i8x16_s, wv_i8, wv_i16, int32_t, 0)
WV_EXTMUL(i16x8_extmul_high_i8x16_s, wv_i8, wv_i16, int32_t, 8)
WV_EXTMUL(i16x8_extmul_low_i8x16_u, wv_u8, wv_u16, uint32_t, 0)
WV_EXTMUL(i16x8_extmul_high_i8x16_u, wv_u8, wv_u16, uint32_t, 8)
WV_EXTMUL(i32x4_extmul_low_i16x8_s, wv_i16, wv_i32, int32_t, 0)
WV_EXTMUL(i32x4_extmul_high_i16x8_s, wv_i16, wv_i32, int32_t, 4)
WV_EXTMUL(i32x4_extmul_low_i16x8_u, wv_u16, wv_u32, uint32_t, 0)
WV_EXTMUL(i32x4_extmul_high_i16x8_u, wv_u16, wv_u32, uint32_t, 4)
WV_EXTMUL(i64x2_extmul_low_i32x4_s, wv_i32, wv_i64, int64_t, 0)
WV_EXTMUL(i64x2_extmul_high_i32x4_s, wv_i32, wv_i64, int64_t, 2)
WV_EXTMUL(i64x2_extmul_low_i32x4_u, wv_u32, wv_u64, uint64_t, 0)
WV_EXTMUL(i64x2_extmul_high_i32x4_u, wv_u32, wv_u64, uint64_t, 2)
#undef WV_EXTMUL

/* extadd_pairwise: lanes 2i and 2i+1 widened and added (cannot overflow). */
#define WV_PAIRWISE(name, SRC, DST, T)                                     \
  static inline wv128 wv_##name(wv128 va) {                                \
    SRC a = (SRC)va;                                                       \
    DST r;                                                                 \
    for (unsigned i = 0; i < 16 / sizeof r[0]; i++)                        \
      r[i] = (T)((T)a[2 * i] + (T)a[2 * i + 1]);                           \
    return (wv128)r;                                                       \
  }
WV_PAIRWISE(i16x8_extadd_pairwise_i8x16_s, wv_i8, wv_i16, int16_t)
WV_PAIRWISE(i16x8_extadd_pairwise_i8x16_u, wv_u8, wv_u16, uint16_t)
WV_PAIRWISE(i32x4_extadd_pairwise_i16x8_s, wv_i16, wv_i32, int32_t)
WV_PAIRWISE(i32x4_extadd_pairwise_i16x8_u, wv_u16, wv_u32, uint32_t)
#undef WV_PAIRWISE

/* dot: pairwise products summed with wrap-around (-32768^2 * 2 = 2^31). */
static inline wv128 wv_i32x4_dot_i16x8_s(wv128 va, wv128 vb) {
  wv_i16 a = (wv_i16)va, b = (wv_i16)vb;
  wv_u32 r;
  for (unsigned i = 0; i < 4; i++)
    r[i] = (uint32_t)((int32_t)a[2 * i] * b[2 * i]) + (uint32_t)((int32_t)a[2 * i + 1] * b[2 * i + 1]);
  return (wv128)r;
}

/* narrow: a's lanes then b's, each saturated from signed input. */
#define WV_NARROW(name, SRC, DST, T, LO, HI)                          \
  static inline wv128 wv_##name(wv128 va, wv128 vb) {                 \
    SRC a = (SRC)va, b = (SRC)vb;                                     \
    DST r;                                                            \
    const unsigned n = 16 / sizeof a[0];                              \
    for (unsigned i = 0; i < 2 * n; i++) {                            \
      int32_t x = i < n ? a[i] : b[i - n];                            \
      r[i] = (T)(x < (LO) ? (LO) : x > (HI) ? (HI) : x);              \
    }                                                                 \
    return (wv128)r;                                                  \
  }
WV_NARROW(i8x16_narrow_i16x8_s, wv_i16, wv_i8, int8_t, -128, 127)
WV_NARROW(i8x16_narrow_i16x8_u, wv_i16, wv_u8, uint8_t, 0, 255)
WV_NARROW(i16x8_narrow_i32x4_s, wv_i32, wv_i16, int16_t, -32768, 32767)
WV_NARROW(i16x8_narrow_i32x4_u, wv_i32, wv_u16, uint16_t, 0, 65535)
#undef WV_NARROW

/* ---- floating point ------------------------------------------------------------------ */

WV_BIN(f32x4_add, wv_f32, a + b)
WV_BIN(f32x4_sub, wv_f32, a - b)
WV_BIN(f32x4_mul, wv_f32, a * b)
WV_BIN(f32x4_div, wv_f32, a / b)
WV_BIN(f64x2_add, wv_f64, a + b)
WV_BIN(f64x2_sub, wv_f64, a - b)
WV_BIN(f64x2_mul, wv_f64, a * b)
WV_BIN(f64x2_div, wv_f64, a / b)
/* abs/neg touch only the sign bit (a NaN's payload survives). */
WV_UN(f32x4_abs, wv_u32, a & 0x7fffffffu)
WV_UN(f32x4_neg, wv_u32, a ^ 0x80000000u)
WV_UN(f64x2_abs, wv_u64, a & 0x7fffffffffffffffull)
WV_UN(f64x2_neg, wv_u64, a ^ 0x8000000000000000ull)

/* min/max: a NaN lane gives a NaN (a + b quiets it); equal lanes combine
** sign bits so -0 < +0 (OR for min, AND for max). */
#define WV_FMINMAX(shape, F)                                                   \
  static inline wv128 wv_##shape##_min(wv128 va, wv128 vb) {                   \
    F a = (F)va, b = (F)vb;                                                    \
    wv128 eq = (wv128)(a == b), lt = (wv128)(a < b), gt = (wv128)(a > b);      \
    wv128 un = ~(eq | lt | gt);                                                \
    return ((va | vb) & eq) | (va & lt) | (vb & gt) | ((wv128)(a + b) & un);   \
  }                                                                            \
  static inline wv128 wv_##shape##_max(wv128 va, wv128 vb) {                   \
    F a = (F)va, b = (F)vb;                                                    \
    wv128 eq = (wv128)(a == b), lt = (wv128)(a < b), gt = (wv128)(a > b);      \
    wv128 un = ~(eq | lt | gt);                                                \
    return (va & vb & eq) | (va & gt) | (vb & lt) | ((wv128)(a + b) & un);     \
  }                                                                            \
  /* pmin: b < a ? b : a; pmax: a < b ? b : a (operands returned as is). */   \
  static inline wv128 wv_##shape##_pmin(wv128 va, wv128 vb) {                  \
    return wv_sel((wv128)((F)vb < (F)va), vb, va);                             \
  }                                                                            \
  static inline wv128 wv_##shape##_pmax(wv128 va, wv128 vb) {                  \
    return wv_sel((wv128)((F)va < (F)vb), vb, va);                             \
  }
WV_FMINMAX(f32x4, wv_f32)
WV_FMINMAX(f64x2, wv_f64)
#undef WV_FMINMAX

/* Per-lane libm calls. A NaN goes through x + x, since libm may return a
** signalling NaN unchanged where Wasm wants it quieted. */
#define WV_FMAP(name, F, n, fn)                                                 \
  static inline wv128 wv_##name(wv128 va) {                                     \
    F a = (F)va;                                                                \
    for (unsigned i = 0; i < n; i++) a[i] = a[i] != a[i] ? a[i] + a[i] : fn(a[i]); \
    return (wv128)a;                                                            \
  }
WV_FMAP(f32x4_ceil, wv_f32, 4, ceilf)
WV_FMAP(f32x4_floor, wv_f32, 4, floorf)
WV_FMAP(f32x4_trunc, wv_f32, 4, truncf)
WV_FMAP(f32x4_nearest, wv_f32, 4, nearbyintf)
WV_FMAP(f32x4_sqrt, wv_f32, 4, sqrtf)
WV_FMAP(f64x2_ceil, wv_f64, 2, ceil)
WV_FMAP(f64x2_floor, wv_f64, 2, floor)
WV_FMAP(f64x2_trunc, wv_f64, 2, trunc)
WV_FMAP(f64x2_nearest, wv_f64, 2, nearbyint)
WV_FMAP(f64x2_sqrt, wv_f64, 2, sqrt)
#undef WV_FMAP
#undef WV_BIN
#undef WV_UN

/* Saturating float->int: NaN -> 0, out of range -> the nearest bound.
** The bounds are powers of two, exact in both float widths. */
static inline uint32_t wv_sat_s32(double x) {
  if (x != x) return 0;
  if (x <= -2147483649.0) return 0x80000000u;
  if (x >= 2147483648.0) return 0x7fffffffu;
  return (uint32_t)(int32_t)x;
}
static inline uint32_t wv_sat_u32(double x) {
  if (x != x || x <= -1.0) return 0;
  if (x >= 4294967296.0) return 0xffffffffu;
  return (uint32_t)x;
}

static inline wv128 wv_i32x4_trunc_sat_f32x4_s(wv128 va) {
  wv_f32 a = (wv_f32)va;
  wv_u32 r;
  for (unsigned i = 0; i < 4; i++) r[i] = wv_sat_s32(a[i]);
  return (wv128)r;
}
static inline wv128 wv_i32x4_trunc_sat_f32x4_u(wv128 va) {
  wv_f32 a = (wv_f32)va;
  wv_u32 r;
  for (unsigned i = 0; i < 4; i++) r[i] = wv_sat_u32(a[i]);
  return (wv128)r;
}
static inline wv128 wv_i32x4_trunc_sat_f64x2_s_zero(wv128 va) {
  wv_f64 a = (wv_f64)va;
  wv_u32 r = {wv_sat_s32(a[0]), wv_sat_s32(a[1]), 0, 0};
  return (wv128)r;
}
static inline wv128 wv_i32x4_trunc_sat_f64x2_u_zero(wv128 va) {
  wv_f64 a = (wv_f64)va;
  wv_u32 r = {wv_sat_u32(a[0]), wv_sat_u32(a[1]), 0, 0};
  return (wv128)r;
}

static inline wv128 wv_f32x4_convert_i32x4_s(wv128 va) {
  wv_i32 a = (wv_i32)va;
  wv_f32 r;
  for (unsigned i = 0; i < 4; i++) r[i] = (float)a[i];
  return (wv128)r;
}
static inline wv128 wv_f32x4_convert_i32x4_u(wv128 va) {
  wv_u32 a = (wv_u32)va;
  wv_f32 r;
  for (unsigned i = 0; i < 4; i++) r[i] = (float)a[i];
  return (wv128)r;
}
static inline wv128 wv_f64x2_convert_low_i32x4_s(wv128 va) {
  wv_i32 a = (wv_i32)va;
  wv_f64 r = {(double)a[0], (double)a[1]};
  return (wv128)r;
}
static inline wv128 wv_f64x2_convert_low_i32x4_u(wv128 va) {
  wv_u32 a = (wv_u32)va;
  wv_f64 r = {(double)a[0], (double)a[1]};
  return (wv128)r;
}
static inline wv128 wv_f32x4_demote_f64x2_zero(wv128 va) {
  wv_f64 a = (wv_f64)va;
  wv_f32 r = {(float)a[0], (float)a[1], 0.0f, 0.0f};
  return (wv128)r;
}
static inline wv128 wv_f64x2_promote_low_f32x4(wv128 va) {
  wv_f32 a = (wv_f32)va;
  wv_f64 r = {(double)a[0], (double)a[1]};
  return (wv128)r;
}

#endif /* WT_V128_H */
