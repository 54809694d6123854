/*
** wasi_sandbox_test.c — the sandbox configured through the embedding API
** (wasi/wasi.h), as an embedder does it in code rather than from a
** command line:
**   * configuration errors: NULL/negative/inconsistent configs, missing
**     directories, a file given as a directory, a bad stdio descriptor;
**   * a guest (guests/embedder.c) run with args, environment, stdin from a
**     pipe, stdout into a pipe, stderr closed, a rw grant and a read-only
**     grant without a guest name; the host checks its output, exit code,
**     the files it wrote, and that its own descriptors survived the
**     guest closing fds 0 and 1;
**   * symlink-swap races: guests/race.c runs while a second host thread
**     exchanges a directory with a symlink leading out of the grant, with
**     each resolver; nothing outside may be read or changed.
**
**   wasi_sandbox_test GUEST_DIR          run all of the above
**   wasi_sandbox_test --swap DIR MS      only swap DIR/swap and DIR/swap_alt
**                                        for MS milliseconds (the CLI race
**                                        test runs this next to wasitorch)
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host/host.h"
#include "wasi/wasi.h"

static int checks, failures;
#define CHECK(c) check((c), #c, __LINE__)
static void check(bool ok, const char *what, int line) {
  checks++;
  if (!ok) { failures++; fprintf(stderr, "wasi_sandbox_test:%d: FAILED %s\n", line, what); }
}

/* ---- small host helpers ---- */

#define PATH_BUF 4096

/* dst = a + "/" + b; a path that does not fit ends the test. */
static char *join(char *dst, const char *a, const char *b) {
  int n = snprintf(dst, PATH_BUF, "%s/%s", a, b);
  if (n < 0 || n >= PATH_BUF) { fprintf(stderr, "path too long: %s/%s\n", a, b); exit(2); }
  return dst;
}

static char *read_text(const char *path) {
  static char buf[PATH_BUF];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) return NULL;
  buf[n] = 0;
  return buf;
}

static bool write_text(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
  return close(fd) == 0 && ok;
}

/* Names in `dir`, sorted and joined by spaces ("" when empty/missing). */
static const char *listing(const char *dir) {
  static char out[1024];
  struct dirent **ents;
  out[0] = 0;
  int n = scandir(dir, &ents, NULL, alphasort);
  for (int i = 0; i < n; i++) {
    if (strcmp(ents[i]->d_name, ".") && strcmp(ents[i]->d_name, "..")) {
      if (out[0]) strncat(out, " ", sizeof out - strlen(out) - 1);
      strncat(out, ents[i]->d_name, sizeof out - strlen(out) - 1);
    }
    free(ents[i]);
  }
  if (n >= 0) free(ents);
  return out;
}

static uint64_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* ---- running a guest ---- */

typedef struct linker { wt_store *store; host_module mod; } linker;

static bool resolve(void *ud, const wt_port *import, wt_extern *out) {
  linker *l = ud;
  return host_resolve(l->store, &l->mod, 1, import, out);
}

/* Runs GUEST_DIR/name with `cfg`; returns the exit status (0 when _start
** returned), or -1 for a load/link/trap failure (printed). */
static int run_guest(const char *guests, const char *name, const wasi_config *cfg) {
  char path[PATH_BUF];
  join(path, guests, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) { fprintf(stderr, "cannot open %s\n", path); return -1; }
  uint8_t *bytes = malloc((size_t)st.st_size + 1);
  bool got = bytes && read(fd, bytes, (size_t)st.st_size) == st.st_size;
  close(fd);
  wt_error err = {0};
  wt_engine *eng = wt_engine_new(NULL);
  wt_module *mod = NULL;
  wt_store *store = NULL;
  wasi_ctx *w = NULL;
  wt_instance *inst;
  wt_extern start;
  if (!got || !eng || wt_module_new(eng, bytes, (size_t)st.st_size, &mod, &err) != WT_OK ||
      !(store = wt_store_new(eng)) || !(w = wasi_new(cfg, &err))) goto done;
  linker l = {store, wasi_host_module(w)};
  if (wt_instantiate(store, mod, resolve, &l, &inst, &err) != WT_OK) goto done;
  if (!wt_instance_export(inst, "_start", &start)) { snprintf(err.message, sizeof err.message, "no _start"); goto done; }
  wt_status s = wt_func_call(store, start.u.func, NULL, 0, NULL, 0, &err);
  if (s == WT_OK) rc = 0;
  else if (s == WT_ERR_EXIT || (s == WT_ERR_TRAP && err.trap == WT_TRAP_EXIT)) rc = err.exit_code;
done:
  if (rc < 0) fprintf(stderr, "%s: %s\n", name, err.message);
  wt_store_free(store);
  wasi_free(w);
  wt_module_free(mod);
  wt_engine_free(eng);
  free(bytes);
  return rc;
}

/* ---- configuration errors ---- */

static void config_errors(const char *tmp) {
  wt_error err;
  memset(&err, 0, sizeof err);
  CHECK(wasi_new(NULL, &err) == NULL && err.status == WT_ERR_ARG);
  wasi_config bad = {.argc = -1, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
  CHECK(wasi_new(&bad, &err) == NULL && err.status == WT_ERR_ARG);
  wasi_config nodirs = {.ndirs = 1, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
  CHECK(wasi_new(&nodirs, &err) == NULL && err.status == WT_ERR_ARG);
  wasi_config noargv = {.argc = 2, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
  CHECK(wasi_new(&noargv, &err) == NULL && err.status == WT_ERR_ARG);
  wasi_dir nohost = {NULL, "/x", false};
  wasi_config c1 = {.dirs = &nohost, .ndirs = 1, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
  CHECK(wasi_new(&c1, &err) == NULL && err.status == WT_ERR_ARG);
  char missing[PATH_BUF], file[PATH_BUF];
  join(missing, tmp, "does_not_exist");
  join(file, tmp, "plain_file");
  CHECK(write_text(file, "x"));
  wasi_dir dmissing = {missing, "/m", false}, dfile = {file, "/f", true};
  wasi_config c2 = {.dirs = &dmissing, .ndirs = 1, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
  CHECK(wasi_new(&c2, &err) == NULL && err.status == WT_ERR_IO && strstr(err.message, missing));
  c2.dirs = &dfile;
  CHECK(wasi_new(&c2, &err) == NULL && err.status == WT_ERR_IO && strstr(err.message, file));
  wasi_config badfd = {.stdin_fd = 987, .stdout_fd = -1, .stderr_fd = -1};
  CHECK(wasi_new(&badfd, &err) == NULL && err.status == WT_ERR_IO);
  wasi_config empty = {.stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
  wasi_ctx *w = wasi_new(&empty, &err);
  CHECK(w != NULL);
  wasi_free(w);
  wasi_free(NULL);
}

/* ---- the embedder scenario ---- */

static void embedder(const char *guests, const char *tmp) {
  char data[PATH_BUF], models[PATH_BUF], outside[PATH_BUF], p[PATH_BUF], menv[4200];
  join(data, tmp, "data");
  join(models, tmp, "models");
  join(outside, tmp, "outside");
  CHECK(mkdir(data, 0755) == 0 && mkdir(models, 0755) == 0 && mkdir(outside, 0755) == 0);
  join(p, models, "weights.bin");
  CHECK(write_text(p, "WWWW"));
  join(p, outside, "secret.txt");
  CHECK(write_text(p, "secret"));
  int in[2], out[2];
  CHECK(pipe(in) == 0 && pipe(out) == 0);
  CHECK(write(in[1], "input line\n", 11) == 11);
  close(in[1]);
  snprintf(menv, sizeof menv, "MODELS=%s", models);
  const char *argv[] = {"embedder", "--flag", "ünicöde"};
  const char *envp[] = {"EMPTY=", "X=a=b", menv, "LAST=1"};
  wasi_dir dirs[] = {{data, "/data", false}, {models, NULL, true}};
  wasi_config cfg = {.argc = 3, .argv = argv, .envc = 4, .envp = envp, .dirs = dirs, .ndirs = 2,
                     .stdin_fd = in[0], .stdout_fd = out[1], .stderr_fd = -1};
  int rc = run_guest(guests, "wasi_embedder.wasm", &cfg);
  CHECK(rc == 7);
  /* our ends survived the guest closing its 0 and 1 */
  CHECK(fcntl(in[0], F_GETFD) >= 0 && fcntl(out[1], F_GETFD) >= 0);
  /* ... with the status flags the guest changed put back */
  CHECK(fcntl(in[0], F_GETFL) >= 0 && !(fcntl(in[0], F_GETFL) & O_NONBLOCK));
  CHECK(fcntl(out[1], F_GETFL) >= 0 && !(fcntl(out[1], F_GETFL) & (O_NONBLOCK | O_APPEND)));
  close(out[1]);
  char got[1024] = {0};
  size_t len = 0;
  for (ssize_t n; (n = read(out[0], got + len, sizeof got - 1 - len)) > 0;) len += (size_t)n;
  fputs(got, stdout);
  CHECK(strncmp(got, "ECHO:INPUT LINE\n", 16) == 0);
  CHECK(strstr(got, " checks, 0 failed\n") != NULL);
  close(in[0]);
  close(out[0]);
  join(p, data, "out.txt");
  const char *t = read_text(p);
  CHECK(t && strcmp(t, "written by the guest") == 0);
  CHECK(strcmp(listing(models), "weights.bin") == 0);
  join(p, models, "weights.bin");
  CHECK((t = read_text(p)) && strcmp(t, "WWWW") == 0);
  CHECK(strcmp(listing(outside), "secret.txt") == 0);
}

/* ---- symlink-swap races ---- */

typedef struct swapper {
  int dirfd;
  uint64_t until_ms;
  atomic_bool stop;
  long swaps;
} swapper;

/* Exchanges dir/swap (a directory) with dir/swap_alt (a symlink out of the
** grant), and dir/swapf (a file) with dir/swapf_alt (a symlink to a file
** outside), as fast as it can. */
static void *swap_loop(void *arg) {
  swapper *s = arg;
  while (!atomic_load(&s->stop) && now_ms() < s->until_ms) {
    if (renameat2(s->dirfd, "swap", s->dirfd, "swap_alt", RENAME_EXCHANGE) == 0) s->swaps++;
    if (renameat2(s->dirfd, "swapf", s->dirfd, "swapf_alt", RENAME_EXCHANGE) == 0) s->swaps++;
  }
  return NULL;
}

static void race(const char *guests, const char *tmp, const char *resolver) {
  char box[PATH_BUF], rw[PATH_BUF], outside[PATH_BUF], p[PATH_BUF];
  snprintf(box, sizeof box, "%s/race_%s", tmp, resolver);
  join(rw, box, "rw");
  join(outside, box, "outside");
  CHECK(mkdir(box, 0755) == 0 && mkdir(rw, 0755) == 0 && mkdir(outside, 0755) == 0);
  join(p, rw, "swap");
  CHECK(mkdir(p, 0755) == 0);
  join(p, rw, "swap/target.txt");
  CHECK(write_text(p, "inside"));
  join(p, rw, "swap_alt");
  CHECK(symlink("../outside", p) == 0);
  CHECK(write_text(join(p, rw, "swapf"), "inside"));
  CHECK(symlink("../outside/target.txt", join(p, rw, "swapf_alt")) == 0);
  join(p, outside, "target.txt");
  CHECK(write_text(p, "SECRET!!"));
  join(p, outside, "victim.txt");
  CHECK(write_text(p, "v"));
  struct stat before, after, tbefore, tafter;
  CHECK(stat(outside, &before) == 0 && stat(join(p, outside, "target.txt"), &tbefore) == 0);

  if (strcmp(resolver, "walk") == 0) setenv("WASITORCH_WASI_RESOLVE", "walk", 1);
  else unsetenv("WASITORCH_WASI_RESOLVE");
  join(p, box, "log");
  int log = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  swapper s = {.dirfd = open(rw, O_RDONLY | O_DIRECTORY | O_CLOEXEC), .until_ms = now_ms() + 60000};
  pthread_t th;
  bool started = log >= 0 && s.dirfd >= 0 && pthread_create(&th, NULL, swap_loop, &s) == 0;
  CHECK(started);
  const char *argv[] = {"race", "1000"};
  wasi_dir dirs[] = {{rw, "/sandbox", false}};
  wasi_config cfg = {.argc = 2, .argv = argv, .dirs = dirs, .ndirs = 1,
                     .stdin_fd = -1, .stdout_fd = log, .stderr_fd = log};
  int rc = run_guest(guests, "wasi_race.wasm", &cfg);
  atomic_store(&s.stop, true);
  if (started) pthread_join(th, NULL);
  unsetenv("WASITORCH_WASI_RESOLVE");
  char text[PATH_BUF] = {0};
  CHECK(pread(log, text, sizeof text - 1, 0) > 0);
  printf("[%s] %ld swaps; %s", resolver, s.swaps, text);
  close(log);
  close(s.dirfd);
  CHECK(rc == 0);
  CHECK(strstr(text, "race: ") && strstr(text, " checks, 0 failed\n"));
  CHECK(s.swaps > 0);
  /* outside: same names, same contents, not even touched */
  CHECK(strcmp(listing(outside), "target.txt victim.txt") == 0);
  join(p, outside, "target.txt");
  const char *t = read_text(p);
  CHECK(t && strcmp(t, "SECRET!!") == 0);
  CHECK(stat(outside, &after) == 0 && after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
        after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  join(p, outside, "target.txt");
  CHECK(stat(p, &tafter) == 0 && tafter.st_nlink == 1 && tafter.st_size == 8 &&
        tafter.st_mtim.tv_sec == tbefore.st_mtim.tv_sec &&
        tafter.st_mtim.tv_nsec == tbefore.st_mtim.tv_nsec);
}

/* ---- main ---- */

static int swap_only(const char *dir, const char *ms) {
  swapper s = {.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), .until_ms = now_ms() + (uint64_t)atol(ms)};
  if (s.dirfd < 0) { perror(dir); return 1; }
  swap_loop(&s);
  close(s.dirfd);
  return s.swaps > 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "--swap") == 0) return swap_only(argv[2], argv[3]);
  if (argc != 2) { fprintf(stderr, "usage: wasi_sandbox_test GUEST_DIR | --swap DIR MS\n"); return 2; }
  char tmp[] = "/tmp/wasi_sandbox.XXXXXX";
  if (!mkdtemp(tmp)) { perror("mkdtemp"); return 2; }
  config_errors(tmp);
  embedder(argv[1], tmp);
  race(argv[1], tmp, "openat2");
  race(argv[1], tmp, "walk");
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp);
  printf("wasi_sandbox_test: %d checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}
