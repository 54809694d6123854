/*
** json.h — a small, strict JSON reader for the spec-test runner.
**
** json_parse() turns a whole JSON text into a read-only tree. Every node
** lives in one arena owned by the json_doc, so json_free() releases it all
** at once. Strings are unescaped into exact bytes (a name may hold NUL
** bytes, see names.wast) and carry their length; they are also
** NUL-terminated for convenience. Numbers keep their source text, because
** the runner needs exact integers, never doubles.
**
** The reader never trusts its input: nesting depth is bounded, every byte
** is checked, and a bad text gives an error message with its line number
** instead of a crash.
*/
#ifndef WT_SPEC_JSON_H
#define WT_SPEC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum json_kind {
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER, /* u.str holds the number's text as written */
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT
} json_kind;

typedef struct json_value json_value;
typedef struct json_member json_member;

struct json_value {
  json_kind kind;
  uint32_t line; /* 1-based line of the value's first character */
  size_t len;    /* bytes of a string/number, items of an array/object */
  union {
    bool boolean;
    const char *str;             /* JSON_STRING, JSON_NUMBER */
    const json_value *items;     /* JSON_ARRAY */
    const json_member *members;  /* JSON_OBJECT, in source order */
  } u;
};

struct json_member {
  const char *key;
  size_t key_len;
  json_value value;
};

typedef struct json_doc json_doc;

/* Parses `len` bytes of `text`. On success returns the document (its root
** is json_root()); on failure returns NULL and writes "line N: why" to
** `err` (at most `errlen` bytes, NUL-terminated). */
json_doc *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(json_doc *doc);
const json_value *json_root(const json_doc *doc);

/* Member `key` of an object, or NULL when `obj` is NULL, not an object, or
** has no such member. The first of duplicate keys wins. */
const json_value *json_get(const json_value *obj, const char *key);

/* The bytes of a string value (and its length in *len when len != NULL),
** or NULL when `v` is NULL or not a string. */
const char *json_string(const json_value *v, size_t *len);

/* True when `v` is a string equal to the NUL-terminated `s`. */
bool json_is(const json_value *v, const char *s);

/* Reads a non-negative decimal integer written either as a JSON number or
** as a string of digits (the testsuite writes bit patterns as strings).
** Fails on anything else, including overflow past UINT64_MAX. */
bool json_u64(const json_value *v, uint64_t *out);

#endif /* WT_SPEC_JSON_H */
