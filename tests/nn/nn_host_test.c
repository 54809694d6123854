/*
** nn_host_test.c — the wasi_ephemeral_nn host functions called directly,
** through their raw ABI, on a fake guest memory of exact size and with the
** fake backend (fake_backend.c) loaded by the real loader. Every errno is
** checked exactly, and so is the "wasi-nn:" line each error logs.
**
** Built without the engine (see CMakeLists.txt), so it runs — under ASan
** too — whatever state the interpreter is in.
*/
#include "nn_harness.h"
#include "nn/nn_internal.h" /* handle tables, tested directly */

static int setup(void **state) {
  *state = harness_new(NULL, FAKE_BACKEND_DIR);
  return 0;
}

static int teardown(void **state) {
  harness_free(*state);
  return 0;
}

/* Puts `model` at A_MODEL, one builder at A_BUILDERS, and calls load. */
static uint32_t load_model(harness *h, const char *model, uint32_t enc, uint32_t target) {
  return load_at(h, A_MODEL, model, strlen(model), enc, target);
}

/* Loads WTFAKE1 and makes a context; returns the context handle. */
static uint32_t ready_context(harness *h, uint32_t *graph) {
  assert_int_equal(load_model(h, "WTFAKE1", 3, 0), E_OK);
  uint32_t g = get_u32(h, A_OUT);
  if (graph) *graph = g;
  assert_int_equal(call_nn(h, "init_execution_context", 2, g, A_OUT), E_OK);
  return get_u32(h, A_OUT);
}

/* A [2,3] f32 input 0..5 at A_DATA, set as input 0. */
static void set_small_input(harness *h, uint32_t ctx) {
  float x[6] = {0, 1, 2, 3, 4, 5};
  put(h, A_DATA, x, sizeof x);
  put_tensor(h, (uint32_t[]){2, 3}, 2, 1, A_DATA, sizeof x);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
}

/* ---- happy path ------------------------------------------------------------ */

static void test_full_inference(void **state) {
  harness *h = *state;
  uint32_t ctx = ready_context(h, NULL);
  set_small_input(h, ctx);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 24u, A_OUT), E_OK);
  assert_int_equal(get_u32(h, A_OUT), 24);
  float y[6];
  memcpy(y, fake_memory_data(h->mem) + A_BUF, sizeof y);
  for (int i = 0; i < 6; i++) assert_true(y[i] == 2.0f * (float)i);
  /* Output 1 is i64 in its native dtype: the dims of input 0. */
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 1u, A_BUF, 100u, A_OUT), E_OK);
  assert_int_equal(get_u32(h, A_OUT), 16);
  int64_t d[2];
  memcpy(d, fake_memory_data(h->mem) + A_BUF, sizeof d);
  assert_true(d[0] == 2 && d[1] == 3);
  assert_int_equal(call_nn(h, "finalize_execution_context", 1, ctx), E_OK);
  expect_no_log(h);
}

static void test_options_reach_backend(void **state) {
  (void)state;
  nn_config cfg = {.threads = 3, .optimize = 1};
  harness *h = harness_new(&cfg, FAKE_BACKEND_DIR);
  uint32_t ctx = ready_context(h, NULL);
  set_small_input(h, ctx);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 2u, A_BUF, 8u, A_OUT), E_OK);
  assert_int_equal(get_u32(h, A_BUF), 3);
  assert_int_equal(get_u32(h, A_BUF + 4), 1);
  harness_free(h);
}

static void test_autodetect_encodings(void **state) {
  harness *h = *state;
  assert_int_equal(load_model(h, "WTFAKE1", 5, 0), E_OK);
  assert_int_equal(load_model(h, "WTFAKE1", 6, 0), E_OK);
  expect_no_log(h);
}

/* ---- load errors ----------------------------------------------------------- */

static void test_load_bad_encoding(void **state) {
  harness *h = *state;
  const uint32_t bad[] = {0, 1, 2, 4, 7, 100, 0xFFFFFFFFu};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(load_model(h, "WTFAKE1", bad[i], 0), E_ENC);
    expect_log(h, "wasi-nn: load: encoding");
  }
  assert_int_equal(load_model(h, "WTFAKE1", 1, 0), E_ENC);
  expect_log(h, "encoding 1 (onnx) is not available: only pytorch (3) is supported");
}

static void test_load_bad_target(void **state) {
  harness *h = *state;
  assert_int_equal(load_model(h, "WTFAKE1", 3, 3), E_ARG);
  expect_log(h, "wasi-nn: load: unknown execution target 3");
  assert_int_equal(load_model(h, "WTFAKE1", 3, 0xFFFFFFFFu), E_ARG);
  /* gpu and tpu are valid targets: the backend decides (the fake: cpu only). */
  assert_int_equal(load_model(h, "WTFAKE1", 3, 1), E_UNSUPPORTED);
  expect_log(h, "wasi-nn: load: only cpu is available");
  assert_int_equal(load_model(h, "WTFAKE1", 3, 2), E_UNSUPPORTED);
}

static void test_load_bad_builders(void **state) {
  harness *h = *state;
  put(h, A_MODEL, "WTFAKE1", 7);
  put_u32(h, A_BUILDERS, A_MODEL);
  put_u32(h, A_BUILDERS + 4, 7);
  put_u32(h, A_BUILDERS + 8, A_MODEL);
  put_u32(h, A_BUILDERS + 12, 7);
  assert_int_equal(call_nn(h, "load", 5, A_BUILDERS, 0u, 3u, 0u, A_OUT), E_ARG);
  expect_log(h, "exactly one builder");
  assert_int_equal(call_nn(h, "load", 5, A_BUILDERS, 2u, 3u, 0u, A_OUT), E_ARG);
  expect_log(h, "got 2");
  assert_int_equal(call_nn(h, "load", 5, WILD, 1u, 3u, 0u, A_OUT), E_ARG);
  expect_log(h, "builder array 0xfffffff0 (1 entries) is outside guest memory");
  /* Counts whose byte size overflows u32 or exceeds memory. */
  assert_int_equal(call_nn(h, "load", 5, A_BUILDERS, 0x20000000u, 3u, 0u, A_OUT), E_ARG);
  assert_int_equal(call_nn(h, "load", 5, A_BUILDERS, 0xFFFFFFFFu, 3u, 0u, A_OUT), E_ARG);
  assert_int_equal(call_nn(h, "load", 5, MEM_SIZE - 4, 1u, 3u, 0u, A_OUT), E_ARG);
  /* The builder's bytes outside memory, or straddling its end. */
  put_u32(h, A_BUILDERS, WILD);
  assert_int_equal(call_nn(h, "load", 5, A_BUILDERS, 1u, 3u, 0u, A_OUT), E_ARG);
  expect_log(h, "model bytes 0xfffffff0+7 are outside guest memory");
  put_u32(h, A_BUILDERS, MEM_SIZE - 6);
  assert_int_equal(call_nn(h, "load", 5, A_BUILDERS, 1u, 3u, 0u, A_OUT), E_ARG);
  /* The graph out-pointer outside memory: nothing is loaded. */
  put_u32(h, A_BUILDERS, A_MODEL);
  assert_int_equal(call_nn(h, "load", 5, A_BUILDERS, 1u, 3u, 0u, WILD), E_ARG);
  expect_log(h, "graph pointer 0xfffffff0 is outside guest memory");
  assert_int_equal(call_nn(h, "load", 5, A_BUILDERS, 1u, 3u, 0u, MEM_SIZE - 3), E_ARG);
}

static void test_load_corrupt_model(void **state) {
  harness *h = *state;
  put_u32(h, A_OUT, 0x12345678u);
  assert_int_equal(load_model(h, "NOTAMODEL", 3, 0), E_ARG);
  expect_log(h, "wasi-nn: load: not a model: bad magic");
  assert_int_equal(get_u32(h, A_OUT), 0x12345678u); /* untouched on failure */
  put_u32(h, A_BUILDERS, A_MODEL);
  put_u32(h, A_BUILDERS + 4, 0);
  assert_int_equal(call_nn(h, "load", 5, A_BUILDERS, 1u, 3u, 0u, A_OUT), E_ARG);
}

static void test_no_memory(void **state) {
  harness *h = *state;
  h->call.memory = NULL;
  assert_int_equal(call_nn(h, "load", 5, A_BUILDERS, 1u, 3u, 0u, A_OUT), E_ARG);
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 1u, A_OUT), E_ARG);
  assert_int_equal(call_nn(h, "get_output", 5, 1u, 0u, A_BUF, 4u, A_OUT), E_ARG);
}

/* ---- handles ------------------------------------------------------------------ */

static void test_bad_handles(void **state) {
  harness *h = *state;
  const uint32_t bogus[] = {0, 1, 1024, 0xFFFFFFFFu, 0x7FFFFFFFu};
  for (size_t i = 0; i < sizeof bogus / sizeof bogus[0]; i++) {
    uint32_t b = bogus[i];
    assert_int_equal(call_nn(h, "init_execution_context", 2, b, A_OUT), E_ARG);
    assert_int_equal(call_nn(h, "unload", 1, b), E_ARG);
    assert_int_equal(call_nn(h, "set_input", 3, b, 0u, A_TENSOR), E_ARG);
    assert_int_equal(call_nn(h, "compute", 1, b), E_ARG);
    assert_int_equal(call_nn(h, "get_output", 5, b, 0u, A_BUF, 4u, A_OUT), E_ARG);
    assert_int_equal(call_nn(h, "finalize_execution_context", 1, b), E_ARG);
  }
  expect_log(h, "wasi-nn: init_execution_context: unknown graph handle 0");
  /* A graph handle is not a context handle and vice versa. */
  uint32_t graph;
  uint32_t ctx = ready_context(h, &graph);
  assert_int_not_equal(graph, ctx);
  assert_int_equal(call_nn(h, "compute", 1, graph), E_ARG);
  assert_int_equal(call_nn(h, "init_execution_context", 2, ctx, A_OUT), E_ARG);
  expect_log(h, "unknown");
}

/* Freed handles stay dead even when their slot is reused. */
static void test_stale_handles(void **state) {
  harness *h = *state;
  uint32_t g1, g2;
  uint32_t c1 = ready_context(h, &g1);
  assert_int_equal(call_nn(h, "finalize_execution_context", 1, c1), E_OK);
  assert_int_equal(call_nn(h, "unload", 1, g1), E_OK);
  uint32_t c2 = ready_context(h, &g2);
  assert_int_not_equal(g1, g2);
  assert_int_not_equal(c1, c2);
  assert_int_equal(call_nn(h, "unload", 1, g1), E_ARG);
  assert_int_equal(call_nn(h, "init_execution_context", 2, g1, A_OUT), E_ARG);
  assert_int_equal(call_nn(h, "compute", 1, c1), E_ARG);
  assert_int_equal(call_nn(h, "finalize_execution_context", 1, c1), E_ARG);
  /* The new objects are unaffected. */
  set_small_input(h, c2);
  assert_int_equal(call_nn(h, "compute", 1, c2), E_OK);
}

/* A context keeps its graph alive after unload. */
static void test_unload_with_live_context(void **state) {
  harness *h = *state;
  uint32_t graph;
  uint32_t ctx = ready_context(h, &graph);
  assert_int_equal(call_nn(h, "unload", 1, graph), E_OK);
  set_small_input(h, ctx);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 24u, A_OUT), E_OK);
  /* nn_free (teardown) frees the context and with it the graph: ASan checks. */
}

/* Tables are bounded: the 1025th graph answers busy; unloading one helps. */
static void test_table_limit(void **state) {
  harness *h = *state;
  uint32_t first = 0;
  for (int i = 0; i < 1024; i++) {
    assert_int_equal(load_model(h, "WTFAKE1", 3, 0), E_OK);
    if (i == 0) first = get_u32(h, A_OUT);
  }
  assert_int_equal(load_model(h, "WTFAKE1", 3, 0), E_BUSY);
  expect_log(h, "too many open graphs (1024)");
  assert_int_equal(call_nn(h, "unload", 1, first), E_OK);
  assert_int_equal(load_model(h, "WTFAKE1", 3, 0), E_OK);
  assert_int_not_equal(get_u32(h, A_OUT), first);
}

/* A slot is retired once its generation would wrap, so no handle value is
** ever handed out twice. */
static void test_generation_retirement(void **state) {
  (void)state;
  nn_table *t = malloc(sizeof *t);
  assert_non_null(t);
  nn_table_init(t, NN_TAG_EXEC);
  int obj;
  uint32_t h = 0, prev = 0;
  for (uint32_t i = 1; i <= NN_GEN_MAX; i++) {
    assert_true(nn_table_add(t, &obj, &h));
    assert_int_equal(h, NN_TAG_EXEC | i << NN_INDEX_BITS); /* always slot 0 */
    assert_ptr_equal(nn_table_get(t, h), &obj);
    if (prev) assert_null(nn_table_get(t, prev));
    assert_ptr_equal(nn_table_remove(t, h), &obj);
    assert_null(nn_table_remove(t, h));
    prev = h;
  }
  assert_true(nn_table_add(t, &obj, &h));
  assert_int_equal(h, NN_TAG_EXEC | 1u << NN_INDEX_BITS | 1u); /* slot 0 retired */
  assert_null(nn_table_get(t, h & ~NN_TAG_EXEC)); /* wrong tag */
  free(t);
}

/* ---- set_input ---------------------------------------------------------------- */

static void test_set_input_ranges(void **state) {
  harness *h = *state;
  uint32_t ctx = ready_context(h, NULL);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, WILD), E_ARG);
  expect_log(h, "wasi-nn: set_input: tensor 0xfffffff0 is outside guest memory");
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, MEM_SIZE - 19), E_ARG);
  /* Tensor struct at the very end of memory is fine. */
  put_tensor(h, (uint32_t[]){1}, 1, 1, A_DATA, 4);
  memcpy(fake_memory_data(h->mem) + MEM_SIZE - 20, fake_memory_data(h->mem) + A_TENSOR, 20);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, MEM_SIZE - 20), E_OK);
  /* dims pointer wild */
  put_tensor(h, (uint32_t[]){1}, 1, 1, A_DATA, 4);
  put_u32(h, A_TENSOR, WILD);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
  expect_log(h, "dims array 0xfffffff0 (1 entries) is outside guest memory");
  /* data pointer wild, or straddling the end */
  put_tensor(h, (uint32_t[]){4}, 1, 1, WILD, 16);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
  expect_log(h, "tensor data 0xfffffff0+16 is outside guest memory");
  put_tensor(h, (uint32_t[]){4}, 1, 1, MEM_SIZE - 8, 16);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
}

static void test_set_input_shapes(void **state) {
  harness *h = *state;
  uint32_t ctx = ready_context(h, NULL);
  /* dims count huge */
  put_tensor(h, (uint32_t[]){1}, 1, 1, A_DATA, 4);
  put_u32(h, A_TENSOR + 4, 0xFFFFFFFFu);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
  expect_log(h, "tensor has 4294967295 dimensions (at most 32)");
  put_u32(h, A_TENSOR + 4, 33);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
  /* data length != product(dims) x element size: the message from the brief */
  put_tensor(h, (uint32_t[]){1, 3, 224, 224}, 4, 1, A_DATA, 100);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
  expect_log(h, "wasi-nn: set_input: data length 100 != 602112 (dims 1x3x224x224 f32)\n");
  put_tensor(h, (uint32_t[]){2, 3}, 2, 1, A_DATA, 25);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
  /* products that overflow 32 and 64 bits never match a length */
  put_tensor(h, (uint32_t[]){0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}, 3, 1, A_DATA, 4);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
  expect_log(h, "exceeds 4 GiB");
  put_tensor(h, (uint32_t[]){0x40000000u, 4}, 2, 1, A_DATA, 0);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
  /* unknown type (only byte 8 counts; padding is garbage in put_tensor) */
  put_tensor(h, (uint32_t[]){1}, 1, 6, A_DATA, 4);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
  expect_log(h, "unknown tensor type 6");
  /* an empty tensor passes the host's checks; the fake accepts it */
  put_tensor(h, (uint32_t[]){0, 5}, 2, 1, WILD, 0);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
  /* wrong input index, wrong dtype: the backend's answers */
  put_tensor(h, (uint32_t[]){2}, 1, 1, A_DATA, 8);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 1u, A_TENSOR), E_ARG);
  expect_log(h, "wasi-nn: set_input: input index out of range");
  put_tensor(h, (uint32_t[]){2}, 1, 3, A_DATA, 2); /* u8 */
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
  expect_log(h, "inputs must be f32");
}

/* Every type's element size, in both numberings. */
static void test_type_sizes(void **state) {
  (void)state;
  static const uint32_t size_new[] = {2, 4, 8, 1, 4, 8}, size_old[] = {2, 4, 1, 4};
  for (int legacy = 0; legacy < 2; legacy++) {
    nn_config cfg = {.legacy_types = legacy};
    harness *h = harness_new(&cfg, FAKE_BACKEND_DIR);
    uint32_t ctx = ready_context(h, NULL);
    const uint32_t *sizes = legacy ? size_old : size_new;
    uint32_t ntypes = legacy ? 4 : 6;
    for (uint32_t t = 0; t < ntypes; t++) {
      put_tensor(h, (uint32_t[]){3}, 1, (uint8_t)t, A_DATA, 3 * sizes[t] + 1);
      assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
      expect_log(h, "data length");
      put_tensor(h, (uint32_t[]){3}, 1, (uint8_t)t, A_DATA, 3 * sizes[t]);
      /* right length: host accepts; the fake takes only f32 (type 1 in both) */
      assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), t == 1 ? E_OK : E_ARG);
      if (t != 1) expect_log(h, "inputs must be f32");
    }
    put_tensor(h, (uint32_t[]){3}, 1, (uint8_t)ntypes, A_DATA, 12);
    assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_ARG);
    expect_log(h, legacy ? "unknown tensor type 4 (legacy order" : "unknown tensor type 6");
    harness_free(h);
  }
}

/* ---- compute and get_output --------------------------------------------------------- */

static void test_compute_errors(void **state) {
  harness *h = *state;
  uint32_t ctx = ready_context(h, NULL);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_RUNTIME);
  expect_log(h, "wasi-nn: compute: an input is not set");
  float bad[2] = {-1.0f, 0};
  put(h, A_DATA, bad, sizeof bad);
  put_tensor(h, (uint32_t[]){2}, 1, 1, A_DATA, 8);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 0u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_RUNTIME);
  /* one line per error, even for a multi-line backend message */
  const char *log = new_log(h);
  assert_string_equal(log, "wasi-nn: compute: forward failed\n");
  /* outputs of a failed compute are gone */
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 64u, A_OUT), E_RUNTIME);
}

static void test_get_output_errors(void **state) {
  harness *h = *state;
  uint32_t ctx = ready_context(h, NULL);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 64u, A_OUT), E_RUNTIME);
  expect_log(h, "wasi-nn: get_output: compute has not run");
  set_small_input(h, ctx);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
  /* too small: too_large and the required size */
  put_u32(h, A_OUT, 0);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 23u, A_OUT), E_TOO_LARGE);
  assert_int_equal(get_u32(h, A_OUT), 24);
  expect_log(h, "wasi-nn: get_output: output 0 needs 24 bytes, the buffer has 23");
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, WILD, 0u, A_OUT), E_TOO_LARGE);
  assert_int_equal(get_u32(h, A_OUT), 24);
  /* index out of range */
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 3u, A_BUF, 64u, A_OUT), E_ARG);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0xFFFFFFFFu, A_BUF, 64u, A_OUT), E_ARG);
  /* buffer or bytes_written outside memory */
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, WILD, 64u, A_OUT), E_ARG);
  expect_log(h, "output buffer 0xfffffff0+64 is outside guest memory");
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, MEM_SIZE - 23, 24u, A_OUT), E_ARG);
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, A_BUF, 64u, WILD), E_ARG);
  expect_log(h, "bytes_written pointer 0xfffffff0 is outside guest memory");
  /* exactly at the end of memory works */
  assert_int_equal(call_nn(h, "get_output", 5, ctx, 0u, MEM_SIZE - 24, 24u, MEM_SIZE - 4), E_OK);
  assert_int_equal(get_u32(h, MEM_SIZE - 4), 24);
}

/* Two contexts of one graph keep separate inputs and outputs. */
static void test_two_contexts(void **state) {
  harness *h = *state;
  uint32_t graph;
  uint32_t c1 = ready_context(h, &graph);
  assert_int_equal(call_nn(h, "init_execution_context", 2, graph, A_OUT2), E_OK);
  uint32_t c2 = get_u32(h, A_OUT2);
  assert_int_not_equal(c1, c2);
  set_small_input(h, c1);
  float one = 7.0f;
  put(h, A_DATA, &one, 4);
  put_tensor(h, (uint32_t[]){1}, 1, 1, A_DATA, 4);
  assert_int_equal(call_nn(h, "set_input", 3, c2, 0u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, c1), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, c2), E_OK);
  assert_int_equal(call_nn(h, "get_output", 5, c2, 0u, A_BUF, 4u, A_OUT), E_OK);
  float y;
  memcpy(&y, fake_memory_data(h->mem) + A_BUF, 4);
  assert_true(y == 14.0f);
  assert_int_equal(call_nn(h, "get_output", 5, c1, 0u, A_BUF, 64u, A_OUT), E_OK);
  assert_int_equal(get_u32(h, A_OUT), 24);
}

static void test_streaming_unsupported(void **state) {
  harness *h = *state;
  uint32_t ctx = ready_context(h, NULL);
  assert_int_equal(call_nn(h, "compute_single", 1, ctx), E_UNSUPPORTED);
  expect_log(h, "wasi-nn: compute_single: streaming inference is not supported");
  assert_int_equal(call_nn(h, "get_output_single", 5, ctx, 0u, A_BUF, 4u, A_OUT), E_UNSUPPORTED);
  assert_int_equal(call_nn(h, "fini_single", 1, ctx), E_UNSUPPORTED);
}

/* Every import has the exact wasi_ephemeral_nn signature. */
static void test_signatures(void **state) {
  harness *h = *state;
  static const char *const want[][2] = {
      {"load", "(iiiii)i"}, {"load_by_name", "(iii)i"},
      {"load_by_name_with_config", "(iiiii)i"}, {"init_execution_context", "(ii)i"},
      {"set_input", "(iii)i"}, {"compute", "(i)i"}, {"get_output", "(iiiii)i"},
      {"unload", "(i)i"}, {"finalize_execution_context", "(i)i"}, {"compute_single", "(i)i"},
      {"get_output_single", "(iiiii)i"}, {"fini_single", "(i)i"}};
  assert_string_equal(h->mod.name, "wasi_ephemeral_nn");
  assert_int_equal(h->mod.nfns, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    assert_string_equal(h->mod.fns[i].name, want[i][0]);
    assert_string_equal(h->mod.fns[i].signature, want[i][1]);
  }
}

/* ---- named models ---------------------------------------------------------- */

static harness *preloaded(void) {
  nn_preload p[2] = {{"m1", "PyTorch", "CPU", FAKE_MODEL_1},
                     {"two", "autodetect", "cpu", FAKE_MODEL_2}};
  nn_config cfg = {.preloads = p, .npreloads = 2};
  return harness_new(&cfg, FAKE_BACKEND_DIR);
}

static void test_load_by_name(void **state) {
  (void)state;
  harness *h = preloaded();
  put(h, A_NAME, "m1two", 5);
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 2u, A_OUT), E_OK);
  uint32_t g1 = get_u32(h, A_OUT);
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME + 2, 3u, A_OUT), E_OK);
  uint32_t g2 = get_u32(h, A_OUT);
  /* A second handle to the same shared model; unloading one keeps the other. */
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 2u, A_OUT), E_OK);
  uint32_t g3 = get_u32(h, A_OUT);
  assert_true(g1 != g2 && g1 != g3);
  assert_int_equal(call_nn(h, "unload", 1, g1), E_OK);
  assert_int_equal(call_nn(h, "unload", 1, g1), E_ARG);
  assert_int_equal(call_nn(h, "init_execution_context", 2, g3, A_OUT), E_OK);
  uint32_t ctx = get_u32(h, A_OUT);
  set_small_input(h, ctx);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
  /* "two" has two inputs */
  assert_int_equal(call_nn(h, "init_execution_context", 2, g2, A_OUT), E_OK);
  ctx = get_u32(h, A_OUT);
  set_small_input(h, ctx);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_RUNTIME);
  assert_int_equal(call_nn(h, "set_input", 3, ctx, 1u, A_TENSOR), E_OK);
  assert_int_equal(call_nn(h, "compute", 1, ctx), E_OK);
  assert_int_equal(call_nn(h, "unload", 1, g2), E_OK);
  assert_int_equal(call_nn(h, "unload", 1, g3), E_OK);
  /* the preload itself survives every handle being unloaded */
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 2u, A_OUT), E_OK);
  harness_free(h);
}

static void test_load_by_name_errors(void **state) {
  (void)state;
  harness *h = preloaded();
  put(h, A_NAME, "m1x/etc/passwd", 14);
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 3u, A_OUT), E_NOT_FOUND);
  expect_log(h, "wasi-nn: load_by_name: no model named 'm1x' was preloaded");
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 1u, A_OUT), E_NOT_FOUND);
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 0u, A_OUT), E_NOT_FOUND);
  /* a guest string is never a host path */
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME + 3, 11u, A_OUT), E_NOT_FOUND);
  assert_int_equal(call_nn(h, "load_by_name", 3, WILD, 2u, A_OUT), E_ARG);
  expect_log(h, "name 0xfffffff0+2 is outside guest memory");
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 0x7FFFFFFFu, A_OUT), E_ARG);
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 2u, WILD), E_ARG);
  /* a NUL inside the name never matches "m1" */
  put(h, A_NAME, "m1\0", 3);
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 3u, A_OUT), E_NOT_FOUND);
  expect_log(h, "no model named 'm1?'");
  put(h, A_NAME, "m1", 2);
  put(h, A_NAME + 0x40, "{\"threads\":2}", 13);
  assert_int_equal(call_nn(h, "load_by_name_with_config", 5, A_NAME, 2u, A_NAME + 0x40, 13u,
                           A_OUT), E_OK);
  assert_int_equal(call_nn(h, "load_by_name_with_config", 5, A_NAME, 2u, WILD, 13u, A_OUT), E_ARG);
  expect_log(h, "wasi-nn: load_by_name_with_config: config 0xfffffff0+13 is outside");
  assert_int_equal(call_nn(h, "load_by_name_with_config", 5, A_NAME, 2u, 0u, 0u, A_OUT), E_OK);
  assert_int_equal(call_nn(h, "load_by_name_with_config", 5, A_NAME, 3u, 0u, 0u, A_OUT),
                   E_NOT_FOUND);
  harness_free(h);
}

/* Without preloads, load_by_name needs no backend at all. */
static void test_load_by_name_without_preloads(void **state) {
  (void)state;
  harness *h = harness_new(NULL, "/nonexistent/backend/dir");
  put(h, A_NAME, "m1", 2);
  assert_int_equal(call_nn(h, "load_by_name", 3, A_NAME, 2u, A_OUT), E_NOT_FOUND);
  harness_free(h);
}

/* ---- nn_new and the loader ---------------------------------------------- */

static void expect_new_fails(const nn_preload *p, const char *dir, wt_status status,
                             const char *text) {
  nn_config cfg = {.preloads = p, .npreloads = p ? 1 : 0, .backend_dir = dir, .quiet = 1};
  wt_error err;
  assert_null(nn_new(&cfg, &err));
  assert_int_equal(err.status, status);
  if (!strstr(err.message, text)) fail_msg("message lacks \"%s\": %s", text, err.message);
}

static void test_bad_preloads(void **state) {
  (void)state;
  nn_preload p = {"m", "onnx", "cpu", FAKE_MODEL_1};
  expect_new_fails(&p, FAKE_BACKEND_DIR, WT_ERR_ARG, "this build has only the pytorch backend");
  p = (nn_preload){"m", "pytorch", "npu", FAKE_MODEL_1};
  expect_new_fails(&p, FAKE_BACKEND_DIR, WT_ERR_ARG, "unknown target 'npu'");
  p = (nn_preload){"m", "pytorch", "cpu", "/nonexistent/model.pt"};
  expect_new_fails(&p, FAKE_BACKEND_DIR, WT_ERR_IO, "--nn-preload m: cannot load "
                   "/nonexistent/model.pt: cannot open model file");
  p = (nn_preload){"m", "pytorch", "cpu", FAKE_CORRUPT};
  expect_new_fails(&p, FAKE_BACKEND_DIR, WT_ERR_IO, "bad magic");
  p = (nn_preload){"m", "pytorch", "gpu", FAKE_MODEL_1};
  expect_new_fails(&p, FAKE_BACKEND_DIR, WT_ERR_IO, "only cpu is available");
  p = (nn_preload){"m", "pytorch", "cpu", FAKE_MODEL_1};
  expect_new_fails(&p, "/nonexistent/dir", WT_ERR_IO, "is not installed; looked in "
                   "/nonexistent/dir");
  nn_preload twice[2] = {{"m", "pytorch", "cpu", FAKE_MODEL_1}, {"m", "pytorch", "cpu", FAKE_MODEL_2}};
  nn_config cfg = {.preloads = twice, .npreloads = 2, .backend_dir = FAKE_BACKEND_DIR};
  wt_error err;
  assert_null(nn_new(&cfg, &err));
  assert_int_equal(err.status, WT_ERR_ARG);
  assert_non_null(strstr(err.message, "the name is given twice"));
}

/* A missing or wrong backend: load answers unsupported_operation with a
** message saying where it looked, every time (the failure is cached). */
static void check_missing_backend(const char *dir, const char *text) {
  harness *h = harness_new(NULL, dir);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(load_model(h, "WTFAKE1", 3, 0), E_UNSUPPORTED);
    expect_log(h, text);
  }
  harness_free(h);
}

static void test_backend_missing(void **state) {
  (void)state;
  check_missing_backend("/nonexistent/dir", "wasi-nn: load: the PyTorch backend "
                        "(libwasitorch_torch.so) is not installed; looked in /nonexistent/dir");
  check_missing_backend(FAKE_ABI_DIR, "has backend ABI version 99, this runtime needs 1");
  check_missing_backend(FAKE_NOSYM_DIR, "has no symbol wasitorch_backend_pytorch");
  check_missing_backend(FAKE_BROKEN_DIR, "could not be loaded");
  harness *h = harness_new(NULL, FAKE_INITFAIL_DIR);
  assert_int_equal(load_model(h, "WTFAKE1", 3, 0), E_RUNTIME);
  expect_log(h, "failed to initialise: fake init failure");
  harness_free(h);
}

/* $WASITORCH_BACKEND_DIR is used when the config names no directory. */
static void test_backend_env(void **state) {
  (void)state;
  setenv("WASITORCH_BACKEND_DIR", FAKE_BACKEND_DIR, 1);
  harness *h = harness_new(NULL, NULL);
  assert_int_equal(load_model(h, "WTFAKE1", 3, 0), E_OK);
  harness_free(h);
  setenv("WASITORCH_BACKEND_DIR", "/nonexistent/env/dir", 1);
  h = harness_new(NULL, NULL);
  assert_int_equal(load_model(h, "WTFAKE1", 3, 0), E_UNSUPPORTED);
  expect_log(h, "looked in /nonexistent/env/dir");
  harness_free(h);
  unsetenv("WASITORCH_BACKEND_DIR");
}

static void test_quiet(void **state) {
  (void)state;
  nn_config cfg = {.quiet = 1};
  harness *h = harness_new(&cfg, FAKE_BACKEND_DIR);
  assert_int_equal(load_model(h, "WTFAKE1", 1, 0), E_ENC);
  expect_no_log(h);
  harness_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_full_inference, setup, teardown),
      cmocka_unit_test(test_options_reach_backend),
      cmocka_unit_test_setup_teardown(test_autodetect_encodings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_load_bad_encoding, setup, teardown),
      cmocka_unit_test_setup_teardown(test_load_bad_target, setup, teardown),
      cmocka_unit_test_setup_teardown(test_load_bad_builders, setup, teardown),
      cmocka_unit_test_setup_teardown(test_load_corrupt_model, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_memory, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_handles, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stale_handles, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unload_with_live_context, setup, teardown),
      cmocka_unit_test_setup_teardown(test_table_limit, setup, teardown),
      cmocka_unit_test(test_generation_retirement),
      cmocka_unit_test_setup_teardown(test_set_input_ranges, setup, teardown),
      cmocka_unit_test_setup_teardown(test_set_input_shapes, setup, teardown),
      cmocka_unit_test(test_type_sizes),
      cmocka_unit_test_setup_teardown(test_compute_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_get_output_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_two_contexts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_streaming_unsupported, setup, teardown),
      cmocka_unit_test_setup_teardown(test_signatures, setup, teardown),
      cmocka_unit_test(test_load_by_name),
      cmocka_unit_test(test_load_by_name_errors),
      cmocka_unit_test(test_load_by_name_without_preloads),
      cmocka_unit_test(test_bad_preloads),
      cmocka_unit_test(test_backend_missing),
      cmocka_unit_test(test_backend_env),
      cmocka_unit_test(test_quiet),
  };
  unsetenv("WASITORCH_BACKEND_DIR");
  return cmocka_run_group_tests(tests, NULL, NULL);
}
