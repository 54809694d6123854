/*
** backend.h — the interface between the WASI-NN host module (src/nn) and an
** inference backend. A backend is a table of C functions; the PyTorch
** backend lives in its own shared library (src/nn/torch) and exports
**
**     const nn_backend *wasitorch_backend_pytorch(void);
**
** which src/nn looks up with dlsym after dlopen. Backends never throw or
** longjmp: every entry returns an nn_errno and, on failure, writes a
** NUL-terminated, human-readable reason into msg[0..msg_len).
*/
#ifndef WT_NN_BACKEND_H
#define WT_NN_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NN_BACKEND_ABI_VERSION 1u

/* wasi_ephemeral_nn errno values (see shared/docs/wasi-nn-abi.md). */
typedef enum nn_errno {
  NN_SUCCESS = 0,
  NN_INVALID_ARGUMENT = 1,
  NN_INVALID_ENCODING = 2,
  NN_MISSING_MEMORY = 3,
  NN_BUSY = 4,
  NN_RUNTIME_ERROR = 5,
  NN_UNSUPPORTED_OPERATION = 6,
  NN_TOO_LARGE = 7,
  NN_NOT_FOUND = 8
} nn_errno;

/* Tensor types in the current witx order. */
typedef enum nn_tensor_type {
  NN_TYPE_F16 = 0,
  NN_TYPE_F32 = 1,
  NN_TYPE_F64 = 2,
  NN_TYPE_U8 = 3,
  NN_TYPE_I32 = 4,
  NN_TYPE_I64 = 5
} nn_tensor_type;

typedef enum nn_target { NN_TARGET_CPU = 0, NN_TARGET_GPU = 1, NN_TARGET_TPU = 2 } nn_target;

/* A tensor as the host hands it to a backend. `data` is only valid during
** the call: backends copy what they keep. size == product(dims) * elem size
** has already been checked by the caller. */
typedef struct nn_tensor {
  const uint32_t *dims;
  uint32_t ndims;
  nn_tensor_type type;
  const void *data;
  size_t size;
} nn_tensor;

/* Graph preparation of TorchScript models (nn_backend_options.optimize).
** 0 and 1 keep their original boolean meaning. */
#define NN_OPTIMIZE_NONE 0   /* eval() only: the model as stored */
#define NN_OPTIMIZE_OFI 1    /* freeze + optimize_for_inference at load time */
#define NN_OPTIMIZE_FREEZE 2 /* freeze only */
#define NN_OPTIMIZE_AUTO 3   /* time the candidates on the first compute and
                             ** keep the fastest; remembered in a cache file
                             ** (docs/torch-performance.md) */
#define NN_OPTIMIZE_FUSED 4  /* freeze, then each convolution/linear with its
                             ** activation and residual add as one oneDNN
                             ** primitive (src/nn/torch/dnnl_fuse.h) */

typedef struct nn_backend_options {
  int threads;   /* intra-op threads; 0 = the library's default */
  int optimize;  /* NN_OPTIMIZE_*; the backend's env var WASITORCH_NN_OPTIMIZE
                 ** (none|freeze|ofi|auto|fused) overrides it */
} nn_backend_options;

typedef struct nn_backend {
  uint32_t abi_version; /* NN_BACKEND_ABI_VERSION */
  const char *name;     /* "pytorch" */
  /* Called once before any other entry. */
  nn_errno (*init)(const nn_backend_options *opts, char *msg, size_t msg_len);
  /* Loads a model from bytes (copied) or from a host path. */
  nn_errno (*load_bytes)(const uint8_t *bytes, size_t len, nn_target target,
                         void **graph, char *msg, size_t msg_len);
  nn_errno (*load_path)(const char *path, nn_target target, void **graph,
                        char *msg, size_t msg_len);
  void (*free_graph)(void *graph);
  nn_errno (*init_context)(void *graph, void **ctx, char *msg, size_t msg_len);
  void (*free_context)(void *ctx);
  nn_errno (*set_input)(void *ctx, uint32_t index, const nn_tensor *tensor,
                        char *msg, size_t msg_len);
  /* Runs the model; previous outputs are discarded first. */
  nn_errno (*compute)(void *ctx, char *msg, size_t msg_len);
  /* Copies output `index` (native dtype, contiguous, row-major). When `cap`
  ** is too small: NN_TOO_LARGE with *written = the required byte count. */
  nn_errno (*get_output)(void *ctx, uint32_t index, void *buf, size_t cap,
                         size_t *written, char *msg, size_t msg_len);
} nn_backend;

typedef const nn_backend *(*nn_backend_entry)(void);

#ifdef __cplusplus
}
#endif
#endif /* WT_NN_BACKEND_H */
