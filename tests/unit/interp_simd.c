/*
** interp_simd.c — tests of SIMD execution: the lane semantics of
** src/wasm/v128.h on the edge cases the spec singles out (signed zeros and
** NaN in min/max/pmin/pmax, saturation, narrowing, q15mulr, dot overflow,
** shift counts modulo the lane width, swizzle and shuffle indices,
** trunc_sat, bitmask/all_true), and the interpreter's packed slot layout
** (a v128 takes two slots) wherever values of mixed widths meet: the
** embedder's argument and result arrays, calls between Wasm functions,
** branches out of multi-value blocks, br_table, loop parameters, select,
** globals, lazily read locals, recursion, and memory bounds.
**
** Plain C: each failed CHECK is printed and counted; the exit status is
** the number of failures. Built twice (computed-goto and switch dispatch).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp_simd_modules.h"
#include "wasitorch.h"
#include "wasm/v128.h"
#include "wt_check.h"


/* ---- helpers ------------------------------------------------------------- */

static wv128 i32x4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  wv_u32 v = {a, b, c, d};
  return (wv128)v;
}

static wv128 i16x8(int16_t a, int16_t b, int16_t c, int16_t d, int16_t e, int16_t f,
                   int16_t g, int16_t h) {
  wv_i16 v = {a, b, c, d, e, f, g, h};
  return (wv128)v;
}

static wv128 f32x4(float a, float b, float c, float d) {
  wv_f32 v = {a, b, c, d};
  return (wv128)v;
}

static bool same(wv128 a, wv128 b) { return memcmp(&a, &b, 16) == 0; }

static uint32_t lane32(wv128 v, unsigned i) { return ((wv_u32)v)[i]; }

static uint32_t bits_f(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static bool is_nan32(uint32_t bits) { return (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffffu); }

/* ---- v128.h lane semantics ------------------------------------------------- */

/* Float min/max: -0 < +0 in both operand orders; a NaN operand gives a
** NaN that is quiet (arithmetic); pmin/pmax return an operand unchanged,
** NaN included, by the spec's b < a / a < b rule. */
static void test_float_minmax(void) {
  float nan = NAN;
  wv128 a = f32x4(-0.0f, 0.0f, nan, 1.0f), b = f32x4(0.0f, -0.0f, 2.0f, nan);
  wv128 mn = wv_f32x4_min(a, b), mx = wv_f32x4_max(a, b);
  CHECK(lane32(mn, 0) == 0x80000000u && lane32(mn, 1) == 0x80000000u);
  CHECK(lane32(mx, 0) == 0 && lane32(mx, 1) == 0);
  CHECK(is_nan32(lane32(mn, 2)) && is_nan32(lane32(mn, 3)));
  CHECK(is_nan32(lane32(mx, 2)) && is_nan32(lane32(mx, 3)));
  CHECK(lane32(mn, 2) & 0x00400000u); /* quiet */
  /* A signalling NaN comes out quieted. */
  wv128 snan = i32x4(0x7fa00000u, 0x7fa00000u, 0, 0);
  CHECK((lane32(wv_f32x4_min(snan, a), 0) & 0x7fe00000u) == 0x7fe00000u);
  wv128 pn = wv_f32x4_pmin(a, b), px = wv_f32x4_pmax(a, b);
  CHECK(lane32(pn, 0) == bits_f(-0.0f) && lane32(pn, 1) == bits_f(0.0f)); /* equal: a */
  CHECK(is_nan32(lane32(pn, 2)) && lane32(pn, 3) == bits_f(1.0f));       /* NaN compare false: a */
  CHECK(lane32(px, 0) == bits_f(-0.0f) && is_nan32(lane32(px, 2)) && lane32(px, 3) == bits_f(1.0f));
  wv_f64 d1 = {-0.0, 3.0}, d2 = {0.0, nan};
  wv128 dm = wv_f64x2_min((wv128)d1, (wv128)d2);
  CHECK(dm[0] == 0x8000000000000000ull && isnan(((wv_f64)dm)[1]));
}

/* Saturating arithmetic, narrowing from signed input, q15mulr, dot. */
static void test_saturation(void) {
  wv_i8 a = {127, -128, 100, -100, 0}, b = {1, -1, 100, -100, 0};
  wv_i8 r = (wv_i8)wv_i8x16_add_sat_s((wv128)a, (wv128)b);
  CHECK(r[0] == 127 && r[1] == -128 && r[2] == 127 && r[3] == -128 && r[4] == 0);
  wv_u8 ua = {250, 5}, ub = {10, 10};
  wv_u8 ur = (wv_u8)wv_i8x16_add_sat_u((wv128)ua, (wv128)ub), us = (wv_u8)wv_i8x16_sub_sat_u((wv128)ua, (wv128)ub);
  CHECK(ur[0] == 255 && ur[1] == 15 && us[0] == 240 && us[1] == 0);
  wv_i16 n = (wv_i16)wv_i16x8_sub_sat_s(i16x8(-32768, 32767, 0, 0, 0, 0, 0, 0), i16x8(1, -1, 0, 0, 0, 0, 0, 0));
  CHECK(n[0] == -32768 && n[1] == 32767);
  /* narrow_u saturates signed input: -1 -> 0, 300 -> 255. */
  wv_u8 nu = (wv_u8)wv_i8x16_narrow_i16x8_u(i16x8(-1, 300, 128, 255, 0, 0, 0, 0), i16x8(7, 0, 0, 0, 0, 0, 0, -300));
  CHECK(nu[0] == 0 && nu[1] == 255 && nu[2] == 128 && nu[3] == 255 && nu[8] == 7 && nu[15] == 0);
  wv_i8 ns = (wv_i8)wv_i8x16_narrow_i16x8_s(i16x8(-129, 128, -5, 0, 0, 0, 0, 0), i16x8(0, 0, 0, 0, 0, 0, 0, 1000));
  CHECK(ns[0] == -128 && ns[1] == 127 && ns[2] == -5 && ns[15] == 127);
  wv_i16 q = (wv_i16)wv_i16x8_q15mulr_sat_s(i16x8(-32768, 16384, -16384, 1, 0, 0, 0, 0),
                                            i16x8(-32768, 16384, 16384, 16384, 0, 0, 0, 0));
  CHECK(q[0] == 32767 && q[1] == 8192 && q[2] == -8192 && q[3] == 1); /* 0.5 rounds up */
  wv_i32 d = (wv_i32)wv_i32x4_dot_i16x8_s(i16x8(-32768, -32768, 2, 3, 0, 0, 0, 0),
                                          i16x8(-32768, -32768, 4, -5, 0, 0, 0, 0));
  CHECK((uint32_t)d[0] == 0x80000000u && d[1] == -7); /* 2^31 wraps */
  wv_i16 m = (wv_i16)wv_i16x8_extmul_high_i8x16_s(wv_i8x16_splat(0x80), wv_i8x16_splat(0x80));
  CHECK(m[0] == 16384 && m[7] == 16384);
  wv_u64 um = (wv_u64)wv_i64x2_extmul_low_i32x4_u(i32x4(0xffffffffu, 2, 0, 0), i32x4(0xffffffffu, 3, 0, 0));
  CHECK(um[0] == 0xfffffffe00000001ull && um[1] == 6);
  wv_u8 avg = (wv_u8)wv_i8x16_avgr_u(wv_i8x16_splat(255), wv_i8x16_splat(0));
  CHECK(avg[0] == 128 && avg[15] == 128);
}

/* Shift counts are taken modulo the lane width; shr_s keeps the sign. */
static void test_shifts_and_bits(void) {
  wv_u8 s = (wv_u8)wv_i8x16_shl(wv_i8x16_splat(1), 9);
  CHECK(s[0] == 2);
  wv_i16 sr = (wv_i16)wv_i16x8_shr_s(i16x8(-32768, 4, 0, 0, 0, 0, 0, 0), 17);
  CHECK(sr[0] == -16384 && sr[1] == 2);
  wv_u64 u = (wv_u64)wv_i64x2_shr_u(wv_i64x2_splat(0x8000000000000000ull), 127);
  CHECK(u[0] == 1 && u[1] == 1);
  CHECK(lane32(wv_i32x4_shl(i32x4(1, 1, 1, 1), 32), 0) == 1);
  wv_u8 pc = (wv_u8)wv_i8x16_popcnt(wv_i8x16_splat(0xff));
  CHECK(pc[0] == 8 && pc[15] == 8);
  CHECK(((wv_u8)wv_i8x16_popcnt(wv_i8x16_splat(0x5a)))[3] == 4);
  CHECK(wv_i8x16_bitmask(wv_i8x16_replace_lane(wv_i8x16_splat(0), 15, 0x80)) == 0x8000u);
  CHECK(wv_i32x4_bitmask(i32x4(0x80000000u, 0, 0xffffffffu, 1)) == 5);
  CHECK(wv_i64x2_bitmask(wv_make(0, 0x8000000000000000ull)) == 2);
  CHECK(wv_i16x8_all_true(wv_i16x8_splat(1)) == 1);
  CHECK(wv_i16x8_all_true(wv_i16x8_replace_lane(wv_i16x8_splat(1), 5, 0)) == 0);
  CHECK(wv_v128_any_true(wv_make(0, 1)) == 1 && wv_v128_any_true(wv_make(0, 0)) == 0);
  CHECK(lane32(wv_i32x4_abs(i32x4(0x80000000u, 0xffffffffu, 5, 0)), 0) == 0x80000000u);
  CHECK(lane32(wv_i32x4_abs(i32x4(0x80000000u, 0xffffffffu, 5, 0)), 1) == 1);
}

/* swizzle: indices >= 16 give 0; shuffle picks from a:b. */
static void test_swizzle_shuffle(void) {
  uint8_t bytes[16], idx[16];
  for (int i = 0; i < 16; i++) bytes[i] = (uint8_t)(0x10 + i);
  wv_u8 sel = {15, 0, 16, 255, 3};
  wv_u8 r = (wv_u8)wv_i8x16_swizzle(wv_load(bytes), (wv128)sel);
  CHECK(r[0] == 0x1f && r[1] == 0x10 && r[2] == 0 && r[3] == 0 && r[4] == 0x13 && r[5] == 0x10);
  for (int i = 0; i < 16; i++) idx[i] = (uint8_t)(31 - 2 * i % 32);
  wv_u8 sh = (wv_u8)wv_i8x16_shuffle(wv_load(bytes), wv_i8x16_splat(0xaa), idx);
  CHECK(sh[0] == 0xaa && sh[8] == 0x1f && sh[15] == 0x11);
}

/* trunc_sat: NaN -> 0, out of range -> the bound; conversions exact. */
static void test_conversions(void) {
  wv128 t = wv_i32x4_trunc_sat_f32x4_s(f32x4(NAN, 3e9f, -3e9f, -1.9f));
  CHECK(lane32(t, 0) == 0 && lane32(t, 1) == 0x7fffffffu && lane32(t, 2) == 0x80000000u &&
        lane32(t, 3) == 0xffffffffu);
  wv128 tu = wv_i32x4_trunc_sat_f32x4_u(f32x4(-0.9f, 5e9f, 4294967040.0f, -INFINITY));
  CHECK(lane32(tu, 0) == 0 && lane32(tu, 1) == 0xffffffffu && lane32(tu, 2) == 4294967040u &&
        lane32(tu, 3) == 0);
  wv_f64 d = {-1e300, 2147483647.9};
  wv128 tz = wv_i32x4_trunc_sat_f64x2_s_zero((wv128)d);
  CHECK(lane32(tz, 0) == 0x80000000u && lane32(tz, 1) == 0x7fffffffu && tz[1] == 0);
  wv_f32 cu = (wv_f32)wv_f32x4_convert_i32x4_u(i32x4(0xffffffffu, 1, 0, 0x80000001u));
  CHECK(cu[0] == 4294967296.0f && cu[1] == 1.0f && cu[3] == 2147483648.0f);
  wv_f64 cl = (wv_f64)wv_f64x2_convert_low_i32x4_u(i32x4(0xffffffffu, 7, 9, 9));
  CHECK(cl[0] == 4294967295.0 && cl[1] == 7.0);
  wv_f32 dm = (wv_f32)wv_f32x4_demote_f64x2_zero(wv_make(0x3ff0000000000000ull, 0x7ff0000000000000ull));
  CHECK(dm[0] == 1.0f && isinf(dm[1]) && dm[2] == 0.0f && dm[3] == 0.0f);
  wv_f32 nr = (wv_f32)wv_f32x4_nearest(f32x4(2.5f, -2.5f, 3.5f, -0.4f));
  CHECK(nr[0] == 2.0f && nr[1] == -2.0f && nr[2] == 4.0f && signbit(nr[3]));
}

/* ---- the interpreter's slot layout -------------------------------------------- */

typedef struct fixture {
  wt_engine *eng;
  wt_store *store;
  wt_module *mod;
  wt_instance *inst;
} fixture;

static bool resolve_none(void *ud, const wt_port *imp, wt_extern *out) {
  (void)ud, (void)imp, (void)out;
  return false;
}

static bool setup(fixture *f) {
  wt_error err;
  memset(f, 0, sizeof *f);
  f->eng = wt_engine_new(NULL);
  f->store = wt_store_new(f->eng);
  if (wt_module_new(f->eng, SIMD_LAYOUT_wasm, sizeof SIMD_LAYOUT_wasm, &f->mod, &err) != WT_OK) {
    fprintf(stderr, "module: %s\n", err.message);
    return false;
  }
  if (wt_instantiate(f->store, f->mod, resolve_none, NULL, &f->inst, &err) != WT_OK) {
    fprintf(stderr, "instantiate: %s\n", err.message);
    return false;
  }
  return true;
}

static void teardown(fixture *f) {
  wt_store_free(f->store);
  wt_module_free(f->mod);
  wt_engine_free(f->eng);
}

static wt_value val(wt_valtype type, uint64_t bits) {
  wt_value x;
  memset(&x, 0, sizeof x);
  x.type = type;
  if (type == WT_I32 || type == WT_F32) x.of.i32 = (uint32_t)bits;
  else x.of.i64 = bits;
  return x;
}

static wt_value vec(wv128 v) {
  wt_value x;
  memset(&x, 0, sizeof x);
  x.type = WT_V128;
  memcpy(x.of.v128, &v, 16);
  return x;
}

static wv128 as_vec(const wt_value *x) { return wv_load(x->of.v128); }

/* Calls export `name`; the result count must be nres. */
static wt_status call(fixture *f, const char *name, const wt_value *args, size_t nargs,
                      wt_value *res, size_t nres, wt_error *err) {
  wt_extern ext;
  if (!wt_instance_export(f->inst, name, &ext) || ext.kind != WT_EXTERN_FUNC) return WT_ERR_ARG;
  memset(res, 0, nres * sizeof *res);
  return wt_func_call(f->store, ext.u.func, args, nargs, res, nres, err);
}

/* Mixed widths in the embedder's arrays and across a Wasm-to-Wasm call
** with a scalar below the arguments. */
static void test_calls(fixture *f) {
  wt_error err;
  wt_value r[4];
  wv128 a = i32x4(1, 2, 3, 4), b = i32x4(10, 20, 30, 40);
  wt_value mix[4] = {val(WT_I32, 5), vec(a), val(WT_I64, 0x1122334455667788ull), vec(b)};
  CHECK(call(f, "mix", mix, 4, r, 4, &err) == WT_OK);
  CHECK(r[0].type == WT_V128 && same(as_vec(&r[0]), b));
  CHECK(r[1].type == WT_I32 && r[1].of.i32 == 5);
  CHECK(r[2].type == WT_V128 && same(as_vec(&r[2]), a));
  CHECK(r[3].type == WT_I64 && r[3].of.i64 == 0x1122334455667788ull);
  wt_value two[2] = {vec(a), vec(b)};
  CHECK(call(f, "call_mix", two, 2, r, 1, &err) == WT_OK);
  CHECK(same(as_vec(&r[0]), i32x4(16, 25, 34, 43)));
  wt_value rec[2] = {vec(a), val(WT_I32, 100)};
  CHECK(call(f, "rec", rec, 2, r, 1, &err) == WT_OK);
  CHECK(same(as_vec(&r[0]), i32x4(5051, 5052, 5053, 5054)));
}

/* Branches carrying values of mixed widths, with others underneath. */
static void test_branches(fixture *f) {
  wt_error err;
  wt_value r[3];
  wv128 v = i32x4(0xdeadbeef, 1, 2, 3);
  wt_value args[2] = {vec(v), val(WT_I32, 9)};
  CHECK(call(f, "br_multi", args, 2, r, 3, &err) == WT_OK);
  CHECK(r[0].of.i32 == 9 && same(as_vec(&r[1]), v) && r[2].of.i64 == 0x4004000000000000ull);
  args[1] = val(WT_I32, 0);
  CHECK(call(f, "br_multi", args, 2, r, 3, &err) == WT_OK);
  CHECK(r[0].of.i32 == 0 && same(as_vec(&r[1]), wv_make(0, 0)) && r[2].of.i64 == 0);
  const uint32_t expect_neg[4] = {(uint32_t)-10, (uint32_t)-20, (uint32_t)-30, (uint32_t)-40};
  for (uint32_t i = 0; i < 3; i++) {
    wt_value idx = val(WT_I32, i);
    CHECK(call(f, "table", &idx, 1, r, 1, &err) == WT_OK);
    wv128 want = i == 1 ? i32x4(20, 40, 60, 80)
                        : i32x4(expect_neg[0], expect_neg[1], expect_neg[2], expect_neg[3]);
    CHECK(same(as_vec(&r[0]), want));
  }
  wt_value lp[2] = {vec(i32x4(1, 2, 3, 0xffffffffu)), val(WT_I32, 3)};
  CHECK(call(f, "loop", lp, 2, r, 1, &err) == WT_OK);
  CHECK(same(as_vec(&r[0]), i32x4(4, 8, 12, 0xfffffffcu)));
}

/* select (both forms), if/else, globals and lazy local reads. */
static void test_values(fixture *f) {
  wt_error err;
  wt_value r[2];
  wv128 a = i32x4(1, 2, 3, 4), b = i32x4(5, 6, 7, 8);
  wt_value s[3] = {vec(a), vec(b), val(WT_I32, 1)};
  CHECK(call(f, "sel", s, 3, r, 2, &err) == WT_OK);
  CHECK(same(as_vec(&r[0]), a) && same(as_vec(&r[1]), b));
  s[2] = val(WT_I32, 0);
  CHECK(call(f, "sel", s, 3, r, 2, &err) == WT_OK);
  CHECK(same(as_vec(&r[0]), b) && same(as_vec(&r[1]), a));
  wt_value ie[2] = {val(WT_I32, 1), vec(wv_i8x16_splat(0xfe))};
  CHECK(call(f, "ifelse", ie, 2, r, 1, &err) == WT_OK);
  CHECK(same(as_vec(&r[0]), wv_i8x16_splat(2)));
  ie[0] = val(WT_I32, 0);
  ie[1] = vec(wv_i8x16_splat(3));
  CHECK(call(f, "ifelse", ie, 2, r, 1, &err) == WT_OK);
  CHECK(same(as_vec(&r[0]), wv_i8x16_splat(0xfd)));
  wt_value g = vec(b);
  CHECK(call(f, "gswap", &g, 1, r, 1, &err) == WT_OK && same(as_vec(&r[0]), a));
  CHECK(call(f, "gswap", &g, 1, r, 1, &err) == WT_OK && same(as_vec(&r[0]), b));
  wt_value l = vec(wv_i8x16_splat(0x0f));
  CHECK(call(f, "lazy", &l, 1, r, 2, &err) == WT_OK);
  CHECK(same(as_vec(&r[0]), wv_i8x16_splat(0x0f)) && same(as_vec(&r[1]), wv_i8x16_splat(4)));
}

/* Loads and stores at the end of memory: the last in-bounds address works,
** one byte further traps and leaves memory untouched. */
static void test_memory(fixture *f) {
  wt_error err;
  wt_value r[1];
  wv128 v = i32x4(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c);
  wt_value st[2] = {val(WT_I32, 65536 - 16), vec(v)};
  CHECK(call(f, "st", st, 2, r, 0, &err) == WT_OK);
  wt_value at = val(WT_I32, 65536 - 16);
  CHECK(call(f, "ld", &at, 1, r, 1, &err) == WT_OK && same(as_vec(&r[0]), v));
  at = val(WT_I32, 65536 - 15);
  CHECK(call(f, "ld", &at, 1, r, 1, &err) == WT_ERR_TRAP && err.trap == WT_TRAP_MEMORY_OOB);
  st[0] = val(WT_I32, 65536 - 15);
  CHECK(call(f, "st", st, 2, r, 0, &err) == WT_ERR_TRAP && err.trap == WT_TRAP_MEMORY_OOB);
  wt_value ll[2] = {val(WT_I32, 65536 - 4), vec(wv_make(0, 0))};
  CHECK(call(f, "ldlane", ll, 2, r, 1, &err) == WT_OK && same(as_vec(&r[0]), i32x4(0, 0, 0, 0x0f0e0d0c)));
  ll[0] = val(WT_I32, 65536 - 3);
  CHECK(call(f, "ldlane", ll, 2, r, 1, &err) == WT_ERR_TRAP && err.trap == WT_TRAP_MEMORY_OOB);
  /* store16_lane 7 at addr+1: bytes 0x0e 0x0f of v. */
  wt_value sl[2] = {val(WT_I32, 100), vec(v)};
  CHECK(call(f, "stlane", sl, 2, r, 0, &err) == WT_OK);
  at = val(WT_I32, 101);
  CHECK(call(f, "ldsplat", &at, 1, r, 1, &err) == WT_OK && same(as_vec(&r[0]), wv_i16x8_splat(0x0f0e)));
  sl[0] = val(WT_I32, 65536 - 2);
  CHECK(call(f, "stlane", sl, 2, r, 0, &err) == WT_ERR_TRAP && err.trap == WT_TRAP_MEMORY_OOB);
  at = val(WT_I32, 65536 - 16);
  CHECK(call(f, "ldext", &at, 1, r, 1, &err) == WT_OK);
  CHECK(same(as_vec(&r[0]), i16x8(0, 1, 2, 3, 4, 5, 6, 7)));
  at = val(WT_I32, 65536 - 7);
  CHECK(call(f, "ldext", &at, 1, r, 1, &err) == WT_ERR_TRAP && err.trap == WT_TRAP_MEMORY_OOB);
}

int main(void) {
  test_float_minmax();
  test_saturation();
  test_shifts_and_bits();
  test_swizzle_shuffle();
  test_conversions();
  fixture f;
  if (setup(&f)) {
    test_calls(&f);
    test_branches(&f);
    test_values(&f);
    test_memory(&f);
  } else {
    wt_check_failures++;
  }
  teardown(&f);
  return wt_check_finish("interp_simd");
}
