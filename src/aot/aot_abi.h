/*
** aot_abi.h — the binary interface between the AOT runtime (the .c files of src/aot)
** and the C code the translator generates (prefix `aot_`).
**
** This file is compiled twice: into the runtime, and — embedded as text —
** at the top of every generated C file, so both sides see one definition.
** It must therefore depend on nothing but <stdint.h>. Any change to a
** struct below or to the meaning of a callback bumps AOT_ABI_VERSION, which
** is part of every artifact's metadata: an artifact built against another
** ABI is rejected on load (and rebuilt), never run.
**
** Generated code sees an instance only through aot_ctx: a cached memory
** base, a pointer to the current memory size, the globals' value cells, the
** function references, and the callbacks in aot_rt for everything rare or
** needing runtime objects (traps, imports, call_indirect, tables, bulk
** memory). Traps never return: the runtime siglongjmps to the host→guest
** boundary (aot_run.c), so generated code needs no error propagation.
*/
#ifndef WT_AOT_ABI_H
#define WT_AOT_ABI_H

#include <stdint.h>

#define AOT_ABI_VERSION 1u

typedef struct aot_ctx aot_ctx;

/* What call_indirect resolved to: a native function of the *same*
** instance (native != 0, call it with `ctx`), or any other function, which
** must be called through aot_rt.call with `fn`. */
typedef struct aot_target {
  void *native;
  void *fn; /* the wt_func */
} aot_target;

/* Runtime callbacks. `fi`/`off` name the Wasm function index and the byte
** offset in the module of the instruction, for trap messages identical to
** the interpreter's. Every callback that can trap may not return. */
typedef struct aot_rt {
  void (*trap)(aot_ctx *c, uint32_t kind, uint32_t fi, uint32_t off);
  /* Calls a wt_func (host, interpreted or AOT, any instance) with the raw
  ** slot ABI of host functions: arguments in, results out. */
  void (*call)(aot_ctx *c, void *fn, uint64_t *slots, uint32_t fi, uint32_t off);
  void (*indirect)(aot_ctx *c, uint32_t table, uint32_t idx, uint32_t type_index,
                   aot_target *out, uint32_t fi, uint32_t off);
  /* Deadline check at loop heads, every AOT_TICKS iterations. */
  void (*tick)(aot_ctx *c, uint32_t fi, uint32_t off);
  uint32_t (*memory_grow)(aot_ctx *c, uint32_t delta);
  void (*memory_init)(aot_ctx *c, uint32_t seg, uint32_t d, uint32_t s, uint32_t n,
                      uint32_t fi, uint32_t off);
  void (*memory_copy)(aot_ctx *c, uint32_t d, uint32_t s, uint32_t n, uint32_t fi,
                      uint32_t off);
  void (*memory_fill)(aot_ctx *c, uint32_t d, uint32_t v, uint32_t n, uint32_t fi,
                      uint32_t off);
  void (*data_drop)(aot_ctx *c, uint32_t seg);
  void *(*table_get)(aot_ctx *c, uint32_t t, uint32_t i, uint32_t fi, uint32_t off);
  void (*table_set)(aot_ctx *c, uint32_t t, uint32_t i, void *v, uint32_t fi, uint32_t off);
  uint32_t (*table_size)(aot_ctx *c, uint32_t t);
  uint32_t (*table_grow)(aot_ctx *c, uint32_t t, void *init, uint32_t n);
  void (*table_fill)(aot_ctx *c, uint32_t t, uint32_t i, void *v, uint32_t n, uint32_t fi,
                     uint32_t off);
  void (*table_copy)(aot_ctx *c, uint32_t dt, uint32_t st, uint32_t d, uint32_t s,
                     uint32_t n, uint32_t fi, uint32_t off);
  void (*table_init)(aot_ctx *c, uint32_t t, uint32_t seg, uint32_t d, uint32_t s,
                     uint32_t n, uint32_t fi, uint32_t off);
  void (*elem_drop)(aot_ctx *c, uint32_t seg);
} aot_rt;

#define AOT_TICKS 4096u

/* One instance as generated code sees it. */
struct aot_ctx {
  const aot_rt *rt;
  uint8_t *mem;              /* memory 0 base (never moves), or 0 */
  const uint64_t *mem_size;  /* memory 0 accessible bytes (changes on grow) */
  uint64_t **globals;        /* value cell of each global (low bits of a 64-bit cell) */
  void **funcs;              /* the wt_func of each function index, for ref.func */
  int64_t depth;             /* calls left before "call stack exhausted" */
  uintptr_t stack_limit;     /* native stack may not grow below this */
  uint32_t ticks;            /* loop iterations left before the next deadline check */
  void *priv;                /* the runtime's instance record */
};

/* The function every artifact exports as AOT_MODULE_SYMBOL. */
typedef struct aot_module_desc {
  uint32_t abi_version;
  uint32_t guard_pages;      /* 1: compiled without explicit bounds checks */
  uint32_t nfuncs;           /* defined functions */
  uint32_t nimports;         /* imported functions */
  /* Per defined function: the slot-ABI entry (arguments in slots, results
  ** written back) and the typed native function. */
  void (*const *entries)(aot_ctx *c, uint64_t *slots);
  void *const *natives;
  const char *wasm_hash;     /* hex SHA-256 of the module bytes it was made from */
} aot_module_desc;

#define AOT_MODULE_SYMBOL "wt_aot_module"

#endif /* WT_AOT_ABI_H */
