/*
** loader.c — finding and loading the PyTorch backend library.
**
** The runtime never links libtorch: the backend is a shared library
** (libwasitorch_torch.so) opened with dlopen the first time a model is
** needed. It is looked for in one directory, chosen in this order:
**   1. nn_config.backend_dir (embedders, tests)
**   2. $WASITORCH_BACKEND_DIR
**   3. <directory of /proc/self/exe>/WT_BACKEND_RELDIR (../lib/wasitorch),
**      which is right both in the build tree and after `cmake --install`.
** The library is never dlclose'd: libtorch does not survive unloading.
*/
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nn/nn_internal.h"

#ifndef WT_BACKEND_RELDIR
#define WT_BACKEND_RELDIR "../lib/wasitorch"
#endif

#define BACKEND_FILE "libwasitorch_torch.so"
#define BACKEND_SYMBOL "wasitorch_backend_pytorch"

/* Writes the backend directory into dir[0..cap); false if it cannot be
** determined (no /proc) or does not fit. A path that exists is shown in
** canonical form so the "looked in" message is easy to act on. */
static bool backend_dir(const char *override, char *dir, size_t cap) {
  char raw[PATH_MAX];
  const char *env = getenv("WASITORCH_BACKEND_DIR");
  int n;
  if (override && *override) {
    n = snprintf(raw, sizeof raw, "%s", override);
  } else if (env && *env) {
    n = snprintf(raw, sizeof raw, "%s", env);
  } else {
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) return false;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return false;
    *slash = '\0';
    n = snprintf(raw, sizeof raw, "%s/%s", exe, WT_BACKEND_RELDIR);
  }
  if (n < 0 || (size_t)n >= sizeof raw) return false;
  char canon[PATH_MAX];
  const char *shown = realpath(raw, canon) ? canon : raw;
  n = snprintf(dir, cap, "%s", shown);
  return n >= 0 && (size_t)n < cap;
}

/* dlopen + dlsym + ABI check. Separate from init so each failure gets its
** own message. */
static const nn_backend *open_library(const char *dir, char *msg, size_t msg_len) {
  char path[PATH_MAX + sizeof BACKEND_FILE + 1];
  snprintf(path, sizeof path, "%s/%s", dir, BACKEND_FILE);
  if (access(path, F_OK) != 0) {
    snprintf(msg, msg_len,
             "the PyTorch backend (%s) is not installed; looked in %s "
             "(set WASITORCH_BACKEND_DIR to the folder that holds it)", BACKEND_FILE, dir);
    return NULL;
  }
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *why = dlerror();
    snprintf(msg, msg_len, "the PyTorch backend %s could not be loaded: %s", path,
             why ? why : "unknown dlopen error");
    return NULL;
  }
  /* Converting void* to a function pointer through a union avoids the ISO C
  ** warning about object-to-function pointer casts. */
  union { void *obj; nn_backend_entry fn; } sym;
  sym.obj = dlsym(lib, BACKEND_SYMBOL);
  if (!sym.obj) {
    snprintf(msg, msg_len, "%s is not a wasitorch backend: it has no symbol %s", path,
             BACKEND_SYMBOL);
    return NULL;
  }
  const nn_backend *b = sym.fn();
  if (!b || b->abi_version != NN_BACKEND_ABI_VERSION) {
    snprintf(msg, msg_len, "%s has backend ABI version %u, this runtime needs %u "
             "(rebuild the backend with this runtime)", path, b ? b->abi_version : 0u,
             NN_BACKEND_ABI_VERSION);
    return NULL;
  }
  return b;
}

const nn_backend *nn_loader_open(const char *dir_override, const nn_backend_options *opts,
                                 nn_errno *code, char *msg, size_t msg_len) {
  char dir[PATH_MAX];
  *code = NN_UNSUPPORTED_OPERATION;
  if (!backend_dir(dir_override, dir, sizeof dir)) {
    snprintf(msg, msg_len, "the PyTorch backend (%s) cannot be located: the runtime's own "
             "path is unknown; set WASITORCH_BACKEND_DIR", BACKEND_FILE);
    return NULL;
  }
  const nn_backend *b = open_library(dir, msg, msg_len);
  if (!b) return NULL;
  char why[NN_MSG_MAX] = "";
  nn_errno rc = b->init(opts, why, sizeof why);
  if (rc != NN_SUCCESS) {
    *code = rc;
    snprintf(msg, msg_len, "the PyTorch backend failed to initialise: %s", why);
    return NULL;
  }
  *code = NN_SUCCESS;
  return b;
}
