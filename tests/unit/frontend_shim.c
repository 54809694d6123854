/*
** frontend_shim.c — the interpreter hooks module.c calls, for the
** front-end unit test only. The test links just the decoder/validator
** sources (not wtengine) so it runs independently of the interpreter; it
** never calls wt_module_new, so nothing is ever prepared, and a release
** of compiled code would be a bug in mod_free.
*/
#include <stdio.h>
#include <stdlib.h>

#include "interp/interp.h"

wt_status interp_prepare(wt_module *module, wt_error *err) {
  return mod_fail(err, WT_ERR_UNSUPPORTED, UINT64_MAX, "no interpreter in the front-end unit test");
}

void interp_release(mod_func *func) {
  if (func->compiled) {
    fprintf(stderr, "interp_release called for code that was never prepared\n");
    abort();
  }
}
