/*
 * k_resize_simd.h — hand-written wasm SIMD passes for k_resize.c (prefix rz_).
 *
 * Included by k_resize.c when built with -DBK_HAND_SIMD -msimd128. Four
 * output pixels per step: the horizontal pass still gathers its source bytes
 * one lane at a time (Wasm has no gather), but converts and blends four lanes
 * at once; the vertical pass is straight f32x4 arithmetic. The per-lane
 * operations and their order match the scalar code exactly (no fused
 * multiply-add exists in Wasm SIMD 1.0), so checksums stay identical.
 */
#ifndef K_RESIZE_SIMD_H
#define K_RESIZE_SIMD_H

#if !defined(__wasm_simd128__)
#error "k_resize_simd.h needs -msimd128"
#endif
#include <wasm_simd128.h>

/* Four source bytes of channel c at the given pixel columns, as f32x4. */
static inline v128_t rz_gather4(const uint8_t *row, const int *xs, int c) {
  v128_t v = wasm_i32x4_make(row[xs[0] * 3 + c], row[xs[1] * 3 + c], row[xs[2] * 3 + c],
                             row[xs[3] * 3 + c]);
  return wasm_f32x4_convert_i32x4(v);
}

/* Horizontal pass: dst[c][x] = a + (b - a) * fx, four x at a time. */
static void rz_hpass(const rz_plan *p, const uint8_t *row, float dst[3][RZ_MAX_OUT]) {
  int x = 0;
  for (; x + 4 <= p->ow; x += 4) {
    v128_t fx = wasm_v128_load(&p->fx[x]);
    for (int c = 0; c < 3; c++) {
      v128_t a = rz_gather4(row, &p->x0[x], c), b = rz_gather4(row, &p->x1[x], c);
      wasm_v128_store(&dst[c][x], wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_sub(b, a), fx)));
    }
  }
  for (; x < p->ow; x++)
    for (int c = 0; c < 3; c++) {
      float a = (float)row[p->x0[x] * 3 + c], b = (float)row[p->x1[x] * 3 + c];
      dst[c][x] = a + (b - a) * p->fx[x];
    }
}

/* Vertical pass plus normalisation, eight outputs per iteration. */
static void rz_vpass(const rz_plan *p, float fy, float *out, size_t plane) {
  v128_t vfy = wasm_f32x4_splat(fy);
  for (int c = 0; c < 3; c++) {
    const float *t = p->top[c], *b = p->bot[c];
    float *o = out + (size_t)c * plane;
    v128_t sc = wasm_f32x4_splat(p->scale[c]), bi = wasm_f32x4_splat(p->bias[c]);
    int x = 0;
    for (; x + 8 <= p->ow; x += 8) {
      v128_t t0 = wasm_v128_load(t + x), t1 = wasm_v128_load(t + x + 4);
      v128_t b0 = wasm_v128_load(b + x), b1 = wasm_v128_load(b + x + 4);
      v128_t v0 = wasm_f32x4_add(t0, wasm_f32x4_mul(wasm_f32x4_sub(b0, t0), vfy));
      v128_t v1 = wasm_f32x4_add(t1, wasm_f32x4_mul(wasm_f32x4_sub(b1, t1), vfy));
      wasm_v128_store(o + x, wasm_f32x4_add(wasm_f32x4_mul(v0, sc), bi));
      wasm_v128_store(o + x + 4, wasm_f32x4_add(wasm_f32x4_mul(v1, sc), bi));
    }
    for (; x < p->ow; x++) {
      float v = t[x] + (b[x] - t[x]) * fy;
      o[x] = v * p->scale[c] + p->bias[c];
    }
  }
}

#endif
