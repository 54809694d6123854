/*
** simd_fast.h — register-only forms of the lane operations of src/wasm/v128.h
** for the interpreter's SIMD handlers (prefix isf_). Private to src/interp/.
**
** Why: wv_load_lane / wv_*_replace_lane / wv_i8x16_shuffle take a lane or
** byte index known only at run time, so gcc compiles them through a stack
** copy of the vector: a 16-byte spill, a narrow store at a variable offset,
** and a 16-byte reload. That reload cannot be forwarded from the narrow
** store, and stalls for about a dozen cycles, on every lane load (intmix's
** `-msimd128` build runs 10 M of them). Here the lane is inserted with a
** mask compare and a blend instead, all in registers. The results are the
** same bit for bit as v128.h's (which the AOT tier also uses and which
** stays the definition); tests/spec checks every lane op in both.
*/
#ifndef WT_INTERP_SIMD_FAST_H
#define WT_INTERP_SIMD_FAST_H

#include <stdint.h>
#include <string.h>

#include "wasm/v128.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <tmmintrin.h>
#define ISF_HAVE_SSSE3 1
#else
#define ISF_HAVE_SSSE3 0
#endif

/* Puts x into lane `lane` of v, for lanes of type VT/T (N lanes): the lane
** mask comes from comparing the lane numbers with the index, so no byte
** of the vector goes through memory. The index is reduced modulo N like
** v128.h's `l & (N-1)` (validation already bounds it). */
#define ISF_INSERT(name, VT, T, N, ...)                                   \
  static inline wv128 name(wv128 v, unsigned lane, T x) {                 \
    const VT ids = {__VA_ARGS__};                                         \
    VT m = (VT)(ids == (T)(lane & (N - 1)));                              \
    VT s = (VT){0} + x;                                                   \
    return (wv128)((s & m) | ((VT)v & ~m));                               \
  }
ISF_INSERT(isf_insert8, wv_u8, uint8_t, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
ISF_INSERT(isf_insert16, wv_u16, uint16_t, 8, 0, 1, 2, 3, 4, 5, 6, 7)
ISF_INSERT(isf_insert32, wv_u32, uint32_t, 4, 0, 1, 2, 3)
ISF_INSERT(isf_insert64, wv_u64, uint64_t, 2, 0, 1)
#undef ISF_INSERT

/* v128.loadN_lane: the lane's bytes come from p (little-endian host, as
** v128.h assumes). */
static inline wv128 isf_load_lane1(wv128 v, const uint8_t *p, unsigned lane) {
  return isf_insert8(v, lane, *p);
}
static inline wv128 isf_load_lane2(wv128 v, const uint8_t *p, unsigned lane) {
  uint16_t x;
  memcpy(&x, p, 2);
  return isf_insert16(v, lane, x);
}
static inline wv128 isf_load_lane4(wv128 v, const uint8_t *p, unsigned lane) {
  uint32_t x;
  memcpy(&x, p, 4);
  return isf_insert32(v, lane, x);
}
static inline wv128 isf_load_lane8(wv128 v, const uint8_t *p, unsigned lane) {
  uint64_t x;
  memcpy(&x, p, 8);
  return isf_insert64(v, lane, x);
}

/* Lane N of a v128 stored at `slots` (code.h's slot pair), read straight
** from memory: a narrow load inside a 16-byte store is forwarded, unlike
** a vector extract at a run-time index. Lane numbers as in v128.h. */
static inline uint32_t isf_lane8(const uint64_t *slots, unsigned l) {
  return ((const uint8_t *)slots)[l & 15];
}
static inline uint32_t isf_lane16(const uint64_t *slots, unsigned l) {
  uint16_t x;
  memcpy(&x, (const uint8_t *)slots + 2 * (l & 7), 2);
  return x;
}
static inline uint32_t isf_lane32(const uint64_t *slots, unsigned l) {
  uint32_t x;
  memcpy(&x, (const uint8_t *)slots + 4 * (l & 3), 4);
  return x;
}

#if ISF_HAVE_SSSE3
/* i8x16.shuffle with pshufb (SSSE3, checked at run time by the caller):
** bytes 0-15 of idx pick from a, 16-31 from b. For a, idx + 0x70
** (saturating) keeps bit 7 clear only for indices below 16; for b, idx - 16
** wraps indices below 16 to values with bit 7 set; pshufb zeroes a byte
** whose index has bit 7 set, so the OR merges the two picks. Out of line:
** gcc does not inline across target attributes. */
__attribute__((target("ssse3"), noinline)) static wv128 isf_shuffle_ssse3(wv128 a, wv128 b,
                                                                           const void *idx) {
  __m128i i = _mm_loadu_si128((const __m128i *)idx);
  i = _mm_and_si128(i, _mm_set1_epi8(31));
  __m128i ra = _mm_shuffle_epi8((__m128i)a, _mm_adds_epu8(i, _mm_set1_epi8(0x70)));
  __m128i rb = _mm_shuffle_epi8((__m128i)b, _mm_sub_epi8(i, _mm_set1_epi8(16)));
  return (wv128)_mm_or_si128(ra, rb);
}

/* i8x16.swizzle: indices >= 16 give 0. pshufb uses only the low 4 bits
** unless bit 7 is set, so indices 16-127 are first forced to 0x80 by a
** saturating add of 0x70 (which leaves 0-15 below 0x80). */
__attribute__((target("ssse3"), noinline)) static wv128 isf_swizzle_ssse3(wv128 a, wv128 s) {
  __m128i i = _mm_adds_epu8((__m128i)s, _mm_set1_epi8(0x70));
  return (wv128)_mm_shuffle_epi8((__m128i)a, i);
}

/* Whether the host has SSSE3 (evaluated once per interp_run). */
static inline int isf_ssse3(void) { return __builtin_cpu_supports("ssse3"); }
#else
/* Never called (isf_ssse3() is 0); they keep the handlers portable. */
static inline int isf_ssse3(void) { return 0; }
static inline wv128 isf_shuffle_ssse3(wv128 a, wv128 b, const void *idx) {
  uint8_t i[16];
  memcpy(i, idx, 16);
  return wv_i8x16_shuffle(a, b, i);
}
static inline wv128 isf_swizzle_ssse3(wv128 a, wv128 s) { return wv_i8x16_swizzle(a, s); }
#endif

#endif /* WT_INTERP_SIMD_FAST_H */
