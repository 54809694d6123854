/*
** test_torch_backend.c — tests of the PyTorch backend through its C vtable.
**
** The backend is dlopen'ed exactly as src/nn does it, and every check goes
** through the nn_backend table, so these tests see what the WASI-NN host
** sees. Two groups, chosen by argv[1]:
**
**   basic      tiny models from tools/make_test_models.py: dtype round trips,
**              multiple outputs, error paths (bad index, short buffer, wrong
**              shape, corrupt bytes, gpu target, raising model), .ptl
**   mobilenet  MobileNetV2 from tools/export_mobilenet.py: the backend's
**              output must equal wt-native-ref's bytes exactly (same model,
**              threads and preparation) and be close to Python's reference
**
** Paths and options come from the environment (set by CTest):
**   WT_TORCH_BACKEND   path of libwasitorch_torch.so
**   WT_TORCH_MODELS    directory of the tiny test models
**   WT_MOBILENET_DIR   directory of the exported MobileNetV2 files
**   WT_MOBILENET_MODEL model file name in it (e.g. mobilenet_v2.pt)
**   WT_NATIVE_OUT      wt-native-ref's output for that model and options
**   WT_TORCH_THREADS, WT_TORCH_OPTIMIZE   backend options (default 0)
*/
#include <dlfcn.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nn/backend.h"

/* Per-group state: the backend and where the models are. */
typedef struct tb_state {
  void *lib;
  const nn_backend *be;
  const char *models;
  char msg[1024];
} tb_state;

/* A whole file in memory. */
typedef struct tb_file {
  uint8_t *data;
  size_t len;
} tb_file;

static const char *env_or_fail(const char *name) {
  const char *v = getenv(name);
  if (v == NULL || *v == '\0') fail_msg("environment variable %s is not set", name);
  return v;
}

static int env_int(const char *name) {
  const char *v = getenv(name);
  return v ? atoi(v) : 0;
}

static tb_file read_path(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) fail_msg("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  tb_file out = {malloc((size_t)n + 1), (size_t)n};
  assert_non_null(out.data);
  assert_int_equal(fread(out.data, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  return out;
}

static tb_file read_file(const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return read_path(path);
}

/* Opens the backend with the options from the environment. */
static int group_setup(void **state) {
  tb_state *st = calloc(1, sizeof *st);
  assert_non_null(st);
  const char *path = env_or_fail("WT_TORCH_BACKEND");
  st->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (st->lib == NULL) fail_msg("dlopen %s: %s", path, dlerror());
  nn_backend_entry entry = (nn_backend_entry)dlsym(st->lib, "wasitorch_backend_pytorch");
  assert_non_null(entry);
  st->be = entry();
  assert_non_null(st->be);
  nn_backend_options opts = {env_int("WT_TORCH_THREADS"), env_int("WT_TORCH_OPTIMIZE")};
  nn_errno rc = st->be->init(&opts, st->msg, sizeof st->msg);
  if (rc != NN_SUCCESS) fail_msg("init: %d %s", rc, st->msg);
  st->models = getenv("WT_TORCH_MODELS");
  *state = st;
  return 0;
}

static int group_teardown(void **state) {
  tb_state *st = *state;
  /* libtorch registers atexit handlers and thread pools: it must never be
  ** unloaded, so the handle is deliberately kept open. */
  free(st);
  return 0;
}

/* Loads models/<name> from bytes; asserts success. */
static void *load_ok(tb_state *st, const char *name) {
  tb_file f = read_file(st->models, name);
  void *g = NULL;
  nn_errno rc = st->be->load_bytes(f.data, f.len, NN_TARGET_CPU, &g, st->msg, sizeof st->msg);
  free(f.data);
  if (rc != NN_SUCCESS) fail_msg("load %s: %d %s", name, rc, st->msg);
  return g;
}

static void *context_ok(tb_state *st, void *graph) {
  void *ctx = NULL;
  assert_int_equal(st->be->init_context(graph, &ctx, st->msg, sizeof st->msg), NN_SUCCESS);
  return ctx;
}

static nn_errno set_input(tb_state *st, void *ctx, uint32_t index, nn_tensor_type type, const uint32_t *dims,
                          uint32_t ndims, const void *data, size_t size) {
  nn_tensor t = {dims, ndims, type, data, size};
  return st->be->set_input(ctx, index, &t, st->msg, sizeof st->msg);
}

static void compute_ok(tb_state *st, void *ctx) {
  nn_errno rc = st->be->compute(ctx, st->msg, sizeof st->msg);
  if (rc != NN_SUCCESS) fail_msg("compute: %d %s", rc, st->msg);
}

/* Copies output `index` into buf and asserts it has exactly `size` bytes. */
static void output_ok(tb_state *st, void *ctx, uint32_t index, void *buf, size_t size) {
  size_t written = 0;
  nn_errno rc = st->be->get_output(ctx, index, buf, size, &written, st->msg, sizeof st->msg);
  if (rc != NN_SUCCESS) fail_msg("get_output %u: %d %s", index, rc, st->msg);
  assert_int_equal(written, size);
}

/* The message must be one non-empty line containing `needle`. */
static void assert_msg(const tb_state *st, const char *needle) {
  print_message("  message: %s\n", st->msg);
  if (strstr(st->msg, needle) == NULL) fail_msg("message \"%s\" lacks \"%s\"", st->msg, needle);
  assert_null(strchr(st->msg, '\n'));
}

/* Deterministic bytes covering every bit pattern class (NaN payloads,
** negative zero, denormals) for the round-trip tests. */
static void fill_pattern(uint8_t *p, size_t n, uint32_t seed) {
  uint32_t x = seed * 2654435761u + 1u;
  for (size_t i = 0; i < n; i++) {
    x = x * 1664525u + 1013904223u;
    p[i] = (uint8_t)(x >> 24);
  }
}

/* ---------------------------------------------------------------------- */

static void test_table(void **state) {
  tb_state *st = *state;
  assert_int_equal(st->be->abi_version, NN_BACKEND_ABI_VERSION);
  assert_string_equal(st->be->name, "pytorch");
}

/* Each echo_<t>.pt checks the dtype it receives and returns a copy: the
** bytes must come back unchanged and the dtype mapping must be right. */
static void test_dtype_round_trip(void **state) {
  tb_state *st = *state;
  static const struct { const char *file; nn_tensor_type type; size_t elem; } cases[] = {
      {"echo_f16.pt", NN_TYPE_F16, 2}, {"echo_f32.pt", NN_TYPE_F32, 4}, {"echo_f64.pt", NN_TYPE_F64, 8},
      {"echo_u8.pt", NN_TYPE_U8, 1},   {"echo_i32.pt", NN_TYPE_I32, 4}, {"echo_i64.pt", NN_TYPE_I64, 8},
  };
  const uint32_t dims[3] = {2, 3, 5};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t size = 30 * cases[i].elem;
    uint8_t in[240], out[240];
    fill_pattern(in, size, (uint32_t)i + 1);
    memset(out, 0xEE, sizeof out);
    void *g = load_ok(st, cases[i].file);
    void *ctx = context_ok(st, g);
    assert_int_equal(set_input(st, ctx, 0, cases[i].type, dims, 3, in, size), NN_SUCCESS);
    compute_ok(st, ctx);
    output_ok(st, ctx, 0, out, size);
    assert_memory_equal(in, out, size);
    st->be->free_context(ctx);
    st->be->free_graph(g);
  }
}

/* An f32 tensor given to echo_f16.pt reaches the model as float32, and the
** model's own check fails: proof the type byte is honoured. */
static void test_dtype_is_passed(void **state) {
  tb_state *st = *state;
  void *g = load_ok(st, "echo_f16.pt");
  void *ctx = context_ok(st, g);
  const uint32_t dims[1] = {2};
  const float in[2] = {1.0f, 2.0f};
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 1, in, sizeof in), NN_SUCCESS);
  assert_int_equal(st->be->compute(ctx, st->msg, sizeof st->msg), NN_RUNTIME_ERROR);
  assert_msg(st, "unexpected input dtype");
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

static void test_cast_output_dtype(void **state) {
  tb_state *st = *state;
  void *g = load_ok(st, "cast_f64.pt");
  void *ctx = context_ok(st, g);
  const uint32_t dims[2] = {2, 2};
  const float in[4] = {1.5f, -2.25f, 1e-3f, 3e38f};
  double out[4];
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 2, in, sizeof in), NN_SUCCESS);
  compute_ok(st, ctx);
  output_ok(st, ctx, 0, out, sizeof out);
  for (int i = 0; i < 4; i++) assert_true(out[i] == (double)in[i]);
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

/* tuple2.pt returns (x + 1, x.sum()): two outputs of different sizes;
** asking for a third is invalid_argument. */
static void test_tuple_outputs(void **state) {
  tb_state *st = *state;
  void *g = load_ok(st, "tuple2.pt");
  void *ctx = context_ok(st, g);
  const uint32_t dims[1] = {4};
  const float in[4] = {1, 2, 3, 4};
  float plus1[4], sum = 0;
  size_t written = 99;
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 1, in, sizeof in), NN_SUCCESS);
  compute_ok(st, ctx);
  output_ok(st, ctx, 0, plus1, sizeof plus1);
  output_ok(st, ctx, 1, &sum, sizeof sum);
  for (int i = 0; i < 4; i++) assert_true(plus1[i] == in[i] + 1);
  assert_true(sum == 10.0f);
  assert_int_equal(st->be->get_output(ctx, 2, plus1, sizeof plus1, &written, st->msg, sizeof st->msg),
                   NN_INVALID_ARGUMENT);
  assert_msg(st, "out of range");
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

/* nested.pt → (x, [x*2, int32(x*3)]) flattens to three outputs in order;
** dict.pt → {"z": x, "a": sum} keeps insertion order (z first). */
static void test_nested_and_dict(void **state) {
  tb_state *st = *state;
  const uint32_t dims[1] = {3};
  const float in[3] = {1, -2, 4};
  float x[3], x2[3], s;
  int32_t x3[3];
  void *g = load_ok(st, "nested.pt");
  void *ctx = context_ok(st, g);
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 1, in, sizeof in), NN_SUCCESS);
  compute_ok(st, ctx);
  output_ok(st, ctx, 0, x, sizeof x);
  output_ok(st, ctx, 1, x2, sizeof x2);
  output_ok(st, ctx, 2, x3, sizeof x3);
  for (int i = 0; i < 3; i++) {
    assert_true(x[i] == in[i] && x2[i] == 2 * in[i]);
    assert_int_equal(x3[i], (int32_t)(3 * in[i]));
  }
  st->be->free_context(ctx);
  st->be->free_graph(g);

  g = load_ok(st, "dict.pt");
  ctx = context_ok(st, g);
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 1, in, sizeof in), NN_SUCCESS);
  compute_ok(st, ctx);
  output_ok(st, ctx, 0, x, sizeof x);
  output_ok(st, ctx, 1, &s, sizeof s);
  assert_true(x[1] == -2.0f && s == 3.0f);
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

/* two_inputs.pt computes a + 2b; a missing input is a clear error. */
static void test_two_inputs(void **state) {
  tb_state *st = *state;
  const uint32_t dims[1] = {2};
  const float a[2] = {1, 2}, b[2] = {10, 20};
  float out[2];
  void *g = load_ok(st, "two_inputs.pt");
  void *ctx = context_ok(st, g);
  /* Only input 1: input 0 is a gap. */
  assert_int_equal(set_input(st, ctx, 1, NN_TYPE_F32, dims, 1, b, sizeof b), NN_SUCCESS);
  assert_int_equal(st->be->compute(ctx, st->msg, sizeof st->msg), NN_INVALID_ARGUMENT);
  assert_msg(st, "input 0 was not set");
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 1, a, sizeof a), NN_SUCCESS);
  compute_ok(st, ctx);
  output_ok(st, ctx, 0, out, sizeof out);
  assert_true(out[0] == 21.0f && out[1] == 42.0f);
  st->be->free_context(ctx);

  /* Only one input for a two-input model. */
  ctx = context_ok(st, g);
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 1, a, sizeof a), NN_SUCCESS);
  assert_int_equal(st->be->compute(ctx, st->msg, sizeof st->msg), NN_INVALID_ARGUMENT);
  assert_msg(st, "forward");
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

/* A model that raises: runtime_error with the model's message, and the
** outputs of the previous successful compute are gone. */
static void test_raise_clears_outputs(void **state) {
  tb_state *st = *state;
  const uint32_t dims[1] = {2};
  const float pos[2] = {1, 2}, neg[2] = {-1, -2};
  float out[2];
  size_t written = 0;
  void *g = load_ok(st, "raises.pt");
  void *ctx = context_ok(st, g);
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 1, pos, sizeof pos), NN_SUCCESS);
  compute_ok(st, ctx);
  output_ok(st, ctx, 0, out, sizeof out);
  assert_true(out[0] == 2.0f && out[1] == 4.0f);
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 1, neg, sizeof neg), NN_SUCCESS);
  assert_int_equal(st->be->compute(ctx, st->msg, sizeof st->msg), NN_RUNTIME_ERROR);
  assert_msg(st, "wt-test: negative input");
  assert_int_not_equal(st->be->get_output(ctx, 0, out, sizeof out, &written, st->msg, sizeof st->msg),
                       NN_SUCCESS);
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

/* A second compute replaces the first one's outputs. */
static void test_compute_twice(void **state) {
  tb_state *st = *state;
  const uint32_t dims[1] = {2};
  const float a[2] = {1, 2}, b[2] = {5, 7};
  float out[2];
  void *g = load_ok(st, "tuple2.pt");
  void *ctx = context_ok(st, g);
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 1, a, sizeof a), NN_SUCCESS);
  compute_ok(st, ctx);
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 1, b, sizeof b), NN_SUCCESS);
  compute_ok(st, ctx);
  output_ok(st, ctx, 0, out, sizeof out);
  assert_true(out[0] == 6.0f && out[1] == 8.0f);
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

/* Runs linear.* on x = [1,2,3,4]: W = arange(12)/4 (3×4), b = [.5,-1,2]
** gives exactly [5.5, 14, 27]. */
static void check_linear(tb_state *st, void *g) {
  const uint32_t dims[2] = {1, 4};
  const float x[4] = {1, 2, 3, 4};
  float y[3];
  void *ctx = context_ok(st, g);
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 2, x, sizeof x), NN_SUCCESS);
  compute_ok(st, ctx);
  output_ok(st, ctx, 0, y, sizeof y);
  assert_true(y[0] == 5.5f && y[1] == 14.0f && y[2] == 27.0f);
  st->be->free_context(ctx);
}

/* .ptl files are recognised by content (bytes and path), frozen modules
** load without eval(), and a context outlives its freed graph. */
static void test_formats(void **state) {
  tb_state *st = *state;
  char path[4096];
  void *g = load_ok(st, "linear.ptl");
  check_linear(st, g);
  st->be->free_graph(g);
  g = load_ok(st, "linear_frozen.pt");
  check_linear(st, g);
  st->be->free_graph(g);
  snprintf(path, sizeof path, "%s/linear.ptl", st->models);
  g = NULL;
  assert_int_equal(st->be->load_path(path, NN_TARGET_CPU, &g, st->msg, sizeof st->msg), NN_SUCCESS);
  check_linear(st, g);
  st->be->free_graph(g);

  g = load_ok(st, "linear.pt");
  void *ctx = context_ok(st, g);
  st->be->free_graph(g);
  const uint32_t dims[2] = {1, 4};
  const float x[4] = {1, 2, 3, 4};
  float y[3];
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 2, x, sizeof x), NN_SUCCESS);
  compute_ok(st, ctx);
  output_ok(st, ctx, 0, y, sizeof y);
  assert_true(y[2] == 27.0f);
  st->be->free_context(ctx);
}

/* Short buffers get too_large plus the size; no outputs before compute. */
static void test_output_errors(void **state) {
  tb_state *st = *state;
  const uint32_t dims[2] = {1, 4};
  const float x[4] = {1, 2, 3, 4};
  float y[3];
  size_t written = 0;
  void *g = load_ok(st, "linear.pt");
  void *ctx = context_ok(st, g);
  assert_int_not_equal(st->be->get_output(ctx, 0, y, sizeof y, &written, st->msg, sizeof st->msg), NN_SUCCESS);
  assert_msg(st, "compute");
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 2, x, sizeof x), NN_SUCCESS);
  compute_ok(st, ctx);
  assert_int_equal(st->be->get_output(ctx, 0, y, 11, &written, st->msg, sizeof st->msg), NN_TOO_LARGE);
  assert_int_equal(written, 12);
  written = 0;
  assert_int_equal(st->be->get_output(ctx, 0, NULL, 0, &written, st->msg, sizeof st->msg), NN_TOO_LARGE);
  assert_int_equal(written, 12);
  assert_int_equal(st->be->get_output(ctx, 1, y, sizeof y, &written, st->msg, sizeof st->msg),
                   NN_INVALID_ARGUMENT);
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

/* A [1,5] input to a 4-feature linear layer fails in forward with
** libtorch's reason on one line. Bad tensors fail already in set_input. */
static void test_bad_inputs(void **state) {
  tb_state *st = *state;
  const uint32_t dims5[2] = {1, 5}, dims4[2] = {1, 4};
  const float x[5] = {1, 2, 3, 4, 5};
  void *g = load_ok(st, "linear.pt");
  void *ctx = context_ok(st, g);
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims5, 2, x, sizeof x), NN_SUCCESS);
  assert_int_equal(st->be->compute(ctx, st->msg, sizeof st->msg), NN_RUNTIME_ERROR);
  assert_msg(st, "mat1 and mat2 shapes cannot be multiplied");
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims4, 2, x, sizeof x), NN_INVALID_ARGUMENT);
  assert_int_equal(set_input(st, ctx, 0, (nn_tensor_type)9, dims4, 2, x, 16), NN_INVALID_ARGUMENT);
  assert_int_equal(set_input(st, ctx, 100000, NN_TYPE_F32, dims4, 2, x, 16), NN_INVALID_ARGUMENT);
  st->be->free_context(ctx);
  st->be->free_graph(g);

  /* linear.ptl declares "f32 -1,4": the same input is refused up front. */
  g = load_ok(st, "linear.ptl");
  ctx = context_ok(st, g);
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims5, 2, x, sizeof x), NN_SUCCESS);
  assert_int_equal(st->be->compute(ctx, st->msg, sizeof st->msg), NN_INVALID_ARGUMENT);
  assert_msg(st, "the model takes");
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

/* Corrupt, empty, garbage and missing models are errors with a reason;
** gpu and tpu targets are unsupported. */
static void test_bad_models(void **state) {
  tb_state *st = *state;
  void *g = NULL;
  tb_file f = read_file(st->models, "corrupt.pt");
  nn_errno rc = st->be->load_bytes(f.data, f.len, NN_TARGET_CPU, &g, st->msg, sizeof st->msg);
  free(f.data);
  assert_true(rc == NN_INVALID_ARGUMENT || rc == NN_INVALID_ENCODING);
  assert_true(strlen(st->msg) > 10);
  assert_null(strchr(st->msg, '\n'));
  const uint8_t junk[64] = "this is not a zip file at all, only text";
  rc = st->be->load_bytes(junk, sizeof junk, NN_TARGET_CPU, &g, st->msg, sizeof st->msg);
  assert_true(rc == NN_INVALID_ARGUMENT || rc == NN_INVALID_ENCODING);
  assert_int_equal(st->be->load_bytes(junk, 0, NN_TARGET_CPU, &g, st->msg, sizeof st->msg), NN_INVALID_ARGUMENT);
  char path[4096];
  snprintf(path, sizeof path, "%s/corrupt.pt", st->models);
  rc = st->be->load_path(path, NN_TARGET_CPU, &g, st->msg, sizeof st->msg);
  assert_true(rc == NN_INVALID_ARGUMENT || rc == NN_INVALID_ENCODING);
  assert_msg(st, "corrupt.pt");
  snprintf(path, sizeof path, "%s/no-such-model.pt", st->models);
  assert_int_equal(st->be->load_path(path, NN_TARGET_CPU, &g, st->msg, sizeof st->msg), NN_NOT_FOUND);

  f = read_file(st->models, "linear.pt");
  assert_int_equal(st->be->load_bytes(f.data, f.len, NN_TARGET_GPU, &g, st->msg, sizeof st->msg),
                   NN_UNSUPPORTED_OPERATION);
  assert_msg(st, "CUDA");
  assert_int_equal(st->be->load_bytes(f.data, f.len, NN_TARGET_TPU, &g, st->msg, sizeof st->msg),
                   NN_UNSUPPORTED_OPERATION);
  assert_int_equal(st->be->load_bytes(f.data, f.len, (nn_target)7, &g, st->msg, sizeof st->msg),
                   NN_INVALID_ARGUMENT);
  assert_msg(st, "unknown execution target 7");
  free(f.data);
}

/* ---------------------------------------------------------------------- */

static uint32_t argmax(const float *v, size_t n) {
  uint32_t best = 0;
  for (uint32_t i = 1; i < n; i++)
    if (v[i] > v[best]) best = i;
  return best;
}

/* MobileNetV2 through the backend equals wt-native-ref bit for bit and is
** within float noise of the Python reference. */
static void test_mobilenet(void **state) {
  tb_state *st = *state;
  const char *dir = env_or_fail("WT_MOBILENET_DIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, env_or_fail("WT_MOBILENET_MODEL"));
  void *g = NULL;
  nn_errno rc = st->be->load_path(path, NN_TARGET_CPU, &g, st->msg, sizeof st->msg);
  if (rc != NN_SUCCESS) fail_msg("load %s: %d %s", path, rc, st->msg);
  void *ctx = context_ok(st, g);
  tb_file in = read_file(dir, "mobilenet_input.bin");
  tb_file py = read_file(dir, "mobilenet_output.bin");
  tb_file native = read_path(env_or_fail("WT_NATIVE_OUT"));
  const uint32_t dims[4] = {1, 3, 224, 224};
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, dims, 4, in.data, in.len), NN_SUCCESS);
  compute_ok(st, ctx);
  float out[1000];
  output_ok(st, ctx, 0, out, sizeof out);
  assert_int_equal(native.len, sizeof out);
  assert_memory_equal(out, native.data, sizeof out);
  const float *ref = (const float *)(const void *)py.data;
  double max_diff = 0;
  for (int i = 0; i < 1000; i++) max_diff = fmax(max_diff, fabs((double)out[i] - (double)ref[i]));
  print_message("max |backend - python| = %g\n", max_diff);
  assert_true(max_diff < 1e-4);
  assert_int_equal(argmax(out, 1000), argmax(ref, 1000));

  /* One channel instead of three: refused by the declared input spec (a
  ** .ptl would otherwise read out of bounds in XNNPACK), no crash. */
  const uint32_t bad[4] = {1, 1, 224, 224};
  assert_int_equal(set_input(st, ctx, 0, NN_TYPE_F32, bad, 4, in.data, in.len / 3), NN_SUCCESS);
  assert_int_equal(st->be->compute(ctx, st->msg, sizeof st->msg), NN_INVALID_ARGUMENT);
  assert_msg(st, "the model takes");
  free(in.data);
  free(py.data);
  free(native.data);
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

int main(int argc, char **argv) {
  const struct CMUnitTest basic[] = {
      cmocka_unit_test(test_table),           cmocka_unit_test(test_dtype_round_trip),
      cmocka_unit_test(test_dtype_is_passed), cmocka_unit_test(test_cast_output_dtype),
      cmocka_unit_test(test_tuple_outputs),   cmocka_unit_test(test_nested_and_dict),
      cmocka_unit_test(test_two_inputs),      cmocka_unit_test(test_raise_clears_outputs),
      cmocka_unit_test(test_compute_twice),   cmocka_unit_test(test_formats),
      cmocka_unit_test(test_output_errors),   cmocka_unit_test(test_bad_inputs),
      cmocka_unit_test(test_bad_models),
  };
  const struct CMUnitTest mobilenet[] = {cmocka_unit_test(test_mobilenet)};
  if (argc > 1 && strcmp(argv[1], "mobilenet") == 0)
    return cmocka_run_group_tests_name("torch_mobilenet", mobilenet, group_setup, group_teardown);
  if (argc > 1 && strcmp(argv[1], "basic") == 0)
    return cmocka_run_group_tests_name("torch_basic", basic, group_setup, group_teardown);
  fprintf(stderr, "usage: %s basic|mobilenet\n", argv[0]);
  return 2;
}
