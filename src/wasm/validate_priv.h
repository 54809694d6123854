/*
** validate_priv.h — the function-body validator's interface to the
** module-level validator (private to src/wasm/).
*/
#ifndef WT_VALIDATE_PRIV_H
#define WT_VALIDATE_PRIV_H

#include "wasm/module.h"

/* Reusable operand and control stacks for validating many bodies. */
typedef struct val_code val_code;

val_code *val_code_new(void);
void val_code_free(val_code *vc);

/* Validates the body of defined function `index` of module m (whose types,
** index spaces and func_declared are already checked and built). Returns
** WT_OK, WT_ERR_INVALID (err->offset at the instruction) or WT_ERR_NOMEM. */
wt_status val_function(val_code *vc, const wt_module *m, uint32_t index, wt_error *err);

/* Printable name of a value type ("i32", "funcref", "unknown"). */
const char *val_type_name(uint8_t t);

#endif /* WT_VALIDATE_PRIV_H */
