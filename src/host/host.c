/*
** host.c — binding imports to host-module tables (see host.h).
*/
#include "host/host.h"

#include <stdarg.h>
#include <stdio.h>

static bool name_is(const char *want, const char *got, uint32_t got_len) {
  size_t n = strlen(want);
  return n == got_len && memcmp(want, got, n) == 0;
}

bool host_resolve(wt_store *store, const host_module *mods, size_t nmods,
                  const wt_port *import, wt_extern *out) {
  if (import->kind != WT_EXTERN_FUNC) return false;
  for (size_t m = 0; m < nmods; m++) {
    if (!name_is(mods[m].name, import->module, import->module_len)) continue;
    for (size_t f = 0; f < mods[m].nfns; f++) {
      const host_fn_def *def = &mods[m].fns[f];
      if (!name_is(def->name, import->name, import->name_len)) continue;
      wt_func *fn = wt_func_new_host(store, def->signature, def->fn, mods[m].userdata);
      if (!fn) return false;
      out->kind = WT_EXTERN_FUNC;
      out->u.func = fn;
      return true;
    }
  }
  return false;
}

wt_trap_kind host_trap(wt_host_call *call, const char *fmt, ...) {
  if (call->error) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(call->error->message, sizeof call->error->message, fmt, ap);
    va_end(ap);
  }
  return WT_TRAP_HOST;
}
