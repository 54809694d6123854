/*
** artifact.c — compiling generated C into a shared object, the artifact
** file around it, loading (with every check before the object is mapped)
** and the on-disk cache.
**
** Artifact format (.cwasm): a text header of `key=value` lines after the
** magic line "WTAOT", ended by an empty line, then the Wasm bytes and the
** shared object:
**   abi, arch, guard, wasm_sha256, so_sha256, compiler, cflags,
**   wasm_size, so_size
** On load, the ABI version, architecture and both digests must match (and,
** for cache use, the compiler identity and flags), else the artifact is
** refused as stale, foreign or tampered. The verified object bytes are
** copied into a memfd and dlopen'ed from there, so what runs is exactly
** what was hashed.
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
#define AOT_ARCH "x86_64"
#elif defined(__aarch64__)
#define AOT_ARCH "aarch64"
#else
#define AOT_ARCH "unknown"
#endif

#define MAX_FIELD 256

const char *aot_opt_cc(const wt_aot_options *o) {
  if (o && o->cc) return o->cc;
  const char *env = getenv("CC");
  return env && *env ? env : "cc";
}

const char *aot_opt_cflags(const wt_aot_options *o) { return o && o->cflags ? o->cflags : "-O2"; }

bool aot_opt_guard(const wt_aot_options *o) {
#if UINTPTR_MAX > 0xffffffffu && defined(__linux__)
  return !(o && o->bounds_checks);
#else
  (void)o;
  return false;
#endif
}

/* Wasm SIMD maps onto SSE4.1 (pmulld for i32x4.mul, pshufb, pminsd,
** ptest, roundps...), which V8 and Wasmtime also require for it; with
** baseline SSE2 gcc emulates those lane operations in several
** instructions each. Code compiled for this very host therefore targets
** SSE4.1 when the CPU has it, and the artifact says so in its arch.
** Flags that pick the ISA (-march=..., -mno-sse4) leave the choice to the
** user, e.g. for an older x86-64 target. */
const char *aot_isa_suffix(const char *arch, const char *cflags) {
#if defined(__x86_64__)
  if (strcmp(arch, "x86_64") == 0 && !strstr(cflags, "-march=") && !strstr(cflags, "-mno-sse4") &&
      __builtin_cpu_supports("sse4.1"))
    return "+sse4.1";
#endif
  (void)arch;
  (void)cflags;
  return "";
}

bool aot_arch_runs_here(const char *arch) {
  if (strcmp(arch, AOT_ARCH) == 0) return true;
#if defined(__x86_64__)
  if (strcmp(arch, "x86_64+sse4.1") == 0) return __builtin_cpu_supports("sse4.1");
#endif
  return false;
}

/* Runs `cmd` and keeps the first line of its output (NUL-terminated). */
static bool first_line(const char *cmd, char *buf, size_t size) {
  FILE *p = popen(cmd, "r");
  if (!p) return false;
  bool ok = fgets(buf, (int)size, p) != NULL;
  int rc = pclose(p);
  if (!ok || rc != 0) return false;
  buf[strcspn(buf, "\r\n")] = '\0';
  return true;
}

/* Paths go to the shell in single quotes; a quote inside is refused. */
static bool shell_safe(const char *s) { return strchr(s, '\'') == NULL; }

bool wt_aot_compiler_id(const char *cc, char *buf, size_t size) {
  char cmd[1024], ver[MAX_FIELD], mach[MAX_FIELD];
  if (!cc) cc = aot_opt_cc(NULL);
  snprintf(cmd, sizeof cmd, "%s --version 2>/dev/null", cc);
  if (!first_line(cmd, ver, sizeof ver)) return false;
  snprintf(cmd, sizeof cmd, "%s -dumpmachine 2>/dev/null", cc);
  if (!first_line(cmd, mach, sizeof mach)) return false;
  int n = snprintf(buf, size, "%s; %s", ver, mach);
  return n > 0 && (size_t)n < size;
}

/* The architecture part of a compiler identity ("...; x86_64-linux-gnu"). */
void aot_id_arch(const char *id, char *arch, size_t size) {
  const char *m = strrchr(id, ';');
  m = m ? m + 1 : id;
  while (*m == ' ') m++;
  size_t n = strcspn(m, "-");
  if (n >= size) n = size - 1;
  memcpy(arch, m, n);
  arch[n] = '\0';
}


uint8_t *aot_read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *data = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      uint8_t *p = realloc(data, cap);
      if (!p) {
        free(data);
        fclose(f);
        return NULL;
      }
      data = p;
    }
    size_t got = fread(data + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    free(data);
    return NULL;
  }
  *len = n;
  return data;
}

/* Writes the artifact to `path` atomically (temp file + rename). */
static wt_status write_artifact(const char *path, const char *header, const uint8_t *wasm,
                                size_t wlen, const uint8_t *so, size_t slen, wt_error *err) {
  size_t plen = strlen(path) + 32;
  char *tmp = malloc(plen);
  if (!tmp) return rt_fail(err, WT_ERR_NOMEM, "out of memory");
  snprintf(tmp, plen, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  bool ok = f && fputs(header, f) >= 0 && fwrite(wasm, 1, wlen, f) == wlen &&
            fwrite(so, 1, slen, f) == slen;
  if (f && fclose(f) != 0) ok = false;
  if (ok && rename(tmp, path) != 0) ok = false;
  if (!ok) remove(tmp);
  free(tmp);
  return ok ? WT_OK : rt_fail(err, WT_ERR_IO, "cannot write %s: %s", path, strerror(errno));
}

/* Compiles `csrc` in a fresh temp folder; returns the object's bytes. */
static uint8_t *run_cc(const aot_buf *csrc, const wt_aot_options *opt, const char *isa,
                       size_t *solen, wt_status *st, wt_error *err) {
  const char *tmpdir = getenv("TMPDIR");
  char dir[512], cfile[600], sofile[600], cmd[4096];
  snprintf(dir, sizeof dir, "%s/wt-aot-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
  if (!shell_safe(dir) || !mkdtemp(dir)) {
    *st = rt_fail(err, WT_ERR_IO, "aot: cannot make a temporary folder");
    return NULL;
  }
  snprintf(cfile, sizeof cfile, "%s/module.c", dir);
  snprintf(sofile, sizeof sofile, "%s/module.so", dir);
  FILE *f = fopen(cfile, "wb");
  bool ok = f && fwrite(csrc->p, 1, csrc->len, f) == csrc->len;
  if (f && fclose(f) != 0) ok = false;
  uint8_t *so = NULL;
  if (!ok) {
    *st = rt_fail(err, WT_ERR_IO, "aot: cannot write %s", cfile);
  } else {
    /* -ffp-contract=off: no fused multiply-add, whose single rounding
    ** Wasm forbids. -fsignaling-nans: x * 1.0 must quiet a signalling NaN,
    ** so it may not be folded to x (gcc; clang ignores the flag and folds).
    ** -fno-math-errno: sqrt becomes one instruction instead of a libm call
    ** on negative inputs (Wasm has no errno).
    ** The generated code is not warning-clean by design. */
    snprintf(cmd, sizeof cmd,
             "%s %s%s -std=gnu11 -fPIC -shared -fvisibility=hidden -ffp-contract=off "
             "-fsignaling-nans -fno-math-errno -fno-strict-aliasing -w -o '%s' '%s' -lm 2>&1",
             aot_opt_cc(opt), aot_opt_cflags(opt), strcmp(isa, "+sse4.1") == 0 ? " -msse4.1" : "",
             sofile, cfile);
    if (opt && opt->verbose) fprintf(stderr, "wasitorch: compiling (%zu bytes of C)...\n", csrc->len);
    FILE *p = popen(cmd, "r");
    char out[400] = "";
    size_t got = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[got] = '\0';
    char sink[4096];
    while (p && fread(sink, 1, sizeof sink, p) > 0) {}
    int rc = p ? pclose(p) : -1;
    if (rc != 0)
      *st = rt_fail(err, WT_ERR_IO, "aot: the C compiler failed: %s", out[0] ? out : cmd);
    else if (!(so = aot_read_all(sofile, solen)))
      *st = rt_fail(err, WT_ERR_IO, "aot: cannot read %s", sofile);
  }
  /* WT_AOT_KEEP_C=PATH keeps the generated C (for debugging the translator). */
  const char *keep = getenv("WT_AOT_KEEP_C");
  if (!(keep && *keep && rename(cfile, keep) == 0)) remove(cfile);
  remove(sofile);
  rmdir(dir);
  return so;
}

wt_status wt_aot_compile(wt_engine *engine, const uint8_t *wasm, size_t len,
                         const wt_aot_options *opt, const char *out_path, wt_error *err) {
  if (!engine || !wasm || !out_path) return rt_fail(err, WT_ERR_ARG, "bad argument");
  char id[MAX_FIELD];
  if (opt && opt->compiler_id) snprintf(id, sizeof id, "%s", opt->compiler_id);
  else if (!wt_aot_compiler_id(aot_opt_cc(opt), id, sizeof id))
    return rt_fail(err, WT_ERR_IO, "aot: cannot run the C compiler '%s'", aot_opt_cc(opt));
  if (strchr(aot_opt_cflags(opt), '\n') || strchr(id, '\n'))
    return rt_fail(err, WT_ERR_ARG, "aot: flags may not contain newlines");
  wt_module *m;
  wt_status st = wt_module_new(engine, wasm, len, &m, err);
  if (st != WT_OK) return st;
  char hash[65], sohash[65];
  aot_sha256_hex(wasm, len, hash);
  aot_options ao = {aot_opt_guard(opt)};
  aot_buf c = {0};
  st = aot_translate(m, &ao, hash, &c, err);
  wt_module_free(m);
  char arch[80];
  aot_id_arch(id, arch, sizeof arch - 16);
  const char *isa = aot_isa_suffix(arch, aot_opt_cflags(opt));
  size_t solen = 0;
  uint8_t *so = st == WT_OK ? run_cc(&c, opt, isa, &solen, &st, err) : NULL;
  aot_buf_free(&c);
  if (!so) return st;
  aot_sha256_hex(so, solen, sohash);
  strcat(arch, isa);
  char gen[40];
  aot_generation(gen);
  aot_buf h = {0};
  aot_buf_printf(&h,
                 "WTAOT\nabi=%u\ngen=%s\narch=%s\nguard=%d\nwasm_sha256=%s\nso_sha256=%s\n"
                 "compiler=%s\ncflags=%s\nwasm_size=%zu\nso_size=%zu\n\n",
                 AOT_ABI_VERSION, gen, arch, ao.guard_pages ? 1 : 0, hash, sohash, id,
                 aot_opt_cflags(opt), len, solen);
  st = h.oom ? rt_fail(err, WT_ERR_NOMEM, "out of memory")
             : write_artifact(out_path, h.p, wasm, len, so, solen, err);
  aot_buf_free(&h);
  free(so);
  return st;
}
