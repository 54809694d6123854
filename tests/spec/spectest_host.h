/*
** spectest_host.h — the `spectest` host module every script may import
** from (README "The spectest host module"): print functions, four
** immutable globals of value 666 / 666.6, a funcref table 10..20 and a
** memory of 1..2 pages.
**
** The entities are made once per store with the public embedding API, so
** that every import of e.g. `spectest.table` sees the same table, as the
** scripts expect.
*/
#ifndef WT_SPEC_SPECTEST_HOST_H
#define WT_SPEC_SPECTEST_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "wasitorch.h"

typedef struct sh_export {
  const char *name;
  wt_extern ext;
} sh_export;

#define SH_NEXPORTS 13

typedef struct sh_module {
  sh_export exports[SH_NEXPORTS];
  size_t count;
  const bool *verbose; /* print functions write only when *verbose */
} sh_module;

/* Creates the module's entities in `store`. `verbose` must outlive the
** store. Returns false (with a reason in err->message) when the runtime
** refuses to create one of them. */
bool sh_init(sh_module *mod, wt_store *store, const bool *verbose, wt_error *err);

/* Looks up export `name` (`len` bytes); false means "unknown import". */
bool sh_lookup(const sh_module *mod, const char *name, size_t len, wt_extern *out);

#endif /* WT_SPEC_SPECTEST_HOST_H */
