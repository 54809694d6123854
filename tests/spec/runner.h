/*
** runner.h — runs one testsuite script (<dir>/<name>.json) against the
** engine through the public API and counts the outcome of each command.
**
** One store per script: a fresh `spectest` module, no named or registered
** instances carried over. Modules and instances live until the script ends.
*/
#ifndef WT_SPEC_RUNNER_H
#define WT_SPEC_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasitorch.h"

/* Command kinds, for the per-kind totals. */
typedef enum st_kind {
  ST_MODULE,
  ST_REGISTER,
  ST_ACTION,
  ST_ASSERT_RETURN,
  ST_ASSERT_TRAP,
  ST_ASSERT_EXHAUSTION,
  ST_ASSERT_INVALID,
  ST_ASSERT_MALFORMED,
  ST_ASSERT_UNLINKABLE,
  ST_ASSERT_UNINSTANTIABLE,
  ST_UNKNOWN, /* an unknown command type, or a script that could not run */
  ST_NKINDS
} st_kind;

typedef struct st_counts {
  uint64_t passed, failed, skipped;
} st_counts;

typedef struct st_report {
  st_counts total;
  st_counts by_kind[ST_NKINDS];
  bool io_error; /* the script itself could not be read or parsed */
} st_report;

typedef struct st_options {
  wt_engine *engine;
  const wt_aot_options *aot; /* non-NULL: every module runs through the AOT tier */
  bool verbose; /* print every failure (and the spectest prints) */
} st_options;

const char *st_kind_name(st_kind kind);

/* Runs `dir`/`name`.json and adds its counts to *rep (which the caller
** zeroes). A script that cannot be read or parsed counts as one failure
** and sets rep->io_error; the reason goes to stderr. */
void st_run_script(const st_options *opt, const char *dir, const char *name,
                   st_report *rep);

/* Reads a whole file into a new malloc'd buffer (NUL-terminated for
** convenience); NULL with a reason in `why` on failure. */
uint8_t *st_read_file(const char *path, size_t *len, char *why, size_t n);

#endif /* WT_SPEC_RUNNER_H */
