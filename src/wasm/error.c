/*
** error.c — the engine's error record: formatting of decode/validation
** errors, trap texts and status names.
*/
#include <stdarg.h>
#include <stdio.h>

#include "wasm/module.h"

/* Fills the whole record so callers never see stale fields from an
** earlier failure. An offset of UINT64_MAX means "no position". */
wt_status mod_fail(wt_error *err, wt_status status, uint64_t offset, const char *fmt, ...) {
  if (!err) return status;
  err->status = status;
  err->trap = WT_TRAP_NONE;
  err->func_index = UINT32_MAX;
  err->offset = offset;
  err->exit_code = 0;
  int n = 0;
  if (offset != UINT64_MAX) n = snprintf(err->message, sizeof err->message, "offset 0x%llx: ", (unsigned long long)offset);
  if (n < 0 || (size_t)n >= sizeof err->message) n = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
  va_end(ap);
  return status;
}

/* The texts follow the spec interpreter so that spec-test runners and
** both tiers agree (see wt_trap_kind in wasitorch.h). */
const char *wt_trap_message(wt_trap_kind kind) {
  switch (kind) {
    case WT_TRAP_NONE: return "no trap";
    case WT_TRAP_UNREACHABLE: return "unreachable";
    case WT_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case WT_TRAP_TABLE_OOB: return "out of bounds table access";
    case WT_TRAP_INT_OVERFLOW: return "integer overflow";
    case WT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WT_TRAP_UNINITIALIZED_ELEM: return "uninitialized element";
    case WT_TRAP_UNDEFINED_ELEM: return "undefined element";
    case WT_TRAP_INDIRECT_MISMATCH: return "indirect call type mismatch";
    case WT_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case WT_TRAP_TIMEOUT: return "execution deadline exceeded";
    case WT_TRAP_HOST: return "host function failed";
    case WT_TRAP_EXIT: return "exit";
  }
  return "unknown trap";
}

const char *wt_status_name(wt_status status) {
  switch (status) {
    case WT_OK: return "ok";
    case WT_ERR_MALFORMED: return "malformed module";
    case WT_ERR_INVALID: return "invalid module";
    case WT_ERR_LINK: return "link error";
    case WT_ERR_TRAP: return "trap";
    case WT_ERR_NOMEM: return "out of memory or resource limit";
    case WT_ERR_IO: return "I/O error";
    case WT_ERR_ARG: return "bad argument";
    case WT_ERR_EXIT: return "exit";
    case WT_ERR_UNSUPPORTED: return "unsupported feature";
  }
  return "unknown status";
}
