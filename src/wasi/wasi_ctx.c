/*
** wasi_ctx.c — creating a WASI context and its descriptor table.
*/
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

static void set_err(wt_error *err, wt_status st, const char *fmt, const char *a, int e) {
  if (!err) return;
  err->status = st;
  err->trap = WT_TRAP_NONE;
  err->func_index = UINT32_MAX;
  err->offset = UINT64_MAX;
  err->exit_code = 0;
  snprintf(err->message, sizeof err->message, fmt, a ? a : "", e ? strerror(e) : "");
}

/* Copies a string vector into one heap array; *bytes gets the total size
** including each terminating NUL (what *_sizes_get reports). */
static bool copy_strv(int n, const char *const *src, char ***out, size_t *count, size_t *bytes) {
  *out = NULL; *count = 0; *bytes = 0;
  if (n <= 0) return true;
  char **v = calloc((size_t)n, sizeof *v);
  if (!v) return false;
  *out = v;
  for (int i = 0; i < n; i++) {
    const char *s = src[i] ? src[i] : "";
    v[i] = strdup(s);
    if (!v[i]) return false;
    *count = (size_t)i + 1;
    *bytes += strlen(s) + 1;
  }
  return true;
}

static void free_strv(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* Probes openat2 once: kernels before 5.6 (or seccomp filters) answer
** ENOSYS, and then every lookup uses the component walk. */
static bool have_openat2(void) {
  struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_BENEATH};
  int fd = (int)syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof how);
  if (fd >= 0) { close(fd); return true; }
  return errno != ENOSYS && errno != EPERM;
}

/* Rights of a standard stream: what its type allows; no seeking on
** terminals and pipes, so wasi-libc's isatty() sees a tty as one. */
static void stdio_entry(int hostfd, wasi_fd *e) {
  struct stat st;
  memset(e, 0, sizeof *e);
  e->open = true;
  e->host = hostfd;
  e->filetype = fstat(hostfd, &st) == 0 ? wasi_filetype_from_mode(st.st_mode)
                                        : WASI_FILETYPE_UNKNOWN;
  e->base = WASI_RIGHTS_FILE;
  if (e->filetype != WASI_FILETYPE_REGULAR_FILE)
    e->base &= ~(WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL);
  e->inh = 0;
}

static bool setup_stdio(wasi_ctx *ctx, const wasi_config *cfg, wt_error *err) {
  const int host[3] = {cfg->stdin_fd, cfg->stdout_fd, cfg->stderr_fd};
  for (int i = 0; i < 3; i++) {
    if (host[i] < 0) continue; /* stays closed: EBADF for the guest */
    int d = fcntl(host[i], F_DUPFD_CLOEXEC, 3);
    int keep = d < 0 ? -1 : fcntl(host[i], F_DUPFD_CLOEXEC, 3);
    int fl = keep < 0 ? -1 : fcntl(host[i], F_GETFL);
    if (fl < 0) {
      int e = errno;
      if (d >= 0) close(d);
      if (keep >= 0) close(keep);
      set_err(err, WT_ERR_IO, "stdio descriptor%s: %s", "", e);
      return false;
    }
    stdio_entry(d, &ctx->fds[i]);
    ctx->stdio_keep[i] = keep;
    ctx->stdio_flags[i] = fl;
  }
  return true;
}

/* Preopen i lives in slot 3 + i whatever stdio holds: wasi-libc scans
** descriptors upwards from 3 until fd_prestat_get says EBADF. */
/* A preopen may pass on every right (WASI_RIGHTS_ALL, not just the file and
** directory ones): guests such as Rust's std ask for rights that do not apply
** to what they open, and path_open narrows them to the file type. */
static bool setup_preopen(wasi_ctx *ctx, const wasi_dir *d, uint32_t slot, wt_error *err) {
  if (!d->host_path) { set_err(err, WT_ERR_ARG, "preopen without a host path%s%s", "", 0); return false; }
  int fd = open(d->host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    set_err(err, WT_ERR_IO, "--dir %s: %s", d->host_path, errno);
    return false;
  }
  wasi_fd e = {.open = true, .preopen = true, .read_only = d->read_only,
               .filetype = WASI_FILETYPE_DIRECTORY, .host = fd,
               .base = WASI_RIGHTS_DIR, .inh = WASI_RIGHTS_ALL};
  e.guest_name = strdup(d->guest_path ? d->guest_path : d->host_path);
  if (!e.guest_name) {
    close(fd);
    set_err(err, WT_ERR_NOMEM, "out of memory%s%s", "", 0);
    return false;
  }
  ctx->fds[slot] = e;
  return true;
}

wasi_ctx *wasi_new(const wasi_config *cfg, wt_error *err) {
  if (!cfg || cfg->argc < 0 || cfg->envc < 0 || cfg->ndirs < 0 ||
      (cfg->argc && !cfg->argv) || (cfg->envc && !cfg->envp) || (cfg->ndirs && !cfg->dirs)) {
    set_err(err, WT_ERR_ARG, "bad WASI configuration%s%s", "", 0);
    return NULL;
  }
  wasi_ctx *ctx = calloc(1, sizeof *ctx);
  uint32_t nslots = 3 + (uint32_t)cfg->ndirs;
  if (!ctx || !(ctx->fds = calloc(nslots, sizeof *ctx->fds))) {
    free(ctx);
    set_err(err, WT_ERR_NOMEM, "out of memory%s%s", "", 0);
    return NULL;
  }
  ctx->nfds = nslots;
  for (int i = 0; i < 3; i++) ctx->stdio_keep[i] = -1;
  const char *mode = getenv("WASITORCH_WASI_RESOLVE");
  ctx->use_walk = (mode && strcmp(mode, "walk") == 0) || !have_openat2();
  if (!copy_strv(cfg->argc, cfg->argv, &ctx->argv, &ctx->argc, &ctx->argv_bytes) ||
      !copy_strv(cfg->envc, cfg->envp, &ctx->envp, &ctx->envc, &ctx->envp_bytes)) {
    set_err(err, WT_ERR_NOMEM, "out of memory%s%s", "", 0);
    goto fail;
  }
  if (!setup_stdio(ctx, cfg, err)) goto fail;
  for (int i = 0; i < cfg->ndirs; i++)
    if (!setup_preopen(ctx, &cfg->dirs[i], 3 + (uint32_t)i, err)) goto fail;
  return ctx;
fail:
  wasi_free(ctx);
  return NULL;
}

void wasi_free(wasi_ctx *ctx) {
  if (!ctx) return;
  for (uint32_t i = 0; i < ctx->nfds; i++) wasi_fd_release(ctx, i);
  for (int i = 0; i < 3; i++) {
    if (ctx->stdio_keep[i] < 0) continue;
    /* only APPEND/NONBLOCK/ASYNC/DIRECT/NOATIME change; a failure here
    ** cannot be reported and leaves the flags as the guest set them */
    (void)fcntl(ctx->stdio_keep[i], F_SETFL, ctx->stdio_flags[i]);
    close(ctx->stdio_keep[i]);
  }
  free(ctx->fds);
  free_strv(ctx->argv, ctx->argc);
  free_strv(ctx->envp, ctx->envc);
  free(ctx);
}

/* ---- descriptor table ---- */

wasi_errno wasi_fd_get(wasi_ctx *ctx, uint32_t fd, uint64_t need, wasi_fd **out) {
  if (fd >= ctx->nfds || !ctx->fds[fd].open) return WASI_EBADF;
  wasi_fd *e = &ctx->fds[fd];
  if ((e->base & need) != need) return WASI_ENOTCAPABLE;
  if (e->read_only && (need & WASI_RIGHTS_MUTATING)) return WASI_EROFS;
  *out = e;
  return WASI_ESUCCESS;
}

wasi_errno wasi_dir_get(wasi_ctx *ctx, uint32_t fd, uint64_t need, wasi_fd **out) {
  if (fd >= ctx->nfds || !ctx->fds[fd].open) return WASI_EBADF;
  if (ctx->fds[fd].filetype != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
  return wasi_fd_get(ctx, fd, need, out);
}

/* The lowest free slot is used, like POSIX; the table grows by doubling up
** to WASI_MAX_FDS. */
wasi_errno wasi_fd_insert(wasi_ctx *ctx, const wasi_fd *e, uint32_t *out_fd) {
  uint32_t i = 0;
  while (i < ctx->nfds && ctx->fds[i].open) i++;
  if (i == ctx->nfds) {
    if (ctx->nfds >= WASI_MAX_FDS) { close(e->host); return WASI_EMFILE; }
    uint32_t n = ctx->nfds * 2 < WASI_MAX_FDS ? ctx->nfds * 2 : WASI_MAX_FDS;
    wasi_fd *grown = realloc(ctx->fds, n * sizeof *grown);
    if (!grown) { close(e->host); return WASI_ENOMEM; }
    memset(grown + ctx->nfds, 0, (n - ctx->nfds) * sizeof *grown);
    ctx->fds = grown;
    ctx->nfds = n;
  }
  ctx->fds[i] = *e;
  ctx->fds[i].open = true;
  *out_fd = i;
  return WASI_ESUCCESS;
}

void wasi_fd_release(wasi_ctx *ctx, uint32_t fd) {
  if (fd >= ctx->nfds || !ctx->fds[fd].open) return;
  close(ctx->fds[fd].host);
  free(ctx->fds[fd].guest_name);
  memset(&ctx->fds[fd], 0, sizeof ctx->fds[fd]);
}
