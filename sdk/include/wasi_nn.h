/*
** wasi_nn.h — the `wasi_ephemeral_nn` ABI for C guests (wasm32-wasi).
**
** This header declares exactly what WasmEdge, Wasmtime and WAMR guests
** import, so a module built against it runs on any of those hosts and on
** wasitorch unmodified (see docs/wasi-nn-abi.md in the project's shared docs).
**
** Every import takes and returns core-wasm i32 values: pointers are 32-bit
** guest addresses, enums travel as u32, and every function returns a
** wasi_nn_errno (0 = success). "out" parameters are guest pointers where the
** host stores a little-endian u32.
**
** Typical use (error checks omitted):
**
**     wasi_nn_graph g;
**     wasi_nn_exec_ctx ctx;
**     const char *name = "mobilenet";
**     wasi_nn_load_by_name(name, strlen(name), &g);
**     wasi_nn_init_execution_context(g, &ctx);
**     uint32_t dims[4] = {1, 3, 224, 224};
**     wasi_nn_tensor in = {dims, 4, WASI_NN_TYPE_F32, {0, 0, 0},
**                          (const uint8_t *)pixels, sizeof pixels};
**     wasi_nn_set_input(ctx, 0, &in);
**     wasi_nn_compute(ctx);
**     uint32_t written;
**     wasi_nn_get_output(ctx, 0, (uint8_t *)logits, sizeof logits, &written);
**
** The enumerations are usable from any target (hosts and tools may include
** this header for the numbers); the tensor/builder structs and the imports
** exist only when compiling for wasm32, where their layout is the ABI.
*/
#ifndef WASI_NN_H
#define WASI_NN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- handles and result type ------------------------------------------ */

/* A loaded model, as numbered by the host. */
typedef uint32_t wasi_nn_graph;
/* One inference stream over a graph (witx: graph_execution_context). */
typedef uint32_t wasi_nn_exec_ctx;
/* Result of every import: one of the WASI_NN_ERRNO_* values. */
typedef uint32_t wasi_nn_errno;

/* ---- graph_encoding ----------------------------------------------------
** 0..4 are shared by every spec revision. Above that the witx, WasmEdge and
** the Rust crates say autodetect 5, ggml 6, while the WIT and WAMR swapped
** them (ggml 5, autodetect 6). A PyTorch-only host treats 5 and 6 alike. */
enum {
  WASI_NN_ENCODING_OPENVINO = 0,
  WASI_NN_ENCODING_ONNX = 1,
  WASI_NN_ENCODING_TENSORFLOW = 2,
  WASI_NN_ENCODING_PYTORCH = 3,
  WASI_NN_ENCODING_TENSORFLOWLITE = 4,
  WASI_NN_ENCODING_AUTODETECT = 5, /* witx order; WIT/WAMR: 6 */
  WASI_NN_ENCODING_GGML = 6        /* witx order; WIT/WAMR: 5 */
};

/* ---- execution_target -------------------------------------------------- */
enum {
  WASI_NN_TARGET_CPU = 0,
  WASI_NN_TARGET_GPU = 1,
  WASI_NN_TARGET_TPU = 2
};

/* ---- tensor_type --------------------------------------------------------
** Current witx order (Rust wasi-nn 0.6, WasmEdge >= 0.15, Wasmtime). The
** older order (WasmEdge <= 0.14, crate <= 0.5) is kept below for guests
** that must talk to such hosts; never mix the two in one program. bf16 has
** no witx value. */
enum {
  WASI_NN_TYPE_F16 = 0,
  WASI_NN_TYPE_F32 = 1,
  WASI_NN_TYPE_F64 = 2,
  WASI_NN_TYPE_U8 = 3,
  WASI_NN_TYPE_I32 = 4,
  WASI_NN_TYPE_I64 = 5
};
enum {
  WASI_NN_LEGACY_TYPE_F16 = 0,
  WASI_NN_LEGACY_TYPE_F32 = 1,
  WASI_NN_LEGACY_TYPE_U8 = 2,
  WASI_NN_LEGACY_TYPE_I32 = 3
};

/* ---- nn_errno ----------------------------------------------------------
** 0..8 are the witx codes; 100..103 are WasmEdge extensions (LLM backends)
** that a guest may still receive from such a host. */
enum {
  WASI_NN_ERRNO_SUCCESS = 0,
  WASI_NN_ERRNO_INVALID_ARGUMENT = 1,
  WASI_NN_ERRNO_INVALID_ENCODING = 2,
  WASI_NN_ERRNO_MISSING_MEMORY = 3,
  WASI_NN_ERRNO_BUSY = 4,
  WASI_NN_ERRNO_RUNTIME_ERROR = 5,
  WASI_NN_ERRNO_UNSUPPORTED_OPERATION = 6,
  WASI_NN_ERRNO_TOO_LARGE = 7,
  WASI_NN_ERRNO_NOT_FOUND = 8,
  WASI_NN_ERRNO_END_OF_SEQUENCE = 100,
  WASI_NN_ERRNO_CONTEXT_FULL = 101,
  WASI_NN_ERRNO_PROMPT_TOO_LONG = 102,
  WASI_NN_ERRNO_MODEL_NOT_FOUND = 103
};

/* ---- wasm32 memory layout of the tensor record --------------------------
** Also given as numbers so host code (64-bit pointers) can decode it. */
#define WASI_NN_TENSOR_SIZE 20u
#define WASI_NN_TENSOR_OFF_DIMS 0u
#define WASI_NN_TENSOR_OFF_NDIMS 4u
#define WASI_NN_TENSOR_OFF_TYPE 8u
#define WASI_NN_TENSOR_OFF_DATA 12u
#define WASI_NN_TENSOR_OFF_DATA_LEN 16u
#define WASI_NN_BUILDER_SIZE 8u

#if defined(__wasm32__)

#define WASI_NN_IMPORT_(name) \
  __attribute__((import_module("wasi_ephemeral_nn"), import_name(name)))

/* A tensor as set_input reads it: 20 bytes, 4-aligned.
** `dims` points at `ndims` u32 extents; `data_len` must equal
** product(dims) * element size of `type`. Only byte 8 (`type`) is read of
** the type word, so the padding need not be zeroed — but zero it anyway. */
typedef struct wasi_nn_tensor {
  const uint32_t *dims; /* offset 0 */
  uint32_t ndims;       /* offset 4 */
  uint8_t type;         /* offset 8: WASI_NN_TYPE_* */
  uint8_t pad_[3];      /* offsets 9..11 */
  const uint8_t *data;  /* offset 12 */
  uint32_t data_len;    /* offset 16: bytes */
} wasi_nn_tensor;

/* One element of the array given to `load`: a span of model bytes. The
** PyTorch backend takes exactly one builder (the TorchScript file). */
typedef struct wasi_nn_builder {
  const uint8_t *data; /* offset 0 */
  uint32_t len;        /* offset 4 */
} wasi_nn_builder;

/* The layout is the ABI: catch any compiler or edit that changes it. */
_Static_assert(sizeof(wasi_nn_tensor) == WASI_NN_TENSOR_SIZE, "tensor size");
_Static_assert(_Alignof(wasi_nn_tensor) == 4, "tensor alignment");
_Static_assert(offsetof(wasi_nn_tensor, dims) == WASI_NN_TENSOR_OFF_DIMS, "dims");
_Static_assert(offsetof(wasi_nn_tensor, ndims) == WASI_NN_TENSOR_OFF_NDIMS, "ndims");
_Static_assert(offsetof(wasi_nn_tensor, type) == WASI_NN_TENSOR_OFF_TYPE, "type");
_Static_assert(offsetof(wasi_nn_tensor, data) == WASI_NN_TENSOR_OFF_DATA, "data");
_Static_assert(offsetof(wasi_nn_tensor, data_len) == WASI_NN_TENSOR_OFF_DATA_LEN,
               "data_len");
_Static_assert(sizeof(wasi_nn_builder) == WASI_NN_BUILDER_SIZE, "builder size");
_Static_assert(offsetof(wasi_nn_builder, len) == 4, "builder len");

/* load: build a graph from `nbuilders` byte spans in guest memory.
** encoding is WASI_NN_ENCODING_*, target WASI_NN_TARGET_*. */
WASI_NN_IMPORT_("load")
wasi_nn_errno wasi_nn_load(const wasi_nn_builder *builders, uint32_t nbuilders,
                           uint32_t encoding, uint32_t target,
                           wasi_nn_graph *out_graph);

/* load_by_name: a model the host preloaded (e.g. --nn-preload NAME:...).
** `name` is not NUL-terminated; `name_len` counts its bytes. The host
** never treats the name as a path. */
WASI_NN_IMPORT_("load_by_name")
wasi_nn_errno wasi_nn_load_by_name(const char *name, uint32_t name_len,
                                   wasi_nn_graph *out_graph);

/* load_by_name_with_config: as load_by_name, plus an opaque config string
** (JSON for WasmEdge's backends; ignored by the PyTorch backend). */
WASI_NN_IMPORT_("load_by_name_with_config")
wasi_nn_errno wasi_nn_load_by_name_with_config(const char *name,
                                               uint32_t name_len,
                                               const char *config,
                                               uint32_t config_len,
                                               wasi_nn_graph *out_graph);

/* init_execution_context: one context per concurrent inference stream. */
WASI_NN_IMPORT_("init_execution_context")
wasi_nn_errno wasi_nn_init_execution_context(wasi_nn_graph graph,
                                             wasi_nn_exec_ctx *out_ctx);

/* set_input: bind positional input `index` (copied by the host). */
WASI_NN_IMPORT_("set_input")
wasi_nn_errno wasi_nn_set_input(wasi_nn_exec_ctx ctx, uint32_t index,
                                const wasi_nn_tensor *tensor);

/* compute: run the model on the inputs set so far; clears old outputs. */
WASI_NN_IMPORT_("compute")
wasi_nn_errno wasi_nn_compute(wasi_nn_exec_ctx ctx);

/* get_output: copy output `index` (position in a tuple/list result, in its
** native dtype) into buf. If buf_max is too small the host answers
** WASI_NN_ERRNO_TOO_LARGE and stores the *required* size in
** *bytes_written (wasitorch, current WasmEdge), so the caller can grow. */
WASI_NN_IMPORT_("get_output")
wasi_nn_errno wasi_nn_get_output(wasi_nn_exec_ctx ctx, uint32_t index,
                                 uint8_t *buf, uint32_t buf_max,
                                 uint32_t *bytes_written);

/* unload (WasmEdge): free a graph. Contexts on it become invalid. */
WASI_NN_IMPORT_("unload")
wasi_nn_errno wasi_nn_unload(wasi_nn_graph graph);

/* finalize_execution_context (WasmEdge): free a context. */
WASI_NN_IMPORT_("finalize_execution_context")
wasi_nn_errno wasi_nn_finalize_execution_context(wasi_nn_exec_ctx ctx);

/* The WasmEdge streaming calls. Non-LLM backends (PyTorch) answer
** WASI_NN_ERRNO_UNSUPPORTED_OPERATION; declared so such guests link. */
WASI_NN_IMPORT_("compute_single")
wasi_nn_errno wasi_nn_compute_single(wasi_nn_exec_ctx ctx);
WASI_NN_IMPORT_("get_output_single")
wasi_nn_errno wasi_nn_get_output_single(wasi_nn_exec_ctx ctx, uint32_t index,
                                        uint8_t *buf, uint32_t buf_max,
                                        uint32_t *bytes_written);
WASI_NN_IMPORT_("fini_single")
wasi_nn_errno wasi_nn_fini_single(wasi_nn_exec_ctx ctx);

#undef WASI_NN_IMPORT_

#endif /* __wasm32__ */

#ifdef __cplusplus
}
#endif

#endif /* WASI_NN_H */
