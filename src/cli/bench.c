/*
** bench.c — `wasitorch bench`: times a module on one or more execution tiers.
**
** Each run is a separate `wasitorch run --engine E ...` process, so a run
** costs what a user's run costs (start-up, translation or artifact load,
** WASI set-up, the guest itself). Engines are interleaved run by run, so a
** slow period of a shared machine hits every tier alike; CPU time comes
** from wait4() and survives such periods better than wall time.
*/
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

extern char **environ;

enum { BENCH_MAX_ENGINES = 3, BENCH_MAX_RUNS = 1000 };

typedef struct bench_sample {
  double wall_ms, cpu_ms, rss_mib;
  int status; /* exit status, or 128 + signal */
} bench_sample;

typedef struct bench_options {
  char engine_list[64];
  const char *engines[BENCH_MAX_ENGINES]; /* point into engine_list */
  int nengines;
  long runs, warmup;
  int first_arg; /* index in argv of the first `run` argument */
} bench_options;

static void bench_usage(FILE *out) {
  fprintf(out,
          "Usage: wasitorch bench [OPTIONS] [--] [RUN-OPTIONS] MODULE.wasm [ARGS...]\n"
          "\n"
          "Times MODULE as `wasitorch run` would run it, on each engine, in separate\n"
          "processes, engines interleaved run by run. RUN-OPTIONS and ARGS are passed to\n"
          "`wasitorch run` unchanged (e.g. --dir, --nn-preload); --engine is set per engine.\n"
          "\n"
          "Options:\n"
          "  --engine LIST   comma-separated engines: interp, aot, auto (default interp,aot)\n"
          "  --runs N        timed runs per engine (default 5)\n"
          "  --warmup N      untimed runs per engine first (default 1; for aot this also\n"
          "                  compiles the module into the cache)\n"
          "  --help          show this text\n"
          "\n"
          "Reports per engine the median and p90 wall time, median CPU time (user+system\n"
          "of the process) and peak RSS, and the ratio of medians to the first engine.\n"
          "The guest's output is discarded; a run that exits non-zero is reported and\n"
          "makes the exit status 1.\n");
}

/* A comma-separated engine list, copied into o->engine_list (strtok cuts it). */
static bool parse_engines(const char *list, bench_options *o) {
  if (strlen(list) >= sizeof o->engine_list) {
    cli_error("bench: engine list too long");
    return false;
  }
  strcpy(o->engine_list, list);
  o->nengines = 0;
  for (char *tok = strtok(o->engine_list, ","); tok; tok = strtok(NULL, ",")) {
    if (strcmp(tok, "interp") && strcmp(tok, "aot") && strcmp(tok, "auto")) {
      cli_error("bench: unknown engine '%s' (interp, aot or auto)", tok);
      return false;
    }
    if (o->nengines == BENCH_MAX_ENGINES) {
      cli_error("bench: at most %d engines", BENCH_MAX_ENGINES);
      return false;
    }
    o->engines[o->nengines++] = tok;
  }
  if (o->nengines == 0) cli_error("bench: --engine needs at least one engine");
  return o->nengines > 0;
}

static bool bench_count(const char *name, const char *text, long min, long *out) {
  if (text && cli_parse_count(text, min, BENCH_MAX_RUNS, out)) return true;
  if (text) cli_error("bench: %s needs a number from %ld to %d", name, min, BENCH_MAX_RUNS);
  return false;
}

/* Returns 0 to go on, 1 after --help, 2 on a usage error. */
static int parse_bench_args(int argc, char **argv, bench_options *o) {
  o->runs = 5;
  o->warmup = 1;
  if (!parse_engines("interp,aot", o)) return 2;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      bench_usage(stdout);
      return 1;
    }
    bool ok = true;
    if (!strncmp(a, "--engine", 8) && (a[8] == '\0' || a[8] == '=')) {
      const char *v = cli_option_value(argc, argv, &i, "--engine");
      ok = v && parse_engines(v, o);
    } else if (!strncmp(a, "--runs", 6) && (a[6] == '\0' || a[6] == '=')) {
      ok = bench_count("--runs", cli_option_value(argc, argv, &i, "--runs"), 1, &o->runs);
    } else if (!strncmp(a, "--warmup", 8) && (a[8] == '\0' || a[8] == '=')) {
      ok = bench_count("--warmup", cli_option_value(argc, argv, &i, "--warmup"), 0, &o->warmup);
    } else {
      break; /* the first `run` option */
    }
    if (!ok) return 2;
  }
  if (i >= argc) {
    cli_error("bench: no module given (try 'wasitorch bench --help')");
    return 2;
  }
  o->first_arg = i;
  return 0;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One `wasitorch run --engine E ARGS...` with its output sent to /dev/null. */
static bool run_once(const char *self, const char *engine, int argc, char **argv,
                     bench_sample *s) {
  char **cargv = calloc((size_t)argc + 5, sizeof *cargv);
  if (!cargv) return false;
  cargv[0] = (char *)self;
  cargv[1] = "run";
  cargv[2] = "--engine";
  cargv[3] = (char *)engine;
  for (int k = 0; k < argc; k++) cargv[4 + k] = argv[k];
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  double t0 = now_ms();
  pid_t pid;
  int rc = posix_spawn(&pid, self, &fa, NULL, cargv, environ);
  posix_spawn_file_actions_destroy(&fa);
  free(cargv);
  if (rc != 0) {
    cli_error("bench: cannot start %s: %s", self, strerror(rc));
    return false;
  }
  int status = 0;
  struct rusage ru;
  while (wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      cli_error("bench: wait4: %s", strerror(errno));
      return false;
    }
  }
  s->wall_ms = now_ms() - t0;
  s->cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
              (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
  s->rss_mib = ru.ru_maxrss / 1024.0;
  s->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The q-quantile (nearest rank) of n values, which it sorts. */
static double quantile(double *v, long n, double q) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  long k = (long)(q * (double)(n - 1) + 0.5);
  return v[k];
}

static void report(const bench_options *o, bench_sample *samples, const char *module) {
  printf("%s: %ld run(s) per engine after %ld warm-up run(s)\n\n", module, o->runs, o->warmup);
  printf("%-8s %12s %10s %13s %9s %10s\n", "engine", "median ms", "p90 ms", "CPU median ms",
         "RSS MiB", "x first");
  double first = 0;
  double *w = malloc(sizeof *w * (size_t)o->runs), *c = malloc(sizeof *c * (size_t)o->runs);
  double *r = malloc(sizeof *r * (size_t)o->runs);
  for (int e = 0; w && c && r && e < o->nengines; e++) {
    for (long k = 0; k < o->runs; k++) {
      const bench_sample *s = &samples[k * o->nengines + e];
      w[k] = s->wall_ms;
      c[k] = s->cpu_ms;
      r[k] = s->rss_mib;
    }
    double med = quantile(w, o->runs, 0.5), p90 = quantile(w, o->runs, 0.9);
    double cpu = quantile(c, o->runs, 0.5), rss = quantile(r, o->runs, 1.0);
    if (e == 0) first = med;
    printf("%-8s %12.2f %10.2f %13.2f %9.1f %10.2f\n", o->engines[e], med, p90, cpu, rss,
           first > 0 ? med / first : 0.0);
  }
  free(w);
  free(c);
  free(r);
}

/* The module among the `run` arguments: the first that names one. */
static const char *module_name(int argc, char **argv) {
  for (int k = 0; k < argc; k++) {
    size_t n = strlen(argv[k]);
    if ((n > 5 && !strcmp(argv[k] + n - 5, ".wasm")) || (n > 6 && !strcmp(argv[k] + n - 6, ".cwasm")))
      return argv[k];
  }
  return "module";
}

int cli_bench(int argc, char **argv) {
  bench_options o;
  int rc = parse_bench_args(argc, argv, &o);
  if (rc) return rc == 1 ? 0 : 2;
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    cli_error("bench: cannot find the wasitorch executable: %s", strerror(errno));
    return 1;
  }
  self[n] = '\0';
  int nargs = argc - o.first_arg;
  char **args = argv + o.first_arg;
  bench_sample *samples = calloc((size_t)(o.runs * o.nengines), sizeof *samples);
  if (!samples) return 1;
  int failed = 0;
  bool progress = isatty(2);
  for (long k = -o.warmup; k < o.runs; k++) {
    for (int e = 0; e < o.nengines; e++) {
      bench_sample s;
      if (!run_once(self, o.engines[e], nargs, args, &s)) {
        free(samples);
        return 1;
      }
      if (s.status != 0 && failed++ == 0)
        cli_error("bench: a run on %s exited with status %d (run it with 'wasitorch run --engine "
                  "%s' to see why)", o.engines[e], s.status, o.engines[e]);
      if (k >= 0) samples[k * o.nengines + e] = s;
    }
    if (k >= 0 && progress) fprintf(stderr, "\rwasitorch: bench run %ld/%ld", k + 1, o.runs);
  }
  if (progress) fprintf(stderr, "\n");
  report(&o, samples, module_name(nargs, args));
  free(samples);
  return failed ? 1 : 0;
}
