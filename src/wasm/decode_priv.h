/*
** decode_priv.h — state and helpers shared by the decoder's files
** (decode.c: module structure and sections; decode_segs.c: constant
** expressions, element and data segments, the "name" section).
*/
#ifndef WT_DECODE_PRIV_H
#define WT_DECODE_PRIV_H

#include "wasm/decode_instr.h"

typedef struct dec {
  wt_module *m;
  wt_error *err;
  uint32_t ncode;         /* entries seen in the code section */
  bool has_code;          /* a code section was present */
  bool has_name;          /* a "name" custom section was seen */
  size_t name_pos, name_end; /* its contents, parsed once the rest is known */
  size_t data_use_at;     /* first memory.init/data.drop without datacount */
  uint64_t total_locals;  /* expanded locals of all functions so far */
} dec;

/* Turns the reader's recorded failure into err (MALFORMED, or UNSUPPORTED
** for a missing feature). Returns the status. */
wt_status dec_fail_rd(dec *d, const dec_rd *rd);

/* calloc(n, size) for a count read from the input: the caller has checked
** n against the bytes left, so the size is bounded by the input size.
** Never returns NULL for n == 0. Sets WT_ERR_NOMEM in err on failure. */
void *dec_alloc(dec *d, size_t n, size_t size, size_t at);

/* Reads a vector length that announces at least `min_bytes` per element
** and checks it against the bytes left, so allocations stay bounded. */
bool dec_count(dec_rd *rd, uint32_t *out, size_t min_bytes);

/* Reads a name (vec(byte), valid UTF-8) and returns a NUL-terminated heap
** copy in *out (NULL on failure; the failure is recorded on rd unless it
** is an allocation failure, which sets *nomem). */
bool dec_name(dec_rd *rd, char **out, uint32_t *len, bool *nomem);

/* Checks that [p, p+n) is well-formed UTF-8 (no overlongs, surrogates or
** code points above U+10FFFF). */
bool dec_utf8_ok(const uint8_t *p, size_t n);

/* Reads a constant expression (instructions up to `end`) into c. Well-
** formed but non-constant code becomes MOD_CONST_INVALID for the validator.
** Marks d->m->uses_simd for SIMD instructions. */
bool dec_const_expr(dec *d, dec_rd *rd, mod_const *c);

wt_status dec_elem_section(dec *d, dec_rd *rd);
wt_status dec_data_section(dec *d, dec_rd *rd);

/* Best effort: function and module names from the "name" section. Never
** fails the decode. */
void dec_name_section(dec *d);

#endif /* WT_DECODE_PRIV_H */
