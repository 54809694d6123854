/*
** sdk_guest_test.c — checks of the wasm-only SDK helpers, run as a guest
** under tests/e2e/mock_nn_host.mjs (named model "mobilenet"; output j =
** 10 * mean of input floats [150j, 150j+150)). Exits non-zero and prints
** "FAIL ..." on the first broken expectation.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasitorch_sdk.h"

#define EXPECT(cond)                                                      \
  do {                                                                    \
    if (!(cond)) {                                                        \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);              \
      exit(1);                                                            \
    }                                                                     \
  } while (0)

/* Descriptor validation: sizes, overflow, unknown types, scalars. */
static void tensor_init_validates(void)
{
  wasi_nn_tensor t;
  static const uint32_t d4[4] = {1, 3, 224, 224};
  static const uint32_t huge[3] = {65536, 65536, 2};
  static float one;
  EXPECT(wts_tensor_init(&t, d4, 4, WASI_NN_TYPE_F32, &one, 602112) == 0);
  EXPECT(t.ndims == 4 && t.type == WASI_NN_TYPE_F32 && t.data_len == 602112);
  EXPECT(t.pad_[0] == 0 && t.pad_[1] == 0 && t.pad_[2] == 0);
  EXPECT((const void *)t.dims == d4 && (const void *)t.data == &one);
  EXPECT(wts_tensor_init(&t, d4, 4, WASI_NN_TYPE_F32, &one, 602111) ==
         WASI_NN_ERRNO_INVALID_ARGUMENT);
  EXPECT(wts_tensor_init(&t, d4, 4, WASI_NN_TYPE_U8, &one, 150528) == 0);
  EXPECT(wts_tensor_init(&t, d4, 4, 6, &one, 602112) ==
         WASI_NN_ERRNO_INVALID_ARGUMENT);
  EXPECT(wts_tensor_init(&t, huge, 3, WASI_NN_TYPE_U8, &one, 0) ==
         WASI_NN_ERRNO_INVALID_ARGUMENT); /* 2^33 bytes overflows u32 */
  EXPECT(wts_tensor_init(&t, NULL, 0, WASI_NN_TYPE_F32, &one, 4) == 0);
  EXPECT(wts_tensor_init(&t, NULL, 2, WASI_NN_TYPE_F32, &one, 4) ==
         WASI_NN_ERRNO_INVALID_ARGUMENT);
}

/* Inference with a too-small preallocated buffer, then reuse. */
static void infer_grows_output(void)
{
  wasi_nn_graph g;
  wasi_nn_exec_ctx ctx;
  EXPECT(wts_load_name("no-such-model", &g) == WASI_NN_ERRNO_NOT_FOUND);
  EXPECT(wts_load_name("mobilenet", &g) == 0);
  EXPECT(wasi_nn_init_execution_context(g, &ctx) == 0);
  static const uint32_t dims[4] = {1, 3, 224, 224};
  float *x = malloc(sizeof(float) * 150528);
  EXPECT(x != NULL);
  for (size_t i = 0; i < 150528; i++)
    x[i] = (float)(i / 150 % 1000) / 8.0f; /* chunk j holds j / 8 */
  wasi_nn_tensor t;
  EXPECT(wts_tensor_init(&t, dims, 4, WASI_NN_TYPE_F32, x, 602112) == 0);
  wts_buffer out = {malloc(16), 0, 16};
  EXPECT(out.data != NULL);
  EXPECT(wts_infer(ctx, &t, 0, &out) == 0);
  EXPECT(out.len == 4000 && out.cap == 4000);
  float y[1000];
  memcpy(y, out.data, sizeof y);
  EXPECT(y[0] == 0.0f && y[8] == 10.0f && y[999] == 999.0f / 8.0f * 10.0f);
  uint32_t top[3];
  EXPECT(wts_topk(y, 1000, 3, top) == 3);
  EXPECT(top[0] == 999 && top[1] == 998 && top[2] == 997);
  uint8_t *kept = out.data;
  EXPECT(wts_infer(ctx, &t, 0, &out) == 0);
  EXPECT(out.data == kept && out.len == 4000); /* big enough: no realloc */
  EXPECT(wts_get_output(ctx, 1, &out) == WASI_NN_ERRNO_INVALID_ARGUMENT);
  EXPECT(out.len == 0);
  wts_buffer_free(&out);
  EXPECT(out.data == NULL && out.cap == 0);
  free(x);
}

int main(void)
{
  tensor_init_validates();
  infer_grows_output();
  puts("sdk guest tests passed");
  return 0;
}
