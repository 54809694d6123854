/*
** nn_torch_host_test.c — the host module with the real PyTorch backend
** (build/lib/wasitorch/libwasitorch_torch.so, found by the loader) and the
** models of tools/make_test_models.py, still without the engine: checks
** the join between src/nn and src/nn/torch — type numbering (the echo
** models raise on a wrong dtype), output sizes, multiple outputs, errors.
*/
#include "nn_harness.h"

static size_t read_model(const char *name, void *buf, size_t cap) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", TORCH_MODELS, name);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s (run tools/make_test_models.py)", path);
  size_t n = fread(buf, 1, cap, f);
  assert_true(feof(f)); /* whole file read */
  fclose(f);
  return n;
}

/* Loads a model file through the guest's load(), returns the graph. */
static uint32_t load_file(harness *h, const char *name, uint32_t enc, uint32_t target,
                          uint32_t want) {
  static uint8_t bytes[MEM_SIZE - A_BIG];
  size_t n = read_model(name, bytes, sizeof bytes);
  assert_int_equal(load_at(h, A_BIG, bytes, n, enc, target), want);
  return get_u32(h, A_OUT);
}

static uint32_t new_context(harness *h, uint32_t graph) {
  assert_int_equal(call_nn(h, "init_execution_context", 2, graph, A_OUT), E_OK);
  return get_u32(h, A_OUT);
}

static int setup(void **state) {
  nn_config cfg = {.threads = 1};
  *state = harness_new(&cfg, TORCH_BACKEND_DIR);
  return 0;
}

static int teardown(void **state) {
  harness_free(*state);
  return 0;
}

static void test_linear(void **state) {
  harness *h = *state;
  uint32_t ctx = new_context(h, load_file(h, "linear.pt", 3, 0, E_OK));
  float x[4] = {1, 2, 3, 4}, y[3];
  put(h, A_DATA, x, sizeof x);
  put_tensor(h, (uint32_t[]){1, 4}, 2, 1, A_DATA, sizeof x);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 11u, A_OUT), E_TOO_LARGE);
  assert_int_equal(get_u32(h, A_OUT), 12);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 64u, A_OUT), E_OK);
  assert_int_equal(get_u32(h, A_OUT), 12);
  memcpy(y, fake_memory_data(h->mem) + A_BUF, sizeof y);
  /* W = arange(12)/4 as 3x4, b = (0.5, -1, 2): exact in binary */
  assert_true(y[0] == 5.5f && y[1] == 14.0f && y[2] == 27.0f);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 1u, A_BUF, 64u, A_OUT), E_ARG);
  expect_log(h, "wasi-nn: get_output: output index 1 out of range");
  /* wrong shape: the forward fails, no stale output survives */
  put_tensor(h, (uint32_t[]){1, 3}, 2, 1, A_DATA, 12);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_RUNTIME);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 64u, A_OUT), E_ARG);
  expect_log(h, "wasi-nn: compute: ");
}

/* Bit-exact round trip of every tensor type, both numberings. */
static void check_echo(const char *file, uint8_t code, uint32_t elem, bool legacy) {
  nn_config cfg = {.threads = 1, .legacy_types = legacy};
  harness *h = harness_new(&cfg, TORCH_BACKEND_DIR);
  uint32_t ctx = new_context(h, load_file(h, file, 3, 0, E_OK));
  uint8_t in[6 * 8];
  for (size_t i = 0; i < sizeof in; i++) in[i] = (uint8_t)(i * 37 + 11) & 0x3f; /* no NaN/inf */
  put(h, A_DATA, in, 6 * elem);
  put_tensor(h, (uint32_t[]){2, 3}, 2, code, A_DATA, 6 * elem);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 64u, A_OUT), E_OK);
  assert_int_equal(get_u32(h, A_OUT), 6 * elem);
  assert_memory_equal(fake_memory_data(h->mem) + A_BUF, in, 6 * elem);
  harness_free(h);
}

static void test_echo_types(void **state) {
  (void)state;
  check_echo("echo_f16.pt", 0, 2, false);
  check_echo("echo_f32.pt", 1, 4, false);
  check_echo("echo_f64.pt", 2, 8, false);
  check_echo("echo_u8.pt", 3, 1, false);
  check_echo("echo_i32.pt", 4, 4, false);
  check_echo("echo_i64.pt", 5, 8, false);
  check_echo("echo_f16.pt", 0, 2, true);
  check_echo("echo_f32.pt", 1, 4, true);
  check_echo("echo_u8.pt", 2, 1, true);
  check_echo("echo_i32.pt", 3, 4, true);
}

/* A dtype the model does not expect makes its forward raise. */
static void test_wrong_dtype(void **state) {
  harness *h = *state;
  uint32_t ctx = new_context(h, load_file(h, "echo_i32.pt", 3, 0, E_OK));
  put_tensor(h, (uint32_t[]){2}, 1, 1 /* f32 */, A_DATA, 8);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_RUNTIME);
  expect_log(h, "wt-test: unexpected input dtype");
}

static void test_tuple_outputs(void **state) {
  harness *h = *state;
  uint32_t ctx = new_context(h, load_file(h, "tuple2.pt", 3, 0, E_OK));
  float x[2] = {1, 2}, y[2];
  put(h, A_DATA, x, sizeof x);
  put_tensor(h, (uint32_t[]){2}, 1, 1, A_DATA, sizeof x);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 64u, A_OUT), E_OK);
  assert_int_equal(get_u32(h, A_OUT), 8);
  memcpy(y, fake_memory_data(h->mem) + A_BUF, 8);
  assert_true(y[0] == 2.0f && y[1] == 3.0f);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 1u, A_BUF, 64u, A_OUT), E_OK);
  assert_int_equal(get_u32(h, A_OUT), 4);
  memcpy(y, fake_memory_data(h->mem) + A_BUF, 4);
  assert_true(y[0] == 3.0f);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 2u, A_BUF, 64u, A_OUT), E_ARG);
}

static void test_load_errors(void **state) {
  harness *h = *state;
  load_file(h, "corrupt.pt", 3, 0, E_ARG);
  expect_log(h, "wasi-nn: load: ");
  load_file(h, "linear.pt", 3, 1, E_UNSUPPORTED);
  expect_log(h, "no CUDA");
  load_file(h, "linear.pt", 3, 2, E_UNSUPPORTED);
  load_file(h, "linear.pt", 1, 0, E_ENC);
  /* a zero-length model */
  assert_int_equal(load_at(h, A_BIG, "", 0, 3, 0), E_ARG);
  /* PyTorch Mobile format through the same call */
  load_file(h, "linear.ptl", 3, 0, E_OK);
}

static void test_raises_and_inputs(void **state) {
  harness *h = *state;
  uint32_t ctx = new_context(h, load_file(h, "raises.pt", 3, 0, E_OK));
  float neg[2] = {-1, -2};
  put(h, A_DATA, neg, sizeof neg);
  put_tensor(h, (uint32_t[]){2}, 1, 1, A_DATA, 8);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_RUNTIME);
  const char *log = new_log(h);
  assert_non_null(strstr(log, "wt-test: negative input"));
  assert_int_equal(strchr(log, '\n') - log + 1, (long)strlen(log)); /* one line */
  /* two_inputs.pt without its second input */
  ctx = new_context(h, load_file(h, "two_inputs.pt", 3, 0, E_OK));
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_ARG);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 1u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
}

static void test_preloads(void **state) {
  (void)state;
  nn_preload p[1] = {{"lin", "pytorch", "cpu", TORCH_MODELS "/linear_frozen.pt"}};
  nn_config cfg = {.preloads = p, .npreloads = 1, .optimize = 1};
  harness *h = harness_new(&cfg, TORCH_BACKEND_DIR);
  put(h, A_NAME, "lin", 3);
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 3u, A_OUT), E_OK);
  uint32_t ctx = new_context(h, get_u32(h, A_OUT));
  float x[8] = {1, 2, 3, 4, 0, 0, 0, 0}, y[6];
  put(h, A_DATA, x, sizeof x);
  put_tensor(h, (uint32_t[]){2, 4}, 2, 1, A_DATA, sizeof x);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 64u, A_OUT), E_OK);
  assert_int_equal(get_u32(h, A_OUT), 24);
  memcpy(y, fake_memory_data(h->mem) + A_BUF, sizeof y);
  assert_true(y[0] == 5.5f && y[1] == 14.0f && y[2] == 27.0f);
  assert_true(y[3] == 0.5f && y[4] == -1.0f && y[5] == 2.0f);
  harness_free(h);
  /* a corrupt preload stops nn_new with a clear error */
  p[0].path = TORCH_MODELS "/corrupt.pt";
  cfg.optimize = 0;
  wt_error err;
  assert_null(nn_new(&cfg, &err));
  assert_int_equal(err.status, WT_ERR_IO);
  assert_non_null(strstr(err.message, "--nn-preload lin: cannot load "));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_linear, setup, teardown),
      cmocka_unit_test(test_echo_types),
      cmocka_unit_test_setup_teardown(test_wrong_dtype, setup, teardown),
      cmocka_unit_test_setup_teardown(test_tuple_outputs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_raises_and_inputs, setup, teardown),
      cmocka_unit_test(test_preloads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
