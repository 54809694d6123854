/*
** wasi_env.c — the process-level calls: arguments, environment, clocks,
** randomness, exit, and the socket calls this runtime does not offer.
*/
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

#include "wasi/wasi_internal.h"

#define CTX(call) ((wasi_ctx *)(call)->userdata)

/* Writes a string vector the way args_get/environ_get specify: an array
** of `n` guest pointers at `vec` and the NUL-terminated strings packed at
** `buf`. Both ranges are checked before anything is written. */
static wasi_errno put_strv(wt_host_call *call, char **v, size_t n, size_t bytes,
                           uint32_t vec, uint32_t buf) {
  if ((uint64_t)n * 4 > UINT32_MAX || bytes > UINT32_MAX) return WASI_EFAULT;
  uint8_t *pv = host_mem(call, vec, (uint32_t)(n * 4));
  uint8_t *pb = host_mem(call, buf, (uint32_t)bytes);
  if ((!pv && n) || (!pb && bytes)) return WASI_EFAULT;
  uint32_t off = 0;
  for (size_t i = 0; i < n; i++) {
    size_t l = strlen(v[i]) + 1;
    memcpy(pb + off, v[i], l);
    wasi_put32(pv + 4 * i, buf + off);
    off += (uint32_t)l;
  }
  return WASI_ESUCCESS;
}

static wasi_errno put_sizes(wt_host_call *call, size_t n, size_t bytes, uint32_t pn, uint32_t pb) {
  if (!host_mem(call, pn, 4) || !host_mem(call, pb, 4)) return WASI_EFAULT;
  host_write_u32(call, pn, (uint32_t)n);
  host_write_u32(call, pb, (uint32_t)bytes);
  return WASI_ESUCCESS;
}

WASI_FN(args_get) {
  wasi_ctx *c = CTX(call);
  return wasi_ret(slots, put_strv(call, c->argv, c->argc, c->argv_bytes,
                                  host_arg_u32(slots, 0), host_arg_u32(slots, 1)));
}

WASI_FN(args_sizes_get) {
  wasi_ctx *c = CTX(call);
  return wasi_ret(slots, put_sizes(call, c->argc, c->argv_bytes,
                                   host_arg_u32(slots, 0), host_arg_u32(slots, 1)));
}

WASI_FN(environ_get) {
  wasi_ctx *c = CTX(call);
  return wasi_ret(slots, put_strv(call, c->envp, c->envc, c->envp_bytes,
                                  host_arg_u32(slots, 0), host_arg_u32(slots, 1)));
}

WASI_FN(environ_sizes_get) {
  wasi_ctx *c = CTX(call);
  return wasi_ret(slots, put_sizes(call, c->envc, c->envp_bytes,
                                   host_arg_u32(slots, 0), host_arg_u32(slots, 1)));
}

/* preview1 clock ids map one to one onto POSIX clocks. */
static bool host_clock(uint32_t id, clockid_t *out) {
  switch (id) {
  case WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
  case WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
  case WASI_CLOCK_PROCESS_CPUTIME: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
  case WASI_CLOCK_THREAD_CPUTIME: *out = CLOCK_THREAD_CPUTIME_ID; return true;
  default: return false;
  }
}

static uint64_t ts_to_ns(const struct timespec *t) {
  return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}

WASI_FN(clock_res_get) {
  clockid_t id;
  struct timespec t;
  uint32_t out = host_arg_u32(slots, 1);
  if (!host_clock(host_arg_u32(slots, 0), &id)) return wasi_ret(slots, WASI_EINVAL);
  if (!host_mem(call, out, 8)) return wasi_ret(slots, WASI_EFAULT);
  if (clock_getres(id, &t) != 0) return wasi_ret(slots, wasi_errno_from_host(errno));
  host_write_u64(call, out, ts_to_ns(&t));
  return wasi_ret(slots, WASI_ESUCCESS);
}

/* The precision argument (slot 1) is a hint; the host clock is read at
** its native resolution. */
WASI_FN(clock_time_get) {
  clockid_t id;
  struct timespec t;
  uint32_t out = host_arg_u32(slots, 2);
  if (!host_clock(host_arg_u32(slots, 0), &id)) return wasi_ret(slots, WASI_EINVAL);
  if (!host_mem(call, out, 8)) return wasi_ret(slots, WASI_EFAULT);
  if (clock_gettime(id, &t) != 0) return wasi_ret(slots, wasi_errno_from_host(errno));
  host_write_u64(call, out, ts_to_ns(&t));
  return wasi_ret(slots, WASI_ESUCCESS);
}

/* getrandom() may return fewer bytes than asked (above 32 MiB, or on a
** signal), hence the loop. */
WASI_FN(random_get) {
  uint32_t len = host_arg_u32(slots, 1);
  uint8_t *p = host_mem(call, host_arg_u32(slots, 0), len);
  if (!p && len) return wasi_ret(slots, WASI_EFAULT);
  size_t done = 0;
  while (done < len) {
    ssize_t n = getrandom(p + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return wasi_ret(slots, wasi_errno_from_host(errno));
    }
    done += (size_t)n;
  }
  return wasi_ret(slots, WASI_ESUCCESS);
}

/* Not an error of the guest: the runtime turns WT_TRAP_EXIT into
** WT_ERR_EXIT and the CLI exits with the code. */
WASI_FN(proc_exit) {
  uint32_t code = host_arg_u32(slots, 0);
  if (call->error) {
    call->error->exit_code = (int)code;
    snprintf(call->error->message, sizeof call->error->message, "exit status %u", code);
  }
  return WT_TRAP_EXIT;
}

/* Signals do not exist for a guest. */
WASI_FN(proc_raise) { return wasi_ret(slots, WASI_ENOSYS); }

WASI_FN(sched_yield) {
  sched_yield();
  return wasi_ret(slots, WASI_ESUCCESS);
}

/* No socket is ever granted, so every descriptor is a bad socket; a valid
** one answers ENOTSUP, an invalid one EBADF. */
static wt_trap_kind no_sockets(wt_host_call *call, uint64_t *slots) {
  wasi_fd *e;
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0), 0, &e);
  return wasi_ret(slots, err ? err : WASI_ENOTSUP);
}

WASI_FN(sock_accept) { return no_sockets(call, slots); }
WASI_FN(sock_recv) { return no_sockets(call, slots); }
WASI_FN(sock_send) { return no_sockets(call, slots); }
WASI_FN(sock_shutdown) { return no_sockets(call, slots); }
