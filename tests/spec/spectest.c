/*
** spectest.c — the command line of the WebAssembly spec-test runner.
**
**   spectest [--engine interp|aot] [--verbose] [--exclude PREFIX]...
**            [--only NAME]... DIR...
**
** Each DIR is a test folder (<DIR>/<name>.json with name = the folder's
** last component) or the testsuite root, whose sub-folders holding
** <name>/<name>.json run in sorted order. Prints one line per script, the
** totals per command kind, and as the very last line
** "N passed, M failed[, K skipped]". Exit status: 0 all passed, 1 some
** test failed, 2 usage or I/O error (a missing folder, an unreadable or
** malformed script).
*/
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

#define MAX_FILTERS 64
#define SCRIPT_TIMEOUT_S 600 /* per script; the whole core suite takes seconds */

typedef struct cli {
  const char *engine;
  const char *cache, *cc, *cflags; /* AOT: artifact cache, compiler, flags */
  bool bounds_checks;              /* AOT: explicit checks instead of guard pages */
  bool verbose;
  bool no_fork; /* run scripts in this process (for debuggers) */
  const char *exclude[MAX_FILTERS], *only[MAX_FILTERS];
  size_t nexclude, nonly;
  const char **dirs;
  size_t ndirs;
} cli;

/* Everything one run accumulates. */
typedef struct run {
  const cli *args;
  st_options opt;
  st_report total;
  size_t files, files_failed;
  bool usage_error;
} run;

static void usage(FILE *out) {
  fprintf(out,
          "usage: spectest [--engine interp|aot] [--verbose] [--exclude PREFIX]...\n"
          "                [--only NAME]... [--no-fork] DIR...\n"
          "       AOT only: [--cache DIR] [--cc CC] [--cflags FLAGS] [--bounds-checks]\n"
          "DIR is the testsuite root or one test folder (holding <name>/<name>.json).\n"
          "--engine aot compiles every test module once into the artifact cache\n"
          "(default $XDG_CACHE_HOME/wasitorch) and runs all commands natively.\n");
}

/* Parses argv into *c; false on a usage error (already reported). */
static bool parse_cli(int argc, char **argv, cli *c) {
  memset(c, 0, sizeof *c);
  c->engine = "interp";
  c->dirs = calloc((size_t)argc, sizeof *c->dirs);
  if (!c->dirs) return false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool has_value = i + 1 < argc;
    if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
      c->verbose = true;
    } else if (strcmp(a, "--no-fork") == 0) {
      c->no_fork = true;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      exit(0);
    } else if (strcmp(a, "--engine") == 0 && has_value) {
      c->engine = argv[++i];
    } else if (strcmp(a, "--cache") == 0 && has_value) {
      c->cache = argv[++i];
    } else if (strcmp(a, "--cc") == 0 && has_value) {
      c->cc = argv[++i];
    } else if (strcmp(a, "--cflags") == 0 && has_value) {
      c->cflags = argv[++i];
    } else if (strcmp(a, "--bounds-checks") == 0) {
      c->bounds_checks = true;
    } else if (strcmp(a, "--exclude") == 0 && has_value && c->nexclude < MAX_FILTERS) {
      c->exclude[c->nexclude++] = argv[++i];
    } else if (strcmp(a, "--only") == 0 && has_value && c->nonly < MAX_FILTERS) {
      c->only[c->nonly++] = argv[++i];
    } else if (a[0] == '-') {
      fprintf(stderr, "spectest: bad option or missing value: %s\n", a);
      return false;
    } else {
      c->dirs[c->ndirs++] = a;
    }
  }
  if (c->ndirs == 0) fprintf(stderr, "spectest: no test folder given\n");
  return c->ndirs > 0;
}

/* True when the script `name` passes the --only / --exclude filters. */
static bool selected(const cli *c, const char *name) {
  for (size_t i = 0; i < c->nexclude; i++)
    if (strncmp(name, c->exclude[i], strlen(c->exclude[i])) == 0) return false;
  if (c->nonly == 0) return true;
  for (size_t i = 0; i < c->nonly; i++)
    if (strcmp(name, c->only[i]) == 0) return true;
  return false;
}

static bool is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* True when `dir`/`name`/`name`.json (or `dir`/`name`.json with sub NULL)
** exists. */
static bool has_script(const char *dir, const char *sub, const char *name) {
  size_t n = strlen(dir) + 2 * strlen(name) + 16;
  char *path = malloc(n);
  if (!path) return false;
  if (sub) snprintf(path, n, "%s/%s/%s.json", dir, sub, name);
  else snprintf(path, n, "%s/%s.json", dir, name);
  bool ok = is_file(path);
  free(path);
  return ok;
}

/* Reads exactly sizeof *rep bytes from fd; false on a short read. */
static bool read_report(int fd, st_report *rep) {
  size_t got = 0;
  while (got < sizeof *rep) {
    ssize_t n = read(fd, (char *)rep + got, sizeof *rep - got);
    if (n <= 0) return false;
    got += (size_t)n;
  }
  return true;
}

/*
** Runs one script in a child process, so that an engine crash or hang
** costs that script only: the child sends its report through a pipe, and a
** child that dies (signal, timeout) is reported and counted as one failure.
*/
static void run_isolated(run *r, const char *dir, const char *name, st_report *rep) {
  int fds[2];
  fflush(stdout);
  fflush(stderr);
  pid_t pid = pipe(fds) == 0 ? fork() : -1;
  if (pid == 0) {
    close(fds[0]);
    alarm(SCRIPT_TIMEOUT_S);
    st_run_script(&r->opt, dir, name, rep);
    fflush(stdout);
    bool ok = write(fds[1], rep, sizeof *rep) == (ssize_t)sizeof *rep;
    _exit(ok ? 0 : 3);
  }
  if (pid < 0) { /* no process to spare: run in this one */
    st_run_script(&r->opt, dir, name, rep);
    return;
  }
  close(fds[1]);
  bool ok = read_report(fds[0], rep);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (ok && WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  memset(rep, 0, sizeof *rep);
  rep->total.failed = rep->by_kind[ST_UNKNOWN].failed = 1;
  if (WIFSIGNALED(status))
    fprintf(stderr, "spectest: %s: the runner died: %s%s\n", name, strsignal(WTERMSIG(status)),
            WTERMSIG(status) == SIGALRM ? " (script timeout)" : "");
  else
    fprintf(stderr, "spectest: %s: the runner exited abnormally\n", name);
}

static void run_one(run *r, const char *dir, const char *name) {
  st_report rep;
  memset(&rep, 0, sizeof rep);
  if (r->args->no_fork) st_run_script(&r->opt, dir, name, &rep);
  else run_isolated(r, dir, name, &rep);
  printf("%s: %" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped\n", name,
         rep.total.passed, rep.total.failed, rep.total.skipped);
  fflush(stdout);
  r->files++;
  if (rep.total.failed) r->files_failed++;
  if (rep.io_error) r->usage_error = true;
  r->total.total.passed += rep.total.passed;
  r->total.total.failed += rep.total.failed;
  r->total.total.skipped += rep.total.skipped;
  for (int k = 0; k < ST_NKINDS; k++) {
    r->total.by_kind[k].passed += rep.by_kind[k].passed;
    r->total.by_kind[k].failed += rep.by_kind[k].failed;
    r->total.by_kind[k].skipped += rep.by_kind[k].skipped;
  }
}

/* Runs every selected script folder under the testsuite root `root`. */
static void run_root(run *r, const char *root) {
  struct dirent **ents;
  int n = scandir(root, &ents, NULL, alphasort);
  if (n < 0) {
    fprintf(stderr, "spectest: cannot read folder %s\n", root);
    r->usage_error = true;
    return;
  }
  size_t found = 0;
  size_t plen = strlen(root) + 2;
  for (int i = 0; i < n; i++) {
    const char *name = ents[i]->d_name;
    if (name[0] != '.' && has_script(root, name, name)) {
      found++;
      if (selected(r->args, name)) {
        char *dir = malloc(plen + strlen(name));
        if (dir) {
          snprintf(dir, plen + strlen(name), "%s/%s", root, name);
          run_one(r, dir, name);
          free(dir);
        }
      }
    }
    free(ents[i]);
  }
  free(ents);
  if (found == 0) {
    fprintf(stderr, "spectest: %s holds no test folder (<name>/<name>.json)\n", root);
    r->usage_error = true;
  }
}

/* A DIR argument: one test folder, or the root of many. */
static void run_arg(run *r, const char *arg) {
  size_t len = strlen(arg);
  char *dir = malloc(len + 1);
  if (!dir) return;
  memcpy(dir, arg, len + 1);
  while (len > 1 && dir[len - 1] == '/') dir[--len] = '\0';
  const char *slash = strrchr(dir, '/');
  const char *name = slash ? slash + 1 : dir;
  if (has_script(dir, NULL, name)) {
    if (selected(r->args, name)) run_one(r, dir, name);
  } else {
    run_root(r, dir);
  }
  free(dir);
}

static void print_totals(const run *r) {
  const st_counts *t = &r->total.total;
  printf("\ntotals by command (%zu files, %zu with failures):\n", r->files, r->files_failed);
  for (int k = 0; k < ST_NKINDS; k++) {
    const st_counts *c = &r->total.by_kind[k];
    if (c->passed + c->failed + c->skipped == 0) continue;
    printf("  %-22s %8" PRIu64 " passed %6" PRIu64 " failed %6" PRIu64 " skipped\n",
           st_kind_name((st_kind)k), c->passed, c->failed, c->skipped);
  }
  printf("%" PRIu64 " passed, %" PRIu64 " failed", t->passed, t->failed);
  if (t->skipped) printf(", %" PRIu64 " skipped", t->skipped);
  printf("\n");
}

int main(int argc, char **argv) {
  cli args;
  if (!parse_cli(argc, argv, &args)) {
    usage(stderr);
    free(args.dirs);
    return 2;
  }
  bool aot = strcmp(args.engine, "aot") == 0;
  if (!aot && strcmp(args.engine, "interp") != 0) {
    fprintf(stderr, "spectest: unknown engine \"%s\" (interp or aot)\n", args.engine);
    free(args.dirs);
    return 2;
  }
  run r;
  memset(&r, 0, sizeof r);
  r.args = &args;
  r.opt.verbose = args.verbose;
  /* A deadline keeps a runaway loop in a buggy engine from hanging CI. */
  wt_config config = {0, 0, 0, 60000, 0};
  char compiler_id[256];
  wt_aot_options aot_opt = {args.cc, args.cflags, args.cache, NULL, args.bounds_checks, false};
  if (aot) {
    /* Probed once here instead of once per module. */
    if (!wt_aot_compiler_id(args.cc, compiler_id, sizeof compiler_id)) {
      fprintf(stderr, "spectest: cannot run the C compiler\n");
      free(args.dirs);
      return 2;
    }
    aot_opt.compiler_id = compiler_id;
    if (!args.bounds_checks) config.flags |= WT_CONFIG_GUARD_REGIONS;
    r.opt.aot = &aot_opt;
  }
  r.opt.engine = wt_engine_new(&config);
  if (!r.opt.engine) {
    fprintf(stderr, "spectest: cannot create the engine\n");
    free(args.dirs);
    return 2;
  }
  for (size_t i = 0; i < args.ndirs; i++) run_arg(&r, args.dirs[i]);
  if (r.files == 0) {
    fprintf(stderr, "spectest: no script selected\n");
    r.usage_error = true;
  }
  print_totals(&r);
  wt_engine_free(r.opt.engine);
  free(args.dirs);
  if (r.usage_error) return 2;
  return r.total.total.failed ? 1 : 0;
}
