/*
** nn.h — the WASI-NN host module (`wasi_ephemeral_nn`) for the rest of the
** runtime. See docs/wasi-nn.md for the guest-visible behaviour and
** shared/docs/wasi-nn-abi.md for the ABI it follows.
**
**   nn_config cfg = {.preloads = p, .npreloads = n};
**   nn_ctx *nn = nn_new(&cfg, &err);            // loads preloads eagerly
**   host_module mods[] = {wasi_host_module(w), nn_host_module(nn)};
**   ... instantiate and run the guest ...
**   nn_free(nn);
**
** The PyTorch backend is a separate shared library, dlopen'ed the first time
** a model is loaded (or at nn_new when there are preloads): the runtime never
** links libtorch itself.
*/
#ifndef WT_NN_H
#define WT_NN_H

#include <stdio.h>

#include "host/host.h"
#include "nn/backend.h" /* NN_OPTIMIZE_* */

/* One --nn-preload NAME:ENCODING:TARGET:PATH. Encoding and target are kept as
** written (compared case-insensitively by nn_new). */
typedef struct nn_preload {
  const char *name;
  const char *encoding;
  const char *target;
  const char *path;
} nn_preload;

typedef struct nn_config {
  const nn_preload *preloads; int npreloads;  /* from --nn-preload NAME:ENCODING:TARGET:PATH */
  int threads;          /* --nn-threads, 0 = backend default */
  int optimize;         /* --nn-optimize[=MODE]: NN_OPTIMIZE_* of nn/backend.h;
                        ** 1 (bare --nn-optimize) = freeze + optimize_for_inference */
  int legacy_types;     /* old tensor-type order f16,f32,u8,i32 (WasmEdge <= 0.14) */
  const char *backend_dir; /* override; NULL = auto */
  /* Additions beyond the original brief (zero = the default behaviour): */
  int quiet;            /* 1 = no "wasi-nn: ..." lines for errors returned to the guest */
  FILE *log;            /* where those lines go; NULL = stderr */
} nn_config;

typedef struct nn_ctx nn_ctx;

/* Creates the host module's state. Every preload is loaded now (and the
** backend with it), so a bad --nn-preload is reported before the guest
** runs. Returns NULL with err filled (WT_ERR_ARG for a bad preload, WT_ERR_IO
** for an unreadable model or a missing backend, WT_ERR_NOMEM). The config
** is copied; the preload strings need not outlive the call. */
nn_ctx *nn_new(const nn_config *cfg, wt_error *err);

/* Frees every graph and context still open. The backend library stays
** loaded (libtorch does not survive being unloaded). NULL is fine. */
void nn_free(nn_ctx *ctx);

/* The `wasi_ephemeral_nn` function table, with ctx as userdata. The table
** is static; ctx must outlive every instance linked against it. */
host_module nn_host_module(nn_ctx *ctx);

/* Parses "NAME:ENCODING:TARGET:PATH" (the path may contain ':'). On success
** the fields of *out point into *storage, a malloc'ed copy the caller frees.
** Encoding must name a known graph encoding and target one of cpu/gpu/tpu
** (case-insensitive); nn_new later rejects encodings without a backend.
** On failure returns false, *storage is NULL and err says why. */
bool nn_parse_preload(const char *spec, nn_preload *out, char **storage, wt_error *err);

/* Parses an --nn-optimize value, case-insensitively: "none", "freeze",
** "ofi" or "auto" into NN_OPTIMIZE_*. False (and *mode untouched) for
** anything else. */
bool nn_parse_optimize(const char *text, int *mode);

#endif /* WT_NN_H */
