/*
** aot_run.c — running native code: the host→guest boundary, traps, guard
** page faults, and the aot_rt callbacks generated code relies on.
**
** Every entry into native code (aot_trampoline) sets up a boundary: a
** sigsetjmp point plus the trap record. Traps — from generated code, from
** a callback, or a SIGSEGV/SIGBUS on a guard page — siglongjmp to the
** innermost boundary of the thread, which turns them into a trap kind and
** a message identical to the interpreter's. Only C frames of generated
** code and of this file lie between a boundary and a trap: host functions
** called from guest code run inside `call_fn`, which marks the thread as
** "in host code" so a fault there is a real crash, not a guest trap.
**
** The innermost boundary is thread-local: a signal handler can find it no
** other way. That one pointer is the only per-thread state of the tier.
*/
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aot/aot_rt.h"
#include "interp/interp.h"
#include "wasm/runtime.h"

typedef struct aot_boundary {
  sigjmp_buf jb;
  struct aot_boundary *prev;
  volatile sig_atomic_t in_guest; /* faults now are guest memory accesses */
  uint64_t deadline_ns;
  wt_trap_kind kind;
  uint32_t fi, off;                /* UINT32_MAX: no location */
  const wt_module *mod;            /* module of fi */
  bool preformatted;               /* msg is the complete message */
  int exit_code;
  char msg[sizeof(((wt_error *)0)->message)];
} aot_boundary;

static _Thread_local aot_boundary *tls_boundary;

/* ---- the gs segment base (Segue) ------------------------------------------- */
/* Generated x86-64 code in guard mode addresses linear memory relative to gs
** (aot_ops.h). User space on x86-64 Linux leaves gs unused (TLS is fs), so the
** runtime owns it: entering native code points it at the instance's memory,
** and leaving puts back the base of the native code it returns to. The
** thread-local copy saves the system call when the base is already right
** (this CPU has no FSGSBASE, so every change is an arch_prctl). */
#if defined(__x86_64__) && defined(__linux__)
#include <asm/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
static _Thread_local uintptr_t tls_gs_base;

static bool gs_switch(uintptr_t base, uintptr_t *prev) {
  *prev = tls_gs_base;
  if (!base || base == tls_gs_base) return true;
  if (syscall(SYS_arch_prctl, ARCH_SET_GS, base) != 0) return false;
  tls_gs_base = base;
  return true;
}

static void gs_restore(uintptr_t prev) {
  if (prev && prev != tls_gs_base && syscall(SYS_arch_prctl, ARCH_SET_GS, prev) == 0)
    tls_gs_base = prev;
}
#else
static bool gs_switch(uintptr_t base, uintptr_t *prev) {
  (void)base;
  *prev = 0;
  return true;
}
static void gs_restore(uintptr_t prev) { (void)prev; }
#endif

/* ---- traps ----------------------------------------------------------------- */

static void __attribute__((noreturn)) raise_trap(aot_boundary *b, wt_trap_kind kind) {
  b->kind = kind;
  siglongjmp(b->jb, 1);
}

static void __attribute__((noreturn)) cb_trap(aot_ctx *c, uint32_t kind, uint32_t fi,
                                             uint32_t off) {
  aot_boundary *b = tls_boundary;
  aot_inst *r = c->priv;
  b->fi = fi;
  b->off = off;
  b->mod = r->am->mod;
  b->msg[0] = '\0';
  raise_trap(b, (wt_trap_kind)kind);
}

/* Guard-page faults: a SIGSEGV/SIGBUS while the thread runs generated code
** is an out-of-bounds access (the only memory generated code touches
** besides its own stack and context). Anything else goes to the handler
** that was there before (ASan's, or the default). */
static struct sigaction old_segv, old_bus;

static void on_fault(int sig, siginfo_t *si, void *uc) {
  aot_boundary *b = tls_boundary;
  if (b && b->in_guest) {
    b->in_guest = 0;
    b->fi = UINT32_MAX;
    b->off = UINT32_MAX;
    b->mod = NULL;
    b->msg[0] = '\0';
    raise_trap(b, WT_TRAP_MEMORY_OOB);
  }
  struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_bus;
  if (old->sa_flags & SA_SIGINFO) {
    old->sa_sigaction(sig, si, uc);
  } else if (old->sa_handler != SIG_IGN && old->sa_handler != SIG_DFL) {
    old->sa_handler(sig);
  } else {
    /* Restore the default action and let the fault happen again. */
    signal(sig, SIG_DFL);
  }
}

static void install_handlers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  /* NODEFER: the handler leaves by siglongjmp without restoring the mask. */
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &old_segv);
  sigaction(SIGBUS, &sa, &old_bus);
}

static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

/* Fills err from a boundary's trap record, in the interpreter's words. */
static void format_trap(const aot_boundary *b, wt_error *err) {
  memset(err, 0, sizeof *err);
  err->status = b->kind == WT_TRAP_EXIT ? WT_ERR_EXIT : WT_ERR_TRAP;
  err->trap = b->kind;
  err->exit_code = b->exit_code;
  err->func_index = b->fi;
  err->offset = b->off == UINT32_MAX ? UINT64_MAX : b->off;
  if (b->preformatted) {
    snprintf(err->message, sizeof err->message, "%s", b->msg);
    return;
  }
  char what[sizeof err->message];
  if (b->msg[0]) snprintf(what, sizeof what, "%s", b->msg);
  else if (b->kind == WT_TRAP_EXIT) snprintf(what, sizeof what, "exit with code %d", b->exit_code);
  else snprintf(what, sizeof what, "%s", wt_trap_message(b->kind));
  if (b->fi == UINT32_MAX || !b->mod) {
    snprintf(err->message, sizeof err->message, "%s", what);
    return;
  }
  const char *name = NULL;
  if (b->fi >= b->mod->nfunc_imports) name = b->mod->funcs[b->fi - b->mod->nfunc_imports].debug_name;
  char pre[200];
  if (name)
    snprintf(pre, sizeof pre, "trap in function %u ($%.120s) at offset 0x%x: ", b->fi, name, b->off);
  else
    snprintf(pre, sizeof pre, "trap in function %u at offset 0x%x: ", b->fi, b->off);
  size_t pl = strlen(pre), wl = strlen(what);
  if (wl > sizeof err->message - 1 - pl) wl = sizeof err->message - 1 - pl;
  memcpy(err->message, pre, pl);
  memcpy(err->message + pl, what, wl);
  err->message[pl + wl] = '\0';
}

/* ---- entering native code ------------------------------------------------- */

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Lowest address native code may push to: the thread's stack bottom plus
** room for host calls and the signal handler. */
static uintptr_t stack_limit(void) {
  pthread_attr_t attr;
  void *lo = NULL;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &lo, &size);
    pthread_attr_destroy(&attr);
  }
  if (!lo) return 0;
  size_t margin = size / 8 > ((size_t)256 << 10) ? size / 8 : (size_t)256 << 10;
  return (uintptr_t)lo + margin;
}

/* Runs defined function fr->index of its instance with the slot ABI;
** a new boundary catches its traps. */
static wt_trap_kind enter(aot_fnrec *fr, uint64_t *slots, wt_error *herr) {
  pthread_once(&handlers_once, install_handlers);
  aot_inst *r = fr->inst;
  aot_ctx *c = &r->ctx;
  aot_boundary b;
  memset(&b, 0, sizeof b);
  b.prev = tls_boundary;
  const wt_config *cfg = &r->am->engine->config;
  b.deadline_ns = b.prev ? b.prev->deadline_ns
                         : cfg->timeout_ms ? now_ns() + cfg->timeout_ms * 1000000u : 0;
  int64_t depth = c->depth;
  uintptr_t limit = c->stack_limit;
  uint32_t ticks = c->ticks;
  c->depth = cfg->max_call_depth;
  c->stack_limit = stack_limit();
  c->ticks = 1; /* the first loop head reads the clock */
  tls_boundary = &b;
  volatile wt_trap_kind kind = WT_TRAP_NONE;
  uintptr_t gs_prev;
  if (!gs_switch((uintptr_t)c->mem, &gs_prev)) {
    b.fi = b.off = UINT32_MAX;
    snprintf(b.msg, sizeof b.msg, "aot: cannot set the gs segment base for native code");
    kind = WT_TRAP_HOST;
  } else if (sigsetjmp(b.jb, 0) == 0) {
    b.in_guest = 1;
    r->am->desc->entries[fr->index](c, slots);
    b.in_guest = 0;
  } else {
    kind = b.kind;
  }
  gs_restore(gs_prev);
  tls_boundary = b.prev;
  c->depth = depth;
  c->stack_limit = limit;
  c->ticks = ticks;
  if (kind != WT_TRAP_NONE) {
    format_trap(&b, &r->last);
    if (herr) {
      snprintf(herr->message, sizeof herr->message, "%s",
               kind == WT_TRAP_HOST || kind == WT_TRAP_EXIT ? b.msg : "");
      if (kind == WT_TRAP_HOST && b.preformatted)
        snprintf(herr->message, sizeof herr->message, "%s", r->last.message);
      herr->exit_code = b.exit_code;
    }
  }
  return kind;
}

wt_trap_kind aot_trampoline(wt_host_call *call, uint64_t *slots) {
  return enter(call->userdata, slots, call->error);
}

/* ---- calls out of native code --------------------------------------------- */

/* Calls any function from generated code. Native code of another instance
** runs on this boundary with the caller's depth and stack budget; host and
** interpreted functions run as host code, their failures become traps at
** the call site (fi, off). */
static void cb_call(aot_ctx *c, void *fnp, uint64_t *slots, uint32_t fi, uint32_t off) {
  wt_func *fn = fnp;
  aot_boundary *b = tls_boundary;
  aot_inst *r = c->priv;
  if (fn->host == aot_trampoline) {
    aot_fnrec *fr = fn->userdata;
    aot_ctx *cc = &fr->inst->ctx;
    if (c->depth <= 0) cb_trap(c, WT_TRAP_STACK_EXHAUSTED, fi, off);
    int64_t depth = cc->depth;
    uintptr_t limit = cc->stack_limit;
    cc->depth = c->depth - 1;
    cc->stack_limit = c->stack_limit;
    cc->ticks = c->ticks;
    uintptr_t gs_prev;
    if (!gs_switch((uintptr_t)cc->mem, &gs_prev)) cb_trap(c, WT_TRAP_HOST, fi, off);
    fr->inst->am->desc->entries[fr->index](cc, slots);
    gs_restore(gs_prev);
    c->ticks = cc->ticks;
    cc->depth = depth;
    cc->stack_limit = limit;
    return;
  }
  wt_error err;
  memset(&err, 0, sizeof err);
  wt_trap_kind k;
  b->in_guest = 0;
  if (fn->host) {
    wt_host_call hc = {r->inst, r->inst->mem0, fn->userdata, &err};
    k = fn->host(&hc, slots);
    b->fi = fi;
    b->off = off;
    b->mod = r->am->mod;
    snprintf(b->msg, sizeof b->msg, "%s", err.message);
    b->exit_code = err.exit_code;
  } else {
    wt_status st = interp_invoke(r->store, fn, slots, &err);
    k = st == WT_OK ? WT_TRAP_NONE : st == WT_ERR_TRAP || st == WT_ERR_EXIT ? err.trap : WT_TRAP_HOST;
    b->fi = err.func_index;
    b->off = err.offset == UINT64_MAX ? UINT32_MAX : (uint32_t)err.offset;
    b->preformatted = true;
    snprintf(b->msg, sizeof b->msg, "%s", err.message);
    b->exit_code = err.exit_code;
  }
  b->in_guest = 1;
  if (k != WT_TRAP_NONE) raise_trap(b, k);
  b->preformatted = false;
}

static void cb_indirect(aot_ctx *c, uint32_t table, uint32_t idx, uint32_t ti, aot_target *out,
                        uint32_t fi, uint32_t off) {
  aot_inst *r = c->priv;
  wt_table *t = r->inst->tables[table];
  if (idx >= t->size) cb_trap(c, WT_TRAP_UNDEFINED_ELEM, fi, off);
  wt_func *fn = t->elems[idx];
  if (!fn) cb_trap(c, WT_TRAP_UNINITIALIZED_ELEM, fi, off);
  if (fn->type_id != r->am->type_ids[ti]) cb_trap(c, WT_TRAP_INDIRECT_MISMATCH, fi, off);
  out->fn = fn;
  out->native = NULL;
  if (fn->host == aot_trampoline) {
    aot_fnrec *fr = fn->userdata;
    if (fr->inst == r) out->native = r->am->desc->natives[fr->index];
  }
}

static void cb_tick(aot_ctx *c, uint32_t fi, uint32_t off) {
  aot_boundary *b = tls_boundary;
  if (b->deadline_ns && now_ns() > b->deadline_ns) cb_trap(c, WT_TRAP_TIMEOUT, fi, off);
}

/* ---- memory and tables ----------------------------------------------------- */

static uint32_t cb_memory_grow(aot_ctx *c, uint32_t delta) {
  aot_inst *r = c->priv;
  int64_t old = rt_memory_grow(r->inst->mem0, delta);
  return old < 0 ? UINT32_MAX : (uint32_t)old;
}

static void cb_memory_init(aot_ctx *c, uint32_t seg, uint32_t d, uint32_t s, uint32_t n,
                           uint32_t fi, uint32_t off) {
  aot_inst *r = c->priv;
  wt_trap_kind k = rt_memory_init(r->inst, seg, d, s, n);
  if (k != WT_TRAP_NONE) cb_trap(c, k, fi, off);
}

static void cb_memory_copy(aot_ctx *c, uint32_t d, uint32_t s, uint32_t n, uint32_t fi,
                           uint32_t off) {
  wt_memory *m = ((aot_inst *)c->priv)->inst->mem0;
  if ((uint64_t)d + n > m->size || (uint64_t)s + n > m->size)
    cb_trap(c, WT_TRAP_MEMORY_OOB, fi, off);
  if (n) memmove(m->base + d, m->base + s, n);
}

static void cb_memory_fill(aot_ctx *c, uint32_t d, uint32_t v, uint32_t n, uint32_t fi,
                           uint32_t off) {
  wt_memory *m = ((aot_inst *)c->priv)->inst->mem0;
  if ((uint64_t)d + n > m->size) cb_trap(c, WT_TRAP_MEMORY_OOB, fi, off);
  if (n) memset(m->base + d, (int)(uint8_t)v, n);
}

static void cb_data_drop(aot_ctx *c, uint32_t seg) {
  ((aot_inst *)c->priv)->inst->data_len[seg] = 0;
}

static wt_table *table_of(aot_ctx *c, uint32_t t) { return ((aot_inst *)c->priv)->inst->tables[t]; }

static void *cb_table_get(aot_ctx *c, uint32_t t, uint32_t i, uint32_t fi, uint32_t off) {
  wt_table *tab = table_of(c, t);
  if (i >= tab->size) cb_trap(c, WT_TRAP_TABLE_OOB, fi, off);
  return tab->elems[i];
}

static void cb_table_set(aot_ctx *c, uint32_t t, uint32_t i, void *v, uint32_t fi, uint32_t off) {
  wt_table *tab = table_of(c, t);
  if (i >= tab->size) cb_trap(c, WT_TRAP_TABLE_OOB, fi, off);
  tab->elems[i] = v;
}

static uint32_t cb_table_size(aot_ctx *c, uint32_t t) { return table_of(c, t)->size; }

static uint32_t cb_table_grow(aot_ctx *c, uint32_t t, void *init, uint32_t n) {
  int64_t old = rt_table_grow(table_of(c, t), n, init);
  return old < 0 ? UINT32_MAX : (uint32_t)old;
}

static void cb_table_fill(aot_ctx *c, uint32_t t, uint32_t i, void *v, uint32_t n, uint32_t fi,
                          uint32_t off) {
  wt_table *tab = table_of(c, t);
  if ((uint64_t)i + n > tab->size) cb_trap(c, WT_TRAP_TABLE_OOB, fi, off);
  for (uint32_t k = 0; k < n; k++) tab->elems[i + k] = v;
}

static void cb_table_copy(aot_ctx *c, uint32_t dt, uint32_t st, uint32_t d, uint32_t s,
                          uint32_t n, uint32_t fi, uint32_t off) {
  wt_table *td = table_of(c, dt), *ts = table_of(c, st);
  if ((uint64_t)d + n > td->size || (uint64_t)s + n > ts->size)
    cb_trap(c, WT_TRAP_TABLE_OOB, fi, off);
  if (n) memmove(td->elems + d, ts->elems + s, (size_t)n * sizeof(void *));
}

static void cb_table_init(aot_ctx *c, uint32_t t, uint32_t seg, uint32_t d, uint32_t s,
                          uint32_t n, uint32_t fi, uint32_t off) {
  wt_trap_kind k = rt_table_init(((aot_inst *)c->priv)->inst, t, seg, d, s, n);
  if (k != WT_TRAP_NONE) cb_trap(c, k, fi, off);
}

static void cb_elem_drop(aot_ctx *c, uint32_t seg) {
  ((aot_inst *)c->priv)->inst->elem_len[seg] = 0;
}

static const aot_rt callbacks = {
    cb_trap,        cb_call,        cb_indirect,   cb_tick,       cb_memory_grow,
    cb_memory_init, cb_memory_copy, cb_memory_fill, cb_data_drop, cb_table_get,
    cb_table_set,   cb_table_size,  cb_table_grow, cb_table_fill, cb_table_copy,
    cb_table_init,  cb_elem_drop};

/* ---- instantiation --------------------------------------------------------- */

/* Builds the instance record and points the instance's own functions at
** the native code. */
static wt_status bind_instance(wt_aot_module *am, wt_store *store, wt_instance *inst,
                               wt_error *err) {
  const wt_module *m = am->mod;
  aot_inst *r = calloc(1, sizeof *r);
  if (!r) return rt_fail(err, WT_ERR_NOMEM, "out of memory");
  r->next = am->insts;
  am->insts = r;
  r->inst = inst;
  r->am = am;
  r->store = store;
  r->fns = calloc(m->nfuncs + 1, sizeof *r->fns);
  r->gcells = calloc(m->nglobals_total + 1, sizeof *r->gcells);
  if (!r->fns || !r->gcells) return rt_fail(err, WT_ERR_NOMEM, "out of memory");
  wt_memory *mem = inst->mem0;
  if (mem && am->desc->guard_pages && mem->reserved < AOT_GUARD_BYTES)
    return rt_fail(err, WT_ERR_UNSUPPORTED,
                   "aot: code compiled for guard pages needs an engine with guard regions");
  for (uint32_t g = 0; g < m->nglobals_total; g++) r->gcells[g] = &inst->globals[g]->val;
  r->ctx = (aot_ctx){&callbacks, mem ? mem->base : NULL, mem ? &mem->size : NULL, r->gcells,
                     (void **)inst->funcs, 0, 0, AOT_TICKS, r};
  for (uint32_t i = 0; i < m->nfuncs; i++) {
    r->fns[i] = (aot_fnrec){r, i};
    wt_func *f = inst->funcs[m->nfunc_imports + i];
    f->host = aot_trampoline;
    f->userdata = &r->fns[i];
  }
  return WT_OK;
}

wt_status wt_aot_instantiate(wt_store *store, wt_aot_module *am, wt_resolver resolve,
                             void *userdata, wt_instance **out, wt_error *err) {
  if (out) *out = NULL;
  if (!store || !am || !out) return rt_fail(err, WT_ERR_ARG, "bad argument");
  if (store->engine != am->engine)
    return rt_fail(err, WT_ERR_ARG, "module and store belong to different engines");
  /* The shadow module has no start function: the start function must run
  ** natively, after the functions are bound. */
  wt_instance *inst;
  wt_status st = wt_instantiate(store, &am->shadow, resolve, userdata, &inst, err);
  if (st != WT_OK) return st;
  st = bind_instance(am, store, inst, err);
  if (st == WT_OK && am->mod->has_start) {
    uint64_t slots[1] = {0};
    wt_func *f = inst->funcs[am->mod->start];
    if (f->host == aot_trampoline) {
      aot_fnrec *fr = f->userdata;
      wt_trap_kind k = enter(fr, slots, NULL);
      if (k != WT_TRAP_NONE) {
        if (err) *err = fr->inst->last;
        st = fr->inst->last.status;
      }
    } else {
      st = interp_invoke(store, f, slots, err);
    }
  }
  if (st == WT_OK) *out = inst;
  return st;
}

/* wt_func_call, with the complete trap message for native functions (the
** host-function path that wt_func_call takes only carries the kind). */
wt_status wt_aot_func_call(wt_store *store, wt_func *func, const wt_value *args, size_t nargs,
                           wt_value *results, size_t nresults, wt_error *err) {
  wt_status st = wt_func_call(store, func, args, nargs, results, nresults, err);
  if ((st == WT_ERR_TRAP || st == WT_ERR_EXIT) && err && func && func->host == aot_trampoline) {
    aot_fnrec *fr = func->userdata;
    *err = fr->inst->last;
  }
  return st;
}
