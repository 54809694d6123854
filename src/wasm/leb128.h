/*
** leb128.h — the byte reader shared by the decoder and the validator
** (private to src/wasm/).
**
** A dec_rd reads a window [pos, end) of one buffer. Offsets are absolute
** positions in that buffer (the module binary), so every message can name
** the byte it is about. The first failure is remembered in `why`/`why_at`
** and every read after it fails too, so callers may chain reads and test
** once. Readers never read outside [pos, end).
**
** LEB128 rules (binary format, "Integers"): an N-bit integer takes at most
** ceil(N/7) bytes; a longer encoding is "integer representation too long",
** and unused bits of the last byte that are not zero (unsigned) or not a
** sign extension (signed) are "integer too large".
*/
#ifndef WT_LEB128_H
#define WT_LEB128_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct dec_rd {
  const uint8_t *buf; /* the whole binary; offsets are relative to it */
  size_t pos;         /* next byte to read */
  size_t end;         /* one past the last readable byte */
  const char *why;    /* first failure, or NULL */
  size_t why_at;      /* offset of that failure */
  bool unsupported;   /* the failure is a missing feature, not bad input */
} dec_rd;

static inline dec_rd dec_rd_make(const uint8_t *buf, size_t pos, size_t end) {
  dec_rd rd = {buf, pos, end, NULL, 0, false};
  return rd;
}

/* Records the first failure at `at`; always returns false. */
static inline bool dec_rd_fail(dec_rd *rd, size_t at, const char *why) {
  if (!rd->why) {
    rd->why = why;
    rd->why_at = at;
  }
  return false;
}

static inline size_t dec_rd_left(const dec_rd *rd) { return rd->end - rd->pos; }

static inline bool dec_rd_eof(const dec_rd *rd) { return rd->pos >= rd->end; }

static inline bool dec_u8(dec_rd *rd, uint8_t *out) {
  if (rd->why) return false;
  if (rd->pos >= rd->end) return dec_rd_fail(rd, rd->pos, "unexpected end");
  *out = rd->buf[rd->pos++];
  return true;
}

/* Skips `n` bytes, returning a pointer to the first (NULL on failure). */
static inline const uint8_t *dec_bytes(dec_rd *rd, size_t n) {
  if (rd->why) return NULL;
  if (n > dec_rd_left(rd)) {
    dec_rd_fail(rd, rd->pos, "unexpected end");
    return NULL;
  }
  const uint8_t *p = rd->buf + rd->pos;
  rd->pos += n;
  return p;
}

/* Reads an LEB128 integer of `bits` bits (32, 33 or 64), signed or not,
** into *out (sign-extended to 64 bits when signed). */
static inline bool dec_leb(dec_rd *rd, unsigned bits, bool is_signed, uint64_t *out) {
  if (rd->why) return false;
  size_t start = rd->pos;
  unsigned maxbytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  for (unsigned i = 0;; i++) {
    if (rd->pos >= rd->end) return dec_rd_fail(rd, rd->pos, "unexpected end");
    uint8_t b = rd->buf[rd->pos++];
    if (i == maxbytes - 1) {
      if (b & 0x80) return dec_rd_fail(rd, start, "integer representation too long");
      /* The last byte carries bits - 7*i meaningful bits; the rest must
      ** be zero (unsigned) or copies of the top meaningful bit (signed). */
      unsigned used = bits - 7 * i;
      uint8_t rest = (uint8_t)(0x7f & ~((1u << used) - 1));
      uint8_t hi = (uint8_t)(b & rest);
      bool neg = is_signed && (b & (1u << (used - 1)));
      if (hi != (neg ? rest : 0)) return dec_rd_fail(rd, start, "integer too large");
    }
    result |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  if (is_signed && shift < 64 && (result >> (shift - 1)) & 1) result |= ~(uint64_t)0 << shift;
  *out = result;
  return true;
}

static inline bool dec_u32(dec_rd *rd, uint32_t *out) {
  uint64_t v = 0;
  if (!dec_leb(rd, 32, false, &v)) return false;
  *out = (uint32_t)v;
  return true;
}

static inline bool dec_s32(dec_rd *rd, int32_t *out) {
  uint64_t v = 0;
  if (!dec_leb(rd, 32, true, &v)) return false;
  *out = (int32_t)(uint32_t)v;
  return true;
}

static inline bool dec_s33(dec_rd *rd, int64_t *out) {
  uint64_t v = 0;
  if (!dec_leb(rd, 33, true, &v)) return false;
  *out = (int64_t)v;
  return true;
}

static inline bool dec_s64(dec_rd *rd, int64_t *out) {
  uint64_t v = 0;
  if (!dec_leb(rd, 64, true, &v)) return false;
  *out = (int64_t)v;
  return true;
}

/* Reads a little-endian fixed-width value of `n` bytes (4 or 8). */
static inline bool dec_fixed(dec_rd *rd, unsigned n, uint64_t *out) {
  const uint8_t *p = dec_bytes(rd, n);
  if (!p) return false;
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
  *out = v;
  return true;
}

#endif /* WT_LEB128_H */
