/*
** loader.c — loading an artifact (checks first, then dlopen from a memfd)
** and the artifact cache keyed by module, compiler, flags and ABI.
*/
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aot/aot_rt.h"

#if defined(__x86_64__)
#define HOST_ARCH "x86_64"
#elif defined(__aarch64__)
#define HOST_ARCH "aarch64"
#else
#define HOST_ARCH "unknown"
#endif

typedef struct art_header {
  char abi[16], gen[48], arch[64], guard[8], wasm_sha[80], so_sha[80], compiler[256], cflags[1024];
  size_t wasm_size, so_size, header_len;
} art_header;

/* Copies the value of `key=` from the header text into out. */
static bool field(const char *text, const char *key, char *out, size_t size) {
  size_t kl = strlen(key);
  for (const char *p = text; *p && *p != '\n'; p = strchr(p, '\n') + 1) {
    const char *nl = strchr(p, '\n');
    if (!nl) return false;
    if ((size_t)(nl - p) > kl && memcmp(p, key, kl) == 0 && p[kl] == '=') {
      size_t n = (size_t)(nl - p) - kl - 1;
      if (n >= size) return false;
      memcpy(out, p + kl + 1, n);
      out[n] = '\0';
      return true;
    }
  }
  return false;
}

/* Parses the header of `data`; false when it is not a well-formed one. */
static bool parse_header(const uint8_t *data, size_t len, art_header *h) {
  if (len < 6 || memcmp(data, "WTAOT\n", 6) != 0) return false;
  const uint8_t *end = NULL;
  for (size_t i = 6; i + 1 < len && i < 8192; i++)
    if (data[i] == '\n' && data[i + 1] == '\n') {
      end = data + i + 2;
      break;
    }
  if (!end) return false;
  size_t hl = (size_t)(end - data);
  char *text = malloc(hl + 1);
  if (!text) return false;
  memcpy(text, data + 6, hl - 6);
  text[hl - 6] = '\0';
  char ws[32], ss[32];
  bool ok = field(text, "abi", h->abi, sizeof h->abi) && field(text, "gen", h->gen, sizeof h->gen) && field(text, "arch", h->arch, sizeof h->arch) &&
            field(text, "guard", h->guard, sizeof h->guard) &&
            field(text, "wasm_sha256", h->wasm_sha, sizeof h->wasm_sha) &&
            field(text, "so_sha256", h->so_sha, sizeof h->so_sha) &&
            field(text, "compiler", h->compiler, sizeof h->compiler) &&
            field(text, "cflags", h->cflags, sizeof h->cflags) &&
            field(text, "wasm_size", ws, sizeof ws) && field(text, "so_size", ss, sizeof ss);
  free(text);
  if (!ok) return false;
  char *e1, *e2;
  h->wasm_size = strtoull(ws, &e1, 10);
  h->so_size = strtoull(ss, &e2, 10);
  h->header_len = hl;
  return !*e1 && !*e2 && h->wasm_size <= len - hl && h->so_size == len - hl - h->wasm_size;
}

/* Checks the header against this runtime (and `expect`) and the digests
** against the payload. Fills err with why an artifact is refused. */
static wt_status check_artifact(const uint8_t *data, const art_header *h,
                                const wt_aot_options *expect, const char *path, wt_error *err) {
  char want[32], dig[65];
  snprintf(want, sizeof want, "%u", AOT_ABI_VERSION);
  if (strcmp(h->abi, want) != 0)
    return rt_fail(err, WT_ERR_INVALID, "%s: stale artifact (ABI %s, runtime %s)", path, h->abi, want);
  char gen[40];
  aot_generation(gen);
  if (strcmp(h->gen, gen) != 0)
    return rt_fail(err, WT_ERR_INVALID, "%s: stale artifact (generated code %s, runtime %s)", path,
                   h->gen, gen);
  if (!aot_arch_runs_here(h->arch))
    return rt_fail(err, WT_ERR_INVALID, "%s: foreign artifact (built for %s, host is %s)", path,
                   h->arch, HOST_ARCH);
  if (expect) {
    char id[256];
    if (expect->compiler_id) snprintf(id, sizeof id, "%s", expect->compiler_id);
    else if (!wt_aot_compiler_id(aot_opt_cc(expect), id, sizeof id)) id[0] = '\0';
    if (strcmp(id, h->compiler) != 0 || strcmp(aot_opt_cflags(expect), h->cflags) != 0 ||
        (aot_opt_guard(expect) ? 1 : 0) != atoi(h->guard))
      return rt_fail(err, WT_ERR_INVALID, "%s: stale artifact (other compiler, flags or checks)", path);
  }
  const uint8_t *wasm = data + h->header_len;
  aot_sha256_hex(wasm, h->wasm_size, dig);
  if (strcmp(dig, h->wasm_sha) != 0)
    return rt_fail(err, WT_ERR_INVALID, "%s: tampered artifact (module digest mismatch)", path);
  aot_sha256_hex(wasm + h->wasm_size, h->so_size, dig);
  if (strcmp(dig, h->so_sha) != 0)
    return rt_fail(err, WT_ERR_INVALID, "%s: tampered artifact (code digest mismatch)", path);
  return WT_OK;
}

/* dlopens the verified object bytes through a memfd. The fd stays open
** while the object is loaded: the loader knows objects by path, and a
** reused fd number would make "/proc/self/fd/N" name the old object. */
static void *open_object(const uint8_t *so, size_t len, int *fdp, wt_error *err) {
  int fd = memfd_create("wasitorch-aot", MFD_CLOEXEC);
  if (fd < 0) {
    rt_fail(err, WT_ERR_IO, "aot: memfd_create: %s", strerror(errno));
    return NULL;
  }
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(fd, so + done, len - done);
    if (n <= 0) break;
    done += (size_t)n;
  }
  void *dl = NULL;
  if (done == len) {
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    dl = dlopen(p, RTLD_NOW | RTLD_LOCAL);
    if (!dl) rt_fail(err, WT_ERR_IO, "aot: dlopen: %s", dlerror());
  } else {
    rt_fail(err, WT_ERR_IO, "aot: cannot write the code object");
  }
  if (dl) *fdp = fd;
  else close(fd);
  return dl;
}

/* Builds the module record once the artifact checked out. */
static wt_status make_module(wt_engine *engine, const uint8_t *data, const art_header *h,
                             const char *path, wt_aot_module **out, wt_error *err) {
  wt_aot_module *am = calloc(1, sizeof *am);
  if (!am) return rt_fail(err, WT_ERR_NOMEM, "out of memory");
  am->engine = engine;
  am->fd = -1;
  const uint8_t *wasm = data + h->header_len;
  wt_status st = wt_module_new(engine, wasm, h->wasm_size, &am->mod, err);
  if (st == WT_OK && !(am->dl = open_object(wasm + h->wasm_size, h->so_size, &am->fd, err))) st = WT_ERR_IO;
  if (st == WT_OK) {
    am->desc = dlsym(am->dl, AOT_MODULE_SYMBOL);
    const aot_module_desc *d = am->desc;
    if (!d || d->abi_version != AOT_ABI_VERSION || strcmp(d->wasm_hash, h->wasm_sha) != 0 ||
        d->nfuncs != am->mod->nfuncs || d->nimports != am->mod->nfunc_imports ||
        d->guard_pages != (uint32_t)atoi(h->guard))
      st = rt_fail(err, WT_ERR_INVALID, "%s: the code object does not match its metadata", path);
  }
  if (st == WT_OK && !(am->type_ids = calloc(am->mod->ntypes + 1, sizeof *am->type_ids)))
    st = rt_fail(err, WT_ERR_NOMEM, "out of memory");
  for (uint32_t i = 0; st == WT_OK && i < am->mod->ntypes; i++)
    if ((am->type_ids[i] = rt_intern_modtype(engine, &am->mod->types[i])) == UINT32_MAX)
      st = rt_fail(err, WT_ERR_NOMEM, "out of memory");
  if (st == WT_OK && am->desc->guard_pages && !(engine->config.flags & WT_CONFIG_GUARD_REGIONS))
    st = rt_fail(err, WT_ERR_UNSUPPORTED,
                 "%s: compiled for guard pages; the engine needs WT_CONFIG_GUARD_REGIONS", path);
  if (st != WT_OK) {
    wt_aot_module_free(am);
    return st;
  }
  am->shadow = *am->mod;
  am->shadow.has_start = false;
  *out = am;
  return WT_OK;
}

wt_status wt_aot_load(wt_engine *engine, const char *path, const wt_aot_options *expect,
                      wt_aot_module **out, wt_error *err) {
  if (out) *out = NULL;
  if (!engine || !path || !out) return rt_fail(err, WT_ERR_ARG, "bad argument");
  size_t len = 0;
  uint8_t *data = aot_read_all(path, &len);
  if (!data) return rt_fail(err, WT_ERR_IO, "cannot read %s: %s", path, strerror(errno));
  art_header h;
  wt_status st;
  if (!parse_header(data, len, &h))
    st = rt_fail(err, WT_ERR_INVALID, "%s: not a wasitorch artifact (or truncated)", path);
  else
    st = check_artifact(data, &h, expect, path, err);
  if (st == WT_OK) st = make_module(engine, data, &h, path, out, err);
  free(data);
  return st;
}

const wt_module *wt_aot_module_wasm(const wt_aot_module *am) { return am ? am->mod : NULL; }

void wt_aot_module_free(wt_aot_module *am) {
  if (!am) return;
  for (aot_inst *r = am->insts, *next; r; r = next) {
    next = r->next;
    free(r->fns);
    free(r->gcells);
    free(r);
  }
  if (am->dl) dlclose(am->dl);
  if (am->fd >= 0) close(am->fd);
  wt_module_free(am->mod);
  free(am->type_ids);
  free(am);
}

/* ---- cache ----------------------------------------------------------------- */

/* mkdir -p for the cache folder. */
static bool make_dirs(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    int rc = mkdir(path, 0755);
    *p = '/';
    if (rc != 0 && errno != EEXIST) return false;
  }
  return mkdir(path, 0755) == 0 || errno == EEXIST;
}

static bool cache_dir(const wt_aot_options *opt, char *buf, size_t size) {
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  int n;
  if (opt && opt->cache_dir) n = snprintf(buf, size, "%s", opt->cache_dir);
  else if (xdg && *xdg) n = snprintf(buf, size, "%s/wasitorch", xdg);
  else if (home && *home) n = snprintf(buf, size, "%s/.cache/wasitorch", home);
  else return false;
  return n > 0 && (size_t)n < size;
}

bool wt_aot_cache_path(const uint8_t *wasm, size_t len, const wt_aot_options *opt, char *buf,
                       size_t size) {
  char dir[1024], id[256], wh[65], key[65];
  if (!cache_dir(opt, dir, sizeof dir)) return false;
  if (opt && opt->compiler_id) snprintf(id, sizeof id, "%s", opt->compiler_id);
  else if (!wt_aot_compiler_id(aot_opt_cc(opt), id, sizeof id)) return false;
  aot_sha256_hex(wasm, len, wh);
  aot_buf k = {0};
  char gen[40];
  aot_generation(gen);
  char arch[64];
  aot_id_arch(id, arch, sizeof arch);
  aot_buf_printf(&k, "abi=%u\ngen=%s\nwasm=%s\ncompiler=%s\ncflags=%s\nguard=%d\nisa=%s\n",
                 AOT_ABI_VERSION, gen, wh, id, aot_opt_cflags(opt), aot_opt_guard(opt) ? 1 : 0,
                 aot_isa_suffix(arch, aot_opt_cflags(opt)));
  if (k.oom) return false;
  aot_sha256_hex(k.p, k.len, key);
  aot_buf_free(&k);
  int n = snprintf(buf, size, "%s/%.32s.cwasm", dir, key);
  return n > 0 && (size_t)n < size;
}

/* The compiler identity, probed once per compiler binary: `cc --version`
** costs tens of milliseconds, too much for every `run --engine auto`. The
** answer is kept in the cache folder under a key made of the command and
** the binary's inode, size and mtime, so an upgraded compiler is probed
** again. Commands with arguments or not found on PATH are always probed. */
static bool compiler_id_cached(const wt_aot_options *o, char *dir, char *id, size_t size) {
  const char *cc = aot_opt_cc(o);
  char path[1024] = "";
  struct stat st;
  bool found = false;
  if (!strchr(cc, ' ') && strchr(cc, '/')) {
    found = stat(cc, &st) == 0;
  } else if (!strchr(cc, ' ')) {
    const char *p = getenv("PATH");
    while (p && *p && !found) {
      size_t n = strcspn(p, ":");
      snprintf(path, sizeof path, "%.*s/%s", (int)n, p, cc);
      found = n > 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
      p += n + (p[n] == ':');
    }
  }
  if (!found) return wt_aot_compiler_id(cc, id, size);
  char key[300], hash[65], file[1200];
  snprintf(key, sizeof key, "%s|%llu|%llu|%lld", cc, (unsigned long long)st.st_ino,
           (unsigned long long)st.st_size, (long long)st.st_mtime);
  aot_sha256_hex(key, strlen(key), hash);
  snprintf(file, sizeof file, "%s/cc-%.16s.id", dir, hash);
  FILE *f = fopen(file, "r");
  if (f) {
    bool ok = fgets(id, (int)size, f) != NULL;
    fclose(f);
    id[strcspn(id, "\n")] = '\0';
    if (ok && id[0]) return true;
  }
  if (!wt_aot_compiler_id(cc, id, size)) return false;
  char tmp[1300];
  snprintf(tmp, sizeof tmp, "%s.%ld", file, (long)getpid());
  if (make_dirs(dir) && (f = fopen(tmp, "w"))) {
    bool ok = fprintf(f, "%s\n", id) > 0;
    if (fclose(f) != 0 || !ok || rename(tmp, file) != 0) remove(tmp);
  }
  return true;
}

wt_status wt_aot_cached(wt_engine *engine, const uint8_t *wasm, size_t len,
                        const wt_aot_options *opt, bool compile, wt_aot_module **out,
                        wt_error *err) {
  char path[1200], id[256];
  if (out) *out = NULL;
  if (!engine || !wasm || !out) return rt_fail(err, WT_ERR_ARG, "bad argument");
  wt_aot_options o = opt ? *opt : (wt_aot_options){0};
  char cdir[1024];
  if (!o.compiler_id) {
    if (!cache_dir(&o, cdir, sizeof cdir) || !compiler_id_cached(&o, cdir, id, sizeof id))
      return rt_fail(err, WT_ERR_IO, "aot: cannot run the C compiler '%s'", aot_opt_cc(&o));
    o.compiler_id = id;
  }
  if (!wt_aot_cache_path(wasm, len, &o, path, sizeof path))
    return rt_fail(err, WT_ERR_IO, "aot: no cache folder (set XDG_CACHE_HOME or HOME)");
  wt_status st = access(path, R_OK) == 0 ? wt_aot_load(engine, path, &o, out, err) : WT_ERR_IO;
  if (st == WT_OK) {
    /* The cache holds the artifact of these very bytes? (a key collision
    ** or a swapped file would show up here) */
    const wt_module *m = (*out)->mod;
    if (m->len == len && memcmp(m->bytes, wasm, len) == 0) return WT_OK;
    wt_aot_module_free(*out);
    *out = NULL;
    st = rt_fail(err, WT_ERR_INVALID, "%s: holds another module", path);
  }
  if (!compile) {
    if (st == WT_ERR_IO) rt_fail(err, WT_ERR_IO, "%s: not compiled yet", path);
    return st;
  }
  char dir[sizeof path];
  memcpy(dir, path, sizeof dir);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = '\0';
  if (!make_dirs(dir)) return rt_fail(err, WT_ERR_IO, "cannot create %s: %s", dir, strerror(errno));
  st = wt_aot_compile(engine, wasm, len, &o, path, err);
  if (st != WT_OK) return st;
  return wt_aot_load(engine, path, &o, out, err);
}
