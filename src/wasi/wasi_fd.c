/*
** wasi_fd.c — descriptor metadata and management: close, renumber,
** fdstat, filestat, prestat, sync, advise, allocate.
*/
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

#define CTX(call) ((wasi_ctx *)(call)->userdata)

WASI_FN(fd_close) {
  wasi_fd *e;
  uint32_t fd = host_arg_u32(slots, 0);
  wasi_errno err = wasi_fd_get(CTX(call), fd, 0, &e);
  if (!err) wasi_fd_release(CTX(call), fd);
  return wasi_ret(slots, err);
}

/* Moves descriptor `from` onto `to` (which must be open), closing what
** was at `to`; `from` becomes free. */
WASI_FN(fd_renumber) {
  wasi_ctx *c = CTX(call);
  uint32_t from = host_arg_u32(slots, 0), to = host_arg_u32(slots, 1);
  wasi_fd *a, *b;
  wasi_errno err = wasi_fd_get(c, from, 0, &a);
  if (!err) err = wasi_fd_get(c, to, 0, &b);
  if (err || from == to) return wasi_ret(slots, err);
  wasi_fd_release(c, to);
  c->fds[to] = c->fds[from];
  memset(&c->fds[from], 0, sizeof c->fds[from]);
  return wasi_ret(slots, WASI_ESUCCESS);
}

static uint16_t fdflags_from_host(int fl) {
  uint16_t f = 0;
  if (fl & O_APPEND) f |= WASI_FDFLAG_APPEND;
  if (fl & O_NONBLOCK) f |= WASI_FDFLAG_NONBLOCK;
  if ((fl & O_SYNC) == O_SYNC) f |= WASI_FDFLAG_SYNC;
  else if (fl & O_DSYNC) f |= WASI_FDFLAG_DSYNC;
  return f;
}

WASI_FN(fd_fdstat_get) {
  wasi_fd *e;
  uint32_t out = host_arg_u32(slots, 1);
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0), 0, &e);
  if (err) return wasi_ret(slots, err);
  int fl = fcntl(e->host, F_GETFL);
  if (fl < 0) return wasi_ret(slots, wasi_errno_from_host(errno));
  uint8_t b[WASI_FDSTAT_SIZE] = {0};
  b[0] = e->filetype;
  wasi_put16(b + 2, fdflags_from_host(fl));
  wasi_put64(b + 8, e->base);
  wasi_put64(b + 16, e->inh);
  return wasi_ret(slots, wasi_store(call, out, b, sizeof b) ? WASI_ESUCCESS : WASI_EFAULT);
}

/* Only APPEND and NONBLOCK can change after open on Linux; asking to
** change a sync flag is ENOTSUP rather than a silent no-op. */
WASI_FN(fd_fdstat_set_flags) {
  wasi_fd *e;
  uint32_t want = host_arg_u32(slots, 1) & 0xffff;
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0),
                               WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &e);
  if (err) return wasi_ret(slots, err);
  if (want & ~WASI_FDFLAGS_ALL) return wasi_ret(slots, WASI_EINVAL);
  int fl = fcntl(e->host, F_GETFL);
  if (fl < 0) return wasi_ret(slots, wasi_errno_from_host(errno));
  const uint32_t sync = WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC;
  uint32_t have = fdflags_from_host(fl);
  if ((want & sync & ~WASI_FDFLAG_RSYNC) != (have & sync)) return wasi_ret(slots, WASI_ENOTSUP);
  if ((want & WASI_FDFLAG_APPEND) && e->read_only) return wasi_ret(slots, WASI_EROFS);
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (want & WASI_FDFLAG_APPEND) fl |= O_APPEND;
  if (want & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
  if (fcntl(e->host, F_SETFL, fl) != 0) return wasi_ret(slots, wasi_errno_from_host(errno));
  return wasi_ret(slots, WASI_ESUCCESS);
}

/* Rights can only ever shrink. */
WASI_FN(fd_fdstat_set_rights) {
  wasi_fd *e;
  uint64_t base = host_arg_u64(slots, 1), inh = host_arg_u64(slots, 2);
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0), 0, &e);
  if (err) return wasi_ret(slots, err);
  if ((base & ~e->base) || (inh & ~e->inh)) return wasi_ret(slots, WASI_ENOTCAPABLE);
  e->base = base;
  e->inh = inh;
  return wasi_ret(slots, WASI_ESUCCESS);
}

WASI_FN(fd_filestat_get) {
  wasi_fd *e;
  struct stat st;
  uint32_t out = host_arg_u32(slots, 1);
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0), WASI_RIGHT_FD_FILESTAT_GET, &e);
  if (err) return wasi_ret(slots, err);
  if (!host_mem(call, out, WASI_FILESTAT_SIZE)) return wasi_ret(slots, WASI_EFAULT);
  if (fstat(e->host, &st) != 0) return wasi_ret(slots, wasi_errno_from_host(errno));
  uint8_t b[WASI_FILESTAT_SIZE];
  wasi_encode_filestat(b, &st);
  wasi_store(call, out, b, sizeof b);
  return wasi_ret(slots, WASI_ESUCCESS);
}

WASI_FN(fd_filestat_set_size) {
  wasi_fd *e;
  uint64_t size = host_arg_u64(slots, 1);
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0),
                               WASI_RIGHT_FD_FILESTAT_SET_SIZE, &e);
  if (err) return wasi_ret(slots, err);
  if (size > INT64_MAX) return wasi_ret(slots, WASI_EINVAL);
  if (ftruncate(e->host, (off_t)size) != 0) return wasi_ret(slots, wasi_errno_from_host(errno));
  return wasi_ret(slots, WASI_ESUCCESS);
}

wasi_errno wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]) {
  if (fst & ~(uint32_t)(WASI_FST_ATIM | WASI_FST_ATIM_NOW | WASI_FST_MTIM | WASI_FST_MTIM_NOW))
    return WASI_EINVAL;
  if ((fst & WASI_FST_ATIM) && (fst & WASI_FST_ATIM_NOW)) return WASI_EINVAL;
  if ((fst & WASI_FST_MTIM) && (fst & WASI_FST_MTIM_NOW)) return WASI_EINVAL;
  const uint64_t t[2] = {atim, mtim};
  const uint32_t set[2] = {WASI_FST_ATIM, WASI_FST_MTIM};
  const uint32_t now[2] = {WASI_FST_ATIM_NOW, WASI_FST_MTIM_NOW};
  for (int i = 0; i < 2; i++) {
    ts[i].tv_sec = 0;
    if (fst & now[i]) ts[i].tv_nsec = UTIME_NOW;
    else if (fst & set[i]) {
      ts[i].tv_sec = (time_t)(t[i] / 1000000000u);
      ts[i].tv_nsec = (long)(t[i] % 1000000000u);
    } else ts[i].tv_nsec = UTIME_OMIT;
  }
  return WASI_ESUCCESS;
}

WASI_FN(fd_filestat_set_times) {
  wasi_fd *e;
  struct timespec ts[2];
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0),
                               WASI_RIGHT_FD_FILESTAT_SET_TIMES, &e);
  if (!err) err = wasi_times(host_arg_u64(slots, 1), host_arg_u64(slots, 2),
                             host_arg_u32(slots, 3) & 0xffff, ts);
  if (err) return wasi_ret(slots, err);
  if (futimens(e->host, ts) != 0) return wasi_ret(slots, wasi_errno_from_host(errno));
  return wasi_ret(slots, WASI_ESUCCESS);
}

/* prestat: tag 0 (directory) at offset 0, name length at offset 4. Any
** descriptor that is not a preopen answers EBADF, which is how wasi-libc
** knows its scan of preopens is over. */
WASI_FN(fd_prestat_get) {
  wasi_ctx *c = CTX(call);
  uint32_t fd = host_arg_u32(slots, 0), out = host_arg_u32(slots, 1);
  if (fd >= c->nfds || !c->fds[fd].open || !c->fds[fd].preopen) return wasi_ret(slots, WASI_EBADF);
  uint8_t b[WASI_PRESTAT_SIZE] = {0};
  wasi_put32(b + 4, (uint32_t)strlen(c->fds[fd].guest_name));
  return wasi_ret(slots, wasi_store(call, out, b, sizeof b) ? WASI_ESUCCESS : WASI_EFAULT);
}

WASI_FN(fd_prestat_dir_name) {
  wasi_ctx *c = CTX(call);
  uint32_t fd = host_arg_u32(slots, 0), out = host_arg_u32(slots, 1), len = host_arg_u32(slots, 2);
  if (fd >= c->nfds || !c->fds[fd].open || !c->fds[fd].preopen) return wasi_ret(slots, WASI_EBADF);
  const char *name = c->fds[fd].guest_name;
  size_t n = strlen(name);
  if (len < n) return wasi_ret(slots, WASI_ENAMETOOLONG);
  return wasi_ret(slots, wasi_store(call, out, name, (uint32_t)n) ? WASI_ESUCCESS : WASI_EFAULT);
}

WASI_FN(fd_sync) {
  wasi_fd *e;
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0), WASI_RIGHT_FD_SYNC, &e);
  if (!err && fsync(e->host) != 0) err = wasi_errno_from_host(errno);
  return wasi_ret(slots, err);
}

WASI_FN(fd_datasync) {
  wasi_fd *e;
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0), WASI_RIGHT_FD_DATASYNC, &e);
  if (!err && fdatasync(e->host) != 0) err = wasi_errno_from_host(errno);
  return wasi_ret(slots, err);
}

/* fd_advise(fd, offset, len, advice): advice values 0..5 are normal,
** sequential, random, willneed, dontneed, noreuse. */
WASI_FN(fd_advise) {
  static const int host_advice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  wasi_fd *e;
  uint64_t off = host_arg_u64(slots, 1), len = host_arg_u64(slots, 2);
  uint32_t advice = host_arg_u32(slots, 3) & 0xff;
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0), WASI_RIGHT_FD_ADVISE, &e);
  if (err) return wasi_ret(slots, err);
  if (advice > WASI_ADVICE_MAX || off > INT64_MAX || len > INT64_MAX) return wasi_ret(slots, WASI_EINVAL);
  if (e->filetype == WASI_FILETYPE_DIRECTORY) return wasi_ret(slots, WASI_EBADF);
  int r = posix_fadvise(e->host, (off_t)off, (off_t)len, host_advice[advice]);
  return wasi_ret(slots, r == ESPIPE ? WASI_ESPIPE : wasi_errno_from_host(r));
}

WASI_FN(fd_allocate) {
  wasi_fd *e;
  uint64_t off = host_arg_u64(slots, 1), len = host_arg_u64(slots, 2);
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0), WASI_RIGHT_FD_ALLOCATE, &e);
  if (err) return wasi_ret(slots, err);
  if (off > INT64_MAX || len > INT64_MAX || off + len > INT64_MAX) return wasi_ret(slots, WASI_EINVAL);
  return wasi_ret(slots, wasi_errno_from_host(posix_fallocate(e->host, (off_t)off, (off_t)len)));
}
