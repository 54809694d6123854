/*
** call.c — wt_func_call: the embedder's entry into a function. Checks the
** argument list against the function type, converts wt_values to slots and
** back, and hands the call to the interpreter.
*/
#include <stdlib.h>
#include <string.h>

#include "interp/interp.h"
#include "wasm/runtime.h"

/* Slot bits of a value (its type has been checked). */
static uint64_t value_bits(const wt_value *v) {
  switch (v->type) {
  case WT_I32:
  case WT_F32: return v->of.i32;
  case WT_FUNCREF: return (uint64_t)(uintptr_t)v->of.funcref;
  case WT_EXTERNREF: return (uint64_t)(uintptr_t)v->of.externref;
  default: return v->of.i64;
  }
}

static wt_value value_of(uint8_t type, uint64_t bits) {
  wt_value v;
  memset(&v, 0, sizeof v);
  v.type = (wt_valtype)type;
  switch (type) {
  case WT_I32:
  case WT_F32: v.of.i32 = (uint32_t)bits; break;
  case WT_FUNCREF: v.of.funcref = (wt_func *)(uintptr_t)bits; break;
  case WT_EXTERNREF: v.of.externref = (void *)(uintptr_t)bits; break;
  default: v.of.i64 = bits; break;
  }
  return v;
}

/* Returns true when `args` match the parameter types one by one. */
static bool args_match(const rt_functype *t, const wt_value *args, size_t nargs) {
  if (nargs != t->nparams || (nargs && !args)) return false;
  for (size_t i = 0; i < nargs; i++)
    if ((uint8_t)args[i].type != t->types[i]) return false;
  return true;
}

wt_status wt_func_call(wt_store *store, wt_func *func, const wt_value *args, size_t nargs,
                       wt_value *results, size_t nresults, wt_error *err) {
  if (!store || !func) return rt_fail(err, WT_ERR_ARG, "bad argument");
  const rt_functype *t = func->type;
  if (!args_match(t, args, nargs))
    return rt_fail(err, WT_ERR_ARG, "arguments do not match the function type");
  if (nresults != t->nresults || (nresults && !results))
    return rt_fail(err, WT_ERR_ARG, "expected %u result(s), room for %zu", t->nresults,
                   nresults);
  /* A v128 takes two slots (interp.h), so count slots, not values. */
  uint32_t np = t->nparams, nr = t->nresults;
  for (uint32_t i = 0; i < t->nparams + t->nresults; i++)
    if (t->types[i] == WT_V128) (void)(i < t->nparams ? np++ : nr++);
  uint32_t n = np > nr ? np : nr;
  uint64_t local[16];
  uint64_t *slots = n <= 16 ? local : malloc(n * sizeof *slots);
  if (!slots) return rt_fail(err, WT_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0, k = 0; i < t->nparams; i++) {
    if (args[i].type == WT_V128) {
      memcpy(&slots[k], args[i].of.v128, 16);
      k += 2;
    } else {
      slots[k++] = value_bits(&args[i]);
    }
  }
  wt_status st = interp_invoke(store, func, slots, err);
  for (uint32_t i = 0, k = 0; st == WT_OK && i < t->nresults; i++) {
    uint8_t type = t->types[t->nparams + i];
    results[i] = value_of(type, slots[k++]);
    if (type == WT_V128) memcpy(results[i].of.v128, &slots[k++ - 1], 16);
  }
  if (slots != local) free(slots);
  return st;
}
