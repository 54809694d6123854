/*
** wasi_mem.c — moving WASI values between guest memory and the host.
** Everything here checks (pointer, length) against the guest's memory
** before touching a byte.
*/
#include <limits.h>
#include <stdlib.h>

#include "wasi/wasi_internal.h"

bool wasi_store(wt_host_call *call, uint32_t ptr, const void *src, uint32_t len) {
  void *dst = host_mem(call, ptr, len);
  if (!dst) return false;
  if (len) memcpy(dst, src, len);
  return true;
}

/* Translates a guest (c)iovec array. The whole array is checked first,
** then each buffer; an absurd count therefore fails with EFAULT before any
** allocation proportional to it. Only the first IOV_MAX entries are used,
** which the caller reports as a short transfer, as readv/writev would. */
wasi_errno wasi_iovs_get(wt_host_call *call, uint32_t iovs, uint32_t count, wasi_iovs *out) {
  out->v = NULL; out->n = 0; out->total = 0;
  if ((uint64_t)count * WASI_IOVEC_SIZE > UINT32_MAX) return WASI_EFAULT;
  const uint8_t *arr = host_mem(call, iovs, count * WASI_IOVEC_SIZE);
  if (!arr) return WASI_EFAULT;
  uint32_t n = count < IOV_MAX ? count : IOV_MAX;
  if (n == 0) return WASI_ESUCCESS;
  struct iovec *v = malloc(n * sizeof *v);
  if (!v) return WASI_ENOMEM;
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t buf = wasi_get32(arr + i * WASI_IOVEC_SIZE);
    uint32_t len = wasi_get32(arr + i * WASI_IOVEC_SIZE + 4);
    void *p = host_mem(call, buf, len);
    if (!p && len) { free(v); return WASI_EFAULT; }
    total += len;
    if (total > UINT32_MAX) { free(v); return WASI_EINVAL; }
    v[i].iov_base = p;
    v[i].iov_len = len;
  }
  out->v = v; out->n = (int)n; out->total = (size_t)total;
  return WASI_ESUCCESS;
}

void wasi_iovs_free(wasi_iovs *iovs) {
  free(iovs->v);
  iovs->v = NULL;
}

wasi_errno wasi_path_copy(wt_host_call *call, uint32_t ptr, uint32_t len, char **out) {
  *out = NULL;
  const char *src = host_mem(call, ptr, len);
  if (!src && len) return WASI_EFAULT;
  if (len >= PATH_MAX) return WASI_ENAMETOOLONG;
  if (len && memchr(src, 0, len)) return WASI_EILSEQ;
  char *s = malloc((size_t)len + 1);
  if (!s) return WASI_ENOMEM;
  if (len) memcpy(s, src, len);
  s[len] = 0;
  *out = s;
  return WASI_ESUCCESS;
}

static uint64_t ts_ns(struct timespec t) {
  if (t.tv_sec < 0) return 0; /* preview1 timestamps are unsigned */
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void wasi_encode_filestat(uint8_t out[WASI_FILESTAT_SIZE], const struct stat *st) {
  memset(out, 0, WASI_FILESTAT_SIZE);
  wasi_put64(out + 0, (uint64_t)st->st_dev);
  wasi_put64(out + 8, (uint64_t)st->st_ino);
  out[16] = wasi_filetype_from_mode(st->st_mode);
  wasi_put64(out + 24, (uint64_t)st->st_nlink);
  wasi_put64(out + 32, (uint64_t)st->st_size);
  wasi_put64(out + 40, ts_ns(st->st_atim));
  wasi_put64(out + 48, ts_ns(st->st_mtim));
  wasi_put64(out + 56, ts_ns(st->st_ctim));
}
