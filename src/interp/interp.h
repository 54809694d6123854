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

#endif /* WT_INTERP_H */
