/*
** wasi_dir.c — fd_readdir.
**
** Stateless by design: the cookie is the kernel's own directory offset
** (getdents64 d_off) of the entry before, 0 being the start. Each call
** seeks to the cookie and serialises entries until the guest buffer is
** full; the last entry may be cut short, and the guest (wasi-libc) sees
** bufused == buf_len and retries with a larger buffer from the same
** cookie. Any number of readers, small buffers and telldir/seekdir then
** work without per-descriptor state.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

#define CTX(call) ((wasi_ctx *)(call)->userdata)
#define DENTS_BUF 16384

/* Host getdents64 record (stable kernel ABI). */
struct host_dirent {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

static uint8_t dtype_to_wasi(int dirfd, const char *name, unsigned char t) {
  switch (t) {
  case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
  case DT_DIR: return WASI_FILETYPE_DIRECTORY;
  case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
  case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
  case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
  case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
  case DT_UNKNOWN: {
    /* Some file systems do not fill d_type: ask, without following. */
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) return wasi_filetype_from_mode(st.st_mode);
    return WASI_FILETYPE_UNKNOWN;
  }
  default: return WASI_FILETYPE_UNKNOWN;
  }
}

/* Appends one dirent (header + name) at dst, cut to `room` bytes.
** Returns the bytes written. */
static uint32_t put_dirent(uint8_t *dst, uint32_t room, const struct host_dirent *d, uint8_t type) {
  uint8_t hdr[WASI_DIRENT_SIZE] = {0};
  uint32_t nlen = (uint32_t)strlen(d->d_name);
  wasi_put64(hdr + 0, (uint64_t)d->d_off);
  wasi_put64(hdr + 8, d->d_ino);
  wasi_put32(hdr + 16, nlen);
  hdr[20] = type;
  uint32_t h = room < WASI_DIRENT_SIZE ? room : WASI_DIRENT_SIZE;
  memcpy(dst, hdr, h);
  uint32_t n = room - h < nlen ? room - h : nlen;
  memcpy(dst + h, d->d_name, n);
  return h + n;
}

/* Fills [buf, buf+len) from directory position `cookie`; *used gets the
** bytes written. */
static wasi_errno fill(int fd, uint8_t *buf, uint32_t len, uint64_t cookie, uint32_t *used) {
  *used = 0;
  if (cookie > INT64_MAX) return WASI_EINVAL;
  if (lseek(fd, (off_t)cookie, SEEK_SET) < 0) return wasi_errno_from_host(errno);
  char *dents = malloc(DENTS_BUF);
  if (!dents) return WASI_ENOMEM;
  wasi_errno err = WASI_ESUCCESS;
  while (*used < len) {
    ssize_t n = getdents64(fd, dents, DENTS_BUF);
    if (n < 0) { err = wasi_errno_from_host(errno); break; }
    if (n == 0) break; /* end of directory */
    for (ssize_t off = 0; off < n && *used < len;) {
      const struct host_dirent *d = (const struct host_dirent *)(dents + off);
      uint8_t t = dtype_to_wasi(fd, d->d_name, d->d_type);
      *used += put_dirent(buf + *used, len - *used, d, t);
      off += d->d_reclen;
    }
  }
  free(dents);
  return err;
}

WASI_FN(fd_readdir) {
  wasi_fd *e;
  uint32_t bufp = host_arg_u32(slots, 1), len = host_arg_u32(slots, 2);
  uint64_t cookie = host_arg_u64(slots, 3);
  uint32_t usedp = host_arg_u32(slots, 4);
  wasi_errno err = wasi_dir_get(CTX(call), host_arg_u32(slots, 0), WASI_RIGHT_FD_READDIR, &e);
  if (err) return wasi_ret(slots, err);
  uint8_t *buf = host_mem(call, bufp, len);
  if ((!buf && len) || !host_mem(call, usedp, 4)) return wasi_ret(slots, WASI_EFAULT);
  uint32_t used = 0;
  if (len) err = fill(e->host, buf, len, cookie, &used);
  if (err) return wasi_ret(slots, err);
  host_write_u32(call, usedp, used);
  return wasi_ret(slots, WASI_ESUCCESS);
}
