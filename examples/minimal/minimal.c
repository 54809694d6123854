/*
** minimal.c — the smallest useful WASI-NN guest (docs/guest-guide.md).
**
** Loads the host-preloaded model "mobilenet", feeds it a mid-grey image
** (all zeros after ImageNet normalisation), and prints the best class.
**   wasitorch run --nn-preload mobilenet:pytorch:cpu:model.pt minimal.wasm
*/
#include <stdio.h>
#include <stdlib.h>

#include "wasitorch_sdk.h"

int main(void)
{
  static float pixels[1 * 3 * 224 * 224]; /* zero = the dataset mean */
  static const uint32_t dims[4] = {1, 3, 224, 224};
  wasi_nn_graph graph;
  wasi_nn_exec_ctx ctx;
  wasi_nn_tensor input;
  wts_buffer out = {0};

  uint32_t err = wts_load_name("mobilenet", &graph);
  if (!err)
    err = wasi_nn_init_execution_context(graph, &ctx);
  if (!err)
    err = wts_tensor_init(&input, dims, 4, WASI_NN_TYPE_F32, pixels,
                          sizeof pixels);
  if (!err)
    err = wts_infer(ctx, &input, 0, &out); /* set_input, compute, get_output */
  if (err) {
    fprintf(stderr, "minimal: wasi-nn failed: %s\n", wts_errno_name(err));
    return 1;
  }
  uint32_t best;
  wts_topk((const float *)out.data, out.len / sizeof(float), 1, &best);
  printf("class %u of %u\n", (unsigned)best,
         (unsigned)(out.len / sizeof(float)));
  wts_buffer_free(&out);
  return 0;
}
