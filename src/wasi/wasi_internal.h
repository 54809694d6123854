/*
** wasi_internal.h — what the files of src/wasi share: the context, the
** descriptor table, guest-memory encoding helpers and the path sandbox.
** Naming: wasi_ for functions used across files, static helpers bare.
*/
#ifndef WT_WASI_INTERNAL_H
#define WT_WASI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "wasi/wasi.h"
#include "wasi/wasi_abi.h"

typedef uint16_t wasi_errno;

/* One guest descriptor. A slot is free when `open` is false. */
typedef struct wasi_fd {
  bool open;
  bool preopen;      /* granted directory: has a guest name, answers prestat */
  bool read_only;    /* below a read-only preopen: mutation gives EROFS */
  uint8_t filetype;  /* WASI_FILETYPE_* at open time */
  int host;          /* host descriptor owned by the context */
  uint64_t base;     /* rights on this descriptor */
  uint64_t inh;      /* rights descriptors opened through it may get */
  char *guest_name;  /* preopens only */
} wasi_fd;

struct wasi_ctx {
  char **argv; size_t argc; size_t argv_bytes;  /* argv_bytes includes NULs */
  char **envp; size_t envc; size_t envp_bytes;
  wasi_fd *fds; uint32_t nfds;                  /* slots [0, nfds) */
  bool use_walk;                                /* no openat2: walk components */
  /* A guest's fd_fdstat_set_flags on fds 0-2 changes the embedder's open
  ** file description (dup shares it). The context keeps a hidden dup of
  ** each stream and its status flags and puts them back in wasi_free. */
  int stdio_keep[3];                            /* hidden dup, or -1 */
  int stdio_flags[3];                           /* F_GETFL at wasi_new */
};

/* Largest descriptor table; beyond it path_open fails with EMFILE. */
#define WASI_MAX_FDS 16384u

/* ---- errno and file types (wasi_errno.c) ---- */
wasi_errno wasi_errno_from_host(int host_errno);
uint8_t wasi_filetype_from_mode(mode_t mode);

/* ---- descriptor table (wasi_ctx.c) ---- */

/* Looks up `fd` and checks it holds every right in `need`. Returns EBADF for
** a free or out-of-range slot, ENOTCAPABLE for a missing right and EROFS when
** `need` contains a mutating right and the descriptor is read-only. */
wasi_errno wasi_fd_get(wasi_ctx *ctx, uint32_t fd, uint64_t need, wasi_fd **out);
/* Same, and the descriptor must be a directory (else ENOTDIR). */
wasi_errno wasi_dir_get(wasi_ctx *ctx, uint32_t fd, uint64_t need, wasi_fd **out);
/* Installs a descriptor in the lowest free slot; takes ownership of
** e->host (closed on failure). */
wasi_errno wasi_fd_insert(wasi_ctx *ctx, const wasi_fd *e, uint32_t *out_fd);
/* Closes and frees slot `fd`. */
void wasi_fd_release(wasi_ctx *ctx, uint32_t fd);

/* ---- guest memory (wasi_mem.c) ---- */
static inline void wasi_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void wasi_put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline void wasi_put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint16_t wasi_get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t wasi_get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t wasi_get64(const uint8_t *p) {
  return (uint64_t)wasi_get32(p) | (uint64_t)wasi_get32(p + 4) << 32;
}

/* Copies `len` bytes to guest [ptr, ptr+len); false when out of bounds. */
bool wasi_store(wt_host_call *call, uint32_t ptr, const void *src, uint32_t len);

/* A guest iovec list translated to host iovecs. `n` entries, total bytes
** `total`. The iovec array is heap memory owned by the caller
** (wasi_iovs_free). */
typedef struct wasi_iovs {
  struct iovec *v;
  int n;
  size_t total;
} wasi_iovs;

/* Translates guest iovecs [iovs, iovs + 8*count): EFAULT when the array or
** any buffer lies outside memory, EINVAL when the total overflows a
** 32-bit size. At most IOV_MAX entries are taken (a short transfer). */
wasi_errno wasi_iovs_get(wt_host_call *call, uint32_t iovs, uint32_t count, wasi_iovs *out);
void wasi_iovs_free(wasi_iovs *iovs);

/* Copies the guest path [ptr, ptr+len) into a NUL-terminated heap string:
** EFAULT out of bounds, ENAMETOOLONG beyond PATH_MAX, EILSEQ for an
** embedded NUL. */
wasi_errno wasi_path_copy(wt_host_call *call, uint32_t ptr, uint32_t len, char **out);

/* Encodes a host stat into a guest filestat (64 bytes). */
void wasi_encode_filestat(uint8_t out[WASI_FILESTAT_SIZE], const struct stat *st);

/* Converts (atim, mtim, fstflags) into the two timespecs of utimensat:
** EINVAL for unknown flags or a time given both explicitly and as "now". */
wasi_errno wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);

/* ---- the path sandbox (wasi_path.c, wasi_walk.c) ---- */

/* Opens `path` (relative, NUL-terminated) beneath directory `dirfd` with
** host open flags `oflags` (O_CLOEXEC is added) and `mode`. The final
** component is followed when `follow`; intermediate symlinks are followed
** but may never lead outside dirfd. Escapes give ENOTCAPABLE. */
wasi_errno wasi_sb_open(const wasi_ctx *ctx, int dirfd, const char *path,
                        int oflags, mode_t mode, bool follow, int *out);

/* For operations on a name in a directory (mkdir, unlink, rename ...):
** resolves all but the last component of `path` beneath dirfd into a
** directory descriptor *parent (always to be closed by the caller) and
** leaves the last component in `name` (no slashes). `trailing_slash`
** reports whether the path ended in '/'. A last component of "." or ".."
** gives EINVAL-class errors through `dot` = true and name "."/"..". */
typedef struct wasi_sb_leaf {
  int parent;
  char name[256];
  bool trailing_slash;
  bool dot; /* the last component is "." or ".." */
} wasi_sb_leaf;
wasi_errno wasi_sb_leaf_open(const wasi_ctx *ctx, int dirfd, const char *path,
                             wasi_sb_leaf *out);

/* The component walk used without openat2 (same contract as wasi_sb_open). */
wasi_errno wasi_walk_open(int dirfd, const char *path, int oflags, mode_t mode,
                          bool follow, int *out);

/* ---- host functions (wt_host_fn), listed by name in wasi_module.c ----
** wasi_env.c: args, environ, clocks, random, proc, sched, sock
** wasi_fdio.c: read/write/seek   wasi_fd.c: descriptor metadata
** wasi_dir.c: fd_readdir   wasi_pathops.c: path_*   wasi_poll.c: poll_oneoff */
/* WASI_FN(x) declares or defines wasi_fn_x, e.g. wasi_fn_fd_write. */
#define WASI_FN(name) wt_trap_kind wasi_fn_##name(wt_host_call *call, uint64_t *slots)
WASI_FN(args_get);
WASI_FN(args_sizes_get);
WASI_FN(environ_get);
WASI_FN(environ_sizes_get);
WASI_FN(clock_res_get);
WASI_FN(clock_time_get);
WASI_FN(random_get);
WASI_FN(proc_exit);
WASI_FN(proc_raise);
WASI_FN(sched_yield);
WASI_FN(sock_accept);
WASI_FN(sock_recv);
WASI_FN(sock_send);
WASI_FN(sock_shutdown);
WASI_FN(fd_read);
WASI_FN(fd_write);
WASI_FN(fd_pread);
WASI_FN(fd_pwrite);
WASI_FN(fd_seek);
WASI_FN(fd_tell);
WASI_FN(fd_close);
WASI_FN(fd_renumber);
WASI_FN(fd_fdstat_get);
WASI_FN(fd_fdstat_set_flags);
WASI_FN(fd_fdstat_set_rights);
WASI_FN(fd_filestat_get);
WASI_FN(fd_filestat_set_size);
WASI_FN(fd_filestat_set_times);
WASI_FN(fd_prestat_get);
WASI_FN(fd_prestat_dir_name);
WASI_FN(fd_sync);
WASI_FN(fd_datasync);
WASI_FN(fd_advise);
WASI_FN(fd_allocate);
WASI_FN(fd_readdir);
WASI_FN(path_open);
WASI_FN(path_filestat_get);
WASI_FN(path_filestat_set_times);
WASI_FN(path_create_directory);
WASI_FN(path_unlink_file);
WASI_FN(path_remove_directory);
WASI_FN(path_rename);
WASI_FN(path_readlink);
WASI_FN(path_symlink);
WASI_FN(path_link);
WASI_FN(poll_oneoff);

/* The guest-visible return of every WASI function: an errno in slot 0. */
static inline wt_trap_kind wasi_ret(uint64_t *slots, wasi_errno e) {
  slots[0] = e;
  return WT_TRAP_NONE;
}

#endif /* WT_WASI_INTERNAL_H */
