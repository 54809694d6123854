/*
** test_simd_frontend.c — unit tests of the decoder and validator on SIMD
** (v128) input: every 0xFD instruction of simd_opcodes.h in a valid
** function and in the invalid forms its immediates allow (alignment above
** natural, lane index out of range, wrong operand type); malformed
** encodings (unknown or overlong subcodes, truncated immediates); v128 in
** every place a value type may stand; v128.const in constant expressions;
** and that wt_module_new hands SIMD modules on to the execution tier once
** they decode and validate.
**
** Plain C like test_frontend.c: failures are printed and counted, the exit
** status says whether any occurred.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm/module.h"
#include "wasm/simd_opcodes.h"
#include "module_bytes.h"
#include "wt_check.h"

/* Memory section: one memory of 1 page. */
#define MEM_1 0x05, 0x03, 0x01, 0x00, 0x01
/* Sixteen bytes 0..15, a v128.const value or shuffle lanes. */
#define BYTES16 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15

typedef enum stage { DECODE, VALIDATE, PASS } stage;

/* Decodes and validates; checks the stage reached, and for failures the
** status, offset and a message fragment. When `simd` is 0 or 1 it must
** equal the decoded module's uses_simd. */
static bool expect(const char *name, const uint8_t *bytes, size_t len, stage where, wt_status want,
                   uint64_t offset, const char *fragment, int simd) {
  wt_module *m = NULL;
  wt_error err;
  memset(&err, 0, sizeof err);
  wt_status st = dec_decode(NULL, bytes, len, &m, &err);
  stage got = DECODE;
  bool flag_ok = true;
  if (st == WT_OK) {
    got = VALIDATE;
    flag_ok = simd < 0 || m->uses_simd == (simd == 1);
    st = val_validate(m, &err);
    if (st == WT_OK) got = PASS;
    mod_free(m);
  } else {
    CHECK(m == NULL);
  }
  bool ok = flag_ok && got == where &&
            (where == PASS || (st == want && err.offset == offset && strstr(err.message, fragment) != NULL));
  if (!ok) {
    fprintf(stderr, "case %s: stage %d status %d message \"%s\" uses_simd ok %d; wanted stage %d status %d "
            "offset 0x%llx \"%s\"\n", name, got, st, got == PASS ? "" : err.message, flag_ok, where, want,
            (unsigned long long)offset, fragment);
    wt_check_failures++;
  }
  return ok;
}

#define EXPECT(name, where, want, offset, fragment, simd, ...)                   \
  do {                                                                           \
    static const uint8_t bytes_[] = {__VA_ARGS__};                               \
    expect(name, bytes_, sizeof bytes_, where, want, offset, fragment, simd);    \
  } while (0)

/* ----------------------------------------------------------------------
** The opcode table itself
*/

typedef struct simd_op {
  const char *name;
  uint32_t sub;
  wasm_imm imm;
  const char *sig;
  unsigned lg;
} simd_op;

#define OPSIMD_ROW(name, sub, imm, sig, lg) {#name, sub, imm, sig, lg},
static const simd_op k_ops[] = {WASM_OPCODES_SIMD(OPSIMD_ROW)};
#undef OPSIMD_ROW
#define NOPS (sizeof k_ops / sizeof k_ops[0])

/* Spot checks against the spec's binary encoding (where the proposal's
** late renumbering could hide a typo), and the table's shape: 236
** distinct subcodes below 0x100, ascending, each signature well-formed. */
static void test_table(void) {
  CHECK(NOPS == 236 && WASM_OPSIMD_NUMBER == 236);
  CHECK(WASM_OPSIMD_v128_load == 0x00 && WASM_OPSIMD_v128_store == 0x0b);
  CHECK(WASM_OPSIMD_v128_const == 0x0c && WASM_OPSIMD_i8x16_shuffle == 0x0d);
  CHECK(WASM_OPSIMD_f64x2_replace_lane == 0x22 && WASM_OPSIMD_v128_any_true == 0x53);
  CHECK(WASM_OPSIMD_v128_load8_lane == 0x54 && WASM_OPSIMD_v128_store64_lane == 0x5b);
  CHECK(WASM_OPSIMD_v128_load32_zero == 0x5c && WASM_OPSIMD_f32x4_demote_f64x2_zero == 0x5e);
  CHECK(WASM_OPSIMD_f32x4_ceil == 0x67 && WASM_OPSIMD_f64x2_trunc == 0x7a && WASM_OPSIMD_f64x2_nearest == 0x94);
  CHECK(WASM_OPSIMD_i16x8_q15mulr_sat_s == 0x82 && WASM_OPSIMD_i32x4_dot_i16x8_s == 0xba);
  CHECK(WASM_OPSIMD_i64x2_eq == 0xd6 && WASM_OPSIMD_i64x2_ge_s == 0xdb);
  CHECK(WASM_OPSIMD_i32x4_trunc_sat_f64x2_u_zero == 0xfd && WASM_OPSIMD_f64x2_convert_low_i32x4_u == 0xff);
  /* Access widths (memory) and lane widths (lane immediates), written
  ** out from the spec rather than derived from the table. */
  static const struct { uint32_t sub; unsigned lg; } spec_lg[] = {
      {0x00, 4}, {0x01, 3}, {0x02, 3}, {0x03, 3}, {0x04, 3}, {0x05, 3}, {0x06, 3}, {0x07, 0},
      {0x08, 1}, {0x09, 2}, {0x0a, 3}, {0x0b, 4}, {0x54, 0}, {0x55, 1}, {0x56, 2}, {0x57, 3},
      {0x58, 0}, {0x59, 1}, {0x5a, 2}, {0x5b, 3}, {0x5c, 2}, {0x5d, 3}, {0x15, 0}, {0x16, 0},
      {0x17, 0}, {0x18, 1}, {0x19, 1}, {0x1a, 1}, {0x1b, 2}, {0x1c, 2}, {0x1d, 3}, {0x1e, 3},
      {0x1f, 2}, {0x20, 2}, {0x21, 3}, {0x22, 3}};
  size_t nspec = sizeof spec_lg / sizeof spec_lg[0], nimm = 0;
  for (size_t i = 0; i < NOPS; i++) {
    if (k_ops[i].imm == IMM_NONE || k_ops[i].imm == IMM_V128 || k_ops[i].imm == IMM_SHUFFLE) continue;
    nimm++;
    size_t k = 0;
    while (k < nspec && spec_lg[k].sub != k_ops[i].sub) k++;
    CHECK(k < nspec && spec_lg[k].lg == k_ops[i].lg);
  }
  CHECK(nimm == nspec);
  for (size_t i = 0; i < NOPS; i++) {
    const simd_op *op = &k_ops[i];
    CHECK(op->sub < WASM_OPSIMD_LIMIT && (i == 0 || op->sub > k_ops[i - 1].sub));
    CHECK(op->lg <= 4);
    const char *colon = strchr(op->sig, ':');
    CHECK(colon && strspn(op->sig, "iIfFV:") == strlen(op->sig) && !strchr(colon + 1, ':'));
  }
}

/* ----------------------------------------------------------------------
** Every instruction in a generated module
*/

static size_t put_leb(uint8_t *p, uint32_t v) {
  size_t n = 0;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    p[n++] = (uint8_t)(v ? b | 0x80 : b);
  } while (v);
  return n;
}

static uint8_t type_byte(char c) {
  switch (c) {
    case 'i': return WT_I32;
    case 'I': return WT_I64;
    case 'f': return WT_F32;
    case 'F': return WT_F64;
    default: return WT_V128;
  }
}

/* Builds a module with one memory and one function whose type is `sig`,
** whose body pushes its params with local.get and applies `op` with the
** given alignment, lane byte and shuffle lane. Returns the length; *at is
** the offset of the 0xFD byte. Sizes stay below 128, so every LEB of the
** framing is one byte. */
static size_t build_op(uint8_t *b, const simd_op *op, const char *sig, uint32_t align, uint8_t lane,
                       uint8_t shuffle_lane, size_t *at) {
  static const uint8_t head[] = {HDR};
  size_t n = sizeof head;
  memcpy(b, head, n);
  const char *colon = strchr(sig, ':');
  size_t np = (size_t)(colon - sig), nr = strlen(colon + 1);
  b[n++] = 0x01;
  b[n++] = (uint8_t)(4 + np + nr);
  b[n++] = 0x01;
  b[n++] = 0x60;
  b[n++] = (uint8_t)np;
  for (size_t i = 0; i < np; i++) b[n++] = type_byte(sig[i]);
  b[n++] = (uint8_t)nr;
  for (size_t i = 0; i < nr; i++) b[n++] = type_byte(colon[1 + i]);
  static const uint8_t func_mem[] = {FUNC_1, MEM_1};
  memcpy(b + n, func_mem, sizeof func_mem);
  n += sizeof func_mem;
  uint8_t body[64];
  size_t k = 0;
  body[k++] = 0x00; /* no locals */
  for (size_t i = 0; i < np; i++) {
    body[k++] = 0x20;
    body[k++] = (uint8_t)i;
  }
  size_t op_at = k;
  body[k++] = WASM_PREFIX_SIMD;
  k += put_leb(body + k, op->sub);
  if (op->imm == IMM_MEMARG || op->imm == IMM_MEMARG_LANE) {
    k += put_leb(body + k, align);
    body[k++] = 0x00; /* offset */
  }
  if (op->imm == IMM_LANE || op->imm == IMM_MEMARG_LANE) body[k++] = lane;
  if (op->imm == IMM_V128 || op->imm == IMM_SHUFFLE)
    for (unsigned i = 0; i < 16; i++) body[k++] = op->imm == IMM_SHUFFLE ? (uint8_t)(i ? i : shuffle_lane) : (uint8_t)i;
  body[k++] = 0x0b;
  b[n++] = 0x0a;
  b[n++] = (uint8_t)(k + 2);
  b[n++] = 0x01;
  b[n++] = (uint8_t)k;
  *at = n + op_at;
  memcpy(b + n, body, k);
  return n + k;
}

/* One valid form of every instruction (largest alignment, last lane), then
** alignment + 1, lane count and shuffle lane 32 must be invalid, and so
** must a first operand of the wrong type. */
static void test_every_op(void) {
  uint8_t b[160];
  size_t at = 0, n = 0;
  char name[80];
  for (size_t i = 0; i < NOPS; i++) {
    const simd_op *op = &k_ops[i];
    uint8_t lanes = (uint8_t)(16u >> op->lg);
    snprintf(name, sizeof name, "%s valid", op->name);
    n = build_op(b, op, op->sig, op->lg, (uint8_t)(lanes - 1), 31, &at);
    expect(name, b, n, PASS, WT_OK, 0, "", 1);
    if (op->imm == IMM_MEMARG || op->imm == IMM_MEMARG_LANE) {
      snprintf(name, sizeof name, "%s over-aligned", op->name);
      n = build_op(b, op, op->sig, op->lg + 1, 0, 0, &at);
      expect(name, b, n, VALIDATE, WT_ERR_INVALID, at, "alignment must not be larger than natural", 1);
    }
    if (op->imm == IMM_LANE || op->imm == IMM_MEMARG_LANE) {
      snprintf(name, sizeof name, "%s lane %u", op->name, lanes);
      n = build_op(b, op, op->sig, op->lg, lanes, 0, &at);
      expect(name, b, n, VALIDATE, WT_ERR_INVALID, at, "invalid lane index", 1);
      n = build_op(b, op, op->sig, op->lg, 255, 0, &at);
      expect(name, b, n, VALIDATE, WT_ERR_INVALID, at, "invalid lane index", 1);
    }
    if (op->imm == IMM_SHUFFLE) {
      n = build_op(b, op, op->sig, 0, 0, 32, &at);
      expect("shuffle lane 32", b, n, VALIDATE, WT_ERR_INVALID, at, "invalid lane index", 1);
    }
    if (op->sig[0] != ':') { /* first operand i32 <-> v128 (i64 when it was i32) */
      char sig[16];
      snprintf(sig, sizeof sig, "%s", op->sig);
      sig[0] = sig[0] == 'i' ? 'I' : 'i';
      snprintf(name, sizeof name, "%s wrong operand", op->name);
      n = build_op(b, op, sig, op->lg, 0, 0, &at);
      expect(name, b, n, VALIDATE, WT_ERR_INVALID, at, "type mismatch", 1);
    }
  }
}

/* ----------------------------------------------------------------------
** Hand-made cases: malformed encodings, value types, constants
*/

/* Most cases hold one function of type [] -> []: code section id and size
** at 18-19, count at 20, body size at 21, no locals at 22, so the first
** instruction is at offset 23. */
static void test_malformed(void) {
  /* Subcode 0x9a is unassigned (two-byte LEB 0x9a 0x01). */
  EXPECT("unassigned subcode", DECODE, WT_ERR_MALFORMED, 23, "illegal opcode", -1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x07, 0x01, 0x05, 0x00, 0xfd, 0x9a, 0x01, 0x0b);
  /* Subcode 0x100 is beyond the SIMD range. */
  EXPECT("subcode 256", DECODE, WT_ERR_MALFORMED, 23, "illegal opcode", -1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x07, 0x01, 0x05, 0x00, 0xfd, 0x80, 0x02, 0x0b);
  /* A subcode LEB of six bytes (starts at offset 24). */
  EXPECT("subcode too long", DECODE, WT_ERR_MALFORMED, 24, "integer representation too long", -1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x0b, 0x01, 0x09, 0x00, 0xfd, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b);
  /* A subcode LEB with redundant (valid) padding: v128.const as
  ** 0x8c 0x80 0x00, then drop. */
  EXPECT("padded subcode", PASS, WT_OK, 0, "", 1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x19, 0x01, 0x17, 0x00, 0xfd, 0x8c, 0x80, 0x00, BYTES16, 0x1a, 0x0b);
  /* v128.const cut short: only 3 of 16 bytes before the body ends. */
  EXPECT("truncated v128.const", DECODE, WT_ERR_MALFORMED, 25, "unexpected end", -1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x08, 0x01, 0x06, 0x00, 0xfd, 0x0c, 0x01, 0x02, 0x0b);
  /* i8x16.extract_lane_s with its lane byte missing. */
  EXPECT("missing lane byte", DECODE, WT_ERR_MALFORMED, 25, "unexpected end", -1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x05, 0x01, 0x03, 0x00, 0xfd, 0x15);
  /* The prefix alone at the end of the body: the subcode is missing. */
  EXPECT("lone prefix", DECODE, WT_ERR_MALFORMED, 24, "unexpected end", -1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x04, 0x01, 0x02, 0x00, 0xfd);
  /* 0x7a is still not a value type. */
  EXPECT("valtype 0x7a", DECODE, WT_ERR_MALFORMED, 14, "malformed value type", -1,
         HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7a);
}

/* v128 in every value-type position sets uses_simd and is accepted. */
static void test_valtypes(void) {
  EXPECT("v128 result type only", PASS, WT_OK, 0, "", 1, HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b);
  EXPECT("v128 param", PASS, WT_OK, 0, "", 1, HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7b, 0x00);
  /* A v128 local, read and dropped. */
  EXPECT("v128 local", PASS, WT_OK, 0, "", 1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x09, 0x01, 0x07, 0x01, 0x01, 0x7b, 0x20, 0x00, 0x1a, 0x0b);
  /* block (result v128) v128.const end drop */
  EXPECT("v128 block type", PASS, WT_OK, 0, "", 1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x1a, 0x01, 0x18, 0x00, 0x02, 0x7b, 0xfd, 0x0c, BYTES16, 0x0b, 0x1a, 0x0b);
  /* A v128 block whose body leaves an i32: type mismatch at the `end`
  ** (offset 27). */
  EXPECT("v128 block mismatch", VALIDATE, WT_ERR_INVALID, 27, "type mismatch", 1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x0a, 0x01, 0x08, 0x00, 0x02, 0x7b, 0x41, 0x00, 0x0b, 0x1a, 0x0b);
  /* select (result v128) on two v128 locals and an i32. */
  EXPECT("v128 select_t", PASS, WT_OK, 0, "", 1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x10, 0x01, 0x0e, 0x01, 0x02, 0x7b,
         0x20, 0x00, 0x20, 0x01, 0x41, 0x00, 0x1c, 0x01, 0x7b, 0x1a, 0x0b);
  /* Untyped select also takes vectors (numeric or vector operands). */
  EXPECT("v128 select", PASS, WT_OK, 0, "", 1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x0e, 0x01, 0x0c, 0x01, 0x02, 0x7b,
         0x20, 0x00, 0x20, 0x01, 0x41, 0x00, 0x1b, 0x1a, 0x0b);
  /* An imported v128 global. */
  EXPECT("v128 import", PASS, WT_OK, 0, "", 1,
         HDR, 0x02, 0x08, 0x01, 0x01, 0x6d, 0x01, 0x67, 0x03, 0x7b, 0x00);
  /* Nothing SIMD: the flag stays clear. */
  EXPECT("no simd", PASS, WT_OK, 0, "", 0, HDR, TYPE_V_V, FUNC_1, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b);
}

/* v128.const in global initialisers, and its decoded value. */
static void test_const_expr(void) {
  static const uint8_t good[] = {HDR, 0x06, 0x16, 0x01, 0x7b, 0x00, 0xfd, 0x0c, BYTES16, 0x0b};
  wt_module *m = NULL;
  wt_error err;
  CHECK(dec_decode(NULL, good, sizeof good, &m, &err) == WT_OK);
  if (m) {
    CHECK(val_validate(m, &err) == WT_OK);
    CHECK(m->uses_simd);
    const mod_const *c = &m->globals[0].init;
    CHECK(c->kind == MOD_CONST_V128 && c->type == WT_V128 && c->offset == 13);
    CHECK(c->u.v128[0] == 0 && c->u.v128[7] == 7 && c->u.v128[15] == 15);
    mod_free(m);
  }
  /* An i32 global initialised with a v128.const (expression at 13). */
  EXPECT("i32 global = v128.const", VALIDATE, WT_ERR_INVALID, 13, "type mismatch", 1,
         HDR, 0x06, 0x16, 0x01, 0x7f, 0x00, 0xfd, 0x0c, BYTES16, 0x0b);
  EXPECT("v128 global = i32.const", VALIDATE, WT_ERR_INVALID, 13, "type mismatch", 1,
         HDR, 0x06, 0x06, 0x01, 0x7b, 0x00, 0x41, 0x00, 0x0b);
  /* Any other SIMD instruction is not constant: v128.const, i8x16.neg. */
  EXPECT("non-constant simd", VALIDATE, WT_ERR_INVALID, 13, "constant expression required", 1,
         HDR, 0x06, 0x18, 0x01, 0x7b, 0x00, 0xfd, 0x0c, BYTES16, 0xfd, 0x61, 0x0b);
}

/* Messages name SIMD instructions in text form, and the memory rule. */
static void test_validator_texts(void) {
  /* i32.const 0, i32.const 0, i8x16.add: expected v128 (add at 27). */
  EXPECT("i8x16.add on i32", VALIDATE, WT_ERR_INVALID, 27, "type mismatch in i8x16.add: expected v128, got i32", 1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfd, 0x6e, 0x1a, 0x0b);
  /* i32.const 0, v128.load without a memory (load at 25). */
  EXPECT("v128.load without memory", VALIDATE, WT_ERR_INVALID, 25, "unknown memory", 1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0x00, 0xfd, 0x00, 0x04, 0x00, 0x1a, 0x0b);
  /* v128.const then i16x8.extract_lane_u 9 (the instruction at 41). */
  EXPECT("lane message", VALIDATE, WT_ERR_INVALID, 41, "invalid lane index 9 in i16x8.extract_lane_u (8 lanes)", 1,
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x1a, 0x01, 0x18, 0x00, 0xfd, 0x0c, BYTES16, 0xfd, 0x19, 0x09, 0x1a, 0x0b);
}

/* wt_module_new: SIMD modules decode and validate and go on to the
** execution tier; an invalid SIMD module is still reported as invalid. */
static void test_module_new(void) {
  static const uint8_t simd[] = {HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b};
  static const uint8_t plain[] = {HDR, TYPE_V_V};
  static const uint8_t invalid[] = {HDR, 0x06, 0x06, 0x01, 0x7b, 0x00, 0x41, 0x00, 0x0b};
  wt_module *m = NULL;
  wt_error err;
  memset(&err, 0, sizeof err);
  /* SIMD modules now reach the tier (here the shim's interp_prepare, which
  ** refuses everything with its own text) like any other module. */
  CHECK(wt_module_new(NULL, simd, sizeof simd, &m, &err) == WT_ERR_UNSUPPORTED);
  CHECK(m == NULL && strstr(err.message, "no interpreter") != NULL);
  CHECK(wt_module_new(NULL, plain, sizeof plain, &m, &err) == WT_ERR_UNSUPPORTED);
  CHECK(m == NULL && strstr(err.message, "no interpreter") != NULL);
  CHECK(wt_module_new(NULL, invalid, sizeof invalid, &m, &err) == WT_ERR_INVALID && m == NULL);
}

int main(void) {
  test_table();
  test_every_op();
  test_malformed();
  test_valtypes();
  test_const_expr();
  test_validator_texts();
  test_module_new();
  return wt_check_finish("simd frontend");
}
