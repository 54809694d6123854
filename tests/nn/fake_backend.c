/*
** fake_backend.c — a deterministic stand-in for the PyTorch backend, built
** as libwasitorch_torch.so in test folders, so the host module, the loader
** and the guest ABI can be tested exactly without libtorch.
**
** Model format: the bytes "WTFAKE" followed by one digit N (1..4), the
** number of inputs. Anything else is a corrupt model (invalid_argument).
** Only target cpu is available (gpu/tpu: unsupported_operation).
** Inputs must be f32. compute() needs every input set; it fails with
** runtime_error when input 0 starts with -1.0 (a "failing forward"), and
** produces three outputs, cleared on every compute:
**   0  f32, input 0 times 2
**   1  i64, the dims of input 0
**   2  i32, {threads, optimize} as given to init (checks option passing)
** get_output before compute: runtime_error; index > 2: invalid_argument;
** too small a buffer: too_large with *written = the required size.
**
** Variants (compile definitions): FAKE_ABI=n reports ABI version n,
** FAKE_NO_SYMBOL leaves out the entry point, FAKE_INIT_FAILS fails init.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/backend.h"

#ifndef FAKE_ABI
#define FAKE_ABI NN_BACKEND_ABI_VERSION
#endif
#define MAX_IN 4
#define NOUT 3

typedef struct fake_graph { int ninputs; } fake_graph;

typedef struct buffer { void *data; size_t size; } buffer;

typedef struct fake_ctx {
  const fake_graph *graph;
  buffer in[MAX_IN];
  uint32_t in0_dims[32];
  uint32_t in0_ndims;
  buffer out[NOUT];
  int computed;
} fake_ctx;

/* Backend options live in the backend's own state; a test library may keep
** this one static since each test process loads it once. */
static nn_backend_options g_opts;

static nn_errno fail(nn_errno rc, char *msg, size_t len, const char *text) {
  snprintf(msg, len, "%s", text);
  return rc;
}

static nn_errno fake_init(const nn_backend_options *opts, char *msg, size_t len) {
#ifdef FAKE_INIT_FAILS
  (void)opts;
  return fail(NN_RUNTIME_ERROR, msg, len, "fake init failure");
#else
  g_opts = *opts;
  (void)msg, (void)len;
  return NN_SUCCESS;
#endif
}

static nn_errno fake_load_bytes(const uint8_t *bytes, size_t n, nn_target target, void **graph,
                                char *msg, size_t len) {
  if (n != 7 || memcmp(bytes, "WTFAKE", 6) || bytes[6] < '1' || bytes[6] > '0' + MAX_IN)
    return fail(NN_INVALID_ARGUMENT, msg, len, "not a model: bad magic");
  if (target != NN_TARGET_CPU)
    return fail(NN_UNSUPPORTED_OPERATION, msg, len, "only cpu is available");
  fake_graph *g = malloc(sizeof *g);
  if (!g) return fail(NN_RUNTIME_ERROR, msg, len, "oom");
  g->ninputs = bytes[6] - '0';
  *graph = g;
  return NN_SUCCESS;
}

static nn_errno fake_load_path(const char *path, nn_target target, void **graph, char *msg,
                               size_t len) {
  uint8_t bytes[16];
  FILE *f = fopen(path, "rb");
  if (!f) return fail(NN_NOT_FOUND, msg, len, "cannot open model file");
  size_t n = fread(bytes, 1, sizeof bytes, f);
  fclose(f);
  return fake_load_bytes(bytes, n, target, graph, msg, len);
}

static void fake_free_graph(void *graph) { free(graph); }

static nn_errno fake_init_context(void *graph, void **ctx, char *msg, size_t len) {
  fake_ctx *c = calloc(1, sizeof *c);
  if (!c) return fail(NN_RUNTIME_ERROR, msg, len, "oom");
  c->graph = graph;
  *ctx = c;
  return NN_SUCCESS;
}

static void clear_outputs(fake_ctx *c) {
  for (int i = 0; i < NOUT; i++) {
    free(c->out[i].data);
    c->out[i] = (buffer){NULL, 0};
  }
  c->computed = 0;
}

static void fake_free_context(void *ctx) {
  fake_ctx *c = ctx;
  clear_outputs(c);
  for (int i = 0; i < MAX_IN; i++) free(c->in[i].data);
  free(c);
}

static nn_errno fake_set_input(void *ctx, uint32_t index, const nn_tensor *t, char *msg,
                               size_t len) {
  fake_ctx *c = ctx;
  if (index >= (uint32_t)c->graph->ninputs)
    return fail(NN_INVALID_ARGUMENT, msg, len, "input index out of range");
  if (t->type != NN_TYPE_F32) return fail(NN_INVALID_ARGUMENT, msg, len, "inputs must be f32");
  void *copy = malloc(t->size ? t->size : 1);
  if (!copy) return fail(NN_RUNTIME_ERROR, msg, len, "oom");
  memcpy(copy, t->data, t->size);
  free(c->in[index].data);
  c->in[index] = (buffer){copy, t->size};
  if (index == 0) {
    memcpy(c->in0_dims, t->dims, t->ndims * sizeof *t->dims);
    c->in0_ndims = t->ndims;
  }
  return NN_SUCCESS;
}

static nn_errno fake_compute(void *ctx, char *msg, size_t len) {
  fake_ctx *c = ctx;
  clear_outputs(c);
  for (int i = 0; i < c->graph->ninputs; i++)
    if (!c->in[i].data) return fail(NN_RUNTIME_ERROR, msg, len, "an input is not set");
  const float *x = c->in[0].data;
  size_t n = c->in[0].size / 4;
  if (n && x[0] == -1.0f) return fail(NN_RUNTIME_ERROR, msg, len, "compute: forward failed\nsecond line");
  float *y = malloc(n * 4 + 1);
  int64_t *d = malloc(c->in0_ndims * 8 + 1);
  int32_t *o = malloc(8);
  if (!y || !d || !o) {
    free(y), free(d), free(o);
    return fail(NN_RUNTIME_ERROR, msg, len, "oom");
  }
  for (size_t i = 0; i < n; i++) y[i] = x[i] * 2.0f;
  for (uint32_t i = 0; i < c->in0_ndims; i++) d[i] = c->in0_dims[i];
  o[0] = g_opts.threads, o[1] = g_opts.optimize;
  c->out[0] = (buffer){y, n * 4};
  c->out[1] = (buffer){d, c->in0_ndims * 8u};
  c->out[2] = (buffer){o, 8};
  c->computed = 1;
  return NN_SUCCESS;
}

static nn_errno fake_get_output(void *ctx, uint32_t index, void *buf, size_t cap,
                                size_t *written, char *msg, size_t len) {
  fake_ctx *c = ctx;
  if (!c->computed) return fail(NN_RUNTIME_ERROR, msg, len, "compute has not run");
  if (index >= NOUT) return fail(NN_INVALID_ARGUMENT, msg, len, "output index out of range");
  *written = c->out[index].size;
  if (cap < c->out[index].size) return fail(NN_TOO_LARGE, msg, len, "buffer too small");
  memcpy(buf, c->out[index].data, c->out[index].size);
  return NN_SUCCESS;
}

static const nn_backend fake = {
    .abi_version = FAKE_ABI, .name = "pytorch", .init = fake_init,
    .load_bytes = fake_load_bytes, .load_path = fake_load_path, .free_graph = fake_free_graph,
    .init_context = fake_init_context, .free_context = fake_free_context,
    .set_input = fake_set_input, .compute = fake_compute, .get_output = fake_get_output,
};

#ifndef FAKE_NO_SYMBOL
const nn_backend *wasitorch_backend_pytorch(void);
const nn_backend *wasitorch_backend_pytorch(void) { return &fake; }
#else
const nn_backend *fake_unused_entry(void);
const nn_backend *fake_unused_entry(void) { return &fake; }
#endif
