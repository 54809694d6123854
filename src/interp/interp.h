/*
** interp.h — the interpreter tier's entry points used by the rest of the
** engine. Everything else of the interpreter is private to src/interp/.
*/
#ifndef WT_INTERP_H
#define WT_INTERP_H

#include "wasm/module.h"

/* Translates every defined function of a validated module into the
** interpreter's internal code (stored in mod_func.compiled). Called once by
** wt_module_new after val_validate succeeded. May assume validity. */
wt_status interp_prepare(wt_module *module, wt_error *err);

/* Frees what interp_prepare stored in func->compiled (NULL is fine). */
void interp_release(mod_func *func);

struct interp_exec;

/* Runs `fn` (a Wasm or host function of `store`) with its arguments in
** slots[0..nparams) and leaves the results in slots[0..nresults); `slots`
** holds at least max(nparams, nresults) entries, where a v128 counts
** twice: it takes two consecutive slots, low 8 bytes (lanes in memory
** order) first. Traps come back as
** WT_ERR_TRAP / WT_ERR_EXIT with err filled in. Reentrant: a host function
** may call back into the store. */
wt_status interp_invoke(wt_store *store, wt_func *fn, uint64_t *slots, wt_error *err);

/* Frees an execution stack cached by a store (NULL is fine). */
void interp_exec_free(struct interp_exec *exec);

#endif /* WT_INTERP_H */
