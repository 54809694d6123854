/*
** values.h — the testsuite's value encoding (README "Value encoding"):
** turning JSON arguments into wt_value, expected results into patterns,
** matching and printing them.
**
** Numbers are bit patterns written as unsigned decimal strings. An expected
** float (or float lane of a v128) may instead be "nan:canonical" or
** "nan:arithmetic". `externref N` is mapped to the host pointer N+1 so that
** N = 0 is not confused with ref.null.
*/
#ifndef WT_SPEC_VALUES_H
#define WT_SPEC_VALUES_H

#include <stddef.h>

#include "json.h"
#include "wasitorch.h"

typedef enum sv_pattern {
  SV_EXACT = 0,       /* bits must be equal */
  SV_NAN_CANONICAL,   /* any sign, quiet bit only */
  SV_NAN_ARITHMETIC,  /* any sign, quiet bit set, rest free */
  SV_ANY_REF          /* any non-null reference (a value-less funcref) */
} sv_pattern;

/* One expected result. For v128, `lane_bytes` is the width of the lanes the
** script author chose (1, 2, 4 or 8), `float_lanes` says whether they are
** f32/f64, and `lanes[i]` is the pattern of lane i. Scalars use lanes[0]. */
typedef struct sv_expect {
  wt_value value;
  unsigned lane_bytes;
  bool float_lanes;
  sv_pattern lanes[16];
} sv_expect;

/* Parses a value type name ("i32", "funcref", ...). */
bool sv_parse_type(const json_value *v, wt_valtype *out);
const char *sv_type_name(wt_valtype type);

/* Converts an argument object {"type", "value"} to a wt_value. Returns false
** with a reason in `why` (at most `n` bytes) on a bad encoding. */
bool sv_parse_arg(const json_value *v, wt_value *out, char *why, size_t n);

/* Converts an expected-result object to a pattern; like sv_parse_arg. */
bool sv_parse_expect(const json_value *v, sv_expect *out, char *why, size_t n);

/* True when `got` matches the expectation (types must agree too). */
bool sv_match(const sv_expect *want, const wt_value *got);

/* Writes a readable form of a value / an expectation to buf. A v128 value
** is shown in lanes of `lane_bytes` (1, 2, 4 or 8; others mean 4), so that a
** result can be printed in the shape of the expectation it missed. */
void sv_format_value(const wt_value *v, unsigned lane_bytes, char *buf, size_t n);
void sv_format_expect(const sv_expect *e, char *buf, size_t n);

/* The host pointer that stands for `ref.extern N`, and back. */
void *sv_extern_ref(uint64_t n);
bool sv_extern_index(const void *ref, uint64_t *n);

#endif /* WT_SPEC_VALUES_H */
