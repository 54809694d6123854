/*
** test_json.c — unit tests of the runner's JSON reader (json.h).
**
** The runner trusts json.c with every script, so it must give exact bytes
** for the testsuite's escapes (names.wast holds NUL and control characters)
** and reject every malformed text with a line number instead of crashing.
** Every truncation of a valid document is also parsed: each must fail.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

typedef struct tally {
  int run, failed;
} tally;

static void check(tally *t, int ok, const char *what, int line) {
  t->run++;
  if (!ok) {
    t->failed++;
    printf("FAIL line %d: %s\n", line, what);
  }
}
#define CHECK(t, cond) check((t), (cond), #cond, __LINE__)

static const char sample[] =
    "{\"source_filename\": \"../wast/x.wast\",\n"
    " \"commands\": [\n"
    "  {\"type\": \"module\", \"line\": 3, \"filename\": \"x.0.wasm\"},\n"
    "  {\"type\": \"assert_return\", \"line\": 637, \"action\": {\"type\": \"invoke\",\n"
    "   \"field\": \"\\u0000\\u0001\\u005c\\u0022\\n\", \"args\": []},\n"
    "   \"expected\": [{\"type\": \"i64\", \"value\": \"18446744073709551615\"}]},\n"
    "  {\"x\": [true, false, null, -1.5e+3, 0, \"\\ud83d\\ude00\\u00e9/\\/\"]}\n"
    " ]}\n";

static void test_sample(tally *t) {
  char err[128];
  json_doc *doc = json_parse(sample, sizeof sample - 1, err, sizeof err);
  CHECK(t, doc != NULL);
  if (!doc) return;
  const json_value *cmds = json_get(json_root(doc), "commands");
  CHECK(t, cmds && cmds->kind == JSON_ARRAY && cmds->len == 3);
  CHECK(t, cmds && cmds->line == 2);
  const json_value *c1 = &cmds->u.items[1];
  CHECK(t, c1->line == 4);
  size_t len = 0;
  const char *field = json_string(json_get(json_get(c1, "action"), "field"), &len);
  CHECK(t, field && len == 5 && memcmp(field, "\0\1\\\"\n", 5) == 0);
  uint64_t v = 0;
  const json_value *exp = json_get(c1, "expected");
  CHECK(t, exp && exp->len == 1 && json_u64(json_get(&exp->u.items[0], "value"), &v) &&
               v == UINT64_MAX);
  CHECK(t, json_u64(json_get(c1, "line"), &v) && v == 637);
  CHECK(t, json_is(json_get(&cmds->u.items[0], "type"), "module"));
  CHECK(t, json_get(&cmds->u.items[0], "nope") == NULL);
  CHECK(t, json_get(cmds, "type") == NULL); /* not an object */
  const json_value *x = json_get(&cmds->u.items[2], "x");
  CHECK(t, x && x->len == 6 && x->u.items[0].kind == JSON_BOOL && x->u.items[0].u.boolean);
  CHECK(t, x && x->u.items[2].kind == JSON_NULL && x->u.items[3].kind == JSON_NUMBER);
  CHECK(t, x && !json_u64(&x->u.items[3], &v)); /* -1.5e+3 is no u64 */
  CHECK(t, x && json_u64(&x->u.items[4], &v) && v == 0);
  CHECK(t, x && json_is(&x->u.items[5], "\xf0\x9f\x98\x80\xc3\xa9//"));
  json_free(doc);
}

/* Each text must be rejected, with the error on line `line`. */
static void test_rejects(tally *t) {
  static const struct {
    const char *text;
    int line;
  } bad[] = {
      {"", 1}, {"{", 1}, {"[1,]", 1}, {"{\"a\" 1}", 1}, {"{\"a\":1,}", 1},
      {"\"abc", 1}, {"\"a\\x\"", 1}, {"\"\\u12\"", 1}, {"\"\\ud800\"", 1},
      {"\"\\udc00\"", 1}, {"\"\\ud800\\u0041\"", 1}, {"\"a\tb\"", 1}, {"01", 1},
      {"1.", 1}, {"1e", 1}, {"-", 1}, {"tru", 1}, {"nul", 1}, {"[1] 2", 1},
      {"{1:2}", 1}, {"\n\n  [1,\n  x]", 4}, {"[\n\"\\", 2},
  };
  char err[128];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_doc *doc = json_parse(bad[i].text, strlen(bad[i].text), err, sizeof err);
    char want[32];
    snprintf(want, sizeof want, "line %d:", bad[i].line);
    check(t, doc == NULL && strncmp(err, want, strlen(want)) == 0, bad[i].text, __LINE__);
    json_free(doc);
  }
}

static void test_depth_and_prefixes(tally *t) {
  char deep[400], err[128];
  memset(deep, '[', 200);
  memset(deep + 200, ']', 200);
  json_doc *doc = json_parse(deep, sizeof deep, err, sizeof err);
  CHECK(t, doc == NULL && strstr(err, "deep") != NULL);
  json_free(doc);
  /* Every proper prefix of the sample is incomplete JSON. Copies to the heap
  ** so that ASan sees any read past the given length. */
  size_t n = sizeof sample - 1;
  int accepted = 0;
  for (size_t k = 0; k < n; k++) {
    char *copy = malloc(k + 1);
    if (!copy) break;
    memcpy(copy, sample, k);
    doc = json_parse(copy, k, err, sizeof err);
    /* The sample ends in "]}\n": only the prefix missing just "\n" is valid. */
    if (doc && k != n - 1) accepted++;
    json_free(doc);
    free(copy);
  }
  CHECK(t, accepted == 0);
}

static void test_u64(tally *t) {
  char err[64];
  const char *text = "[\"18446744073709551616\", \"12a\", \"\", 42, \"007\"]";
  json_doc *doc = json_parse(text, strlen(text), err, sizeof err);
  const json_value *a = json_root(doc);
  uint64_t v = 0;
  CHECK(t, doc && a->len == 5);
  if (!doc) return;
  CHECK(t, !json_u64(&a->u.items[0], &v)); /* overflow */
  CHECK(t, !json_u64(&a->u.items[1], &v));
  CHECK(t, !json_u64(&a->u.items[2], &v));
  CHECK(t, json_u64(&a->u.items[3], &v) && v == 42);
  CHECK(t, json_u64(&a->u.items[4], &v) && v == 7);
  CHECK(t, !json_u64(NULL, &v));
  json_free(doc);
}

int main(void) {
  tally t = {0, 0};
  test_sample(&t);
  test_rejects(&t);
  test_depth_and_prefixes(&t);
  test_u64(&t);
  printf("%d checks, %d failed\n", t.run, t.failed);
  return t.failed ? 1 : 0;
}
