/*
** wasi_path.c — the path sandbox: every guest path is resolved beneath the
** directory descriptor it is relative to.
**
** On Linux >= 5.6 the kernel does the work: openat2 with RESOLVE_BENEATH
** refuses absolute paths, ".." above the start and symlinks leading out
** (EXDEV), atomically, so there is no window between check and use.
** RESOLVE_NO_MAGICLINKS additionally stops /proc-style links. Without
** openat2 wasi_walk_open() walks component by component (wasi_walk.c).
**
** Operations on a name (mkdir, unlink, rename, symlink, link ...) first
** resolve the parent directory this way and then act on a single
** component with the *at() calls, which never follow a final symlink.
*/
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

/* openat2 may fail with EAGAIN when a rename elsewhere raced the lookup;
** after a few retries the component walk (which cannot be raced into an
** escape either) takes over. */
#define SB_OPENAT2_TRIES 8

wasi_errno wasi_sb_open(const wasi_ctx *ctx, int dirfd, const char *path,
                        int oflags, mode_t mode, bool follow, int *out) {
  *out = -1;
  if (path[0] == '/') return WASI_ENOTCAPABLE;
  if (path[0] == 0) return WASI_ENOENT;
  oflags |= O_CLOEXEC;
  if (!(oflags & O_CREAT)) mode = 0; /* openat2 insists */
  if (!ctx->use_walk) {
    struct open_how how = {
        .flags = (uint64_t)(oflags | (follow ? 0 : O_NOFOLLOW)),
        .mode = mode,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    for (int i = 0; i < SB_OPENAT2_TRIES; i++) {
      int fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
      if (fd >= 0) { *out = fd; return WASI_ESUCCESS; }
      if (errno == EAGAIN || errno == EINTR) continue;
      if (errno == ENOSYS) break;
      if (errno == EXDEV) return WASI_ENOTCAPABLE; /* would leave dirfd */
      return wasi_errno_from_host(errno);
    }
  }
  return wasi_walk_open(dirfd, path, oflags, mode, follow, out);
}

/* Splits `path` into (parent directory, last component) and opens the
** parent beneath dirfd. Trailing slashes are stripped from the name and
** reported, so no *at() call ever sees "name/" (which would follow a
** symlink named `name`, possibly to the outside). */
wasi_errno wasi_sb_leaf_open(const wasi_ctx *ctx, int dirfd, const char *path,
                             wasi_sb_leaf *out) {
  out->parent = -1;
  out->name[0] = 0;
  out->trailing_slash = false;
  out->dot = false;
  size_t len = strlen(path);
  if (len == 0) return WASI_ENOENT;
  if (path[0] == '/') return WASI_ENOTCAPABLE;
  size_t end = len;
  while (end > 0 && path[end - 1] == '/') end--;
  out->trailing_slash = end < len;
  size_t start = end;
  while (start > 0 && path[start - 1] != '/') start--;
  if (end - start >= sizeof out->name) return WASI_ENAMETOOLONG;
  memcpy(out->name, path + start, end - start);
  out->name[end - start] = 0;
  out->dot = strcmp(out->name, ".") == 0 || strcmp(out->name, "..") == 0;
  if (start == 0) return wasi_sb_open(ctx, dirfd, ".", O_PATH | O_DIRECTORY, 0, true, &out->parent);
  char *dir = strndup(path, start);
  if (!dir) return WASI_ENOMEM;
  wasi_errno e = wasi_sb_open(ctx, dirfd, dir, O_PATH | O_DIRECTORY, 0, true, &out->parent);
  free(dir);
  return e;
}
