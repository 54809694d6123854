/*
** wasi_walk.c — path resolution without openat2: a component-by-component
** walk that holds a descriptor for every directory it entered.
**
** Why it is safe against races: each component is opened with O_NOFOLLOW
** relative to a descriptor we hold, so a directory swapped for a symlink
** between two steps is seen as a symlink, never silently followed. ".." is
** never asked of the kernel: it pops our own stack, so a directory moved
** elsewhere meanwhile cannot lift us above the start, and ".." at depth 0
** is an escape. Symlinks are expanded by hand (relative only; an absolute
** target is an escape) with the usual limit of 40.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

#define WALK_MAX_LINKS 40
#define WALK_MAX_DEPTH 256
#define WALK_MAX_PATH (16 * PATH_MAX)

typedef struct walk {
  int base;                   /* the starting directory (not owned) */
  int stack[WALK_MAX_DEPTH];  /* directories entered below base (owned) */
  int depth;
  int links;                  /* symlinks expanded so far */
  char *buf;                  /* current path text (owned) */
  const char *p;              /* next unread character of buf */
} walk;

static int cur(const walk *w) { return w->depth ? w->stack[w->depth - 1] : w->base; }

/* Replaces the path still to walk by `target` + rest; `rest` is empty or
** starts with the '/' that followed the link's component. */
static wasi_errno splice_link(walk *w, const char *target, const char *rest) {
  if (++w->links > WALK_MAX_LINKS) return WASI_ELOOP;
  if (target[0] == '/') return WASI_ENOTCAPABLE;
  size_t tl = strlen(target), rl = strlen(rest);
  if (tl + rl + 1 > WALK_MAX_PATH) return WASI_ENAMETOOLONG;
  char *nb = malloc(tl + rl + 1);
  if (!nb) return WASI_ENOMEM;
  memcpy(nb, target, tl);
  memcpy(nb + tl, rest, rl + 1);
  free(w->buf);
  w->buf = nb;
  w->p = nb;
  return WASI_ESUCCESS;
}

/* Internal answer of try_symlink: `comp` stopped being a symlink between
** the failed open and readlinkat (another process swapped it), so the
** step is tried again instead of reporting a spurious ENOTDIR/ELOOP. */
#define WALK_RETRY 0xffffu
/* Retries of one step before the race is reported as the open's error. */
#define WALK_MAX_RETRIES 16

/* readlinkat said `comp` is no symlink although opening it failed with
** `err` as if it were one. ELOOP from O_NOFOLLOW only ever means a
** symlink; ENOTDIR also means "a file", so it counts as a change only when
** `comp` is now a directory or (again) a symlink. */
static bool changed(const walk *w, const char *comp, int err) {
  if (errno != EINVAL) return false;
  if (err == ELOOP) return true;
  struct stat st;
  return fstatat(cur(w), comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
         (S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode));
}

/* When opening `comp` failed with `err`, is it a symlink? If so, expand it
** in front of `rest` and return success; otherwise return `err`, or
** WALK_RETRY when the entry is (now) something else than a symlink. */
static wasi_errno try_symlink(walk *w, const char *comp, const char *rest, int err) {
  char target[PATH_MAX];
  ssize_t n = readlinkat(cur(w), comp, target, sizeof target - 1);
  if (n < 0) return changed(w, comp, err) ? WALK_RETRY : wasi_errno_from_host(err);
  target[n] = 0;
  char *rest_copy = strdup(rest);
  if (!rest_copy) return WASI_ENOMEM;
  wasi_errno e = splice_link(w, target, rest_copy);
  free(rest_copy);
  return e;
}

/* Enters intermediate directory `comp`. */
static wasi_errno step_dir(walk *w, const char *comp) {
  if (strcmp(comp, ".") == 0) return WASI_ESUCCESS;
  if (strcmp(comp, "..") == 0) {
    if (w->depth == 0) return WASI_ENOTCAPABLE;
    close(w->stack[--w->depth]);
    return WASI_ESUCCESS;
  }
  int fd;
  for (int tries = 0; (fd = openat(cur(w), comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0;
       tries++) {
    int err = errno;
    if (err != ENOTDIR && err != ELOOP) return wasi_errno_from_host(err);
    wasi_errno e = try_symlink(w, comp, w->p, err);
    if (e != WALK_RETRY) return e;
    if (tries == WALK_MAX_RETRIES) return wasi_errno_from_host(err);
  }
  if (w->depth == WALK_MAX_DEPTH) { close(fd); return WASI_ENAMETOOLONG; }
  w->stack[w->depth++] = fd;
  return WASI_ESUCCESS;
}

/* Opens the last component. Returns ESUCCESS with *out >= 0 when done,
** ESUCCESS with *out == -1 when a symlink was expanded and walking goes on. */
static wasi_errno step_last(walk *w, const char *comp, int oflags, mode_t mode,
                            bool follow, int *out) {
  *out = -1;
  if (strcmp(comp, "..") == 0) {
    if (w->depth == 0) return WASI_ENOTCAPABLE;
    close(w->stack[--w->depth]);
    comp = ".";
  }
  for (int tries = 0;; tries++) {
    int fd = openat(cur(w), comp, oflags | O_NOFOLLOW, mode), err = errno;
    wasi_errno e;
    if (fd >= 0) {
      struct stat st;
      if (!follow || !(oflags & O_PATH) || fstat(fd, &st) != 0 || !S_ISLNK(st.st_mode)) {
        *out = fd;
        return WASI_ESUCCESS;
      }
      close(fd);
      err = ELOOP;
    } else if (!follow || (err != ELOOP && err != ENOTDIR)) {
      return wasi_errno_from_host(err);
    }
    e = try_symlink(w, comp, "", err);
    if (e != WALK_RETRY) return e;
    if (tries == WALK_MAX_RETRIES) return wasi_errno_from_host(err);
  }
}

wasi_errno wasi_walk_open(int dirfd, const char *path, int oflags, mode_t mode,
                          bool follow, int *out) {
  *out = -1;
  if (path[0] == '/') return WASI_ENOTCAPABLE;
  if (path[0] == 0) return WASI_ENOENT;
  walk w = {.base = dirfd};
  w.buf = strdup(path);
  if (!w.buf) return WASI_ENOMEM;
  w.p = w.buf;
  wasi_errno e = WASI_ESUCCESS;
  while (e == WASI_ESUCCESS && *out < 0) {
    while (*w.p == '/') w.p++;
    const char *c = w.p;
    while (*w.p && *w.p != '/') w.p++;
    size_t clen = (size_t)(w.p - c);
    char comp[NAME_MAX + 1];
    if (clen > NAME_MAX) { e = WASI_ENAMETOOLONG; break; }
    /* An exhausted path (trailing slash, "a/..") names the current directory. */
    memcpy(comp, clen ? c : ".", clen ? clen : 1);
    comp[clen ? clen : 1] = 0;
    if (*w.p == 0) e = step_last(&w, comp, oflags, mode, follow || !clen, out);
    else e = step_dir(&w, comp);
  }
  while (w.depth) close(w.stack[--w.depth]);
  free(w.buf);
  return e;
}
