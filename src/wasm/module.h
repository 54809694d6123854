/*
** module.h — the decoded module model shared by decoder, validator,
** interpreter translation and (later) the AOT translator.
**
** Produced by dec_decode() (decode.c), checked by val_validate()
** (validate.c). Everything a module owns is freed by mod_free(). Names and
** data-segment bytes point into `bytes`, the module's own copy of the binary.
*/
#ifndef WT_MODULE_H
#define WT_MODULE_H

#include "wasitorch.h"

/* Limits the decoder/validator enforce beyond the spec's own, so a hostile
** module cannot make the host allocate without bound. */
#define MOD_MAX_LOCALS 50000u      /* declared locals per function */
#define MOD_MAX_PARAMS 1000u       /* params or results per function type */
#define MOD_MAX_PAGES 65536u       /* 32-bit memory: 4 GiB */
#define MOD_MAX_TABLE 10000000u    /* table elements */

typedef struct mod_functype {
  uint32_t nparams;
  uint32_t nresults;
  uint8_t *types; /* nparams param valtypes, then nresults result valtypes */
} mod_functype;

static inline uint8_t mod_param(const mod_functype *t, uint32_t i) { return t->types[i]; }
static inline uint8_t mod_result(const mod_functype *t, uint32_t i) { return t->types[t->nparams + i]; }

typedef struct mod_limits {
  uint64_t min;
  uint64_t max;
  bool has_max;
} mod_limits;

typedef struct mod_tabletype {
  uint8_t elem_type; /* WT_FUNCREF or WT_EXTERNREF */
  mod_limits limits;
} mod_tabletype;

typedef struct mod_globaltype {
  uint8_t type;      /* a wt_valtype */
  bool is_mutable;
} mod_globaltype;

/* A constant expression of Wasm 2.0: exactly one of these, then `end`. */
typedef enum mod_const_kind {
  MOD_CONST_I32,       /* bits in u.bits (low 32) */
  MOD_CONST_I64,
  MOD_CONST_F32,       /* bits */
  MOD_CONST_F64,       /* bits */
  MOD_CONST_V128,      /* u.v128 */
  MOD_CONST_REF_NULL,  /* type = WT_FUNCREF / WT_EXTERNREF */
  MOD_CONST_REF_FUNC,  /* u.index = function index */
  MOD_CONST_GLOBAL_GET, /* u.index = global index */
  /* Decoded fine but not a valid constant expression (a non-constant
  ** instruction, or not exactly one value); val_validate rejects it.
  ** u.index = 0: "constant expression required", 1: "type mismatch". */
  MOD_CONST_INVALID
} mod_const_kind;

typedef struct mod_const {
  mod_const_kind kind;
  uint8_t type; /* the wt_valtype the expression produces (GLOBAL_GET: set by val_validate) */
  uint32_t offset; /* byte offset of the expression in the binary */
  union {
    uint64_t bits;
    uint8_t v128[16];
    uint32_t index;
  } u;
} mod_const;

typedef struct mod_import {
  const char *module; /* NUL-terminated copy owned by the module */
  uint32_t module_len;
  const char *name;
  uint32_t name_len;
  wt_extern_kind kind;
  union {
    uint32_t func_type;  /* type index */
    mod_tabletype table;
    mod_limits memory;
    mod_globaltype global;
  } desc;
} mod_import;

typedef struct mod_export {
  const char *name; /* NUL-terminated copy owned by the module */
  uint32_t name_len;
  wt_extern_kind kind;
  uint32_t index; /* in the kind's index space (imports first) */
} mod_export;

typedef struct mod_global {
  mod_globaltype type;
  mod_const init;
} mod_global;

/* A function defined in the module (imports are not in this array). */
typedef struct mod_func {
  uint32_t type_index;
  uint32_t nlocals;       /* declared locals, params excluded */
  uint8_t *local_types;   /* nlocals valtypes, expanded */
  const uint8_t *code;    /* the instruction bytes after the locals, ending in `end` */
  uint32_t code_len;
  uint32_t code_offset;   /* byte offset of `code` in the binary, for messages */
  const char *debug_name; /* from the "name" custom section, or NULL */
  void *compiled;         /* tier-private translation (interp_compile) */
} mod_func;

typedef enum mod_seg_mode { MOD_SEG_ACTIVE, MOD_SEG_PASSIVE, MOD_SEG_DECLARATIVE } mod_seg_mode;

typedef struct mod_elem {
  mod_seg_mode mode;
  uint8_t elem_type;   /* WT_FUNCREF or WT_EXTERNREF */
  uint32_t table;      /* active only */
  mod_const offset;    /* active only */
  uint32_t count;
  mod_const *items;    /* count items: REF_FUNC, REF_NULL or GLOBAL_GET */
} mod_elem;

typedef struct mod_data {
  mod_seg_mode mode;   /* ACTIVE or PASSIVE */
  uint32_t memory;     /* active only */
  mod_const offset;    /* active only */
  const uint8_t *bytes;
  uint32_t len;
} mod_data;

struct wt_module {
  wt_engine *engine;
  uint8_t *bytes;      /* owned copy of the binary */
  size_t len;

  mod_functype *types;    uint32_t ntypes;
  mod_import *imports;    uint32_t nimports;
  /* Index spaces: imported entities come first. */
  uint32_t nfunc_imports, ntable_imports, nmemory_imports, nglobal_imports;
  uint32_t *func_types;   /* type index of every function, imports included */
  uint32_t nfuncs_total;  /* imports + defined */
  mod_func *funcs;        uint32_t nfuncs;     /* defined functions */
  mod_tabletype *tables;  uint32_t ntables;    /* all tables, imports first */
  mod_limits *memories;   uint32_t nmemories;  /* all memories, imports first */
  mod_global *globals;    uint32_t nglobals;   /* defined globals only */
  mod_globaltype *global_types; uint32_t nglobals_total; /* all, imports first */
  mod_export *exports;    uint32_t nexports;
  mod_elem *elems;        uint32_t nelems;
  mod_data *datas;        uint32_t ndatas;
  bool has_start;         uint32_t start;
  bool has_data_count;    uint32_t data_count;
  /* Functions that may be referenced by ref.func in code ("declared" per
  ** the spec's C.refs): elem segments, exports, global initialisers. */
  uint8_t *func_declared; /* nfuncs_total flags, built by val_validate */
  const char *name;       /* module name from the name section, or NULL */
  /* Set by dec_decode when any v128 type (function types, globals, locals,
  ** block and select types) or any 0xFD instruction occurs; wt_module_new
  ** refuses such modules while no tier executes SIMD. */
  bool uses_simd;
};

/* decode.c: parse the binary (copied into the module). On error returns
** WT_ERR_MALFORMED (or WT_ERR_NOMEM) with err->offset set. */
wt_status dec_decode(wt_engine *engine, const uint8_t *bytes, size_t len,
                     wt_module **out, wt_error *err);

/* validate.c: type-check everything, including every function body.
** Returns WT_OK or WT_ERR_INVALID with err->offset at the offending byte. */
wt_status val_validate(wt_module *module, wt_error *err);

/* module.c: frees a module and everything it owns (calls the interpreter's
** release hook for compiled code). */
void mod_free(wt_module *module);

/* Shared error formatting: fills err with status, offset and a printf-style
** message "offset 0x%x: ...". Returns `status` for tail calls. */
wt_status mod_fail(wt_error *err, wt_status status, uint64_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif /* WT_MODULE_H */
