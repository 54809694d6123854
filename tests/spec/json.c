/*
** json.c — the spec runner's JSON reader (see json.h).
**
** A recursive-descent parser over a byte range with an explicit depth
** bound. Nodes go into an arena of large chunks: the testsuite's biggest
** files hold ~100,000 small objects, and one free per chunk keeps teardown
** cheap and leak-free. Arrays and objects are collected in a temporary
** growable buffer and copied into the arena once their size is known.
*/
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64          /* the testsuite nests at most 5 deep */
#define JSON_CHUNK (64u * 1024u)   /* default arena chunk size */

typedef struct arena_chunk {
  struct arena_chunk *next;
  size_t used, size;
  max_align_t data[]; /* aligned storage for nodes */
} arena_chunk;

struct json_doc {
  arena_chunk *chunks;
  json_value root;
};

typedef struct parser {
  const char *p, *end;
  uint32_t line;
  int depth;
  json_doc *doc;
  char *err;
  size_t errlen;
  bool failed;
} parser;

/* Records the first error only: later ones are consequences of it. */
static bool fail(parser *P, const char *fmt, ...) {
  if (!P->failed && P->errlen > 0) {
    int n = snprintf(P->err, P->errlen, "line %u: ", (unsigned)P->line);
    if (n >= 0 && (size_t)n < P->errlen) {
      va_list ap;
      va_start(ap, fmt);
      vsnprintf(P->err + n, P->errlen - (size_t)n, fmt, ap);
      va_end(ap);
    }
  }
  P->failed = true;
  return false;
}

/* Allocates `n` bytes from the document's arena, aligned for any node. */
static void *arena_alloc(parser *P, size_t n) {
  const size_t align = sizeof(max_align_t);
  n = (n + align - 1) / align * align;
  arena_chunk *c = P->doc->chunks;
  if (!c || c->size - c->used < n) {
    size_t size = n > JSON_CHUNK ? n : JSON_CHUNK;
    c = malloc(sizeof(arena_chunk) + size);
    if (!c) {
      fail(P, "out of memory");
      return NULL;
    }
    c->next = P->doc->chunks;
    c->used = 0;
    c->size = size;
    P->doc->chunks = c;
  }
  void *out = (char *)c->data + c->used;
  c->used += n;
  return out;
}

static void skip_ws(parser *P) {
  while (P->p < P->end) {
    char c = *P->p;
    if (c == '\n') P->line++;
    else if (c != ' ' && c != '\t' && c != '\r') break;
    P->p++;
  }
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads the four hex digits of a \u escape at P->p. */
static bool read_hex4(parser *P, uint32_t *out) {
  if (P->end - P->p < 4) return fail(P, "truncated \\u escape");
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    int d = hex_digit(P->p[i]);
    if (d < 0) return fail(P, "bad hex digit in \\u escape");
    v = v << 4 | (uint32_t)d;
  }
  P->p += 4;
  *out = v;
  return true;
}

static size_t put_utf8(char *dst, uint32_t cp) {
  if (cp < 0x80) {
    dst[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    dst[0] = (char)(0xc0 | cp >> 6);
    dst[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    dst[0] = (char)(0xe0 | cp >> 12);
    dst[1] = (char)(0x80 | (cp >> 6 & 0x3f));
    dst[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  dst[0] = (char)(0xf0 | cp >> 18);
  dst[1] = (char)(0x80 | (cp >> 12 & 0x3f));
  dst[2] = (char)(0x80 | (cp >> 6 & 0x3f));
  dst[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

/* Decodes a \u escape (P->p just past the 'u'), joining surrogate pairs.
** A lone surrogate has no UTF-8 form, so it is an error. */
static bool read_unicode(parser *P, uint32_t *cp) {
  if (!read_hex4(P, cp)) return false;
  if (*cp >= 0xdc00 && *cp <= 0xdfff) return fail(P, "lone low surrogate");
  if (*cp < 0xd800 || *cp > 0xdbff) return true;
  uint32_t lo;
  if (P->end - P->p < 2 || P->p[0] != '\\' || P->p[1] != 'u')
    return fail(P, "lone high surrogate");
  P->p += 2;
  if (!read_hex4(P, &lo)) return false;
  if (lo < 0xdc00 || lo > 0xdfff) return fail(P, "bad surrogate pair");
  *cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
  return true;
}

static bool read_escape(parser *P, char *dst, size_t *n) {
  char c = *P->p++;
  uint32_t cp;
  switch (c) {
  case '"': case '\\': case '/': dst[0] = c; *n = 1; return true;
  case 'b': dst[0] = '\b'; *n = 1; return true;
  case 'f': dst[0] = '\f'; *n = 1; return true;
  case 'n': dst[0] = '\n'; *n = 1; return true;
  case 'r': dst[0] = '\r'; *n = 1; return true;
  case 't': dst[0] = '\t'; *n = 1; return true;
  case 'u':
    if (!read_unicode(P, &cp)) return false;
    *n = put_utf8(dst, cp);
    return true;
  default:
    return fail(P, "bad escape '\\%c'", c);
  }
}

/*
** Parses a string starting at the opening quote. The raw length is an upper
** bound for the decoded length (every escape shrinks or keeps its size), so
** the bytes are decoded straight into one arena block.
*/
static bool parse_string(parser *P, const char **out, size_t *out_len) {
  const char *q = ++P->p;
  while (q < P->end && *q != '"') q += (*q == '\\' && q + 1 < P->end) ? 2 : 1;
  if (q >= P->end) return fail(P, "unterminated string");
  char *dst = arena_alloc(P, (size_t)(q - P->p) + 1);
  if (!dst) return false;
  size_t n = 0;
  while (*P->p != '"') {
    unsigned char c = (unsigned char)*P->p;
    if (c < 0x20) return fail(P, "control character in string");
    if (c != '\\') {
      dst[n++] = (char)c;
      P->p++;
      continue;
    }
    P->p++;
    size_t k = 0;
    if (!read_escape(P, dst + n, &k)) return false;
    n += k;
  }
  P->p++; /* closing quote */
  dst[n] = '\0';
  *out = dst;
  *out_len = n;
  return true;
}

/* Checks the JSON number grammar; keeps the text for exact conversion. */
static bool parse_number(parser *P, json_value *v) {
  const char *s = P->p, *q = s;
  if (q < P->end && *q == '-') q++;
  if (q >= P->end || *q < '0' || *q > '9') return fail(P, "bad number");
  if (*q == '0') q++;
  else while (q < P->end && *q >= '0' && *q <= '9') q++;
  if (q < P->end && *q == '.') {
    if (++q >= P->end || *q < '0' || *q > '9') return fail(P, "bad fraction");
    while (q < P->end && *q >= '0' && *q <= '9') q++;
  }
  if (q < P->end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < P->end && (*q == '+' || *q == '-')) q++;
    if (q >= P->end || *q < '0' || *q > '9') return fail(P, "bad exponent");
    while (q < P->end && *q >= '0' && *q <= '9') q++;
  }
  char *dst = arena_alloc(P, (size_t)(q - s) + 1);
  if (!dst) return false;
  memcpy(dst, s, (size_t)(q - s));
  dst[q - s] = '\0';
  v->kind = JSON_NUMBER;
  v->u.str = dst;
  v->len = (size_t)(q - s);
  P->p = q;
  return true;
}

static bool parse_value(parser *P, json_value *v);

/* A growable scratch buffer for the elements of one array or object. */
typedef struct scratch {
  void *data;
  size_t n, cap, elem;
} scratch;

static void *scratch_push(parser *P, scratch *s) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    void *d = realloc(s->data, cap * s->elem);
    if (!d) {
      fail(P, "out of memory");
      return NULL;
    }
    s->data = d;
    s->cap = cap;
  }
  return (char *)s->data + s->elem * s->n++;
}

/* Moves the scratch elements into the arena; frees the scratch buffer. */
static const void *scratch_finish(parser *P, scratch *s) {
  void *out = NULL;
  if (s->n > 0 && (out = arena_alloc(P, s->n * s->elem)) != NULL)
    memcpy(out, s->data, s->n * s->elem);
  free(s->data);
  s->data = NULL;
  return out;
}

/* Parses one object member "key": value into the scratch buffer. */
static bool parse_member(parser *P, scratch *s) {
  skip_ws(P);
  if (P->p >= P->end || *P->p != '"') return fail(P, "expected a member name");
  json_member *m = scratch_push(P, s);
  if (!m) return false;
  if (!parse_string(P, &m->key, &m->key_len)) return false;
  skip_ws(P);
  if (P->p >= P->end || *P->p != ':') return fail(P, "expected ':'");
  P->p++;
  return parse_value(P, &m->value);
}

/*
** Parses an array (is_object false) or an object starting at its opening
** bracket. Elements are parsed by parse_value / parse_member.
*/
static bool parse_container(parser *P, json_value *v, bool is_object) {
  char close = is_object ? '}' : ']';
  scratch s = {NULL, 0, 0, is_object ? sizeof(json_member) : sizeof(json_value)};
  bool ok = true;
  P->p++;
  skip_ws(P);
  if (P->p < P->end && *P->p == close) {
    P->p++;
  } else {
    for (;;) {
      if (is_object) ok = parse_member(P, &s);
      else {
        json_value *item = scratch_push(P, &s);
        ok = item && parse_value(P, item);
      }
      if (!ok) break;
      skip_ws(P);
      if (P->p < P->end && *P->p == ',') { P->p++; continue; }
      if (P->p < P->end && *P->p == close) { P->p++; break; }
      ok = fail(P, "expected ',' or '%c'", close);
      break;
    }
  }
  v->kind = is_object ? JSON_OBJECT : JSON_ARRAY;
  v->len = s.n;
  const void *data = scratch_finish(P, &s);
  if (is_object) v->u.members = data;
  else v->u.items = data;
  return ok && !P->failed;
}

static bool parse_literal(parser *P, json_value *v, const char *word,
                          json_kind kind, bool b) {
  size_t n = strlen(word);
  if ((size_t)(P->end - P->p) < n || memcmp(P->p, word, n) != 0)
    return fail(P, "unexpected character '%c'", *P->p);
  P->p += n;
  v->kind = kind;
  v->u.boolean = b;
  return true;
}

static bool parse_value(parser *P, json_value *v) {
  skip_ws(P);
  memset(v, 0, sizeof *v);
  v->line = P->line;
  if (P->p >= P->end) return fail(P, "unexpected end of text");
  if (++P->depth > JSON_MAX_DEPTH) return fail(P, "nesting too deep");
  bool ok;
  switch (*P->p) {
  case '{': ok = parse_container(P, v, true); break;
  case '[': ok = parse_container(P, v, false); break;
  case '"':
    v->kind = JSON_STRING;
    ok = parse_string(P, &v->u.str, &v->len);
    break;
  case 't': ok = parse_literal(P, v, "true", JSON_BOOL, true); break;
  case 'f': ok = parse_literal(P, v, "false", JSON_BOOL, false); break;
  case 'n': ok = parse_literal(P, v, "null", JSON_NULL, false); break;
  default: ok = parse_number(P, v); break;
  }
  P->depth--;
  return ok;
}

json_doc *json_parse(const char *text, size_t len, char *err, size_t errlen) {
  if (errlen > 0) err[0] = '\0';
  json_doc *doc = calloc(1, sizeof *doc);
  if (!doc) {
    if (errlen > 0) snprintf(err, errlen, "out of memory");
    return NULL;
  }
  parser P = {text, text + len, 1, 0, doc, err, errlen, false};
  if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) P.p += 3; /* BOM */
  bool ok = parse_value(&P, &doc->root);
  if (ok) {
    skip_ws(&P);
    if (P.p != P.end) ok = fail(&P, "trailing characters after the document");
  }
  if (!ok) {
    json_free(doc);
    return NULL;
  }
  return doc;
}

void json_free(json_doc *doc) {
  if (!doc) return;
  arena_chunk *c = doc->chunks;
  while (c) {
    arena_chunk *next = c->next;
    free(c);
    c = next;
  }
  free(doc);
}

const json_value *json_root(const json_doc *doc) { return doc ? &doc->root : NULL; }

const json_value *json_get(const json_value *obj, const char *key) {
  if (!obj || obj->kind != JSON_OBJECT) return NULL;
  size_t n = strlen(key);
  for (size_t i = 0; i < obj->len; i++) {
    const json_member *m = &obj->u.members[i];
    if (m->key_len == n && memcmp(m->key, key, n) == 0) return &m->value;
  }
  return NULL;
}

const char *json_string(const json_value *v, size_t *len) {
  if (!v || v->kind != JSON_STRING) return NULL;
  if (len) *len = v->len;
  return v->u.str;
}

bool json_is(const json_value *v, const char *s) {
  size_t n;
  const char *str = json_string(v, &n);
  return str && n == strlen(s) && memcmp(str, s, n) == 0;
}

bool json_u64(const json_value *v, uint64_t *out) {
  if (!v || (v->kind != JSON_STRING && v->kind != JSON_NUMBER) || v->len == 0)
    return false;
  uint64_t x = 0;
  for (size_t i = 0; i < v->len; i++) {
    char c = v->u.str[i];
    if (c < '0' || c > '9') return false;
    unsigned d = (unsigned)(c - '0');
    if (x > (UINT64_MAX - d) / 10) return false;
    x = x * 10 + d;
  }
  *out = x;
  return true;
}
