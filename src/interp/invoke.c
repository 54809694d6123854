/*
** invoke.c — entering the interpreter: execution stacks, host functions
** called from the embedder, and turning a trap into a wt_error.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interp/code.h"
#include "interp/interp.h"

/* Allocates an execution stack sized by the engine's configuration. The
** value stack is allocated but never cleared: the interpreter zeroes each
** frame's locals itself, so untouched pages stay untouched. */
static interp_exec *exec_new(const wt_config *cfg) {
  interp_exec *ex = calloc(1, sizeof *ex);
  if (!ex) return NULL;
  ex->nslots = cfg->value_stack_slots;
  ex->max_frames = cfg->max_call_depth;
  ex->stack = malloc((size_t)ex->nslots * sizeof *ex->stack);
  ex->frames = malloc((size_t)ex->max_frames * sizeof *ex->frames);
  if (!ex->stack || !ex->frames) {
    interp_exec_free(ex);
    return NULL;
  }
  return ex;
}

void interp_exec_free(interp_exec *ex) {
  if (!ex) return;
  free(ex->stack);
  free(ex->frames);
  free(ex);
}

/* Fills err for a trap of `kind` at `site` (NULL for a host function
** called directly by the embedder). */
static wt_status trap_error(wt_error *err, wt_trap_kind kind, const interp_site *site,
                            const wt_error *host) {
  if (!err) return kind == WT_TRAP_EXIT ? WT_ERR_EXIT : WT_ERR_TRAP;
  err->status = kind == WT_TRAP_EXIT ? WT_ERR_EXIT : WT_ERR_TRAP;
  err->trap = kind;
  err->exit_code = kind == WT_TRAP_EXIT ? host->exit_code : 0;
  err->func_index = UINT32_MAX;
  err->offset = UINT64_MAX;
  char what[sizeof err->message];
  if ((kind == WT_TRAP_HOST || kind == WT_TRAP_EXIT) && host->message[0])
    snprintf(what, sizeof what, "%s", host->message);
  else if (kind == WT_TRAP_EXIT)
    snprintf(what, sizeof what, "exit with code %d", host->exit_code);
  else
    snprintf(what, sizeof what, "%s", wt_trap_message(kind));
  const interp_code *code = site && site->fn ? site->fn->code : NULL;
  if (!code) {
    snprintf(err->message, sizeof err->message, "%s", what);
    return err->status;
  }
  err->func_index = code->func_index;
  err->offset = interp_pc_offset(code, site->pc);
  char name[160] = "";
  if (code->debug_name) {
    int k = snprintf(name, sizeof name, " ($%s)", code->debug_name);
    (void)k;
  }
  /* Prefix, then as much of the trap text as fits. */
  int n = snprintf(err->message, sizeof err->message, "trap in function %u%s at offset 0x%llx: ",
                   code->func_index, name, (unsigned long long)err->offset);
  size_t len = n < 0 ? 0 : (size_t)n, wl = strlen(what);
  if (len >= sizeof err->message) len = sizeof err->message - 1;
  if (wl > sizeof err->message - 1 - len) wl = sizeof err->message - 1 - len;
  memcpy(err->message + len, what, wl);
  err->message[len + wl] = '\0';
  return err->status;
}

static wt_status invoke_host(wt_func *fn, uint64_t *slots, wt_error *err) {
  wt_error herr;
  memset(&herr, 0, sizeof herr);
  wt_host_call hc = {NULL, NULL, fn->userdata, &herr};
  wt_trap_kind k = fn->host(&hc, slots);
  return k == WT_TRAP_NONE ? WT_OK : trap_error(err, k, NULL, &herr);
}

static uint64_t deadline_after(uint64_t ms) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + ms * 1000000u;
}

wt_status interp_invoke(wt_store *store, wt_func *fn, uint64_t *slots, wt_error *err) {
  if (fn->host) return invoke_host(fn, slots, err);
  const wt_config *cfg = &store->engine->config;
  interp_exec *ex = store->spare; /* busy while in use: nested calls get their own */
  store->spare = NULL;
  if (!ex && !(ex = exec_new(cfg))) {
    if (err) {
      memset(err, 0, sizeof *err);
      err->status = WT_ERR_NOMEM;
      err->func_index = UINT32_MAX;
      err->offset = UINT64_MAX;
      snprintf(err->message, sizeof err->message, "out of memory for the value stack");
    }
    return WT_ERR_NOMEM;
  }
  ex->deadline_ns = cfg->timeout_ms ? deadline_after(cfg->timeout_ms) : 0;
  ex->ticks = 1; /* check the clock at the first tick */
  /* Counts in slots (a v128 takes two); a frame too big for the stack
  ** is left for interp_run to report as exhaustion. */
  const interp_code *c = fn->code;
  if (c->frame_slots <= ex->nslots) memcpy(ex->stack, slots, (size_t)c->nparams * sizeof *slots);
  interp_site site = {NULL, NULL};
  wt_trap_kind k = interp_run(ex, fn, &site);
  wt_status st = WT_OK;
  if (k == WT_TRAP_NONE) memcpy(slots, ex->stack, (size_t)c->nresults * sizeof *slots);
  else st = trap_error(err, k, &site, &ex->host_err);
  if (!store->spare) store->spare = ex;
  else interp_exec_free(ex);
  return st;
}
