/*
 * bk_common.h — shared helpers for the CPU kernel benchmarks (prefix bk_).
 *
 * Every kernel is one C file built three ways (native gcc -O2, wasm32-wasi
 * scalar, wasm32-wasi -msimd128) and must print the same checksum in all of
 * them, so this header holds only things that behave identically on both
 * targets: a seeded integer generator, a bitwise hash, and the timer. Kernels
 * avoid libm transcendental functions (glibc and wasi-libc round them
 * differently) and NaNs (Wasm may change NaN payloads).
 *
 * The hot part is timed inside the process with CLOCK_MONOTONIC (wall) and
 * CLOCK_PROCESS_CPUTIME_ID (CPU) so the runner can separate kernel time from
 * process start-up, module load and translation. Output is one line:
 *   BK kernel=NAME scale=S checksum=0xXXXXXXXX wall_ms=W cpu_ms=C
 */
#ifndef BK_COMMON_H
#define BK_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* xorshift32 generator: fixed seeds give the same inputs on every target. */
typedef struct {
  uint32_t s;
} bk_rng;

static inline void bk_seed(bk_rng *r, uint32_t seed) { r->s = seed ? seed : 0x9e3779b9u; }

static inline uint32_t bk_next(bk_rng *r) {
  uint32_t x = r->s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  r->s = x;
  return x;
}

/* Uniform float in [0, 1) built from 24 random bits (exact on both targets). */
static inline float bk_unit(bk_rng *r) { return (float)(bk_next(r) >> 8) * (1.0f / 16777216.0f); }

/* FNV-1a over 32-bit words: order-sensitive, cheap, identical everywhere. */
static inline uint32_t bk_hash_u32(uint32_t h, uint32_t v) {
  for (int i = 0; i < 4; i++) {
    h ^= (v >> (8 * i)) & 0xffu;
    h *= 16777619u;
  }
  return h;
}

/* Hashes a float's bit pattern, so any difference in rounding shows up. */
static inline uint32_t bk_hash_f32(uint32_t h, float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return bk_hash_u32(h, u);
}

#define BK_HASH_INIT 2166136261u

typedef struct {
  struct timespec wall0, cpu0;
} bk_timer;

static inline void bk_timer_start(bk_timer *t) {
  clock_gettime(CLOCK_MONOTONIC, &t->wall0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t->cpu0);
}

static inline double bk_ms_since(clockid_t id, const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(id, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-6;
}

/* Prints the result line the runner parses (bench/kernels/run.py). */
static inline void bk_report(const bk_timer *t, const char *name, int scale, uint32_t sum) {
  double cpu = bk_ms_since(CLOCK_PROCESS_CPUTIME_ID, &t->cpu0);
  double wall = bk_ms_since(CLOCK_MONOTONIC, &t->wall0);
  printf("BK kernel=%s scale=%d checksum=0x%08x wall_ms=%.3f cpu_ms=%.3f\n", name, scale,
         (unsigned)sum, wall, cpu);
}

/*
 * Work multiplier from argv[1], clamped to 1..1000. Each kernel sizes one
 * unit of work so that the default (BK_DEFAULT_SCALE) runs ~0.3-0.5 s natively;
 * the runner's --quick mode passes a smaller scale.
 */
#define BK_DEFAULT_SCALE 8
static inline int bk_scale(int argc, char **argv) {
  int s = argc > 1 ? atoi(argv[1]) : BK_DEFAULT_SCALE;
  if (s < 1) s = 1;
  if (s > 1000) s = 1000;
  return s;
}

#endif
