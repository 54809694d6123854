/*
** runner.c — executes the commands of one testsuite script (runner.h).
**
** Each command handler returns an outcome and, on failure, leaves a
** one-line reason in script.why; st_run_script counts and prints. A module
** that fails (including one the engine rejects as unsupported) leaves no
** current/named instance behind, so every later command that needs it
** fails with a clear reason instead of touching a stale instance.
*/
#include "runner.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "spectest_host.h"
#include "values.h"

#define ST_MAX_VALUES 64 /* arguments or results of one call; the suite uses <= 17 */

typedef enum outcome { OUT_PASS, OUT_FAIL, OUT_SKIP, OUT_UNCOUNTED } outcome;

/* An instance under a script name ("$M1") or a registered namespace. The
** name points into the JSON document, which outlives the script run. */
typedef struct named {
  const char *name;
  size_t len;
  wt_instance *inst; /* NULL when its module failed */
} named;

typedef struct named_list {
  named *items;
  size_t n, cap;
} named_list;

typedef struct script {
  const st_options *opt;
  const char *dir, *name;
  wt_store *store;
  sh_module host;
  wt_instance *current;
  named_list names, registered;
  wt_module **mods; /* freed after the store, which may still use them */
  size_t nmods, capmods;
  wt_aot_module **aots; /* the same for AOT modules */
  size_t naots, capaots;
  char why[1024];
} script;

/* The result of performing an action. */
typedef struct call_result {
  wt_status status;
  wt_error err;
  size_t n;
  wt_value vals[ST_MAX_VALUES];
} call_result;

static const char *const kind_names[ST_NKINDS] = {
    "module", "register", "action", "assert_return", "assert_trap",
    "assert_exhaustion", "assert_invalid", "assert_malformed",
    "assert_unlinkable", "assert_uninstantiable", "(other errors)"};

const char *st_kind_name(st_kind kind) {
  return (unsigned)kind < ST_NKINDS ? kind_names[kind] : "?";
}

static outcome failf(script *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->why, sizeof s->why, fmt, ap);
  va_end(ap);
  return OUT_FAIL;
}

/* failf for functions that report success as bool. */
static bool failb(script *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->why, sizeof s->why, fmt, ap);
  va_end(ap);
  return false;
}

/* ====================================================================
** Files, names and modules
*/

uint8_t *st_read_file(const char *path, size_t *len, char *why, size_t n) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(why, n, "cannot open %s: %s", path, strerror(errno));
    return NULL;
  }
  uint8_t *buf = NULL;
  size_t size = 0, cap = 0;
  for (;;) {
    if (cap - size < 4096) {
      size_t ncap = cap ? cap * 2 : 65536;
      uint8_t *nbuf = realloc(buf, ncap + 1);
      if (!nbuf) break;
      buf = nbuf;
      cap = ncap;
    }
    size_t got = fread(buf + size, 1, cap - size, f);
    size += got;
    if (got == 0) break;
  }
  bool ok = buf && !ferror(f);
  if (!ok) snprintf(why, n, "cannot read %s", path);
  fclose(f);
  if (!ok) {
    free(buf);
    return NULL;
  }
  buf[size] = '\0';
  *len = size;
  return buf;
}

static bool names_add(named_list *l, const char *name, size_t len, wt_instance *inst) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    named *items = realloc(l->items, cap * sizeof *items);
    if (!items) return false;
    l->items = items;
    l->cap = cap;
  }
  l->items[l->n++] = (named){name, len, inst};
  return true;
}

/* The newest entry called `name`, or NULL: later definitions shadow. */
static const named *names_find(const named_list *l, const char *name, size_t len) {
  for (size_t i = l->n; i-- > 0;)
    if (l->items[i].len == len && memcmp(l->items[i].name, name, len) == 0) return &l->items[i];
  return NULL;
}

static bool keep_module(script *s, wt_module *mod) {
  if (s->nmods == s->capmods) {
    size_t cap = s->capmods ? s->capmods * 2 : 16;
    wt_module **mods = realloc(s->mods, cap * sizeof *mods);
    if (!mods) return false;
    s->mods = mods;
    s->capmods = cap;
  }
  s->mods[s->nmods++] = mod;
  return true;
}

/* Resolver: registered namespaces (newest first), then `spectest`. */
static bool resolve(void *ud, const wt_port *imp, wt_extern *out) {
  script *s = ud;
  const named *ns = names_find(&s->registered, imp->module, imp->module_len);
  if (ns) return ns->inst && wt_instance_export_n(ns->inst, imp->name, imp->name_len, out);
  if (imp->module_len == 8 && memcmp(imp->module, "spectest", 8) == 0)
    return sh_lookup(&s->host, imp->name, imp->name_len, out);
  return false;
}

static bool keep_aot(script *s, wt_aot_module *am) {
  if (s->naots == s->capaots) {
    size_t cap = s->capaots ? s->capaots * 2 : 16;
    wt_aot_module **a = realloc(s->aots, cap * sizeof *a);
    if (!a) return false;
    s->aots = a;
    s->capaots = cap;
  }
  s->aots[s->naots++] = am;
  return true;
}

/*
** Reads the command's `filename` (relative to the script's folder) and
** decodes it. Returns false with s->why set when the file is unusable;
** otherwise the engine's verdict is in err->status (and *mod on success).
*/
static bool decode_file(script *s, const json_value *cmd, wt_module **mod, wt_error *err,
                        wt_aot_module **am) {
  size_t flen;
  const char *file = json_string(json_get(cmd, "filename"), &flen);
  *mod = NULL;
  memset(err, 0, sizeof *err);
  if (!file || flen == 0 || strlen(file) != flen || strchr(file, '/')) {
    failf(s, "bad or missing filename");
    return false;
  }
  size_t plen = strlen(s->dir) + flen + 2;
  char *path = malloc(plen);
  if (!path) {
    failf(s, "out of memory");
    return false;
  }
  snprintf(path, plen, "%s/%s", s->dir, file);
  size_t len;
  uint8_t *bytes = st_read_file(path, &len, s->why, sizeof s->why);
  free(path);
  if (!bytes) return false;
  err->status = wt_module_new(s->opt->engine, bytes, len, mod, err);
  if (err->status != WT_OK) *mod = NULL;
  /* The AOT tier compiles (or finds in its cache) only modules the
  ** front end accepted, so both tiers agree on every invalid one. */
  if (*mod && am) {
    err->status = wt_aot_cached(s->opt->engine, bytes, len, s->opt->aot, true, am, err);
    if (err->status != WT_OK) {
      wt_module_free(*mod);
      *mod = NULL;
      *am = NULL;
    }
  }
  free(bytes);
  return true;
}

static outcome engine_failure(script *s, const char *what, const wt_error *err) {
  return failf(s, "%s failed: %s: %s", what, wt_status_name(err->status), err->message);
}

/* Decodes and instantiates the command's module. On OUT_PASS, *inst is the
** instance; on OUT_FAIL *inst is NULL, *err and s->why say why, and
** *decoded tells whether the failure came from instantiation. */
static outcome load_instance(script *s, const json_value *cmd, wt_instance **inst,
                             wt_error *err, bool *decoded) {
  wt_module *mod;
  wt_aot_module *am = NULL;
  *inst = NULL;
  *decoded = false;
  if (!decode_file(s, cmd, &mod, err, s->opt->aot ? &am : NULL)) return OUT_FAIL;
  if (!mod) return engine_failure(s, "decoding", err);
  *decoded = true;
  if (!keep_module(s, mod)) {
    wt_module_free(mod);
    wt_aot_module_free(am);
    return failf(s, "out of memory");
  }
  if (am && !keep_aot(s, am)) {
    wt_aot_module_free(am);
    return failf(s, "out of memory");
  }
  memset(err, 0, sizeof *err);
  if (am) err->status = wt_aot_instantiate(s->store, am, resolve, s, inst, err);
  else err->status = wt_instantiate(s->store, mod, resolve, s, inst, err);
  if (err->status != WT_OK) {
    *inst = NULL;
    return engine_failure(s, "instantiation", err);
  }
  return OUT_PASS;
}

/* ====================================================================
** Module commands
*/

static outcome cmd_module(script *s, const json_value *cmd) {
  const json_value *name = json_get(cmd, "name");
  wt_instance *inst;
  wt_error err;
  bool decoded;
  outcome out = load_instance(s, cmd, &inst, &err, &decoded);
  s->current = inst; /* NULL after a failure: later commands must not use a stale one */
  if (name && json_string(name, NULL) && !names_add(&s->names, name->u.str, name->len, inst))
    return failf(s, "out of memory");
  return out;
}

static outcome cmd_register(script *s, const json_value *cmd) {
  size_t as_len;
  const char *as = json_string(json_get(cmd, "as"), &as_len);
  const json_value *name = json_get(cmd, "name");
  wt_instance *inst = s->current;
  if (!as) return failf(s, "register without \"as\"");
  if (name) {
    const named *n = json_string(name, NULL) ? names_find(&s->names, name->u.str, name->len)
                                             : NULL;
    if (!n) return failf(s, "unknown module name");
    inst = n->inst;
  }
  if (!names_add(&s->registered, as, as_len, inst)) return failf(s, "out of memory");
  if (!inst) return failf(s, "cannot register \"%s\": its module failed", as);
  return OUT_UNCOUNTED;
}

/* assert_invalid / assert_malformed: decoding must fail with `want`. */
static outcome expect_decode_failure(script *s, const json_value *cmd, wt_status want) {
  wt_module *mod;
  wt_error err;
  if (!decode_file(s, cmd, &mod, &err, NULL)) return OUT_FAIL;
  if (mod) {
    wt_module_free(mod);
    return failf(s, "module was accepted, expected %s", wt_status_name(want));
  }
  if (err.status != want)
    return failf(s, "expected %s, got %s: %s", wt_status_name(want),
                 wt_status_name(err.status), err.message);
  return OUT_PASS;
}

static outcome cmd_assert_invalid(script *s, const json_value *cmd) {
  return expect_decode_failure(s, cmd, WT_ERR_INVALID);
}

static outcome cmd_assert_malformed(script *s, const json_value *cmd) {
  /* We read only binaries: the text cases are not applicable (README). */
  if (json_is(json_get(cmd, "module_type"), "text")) return OUT_SKIP;
  return expect_decode_failure(s, cmd, WT_ERR_MALFORMED);
}

/* The trap kind that an expected message stands for; texts with a suffix
** ("uninitialized element 2") match by prefix. */
static bool trap_kind_of(const json_value *text, wt_trap_kind *out) {
  static const struct {
    const char *text;
    wt_trap_kind kind;
  } map[] = {
      {"unreachable", WT_TRAP_UNREACHABLE},
      {"out of bounds memory access", WT_TRAP_MEMORY_OOB},
      {"out of bounds table access", WT_TRAP_TABLE_OOB},
      {"integer overflow", WT_TRAP_INT_OVERFLOW},
      {"invalid conversion to integer", WT_TRAP_INVALID_CONVERSION},
      {"integer divide by zero", WT_TRAP_DIV_BY_ZERO},
      {"uninitialized element", WT_TRAP_UNINITIALIZED_ELEM},
      {"undefined element", WT_TRAP_UNDEFINED_ELEM},
      {"indirect call type mismatch", WT_TRAP_INDIRECT_MISMATCH},
      {"call stack exhausted", WT_TRAP_STACK_EXHAUSTED},
  };
  size_t len;
  const char *s = json_string(text, &len);
  if (!s) return false;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    size_t n = strlen(map[i].text);
    if (len >= n && memcmp(s, map[i].text, n) == 0) {
      *out = map[i].kind;
      return true;
    }
  }
  return false;
}

/* Checks that a failure `err` is a trap of the kind the command's text names. */
static outcome check_trap(script *s, const json_value *cmd, const wt_error *err) {
  wt_trap_kind want;
  if (!trap_kind_of(json_get(cmd, "text"), &want)) return failf(s, "unknown trap text");
  if (err->status != WT_ERR_TRAP)
    return failf(s, "expected trap \"%s\", got %s: %s", wt_trap_message(want),
                 wt_status_name(err->status), err->message);
  if (err->trap != want)
    return failf(s, "expected trap \"%s\", got trap \"%s\" (%s)", wt_trap_message(want),
                 wt_trap_message(err->trap), err->message);
  return OUT_PASS;
}

/* assert_unlinkable / assert_uninstantiable: the module must decode, and
** instantiation must fail with `want` (a trap of the text's kind for
** WT_ERR_TRAP). The instance never becomes current, even on success. */
static outcome expect_instantiate_failure(script *s, const json_value *cmd, wt_status want) {
  wt_instance *inst;
  wt_error err;
  bool decoded;
  outcome out = load_instance(s, cmd, &inst, &err, &decoded);
  if (out == OUT_PASS) return failf(s, "module was instantiated, expected %s", wt_status_name(want));
  if (!decoded) return out;
  if (err.status == WT_ERR_TRAP && want == WT_ERR_TRAP) return check_trap(s, cmd, &err);
  if (err.status != want) return out; /* s->why already says what happened */
  return OUT_PASS;
}

static outcome cmd_assert_unlinkable(script *s, const json_value *cmd) {
  return expect_instantiate_failure(s, cmd, WT_ERR_LINK);
}

static outcome cmd_assert_uninstantiable(script *s, const json_value *cmd) {
  return expect_instantiate_failure(s, cmd, WT_ERR_TRAP);
}

/* ====================================================================
** Actions
*/

/* The instance an action addresses: its "module" by name, else the current. */
static wt_instance *action_instance(script *s, const json_value *action) {
  const json_value *m = json_get(action, "module");
  if (!m) {
    if (!s->current) failf(s, "no current module (its module command failed)");
    return s->current;
  }
  const named *n = json_string(m, NULL) ? names_find(&s->names, m->u.str, m->len) : NULL;
  if (!n) failf(s, "unknown module name");
  else if (!n->inst) failf(s, "module %s is unavailable (its module command failed)", m->u.str);
  return n ? n->inst : NULL;
}

/* Parses the action's arguments and checks them against the function type. */
static bool parse_args(script *s, const json_value *args, wt_func *fn, wt_value *vals,
                       size_t *n) {
  if (!args || args->kind != JSON_ARRAY || args->len > ST_MAX_VALUES) {
    failf(s, "bad argument list");
    return false;
  }
  if (args->len != wt_func_param_count(fn)) {
    failf(s, "function takes %u arguments, script gives %zu", wt_func_param_count(fn),
          args->len);
    return false;
  }
  for (size_t i = 0; i < args->len; i++) {
    char why[200];
    if (!sv_parse_arg(&args->u.items[i], &vals[i], why, sizeof why)) {
      failf(s, "argument %zu: %s", i, why);
      return false;
    }
    if (vals[i].type != wt_func_param_type(fn, (uint32_t)i)) {
      failf(s, "argument %zu: function takes %s, script gives %s", i,
            sv_type_name(wt_func_param_type(fn, (uint32_t)i)), sv_type_name(vals[i].type));
      return false;
    }
  }
  *n = args->len;
  return true;
}

static bool invoke(script *s, const json_value *action, const wt_extern *ext, call_result *r) {
  wt_value args[ST_MAX_VALUES];
  size_t nargs;
  if (ext->kind != WT_EXTERN_FUNC) return failb(s, "export is not a function");
  if (!parse_args(s, json_get(action, "args"), ext->u.func, args, &nargs)) return false;
  r->n = wt_func_result_count(ext->u.func);
  if (r->n > ST_MAX_VALUES) return failb(s, "too many results (%zu)", r->n);
  memset(&r->err, 0, sizeof r->err);
  if (s->opt->aot)
    r->status = wt_aot_func_call(s->store, ext->u.func, args, nargs, r->vals, r->n, &r->err);
  else
    r->status = wt_func_call(s->store, ext->u.func, args, nargs, r->vals, r->n, &r->err);
  r->err.status = r->status;
  return true;
}

/*
** Performs an invoke or get action. Returns false (s->why set) when the
** action cannot even be attempted: no instance, no such export, arguments
** that do not fit. Otherwise the engine's verdict is in *r.
*/
static bool perform(script *s, const json_value *action, call_result *r) {
  size_t flen;
  const char *field = json_string(json_get(action, "field"), &flen);
  wt_extern ext;
  memset(r, 0, sizeof *r);
  if (!field) return failb(s, "action without field");
  wt_instance *inst = action_instance(s, action);
  if (!inst) return false;
  if (!wt_instance_export_n(inst, field, flen, &ext))
    return failb(s, "no export \"%s\"", field);
  if (json_is(json_get(action, "type"), "invoke")) return invoke(s, action, &ext, r);
  if (!json_is(json_get(action, "type"), "get")) return failb(s, "unknown action type");
  if (ext.kind != WT_EXTERN_GLOBAL) return failb(s, "export is not a global");
  r->vals[0] = wt_global_get(ext.u.global);
  r->n = 1;
  r->status = WT_OK;
  return true;
}

static outcome cmd_action(script *s, const json_value *cmd) {
  call_result r;
  if (!perform(s, json_get(cmd, "action"), &r)) return OUT_FAIL;
  if (r.status != WT_OK) return engine_failure(s, "action", &r.err);
  return OUT_PASS;
}

/* Formats the results as "(a, b)", each v128 in the shape of `want`. */
static void format_results(const call_result *r, const sv_expect *want, size_t nwant,
                           char *buf, size_t n) {
  size_t pos = (size_t)snprintf(buf, n, "(");
  for (size_t i = 0; i < r->n && pos < n; i++) {
    char one[200];
    sv_format_value(&r->vals[i], i < nwant ? want[i].lane_bytes : 4, one, sizeof one);
    pos += (size_t)snprintf(buf + pos, n - pos, "%s%s", i ? ", " : "", one);
  }
  if (pos < n) snprintf(buf + pos, n - pos, ")");
}

static void format_expected(const sv_expect *want, size_t nwant, char *buf, size_t n) {
  size_t pos = (size_t)snprintf(buf, n, "(");
  for (size_t i = 0; i < nwant && pos < n; i++) {
    char one[200];
    sv_format_expect(&want[i], one, sizeof one);
    pos += (size_t)snprintf(buf + pos, n - pos, "%s%s", i ? ", " : "", one);
  }
  if (pos < n) snprintf(buf + pos, n - pos, ")");
}

static outcome cmd_assert_return(script *s, const json_value *cmd) {
  const json_value *expected = json_get(cmd, "expected");
  sv_expect want[ST_MAX_VALUES];
  call_result r;
  if (!expected || expected->kind != JSON_ARRAY || expected->len > ST_MAX_VALUES)
    return failf(s, "bad expected list");
  for (size_t i = 0; i < expected->len; i++) {
    char why[200];
    if (!sv_parse_expect(&expected->u.items[i], &want[i], why, sizeof why))
      return failf(s, "expected value %zu: %s", i, why);
  }
  if (!perform(s, json_get(cmd, "action"), &r)) return OUT_FAIL;
  if (r.status != WT_OK) return engine_failure(s, "call", &r.err);
  bool ok = r.n == expected->len;
  for (size_t i = 0; ok && i < r.n; i++) ok = sv_match(&want[i], &r.vals[i]);
  if (ok) return OUT_PASS;
  char w[400], g[400];
  format_expected(want, expected->len, w, sizeof w);
  format_results(&r, want, expected->len, g, sizeof g);
  return failf(s, "expected %s, got %s", w, g);
}

/* assert_trap and assert_exhaustion: the action must trap with the kind
** the text names ("call stack exhausted" for exhaustion). */
static outcome cmd_assert_trap(script *s, const json_value *cmd) {
  call_result r;
  if (!perform(s, json_get(cmd, "action"), &r)) return OUT_FAIL;
  if (r.status == WT_OK) {
    char g[400];
    format_results(&r, NULL, 0, g, sizeof g);
    return failf(s, "returned %s instead of trapping", g);
  }
  return check_trap(s, cmd, &r.err);
}

/* ====================================================================
** The script loop
*/

typedef outcome (*cmd_fn)(script *s, const json_value *cmd);

static const cmd_fn handlers[ST_NKINDS] = {
    cmd_module,         cmd_register,          cmd_action,           cmd_assert_return,
    cmd_assert_trap,    cmd_assert_trap,       cmd_assert_invalid,   cmd_assert_malformed,
    cmd_assert_unlinkable, cmd_assert_uninstantiable, NULL};

static st_kind kind_of(const json_value *cmd) {
  for (int k = 0; k < ST_UNKNOWN; k++)
    if (json_is(json_get(cmd, "type"), kind_names[k])) return (st_kind)k;
  return ST_UNKNOWN;
}

static void count(st_report *rep, st_kind kind, outcome out) {
  st_counts *c[2] = {&rep->total, &rep->by_kind[kind]};
  for (int i = 0; i < 2; i++) {
    if (out == OUT_PASS) c[i]->passed++;
    else if (out == OUT_FAIL) c[i]->failed++;
    else if (out == OUT_SKIP) c[i]->skipped++;
  }
}

/* Runs one command, counts it, and prints a failure in verbose mode. */
static void run_command(script *s, const json_value *cmd, st_report *rep) {
  st_kind kind = kind_of(cmd);
  s->why[0] = '\0';
  outcome out = handlers[kind] ? handlers[kind](s, cmd) : failf(s, "unknown command type");
  /* A register failure is counted: it would otherwise vanish silently. */
  if (out == OUT_UNCOUNTED && kind != ST_REGISTER) out = OUT_PASS;
  count(rep, kind, out);
  if (out == OUT_FAIL && s->opt->verbose) {
    uint64_t line = 0;
    json_u64(json_get(cmd, "line"), &line);
    printf("  %s.wast:%llu (json line %u): %s: %s\n", s->name, (unsigned long long)line,
           (unsigned)cmd->line, st_kind_name(kind), s->why);
  }
}

/* Counts a script that could not be run at all as one failure. */
static void script_error(st_report *rep, const char *name, const char *why) {
  fprintf(stderr, "spectest: %s: %s\n", name, why);
  rep->io_error = true;
  count(rep, ST_UNKNOWN, OUT_FAIL);
}

static void run_commands(script *s, const json_value *cmds, st_report *rep) {
  wt_error err;
  memset(&err, 0, sizeof err);
  s->store = wt_store_new(s->opt->engine);
  if (!s->store) {
    script_error(rep, s->name, "cannot create a store");
    return;
  }
  if (!sh_init(&s->host, s->store, &s->opt->verbose, &err)) {
    script_error(rep, s->name, err.message);
  } else {
    for (size_t i = 0; i < cmds->len; i++) run_command(s, &cmds->u.items[i], rep);
  }
  wt_store_free(s->store);
  for (size_t i = 0; i < s->nmods; i++) wt_module_free(s->mods[i]);
  free(s->mods);
  for (size_t i = 0; i < s->naots; i++) wt_aot_module_free(s->aots[i]);
  free(s->aots);
  free(s->names.items);
  free(s->registered.items);
}

void st_run_script(const st_options *opt, const char *dir, const char *name, st_report *rep) {
  char why[512];
  size_t plen = strlen(dir) + strlen(name) + 8, len;
  char *path = malloc(plen);
  if (!path) {
    script_error(rep, name, "out of memory");
    return;
  }
  snprintf(path, plen, "%s/%s.json", dir, name);
  char *text = (char *)st_read_file(path, &len, why, sizeof why);
  free(path);
  json_doc *doc = text ? json_parse(text, len, why, sizeof why) : NULL;
  free(text);
  if (!doc) {
    script_error(rep, name, why);
    return;
  }
  const json_value *cmds = json_get(json_root(doc), "commands");
  if (!cmds || cmds->kind != JSON_ARRAY) {
    script_error(rep, name, "no \"commands\" list");
  } else {
    script s;
    memset(&s, 0, sizeof s);
    s.opt = opt;
    s.dir = dir;
    s.name = name;
    run_commands(&s, cmds, rep);
  }
  json_free(doc);
}
