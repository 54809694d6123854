/*
** wts_util.c — result-code names, element sizes and a monotonic clock.
** Pure C: also compiles natively, which is how the unit test checks it.
*/
/* clock_gettime is POSIX, hidden by a strict -std=c11 without this. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <time.h>

#include "wasitorch_sdk.h"

/*
** Name of a result code. The names are the witx identifiers so a message
** printed by a guest can be matched against any host's documentation.
*/
const char *wts_errno_name(uint32_t err)
{
  switch (err) {
  case WASI_NN_ERRNO_SUCCESS: return "success";
  case WASI_NN_ERRNO_INVALID_ARGUMENT: return "invalid_argument";
  case WASI_NN_ERRNO_INVALID_ENCODING: return "invalid_encoding";
  case WASI_NN_ERRNO_MISSING_MEMORY: return "missing_memory";
  case WASI_NN_ERRNO_BUSY: return "busy";
  case WASI_NN_ERRNO_RUNTIME_ERROR: return "runtime_error";
  case WASI_NN_ERRNO_UNSUPPORTED_OPERATION: return "unsupported_operation";
  case WASI_NN_ERRNO_TOO_LARGE: return "too_large";
  case WASI_NN_ERRNO_NOT_FOUND: return "not_found";
  case WASI_NN_ERRNO_END_OF_SEQUENCE: return "end_of_sequence";
  case WASI_NN_ERRNO_CONTEXT_FULL: return "context_full";
  case WASI_NN_ERRNO_PROMPT_TOO_LONG: return "prompt_too_long";
  case WASI_NN_ERRNO_MODEL_NOT_FOUND: return "model_not_found";
  case WTS_ERR_IO: return "io_error";
  case WTS_ERR_NOMEM: return "out_of_memory";
  default: return "unknown";
  }
}

/* Bytes per element; 0 flags a type this SDK does not know. */
size_t wts_type_size(uint32_t type)
{
  switch (type) {
  case WASI_NN_TYPE_F16: return 2;
  case WASI_NN_TYPE_F32: return 4;
  case WASI_NN_TYPE_F64: return 8;
  case WASI_NN_TYPE_U8: return 1;
  case WASI_NN_TYPE_I32: return 4;
  case WASI_NN_TYPE_I64: return 8;
  default: return 0;
  }
}

/* CLOCK_MONOTONIC maps to WASI clock_time_get(monotonic): immune to
** wall-clock changes, which is what latency measurements need. */
double wts_now_ms(void)
{
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
    return 0.0;
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
