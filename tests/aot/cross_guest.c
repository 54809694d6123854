/*
** cross_guest.c — a guest for the aarch64 cross-compilation test: float
** formatting, f32/f64 arithmetic, integer division, indirect calls (qsort),
** heap use and -msimd128 vector code, so the cross-compiled artifact is
** checked on more than integer basics. argv[1] selects an extra action:
** "oob" stores out of bounds (a trap), "exit7" exits with status 7.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasm_simd128.h>

static int by_value(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

/* Sum of squares with v128 lanes; the tail in scalar code. */
static float simd_sumsq(const float *v, size_t n) {
  v128_t acc = wasm_f32x4_splat(0.0f);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t x = wasm_v128_load(v + i);
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(x, x));
  }
  float lanes[4];
  wasm_v128_store(lanes, acc);
  float s = lanes[0] + lanes[1] + lanes[2] + lanes[3];
  for (; i < n; i++) s += v[i] * v[i];
  return s;
}

int main(int argc, char **argv) {
  enum { N = 1000 };
  float *v = malloc(N * sizeof *v);
  if (!v) return 1;
  uint32_t s = 12345u;
  for (int i = 0; i < N; i++) {
    s = s * 1103515245u + 12345u;
    v[i] = (float)(s >> 8) / 16777216.0f - 0.5f;
  }
  printf("sumsq %.9g\n", (double)simd_sumsq(v, N));
  qsort(v, N, sizeof *v, by_value);
  printf("min %.9g median %.9g max %.9g\n", (double)v[0], (double)v[N / 2], (double)v[N - 1]);
  double h = 0;
  for (int i = 1; i <= 200; i++) h += 1.0 / i;
  printf("harmonic %.17g div %d rem %d\n", h, -7 / 2, -7 % 2);
  free(v);
  if (argc > 1 && strcmp(argv[1], "oob") == 0) {
    volatile uint8_t *far = (uint8_t *)(uintptr_t)0xfffffff0u;
    *far = 1;
  }
  if (argc > 1 && strcmp(argv[1], "exit7") == 0) return 7;
  return 0;
}
