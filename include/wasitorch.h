/*
** wasitorch.h — the embedding API of the wasitorch runtime.
**
** A small, stable surface in the style of lua.h: opaque handles, one error
** record, plain values. The typical flow:
**
**   wt_engine *eng = wt_engine_new(NULL);
**   wt_store *store = wt_store_new(eng);
**   wt_module *mod;  wt_error err;
**   if (wt_module_new(eng, bytes, len, &mod, &err) != WT_OK) report(&err);
**   wt_instance *inst;
**   wt_instantiate(store, mod, my_resolver, my_ud, &inst, &err);
**   wt_extern fn;
**   wt_instance_export(inst, "_start", &fn);
**   wt_func_call(store, fn.u.func, NULL, 0, NULL, 0, &err);
**   wt_store_free(store); wt_module_free(mod); wt_engine_free(eng);
**
** Ownership: a store owns every instance, function, table, memory and global
** created in it, and frees them all in wt_store_free (the Wasm spec's store).
** A module is independent of stores and may be instantiated many times.
*/
#ifndef WASITORCH_H
#define WASITORCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WT_VERSION "0.1.0"

/* ------------------------------------------------------------------------
** Status codes and the error record. Values never change (SQLite style).
*/
typedef enum wt_status {
  WT_OK = 0,
  WT_ERR_MALFORMED = 1, /* binary decoding failed */
  WT_ERR_INVALID = 2,   /* validation failed */
  WT_ERR_LINK = 3,      /* unknown import or incompatible import type */
  WT_ERR_TRAP = 4,      /* execution trapped (see wt_error.trap) */
  WT_ERR_NOMEM = 5,     /* allocation failed or a resource limit was hit */
  WT_ERR_IO = 6,        /* a file could not be read or written */
  WT_ERR_ARG = 7,       /* the embedder passed a bad argument */
  WT_ERR_EXIT = 8,      /* the guest called proc_exit (see wt_error.exit_code) */
  WT_ERR_UNSUPPORTED = 9 /* a feature this build does not support */
} wt_status;

/* Trap kinds. The message of each is fixed (wt_trap_message) so that both
** tiers report the same text; the wording follows the spec interpreter. */
typedef enum wt_trap_kind {
  WT_TRAP_NONE = 0,
  WT_TRAP_UNREACHABLE,         /* "unreachable" */
  WT_TRAP_MEMORY_OOB,          /* "out of bounds memory access" */
  WT_TRAP_TABLE_OOB,           /* "out of bounds table access" */
  WT_TRAP_INT_OVERFLOW,        /* "integer overflow" */
  WT_TRAP_INVALID_CONVERSION,  /* "invalid conversion to integer" */
  WT_TRAP_DIV_BY_ZERO,         /* "integer divide by zero" */
  WT_TRAP_UNINITIALIZED_ELEM,  /* "uninitialized element" */
  WT_TRAP_UNDEFINED_ELEM,      /* "undefined element" */
  WT_TRAP_INDIRECT_MISMATCH,   /* "indirect call type mismatch" */
  WT_TRAP_STACK_EXHAUSTED,     /* "call stack exhausted" */
  WT_TRAP_TIMEOUT,             /* "execution deadline exceeded" */
  WT_TRAP_HOST,                /* a host function failed; see message */
  WT_TRAP_EXIT                 /* proc_exit: not an error of the guest */
} wt_trap_kind;

/* One error record per failing call. `message` is complete and printable,
** e.g. "offset 0x1a3: invalid local index 7" or
** "trap in function 12 ($main): integer divide by zero". */
typedef struct wt_error {
  wt_status status;
  wt_trap_kind trap;      /* for WT_ERR_TRAP / WT_ERR_EXIT */
  uint32_t func_index;    /* function a trap hit, or UINT32_MAX */
  uint64_t offset;        /* byte offset in the module binary, or UINT64_MAX */
  int exit_code;          /* for WT_ERR_EXIT */
  char message[512];
} wt_error;

const char *wt_trap_message(wt_trap_kind kind);
const char *wt_status_name(wt_status status);

/* ------------------------------------------------------------------------
** Values. Numbers travel as bit patterns so NaN payloads survive.
*/
typedef enum wt_valtype {
  WT_I32 = 0x7f,
  WT_I64 = 0x7e,
  WT_F32 = 0x7d,
  WT_F64 = 0x7c,
  WT_V128 = 0x7b,
  WT_FUNCREF = 0x70,
  WT_EXTERNREF = 0x6f
} wt_valtype;

typedef struct wt_func wt_func;

typedef struct wt_value {
  wt_valtype type;
  union {
    uint32_t i32;      /* also f32 bits */
    uint64_t i64;      /* also f64 bits */
    uint8_t v128[16];  /* lane 0 first (little-endian) */
    wt_func *funcref;  /* NULL is ref.null func */
    void *externref;   /* NULL is ref.null extern */
  } of;
} wt_value;

/* ------------------------------------------------------------------------
** Engine: configuration and limits shared by every store made from it.
*/
typedef struct wt_config {
  uint32_t max_memory_pages;  /* cap on any linear memory, in 64 KiB pages (0 = 65536) */
  uint32_t max_call_depth;    /* Wasm call depth before "call stack exhausted" (0 = default) */
  uint32_t value_stack_slots; /* value-stack size per call of wt_func_call (0 = default) */
  uint64_t timeout_ms;        /* wall-clock deadline per wt_func_call (0 = none) */
  uint32_t flags;             /* WT_CONFIG_* bits (0 = none) */
} wt_config;

typedef struct wt_engine wt_engine;
typedef struct wt_store wt_store;
typedef struct wt_module wt_module;
typedef struct wt_instance wt_instance;
typedef struct wt_table wt_table;
typedef struct wt_memory wt_memory;
typedef struct wt_global wt_global;

wt_engine *wt_engine_new(const wt_config *config); /* NULL config = defaults */
void wt_engine_free(wt_engine *engine);

wt_store *wt_store_new(wt_engine *engine);
void wt_store_free(wt_store *store);

/* ------------------------------------------------------------------------
** Modules: decode + validate + translate. The bytes are copied.
*/
wt_status wt_module_new(wt_engine *engine, const uint8_t *bytes, size_t len,
                        wt_module **out, wt_error *err);
void wt_module_free(wt_module *module);

typedef enum wt_extern_kind {
  WT_EXTERN_FUNC = 0,
  WT_EXTERN_TABLE = 1,
  WT_EXTERN_MEMORY = 2,
  WT_EXTERN_GLOBAL = 3
} wt_extern_kind;

/* Read-only description of one import or export of a module. Names are
** not NUL-terminated in Wasm; `*_len` gives the byte length (the runtime
** also stores a terminating NUL after each name for convenience). */
typedef struct wt_port {
  const char *module; /* imports only; NULL for exports */
  uint32_t module_len;
  const char *name;
  uint32_t name_len;
  wt_extern_kind kind;
} wt_port;

uint32_t wt_module_import_count(const wt_module *module);
wt_port wt_module_import(const wt_module *module, uint32_t index);
uint32_t wt_module_export_count(const wt_module *module);
wt_port wt_module_export(const wt_module *module, uint32_t index);

/* ------------------------------------------------------------------------
** Host functions: one raw ABI for every host module (WASI, WASI-NN, the
** spec-test module) and for both tiers.
**
** `slots` holds the arguments in order (i32 zero-extended, floats as bit
** patterns, references as pointers); the function writes its results to
** slots[0..nresults). It returns WT_TRAP_NONE, or a trap kind after
** filling call->error->message (WT_TRAP_EXIT with call->error->exit_code
** for proc_exit). Host functions must never longjmp or throw.
*/
typedef struct wt_host_call {
  wt_instance *instance; /* the calling instance, or NULL from the embedder */
  wt_memory *memory;     /* memory 0 of the calling instance, or NULL */
  void *userdata;        /* as given to wt_func_new_host */
  wt_error *error;       /* where a trap's message goes */
} wt_host_call;

typedef wt_trap_kind (*wt_host_fn)(wt_host_call *call, uint64_t *slots);

/* `signature` is "(params)results" with one letter per value:
** i = i32, I = i64, f = f32, F = f64, r = externref, R = funcref.
** Example: fd_write is "(iiii)i". Returns NULL on a malformed signature. */
wt_func *wt_func_new_host(wt_store *store, const char *signature,
                          wt_host_fn fn, void *userdata);

/* ------------------------------------------------------------------------
** Linking and instantiation.
*/
typedef struct wt_extern {
  wt_extern_kind kind;
  union {
    wt_func *func;
    wt_table *table;
    wt_memory *memory;
    wt_global *global;
  } u;
} wt_extern;

/* Called once per import; returns true and fills `out` when it provides the
** import. Type compatibility is checked by the runtime afterwards
** ("incompatible import type"); a false return is "unknown import". */
typedef bool (*wt_resolver)(void *userdata, const wt_port *import, wt_extern *out);

/* Instantiates `module` in `store`: resolves imports, allocates memories,
** tables and globals, applies active segments, runs the start function.
** On failure *out is NULL and err says why (WT_ERR_LINK, WT_ERR_TRAP...). */
wt_status wt_instantiate(wt_store *store, const wt_module *module,
                         wt_resolver resolve, void *userdata,
                         wt_instance **out, wt_error *err);

/* Looks up an export by name (NUL-terminated). */
bool wt_instance_export(wt_instance *instance, const char *name, wt_extern *out);
/* Same, for a name that may contain NUL bytes. */
bool wt_instance_export_n(wt_instance *instance, const char *name, size_t len,
                          wt_extern *out);
const wt_module *wt_instance_module(const wt_instance *instance);

/* ------------------------------------------------------------------------
** Calls, globals, memories.
*/
/* Calls `func` with `nargs` arguments. The argument and result counts and
** types must match the function type (else WT_ERR_ARG). A trap returns
** WT_ERR_TRAP with err->trap set; the store stays usable. */
wt_status wt_func_call(wt_store *store, wt_func *func, const wt_value *args,
                       size_t nargs, wt_value *results, size_t nresults,
                       wt_error *err);
uint32_t wt_func_param_count(const wt_func *func);
uint32_t wt_func_result_count(const wt_func *func);
wt_valtype wt_func_param_type(const wt_func *func, uint32_t index);
wt_valtype wt_func_result_type(const wt_func *func, uint32_t index);

wt_value wt_global_get(const wt_global *global);

/* Entities made by the embedder (e.g. the spec-test module's table, memory
** and globals) to be handed out through a resolver. `max` of UINT32_MAX
** means "no maximum". Return NULL on bad arguments or allocation failure. */
wt_global *wt_global_new(wt_store *store, wt_value init, bool is_mutable);
wt_table *wt_table_new(wt_store *store, wt_valtype elem_type, uint32_t min, uint32_t max);
wt_memory *wt_memory_new(wt_store *store, uint32_t min_pages, uint32_t max_pages);

/* Linear memory: base pointer and size in bytes. The base pointer stays
** valid across memory.grow (the runtime reserves address space). */
uint8_t *wt_memory_data(wt_memory *memory);
uint64_t wt_memory_size(const wt_memory *memory);

/* Bounds-checked guest-memory access for host functions: returns the host
** address of [ptr, ptr+len) or NULL when any byte lies outside memory. */
void *wt_memory_ptr(wt_memory *memory, uint32_t ptr, uint32_t len);

/* ------------------------------------------------------------------------
** Ahead-of-time tier (src/aot/, library wtaot; see docs/aot.md).
**
** A module is translated to C, compiled by the system compiler into a
** shared object and packaged with metadata (content hash, compiler identity
** and flags, ABI version) as an artifact (.cwasm) that also embeds the Wasm
** bytes. Loading checks every field and hash before the object is mapped;
** a stale, foreign or tampered artifact is refused (WT_ERR_INVALID).
** AOT functions are ordinary wt_funcs: wt_func_call works on them, and
** wt_aot_func_call additionally reports a trap's location like the
** interpreter does.
*/
typedef struct wt_aot_module wt_aot_module;

typedef struct wt_aot_options {
  const char *cc;          /* compiler command (NULL = $CC or "cc") */
  const char *cflags;      /* optimisation flags (NULL = "-O2") */
  const char *cache_dir;   /* NULL = $XDG_CACHE_HOME/wasitorch or ~/.cache/wasitorch */
  const char *compiler_id; /* NULL = probe `cc --version` (see wt_aot_compiler_id) */
  bool bounds_checks;      /* explicit checks instead of guard pages */
  bool verbose;            /* progress lines on stderr while compiling */
} wt_aot_options;

/* Engine flag (wt_config.flags): every linear memory reserves an 8 GiB
** guard region so guard-page AOT code may skip bounds checks (64-bit only). */
#define WT_CONFIG_GUARD_REGIONS 1u

/* The first line of `cc --version` plus `cc -dumpmachine`, for cache keys. */
bool wt_aot_compiler_id(const char *cc, char *buf, size_t size);
/* Translates and compiles `wasm` into the artifact file `out_path`. */
wt_status wt_aot_compile(wt_engine *engine, const uint8_t *wasm, size_t len,
                         const wt_aot_options *opt, const char *out_path, wt_error *err);
/* Loads an artifact; with `expect` non-NULL, its compiler and flags must
** match too (else WT_ERR_INVALID "stale artifact"). */
wt_status wt_aot_load(wt_engine *engine, const char *path, const wt_aot_options *expect,
                      wt_aot_module **out, wt_error *err);
/* The cached artifact of `wasm` for these options, compiled into the cache
** first when missing or invalid and `compile` is true. */
wt_status wt_aot_cached(wt_engine *engine, const uint8_t *wasm, size_t len,
                        const wt_aot_options *opt, bool compile, wt_aot_module **out,
                        wt_error *err);
/* The cache file an artifact of `wasm` would have (for messages and tests). */
bool wt_aot_cache_path(const uint8_t *wasm, size_t len, const wt_aot_options *opt,
                       char *buf, size_t size);
const wt_module *wt_aot_module_wasm(const wt_aot_module *module);
void wt_aot_module_free(wt_aot_module *module);
wt_status wt_aot_instantiate(wt_store *store, wt_aot_module *module, wt_resolver resolve,
                             void *userdata, wt_instance **out, wt_error *err);
wt_status wt_aot_func_call(wt_store *store, wt_func *func, const wt_value *args,
                           size_t nargs, wt_value *results, size_t nresults, wt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* WASITORCH_H */
