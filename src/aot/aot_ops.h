/*
** aot_ops.h — Wasm instruction semantics for generated code (embedded as
** text after aot_abi.h in every generated C file; never compiled into the
** runtime itself).
**
** One static inline function per instruction, named op_<name> after
** opcodes.h, so the translator emits `dst = op_i32_add(a, b);` for every
** instruction with a plain signature and the C compiler inlines them all.
** Instructions that can trap take (c, ..., fi, off) and call aot_trap with
** the Wasm function index and byte offset, giving the interpreter's exact
** messages. Semantics mirror src/interp/numeric.h: floats are C float /
** double (SSE or NEON, never x87, so NaN payloads survive moves), and
** abs/neg/copysign are bit operations. Loads and stores assume a
** little-endian host (x86-64, aarch64); AOT_GUARD selects guard-page mode,
** where the reservation behind `mem` makes any base + u32 + u32 address
** either valid or faulting, so no explicit check is emitted.
*/
#include <math.h>
#include <string.h>

typedef void *aot_ref; /* funcref / externref: a wt_func* or the embedder's pointer */
typedef wv128 aot_v128; /* from v128.h, embedded before this file */

#define AOT_LIKELY(x) __builtin_expect(!!(x), 1)
#define AOT_UNLIKELY(x) __builtin_expect(!!(x), 0)

__attribute__((noreturn, cold, noinline)) static void aot_trap(aot_ctx *c, uint32_t kind,
                                                               uint32_t fi, uint32_t off) {
  c->rt->trap(c, kind, fi, off);
  __builtin_unreachable();
}

/* Trap kinds, as in wasitorch.h's wt_trap_kind. */
enum {
  AOT_UNREACHABLE = 1, AOT_MEMORY_OOB, AOT_TABLE_OOB, AOT_INT_OVERFLOW,
  AOT_INVALID_CONVERSION, AOT_DIV_BY_ZERO, AOT_UNINITIALIZED_ELEM, AOT_UNDEFINED_ELEM,
  AOT_INDIRECT_MISMATCH, AOT_STACK_EXHAUSTED, AOT_TIMEOUT
};

/* ---- bits <-> floats ---------------------------------------------------- */
static inline float aot_f32(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline double aot_f64(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static inline uint32_t aot_b32(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline uint64_t aot_b64(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

/* ---- memory ------------------------------------------------------------- */
/* Effective address of an access of n bytes; traps when out of bounds
** (explicit mode). 64-bit arithmetic, so a + o + n cannot wrap. */
static inline uint64_t aot_ea(aot_ctx *c, uint32_t a, uint64_t o, uint32_t n, uint32_t fi,
                              uint32_t off) {
  uint64_t ea = (uint64_t)a + o;
#if AOT_GUARD
  (void)c; (void)n; (void)fi; (void)off;
#else
  if (AOT_UNLIKELY(ea + n > *c->mem_size)) aot_trap(c, AOT_MEMORY_OOB, fi, off);
#endif
  return ea;
}

/* In guard mode a load is the bounds check, so it must happen even when
** its value is dead: an empty asm makes the value "used". The constraint
** names the register class the value lives in anyway (a float in a vector
** register), so the asm costs no moves and the load stays one instruction. */
#if AOT_GUARD
#define AOT_FORCE_READ(v) __asm__ volatile("" : : "r"(v))
#if defined(__x86_64__)
#define AOT_FORCE_READ_F(v) __asm__ volatile("" : : "x"(v))
#define AOT_FORCE_READ_V(v) __asm__ volatile("" : : "x"(v))
#elif defined(__aarch64__)
#define AOT_FORCE_READ_F(v) __asm__ volatile("" : : "w"(v))
#define AOT_FORCE_READ_V(v) __asm__ volatile("" : : "w"(v))
#else
#define AOT_FORCE_READ_F(v) __asm__ volatile("" : : "m"(v))
#define AOT_FORCE_READ_V(v) __asm__ volatile("" : : "m"(v))
#endif
#else
#define AOT_FORCE_READ(v) ((void)0)
#define AOT_FORCE_READ_F(v) ((void)0)
#define AOT_FORCE_READ_V(v) ((void)0)
#endif
static inline wv128 aot_vkeep(wv128 v) { AOT_FORCE_READ_V(v); return v; }

/* i8x16.shuffle with its constant lane indices (validated < 32): byte i of
** the result is byte idx[i] of a:b, which is what both builtins do. */
#if defined(__clang__)
#define AOT_SHUFFLE(a, b, ...) \
  ((wv128)__builtin_shufflevector((wv_u8)(a), (wv_u8)(b), __VA_ARGS__))
#else
#define AOT_SHUFFLE(a, b, ...) \
  ((wv128)__builtin_shuffle((wv_u8)(a), (wv_u8)(b), (wv_u8){__VA_ARGS__}))
#endif

/* Segue: with guard pages on x86-64, scalar accesses address linear memory
** relative to the gs segment base, which the runtime sets to the memory's
** base whenever native code is entered (aot_run.c). An access is then one
** gs-relative instruction on the 32-bit address, and no register is tied up
** holding the base (kernel suite: resize 17% and nms 5% faster). `m` stays
** in the signatures for the other modes; SIMD accesses still use it. */
#if AOT_GUARD && defined(__x86_64__) && defined(__SEG_GS)
#define AOT_GET(ST, m, ea, v)                                                         \
  do { typedef ST __attribute__((aligned(1))) U_; (void)(m);                           \
       v = *(const U_ __seg_gs *)(uintptr_t)(ea); } while (0)
#define AOT_PUT(ST, m, ea, v)                                                         \
  do { typedef ST __attribute__((aligned(1))) U_; (void)(m);                           \
       *(U_ __seg_gs *)(uintptr_t)(ea) = v; } while (0)
#else
#define AOT_GET(ST, m, ea, v) memcpy(&(v), (m) + (ea), sizeof(ST))
#define AOT_PUT(ST, m, ea, v) memcpy((m) + (ea), &(v), sizeof(ST))
#endif

#define AOT_LOAD(name, T, ST, N, CONV, KEEP)                                          \
  static inline T op_##name(aot_ctx *c, uint8_t *m, uint32_t a, uint64_t o, uint32_t fi, \
                            uint32_t off) {                                           \
    ST v; AOT_GET(ST, m, aot_ea(c, a, o, N, fi, off), v);                             \
    T r = CONV; KEEP(r); return r;                                                    \
  }
AOT_LOAD(i32_load, uint32_t, uint32_t, 4, v, AOT_FORCE_READ)
AOT_LOAD(i64_load, uint64_t, uint64_t, 8, v, AOT_FORCE_READ)
AOT_LOAD(f32_load, float, uint32_t, 4, aot_f32(v), AOT_FORCE_READ_F)
AOT_LOAD(f64_load, double, uint64_t, 8, aot_f64(v), AOT_FORCE_READ_F)
AOT_LOAD(i32_load8_s, uint32_t, int8_t, 1, (uint32_t)(int32_t)v, AOT_FORCE_READ)
AOT_LOAD(i32_load8_u, uint32_t, uint8_t, 1, v, AOT_FORCE_READ)
AOT_LOAD(i32_load16_s, uint32_t, int16_t, 2, (uint32_t)(int32_t)v, AOT_FORCE_READ)
AOT_LOAD(i32_load16_u, uint32_t, uint16_t, 2, v, AOT_FORCE_READ)
AOT_LOAD(i64_load8_s, uint64_t, int8_t, 1, (uint64_t)(int64_t)v, AOT_FORCE_READ)
AOT_LOAD(i64_load8_u, uint64_t, uint8_t, 1, v, AOT_FORCE_READ)
AOT_LOAD(i64_load16_s, uint64_t, int16_t, 2, (uint64_t)(int64_t)v, AOT_FORCE_READ)
AOT_LOAD(i64_load16_u, uint64_t, uint16_t, 2, v, AOT_FORCE_READ)
AOT_LOAD(i64_load32_s, uint64_t, int32_t, 4, (uint64_t)(int64_t)v, AOT_FORCE_READ)
AOT_LOAD(i64_load32_u, uint64_t, uint32_t, 4, v, AOT_FORCE_READ)

#define AOT_STORE(name, T, ST, N, CONV)                                               \
  static inline void op_##name(aot_ctx *c, uint8_t *m, uint32_t a, T x, uint64_t o,     \
                               uint32_t fi, uint32_t off) {                            \
    ST v = CONV; AOT_PUT(ST, m, aot_ea(c, a, o, N, fi, off), v);                         \
  }
AOT_STORE(i32_store, uint32_t, uint32_t, 4, x)
AOT_STORE(i64_store, uint64_t, uint64_t, 8, x)
AOT_STORE(f32_store, float, uint32_t, 4, aot_b32(x))
AOT_STORE(f64_store, double, uint64_t, 8, aot_b64(x))
AOT_STORE(i32_store8, uint32_t, uint8_t, 1, (uint8_t)x)
AOT_STORE(i32_store16, uint32_t, uint16_t, 2, (uint16_t)x)
AOT_STORE(i64_store8, uint64_t, uint8_t, 1, (uint8_t)x)
AOT_STORE(i64_store16, uint64_t, uint16_t, 2, (uint16_t)x)
AOT_STORE(i64_store32, uint64_t, uint32_t, 4, (uint32_t)x)

static inline uint32_t op_memory_size(aot_ctx *c) { return (uint32_t)(*c->mem_size >> 16); }

/* ---- integer ------------------------------------------------------------ */
#define AOT_UN(name, T, R, E) static inline R op_##name(T a) { return E; }
#define AOT_BIN(name, T, R, E) static inline R op_##name(T a, T b) { return E; }
#define AOT_INT_OPS(P, T, S, BITS)                                                  \
  AOT_UN(P##_eqz, T, uint32_t, a == 0)                                              \
  AOT_BIN(P##_eq, T, uint32_t, a == b) AOT_BIN(P##_ne, T, uint32_t, a != b)         \
  AOT_BIN(P##_lt_s, T, uint32_t, (S)a < (S)b) AOT_BIN(P##_lt_u, T, uint32_t, a < b) \
  AOT_BIN(P##_gt_s, T, uint32_t, (S)a > (S)b) AOT_BIN(P##_gt_u, T, uint32_t, a > b) \
  AOT_BIN(P##_le_s, T, uint32_t, (S)a <= (S)b) AOT_BIN(P##_le_u, T, uint32_t, a <= b) \
  AOT_BIN(P##_ge_s, T, uint32_t, (S)a >= (S)b) AOT_BIN(P##_ge_u, T, uint32_t, a >= b) \
  AOT_BIN(P##_add, T, T, a + b) AOT_BIN(P##_sub, T, T, a - b)                       \
  AOT_BIN(P##_mul, T, T, a * b) AOT_BIN(P##_and, T, T, a & b)                       \
  AOT_BIN(P##_or, T, T, a | b) AOT_BIN(P##_xor, T, T, a ^ b)                        \
  AOT_BIN(P##_shl, T, T, a << (b & (BITS - 1)))                                     \
  AOT_BIN(P##_shr_u, T, T, a >> (b & (BITS - 1)))                                   \
  AOT_BIN(P##_shr_s, T, T, (T)((S)a >> (b & (BITS - 1))))                           \
  AOT_BIN(P##_rotl, T, T, (T)((a << (b & (BITS - 1))) | (a >> ((BITS - b) & (BITS - 1))))) \
  AOT_BIN(P##_rotr, T, T, (T)((a >> (b & (BITS - 1))) | (a << ((BITS - b) & (BITS - 1)))))
AOT_INT_OPS(i32, uint32_t, int32_t, 32)
AOT_INT_OPS(i64, uint64_t, int64_t, 64)

AOT_UN(i32_clz, uint32_t, uint32_t, a ? (uint32_t)__builtin_clz(a) : 32)
AOT_UN(i32_ctz, uint32_t, uint32_t, a ? (uint32_t)__builtin_ctz(a) : 32)
AOT_UN(i32_popcnt, uint32_t, uint32_t, (uint32_t)__builtin_popcount(a))
AOT_UN(i64_clz, uint64_t, uint64_t, a ? (uint64_t)__builtin_clzll(a) : 64)
AOT_UN(i64_ctz, uint64_t, uint64_t, a ? (uint64_t)__builtin_ctzll(a) : 64)
AOT_UN(i64_popcnt, uint64_t, uint64_t, (uint64_t)__builtin_popcountll(a))

#define AOT_DIV(name, T, S, MIN, E, OVF)                                                \
  static inline T op_##name(aot_ctx *c, T a, T b, uint32_t fi, uint32_t off) {          \
    if (AOT_UNLIKELY(b == 0)) aot_trap(c, AOT_DIV_BY_ZERO, fi, off);                    \
    if (OVF && AOT_UNLIKELY(a == (T)MIN && b == (T)-1)) aot_trap(c, AOT_INT_OVERFLOW, fi, off); \
    return E;                                                                           \
  }
AOT_DIV(i32_div_s, uint32_t, int32_t, INT32_MIN, (uint32_t)((int32_t)a / (int32_t)b), 1)
AOT_DIV(i32_div_u, uint32_t, int32_t, 0, a / b, 0)
AOT_DIV(i64_div_s, uint64_t, int64_t, INT64_MIN, (uint64_t)((int64_t)a / (int64_t)b), 1)
AOT_DIV(i64_div_u, uint64_t, int64_t, 0, a / b, 0)
/* rem_s of MIN by -1 is 0 in Wasm (and UB in C): answered before dividing. */
AOT_DIV(i32_rem_s, uint32_t, int32_t, 0, b == (uint32_t)-1 ? 0 : (uint32_t)((int32_t)a % (int32_t)b), 0)
AOT_DIV(i32_rem_u, uint32_t, int32_t, 0, a % b, 0)
AOT_DIV(i64_rem_s, uint64_t, int64_t, 0, b == (uint64_t)-1 ? 0 : (uint64_t)((int64_t)a % (int64_t)b), 0)
AOT_DIV(i64_rem_u, uint64_t, int64_t, 0, a % b, 0)

AOT_UN(i32_extend8_s, uint32_t, uint32_t, (uint32_t)(int32_t)(int8_t)a)
AOT_UN(i32_extend16_s, uint32_t, uint32_t, (uint32_t)(int32_t)(int16_t)a)
AOT_UN(i64_extend8_s, uint64_t, uint64_t, (uint64_t)(int64_t)(int8_t)a)
AOT_UN(i64_extend16_s, uint64_t, uint64_t, (uint64_t)(int64_t)(int16_t)a)
AOT_UN(i64_extend32_s, uint64_t, uint64_t, (uint64_t)(int64_t)(int32_t)a)
AOT_UN(i32_wrap_i64, uint64_t, uint32_t, (uint32_t)a)
AOT_UN(i64_extend_i32_s, uint32_t, uint64_t, (uint64_t)(int64_t)(int32_t)a)
AOT_UN(i64_extend_i32_u, uint32_t, uint64_t, a)

/* ---- floating point ----------------------------------------------------- */
#define AOT_FLOAT_CMPS(P, T)                                              \
  AOT_BIN(P##_eq, T, uint32_t, a == b) AOT_BIN(P##_ne, T, uint32_t, a != b) \
  AOT_BIN(P##_lt, T, uint32_t, a < b) AOT_BIN(P##_gt, T, uint32_t, a > b)   \
  AOT_BIN(P##_le, T, uint32_t, a <= b) AOT_BIN(P##_ge, T, uint32_t, a >= b) \
  AOT_BIN(P##_add, T, T, a + b) AOT_BIN(P##_sub, T, T, a - b)             \
  AOT_BIN(P##_mul, T, T, a * b) AOT_BIN(P##_div, T, T, a / b)
AOT_FLOAT_CMPS(f32, float)
AOT_FLOAT_CMPS(f64, double)

AOT_UN(f32_abs, float, float, __builtin_fabsf(a))
AOT_UN(f32_neg, float, float, -a)
AOT_BIN(f32_copysign, float, float,
        aot_f32((aot_b32(a) & 0x7fffffffu) | (aot_b32(b) & 0x80000000u)))
AOT_UN(f64_abs, double, double, __builtin_fabs(a))
AOT_UN(f64_neg, double, double, -a)
AOT_BIN(f64_copysign, double, double,
        aot_f64((aot_b64(a) & 0x7fffffffffffffffull) | (aot_b64(b) & 0x8000000000000000ull)))
/* libm may return a signalling NaN unchanged; x + x quiets it. */
AOT_UN(f32_ceil, float, float, a != a ? a + a : ceilf(a))
AOT_UN(f32_floor, float, float, a != a ? a + a : floorf(a))
AOT_UN(f32_trunc, float, float, a != a ? a + a : truncf(a))
AOT_UN(f32_nearest, float, float, a != a ? a + a : nearbyintf(a))
AOT_UN(f32_sqrt, float, float, sqrtf(a))
AOT_UN(f64_ceil, double, double, a != a ? a + a : ceil(a))
AOT_UN(f64_floor, double, double, a != a ? a + a : floor(a))
AOT_UN(f64_trunc, double, double, a != a ? a + a : trunc(a))
AOT_UN(f64_nearest, double, double, a != a ? a + a : nearbyint(a))
AOT_UN(f64_sqrt, double, double, sqrt(a))

/* min/max: NaN in gives a NaN out; -0 < +0, settled on the sign bits.
** Ordered and unequal operands (the common case) take one compare and a
** minss/maxss-shaped select; equal or unordered ones the careful path. */
#define AOT_MINMAX(name, T, BITS, B2F, OP, CMB)                              \
  static inline T op_##name(T a, T b) {                                      \
    if (AOT_LIKELY(__builtin_islessgreater(a, b))) return a OP b ? a : b;    \
    if (a != a || b != b) return a + b;                                      \
    return B2F(BITS(a) CMB BITS(b));                                         \
  }
AOT_MINMAX(f32_min, float, aot_b32, aot_f32, <, |)
AOT_MINMAX(f32_max, float, aot_b32, aot_f32, >, &)
AOT_MINMAX(f64_min, double, aot_b64, aot_f64, <, |)
AOT_MINMAX(f64_max, double, aot_b64, aot_f64, >, &)

/* ---- conversions -------------------------------------------------------- */
/* Trapping truncations. The fast test is the guard clang itself puts in
** front of every C cast (|x| < 2^31 for int, 0 <= x < 2^32 for unsigned),
** spelled the same way so the C compiler can drop ours as redundant; the
** slow path compares against the exact limits in the source type: LO is
** the largest value of that type below the range (-2^31 - 256 for f32,
** -2^31 - 1 for f64 ...), HI the power of two just above it. */
#define AOT_TRUNC(name, FT, R, CAST, FAST, LO, HI)                                \
  static inline R op_##name(aot_ctx *c, FT x, uint32_t fi, uint32_t off) {        \
    if (AOT_LIKELY(FAST)) return (R)(CAST)x;                                      \
    if (AOT_UNLIKELY(!(x > (FT)LO && x < (FT)HI)))                                \
      aot_trap(c, x != x ? AOT_INVALID_CONVERSION : AOT_INT_OVERFLOW, fi, off);   \
    return (R)(CAST)x;                                                            \
  }
#define AOT_SFAST(FABS, H) FABS(x) < H
#define AOT_UFAST(H) x >= 0 && x < H
AOT_TRUNC(i32_trunc_f32_s, float, uint32_t, int32_t, AOT_SFAST(__builtin_fabsf, 2147483648.0f),
          -2147483904.0f, 2147483648.0f)
AOT_TRUNC(i32_trunc_f64_s, double, uint32_t, int32_t, AOT_SFAST(__builtin_fabs, 2147483648.0),
          -2147483649.0, 2147483648.0)
AOT_TRUNC(i32_trunc_f32_u, float, uint32_t, uint32_t, AOT_UFAST(4294967296.0f), -1.0f,
          4294967296.0f)
AOT_TRUNC(i32_trunc_f64_u, double, uint32_t, uint32_t, AOT_UFAST(4294967296.0), -1.0,
          4294967296.0)
AOT_TRUNC(i64_trunc_f32_s, float, uint64_t, int64_t,
          AOT_SFAST(__builtin_fabsf, 9223372036854775808.0f), -9223373136366403584.0f,
          9223372036854775808.0f)
AOT_TRUNC(i64_trunc_f64_s, double, uint64_t, int64_t,
          AOT_SFAST(__builtin_fabs, 9223372036854775808.0), -9223372036854777856.0,
          9223372036854775808.0)
AOT_TRUNC(i64_trunc_f32_u, float, uint64_t, uint64_t, AOT_UFAST(18446744073709551616.0f), -1.0f,
          18446744073709551616.0f)
AOT_TRUNC(i64_trunc_f64_u, double, uint64_t, uint64_t, AOT_UFAST(18446744073709551616.0), -1.0,
          18446744073709551616.0)

/* clang's guarded cast, |x| < 2^N ? (intN_t)x : INTN_MIN, found whole by
** emit_idiom.c. x86-64's truncating conversions return INTN_MIN for NaN
** and out-of-range inputs, so there it is one instruction. */
#if defined(__x86_64__) && defined(__SSE2__)
#define AOT_OR_MIN(name, FT, VT, R, CAST, FABS, BOUND, MIN, CVT) \
  static inline R op_##name##_or_min(FT x) { return (R)__builtin_ia32_##CVT((VT){x}); }
#else
#define AOT_OR_MIN(name, FT, VT, R, CAST, FABS, BOUND, MIN, CVT) \
  static inline R op_##name##_or_min(FT x) { return FABS(x) < BOUND ? (R)(CAST)x : MIN; }
#endif
AOT_OR_MIN(i32_trunc_f32_s, float, wv_f32, uint32_t, int32_t, __builtin_fabsf, 2147483648.0f,
           0x80000000u, cvttss2si)
AOT_OR_MIN(i32_trunc_f64_s, double, wv_f64, uint32_t, int32_t, __builtin_fabs, 2147483648.0,
           0x80000000u, cvttsd2si)
AOT_OR_MIN(i64_trunc_f32_s, float, wv_f32, uint64_t, int64_t, __builtin_fabsf,
           9223372036854775808.0f, 0x8000000000000000ull, cvttss2si64)
AOT_OR_MIN(i64_trunc_f64_s, double, wv_f64, uint64_t, int64_t, __builtin_fabs,
           9223372036854775808.0, 0x8000000000000000ull, cvttsd2si64)

/* Saturating truncations: NaN -> 0, out of range -> the nearest bound. */
#define AOT_SAT(name, FT, R, CAST, LO, HI, RLO, RHI)                  \
  static inline R op_##name(FT f) {                                   \
    double x = f;                                                     \
    if (x != x) return 0;                                             \
    if (x <= LO) return (R)(RLO);                                     \
    if (x >= HI) return (R)(RHI);                                     \
    return (R)(CAST)x;                                                \
  }
AOT_SAT(i32_trunc_sat_f32_s, float, uint32_t, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX)
AOT_SAT(i32_trunc_sat_f64_s, double, uint32_t, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX)
AOT_SAT(i32_trunc_sat_f32_u, float, uint32_t, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)
AOT_SAT(i32_trunc_sat_f64_u, double, uint32_t, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)
AOT_SAT(i64_trunc_sat_f32_s, float, uint64_t, int64_t, -9223372036854777856.0, 9223372036854775808.0, INT64_MIN, INT64_MAX)
AOT_SAT(i64_trunc_sat_f64_s, double, uint64_t, int64_t, -9223372036854777856.0, 9223372036854775808.0, INT64_MIN, INT64_MAX)
AOT_SAT(i64_trunc_sat_f32_u, float, uint64_t, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)
AOT_SAT(i64_trunc_sat_f64_u, double, uint64_t, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)

AOT_UN(f32_convert_i32_s, uint32_t, float, (float)(int32_t)a)
AOT_UN(f32_convert_i32_u, uint32_t, float, (float)a)
AOT_UN(f32_convert_i64_s, uint64_t, float, (float)(int64_t)a)
AOT_UN(f32_convert_i64_u, uint64_t, float, (float)a)
/* NaNs are converted by hand (quiet bit set, payload kept as the hardware
** does): gcc folds demote(promote(x)) to x even with -fsignaling-nans,
** which would let a signalling NaN through. */
static inline float op_f32_demote_f64(double a) {
  if (a != a) {
    uint64_t u = aot_b64(a);
    return aot_f32((uint32_t)(u >> 63) << 31 | 0x7fc00000u | (uint32_t)((u >> 29) & 0x3fffffu));
  }
  return (float)a;
}
static inline double op_f64_promote_f32(float a) {
  if (a != a) {
    uint32_t u = aot_b32(a);
    return aot_f64((uint64_t)(u >> 31) << 63 | 0x7ff8000000000000ull | (uint64_t)(u & 0x3fffffu) << 29);
  }
  return (double)a;
}
AOT_UN(f64_convert_i32_s, uint32_t, double, (double)(int32_t)a)
AOT_UN(f64_convert_i32_u, uint32_t, double, (double)a)
AOT_UN(f64_convert_i64_s, uint64_t, double, (double)(int64_t)a)
AOT_UN(f64_convert_i64_u, uint64_t, double, (double)a)
AOT_UN(i32_reinterpret_f32, float, uint32_t, aot_b32(a))
AOT_UN(i64_reinterpret_f64, double, uint64_t, aot_b64(a))
AOT_UN(f32_reinterpret_i32, uint32_t, float, aot_f32(a))
AOT_UN(f64_reinterpret_i64, uint64_t, double, aot_f64(a))

/* ---- slots (the raw ABI of host calls and entries) ---------------------- */
static inline uint64_t aot_slot_f32(float f) { return aot_b32(f); }
static inline uint64_t aot_slot_f64(double d) { return aot_b64(d); }
