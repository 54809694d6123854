/*
** numeric.h — Wasm numeric semantics that C does not give directly
** (private to src/interp/).
**
** Floats travel as bit patterns; arithmetic uses the host's SSE units
** (x86-64) which propagate NaN payloads quieted, i.e. arithmetic NaNs as
** Wasm requires. abs/neg/copysign are bit operations so they never touch
** a NaN's payload. min/max and the float-to-int conversions are spelled
** out here because C's fmin/fmax and casts differ from Wasm.
*/
#ifndef WT_INTERP_NUMERIC_H
#define WT_INTERP_NUMERIC_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static inline float f32_of(uint64_t bits) {
  uint32_t u = (uint32_t)bits;
  float f;
  memcpy(&f, &u, 4);
  return f;
}

static inline uint64_t bits_f32(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static inline double f64_of(uint64_t bits) {
  double d;
  memcpy(&d, &bits, 8);
  return d;
}

static inline uint64_t bits_f64(double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  return u;
}

/* min/max: a NaN operand gives a NaN (a + b propagates it, quieted);
** -0 < +0, which == cannot see, so equal operands combine their sign
** bits (OR for min: -0 wins; AND for max: +0 wins). */
static inline uint64_t wasm_fmin32(uint64_t a, uint64_t b) {
  float x = f32_of(a), y = f32_of(b);
  if (x != x || y != y) return bits_f32(x + y);
  if (x == y) return (a | b) & 0xffffffffu;
  return x < y ? a : b;
}

static inline uint64_t wasm_fmax32(uint64_t a, uint64_t b) {
  float x = f32_of(a), y = f32_of(b);
  if (x != x || y != y) return bits_f32(x + y);
  if (x == y) return a & b;
  return x > y ? a : b;
}

static inline uint64_t wasm_fmin64(uint64_t a, uint64_t b) {
  double x = f64_of(a), y = f64_of(b);
  if (x != x || y != y) return bits_f64(x + y);
  if (x == y) return a | b;
  return x < y ? a : b;
}

static inline uint64_t wasm_fmax64(uint64_t a, uint64_t b) {
  double x = f64_of(a), y = f64_of(b);
  if (x != x || y != y) return bits_f64(x + y);
  if (x == y) return a & b;
  return x > y ? a : b;
}

/* ceil/floor/trunc: libm returns a signalling NaN unchanged on some
** paths, but Wasm wants it quieted (an arithmetic NaN); x + x quiets. */
static inline float wasm_ceil32(float x) { return x != x ? x + x : ceilf(x); }
static inline float wasm_floor32(float x) { return x != x ? x + x : floorf(x); }
static inline float wasm_trunc32(float x) { return x != x ? x + x : truncf(x); }
static inline double wasm_ceil64(double x) { return x != x ? x + x : ceil(x); }
static inline double wasm_floor64(double x) { return x != x ? x + x : floor(x); }
static inline double wasm_trunc64(double x) { return x != x ? x + x : trunc(x); }

/* Round to nearest, ties to even (the default rounding mode, which the
** runtime never changes). */
static inline float wasm_nearest32(float x) { return x != x ? x + x : nearbyintf(x); }
static inline double wasm_nearest64(double x) { return x != x ? x + x : nearbyint(x); }

/* Trapping float-to-int conversions: false when the value is NaN or its
** truncation does not fit. The bounds are exact powers of two, so the
** comparisons are exact in the source precision. */
static inline bool trunc_i32_s(double x, uint64_t *out) {
  if (!(x > -2147483649.0 && x < 2147483648.0)) return false;
  *out = (uint32_t)(int32_t)x;
  return true;
}

static inline bool trunc_i32_u(double x, uint64_t *out) {
  if (!(x > -1.0 && x < 4294967296.0)) return false;
  *out = (uint32_t)x;
  return true;
}

static inline bool trunc_i64_s(double x, uint64_t *out) {
  if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) return false;
  *out = (uint64_t)(int64_t)x;
  return true;
}

static inline bool trunc_i64_u(double x, uint64_t *out) {
  if (!(x > -1.0 && x < 18446744073709551616.0)) return false;
  *out = (uint64_t)x;
  return true;
}

/* Saturating conversions: NaN -> 0, out of range -> the nearest bound. */
static inline uint64_t sat_i32_s(double x) {
  if (x != x) return 0;
  if (x <= -2147483649.0) return (uint32_t)INT32_MIN;
  if (x >= 2147483648.0) return (uint32_t)INT32_MAX;
  return (uint32_t)(int32_t)x;
}

static inline uint64_t sat_i32_u(double x) {
  if (x != x || x <= -1.0) return 0;
  if (x >= 4294967296.0) return UINT32_MAX;
  return (uint32_t)x;
}

static inline uint64_t sat_i64_s(double x) {
  if (x != x) return 0;
  if (x < -9223372036854775808.0) return (uint64_t)INT64_MIN;
  if (x >= 9223372036854775808.0) return (uint64_t)INT64_MAX;
  return (uint64_t)(int64_t)x;
}

static inline uint64_t sat_i64_u(double x) {
  if (x != x || x <= -1.0) return 0;
  if (x >= 18446744073709551616.0) return UINT64_MAX;
  return (uint64_t)x;
}

static inline uint32_t rotl32(uint32_t x, uint32_t n) {
  n &= 31;
  return n ? (x << n) | (x >> (32 - n)) : x;
}

static inline uint32_t rotr32(uint32_t x, uint32_t n) {
  n &= 31;
  return n ? (x >> n) | (x << (32 - n)) : x;
}

static inline uint64_t rotl64(uint64_t x, uint64_t n) {
  n &= 63;
  return n ? (x << n) | (x >> (64 - n)) : x;
}

static inline uint64_t rotr64(uint64_t x, uint64_t n) {
  n &= 63;
  return n ? (x >> n) | (x << (64 - n)) : x;
}

static inline uint32_t clz32(uint32_t x) { return x ? (uint32_t)__builtin_clz(x) : 32; }
static inline uint32_t ctz32(uint32_t x) { return x ? (uint32_t)__builtin_ctz(x) : 32; }
static inline uint64_t clz64(uint64_t x) { return x ? (uint64_t)__builtin_clzll(x) : 64; }
static inline uint64_t ctz64(uint64_t x) { return x ? (uint64_t)__builtin_ctzll(x) : 64; }

#endif /* WT_INTERP_NUMERIC_H */
