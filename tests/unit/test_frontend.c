/*
** test_frontend.c — unit tests of the Wasm decoder and validator on
** hand-made binaries: each case states the error kind, the byte offset
** and a piece of the message it expects, so a regression in error
** classification or location is caught, not just "it failed somehow".
**
** SIMD (v128) cases are in test_simd_frontend.c.
**
** Plain C: every CHECK failure is printed and counted, and the exit status
** is the number of failures (CTest reads it).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm/module.h"
#include "module_bytes.h"
#include "wt_check.h"


/* Where a case should stop, and how. */
typedef enum stage { DECODE, VALIDATE, PASS } stage;

/* Decodes and validates; checks status, offset and message fragment of
** the first failure. Returns true when everything matched. */
static bool expect(const char *name, const uint8_t *bytes, size_t len, stage where, wt_status want,
                   uint64_t offset, const char *fragment) {
  wt_module *m = NULL;
  wt_error err;
  memset(&err, 0, sizeof err);
  wt_status st = dec_decode(NULL, bytes, len, &m, &err);
  stage got = DECODE;
  if (st == WT_OK) {
    got = VALIDATE;
    st = val_validate(m, &err);
    if (st == WT_OK) got = PASS;
    mod_free(m);
  } else {
    CHECK(m == NULL);
  }
  bool ok = got == where && (where == PASS || (st == want && err.offset == offset &&
                                               strstr(err.message, fragment) != NULL));
  if (!ok) {
    fprintf(stderr, "case %s: stage %d status %d (%s) message \"%s\"; wanted stage %d status %d offset 0x%llx \"%s\"\n",
            name, got, st, wt_status_name(st), got == PASS ? "" : err.message, where, want,
            (unsigned long long)offset, fragment);
    wt_check_failures++;
  }
  return ok;
}

#define EXPECT(name, where, want, offset, fragment, ...)                              \
  do {                                                                                  \
    static const uint8_t bytes_[] = {__VA_ARGS__};                                      \
    expect(name, bytes_, sizeof bytes_, where, want, offset, fragment);                 \
  } while (0)

/* ----------------------------------------------------------------------
** Decoder (malformed) cases
*/

/* Header, section framing and LEB128 rules. */
static void test_decoder(void) {
  EXPECT("empty module", PASS, WT_OK, 0, "", HDR);
  EXPECT("bad magic", DECODE, WT_ERR_MALFORMED, 0, "magic header not detected", 0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0);
  EXPECT("bad version", DECODE, WT_ERR_MALFORMED, 4, "unknown binary version", 0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0);
  EXPECT("truncated header", DECODE, WT_ERR_MALFORMED, 0, "unexpected end", 0x00, 0x61);
  /* Type section whose count LEB has its continuation bit set and then
  ** the file ends: the reader runs out at offset 12. */
  EXPECT("truncated LEB", DECODE, WT_ERR_MALFORMED, 12, "unexpected end", HDR, 0x01, 0x02, 0x80, 0x80);
  /* A u32 spread over six bytes (the LEB starts at offset 10). */
  EXPECT("LEB too long", DECODE, WT_ERR_MALFORMED, 10, "integer representation too long",
         HDR, 0x01, 0x06, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
  /* A u32 whose fifth byte sets bits above bit 31. */
  EXPECT("LEB too large", DECODE, WT_ERR_MALFORMED, 10, "integer too large",
         HDR, 0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x7f);
  /* An i32.const whose signed fifth byte is not a sign extension. */
  EXPECT("s32 too large", DECODE, WT_ERR_MALFORMED, 25, "integer too large",
         HDR, TYPE_V_I32, FUNC_1, 0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x0b);
  /* A 4-byte file body claiming 2^32-1 types must fail before any
  ** allocation of that size (ASan would abort on a 100 GB calloc). */
  EXPECT("huge count", DECODE, WT_ERR_MALFORMED, 10, "length out of bounds",
         HDR, 0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f);
  /* Function section (id 3) before type section (id 1): the second
  ** section header at offset 12 is out of order. */
  EXPECT("section order", DECODE, WT_ERR_MALFORMED, 12, "unexpected content after last section",
         HDR, 0x03, 0x02, 0x01, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00);
  EXPECT("duplicate section", DECODE, WT_ERR_MALFORMED, 14, "unexpected content after last section",
         HDR, TYPE_V_V, TYPE_V_V);
  EXPECT("unknown section id", DECODE, WT_ERR_MALFORMED, 8, "malformed section id", HDR, 0x0d, 0x00);
  EXPECT("section size mismatch", DECODE, WT_ERR_MALFORMED, 11, "section size mismatch",
         HDR, 0x01, 0x03, 0x00, 0x00, 0x00);
  EXPECT("junk after last section", DECODE, WT_ERR_MALFORMED, 8, "length out of bounds", HDR, 0x01, 0x20, 0x00);
}

/* Names, locals, function bodies and cross-section counts. */
static void test_decoder_contents(void) {
  /* Import module name "\xc0\x80" (an overlong NUL), its vector at offset 11. */
  EXPECT("bad UTF-8", DECODE, WT_ERR_MALFORMED, 11, "malformed UTF-8 encoding",
         HDR, 0x02, 0x08, 0x01, 0x02, 0xc0, 0x80, 0x01, 0x61, 0x02, 0x00, 0x01);
  /* A surrogate (U+D800 as ED A0 80) in a custom section name. */
  EXPECT("surrogate in custom name", DECODE, WT_ERR_MALFORMED, 10, "malformed UTF-8 encoding",
         HDR, 0x00, 0x04, 0x03, 0xed, 0xa0, 0x80);
  /* Locals: one group of 2^32-1 i32s (offset of the locals vector: 22). */
  EXPECT("too many locals", DECODE, WT_ERR_MALFORMED, 22, "too many locals",
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x0a, 0x01, 0x08, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b);
  /* Two groups whose sum exceeds MOD_MAX_LOCALS although each is fine. */
  EXPECT("locals sum", DECODE, WT_ERR_MALFORMED, 22, "too many locals",
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x0c, 0x01, 0x0a, 0x02, 0xa0, 0x8d, 0x06, 0x7f, 0xa0, 0x8d, 0x06, 0x7e, 0x0b);
  EXPECT("function/code mismatch", DECODE, WT_ERR_MALFORMED, 20, "inconsistent lengths",
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x01, 0x00);
  /* ref.null with a non-reference type byte (0x7f) at offset 24. */
  EXPECT("malformed reftype", DECODE, WT_ERR_MALFORMED, 24, "malformed reference type",
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x06, 0x01, 0x04, 0x00, 0xd0, 0x7f, 0x0b);
  /* memory.size with a non-zero memory index byte at offset 30. */
  EXPECT("zero byte", DECODE, WT_ERR_MALFORMED, 30, "zero byte expected",
         HDR, TYPE_V_I32, FUNC_1, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x3f, 0x01, 0x0b);
  EXPECT("illegal opcode", DECODE, WT_ERR_MALFORMED, 23, "illegal opcode",
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x05, 0x01, 0x03, 0x00, 0xff, 0x0b);
  EXPECT("missing end", DECODE, WT_ERR_MALFORMED, 26, "END opcode expected",
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x02, 0x40, 0x0b);
  /* data.drop 0 with a data segment but no datacount section. */
  EXPECT("datacount required", DECODE, WT_ERR_MALFORMED, 28, "data count section required",
         HDR, TYPE_V_V, FUNC_1, 0x05, 0x03, 0x01, 0x00, 0x01,
         0x0a, 0x07, 0x01, 0x05, 0x00, 0xfc, 0x09, 0x00, 0x0b, 0x0b, 0x03, 0x01, 0x01, 0x00);
  EXPECT("bad limits flag", DECODE, WT_ERR_MALFORMED, 11, "integer too large", HDR, 0x05, 0x03, 0x01, 0x02, 0x00);
  EXPECT("bad mutability", DECODE, WT_ERR_MALFORMED, 12, "malformed mutability",
         HDR, 0x06, 0x06, 0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b);
}

/* ----------------------------------------------------------------------
** Validator (invalid) cases
*/
static void test_validator(void) {
  /* i32.const 1, i64.const 2, i32.add (offset 28): type mismatch. */
  EXPECT("type mismatch", VALIDATE, WT_ERR_INVALID, 28, "type mismatch in i32.add",
         HDR, TYPE_V_I32, FUNC_1, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x41, 0x01, 0x42, 0x02, 0x6a, 0x0b);
  /* The function must return an i32 but ends with an empty stack. */
  EXPECT("missing result", VALIDATE, WT_ERR_INVALID, 24, "type mismatch",
         HDR, TYPE_V_I32, FUNC_1, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b);
  /* local.get 5 with no locals at all (offset 24). */
  EXPECT("unknown local", VALIDATE, WT_ERR_INVALID, 24, "unknown local 5",
         HDR, TYPE_V_I32, FUNC_1, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x20, 0x05, 0x0b);
  /* br 1 inside the function body only (depth 0 exists, 1 does not). */
  EXPECT("unknown label", VALIDATE, WT_ERR_INVALID, 23, "unknown label 1",
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x0c, 0x01, 0x0b);
  /* Unreachable code is stack-polymorphic: `unreachable i32.add` with a
  ** [] -> [i32] type is valid. */
  EXPECT("polymorphic stack", PASS, WT_OK, 0, "",
         HDR, TYPE_V_I32, FUNC_1, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x00, 0x6a, 0x0b);
  /* i32.load with alignment 2^3 > 4 bytes. */
  EXPECT("alignment", VALIDATE, WT_ERR_INVALID, 31, "alignment must not be larger than natural",
         HDR, TYPE_V_I32, FUNC_1, 0x05, 0x03, 0x01, 0x00, 0x01,
         0x0a, 0x09, 0x01, 0x07, 0x00, 0x41, 0x00, 0x28, 0x03, 0x00, 0x0b);
  /* Global initialised from a defined (not imported) global. */
  EXPECT("const global.get", VALIDATE, WT_ERR_INVALID, 18, "unknown global 0",
         HDR, 0x06, 0x0b, 0x02, 0x7f, 0x00, 0x41, 0x00, 0x0b, 0x7f, 0x00, 0x23, 0x00, 0x0b);
  EXPECT("non-constant init", VALIDATE, WT_ERR_INVALID, 13, "constant expression required",
         HDR, 0x06, 0x07, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x45, 0x0b);
  /* Two exports named "a". */
  EXPECT("duplicate export", VALIDATE, WT_ERR_INVALID, UINT64_MAX, "duplicate export name",
         HDR, TYPE_V_V, FUNC_1, 0x07, 0x09, 0x02, 0x01, 0x61, 0x00, 0x00, 0x01, 0x61, 0x00, 0x00,
         0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b);
  /* ref.func 0 where function 0 is not declared anywhere else. */
  EXPECT("undeclared ref.func", VALIDATE, WT_ERR_INVALID, 23, "undeclared function reference",
         HDR, TYPE_V_V, FUNC_1, 0x0a, 0x07, 0x01, 0x05, 0x00, 0xd2, 0x00, 0x1a, 0x0b);
  EXPECT("memory too large", VALIDATE, WT_ERR_INVALID, UINT64_MAX, "65536 pages",
         HDR, 0x05, 0x05, 0x01, 0x00, 0x81, 0x80, 0x04);
  EXPECT("start type", VALIDATE, WT_ERR_INVALID, UINT64_MAX, "start function",
         HDR, TYPE_V_I32, FUNC_1, 0x08, 0x01, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x00, 0x0b);
}

/* ----------------------------------------------------------------------
** Robustness: deep nesting must not use the C stack.
*/
static void test_deep_nesting(void) {
  const uint32_t depth = 200000;
  size_t body_len = 1 + (size_t)depth * 3 + 1; /* locals, blocks, ends, final end */
  size_t cap = 64 + body_len;
  uint8_t *b = malloc(cap);
  CHECK(b != NULL);
  if (!b) return;
  static const uint8_t head[] = {HDR, TYPE_V_V, FUNC_1};
  size_t n = 0;
  memcpy(b, head, sizeof head);
  n = sizeof head;
  /* Code section: size = count(1) + LEB(body_len) + body_len. */
  size_t sec_len = 1 + 3 + body_len;
  b[n++] = 0x0a;
  b[n++] = (uint8_t)(0x80 | (sec_len & 0x7f));
  b[n++] = (uint8_t)(0x80 | ((sec_len >> 7) & 0x7f));
  b[n++] = (uint8_t)(sec_len >> 14);
  b[n++] = 0x01;
  b[n++] = (uint8_t)(0x80 | (body_len & 0x7f));
  b[n++] = (uint8_t)(0x80 | ((body_len >> 7) & 0x7f));
  b[n++] = (uint8_t)(body_len >> 14);
  b[n++] = 0x00;
  for (uint32_t i = 0; i < depth; i++) {
    b[n++] = 0x02;
    b[n++] = 0x40;
  }
  memset(b + n, 0x0b, depth + 1);
  n += depth + 1;
  expect("deep nesting", b, n, PASS, WT_OK, 0, "");
  free(b);
}

static void test_texts(void) {
  CHECK(!strcmp(wt_trap_message(WT_TRAP_DIV_BY_ZERO), "integer divide by zero"));
  CHECK(!strcmp(wt_trap_message(WT_TRAP_INDIRECT_MISMATCH), "indirect call type mismatch"));
  CHECK(!strcmp(wt_trap_message(WT_TRAP_STACK_EXHAUSTED), "call stack exhausted"));
  CHECK(!strcmp(wt_status_name(WT_ERR_MALFORMED), "malformed module"));
  wt_error err;
  CHECK(mod_fail(&err, WT_ERR_INVALID, 0x1a3, "invalid local index %d", 7) == WT_ERR_INVALID);
  CHECK(!strcmp(err.message, "offset 0x1a3: invalid local index 7"));
  CHECK(err.offset == 0x1a3 && err.status == WT_ERR_INVALID);
}

/* Names: module and function names from the "name" section; imports and
** exports are NUL-terminated copies. */
static void test_names(void) {
  static const uint8_t bytes[] = {
      HDR, TYPE_V_V,
      0x02, 0x07, 0x01, 0x01, 0x6d, 0x01, 0x66, 0x00, 0x00, /* import "m" "f" func 0 */
      FUNC_1,
      0x07, 0x05, 0x01, 0x01, 0x67, 0x00, 0x01,             /* export "g" func 1 */
      0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
      /* custom "name": module name "mod", function 1 = "go" */
      0x00, 0x13, 0x04, 0x6e, 0x61, 0x6d, 0x65,
      0x00, 0x04, 0x03, 0x6d, 0x6f, 0x64,
      0x01, 0x05, 0x01, 0x01, 0x02, 0x67, 0x6f, 0x00};
  wt_module *m = NULL;
  wt_error err;
  /* The trailing 0x00 above is deliberate junk inside the name section:
  ** a broken name subsection must never fail the decode. */
  CHECK(dec_decode(NULL, bytes, sizeof bytes, &m, &err) == WT_OK);
  if (!m) return;
  CHECK(val_validate(m, &err) == WT_OK);
  CHECK(m->name && !strcmp(m->name, "mod"));
  CHECK(m->nfuncs == 1 && m->funcs[0].debug_name && !strcmp(m->funcs[0].debug_name, "go"));
  CHECK(wt_module_import_count(m) == 1 && wt_module_export_count(m) == 1);
  wt_port imp = wt_module_import(m, 0), ex = wt_module_export(m, 0);
  CHECK(!strcmp(imp.module, "m") && !strcmp(imp.name, "f") && imp.kind == WT_EXTERN_FUNC);
  CHECK(ex.module == NULL && !strcmp(ex.name, "g") && ex.name_len == 1);
  CHECK(m->func_declared && m->func_declared[1] && !m->func_declared[0]);
  mod_free(m);
}

int main(void) {
  test_decoder();
  test_decoder_contents();
  test_validator();
  test_deep_nesting();
  test_texts();
  test_names();
  return wt_check_finish("frontend");
}
