/*
** preload_test.c — unit tests of nn_parse_preload (no wasm, no backend).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "nn/nn.h"

static void expect_ok(const char *spec, const char *name, const char *enc, const char *target,
                      const char *path) {
  nn_preload p;
  char *storage = (char *)spec; /* must be replaced */
  wt_error err;
  if (!nn_parse_preload(spec, &p, &storage, &err)) fail_msg("'%s': %s", spec, err.message);
  assert_non_null(storage);
  assert_ptr_not_equal(storage, spec);
  assert_string_equal(p.name, name);
  assert_string_equal(p.encoding, enc);
  assert_string_equal(p.target, target);
  assert_string_equal(p.path, path);
  free(storage);
}

static void expect_bad(const char *spec, const char *text) {
  nn_preload p;
  char *storage = (char *)"sentinel";
  wt_error err;
  assert_false(nn_parse_preload(spec, &p, &storage, &err));
  assert_null(storage);
  assert_int_equal(err.status, WT_ERR_ARG);
  if (!strstr(err.message, text)) fail_msg("'%s': message lacks '%s': %s", spec, text, err.message);
  /* err may be NULL */
  storage = (char *)"sentinel";
  assert_false(nn_parse_preload(spec, &p, &storage, NULL));
  assert_null(storage);
}

static void test_valid(void **state) {
  (void)state;
  expect_ok("mobilenet:pytorch:cpu:models/mobilenet_v2.pt", "mobilenet", "pytorch", "cpu",
            "models/mobilenet_v2.pt");
  /* case-insensitive words kept as written; the path keeps its colons */
  expect_ok("m:PyTorch:GPU:/data/a:b:c.pt", "m", "PyTorch", "GPU", "/data/a:b:c.pt");
  expect_ok("default:AUTODETECT:Auto:x", "default", "AUTODETECT", "Auto", "x");
  expect_ok("n:ggml:tpu:C:\\model.gguf", "n", "ggml", "tpu", "C:\\model.gguf");
  expect_ok("a b:onnx:cpu: spaced path ", "a b", "onnx", "cpu", " spaced path ");
  for (const char *const *e = (const char *const[]){"openvino", "onnx", "tensorflow", "pytorch",
                                                    "tensorflowlite", "autodetect", "ggml", NULL};
       *e; e++) {
    char spec[64];
    snprintf(spec, sizeof spec, "x:%s:cpu:p", *e);
    expect_ok(spec, "x", *e, "cpu", "p");
  }
}

static void test_invalid(void **state) {
  (void)state;
  expect_bad("", "expected NAME:ENCODING:TARGET:PATH");
  expect_bad("model.pt", "expected NAME:ENCODING:TARGET:PATH, got 'model.pt'");
  expect_bad("m:pytorch", "expected NAME:ENCODING:TARGET:PATH");
  expect_bad("m:pytorch:cpu", "expected NAME:ENCODING:TARGET:PATH");
  expect_bad(":pytorch:cpu:p", "empty name");
  expect_bad("m::cpu:p", "empty encoding");
  expect_bad("m:pytorch::p", "empty target");
  expect_bad("m:pytorch:cpu:", "empty path");
  expect_bad("m:torch:cpu:p", "unknown encoding 'torch'");
  expect_bad("m:pytorch:npu:p", "unknown target 'npu'");
  expect_bad("m:cpu:pytorch:p", "unknown encoding 'cpu'");
  expect_bad(NULL, "no preload spec");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid),
      cmocka_unit_test(test_invalid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
