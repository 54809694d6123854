/*
** wasi_pathops.c — the path_* calls. Each one: check the directory
** descriptor and its rights (EROFS below a read-only preopen), copy the
** guest path, resolve it through the sandbox (wasi_path.c), act.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

#define CTX(call) ((wasi_ctx *)(call)->userdata)

/* A resolved "directory + last name" with the copied guest path. */
typedef struct leaf_ref {
  wasi_fd *dir;
  char *path;
  wasi_sb_leaf leaf;
} leaf_ref;

static void leaf_done(leaf_ref *r) {
  if (r->leaf.parent >= 0) close(r->leaf.parent);
  free(r->path);
}

/* Checks `fd` for `need`, copies the path [ptr, ptr+len) and resolves its
** parent. On failure nothing is left to release except via leaf_done. */
static wasi_errno leaf_get(wt_host_call *call, uint32_t fd, uint64_t need, uint32_t ptr,
                           uint32_t len, leaf_ref *r) {
  r->path = NULL;
  r->leaf.parent = -1;
  wasi_errno err = wasi_dir_get(CTX(call), fd, need, &r->dir);
  if (!err) err = wasi_path_copy(call, ptr, len, &r->path);
  if (!err) err = wasi_sb_leaf_open(CTX(call), r->dir->host, r->path, &r->leaf);
  return err;
}

/* A last component of "." or "..": the operation cannot apply to it. If
** the whole path resolves (inside the sandbox) the answer is `inside`,
** otherwise the resolution error (ENOTCAPABLE for "..", above the root). */
static wasi_errno dot_err(wt_host_call *call, const leaf_ref *r, wasi_errno inside) {
  int fd;
  wasi_errno err = wasi_sb_open(CTX(call), r->dir->host, r->path, O_PATH | O_DIRECTORY, 0, true, &fd);
  if (err) return err;
  close(fd);
  return inside;
}

static wasi_errno host_err(void) { return wasi_errno_from_host(errno); }

/* ---- path_open ---- */

/* Host open flags for a request. O_DIRECTORY is always opened read-only:
** write rights do not apply to a directory (path_open narrows them away),
** and guests such as Zig's or AssemblyScript's std ask for every right when
** they open one. Without O_DIRECTORY, write rights on a directory stay
** EISDIR, as POSIX (and wasi-libc's open(O_RDWR)) expects. */
static int host_open_flags(uint32_t oflags, uint64_t base, uint32_t fdflags) {
  bool rd = base & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
  bool wr = !(oflags & WASI_OFLAG_DIRECTORY) &&
            (base & (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FILESTAT_SET_SIZE));
  int f = wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & WASI_OFLAG_CREAT) f |= O_CREAT;
  if (oflags & WASI_OFLAG_DIRECTORY) f |= O_DIRECTORY;
  if (oflags & WASI_OFLAG_EXCL) f |= O_EXCL;
  if (oflags & WASI_OFLAG_TRUNC) f |= O_TRUNC;
  if (fdflags & WASI_FDFLAG_APPEND) f |= O_APPEND;
  if (fdflags & WASI_FDFLAG_DSYNC) f |= O_DSYNC;
  if (fdflags & WASI_FDFLAG_NONBLOCK) f |= O_NONBLOCK;
  if (fdflags & WASI_FDFLAG_RSYNC) f |= O_RSYNC;
  if (fdflags & WASI_FDFLAG_SYNC) f |= O_SYNC;
  return f;
}

/* Validates a path_open request against the directory descriptor: the
** new descriptor's rights must be a subset of the directory's inheriting
** rights, and nothing that could write is opened below a read-only dir.
** A directory cannot be created, truncated or exclusively created by
** path_open (EINVAL; Linux would make a regular file for CREAT|DIRECTORY
** on older kernels). Bits above the 30 defined rights are dropped by the
** caller: they name no capability, and toolchains pass "all ones". */
static wasi_errno open_check(const wasi_fd *d, uint32_t oflags, uint64_t base, uint64_t inh,
                             uint32_t fdflags) {
  if ((oflags & ~WASI_OFLAGS_ALL) || (fdflags & ~WASI_FDFLAGS_ALL)) return WASI_EINVAL;
  if ((oflags & WASI_OFLAG_DIRECTORY) &&
      (oflags & (WASI_OFLAG_CREAT | WASI_OFLAG_EXCL | WASI_OFLAG_TRUNC)))
    return WASI_EINVAL;
  if ((base | inh) & ~d->inh) return WASI_ENOTCAPABLE;
  const uint64_t writes = WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FILESTAT_SET_SIZE;
  if (d->read_only && ((base & writes) || (fdflags & WASI_FDFLAG_APPEND))) return WASI_EROFS;
  return WASI_ESUCCESS;
}

WASI_FN(path_open) {
  wasi_ctx *c = CTX(call);
  uint32_t dirfd = host_arg_u32(slots, 0), lookup = host_arg_u32(slots, 1);
  uint32_t oflags = host_arg_u32(slots, 4) & 0xffff, fdflags = host_arg_u32(slots, 7) & 0xffff;
  uint64_t base = host_arg_u64(slots, 5) & WASI_RIGHTS_ALL;
  uint64_t inh = host_arg_u64(slots, 6) & WASI_RIGHTS_ALL;
  uint32_t outp = host_arg_u32(slots, 8);
  uint64_t need = WASI_RIGHT_PATH_OPEN;
  if (oflags & WASI_OFLAG_CREAT) need |= WASI_RIGHT_PATH_CREATE_FILE;
  if (oflags & WASI_OFLAG_TRUNC) need |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
  wasi_fd *d;
  char *path = NULL;
  wasi_errno err = wasi_dir_get(c, dirfd, need, &d);
  if (!err) err = open_check(d, oflags, base, inh, fdflags);
  if (!err && !host_mem(call, outp, 4)) err = WASI_EFAULT;
  if (!err) err = wasi_path_copy(call, host_arg_u32(slots, 2), host_arg_u32(slots, 3), &path);
  int hfd = -1;
  /* Always opened non-blocking, so a FIFO without a peer cannot hang the
  ** runtime inside open() (past any execution deadline); the flag is
  ** cleared again unless the guest asked for it. */
  if (!err) err = wasi_sb_open(c, d->host, path, host_open_flags(oflags, base, fdflags) | O_NONBLOCK,
                               0666, lookup & WASI_LOOKUP_SYMLINK_FOLLOW, &hfd);
  free(path);
  if (!err && !(fdflags & WASI_FDFLAG_NONBLOCK)) {
    int fl = fcntl(hfd, F_GETFL);
    if (fl < 0 || fcntl(hfd, F_SETFL, fl & ~O_NONBLOCK) != 0) { err = host_err(); close(hfd); }
  }
  if (err) return wasi_ret(slots, err);
  struct stat st;
  if (fstat(hfd, &st) != 0) { err = host_err(); close(hfd); return wasi_ret(slots, err); }
  wasi_fd e = {.open = true, .read_only = d->read_only, .host = hfd,
               .filetype = wasi_filetype_from_mode(st.st_mode)};
  bool is_dir = e.filetype == WASI_FILETYPE_DIRECTORY;
  e.base = base & (is_dir ? WASI_RIGHTS_DIR : WASI_RIGHTS_FILE);
  e.inh = is_dir ? inh : 0;
  uint32_t newfd;
  if ((err = wasi_fd_insert(c, &e, &newfd))) return wasi_ret(slots, err);
  host_write_u32(call, outp, newfd);
  return wasi_ret(slots, WASI_ESUCCESS);
}

/* ---- stat and times ---- */

WASI_FN(path_filestat_get) {
  wasi_ctx *c = CTX(call);
  uint32_t outp = host_arg_u32(slots, 4);
  wasi_fd *d;
  char *path = NULL;
  int fd = -1;
  wasi_errno err = wasi_dir_get(c, host_arg_u32(slots, 0), WASI_RIGHT_PATH_FILESTAT_GET, &d);
  if (!err && !host_mem(call, outp, WASI_FILESTAT_SIZE)) err = WASI_EFAULT;
  if (!err) err = wasi_path_copy(call, host_arg_u32(slots, 2), host_arg_u32(slots, 3), &path);
  if (!err) err = wasi_sb_open(c, d->host, path, O_PATH, 0,
                               host_arg_u32(slots, 1) & WASI_LOOKUP_SYMLINK_FOLLOW, &fd);
  free(path);
  if (err) return wasi_ret(slots, err);
  struct stat st;
  if (fstat(fd, &st) != 0) err = host_err();
  close(fd);
  if (err) return wasi_ret(slots, err);
  uint8_t b[WASI_FILESTAT_SIZE];
  wasi_encode_filestat(b, &st);
  wasi_store(call, outp, b, sizeof b);
  return wasi_ret(slots, WASI_ESUCCESS);
}

/* Sets times on an O_PATH descriptor (the file itself, or the symlink
** itself when not following). AT_EMPTY_PATH works with O_PATH; the
** /proc/self/fd route covers kernels that refuse it. */
static wasi_errno utimens_opath(int fd, const struct timespec ts[2]) {
  if (utimensat(fd, "", ts, AT_EMPTY_PATH) == 0) return WASI_ESUCCESS;
  if (errno != EINVAL && errno != ENOENT) return host_err();
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  if (utimensat(AT_FDCWD, proc, ts, 0) == 0) return WASI_ESUCCESS;
  return host_err();
}

WASI_FN(path_filestat_set_times) {
  wasi_ctx *c = CTX(call);
  wasi_fd *d;
  char *path = NULL;
  int fd = -1;
  struct timespec ts[2];
  wasi_errno err = wasi_dir_get(c, host_arg_u32(slots, 0), WASI_RIGHT_PATH_FILESTAT_SET_TIMES, &d);
  if (!err) err = wasi_times(host_arg_u64(slots, 4), host_arg_u64(slots, 5),
                             host_arg_u32(slots, 6) & 0xffff, ts);
  if (!err) err = wasi_path_copy(call, host_arg_u32(slots, 2), host_arg_u32(slots, 3), &path);
  if (!err) err = wasi_sb_open(c, d->host, path, O_PATH, 0,
                               host_arg_u32(slots, 1) & WASI_LOOKUP_SYMLINK_FOLLOW, &fd);
  free(path);
  if (!err) err = utimens_opath(fd, ts);
  if (fd >= 0) close(fd);
  return wasi_ret(slots, err);
}

/* ---- creation and removal ---- */

WASI_FN(path_create_directory) {
  leaf_ref r;
  wasi_errno err = leaf_get(call, host_arg_u32(slots, 0), WASI_RIGHT_PATH_CREATE_DIRECTORY,
                            host_arg_u32(slots, 1), host_arg_u32(slots, 2), &r);
  if (!err && r.leaf.dot) err = dot_err(call, &r, WASI_EEXIST);
  else if (!err && mkdirat(r.leaf.parent, r.leaf.name, 0777) != 0) err = host_err();
  leaf_done(&r);
  return wasi_ret(slots, err);
}

/* "name/" names a directory: unlinking it is EISDIR, or ENOTDIR when it
** is not one (decided without following a symlink). */
static wasi_errno slash_check(const wasi_sb_leaf *l, wasi_errno if_dir) {
  struct stat st;
  if (fstatat(l->parent, l->name, &st, AT_SYMLINK_NOFOLLOW) != 0) return host_err();
  return S_ISDIR(st.st_mode) ? if_dir : WASI_ENOTDIR;
}

WASI_FN(path_unlink_file) {
  leaf_ref r;
  wasi_errno err = leaf_get(call, host_arg_u32(slots, 0), WASI_RIGHT_PATH_UNLINK_FILE,
                            host_arg_u32(slots, 1), host_arg_u32(slots, 2), &r);
  if (!err && r.leaf.dot) err = dot_err(call, &r, WASI_EISDIR);
  else if (!err && r.leaf.trailing_slash) err = slash_check(&r.leaf, WASI_EISDIR);
  else if (!err && unlinkat(r.leaf.parent, r.leaf.name, 0) != 0) err = host_err();
  leaf_done(&r);
  return wasi_ret(slots, err);
}

WASI_FN(path_remove_directory) {
  leaf_ref r;
  wasi_errno err = leaf_get(call, host_arg_u32(slots, 0), WASI_RIGHT_PATH_REMOVE_DIRECTORY,
                            host_arg_u32(slots, 1), host_arg_u32(slots, 2), &r);
  if (!err && r.leaf.dot)
    err = dot_err(call, &r, strcmp(r.leaf.name, ".") == 0 ? WASI_EINVAL : WASI_ENOTEMPTY);
  else if (!err && unlinkat(r.leaf.parent, r.leaf.name, AT_REMOVEDIR) != 0) err = host_err();
  leaf_done(&r);
  return wasi_ret(slots, err);
}

WASI_FN(path_rename) {
  leaf_ref a, b;
  b.path = NULL; b.leaf.parent = -1;
  wasi_errno err = leaf_get(call, host_arg_u32(slots, 0), WASI_RIGHT_PATH_RENAME_SOURCE,
                            host_arg_u32(slots, 1), host_arg_u32(slots, 2), &a);
  if (!err) err = leaf_get(call, host_arg_u32(slots, 3), WASI_RIGHT_PATH_RENAME_TARGET,
                           host_arg_u32(slots, 4), host_arg_u32(slots, 5), &b);
  if (!err && (a.leaf.dot || b.leaf.dot)) err = dot_err(call, a.leaf.dot ? &a : &b, WASI_EBUSY);
  else if (!err && (a.leaf.trailing_slash || b.leaf.trailing_slash))
    err = slash_check(&a.leaf, WASI_ESUCCESS);
  if (!err && renameat(a.leaf.parent, a.leaf.name, b.leaf.parent, b.leaf.name) != 0) err = host_err();
  leaf_done(&a);
  leaf_done(&b);
  return wasi_ret(slots, err);
}

/* ---- links ---- */

WASI_FN(path_readlink) {
  leaf_ref r;
  uint32_t bufp = host_arg_u32(slots, 3), buflen = host_arg_u32(slots, 4);
  uint32_t usedp = host_arg_u32(slots, 5);
  wasi_errno err = leaf_get(call, host_arg_u32(slots, 0), WASI_RIGHT_PATH_READLINK,
                            host_arg_u32(slots, 1), host_arg_u32(slots, 2), &r);
  if (!err && ((!host_mem(call, bufp, buflen) && buflen) || !host_mem(call, usedp, 4)))
    err = WASI_EFAULT;
  if (!err && r.leaf.dot) err = dot_err(call, &r, WASI_EINVAL);
  else if (!err && r.leaf.trailing_slash) err = WASI_EINVAL; /* "x/" is never a symlink */
  if (!err) {
    char target[PATH_MAX];
    ssize_t n = readlinkat(r.leaf.parent, r.leaf.name, target, sizeof target);
    if (n < 0) err = host_err();
    else {
      uint32_t copy = (uint32_t)n < buflen ? (uint32_t)n : buflen;
      wasi_store(call, bufp, target, copy);
      host_write_u32(call, usedp, copy);
    }
  }
  leaf_done(&r);
  return wasi_ret(slots, err);
}

/* path_symlink(old_path, old_len, fd, new_path, new_len). Absolute
** targets are refused: they can never resolve inside the sandbox, and a
** host program walking the directory later should not be led out. */
WASI_FN(path_symlink) {
  leaf_ref r;
  char *target = NULL;
  wasi_errno err = wasi_path_copy(call, host_arg_u32(slots, 0), host_arg_u32(slots, 1), &target);
  r.path = NULL; r.leaf.parent = -1;
  if (!err) err = leaf_get(call, host_arg_u32(slots, 2), WASI_RIGHT_PATH_SYMLINK,
                           host_arg_u32(slots, 3), host_arg_u32(slots, 4), &r);
  if (!err && target[0] == '/') err = WASI_ENOTCAPABLE;
  if (!err && r.leaf.dot) err = dot_err(call, &r, WASI_EEXIST);
  else if (!err && r.leaf.trailing_slash)
    err = faccessat(r.leaf.parent, r.leaf.name, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ? WASI_EEXIST : WASI_ENOENT;
  if (!err && symlinkat(target, r.leaf.parent, r.leaf.name) != 0) err = host_err();
  free(target);
  leaf_done(&r);
  return wasi_ret(slots, err);
}

/* Hard link to what `old` resolves to when following: the target is
** opened O_PATH through the sandbox and linked via its descriptor, so the
** kernel never re-resolves the guest's path. */
static wasi_errno link_followed(wt_host_call *call, const leaf_ref *o, const leaf_ref *n) {
  int fd;
  wasi_errno err = wasi_sb_open(CTX(call), o->dir->host, o->path, O_PATH, 0, true, &fd);
  if (err) return err;
  if (linkat(fd, "", n->leaf.parent, n->leaf.name, AT_EMPTY_PATH) != 0) {
    /* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc/self/fd does not. */
    int e = errno;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    if (e != ENOENT && e != EPERM) err = wasi_errno_from_host(e);
    else if (linkat(AT_FDCWD, proc, n->leaf.parent, n->leaf.name, AT_SYMLINK_FOLLOW) != 0)
      err = host_err();
  }
  close(fd);
  return err;
}

/* path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len) */
WASI_FN(path_link) {
  leaf_ref o, n;
  n.path = NULL; n.leaf.parent = -1;
  bool follow = host_arg_u32(slots, 1) & WASI_LOOKUP_SYMLINK_FOLLOW;
  wasi_errno err = leaf_get(call, host_arg_u32(slots, 0), WASI_RIGHT_PATH_LINK_SOURCE,
                            host_arg_u32(slots, 2), host_arg_u32(slots, 3), &o);
  if (!err) err = leaf_get(call, host_arg_u32(slots, 4), WASI_RIGHT_PATH_LINK_TARGET,
                           host_arg_u32(slots, 5), host_arg_u32(slots, 6), &n);
  if (!err && n.leaf.dot) err = dot_err(call, &n, WASI_EEXIST);
  else if (!err && o.leaf.dot) err = dot_err(call, &o, WASI_EPERM);
  else if (!err && (n.leaf.trailing_slash || o.leaf.trailing_slash)) err = WASI_ENOTDIR;
  else if (!err && follow) err = link_followed(call, &o, &n);
  else if (!err && linkat(o.leaf.parent, o.leaf.name, n.leaf.parent, n.leaf.name, 0) != 0)
    err = host_err();
  leaf_done(&o);
  leaf_done(&n);
  return wasi_ret(slots, err);
}
