/*
** wts_nn.c — model loading, tensor descriptors and one-call inference over
** the wasi_ephemeral_nn imports. Guest-only (wasm32).
*/
#include <stdlib.h>
#include <string.h>

#include "wasitorch_sdk.h"

/* Outputs are never grown past this; a wasm32 guest cannot hold more. */
#define WTS_MAX_OUTPUT (1u << 30)
/* Capacity of an empty buffer's first get_output attempt. */
#define WTS_FIRST_GUESS 4096u

/* One builder with all the bytes: the form every single-file backend
** (PyTorch, ONNX, TFLite) expects. */
uint32_t wts_load_bytes(const void *bytes, size_t len, uint32_t encoding,
                        uint32_t target, wasi_nn_graph *out_graph)
{
  if (len > UINT32_MAX)
    return WASI_NN_ERRNO_TOO_LARGE;
  wasi_nn_builder b = {(const uint8_t *)bytes, (uint32_t)len};
  return wasi_nn_load(&b, 1, encoding, target, out_graph);
}

/* Read then load; the host copies the bytes, so ours are freed at once
** (a model would otherwise occupy guest memory twice over its lifetime). */
uint32_t wts_load_file(const char *path, uint32_t encoding, uint32_t target,
                       wasi_nn_graph *out_graph)
{
  uint8_t *bytes;
  size_t len;
  uint32_t err = wts_read_file(path, &bytes, &len);
  if (err)
    return err;
  err = wts_load_bytes(bytes, len, encoding, target, out_graph);
  free(bytes);
  return err;
}

uint32_t wts_load_name(const char *name, wasi_nn_graph *out_graph)
{
  return wasi_nn_load_by_name(name, (uint32_t)strlen(name), out_graph);
}

/*
** Validate and fill a descriptor. The byte count is recomputed from dims
** with overflow checks, because a mismatch is the most common guest bug and
** the host would only say "invalid_argument" without telling which part.
*/
uint32_t wts_tensor_init(wasi_nn_tensor *t, const uint32_t *dims,
                         uint32_t ndims, uint32_t type, const void *data,
                         size_t data_len)
{
  size_t esize = wts_type_size(type);
  if (esize == 0 || (ndims > 0 && dims == NULL) || data_len > UINT32_MAX)
    return WASI_NN_ERRNO_INVALID_ARGUMENT;
  uint64_t bytes = esize;
  for (uint32_t i = 0; i < ndims; i++) {
    bytes *= dims[i];
    if (bytes > UINT32_MAX)
      return WASI_NN_ERRNO_INVALID_ARGUMENT;
  }
  if (bytes != data_len)
    return WASI_NN_ERRNO_INVALID_ARGUMENT;
  memset(t, 0, sizeof *t);
  t->dims = dims;
  t->ndims = ndims;
  t->type = (uint8_t)type;
  t->data = (const uint8_t *)data;
  t->data_len = (uint32_t)data_len;
  return 0;
}

void wts_buffer_free(wts_buffer *buf)
{
  free(buf->data);
  memset(buf, 0, sizeof *buf);
}

/* Next capacity after a too_large answer: the host's stated need when it
** gave one larger than what we have, else double (hosts that do not report
** the size). 0 means give up. */
static uint32_t next_capacity(uint32_t cap, uint32_t needed)
{
  uint64_t want = needed > cap ? needed : (uint64_t)cap * 2;
  return want > WTS_MAX_OUTPUT ? 0 : (uint32_t)want;
}

/*
** get_output with automatic sizing. A buffer that is big enough costs one
** call; otherwise the host's required size (or doubling) sets the new
** capacity and the call is repeated.
*/
uint32_t wts_get_output(wasi_nn_exec_ctx ctx, uint32_t index, wts_buffer *out)
{
  /* An empty buffer starts at a first guess: small outputs (classifier
  ** logits) then need no sizing round trip at all. */
  if (out->cap == 0) {
    uint8_t *first = realloc(out->data, WTS_FIRST_GUESS);
    if (!first)
      return WTS_ERR_NOMEM;
    out->data = first;
    out->cap = WTS_FIRST_GUESS;
  }
  for (;;) {
    uint32_t written = 0;
    uint32_t err = wasi_nn_get_output(ctx, index, out->data, out->cap, &written);
    if (err != WASI_NN_ERRNO_TOO_LARGE) {
      out->len = err ? 0 : written;
      return err;
    }
    uint32_t cap = next_capacity(out->cap, written);
    if (cap == 0)
      return WASI_NN_ERRNO_TOO_LARGE;
    uint8_t *grown = realloc(out->data, cap);
    if (!grown)
      return WTS_ERR_NOMEM;
    out->data = grown;
    out->cap = cap;
  }
}

uint32_t wts_infer(wasi_nn_exec_ctx ctx, const wasi_nn_tensor *input,
                   uint32_t out_index, wts_buffer *out)
{
  uint32_t err = wasi_nn_set_input(ctx, 0, input);
  if (!err)
    err = wasi_nn_compute(ctx);
  if (!err)
    err = wts_get_output(ctx, out_index, out);
  return err;
}
