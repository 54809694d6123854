/*
** bench/native/include/wasitorch_sdk.h — the guest SDK header for a *native*
** build of a guest program (bench/native: classify-native).
**
** The real header (sdk/include/wasitorch_sdk.h, with wasi_nn.h) declares the
** wasi_ephemeral_nn imports, the tensor/builder records and the SDK's
** inference helpers only for wasm32, where their layout is the ABI. A native
** build needs the same names with native pointers, so this wrapper sits
** first on the include path, pulls in the real header (the enumerations,
** the portable helpers) and adds those declarations for the host. The
** definitions are bench/native/wasi_nn_native.c (the wasi_nn_* functions)
** and sdk/lib/wts_nn.c (the wts_* helpers, unchanged sources).
**
** Keep in step with the __wasm32__ sections of sdk/include/wasi_nn.h and
** wasitorch_sdk.h: field order and names are the same, only the pointer
** width differs. The shim and wts_nn.c both see these prototypes, so a
** signature change there fails to compile here rather than misbehaving.
*/
#ifndef WT_NATIVE_SDK_WRAPPER_H
#define WT_NATIVE_SDK_WRAPPER_H

#include_next "wasitorch_sdk.h"

#if !defined(__wasm32__)

#ifdef __cplusplus
extern "C" {
#endif

/* The guest's tensor record with host pointers (not the 20-byte ABI form). */
typedef struct wasi_nn_tensor {
  const uint32_t *dims;
  uint32_t ndims;
  uint8_t type;    /* WASI_NN_TYPE_* */
  uint8_t pad_[3];
  const uint8_t *data;
  uint32_t data_len; /* bytes */
} wasi_nn_tensor;

typedef struct wasi_nn_builder {
  const uint8_t *data;
  uint32_t len;
} wasi_nn_builder;

wasi_nn_errno wasi_nn_load(const wasi_nn_builder *builders, uint32_t nbuilders,
                           uint32_t encoding, uint32_t target, wasi_nn_graph *out_graph);
wasi_nn_errno wasi_nn_load_by_name(const char *name, uint32_t name_len,
                                   wasi_nn_graph *out_graph);
wasi_nn_errno wasi_nn_load_by_name_with_config(const char *name, uint32_t name_len,
                                               const char *config, uint32_t config_len,
                                               wasi_nn_graph *out_graph);
wasi_nn_errno wasi_nn_init_execution_context(wasi_nn_graph graph, wasi_nn_exec_ctx *out_ctx);
wasi_nn_errno wasi_nn_set_input(wasi_nn_exec_ctx ctx, uint32_t index,
                                const wasi_nn_tensor *tensor);
wasi_nn_errno wasi_nn_compute(wasi_nn_exec_ctx ctx);
wasi_nn_errno wasi_nn_get_output(wasi_nn_exec_ctx ctx, uint32_t index, uint8_t *buf,
                                 uint32_t buf_max, uint32_t *bytes_written);
wasi_nn_errno wasi_nn_unload(wasi_nn_graph graph);
wasi_nn_errno wasi_nn_finalize_execution_context(wasi_nn_exec_ctx ctx);
wasi_nn_errno wasi_nn_compute_single(wasi_nn_exec_ctx ctx);
wasi_nn_errno wasi_nn_get_output_single(wasi_nn_exec_ctx ctx, uint32_t index, uint8_t *buf,
                                        uint32_t buf_max, uint32_t *bytes_written);
wasi_nn_errno wasi_nn_fini_single(wasi_nn_exec_ctx ctx);

/* The SDK's wasm32-only helpers (sdk/lib/wts_nn.c), same contracts. */
typedef struct wts_buffer {
  uint8_t *data;
  uint32_t len;
  uint32_t cap;
} wts_buffer;

void wts_buffer_free(wts_buffer *buf);
uint32_t wts_load_file(const char *path, uint32_t encoding, uint32_t target,
                       wasi_nn_graph *out_graph);
uint32_t wts_load_bytes(const void *bytes, size_t len, uint32_t encoding, uint32_t target,
                        wasi_nn_graph *out_graph);
uint32_t wts_load_name(const char *name, wasi_nn_graph *out_graph);
uint32_t wts_tensor_init(wasi_nn_tensor *t, const uint32_t *dims, uint32_t ndims,
                         uint32_t type, const void *data, size_t data_len);
uint32_t wts_get_output(wasi_nn_exec_ctx ctx, uint32_t index, wts_buffer *out);
uint32_t wts_infer(wasi_nn_exec_ctx ctx, const wasi_nn_tensor *input, uint32_t out_index,
                   wts_buffer *out);

#ifdef __cplusplus
}
#endif

#endif /* !__wasm32__ */
#endif /* WT_NATIVE_SDK_WRAPPER_H */
