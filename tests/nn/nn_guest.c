/*
** nn_guest.c — a wasm32-wasi guest that drives every wasi_ephemeral_nn
** import, through the raw ABI declared here (not the SDK header, so this
** test pins the ABI itself), and checks each returned errno exactly.
**
** Usage (run by CTest through the wasitorch CLI):
**   nn_guest fake  DIR    fake backend; DIR holds fake1.pt, fake2.pt,
**                         corrupt.pt; preloads: m = fake1.pt
**   nn_guest torch DIR    PyTorch backend; DIR holds the models of
**                         tools/make_test_models.py; preloads:
**                         m = linear.pt, raises = raises.pt, two = two_inputs.pt
** Both backends see the same calls; only a few answers differ and are
** chosen by mode (see `expect_*` below). Exit status 0 iff every check held.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NN_IMPORT(name) __attribute__((import_module("wasi_ephemeral_nn"), import_name(name)))
NN_IMPORT("load") uint32_t nn_load(uint32_t builders, uint32_t n, uint32_t enc, uint32_t target,
                                   uint32_t out_graph);
NN_IMPORT("load_by_name") uint32_t nn_load_by_name(uint32_t name, uint32_t len, uint32_t out_graph);
NN_IMPORT("load_by_name_with_config")
uint32_t nn_load_by_name_with_config(uint32_t name, uint32_t len, uint32_t config,
                                     uint32_t config_len, uint32_t out_graph);
NN_IMPORT("init_execution_context") uint32_t nn_init_execution_context(uint32_t graph, uint32_t out_ctx);
NN_IMPORT("set_input") uint32_t nn_set_input(uint32_t ctx, uint32_t index, uint32_t tensor);
NN_IMPORT("compute") uint32_t nn_compute(uint32_t ctx);
NN_IMPORT("get_output") uint32_t nn_get_output(uint32_t ctx, uint32_t index, uint32_t buf,
                                               uint32_t max, uint32_t out_written);
NN_IMPORT("unload") uint32_t nn_unload(uint32_t graph);
NN_IMPORT("finalize_execution_context") uint32_t nn_finalize_execution_context(uint32_t ctx);
NN_IMPORT("compute_single") uint32_t nn_compute_single(uint32_t ctx);
NN_IMPORT("get_output_single") uint32_t nn_get_output_single(uint32_t ctx, uint32_t index,
                                                             uint32_t buf, uint32_t max,
                                                             uint32_t out_written);
NN_IMPORT("fini_single") uint32_t nn_fini_single(uint32_t ctx);

enum { OK = 0, ARG = 1, ENC = 2, RUNTIME = 5, UNSUPPORTED = 6, TOO_LARGE = 7, NOT_FOUND = 8 };
enum { PYTORCH = 3, F32 = 1 };
#define WILD 0xFFFFFFF0u
#define P(x) ((uint32_t)(uintptr_t)(x))

static int failures, checks;
static int torch_mode;

static void check(const char *what, uint32_t got, uint32_t want, int line) {
  checks++;
  if (got == want) return;
  failures++;
  fprintf(stderr, "nn_guest:%d: %s: got %u, want %u\n", line, what, got, want);
}
#define EXPECT(call, want) check(#call, (call), (want), __LINE__)

typedef struct blob { uint8_t *data; uint32_t len; } blob;

static blob read_file(const char *dir, const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  blob b = {NULL, 0};
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "nn_guest: cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  b.data = malloc((size_t)n + 1);
  b.len = (uint32_t)fread(b.data, 1, (size_t)n, f);
  fclose(f);
  return b;
}

/* The 20-byte tensor record, with garbage in the padding after the type
** byte (hosts must read only byte 8). */
static uint32_t tensor[5];
static uint32_t make_tensor(const uint32_t *dims, uint32_t ndims, uint8_t type, uint32_t data,
                            uint32_t len) {
  tensor[0] = P(dims);
  tensor[1] = ndims;
  tensor[2] = 0xA5C3E100u | type;
  tensor[3] = data;
  tensor[4] = len;
  return P(tensor);
}

static uint32_t builders[4];
static uint32_t load_blob(blob b, uint32_t enc, uint32_t target, uint32_t *graph) {
  builders[0] = P(b.data);
  builders[1] = b.len;
  return nn_load(P(builders), 1, enc, target, P(graph));
}

static const uint32_t dims14[2] = {1, 4};
static float x14[4] = {1, 2, 3, 4};

/* load: every argument error, then a good load. */
static uint32_t test_load(blob model, blob corrupt) {
  uint32_t g = 0;
  EXPECT(load_blob(model, 1, 0, &g), ENC);          /* onnx */
  EXPECT(load_blob(model, 0, 0, &g), ENC);          /* openvino */
  EXPECT(load_blob(model, 4, 0, &g), ENC);          /* tensorflowlite */
  EXPECT(load_blob(model, 7, 0, &g), ENC);          /* unknown */
  EXPECT(load_blob(model, PYTORCH, 3, &g), ARG);    /* unknown target */
  EXPECT(load_blob(model, PYTORCH, 1, &g), UNSUPPORTED); /* gpu: the backend has none */
  EXPECT(nn_load(P(builders), 0, PYTORCH, 0, P(&g)), ARG);
  builders[2] = builders[0], builders[3] = builders[1];
  EXPECT(nn_load(P(builders), 2, PYTORCH, 0, P(&g)), ARG);
  EXPECT(nn_load(WILD, 1, PYTORCH, 0, P(&g)), ARG);
  EXPECT(nn_load(P(builders), 0x40000000u, PYTORCH, 0, P(&g)), ARG);
  EXPECT(nn_load(P(builders), 1, PYTORCH, 0, WILD), ARG);
  builders[0] = WILD;
  EXPECT(nn_load(P(builders), 1, PYTORCH, 0, P(&g)), ARG);
  EXPECT(load_blob(corrupt, PYTORCH, 0, &g), ARG);
  blob empty = {model.data, 0};
  EXPECT(load_blob(empty, PYTORCH, 0, &g), ARG);
  EXPECT(load_blob(model, 6, 0, &g), OK);           /* autodetect (WIT numbering) */
  EXPECT(nn_unload(g), OK);
  EXPECT(load_blob(model, PYTORCH, 0, &g), OK);
  return g;
}

/* set_input: host-side checks of the tensor record. */
static void test_set_input_errors(uint32_t ctx) {
  static const uint32_t huge[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
  EXPECT(nn_set_input(0xDEAD, 0, make_tensor(dims14, 2, F32, P(x14), 16)), ARG);
  EXPECT(nn_set_input(ctx, 0, WILD), ARG);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 0xFFFFFFFFu, F32, P(x14), 16)), ARG);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 1000, F32, P(x14), 16)), ARG);
  EXPECT(nn_set_input(ctx, 0, make_tensor((const uint32_t *)WILD, 2, F32, P(x14), 16)), ARG);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 2, F32, P(x14), 15)), ARG);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 2, F32, P(x14), 17)), ARG);
  EXPECT(nn_set_input(ctx, 0, make_tensor(huge, 3, F32, P(x14), 16)), ARG);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 2, F32, WILD, 16)), ARG);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 2, 6, P(x14), 16)), ARG);   /* type 6 */
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 2, 200, P(x14), 16)), ARG);
}

/* get_output: sizes, ranges and the values of the happy path. */
static void test_outputs(uint32_t ctx) {
  uint32_t written = 0;
  float y[8] = {0};
  /* fake: y = 2x, 16 bytes; torch linear.pt: y = W x + b, 12 bytes */
  const uint32_t need = torch_mode ? 12 : 16;
  const float want[4] = {5.5f, 14.0f, 27.0f, 0};
  EXPECT(nn_get_output(ctx, 0, P(y), need - 1, P(&written)), TOO_LARGE);
  EXPECT(written, need);
  written = 0;
  EXPECT(nn_get_output(ctx, 0, P(y), 0, P(&written)), TOO_LARGE);
  EXPECT(written, need);
  EXPECT(nn_get_output(ctx, 0, P(y), sizeof y, P(&written)), OK);
  EXPECT(written, need);
  for (int i = 0; i < (int)(need / 4); i++) {
    float w = torch_mode ? want[i] : 2 * x14[i];
    EXPECT(y[i] == w, 1);
  }
  EXPECT(nn_get_output(ctx, 5, P(y), sizeof y, P(&written)), ARG);
  EXPECT(nn_get_output(ctx, 0xFFFFFFFFu, P(y), sizeof y, P(&written)), ARG);
  EXPECT(nn_get_output(ctx, 0, WILD, 64, P(&written)), ARG);
  EXPECT(nn_get_output(ctx, 0, P(y), sizeof y, WILD), ARG);
  EXPECT(nn_get_output(0xDEAD, 0, P(y), sizeof y, P(&written)), ARG);
}

/* Wrong input index/count and shape: the backends answer differently. */
static void test_wrong_inputs(uint32_t g) {
  uint32_t ctx = 0, written;
  float y[8];
  static const uint32_t dims15[2] = {1, 5};
  static float x15[5] = {1, 2, 3, 4, 5};
  EXPECT(nn_init_execution_context(g, P(&ctx)), OK);
  /* get_output before compute: fake runtime_error, torch invalid_argument */
  EXPECT(nn_get_output(ctx, 0, P(y), sizeof y, P(&written)), torch_mode ? ARG : RUNTIME);
  EXPECT(nn_compute(ctx), torch_mode ? ARG : RUNTIME); /* no input set */
  /* a second input: the fake refuses at set_input, torch at compute */
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 2, F32, P(x14), 16)), OK);
  EXPECT(nn_set_input(ctx, 1, make_tensor(dims14, 2, F32, P(x14), 16)), torch_mode ? OK : ARG);
  if (torch_mode) EXPECT(nn_compute(ctx), ARG);
  EXPECT(nn_finalize_execution_context(ctx), OK);
  if (!torch_mode) return;
  /* wrong shape: linear.pt takes [*, 4]; the forward fails */
  EXPECT(nn_init_execution_context(g, P(&ctx)), OK);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims15, 2, F32, P(x15), 20)), OK);
  EXPECT(nn_compute(ctx), RUNTIME);
  EXPECT(nn_get_output(ctx, 0, P(y), sizeof y, P(&written)), ARG); /* no stale outputs */
  EXPECT(nn_finalize_execution_context(ctx), OK);
}

/* A forward that raises becomes runtime_error (fake: input starting -1). */
static void test_failing_forward(uint32_t g_raises) {
  uint32_t ctx = 0;
  static float neg[4] = {-1, -2, -3, -4};
  EXPECT(nn_init_execution_context(g_raises, P(&ctx)), OK);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 2, F32, P(neg), 16)), OK);
  EXPECT(nn_compute(ctx), RUNTIME);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 2, F32, P(x14), 16)), OK);
  EXPECT(nn_compute(ctx), OK); /* the context recovers */
  EXPECT(nn_finalize_execution_context(ctx), OK);
}

static void test_names(void) {
  uint32_t g = 0;
  static const char cfg[] = "{\"threads\":1}";
  EXPECT(nn_load_by_name(P("nope"), 4, P(&g)), NOT_FOUND);
  EXPECT(nn_load_by_name(P("m"), 0, P(&g)), NOT_FOUND);
  EXPECT(nn_load_by_name(P("/etc/passwd"), 11, P(&g)), NOT_FOUND);
  EXPECT(nn_load_by_name(WILD, 4, P(&g)), ARG);
  EXPECT(nn_load_by_name(P("m"), 1, WILD), ARG);
  EXPECT(nn_load_by_name_with_config(P("m"), 1, WILD, 5, P(&g)), ARG);
  EXPECT(nn_load_by_name_with_config(P("nope"), 4, P(cfg), sizeof cfg - 1, P(&g)), NOT_FOUND);
  EXPECT(nn_load_by_name_with_config(P("m"), 1, P(cfg), sizeof cfg - 1, P(&g)), OK);
  EXPECT(nn_unload(g), OK);
}

static void test_lifecycle(uint32_t g) {
  uint32_t ctx = 0, g2 = 0, ctx2 = 0;
  EXPECT(nn_init_execution_context(0xDEAD, P(&ctx)), ARG);
  EXPECT(nn_init_execution_context(g, WILD), ARG);
  EXPECT(nn_init_execution_context(g, P(&ctx)), OK);
  EXPECT(nn_init_execution_context(ctx, P(&ctx2)), ARG); /* a context is not a graph */
  EXPECT(nn_compute(g), ARG);                            /* nor a graph a context */
  EXPECT(nn_compute_single(ctx), UNSUPPORTED);
  EXPECT(nn_get_output_single(ctx, 0, 0, 0, 0), UNSUPPORTED);
  EXPECT(nn_fini_single(ctx), UNSUPPORTED);
  EXPECT(nn_unload(g), OK); /* the context keeps the graph alive */
  EXPECT(nn_unload(g), ARG);
  EXPECT(nn_init_execution_context(g, P(&ctx2)), ARG);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 2, F32, P(x14), 16)), OK);
  EXPECT(nn_compute(ctx), OK);
  EXPECT(nn_finalize_execution_context(ctx), OK);
  EXPECT(nn_finalize_execution_context(ctx), ARG);
  EXPECT(nn_compute(ctx), ARG);
  /* a new object in the freed slots does not answer to the old handles */
  EXPECT(nn_load_by_name(P("m"), 1, P(&g2)), OK);
  EXPECT(nn_init_execution_context(g2, P(&ctx2)), OK);
  EXPECT(g2 != g && ctx2 != ctx, 1);
  EXPECT(nn_compute(ctx), ARG);
  EXPECT(nn_unload(g), ARG);
  EXPECT(nn_finalize_execution_context(ctx2), OK);
  EXPECT(nn_unload(g2), OK);
}

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[1], "fake") && strcmp(argv[1], "torch"))) {
    fprintf(stderr, "usage: nn_guest fake|torch DIR\n");
    return 2;
  }
  torch_mode = !strcmp(argv[1], "torch");
  blob model = read_file(argv[2], torch_mode ? "linear.pt" : "fake1.pt");
  blob corrupt = read_file(argv[2], "corrupt.pt");
  uint32_t g = test_load(model, corrupt);
  uint32_t ctx = 0;
  EXPECT(nn_init_execution_context(g, P(&ctx)), OK);
  test_set_input_errors(ctx);
  EXPECT(nn_compute(0xDEAD), ARG);
  EXPECT(nn_set_input(ctx, 0, make_tensor(dims14, 2, F32, P(x14), 16)), OK);
  EXPECT(nn_compute(ctx), OK);
  test_outputs(ctx);
  EXPECT(nn_compute(ctx), OK); /* twice: outputs are fresh, same values */
  test_outputs(ctx);
  EXPECT(nn_finalize_execution_context(ctx), OK);
  test_wrong_inputs(g);
  uint32_t g_raises = g;
  if (torch_mode) EXPECT(nn_load_by_name(P("raises"), 6, P(&g_raises)), OK);
  test_failing_forward(g_raises);
  if (torch_mode) EXPECT(nn_unload(g_raises), OK);
  test_names();
  test_lifecycle(g);
  printf("nn_guest %s: %d checks, %d failed\n", argv[1], checks, failures);
  return failures ? 1 : 0;
}
