/*
** run.c — `wasitorch run`: instantiate a WASI command module with the
** WASI sandbox and WASI-NN, run `_start` (or --invoke FUNC), and turn the
** outcome into a process exit code:
**   guest exit code     proc_exit(n) or 0 when _start returns
**   1                   bad arguments, unreadable/malformed module, link error
**   134                 a trap (as other Wasm runtimes report it: 128 + SIGABRT)
*/
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "host/host.h"
#include "nn/nn.h"
#include "wasi/wasi.h"

#define EXIT_TRAP 134
#define MAX_LIST 256

extern char **environ;

typedef struct run_options {
  wasi_dir dirs[MAX_LIST];
  int ndirs;
  const char *envs[MAX_LIST];
  int nenvs;
  bool inherit_env;
  nn_preload preloads[MAX_LIST];
  char *preload_storage[MAX_LIST];
  int npreloads;
  nn_config nn;
  wt_config engine;
  const char *invoke;
  const char *module_path;
  const char *tier;      /* "interp" (default), "aot" or "auto" */
  bool compile;          /* auto: compile into the cache when missing */
  wt_aot_options aot;
  int guest_argc;
  char **guest_argv; /* guest_argv[0] is the module path */
} run_options;

static void run_usage(FILE *out) {
  fputs(
      "Usage: wasitorch run [OPTIONS] MODULE.wasm [ARGS...]\n"
      "\n"
      "Runs a WASI command module. The guest sees only what the options grant.\n"
      "\n"
      "Sandbox:\n"
      "  --dir HOST[:GUEST][:ro]   grant a host directory, visible to the guest as GUEST\n"
      "                            (default: the same path); ':ro' makes it read-only\n"
      "  --env KEY=VALUE           set a guest environment variable (repeatable)\n"
      "  --inherit-env             pass the whole host environment (off by default)\n"
      "WASI-NN:\n"
      "  --nn-preload NAME:ENCODING:TARGET:PATH\n"
      "                            load a model on the host, for the guest's load_by_name;\n"
      "                            e.g. mobilenet:pytorch:cpu:models/mobilenet_v2_frozen.pt\n"
      "  --nn-threads N            intra-op threads of the backend (default: its own)\n"
      "  --nn-optimize[=MODE]      graph preparation of TorchScript models: ofi (the default\n"
      "                            of the bare flag: freeze + optimize_for_inference), freeze,\n"
      "                            none, fused (freeze, then each conv/linear with its\n"
      "                            activation and residual add as one oneDNN kernel), or auto\n"
      "                            (time them on the first inference, cache the fastest per\n"
      "                            model, threads and CPU)\n"
      "  --nn-legacy-types         old tensor-type numbering (f16,f32,u8,i32; WasmEdge <= 0.14)\n"
      "Engine:\n"
      "  --max-memory SIZE         cap on linear memory, bytes with K/M/G suffix (default 4G)\n"
      "  --timeout SECONDS         stop the guest with a trap after this much wall time\n"
      "  --invoke FUNC             call exported FUNC with ARGS as numbers instead of _start\n"
      "  --engine interp|aot|auto  execution tier (default interp). aot: native code from the\n"
      "                            artifact cache, compiled first when missing; auto: native\n"
      "                            code when a valid cached artifact exists, else interpret\n"
      "                            (and compile for next time with --compile). A MODULE\n"
      "                            ending in .cwasm (see 'wasitorch compile') implies aot\n"
      "  --compile                 with --engine auto: compile a missing artifact now\n"
      "  --cc CC, --cflags FLAGS   C compiler and flags for the AOT tier (default cc, -O2)\n"
      "  --bounds-checks           AOT code checks every access instead of using guard pages\n"
      "  -h, --help                show this text\n"
      "\n"
      "Exit status: the guest's exit code; 1 if the module cannot be loaded or linked;\n"
      "134 if it traps.\n",
      out);
}

static bool parse_dir(const char *spec, wasi_dir *dir) {
  static const char ro_suffix[] = ":ro";
  size_t len = strlen(spec);
  char *copy = strdup(spec);
  if (!copy) return false;
  dir->read_only = false;
  if (len > 3 && strcmp(copy + len - 3, ro_suffix) == 0) {
    dir->read_only = true;
    copy[len - 3] = '\0';
  }
  char *colon = strchr(copy, ':');
  dir->host_path = copy;
  dir->guest_path = copy;
  if (colon) {
    *colon = '\0';
    dir->guest_path = colon + 1;
  }
  if (!*dir->host_path || !*dir->guest_path) {
    cli_error("bad --dir '%s': expected HOST[:GUEST][:ro]", spec);
    free(copy);
    return false;
  }
  return true;
}

static bool parse_size(const char *text, uint64_t *bytes) {
  char *end;
  errno = 0;
  double v = strtod(text, &end);
  if (errno || end == text || v < 0) return false;
  double scale = 1;
  if (*end == 'K' || *end == 'k') scale = 1024.0, end++;
  else if (*end == 'M' || *end == 'm') scale = 1024.0 * 1024, end++;
  else if (*end == 'G' || *end == 'g') scale = 1024.0 * 1024 * 1024, end++;
  if (*end == 'i' || *end == 'B') end++;
  if (*end == 'B') end++;
  if (*end) return false;
  *bytes = (uint64_t)(v * scale);
  return true;
}

/* One option at argv[*i]; returns 0 on success, 1 on error, -1 for --help. */
static int parse_option(run_options *o, int argc, char **argv, int *i) {
  const char *arg = argv[*i], *v;
  long n;
#define IS(name) (!strncmp(arg, name, strlen(name)) && (arg[strlen(name)] == '\0' || arg[strlen(name)] == '='))
  if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) return -1;
  if (!strcmp(arg, "--inherit-env")) { o->inherit_env = true; return 0; }
  if (!strcmp(arg, "--nn-optimize")) {
    /* Bare = freeze + optimize_for_inference, as before; a following
    ** auto/none/freeze/ofi is taken as the mode. */
    o->nn.optimize = NN_OPTIMIZE_OFI;
    if (*i + 1 < argc && nn_parse_optimize(argv[*i + 1], &o->nn.optimize)) (*i)++;
    return 0;
  }
  if (!strncmp(arg, "--nn-optimize=", 14)) {
    if (nn_parse_optimize(arg + 14, &o->nn.optimize)) return 0;
    cli_error("bad --nn-optimize '%s': expected auto, none, freeze, ofi or fused", arg + 14);
    return 1;
  }
  if (!strcmp(arg, "--nn-legacy-types")) { o->nn.legacy_types = 1; return 0; }
  if (!strcmp(arg, "--compile")) { o->compile = true; return 0; }
  if (!strcmp(arg, "--bounds-checks")) { o->aot.bounds_checks = true; return 0; }
  if (IS("--engine")) {
    if (!(v = cli_option_value(argc, argv, i, "--engine"))) return 1;
    if (strcmp(v, "interp") && strcmp(v, "aot") && strcmp(v, "auto")) {
      cli_error("bad --engine '%s': expected interp, aot or auto", v);
      return 1;
    }
    o->tier = v;
    return 0;
  }
  if (IS("--cc")) {
    if (!(o->aot.cc = cli_option_value(argc, argv, i, "--cc"))) return 1;
    return 0;
  }
  if (IS("--cflags")) {
    if (!(o->aot.cflags = cli_option_value(argc, argv, i, "--cflags"))) return 1;
    return 0;
  }
  if (IS("--dir")) {
    if (!(v = cli_option_value(argc, argv, i, "--dir"))) return 1;
    if (o->ndirs == MAX_LIST) { cli_error("too many --dir options"); return 1; }
    return parse_dir(v, &o->dirs[o->ndirs++]) ? 0 : 1;
  }
  if (IS("--env")) {
    if (!(v = cli_option_value(argc, argv, i, "--env"))) return 1;
    if (!strchr(v, '=') || v[0] == '=') { cli_error("bad --env '%s': expected KEY=VALUE", v); return 1; }
    if (o->nenvs == MAX_LIST) { cli_error("too many --env options"); return 1; }
    o->envs[o->nenvs++] = v;
    return 0;
  }
  if (IS("--nn-preload")) {
    if (!(v = cli_option_value(argc, argv, i, "--nn-preload"))) return 1;
    if (o->npreloads == MAX_LIST) { cli_error("too many --nn-preload options"); return 1; }
    wt_error err;
    if (!nn_parse_preload(v, &o->preloads[o->npreloads], &o->preload_storage[o->npreloads], &err)) {
      cli_error("bad --nn-preload '%s': %s", v, err.message);
      return 1;
    }
    o->npreloads++;
    return 0;
  }
  if (IS("--nn-threads")) {
    if (!(v = cli_option_value(argc, argv, i, "--nn-threads"))) return 1;
    if (!cli_parse_count(v, 0, 1024, &n)) { cli_error("bad --nn-threads '%s': expected 0..1024", v); return 1; }
    o->nn.threads = (int)n;
    return 0;
  }
  if (IS("--max-memory")) {
    uint64_t bytes;
    if (!(v = cli_option_value(argc, argv, i, "--max-memory"))) return 1;
    if (!parse_size(v, &bytes) || bytes < 65536 || bytes > (4ull << 30)) {
      cli_error("bad --max-memory '%s': expected 64K..4G", v);
      return 1;
    }
    o->engine.max_memory_pages = (uint32_t)(bytes / 65536);
    return 0;
  }
  if (IS("--timeout")) {
    char *end;
    if (!(v = cli_option_value(argc, argv, i, "--timeout"))) return 1;
    double secs = strtod(v, &end);
    if (end == v || *end || secs <= 0) { cli_error("bad --timeout '%s': expected seconds > 0", v); return 1; }
    o->engine.timeout_ms = (uint64_t)(secs * 1000.0 + 0.5);
    if (!o->engine.timeout_ms) o->engine.timeout_ms = 1;
    return 0;
  }
  if (IS("--invoke")) {
    if (!(v = cli_option_value(argc, argv, i, "--invoke"))) return 1;
    o->invoke = v;
    return 0;
  }
#undef IS
  cli_error("unknown option '%s' (try 'wasitorch run --help')", arg);
  return 1;
}

/* Options end at the first non-option argument: the module; the rest is the
** guest's argv, untouched (so guests can take their own --flags). */
static int parse_args(run_options *o, int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (!strcmp(argv[i], "--")) { i++; break; }
    int rc = parse_option(o, argc, argv, &i);
    if (rc) return rc;
  }
  if (i >= argc) {
    cli_error("no module given (usage: wasitorch run [OPTIONS] MODULE.wasm [ARGS...])");
    return 1;
  }
  o->module_path = argv[i];
  o->guest_argc = argc - i;
  o->guest_argv = argv + i;
  return 0;
}

static void free_options(run_options *o) {
  for (int i = 0; i < o->ndirs; i++) free((char *)o->dirs[i].host_path);
  for (int i = 0; i < o->npreloads; i++) free(o->preload_storage[i]);
}

static bool module_imports(const wt_module *m, const char *name) {
  size_t n = strlen(name);
  for (uint32_t i = 0; i < wt_module_import_count(m); i++) {
    wt_port p = wt_module_import(m, i);
    if (p.module_len == n && !memcmp(p.module, name, n)) return true;
  }
  return false;
}

typedef struct run_linker {
  wt_store *store;
  host_module mods[2];
  size_t nmods;
} run_linker;

static bool resolve_import(void *userdata, const wt_port *import, wt_extern *out) {
  run_linker *l = userdata;
  return host_resolve(l->store, l->mods, l->nmods, import, out);
}

/* Parses a guest argument for --invoke according to the parameter type. */
static bool parse_value(const char *text, wt_valtype type, wt_value *v) {
  char *end;
  errno = 0;
  v->type = type;
  switch (type) {
  case WT_I32: v->of.i32 = (uint32_t)strtoll(text, &end, 0); break;
  case WT_I64: v->of.i64 = (uint64_t)strtoll(text, &end, 0); break;
  case WT_F32: { float f = strtof(text, &end); memcpy(&v->of.i32, &f, 4); break; }
  case WT_F64: { double d = strtod(text, &end); memcpy(&v->of.i64, &d, 8); break; }
  default: return false;
  }
  return !errno && end != text && !*end;
}

static void print_value(const wt_value *v) {
  switch (v->type) {
  case WT_I32: printf("%" PRId32 "\n", (int32_t)v->of.i32); break;
  case WT_I64: printf("%" PRId64 "\n", (int64_t)v->of.i64); break;
  case WT_F32: { float f; memcpy(&f, &v->of.i32, 4); printf("%.9g\n", f); break; }
  case WT_F64: { double d; memcpy(&d, &v->of.i64, 8); printf("%.17g\n", d); break; }
  default: printf("<%s>\n", v->type == WT_FUNCREF ? "funcref" : "ref"); break;
  }
}

/* Calls --invoke FUNC with the guest arguments converted to its param types. */
static wt_status invoke_export(wt_store *store, wt_func *fn, run_options *o, wt_error *err) {
  uint32_t np = wt_func_param_count(fn), nr = wt_func_result_count(fn);
  if ((uint32_t)(o->guest_argc - 1) != np || np > 16 || nr > 16) {
    cli_error("%s takes %u argument(s), %d given", o->invoke, np, o->guest_argc - 1);
    return WT_ERR_ARG;
  }
  wt_value args[16], results[16];
  for (uint32_t i = 0; i < np; i++) {
    if (!parse_value(o->guest_argv[i + 1], wt_func_param_type(fn, i), &args[i])) {
      cli_error("argument %u '%s' is not a valid number for %s", i + 1, o->guest_argv[i + 1], o->invoke);
      return WT_ERR_ARG;
    }
  }
  wt_status st = wt_aot_func_call(store, fn, args, np, results, nr, err);
  for (uint32_t i = 0; st == WT_OK && i < nr; i++) print_value(&results[i]);
  return st;
}

/* Maps the outcome of the guest call to the process exit code. */
static int outcome(wt_status st, const wt_error *err, const char *path) {
  if (st == WT_OK) return 0;
  if (st == WT_ERR_EXIT || (st == WT_ERR_TRAP && err->trap == WT_TRAP_EXIT)) return err->exit_code;
  if (st == WT_ERR_TRAP) {
    cli_error("%s: %s", path, err->message);
    return EXIT_TRAP;
  }
  if (st != WT_ERR_ARG) cli_error("%s: %s", path, err->message);
  return 1;
}

static wasi_ctx *make_wasi(run_options *o, wt_error *err) {
  int envc = 0;
  const char **envp = NULL;
  if (o->inherit_env)
    while (environ[envc]) envc++;
  envp = calloc((size_t)envc + (size_t)o->nenvs + 1, sizeof *envp);
  if (!envp) return NULL;
  for (int i = 0; i < envc; i++) envp[i] = environ[i];
  for (int i = 0; i < o->nenvs; i++) envp[envc++] = o->envs[i];
  wasi_config cfg = {
      .argc = o->guest_argc, .argv = (const char *const *)o->guest_argv,
      .envc = envc, .envp = envp,
      .dirs = o->dirs, .ndirs = o->ndirs,
      .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2,
  };
  wasi_ctx *ctx = wasi_new(&cfg, err);
  free(envp);
  return ctx;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The native module for --engine aot/auto or a .cwasm path, or NULL to
** interpret. *failed is set when the tier was required and unavailable. */
static wt_aot_module *load_native(wt_engine *engine, run_options *o, bool *failed) {
  wt_error err = {0};
  wt_aot_module *am = NULL;
  *failed = false;
  if (ends_with(o->module_path, ".cwasm")) {
    if (wt_aot_load(engine, o->module_path, NULL, &am, &err) != WT_OK) {
      cli_error("%s", err.message);
      *failed = true;
    }
    return am;
  }
  bool aot = !strcmp(o->tier, "aot");
  if (!aot && strcmp(o->tier, "auto")) return NULL;
  size_t len;
  uint8_t *bytes = cli_read_file(o->module_path, &len);
  if (!bytes) {
    *failed = true;
    return NULL;
  }
  o->aot.verbose = aot || o->compile;
  wt_status st = wt_aot_cached(engine, bytes, len, &o->aot, aot || o->compile, &am, &err);
  free(bytes);
  if (st != WT_OK && aot) {
    cli_error("%s: %s", o->module_path, err.message);
    *failed = true;
  }
  return st == WT_OK ? am : NULL;
}

/* Everything after option parsing: load, link, run, clean up. */
static int run_module(run_options *o) {
  int rc = 1;
  wt_error err = {0};
  if (!o->tier) o->tier = "interp";
  if (strcmp(o->tier, "interp") != 0 || ends_with(o->module_path, ".cwasm")) {
    if (!o->aot.bounds_checks) o->engine.flags |= WT_CONFIG_GUARD_REGIONS;
  }
  wt_engine *engine = wt_engine_new(&o->engine);
  bool failed = false;
  wt_aot_module *native = engine ? load_native(engine, o, &failed) : NULL;
  wt_module *module = NULL;
  if (engine && !failed && !native) module = cli_load_module(engine, o->module_path);
  const wt_module *shape = native ? wt_aot_module_wasm(native) : module;
  wt_store *store = shape ? wt_store_new(engine) : NULL;
  wasi_ctx *wasi = NULL;
  nn_ctx *nn = NULL;
  if (!store) goto done;
  run_linker linker = {.store = store};
  if (!(wasi = make_wasi(o, &err))) { cli_error("%s", err.message); goto done; }
  linker.mods[linker.nmods++] = wasi_host_module(wasi);
  if (module_imports(shape, "wasi_ephemeral_nn")) {
    o->nn.preloads = o->preloads;
    o->nn.npreloads = o->npreloads;
    if (!(nn = nn_new(&o->nn, &err))) { cli_error("%s", err.message); goto done; }
    linker.mods[linker.nmods++] = nn_host_module(nn);
  }
  wt_instance *instance;
  wt_status st = native ? wt_aot_instantiate(store, native, resolve_import, &linker, &instance, &err)
                        : wt_instantiate(store, module, resolve_import, &linker, &instance, &err);
  if (st != WT_OK) { rc = outcome(st, &err, o->module_path); goto done; }
  const char *entry = o->invoke ? o->invoke : "_start";
  wt_extern fn;
  if (!wt_instance_export(instance, entry, &fn) || fn.kind != WT_EXTERN_FUNC) {
    cli_error("%s: no exported function '%s'%s", o->module_path, entry,
              o->invoke ? "" : " (not a WASI command module; try --invoke)");
    goto done;
  }
  if (o->invoke)
    st = invoke_export(store, fn.u.func, o, &err);
  else
    st = wt_aot_func_call(store, fn.u.func, NULL, 0, NULL, 0, &err);
  fflush(stdout);
  rc = outcome(st, &err, o->module_path);
done:
  wt_store_free(store);
  nn_free(nn);
  wasi_free(wasi);
  wt_module_free(module);
  wt_aot_module_free(native);
  wt_engine_free(engine);
  return rc;
}

int cli_run(int argc, char **argv) {
  run_options o;
  memset(&o, 0, sizeof o);
  int rc = parse_args(&o, argc, argv);
  if (rc < 0) {
    run_usage(stdout);
    rc = 0;
  } else if (rc == 0) {
    rc = run_module(&o);
  } else {
    rc = 1;
  }
  free_options(&o);
  return rc;
}
