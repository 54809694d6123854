/*
** nn_internal.h — state shared by the files of src/nn (not for other
** modules: they use nn.h).
**
**   preload.c  parsing of --nn-preload specs, encoding and target names
**   loader.c   finding, dlopen'ing and checking the backend library
**   handles.c  handle tables (graphs, execution contexts)
**   nn.c       nn_ctx lifetime, named models, graph/context objects, errors
**   abi.c      the wasi_ephemeral_nn host functions (argument decoding)
*/
#ifndef WT_NN_INTERNAL_H
#define WT_NN_INTERNAL_H

#include <stdarg.h>

#include "nn/backend.h"
#include "nn/nn.h"

#define NN_MSG_MAX 512
#define NN_MAX_DIMS 32u        /* dims a tensor may have (libtorch allows 64; no model needs more) */

/* ---- handle tables (handles.c) ------------------------------------------
** A handle is tag | (generation << NN_INDEX_BITS) | slot. A slot's
** generation advances each time it is freed, so a stale handle never
** reaches the object that later reuses the slot; a slot whose generation
** would wrap is retired for good. Generations start at 1, so 0 is never a
** valid handle. The tag (bit 31, set for contexts) keeps graph and context
** handles disjoint, so a guest that mixes them up gets an error. */
#define NN_INDEX_BITS 10u
#define NN_TABLE_CAP (1u << NN_INDEX_BITS) /* open objects per table */
#define NN_GEN_MAX ((1u << (31u - NN_INDEX_BITS)) - 1u)
#define NN_TAG_GRAPH 0u
#define NN_TAG_EXEC 0x80000000u

typedef struct nn_slot {
  void *obj;     /* NULL when free */
  uint32_t gen;  /* current generation; NN_GEN_MAX + 1 = retired */
} nn_slot;

typedef struct nn_table {
  uint32_t tag;  /* NN_TAG_GRAPH or NN_TAG_EXEC */
  nn_slot slots[NN_TABLE_CAP];
  uint32_t live; /* occupied slots */
} nn_table;

void nn_table_init(nn_table *t, uint32_t tag);
/* Stores obj and returns its handle, or false when the table is full. */
bool nn_table_add(nn_table *t, void *obj, uint32_t *handle);
/* The object of a handle, or NULL for a bad or stale handle. */
void *nn_table_get(const nn_table *t, uint32_t handle);
/* Removes a handle's object and returns it (NULL for a bad handle). */
void *nn_table_remove(nn_table *t, uint32_t handle);

/* ---- objects (nn.c) -------------------------------------------------------
** A graph is shared by its handle and by every context made from it, so it
** is reference-counted: unload drops the handle's reference and the backend
** graph goes when the last context is finalized. Preloaded graphs are owned
** by their nn_named entry and never freed before nn_free. */
typedef struct nn_graph {
  void *bk;       /* backend graph */
  uint32_t refs;
} nn_graph;

typedef struct nn_exec {
  void *bk;       /* backend context */
  nn_graph *graph;
} nn_exec;

typedef struct nn_named {
  char *name;
  nn_graph *graph;
} nn_named;

struct nn_ctx {
  int threads, optimize, legacy_types, quiet;
  FILE *log;
  char *backend_dir;            /* copy of cfg->backend_dir or NULL */
  const nn_backend *backend;    /* NULL until first needed */
  bool backend_failed;          /* tried and failed: don't retry */
  nn_errno backend_errno;       /* what to answer while it is missing */
  char backend_error[NN_MSG_MAX];
  nn_named *named;
  int nnamed;
  nn_table graphs, execs;
};

/* Reports an error returned to the guest (one "wasi-nn: FN: ..." line unless
** quiet) and returns `code`, for `return nn_fail(nn, NN_..., "load", ...)`. */
nn_errno nn_fail(nn_ctx *nn, nn_errno code, const char *fn, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* nn_fail for a backend's message; drops a leading "FN: " the backend may
** have added itself, so the line does not say "load: load: ...". */
nn_errno nn_backend_fail(nn_ctx *nn, nn_errno code, const char *fn, const char *msg);

/* The backend, loading it on first use; NULL with the reason reported
** (as nn_fail for `fn`) and stored in *code. */
const nn_backend *nn_backend_get(nn_ctx *nn, const char *fn, nn_errno *code);

nn_graph *nn_graph_new(void *bk);
void nn_graph_release(nn_ctx *nn, nn_graph *g);
void nn_exec_free(nn_ctx *nn, nn_exec *e);
/* The preloaded graph called name[0..len), or NULL. */
nn_graph *nn_named_find(const nn_ctx *nn, const char *name, size_t len);

/* ---- names (preload.c) ---------------------------------------------------- */
/* Graph encoding / target from a case-insensitive name; -1 if unknown. */
int nn_encoding_from_name(const char *name);
int nn_target_from_name(const char *name);
const char *nn_encoding_name(uint32_t encoding);
/* Whether a wasi-nn graph_encoding value is served by the PyTorch backend
** (pytorch itself, or autodetect under either numbering). */
bool nn_encoding_is_pytorch(uint32_t encoding);

/* ---- tensors (tensor.c) ----------------------------------------------------
** Decodes the 20-byte guest tensor at `ptr` into *t, copying the dims into
** dims[] (guest dims may be unaligned) and pointing t->data into guest
** memory. Checks every range, the type and data length == product(dims) x
** element size; on failure reports (as `fn`) and returns the errno. */
nn_errno nn_tensor_decode(nn_ctx *nn, wt_host_call *call, const char *fn, uint32_t ptr,
                          nn_tensor *t, uint32_t dims[NN_MAX_DIMS]);
/* Element size of a tensor type, 0 for an unknown one. */
size_t nn_type_size(nn_tensor_type type);
const char *nn_type_name(nn_tensor_type type);

/* ---- backend library (loader.c) -------------------------------------------
** Resolves the backend directory (dir_override, else $WASITORCH_BACKEND_DIR,
** else <dir of the executable>/WT_BACKEND_RELDIR), dlopen's
** libwasitorch_torch.so, checks its ABI version and calls init. On failure
** returns NULL, *code = the errno for the guest, msg = the reason. */
const nn_backend *nn_loader_open(const char *dir_override, const nn_backend_options *opts,
                                 nn_errno *code, char *msg, size_t msg_len);

#endif /* WT_NN_INTERNAL_H */
