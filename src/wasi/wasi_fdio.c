/*
** wasi_fdio.c — data transfer on descriptors: fd_read, fd_write, fd_pread,
** fd_pwrite, fd_seek, fd_tell.
**
** Order of checks in every call: descriptor and rights, then every guest
** range (iovec array, each buffer, the result cell), and only then the
** host I/O, so a bad pointer never leaves a transfer half reported.
*/
#include <errno.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

#define CTX(call) ((wasi_ctx *)(call)->userdata)

typedef enum { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE } io_kind;

static ssize_t do_io(io_kind k, int fd, const wasi_iovs *v, off_t off) {
  ssize_t n;
  do {
    switch (k) {
    case IO_READ: n = readv(fd, v->v, v->n); break;
    case IO_WRITE: n = writev(fd, v->v, v->n); break;
    case IO_PREAD: n = preadv(fd, v->v, v->n, off); break;
    default: n = pwritev(fd, v->v, v->n, off); break;
    }
  } while (n < 0 && errno == EINTR);
  return n;
}

/* The common body of the four transfer calls. `off` is meaningful for the
** positional ones only; `result` is the guest cell for the byte count. */
static wasi_errno transfer(wt_host_call *call, io_kind k, uint32_t fd, uint32_t iovs,
                           uint32_t niovs, uint64_t off, uint32_t result) {
  static const uint64_t need[] = {
      WASI_RIGHT_FD_READ, WASI_RIGHT_FD_WRITE,
      WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK, WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK};
  wasi_fd *e;
  wasi_errno err = wasi_fd_get(CTX(call), fd, need[k], &e);
  if (err) return err;
  if (e->filetype == WASI_FILETYPE_DIRECTORY) return WASI_EISDIR;
  if ((k == IO_PREAD || k == IO_PWRITE) && off > INT64_MAX) return WASI_EINVAL;
  if (!host_mem(call, result, 4)) return WASI_EFAULT;
  wasi_iovs v;
  if ((err = wasi_iovs_get(call, iovs, niovs, &v))) return err;
  ssize_t n = v.n ? do_io(k, e->host, &v, (off_t)off) : 0;
  int saved = errno;
  wasi_iovs_free(&v);
  if (n < 0) return wasi_errno_from_host(saved);
  host_write_u32(call, result, (uint32_t)n);
  return WASI_ESUCCESS;
}

WASI_FN(fd_read) {
  return wasi_ret(slots, transfer(call, IO_READ, host_arg_u32(slots, 0), host_arg_u32(slots, 1),
                                  host_arg_u32(slots, 2), 0, host_arg_u32(slots, 3)));
}

WASI_FN(fd_write) {
  return wasi_ret(slots, transfer(call, IO_WRITE, host_arg_u32(slots, 0), host_arg_u32(slots, 1),
                                  host_arg_u32(slots, 2), 0, host_arg_u32(slots, 3)));
}

WASI_FN(fd_pread) {
  return wasi_ret(slots, transfer(call, IO_PREAD, host_arg_u32(slots, 0), host_arg_u32(slots, 1),
                                  host_arg_u32(slots, 2), host_arg_u64(slots, 3),
                                  host_arg_u32(slots, 4)));
}

WASI_FN(fd_pwrite) {
  return wasi_ret(slots, transfer(call, IO_PWRITE, host_arg_u32(slots, 0), host_arg_u32(slots, 1),
                                  host_arg_u32(slots, 2), host_arg_u64(slots, 3),
                                  host_arg_u32(slots, 4)));
}

/* fd_seek(fd, offset: s64, whence: u8, newoffset) — a zero move from the
** current position is a "tell" and needs only FD_TELL, as in preview1. */
WASI_FN(fd_seek) {
  uint32_t fd = host_arg_u32(slots, 0), whence = host_arg_u32(slots, 2) & 0xff;
  int64_t delta = (int64_t)host_arg_u64(slots, 1);
  uint32_t result = host_arg_u32(slots, 3);
  uint64_t need = (delta == 0 && whence == WASI_WHENCE_CUR) ? WASI_RIGHT_FD_TELL
                                                             : WASI_RIGHT_FD_SEEK;
  wasi_fd *e;
  wasi_errno err = wasi_fd_get(CTX(call), fd, need, &e);
  if (err) return wasi_ret(slots, err);
  int w = whence == WASI_WHENCE_SET ? SEEK_SET : whence == WASI_WHENCE_CUR ? SEEK_CUR
        : whence == WASI_WHENCE_END ? SEEK_END : -1;
  if (w < 0) return wasi_ret(slots, WASI_EINVAL);
  if (!host_mem(call, result, 8)) return wasi_ret(slots, WASI_EFAULT);
  off_t pos = lseek(e->host, (off_t)delta, w);
  if (pos < 0) return wasi_ret(slots, wasi_errno_from_host(errno));
  host_write_u64(call, result, (uint64_t)pos);
  return wasi_ret(slots, WASI_ESUCCESS);
}

WASI_FN(fd_tell) {
  wasi_fd *e;
  uint32_t result = host_arg_u32(slots, 1);
  wasi_errno err = wasi_fd_get(CTX(call), host_arg_u32(slots, 0), WASI_RIGHT_FD_TELL, &e);
  if (err) return wasi_ret(slots, err);
  if (!host_mem(call, result, 8)) return wasi_ret(slots, WASI_EFAULT);
  off_t pos = lseek(e->host, 0, SEEK_CUR);
  if (pos < 0) return wasi_ret(slots, wasi_errno_from_host(errno));
  host_write_u64(call, result, (uint64_t)pos);
  return wasi_ret(slots, WASI_ESUCCESS);
}
