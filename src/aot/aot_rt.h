/*
** aot_rt.h — the AOT runtime's private records (src/aot/ only).
**
** A wt_aot_module owns the decoded module, the dlopen'ed shared object and
** every instance record made from it (a store cannot own them: stores know
** nothing of tiers, so the records live as long as the module, which must
** outlive its stores anyway — see runtime.h).
**
** An AOT function is presented to the rest of the engine as a host
** function whose userdata is an aot_fnrec: wt_func_call, the interpreter
** and other instances then call it through the raw slot ABI with no change
** outside src/aot/, and calls from native code to native code of the same
** instance never leave C.
*/
#ifndef WT_AOT_RT_H
#define WT_AOT_RT_H

#include <setjmp.h>

#include "aot/aot.h"
#include "aot/aot_abi.h"
#include "wasm/runtime.h"

typedef struct aot_inst aot_inst;

typedef struct aot_fnrec {
  aot_inst *inst;
  uint32_t index; /* defined-function index */
} aot_fnrec;

struct aot_inst {
  aot_ctx ctx;
  wt_instance *inst;
  const struct wt_aot_module *am;
  wt_store *store;
  aot_fnrec *fns;        /* per defined function */
  uint64_t **gcells;     /* ctx.globals */
  uint64_t deadline_ns;  /* of the current outermost entry, 0 = none */
  wt_error last;         /* the full message of the last trap, for wt_aot_func_call */
  aot_inst *next;
};

struct wt_aot_module {
  wt_engine *engine;
  wt_module *mod;        /* decoded from the artifact's embedded Wasm */
  wt_module shadow;      /* shallow copy without start function: see aot_run.c */
  void *dl;
  int fd;                /* the memfd holding the object (see loader.c) */
  const aot_module_desc *desc;
  uint32_t *type_ids;    /* engine type id of each module type */
  aot_inst *insts;
};

/* The host-function trampoline that enters native code (aot_run.c). */
wt_trap_kind aot_trampoline(wt_host_call *call, uint64_t *slots);

/* artifact.c helpers shared with loader.c. */
const char *aot_opt_cc(const wt_aot_options *o);
const char *aot_opt_cflags(const wt_aot_options *o);
bool aot_opt_guard(const wt_aot_options *o);
void aot_id_arch(const char *id, char *arch, size_t size);
/* "+sse4.1" when code for `arch` is compiled for this host, the host has
** SSE4.1 and the flags do not choose the ISA themselves (-march=, -mno-sse4);
** the artifact's arch then names it. Else "". */
const char *aot_isa_suffix(const char *arch, const char *cflags);
/* Whether an artifact whose header says `arch` can run on this host. */
bool aot_arch_runs_here(const char *arch);
uint8_t *aot_read_all(const char *path, size_t *len);

/* Guard region every memory needs before guard-mode code may use it. */
#define AOT_GUARD_BYTES ((size_t)8 << 30)

#endif /* WT_AOT_RT_H */
