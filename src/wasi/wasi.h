/*
** wasi.h — wasi_snapshot_preview1 for the wasitorch runtime.
**
** A wasi_ctx is one guest process's view of the world: its arguments,
** environment, the three standard streams and the directories it was granted
** (preopens). Every path the guest names is resolved beneath one of those
** directories; nothing else of the host file system is reachable.
**
**   wasi_dir dirs[] = {{"/tmp/data", "/data", false}};
**   wasi_config cfg = {.argc = 1, .argv = (const char *[]){"app"},
**                      .dirs = dirs, .ndirs = 1,
**                      .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2};
**   wasi_ctx *w = wasi_new(&cfg, &err);        // NULL + err on failure
**   host_module mods[] = {wasi_host_module(w)};
**   ... resolver: host_resolve(store, mods, 1, import, out) ...
**   wasi_free(w);                              // after the store is gone
**
** The context keeps its own copies (dup) of the host descriptors it is
** given, so closing fd 1 inside the guest never closes the embedder's stdout.
*/
#ifndef WT_WASI_H
#define WT_WASI_H

#include <stdbool.h>

#include "host/host.h"
#include "wasitorch.h"

typedef struct wasi_dir {
  const char *host_path;  /* directory on the host; must exist */
  const char *guest_path; /* name the guest sees (NULL = host_path) */
  bool read_only;         /* refuse every write, creation and removal */
} wasi_dir;

typedef struct wasi_config {
  int argc; const char *const *argv;  /* argv[0] = program name as the guest sees it */
  int envc; const char *const *envp;  /* "KEY=VALUE" */
  const wasi_dir *dirs; int ndirs;    /* preopens, fds 3, 4, ... in this order */
  int stdin_fd, stdout_fd, stderr_fd; /* host fds to expose as 0,1,2 (-1 = closed) */
} wasi_config;

typedef struct wasi_ctx wasi_ctx;

/* Creates a context: copies argv/envp, dups the stdio fds, opens each
** preopen directory. Returns NULL with err filled (WT_ERR_IO when a
** directory cannot be opened, WT_ERR_NOMEM, WT_ERR_ARG) on failure.
**
** Path resolution uses openat2(RESOLVE_BENEATH) when the kernel has it and
** a component-by-component O_NOFOLLOW walk otherwise. Setting the host
** environment variable WASITORCH_WASI_RESOLVE=walk forces the walk (used by
** the tests so that both resolvers are exercised). */
wasi_ctx *wasi_new(const wasi_config *cfg, wt_error *err);

/* Closes every descriptor the context owns and frees it. NULL is fine. */
void wasi_free(wasi_ctx *ctx);

/* The host-module table ("wasi_snapshot_preview1") bound to `ctx`, for
** host_resolve(). The table is static; only userdata points at ctx. */
host_module wasi_host_module(wasi_ctx *ctx);

#endif /* WT_WASI_H */
