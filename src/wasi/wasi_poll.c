/*
** wasi_poll.c — poll_oneoff: clock subscriptions (relative or absolute,
** realtime or monotonic) and fd readiness (read/write) through ppoll.
**
** One pass: every subscription is decoded and checked first (a bad
** descriptor becomes an immediate event carrying its error, as preview1
** wants), then a single ppoll waits for the descriptors with the nearest
** clock deadline as timeout, then events are written for what is ready.
*/
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

#define CTX(call) ((wasi_ctx *)(call)->userdata)
/* More subscriptions than this in one call is refused with EINVAL: it
** bounds host allocations by a constant, not by the guest's memory size. */
#define POLL_MAX_SUBS 4096u

typedef struct sub {
  uint64_t userdata;
  uint8_t type;
  wasi_errno error;   /* decoding/lookup failed: report immediately */
  uint64_t rel_ns;    /* clocks: time left from the start of the call */
  int pfd;            /* fds: index in the pollfd array, else -1 */
  int host;
  bool regular;       /* regular files are always ready */
} sub;

static uint64_t now_ns(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Decodes a clock subscription: clock id @16, timeout @24, flags @40. */
static void decode_clock(const uint8_t *s, sub *out) {
  uint32_t id = wasi_get32(s + 16);
  uint64_t timeout = wasi_get64(s + 24);
  uint16_t flags = wasi_get16(s + 40);
  clockid_t cid;
  if (id == WASI_CLOCK_REALTIME) cid = CLOCK_REALTIME;
  else if (id == WASI_CLOCK_MONOTONIC) cid = CLOCK_MONOTONIC;
  else { out->error = id <= WASI_CLOCK_THREAD_CPUTIME ? WASI_ENOTSUP : WASI_EINVAL; return; }
  if (flags & WASI_SUBCLOCK_ABSTIME) {
    uint64_t now = now_ns(cid);
    out->rel_ns = timeout > now ? timeout - now : 0;
  } else {
    out->rel_ns = timeout;
  }
}

/* Decodes an fd subscription (fd @16). Regular files need no ppoll entry:
** they are always ready. Subscriptions on the same host descriptor share
** one entry, so ppoll gets at most one per open descriptor however many
** subscriptions the guest sends (more entries than RLIMIT_NOFILE would
** make ppoll fail with EINVAL). */
static void decode_fd(wasi_ctx *ctx, const uint8_t *s, sub *out, struct pollfd *pfds, int *npfd) {
  wasi_fd *e;
  out->error = wasi_fd_get(ctx, wasi_get32(s + 16), WASI_RIGHT_POLL_FD_READWRITE, &e);
  if (out->error) return;
  struct stat st;
  out->host = e->host;
  out->regular = fstat(e->host, &st) == 0 && S_ISREG(st.st_mode);
  if (out->regular) return;
  int i = 0;
  while (i < *npfd && pfds[i].fd != e->host) i++;
  if (i == *npfd) {
    pfds[i].fd = e->host;
    pfds[i].events = 0;
    pfds[i].revents = 0;
    (*npfd)++;
  }
  pfds[i].events |= out->type == WASI_EVENT_FD_READ ? POLLIN : POLLOUT;
  out->pfd = i;
}

/* Whether ppoll's answer makes subscription `s` ready. */
static bool fd_ready_for(const sub *s, short re) {
  if (re & (POLLHUP | POLLERR | POLLNVAL)) return true;
  return re & (s->type == WASI_EVENT_FD_READ ? POLLIN : POLLOUT);
}

/* Bytes available to read: what is left of a regular file, else FIONREAD. */
static uint64_t readable_bytes(const sub *s) {
  if (s->regular) {
    struct stat st;
    off_t pos = lseek(s->host, 0, SEEK_CUR);
    if (fstat(s->host, &st) != 0 || pos < 0 || st.st_size < pos) return 0;
    return (uint64_t)(st.st_size - pos);
  }
  int n = 0;
  return ioctl(s->host, FIONREAD, &n) == 0 && n > 0 ? (uint64_t)n : 0;
}

static void put_event(uint8_t *ev, const sub *s, wasi_errno error, uint64_t nbytes, uint16_t flags) {
  memset(ev, 0, WASI_EVENT_SIZE);
  wasi_put64(ev + 0, s->userdata);
  wasi_put16(ev + 8, error);
  ev[10] = s->type;
  wasi_put64(ev + 16, nbytes);
  wasi_put16(ev + 24, flags);
}

/* Waits (unless something is already due) and writes the events to `out`,
** their number to *nev_out. A failing ppoll (other than EINTR) is the
** call's error: reporting no event at all would make guests spin. */
static wasi_errno wait_and_report(sub *subs, uint32_t n, struct pollfd *pfds, int npfd,
                                  uint8_t *out, uint32_t *nev_out) {
  uint64_t min_rel = UINT64_MAX;
  bool immediate = false;
  for (uint32_t i = 0; i < n; i++) {
    if (subs[i].error || subs[i].regular) immediate = true;
    else if (subs[i].type == WASI_EVENT_CLOCK && subs[i].rel_ns < min_rel) min_rel = subs[i].rel_ns;
  }
  if (immediate) min_rel = 0;
  uint64_t start = now_ns(CLOCK_MONOTONIC), elapsed = 0;
  for (;;) {
    uint64_t left = min_rel == UINT64_MAX ? 0 : (min_rel > elapsed ? min_rel - elapsed : 0);
    struct timespec ts = {.tv_sec = (time_t)(left / 1000000000u), .tv_nsec = (long)(left % 1000000000u)};
    int r = ppoll(npfd ? pfds : NULL, (nfds_t)npfd, min_rel == UINT64_MAX ? NULL : &ts, NULL);
    elapsed = now_ns(CLOCK_MONOTONIC) - start;
    if (r >= 0) break;
    if (errno != EINTR) return wasi_errno_from_host(errno);
  }
  uint32_t nev = 0;
  bool fd_ready = false;
  for (uint32_t i = 0; i < n; i++) {
    sub *s = &subs[i];
    uint8_t *ev = out + (size_t)nev * WASI_EVENT_SIZE;
    if (s->error) { put_event(ev, s, s->error, 0, 0); nev++; continue; }
    if (s->pfd < 0 && !s->regular) continue; /* a clock */
    short re = s->pfd < 0 ? 0 : pfds[s->pfd].revents;
    if (!s->regular && !fd_ready_for(s, re)) continue;
    wasi_errno err = (re & POLLNVAL) ? WASI_EBADF : 0;
    uint16_t fl = (re & POLLHUP) ? WASI_EVENTRW_HANGUP : 0;
    put_event(ev, s, err, s->type == WASI_EVENT_FD_READ ? readable_bytes(s) : 0, fl);
    nev++;
    fd_ready = true;
  }
  for (uint32_t i = 0; i < n && !fd_ready; i++) {
    sub *s = &subs[i];
    if (s->type != WASI_EVENT_CLOCK || s->error || s->rel_ns > elapsed) continue;
    put_event(out + (size_t)nev * WASI_EVENT_SIZE, s, 0, 0, 0);
    nev++;
  }
  *nev_out = nev;
  return WASI_ESUCCESS;
}

WASI_FN(poll_oneoff) {
  uint32_t inp = host_arg_u32(slots, 0), outp = host_arg_u32(slots, 1);
  uint32_t n = host_arg_u32(slots, 2), neventsp = host_arg_u32(slots, 3);
  if (n == 0 || n > POLL_MAX_SUBS) return wasi_ret(slots, WASI_EINVAL);
  const uint8_t *in = host_mem(call, inp, n * WASI_SUBSCRIPTION_SIZE);
  if (!in || !host_mem(call, outp, n * WASI_EVENT_SIZE) || !host_mem(call, neventsp, 4))
    return wasi_ret(slots, WASI_EFAULT);
  sub *subs = calloc(n, sizeof *subs);
  struct pollfd *pfds = calloc(n, sizeof *pfds);
  uint8_t *events = calloc(n, WASI_EVENT_SIZE);
  if (!subs || !pfds || !events) {
    free(subs); free(pfds); free(events);
    return wasi_ret(slots, WASI_ENOMEM);
  }
  int npfd = 0;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *s = in + (size_t)i * WASI_SUBSCRIPTION_SIZE;
    subs[i].userdata = wasi_get64(s);
    subs[i].type = s[8];
    subs[i].pfd = -1;
    if (s[8] == WASI_EVENT_CLOCK) decode_clock(s, &subs[i]);
    else if (s[8] == WASI_EVENT_FD_READ || s[8] == WASI_EVENT_FD_WRITE)
      decode_fd(CTX(call), s, &subs[i], pfds, &npfd);
    else subs[i].error = WASI_EINVAL;
  }
  uint32_t nev = 0;
  wasi_errno err = wait_and_report(subs, n, pfds, npfd, events, &nev);
  if (!err) {
    wasi_store(call, outp, events, nev * WASI_EVENT_SIZE);
    host_write_u32(call, neventsp, nev);
  }
  free(subs); free(pfds); free(events);
  return wasi_ret(slots, err);
}
