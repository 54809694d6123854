/*
** values.c — parsing, matching and printing of testsuite values (values.h).
*/
#include "values.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  wt_valtype type;
} type_names[] = {
    {"i32", WT_I32},         {"i64", WT_I64},         {"f32", WT_F32},
    {"f64", WT_F64},         {"v128", WT_V128},       {"funcref", WT_FUNCREF},
    {"externref", WT_EXTERNREF},
};

bool sv_parse_type(const json_value *v, wt_valtype *out) {
  for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++) {
    if (json_is(v, type_names[i].name)) {
      *out = type_names[i].type;
      return true;
    }
  }
  return false;
}

const char *sv_type_name(wt_valtype type) {
  for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
    if (type_names[i].type == type) return type_names[i].name;
  return "?";
}

void *sv_extern_ref(uint64_t n) { return (void *)(uintptr_t)(n + 1); }

bool sv_extern_index(const void *ref, uint64_t *n) {
  if (!ref) return false;
  *n = (uint64_t)(uintptr_t)ref - 1;
  return true;
}

static bool why_fail(char *why, size_t n, const char *msg, const json_value *v) {
  size_t len = 0;
  const char *s = json_string(v, &len);
  if (s) snprintf(why, n, "%s: \"%.*s\"", msg, (int)(len > 40 ? 40 : len), s);
  else snprintf(why, n, "%s", msg);
  return false;
}

/* Reads an unsigned decimal that must fit in `bytes` bytes. */
static bool read_bits(const json_value *v, unsigned bytes, uint64_t *out) {
  if (!json_u64(v, out)) return false;
  return bytes >= 8 || *out >> (8 * bytes) == 0;
}

/* NaN patterns are allowed only where `allow_nan` (expected floats). */
static bool read_pattern(const json_value *v, unsigned bytes, bool allow_nan,
                         uint64_t *bits, sv_pattern *pat) {
  *bits = 0;
  *pat = SV_EXACT;
  if (allow_nan && json_is(v, "nan:canonical")) {
    *pat = SV_NAN_CANONICAL;
    return true;
  }
  if (allow_nan && json_is(v, "nan:arithmetic")) {
    *pat = SV_NAN_ARITHMETIC;
    return true;
  }
  return read_bits(v, bytes, bits);
}

static unsigned lane_width(const json_value *lane_type, bool *is_float) {
  static const struct { const char *name; unsigned bytes; bool fl; } shapes[] = {
      {"i8", 1, false}, {"i16", 2, false}, {"i32", 4, false},
      {"i64", 8, false}, {"f32", 4, true}, {"f64", 8, true}};
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
    if (json_is(lane_type, shapes[i].name)) {
      *is_float = shapes[i].fl;
      return shapes[i].bytes;
    }
  }
  return 0;
}

/* Parses a v128 {"lane_type", "value": [lanes]} into bytes and patterns. */
static bool parse_v128(const json_value *v, bool allow_nan, sv_expect *e,
                       char *why, size_t n) {
  const json_value *lanes = json_get(v, "value");
  e->lane_bytes = lane_width(json_get(v, "lane_type"), &e->float_lanes);
  if (e->lane_bytes == 0) return why_fail(why, n, "bad v128 lane_type", NULL);
  size_t count = 16 / e->lane_bytes;
  if (!lanes || lanes->kind != JSON_ARRAY || lanes->len != count)
    return why_fail(why, n, "bad v128 lane list", NULL);
  for (size_t i = 0; i < count; i++) {
    uint64_t bits;
    if (!read_pattern(&lanes->u.items[i], e->lane_bytes, allow_nan && e->float_lanes,
                      &bits, &e->lanes[i]))
      return why_fail(why, n, "bad v128 lane", &lanes->u.items[i]);
    for (unsigned b = 0; b < e->lane_bytes; b++)
      e->value.of.v128[i * e->lane_bytes + b] = (uint8_t)(bits >> (8 * b));
  }
  return true;
}

/* Parses a reference value: "null", a number N for externref, or (only in
** expectations) no value at all for "some non-null funcref". */
static bool parse_ref(const json_value *v, bool is_expect, sv_expect *e,
                      char *why, size_t n) {
  const json_value *val = json_get(v, "value");
  uint64_t idx;
  if (json_is(val, "null")) return true; /* of.* already NULL */
  if (!val && is_expect) {
    e->lanes[0] = SV_ANY_REF;
    return true;
  }
  if (e->value.type == WT_EXTERNREF && json_u64(val, &idx) && idx < UINTPTR_MAX) {
    e->value.of.externref = sv_extern_ref(idx);
    return true;
  }
  return why_fail(why, n, "unsupported reference value", val);
}

/* Shared by sv_parse_arg and sv_parse_expect. */
static bool parse_value(const json_value *v, bool is_expect, sv_expect *e,
                        char *why, size_t n) {
  memset(e, 0, sizeof *e);
  if (!v || v->kind != JSON_OBJECT) return why_fail(why, n, "value is not an object", NULL);
  if (!sv_parse_type(json_get(v, "type"), &e->value.type))
    return why_fail(why, n, "unknown value type", json_get(v, "type"));
  const json_value *val = json_get(v, "value");
  uint64_t bits;
  switch (e->value.type) {
  case WT_I32: case WT_F32:
    if (!read_pattern(val, 4, is_expect && e->value.type == WT_F32, &bits, &e->lanes[0]))
      return why_fail(why, n, "bad 32-bit value", val);
    e->value.of.i32 = (uint32_t)bits;
    return true;
  case WT_I64: case WT_F64:
    if (!read_pattern(val, 8, is_expect && e->value.type == WT_F64, &bits, &e->lanes[0]))
      return why_fail(why, n, "bad 64-bit value", val);
    e->value.of.i64 = bits;
    return true;
  case WT_V128:
    return parse_v128(v, is_expect, e, why, n);
  case WT_FUNCREF: case WT_EXTERNREF:
    return parse_ref(v, is_expect, e, why, n);
  }
  return why_fail(why, n, "unknown value type", NULL);
}

bool sv_parse_arg(const json_value *v, wt_value *out, char *why, size_t n) {
  sv_expect e;
  if (!parse_value(v, false, &e, why, n)) return false;
  *out = e.value;
  return true;
}

bool sv_parse_expect(const json_value *v, sv_expect *out, char *why, size_t n) {
  return parse_value(v, true, out, why, n);
}

/* Judges float bits of width `bytes` (4 or 8) against a NaN pattern. */
static bool nan_matches(uint64_t bits, unsigned bytes, sv_pattern pat) {
  uint64_t quiet = bytes == 4 ? 0x7fc00000u : 0x7ff8000000000000u;
  uint64_t abs_mask = bytes == 4 ? 0x7fffffffu : 0x7fffffffffffffffu;
  if (pat == SV_NAN_CANONICAL) return (bits & abs_mask) == quiet;
  return (bits & quiet) == quiet;
}

static uint64_t lane_bits(const uint8_t *v128, unsigned lane, unsigned bytes) {
  uint64_t bits = 0;
  for (unsigned b = 0; b < bytes; b++) bits |= (uint64_t)v128[lane * bytes + b] << (8 * b);
  return bits;
}

static bool v128_matches(const sv_expect *want, const uint8_t *got) {
  for (unsigned i = 0; i < 16 / want->lane_bytes; i++) {
    uint64_t g = lane_bits(got, i, want->lane_bytes);
    uint64_t w = lane_bits(want->value.of.v128, i, want->lane_bytes);
    if (want->lanes[i] == SV_EXACT ? g != w : !nan_matches(g, want->lane_bytes, want->lanes[i]))
      return false;
  }
  return true;
}

bool sv_match(const sv_expect *want, const wt_value *got) {
  if (want->value.type != got->type) return false;
  sv_pattern pat = want->lanes[0];
  switch (got->type) {
  case WT_I32: case WT_F32:
    return pat == SV_EXACT ? got->of.i32 == want->value.of.i32 : nan_matches(got->of.i32, 4, pat);
  case WT_I64: case WT_F64:
    return pat == SV_EXACT ? got->of.i64 == want->value.of.i64 : nan_matches(got->of.i64, 8, pat);
  case WT_V128:
    return v128_matches(want, got->of.v128);
  case WT_FUNCREF:
    return pat == SV_ANY_REF ? got->of.funcref != NULL : got->of.funcref == want->value.of.funcref;
  case WT_EXTERNREF:
    return pat == SV_ANY_REF ? got->of.externref != NULL
                             : got->of.externref == want->value.of.externref;
  }
  return false;
}

static void format_ref(const wt_value *v, char *buf, size_t n) {
  uint64_t idx;
  if (v->type == WT_FUNCREF)
    snprintf(buf, n, "funcref:%s", v->of.funcref ? "non-null" : "null");
  else if (sv_extern_index(v->of.externref, &idx))
    snprintf(buf, n, "externref:%" PRIu64, idx);
  else
    snprintf(buf, n, "externref:null");
}

/* Appends one lane (or scalar) of `bytes` to buf at *pos, as hex bits. */
static void append_bits(char *buf, size_t n, size_t *pos, uint64_t bits, unsigned bytes,
                        sv_pattern pat) {
  if (*pos >= n) return;
  int k;
  if (pat == SV_NAN_CANONICAL) k = snprintf(buf + *pos, n - *pos, "nan:canonical");
  else if (pat == SV_NAN_ARITHMETIC) k = snprintf(buf + *pos, n - *pos, "nan:arithmetic");
  else k = snprintf(buf + *pos, n - *pos, "0x%0*" PRIx64, (int)(2 * bytes), bits);
  if (k > 0) *pos += (size_t)k;
}

/* Formats a value, with per-lane patterns for expectations (pats may be NULL). */
static void format_any(const wt_value *v, unsigned lane_bytes, const sv_pattern *pats,
                       char *buf, size_t n) {
  static const sv_pattern exact[16];
  size_t pos = 0;
  if (!pats) pats = exact;
  if (n == 0) return;
  buf[0] = '\0';
  if (v->type == WT_FUNCREF || v->type == WT_EXTERNREF) {
    if (pats[0] == SV_ANY_REF) snprintf(buf, n, "%s:non-null", sv_type_name(v->type));
    else format_ref(v, buf, n);
    return;
  }
  int k = snprintf(buf, n, "%s:", sv_type_name(v->type));
  pos = k > 0 ? (size_t)k : 0;
  if (v->type == WT_V128) {
    if (lane_bytes != 1 && lane_bytes != 2 && lane_bytes != 8) lane_bytes = 4;
    for (unsigned i = 0; i < 16 / lane_bytes; i++) {
      if (i > 0 && pos + 1 < n) buf[pos++] = ' ', buf[pos] = '\0';
      append_bits(buf, n, &pos, lane_bits(v->of.v128, i, lane_bytes), lane_bytes, pats[i]);
    }
    return;
  }
  bool wide = v->type == WT_I64 || v->type == WT_F64;
  append_bits(buf, n, &pos, wide ? v->of.i64 : v->of.i32, wide ? 8 : 4, pats[0]);
}

void sv_format_value(const wt_value *v, unsigned lane_bytes, char *buf, size_t n) {
  format_any(v, lane_bytes, NULL, buf, n);
}

void sv_format_expect(const sv_expect *e, char *buf, size_t n) {
  format_any(&e->value, e->lane_bytes, e->lanes, buf, n);
}
