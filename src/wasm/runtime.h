/*
** runtime.h — the runtime objects of the Wasm spec's store: engine, store,
** functions, tables, memories, globals and instances (prefix `rt_`).
**
** The layouts are internal to the engine; the embedder sees only the
** opaque handles of wasitorch.h. The interpreter reads these structs
** directly on its hot paths (instance->funcs, memory->base/size ...).
**
** Ownership: every object made in a store is linked into store->objects
** and freed by wt_store_free; nothing else frees them. An instance keeps a
** pointer to its module, so a module must outlive the stores that
** instantiated it.
*/
#ifndef WT_RUNTIME_H
#define WT_RUNTIME_H

#include "wasm/module.h"

#define RT_PAGE_SIZE 65536u

/* Defaults for wt_config fields given as 0. */
#define RT_DEFAULT_CALL_DEPTH 20000u
#define RT_DEFAULT_STACK_SLOTS (1u << 20) /* 8 MiB of 64-bit slots */

/* ---- function types, interned per engine ------------------------------
** Two function types are equal iff their interned ids are equal, so
** call_indirect and import checks compare one integer. */
typedef struct rt_functype {
  uint32_t nparams;
  uint32_t nresults;
  uint32_t hash;
  uint8_t *types; /* params then results */
} rt_functype;

struct wt_engine {
  wt_config config;      /* with defaults filled in */
  rt_functype **types;   /* by id; stable pointers */
  uint32_t ntypes, cap_types;
  uint32_t *index;       /* open-addressing hash: id+1, 0 = empty */
  uint32_t index_cap;    /* power of two */
};

/* Returns the id of the type (params, results), adding it when new, or
** UINT32_MAX when memory runs out. */
uint32_t rt_intern_type(wt_engine *engine, uint32_t nparams, uint32_t nresults,
                        const uint8_t *types);
/* Same, for a module's declared type. */
uint32_t rt_intern_modtype(wt_engine *engine, const mod_functype *type);

/* ---- store objects ------------------------------------------------------ */
typedef enum rt_kind { RT_FUNC, RT_TABLE, RT_MEMORY, RT_GLOBAL, RT_INSTANCE } rt_kind;

/* Header of every object a store owns (the store's free list). */
typedef struct rt_obj {
  struct rt_obj *next;
  rt_kind kind;
} rt_obj;

struct interp_code; /* the interpreter's translation of one function */

struct wt_func {
  rt_obj obj;
  uint32_t type_id;            /* interned */
  const rt_functype *type;     /* == engine->types[type_id] */
  /* Wasm functions: */
  wt_instance *inst;           /* NULL for host functions */
  const struct interp_code *code;
  uint32_t func_index;         /* in inst's module index space */
  /* Host functions: */
  wt_host_fn host;
  void *userdata;
};

struct wt_table {
  rt_obj obj;
  uint8_t elem_type; /* WT_FUNCREF / WT_EXTERNREF */
  uint32_t size;
  uint32_t max;      /* UINT32_MAX = none */
  void **elems;      /* size entries: wt_func* or externref; NULL = null */
  uint32_t cap;      /* allocated entries */
};

/* Linear memory. The address space for the largest size it may ever have
** is reserved up front (PROT_NONE), so `base` never moves; growing only
** changes protection. */
struct wt_memory {
  rt_obj obj;
  uint8_t *base;
  uint64_t size;       /* bytes accessible = pages * 64 KiB */
  uint32_t pages;
  uint32_t max_pages;  /* declared maximum, UINT32_MAX = none */
  uint32_t cap_pages;  /* hard cap: min(max, engine's max_memory_pages) */
  size_t reserved;     /* bytes of address space reserved at base */
};

struct wt_global {
  rt_obj obj;
  uint8_t type;        /* wt_valtype */
  bool is_mutable;
  uint64_t val;        /* bits; references as pointers */
  uint64_t hi;         /* upper half of a v128 */
};

struct wt_instance {
  rt_obj obj;
  wt_store *store;
  const wt_module *module;
  wt_func **funcs;       /* module->nfuncs_total, imports first */
  wt_table **tables;     /* module->ntables */
  wt_memory **memories;  /* module->nmemories */
  wt_memory *mem0;       /* memories[0] or NULL: the interpreter's fast path */
  wt_global **globals;   /* module->nglobals_total */
  void ***elem_items;    /* per elem segment: evaluated references */
  uint32_t *elem_len;    /* per elem segment: 0 once dropped */
  uint32_t *data_len;    /* per data segment: 0 once dropped */
};

struct interp_exec;

struct wt_store {
  wt_engine *engine;
  rt_obj *objects;          /* everything owned, newest first */
  struct interp_exec *spare; /* cached execution stack for wt_func_call */
};

/* store.c: links `obj` into the store (takes ownership). */
void rt_store_adopt(wt_store *store, rt_obj *obj, rt_kind kind);
/* objects.c: frees one object of any kind (used by wt_store_free). */
void rt_obj_free(rt_obj *obj);

/* objects.c: allocation of the entities, used by instantiation too. */
wt_func *rt_func_new_wasm(wt_store *store, wt_instance *inst, uint32_t func_index,
                          uint32_t type_id);
wt_table *rt_table_new(wt_store *store, uint8_t elem_type, uint32_t min, uint32_t max);
wt_global *rt_global_new(wt_store *store, uint8_t type, bool is_mutable, uint64_t val);

/* memory.c */
wt_memory *rt_memory_new(wt_store *store, uint32_t min_pages, uint32_t max_pages);
/* Unmaps the memory's reservation (rt_obj_free frees the struct). */
void rt_memory_release(wt_memory *mem);
/* Grows by `delta` pages; returns the old size in pages or -1 (no trap). */
int64_t rt_memory_grow(wt_memory *mem, uint32_t delta);

/* objects.c: table.grow semantics (old size or -1), filling with `init`. */
int64_t rt_table_grow(wt_table *table, uint32_t delta, void *init);

/* Fills err with a non-trap failure. Returns status. */
wt_status rt_fail(wt_error *err, wt_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Bulk operations shared by instantiation and the interpreter. Each
** returns WT_TRAP_NONE or the trap kind; nothing is written on a trap. */
wt_trap_kind rt_table_init(wt_instance *inst, uint32_t table, uint32_t seg,
                           uint32_t dst, uint32_t src, uint32_t n);
wt_trap_kind rt_memory_init(wt_instance *inst, uint32_t seg, uint32_t dst,
                            uint32_t src, uint32_t n);

#endif /* WT_RUNTIME_H */
