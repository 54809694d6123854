/*
** wasitorch_sdk.h — small guest-side helpers over wasi_nn.h.
**
** Compiled into the guest (wasm32-wasi) from the sources in sdk/lib: get it with
** `wt_add_guest(NAME SDK ...)` in CMake or with `sdk/bin/wasitorch-cc`.
** Everything here is plain C over WASI stdio and the wasi_ephemeral_nn
** imports; nothing is specific to the wasitorch host, so a guest using the
** helpers runs on WasmEdge or Wasmtime too.
**
** Results are wasi_nn_errno values extended by two SDK codes (WTS_ERR_IO,
** WTS_ERR_NOMEM); wts_errno_name() names all of them. On WTS_ERR_IO the C
** `errno` still says why the file could not be read.
**
**     wasi_nn_graph g;  wasi_nn_exec_ctx ctx;  wts_buffer out = {0};
**     uint32_t e = wts_load_name("mobilenet", &g);
**     if (!e) e = wasi_nn_init_execution_context(g, &ctx);
**     if (!e) e = wts_infer(ctx, &input, 0, &out);
**     if (e) fprintf(stderr, "wasi-nn: %s\n", wts_errno_name(e));
**     ... use out.data / out.len ...
**     wts_buffer_free(&out);
*/
#ifndef WASITORCH_SDK_H
#define WASITORCH_SDK_H

#include <stddef.h>
#include <stdint.h>

#include "wasi_nn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* SDK-local failures, outside every range the hosts use (0..8, 100..103). */
enum {
  WTS_ERR_IO = 1000,   /* a file could not be opened or read (see errno) */
  WTS_ERR_NOMEM = 1001 /* malloc/realloc failed */
};

/* Short stable name of a result code: "success", "too_large", "io_error"…;
** "unknown" for anything else. Never NULL. */
const char *wts_errno_name(uint32_t err);

/* Monotonic time in milliseconds (fractional), for measuring intervals. */
double wts_now_ms(void);

/* Size in bytes of one element of a WASI_NN_TYPE_* value, 0 if unknown. */
size_t wts_type_size(uint32_t type);

/* Read a whole file into a fresh malloc'ed buffer (*data, *len). Reads in
** chunks through stdio, so it needs no seek and works on pipes too.
** Returns 0, WTS_ERR_IO or WTS_ERR_NOMEM; on failure *data is NULL. */
uint32_t wts_read_file(const char *path, uint8_t **data, size_t *len);

/* Write `len` bytes to a new/truncated file. Returns 0 or WTS_ERR_IO. */
uint32_t wts_write_file(const char *path, const void *data, size_t len);

/* ---- command-line chores (wts_cli.c) ----------------------------------- */

/* Value of option `name` at argv[*i], given as "--name VALUE" or
** "--name=VALUE"; NULL when argv[*i] is another option, or when the value
** is missing (then *missing = 1). Advances *i past a separate value. */
const char *wts_option_value(int argc, char **argv, int *i, const char *name,
                             int *missing);

/* Parses a decimal count in 1..max (no sign, no junk). 0 or -1. */
int wts_parse_count(const char *s, unsigned long max, unsigned *out);

/* Prints "PROG: WHAT 'SUBJECT': reason" to stderr — strerror(errno) for
** WTS_ERR_IO, else the errno's name and number — and returns 1. */
int wts_report(const char *prog, const char *what, const char *subject, uint32_t err);

/* Sorts lat[0..n) and gives its median and nearest-rank 90th percentile. */
void wts_latency_stats(double *lat, size_t n, double *median, double *p90);

/* Top-k indices of v[0..n) by descending value, into idx[0..k'), where
** k' = min(k, n) is returned. Deterministic: ties go to the lower index and
** NaN ranks below every number. */
size_t wts_topk(const float *v, size_t n, size_t k, uint32_t *idx);

/* Numerically stable softmax of in[0..n) into out[0..n) (may alias). */
void wts_softmax(const float *in, float *out, size_t n);

#if defined(__wasm32__)

/* A growable output buffer for wts_get_output/wts_infer. Start it zeroed
** (or point `data` at your own malloc'ed memory with its `cap`). */
typedef struct wts_buffer {
  uint8_t *data; /* malloc'ed, owned by the buffer */
  uint32_t len;  /* bytes of the last output */
  uint32_t cap;  /* allocated bytes */
} wts_buffer;

/* Free a buffer's memory and zero it. */
void wts_buffer_free(wts_buffer *buf);

/* Load a model from a guest-visible file: read its bytes, then `load` with
** one builder. The bytes are freed before returning (the host copies). */
uint32_t wts_load_file(const char *path, uint32_t encoding, uint32_t target,
                       wasi_nn_graph *out_graph);

/* Load a model from bytes already in memory (one builder). */
uint32_t wts_load_bytes(const void *bytes, size_t len, uint32_t encoding,
                        uint32_t target, wasi_nn_graph *out_graph);

/* Load a model the host preloaded under `name` (NUL-terminated here; the
** SDK passes its length to the host). */
uint32_t wts_load_name(const char *name, wasi_nn_graph *out_graph);

/* Fill a tensor descriptor. Checks that data_len == product(dims) × element
** size (with overflow checks) so a mistake is caught in the guest with
** WASI_NN_ERRNO_INVALID_ARGUMENT before the host sees it. The tensor points
** at `dims` and `data`; both must outlive its use. */
uint32_t wts_tensor_init(wasi_nn_tensor *t, const uint32_t *dims,
                         uint32_t ndims, uint32_t type, const void *data,
                         size_t data_len);

/* get_output into a growable buffer: try the current capacity (an empty
** buffer starts at 4 KiB); when the host answers too_large with the
** required size, grow to it and retry (hosts that do not report the size:
** double, up to 1 GiB). out->len is the output's size in bytes. */
uint32_t wts_get_output(wasi_nn_exec_ctx ctx, uint32_t index, wts_buffer *out);

/* One inference: set_input(0, input), compute, get_output(out_index). */
uint32_t wts_infer(wasi_nn_exec_ctx ctx, const wasi_nn_tensor *input,
                   uint32_t out_index, wts_buffer *out);

#endif /* __wasm32__ */

#ifdef __cplusplus
}
#endif

#endif /* WASITORCH_SDK_H */
