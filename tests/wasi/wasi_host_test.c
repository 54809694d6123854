/*
** wasi_host_test.c — every wasi_snapshot_preview1 function through its raw
** host ABI, without the engine: guest memory is a malloc'ed block behind
** this file's own wt_memory_ptr, so ASan sees any host access past it.
**
** The suite runs twice, once with the openat2 resolver and once with the
** component walk (WASITORCH_WASI_RESOLVE=walk), over a fresh temporary tree:
**   T/rw        granted read-write as "/sandbox" (fd 3)
**   T/ro        granted read-only as "/ro" (fd 4), holds data.txt
**   T/outside   not granted; holds canary.txt, must stay untouched
** Exit status is the number of failed checks (0 = all passed).
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi/wasi.h"
#include "wasi/wasi_abi.h"

#define MEM_SIZE 65536u

struct wt_memory { uint8_t *data; uint64_t size; };

void *wt_memory_ptr(wt_memory *m, uint32_t ptr, uint32_t len) {
  if ((uint64_t)ptr + len > m->size) return NULL;
  return m->data + ptr;
}

typedef struct tctx {
  wasi_ctx *w;
  host_module mod;
  wt_memory mem;
  uint32_t bump;   /* next free guest byte for strings/buffers */
  int failures;
  int checks;
  const char *mode;
} tctx;

static tctx T;

#define CHECK(cond) check((cond), #cond, __LINE__)
#define CHECK_EQ(a, b) check_eq((long long)(a), (long long)(b), #a, __LINE__)

static void check(bool ok, const char *what, int line) {
  T.checks++;
  if (!ok) { T.failures++; fprintf(stderr, "[%s] line %d: FAILED %s\n", T.mode, line, what); }
}

static void check_eq(long long got, long long want, const char *what, int line) {
  T.checks++;
  if (got != want) {
    T.failures++;
    fprintf(stderr, "[%s] line %d: %s = %lld, expected %lld\n", T.mode, line, what, got, want);
  }
}

/* ---- calling host functions ---- */

static wt_host_fn find_fn(const char *name) {
  for (size_t i = 0; i < T.mod.nfns; i++)
    if (strcmp(T.mod.fns[i].name, name) == 0) return T.mod.fns[i].fn;
  fprintf(stderr, "no host function %s\n", name);
  exit(99);
}

static wt_error last_err;

/* Calls `name` with up to 9 argument slots; returns slot 0 (the errno). */
static uint32_t callv(const char *name, int n, const uint64_t *args, wt_trap_kind *trap) {
  uint64_t slots[16] = {0};
  memcpy(slots, args, (size_t)n * sizeof *args);
  wt_host_call c = {.memory = &T.mem, .userdata = T.w, .error = &last_err};
  wt_trap_kind k = find_fn(name)(&c, slots);
  if (trap) *trap = k;
  else if (k != WT_TRAP_NONE) check(false, name, __LINE__);
  return (uint32_t)slots[0];
}
#define CALL(name, ...) callv(name, (int)(sizeof((uint64_t[]){__VA_ARGS__}) / 8), (uint64_t[]){__VA_ARGS__}, NULL)

/* ---- guest memory ---- */

static uint8_t *gp(uint32_t p) { return T.mem.data + p; }
static uint32_t galloc(uint32_t n) {
  uint32_t p = (T.bump + 7) & ~7u;
  T.bump = p + n;
  if (T.bump > MEM_SIZE - 1024) { fprintf(stderr, "guest memory exhausted\n"); exit(99); }
  memset(gp(p), 0, n);
  return p;
}
static uint32_t gstr(const char *s) {
  uint32_t p = galloc((uint32_t)strlen(s) + 1);
  memcpy(gp(p), s, strlen(s));
  return p;
}
static uint32_t rd32(uint32_t p) { uint32_t v; memcpy(&v, gp(p), 4); return v; }
static uint64_t rd64(uint32_t p) { uint64_t v; memcpy(&v, gp(p), 8); return v; }
static uint16_t rd16(uint32_t p) { uint16_t v; memcpy(&v, gp(p), 2); return v; }
static void wr32(uint32_t p, uint32_t v) { memcpy(gp(p), &v, 4); }

/* path helpers: (fd, "path") → args */
#define P(s) gstr(s), strlen(s)

static const uint64_t RW_FILE = WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK |
    WASI_RIGHT_FD_TELL | WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |
    WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_DATASYNC |
    WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FDSTAT_SET_FLAGS |
    WASI_RIGHT_POLL_FD_READWRITE;
static const uint64_t RD_FILE = WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL |
    WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE;

/* path_open(dirfd, path, oflags, base, inh, fdflags) → errno, *fd */
static uint32_t open_at(uint32_t dir, const char *path, uint32_t oflags, uint64_t base,
                        uint64_t inh, uint32_t fdflags, uint32_t lookup, uint32_t *fd) {
  uint32_t out = galloc(4);
  wr32(out, 0xdeadbeef);
  uint32_t e = CALL("path_open", dir, lookup, P(path), oflags, base, inh, fdflags, out);
  *fd = rd32(out);
  return e;
}

static uint32_t write_str(uint32_t fd, const char *s, uint32_t *n) {
  uint32_t iov = galloc(8), nw = galloc(4);
  wr32(iov, gstr(s));
  wr32(iov + 4, (uint32_t)strlen(s));
  uint32_t e = CALL("fd_write", fd, iov, 1, nw);
  *n = rd32(nw);
  return e;
}

static uint32_t read_buf(uint32_t fd, uint32_t len, uint32_t *buf, uint32_t *n) {
  uint32_t iov = galloc(8), nr = galloc(4);
  *buf = galloc(len + 1);
  wr32(iov, *buf);
  wr32(iov + 4, len);
  uint32_t e = CALL("fd_read", fd, iov, 1, nr);
  *n = rd32(nr);
  return e;
}


static void run_cases(const char *tree);

/* ---- fixture ---- */

static char root[256];

static void sh(const char *fmt, const char *a) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, fmt, a, a, a, a);
  if (system(cmd) != 0) { fprintf(stderr, "fixture command failed: %s\n", cmd); exit(99); }
}

static void make_tree(void) {
  snprintf(root, sizeof root, "%s/wasi_host_test.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(root)) { perror("mkdtemp"); exit(99); }
  sh("mkdir -p %s/rw %s/ro/sub %s/outside", root);
  sh("printf hello > %s/ro/data.txt && printf secret > %s/outside/canary.txt", root);
  sh("ln -s /etc %s/rw/etc_link && ln -s ../outside %s/rw/up", root);
  sh("ln -s ../outside/canary.txt %s/rw/canary_link", root);
}

static void run_suite(const char *mode) {
  T.mode = mode;
  make_tree();
  char rw[300], ro[300];
  snprintf(rw, sizeof rw, "%s/rw", root);
  snprintf(ro, sizeof ro, "%s/ro", root);
  wasi_dir dirs[2] = {{rw, "/sandbox", false}, {ro, "/ro", true}};
  const char *argv[] = {"prog", "a1", "arg two"};
  const char *envp[] = {"K=V", "EMPTY="};
  wasi_config cfg = {.argc = 3, .argv = argv, .envc = 2, .envp = envp, .dirs = dirs, .ndirs = 2,
                     .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2};
  wt_error err;
  T.w = wasi_new(&cfg, &err);
  if (!T.w) { fprintf(stderr, "wasi_new: %s\n", err.message); exit(99); }
  T.mod = wasi_host_module(T.w);
  T.mem.size = MEM_SIZE;
  T.mem.data = calloc(1, MEM_SIZE);
  run_cases(root);
  wasi_free(T.w);
  free(T.mem.data);
  T.bump = 0;
  sh("rm -rf %s", root);
}

int main(void) {
  unsetenv("WASITORCH_WASI_RESOLVE");
  run_suite("openat2");
  setenv("WASITORCH_WASI_RESOLVE", "walk", 1);
  run_suite("walk");
  printf("wasi_host_test: %d checks, %d failed\n", T.checks, T.failures);
  return T.failures ? 1 : 0;
}

/* ==== the cases ======================================================== */

static void case_args_env(void) {
  T.bump = 0;
  uint32_t n = galloc(4), sz = galloc(4), vec = galloc(16), buf = galloc(64);
  CHECK_EQ(CALL("args_sizes_get", n, sz), 0);
  CHECK_EQ(rd32(n), 3);
  CHECK_EQ(rd32(sz), 16); /* "prog\0a1\0arg two\0" */
  CHECK_EQ(CALL("args_get", vec, buf), 0);
  CHECK(strcmp((char *)gp(rd32(vec)), "prog") == 0);
  CHECK(strcmp((char *)gp(rd32(vec + 8)), "arg two") == 0);
  CHECK_EQ(CALL("environ_sizes_get", n, sz), 0);
  CHECK_EQ(rd32(n), 2);
  CHECK_EQ(rd32(sz), 11);
  CHECK_EQ(CALL("environ_get", vec, buf), 0);
  CHECK(strcmp((char *)gp(rd32(vec + 4)), "EMPTY=") == 0);
  CHECK_EQ(CALL("args_get", MEM_SIZE - 8, buf), WASI_EFAULT);  /* 3 pointers need 12 */
  CHECK_EQ(CALL("args_get", vec, MEM_SIZE - 10), WASI_EFAULT);
  CHECK_EQ(CALL("args_sizes_get", MEM_SIZE, sz), WASI_EFAULT);
  CHECK_EQ(CALL("environ_sizes_get", n, MEM_SIZE - 3), WASI_EFAULT);
}

static void case_clock_random_proc(void) {
  T.bump = 0;
  uint32_t t = galloc(8), t2 = galloc(8), r1 = galloc(64), r2 = galloc(64);
  CHECK_EQ(CALL("clock_time_get", WASI_CLOCK_REALTIME, 1, t), 0);
  long long diff = (long long)(rd64(t) / 1000000000u) - (long long)time(NULL);
  CHECK(diff >= -2 && diff <= 2);
  CHECK_EQ(CALL("clock_time_get", WASI_CLOCK_MONOTONIC, 1, t), 0);
  CHECK_EQ(CALL("clock_time_get", WASI_CLOCK_MONOTONIC, 1, t2), 0);
  CHECK(rd64(t2) >= rd64(t));
  CHECK_EQ(CALL("clock_time_get", WASI_CLOCK_PROCESS_CPUTIME, 0, t), 0);
  CHECK(rd64(t) > 0);
  CHECK_EQ(CALL("clock_time_get", WASI_CLOCK_THREAD_CPUTIME, 0, t), 0);
  CHECK_EQ(CALL("clock_time_get", 4, 0, t), WASI_EINVAL);
  CHECK_EQ(CALL("clock_time_get", 0, 0, MEM_SIZE - 4), WASI_EFAULT);
  CHECK_EQ(CALL("clock_res_get", WASI_CLOCK_MONOTONIC, t), 0);
  CHECK(rd64(t) > 0 && rd64(t) <= 1000000);
  CHECK_EQ(CALL("clock_res_get", 99, t), WASI_EINVAL);
  CHECK_EQ(CALL("random_get", r1, 64), 0);
  CHECK_EQ(CALL("random_get", r2, 64), 0);
  CHECK(memcmp(gp(r1), gp(r2), 64) != 0);
  CHECK_EQ(CALL("random_get", MEM_SIZE - 10, 11), WASI_EFAULT);
  CHECK_EQ(CALL("random_get", MEM_SIZE, 0), 0);
  wt_trap_kind k;
  last_err.exit_code = -1;
  callv("proc_exit", 1, (uint64_t[]){42}, &k);
  CHECK_EQ(k, WT_TRAP_EXIT);
  CHECK_EQ(last_err.exit_code, 42);
  CHECK_EQ(CALL("proc_raise", 9), WASI_ENOSYS);
  CHECK_EQ(CALL("sched_yield"), 0);
  CHECK_EQ(CALL("sock_recv", 1, 0, 0, 0, 0, 0), WASI_ENOTSUP);
  CHECK_EQ(CALL("sock_send", 1, 0, 0, 0, 0), WASI_ENOTSUP);
  CHECK_EQ(CALL("sock_shutdown", 1, 3), WASI_ENOTSUP);
  CHECK_EQ(CALL("sock_accept", 77, 0, 0), WASI_EBADF);
}

static void case_stdio_prestat(void) {
  T.bump = 0;
  uint32_t st = galloc(24), pre = galloc(8), name = galloc(16);
  CHECK_EQ(CALL("fd_fdstat_get", 1, st), 0);
  CHECK(rd64(st + 8) & WASI_RIGHT_FD_WRITE);
  CHECK_EQ(CALL("fd_fdstat_get", 99, st), WASI_EBADF);
  CHECK_EQ(CALL("fd_fdstat_get", 3, st), 0);
  CHECK_EQ(gp(st)[0], WASI_FILETYPE_DIRECTORY);
  CHECK(rd64(st + 8) & WASI_RIGHT_PATH_OPEN);
  CHECK((rd64(st + 16) & RW_FILE) == RW_FILE);
  CHECK_EQ(CALL("fd_fdstat_get", 3, MEM_SIZE - 23), WASI_EFAULT);
  CHECK_EQ(CALL("fd_prestat_get", 3, pre), 0);
  CHECK_EQ(gp(pre)[0], 0);
  CHECK_EQ(rd32(pre + 4), 8);
  CHECK_EQ(CALL("fd_prestat_get", 4, pre), 0);
  CHECK_EQ(rd32(pre + 4), 3);
  CHECK_EQ(CALL("fd_prestat_get", 5, pre), WASI_EBADF);
  CHECK_EQ(CALL("fd_prestat_get", 1, pre), WASI_EBADF);
  CHECK_EQ(CALL("fd_prestat_dir_name", 3, name, 8), 0);
  CHECK(memcmp(gp(name), "/sandbox", 8) == 0);
  CHECK_EQ(CALL("fd_prestat_dir_name", 3, name, 4), WASI_ENAMETOOLONG);
  CHECK_EQ(CALL("fd_prestat_dir_name", 4, MEM_SIZE - 2, 3), WASI_EFAULT);
}

static void case_file_io(void) {
  T.bump = 0;
  uint32_t fd, n, buf, st = galloc(64), pos = galloc(8);
  CHECK_EQ(open_at(3, "f.txt", WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC, RW_FILE, 0, 0, 0, &fd), 0);
  CHECK_EQ(write_str(fd, "hello world", &n), 0);
  CHECK_EQ(n, 11);
  CHECK_EQ(CALL("fd_seek", fd, 0, WASI_WHENCE_SET, pos), 0);
  CHECK_EQ(rd64(pos), 0);
  CHECK_EQ(read_buf(fd, 5, &buf, &n), 0);
  CHECK(n == 5 && memcmp(gp(buf), "hello", 5) == 0);
  CHECK_EQ(CALL("fd_tell", fd, pos), 0);
  CHECK_EQ(rd64(pos), 5);
  CHECK_EQ(CALL("fd_seek", fd, (uint64_t)-2, WASI_WHENCE_END, pos), 0);
  CHECK_EQ(rd64(pos), 9);
  CHECK_EQ(CALL("fd_seek", fd, 0, 3, pos), WASI_EINVAL);
  uint32_t iov = galloc(8), nb = galloc(4), pb = galloc(8);
  wr32(iov, pb); wr32(iov + 4, 5);
  CHECK_EQ(CALL("fd_pread", fd, iov, 1, 6, nb), 0);
  CHECK(rd32(nb) == 5 && memcmp(gp(pb), "world", 5) == 0);
  memcpy(gp(pb), "WORLD", 5);
  CHECK_EQ(CALL("fd_pwrite", fd, iov, 1, 6, nb), 0);
  CHECK_EQ(CALL("fd_tell", fd, pos), 0);
  CHECK_EQ(rd64(pos), 9); /* positional I/O leaves the offset alone */
  CHECK_EQ(CALL("fd_filestat_get", fd, st), 0);
  CHECK_EQ(gp(st)[16], WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(rd64(st + 32), 11);
  CHECK_EQ(rd64(st + 24), 1);
  CHECK_EQ(CALL("fd_filestat_set_size", fd, 4), 0);
  CHECK_EQ(CALL("fd_filestat_get", fd, st), 0);
  CHECK_EQ(rd64(st + 32), 4);
  CHECK_EQ(CALL("fd_filestat_set_times", fd, 1000000000005ull, 2000000000000ull,
                WASI_FST_ATIM | WASI_FST_MTIM), 0);
  CHECK_EQ(CALL("fd_filestat_get", fd, st), 0);
  CHECK_EQ(rd64(st + 40), 1000000000005ull);
  CHECK_EQ(rd64(st + 48), 2000000000000ull);
  CHECK_EQ(CALL("fd_filestat_set_times", fd, 0, 0, WASI_FST_ATIM | WASI_FST_ATIM_NOW), WASI_EINVAL);
  CHECK_EQ(CALL("fd_sync", fd), 0);
  CHECK_EQ(CALL("fd_datasync", fd), 0);
  CHECK_EQ(CALL("fd_advise", fd, 0, 100, 1), 0);
  CHECK_EQ(CALL("fd_advise", fd, 0, 100, 6), WASI_EINVAL);
  CHECK_EQ(CALL("fd_allocate", fd, 0, 100), 0);
  CHECK_EQ(CALL("fd_filestat_get", fd, st), 0);
  CHECK_EQ(rd64(st + 32), 100);
  CHECK_EQ(CALL("fd_fdstat_set_flags", fd, WASI_FDFLAG_APPEND), 0);
  CHECK_EQ(CALL("fd_fdstat_get", fd, st), 0);
  CHECK_EQ(rd16(st + 2), WASI_FDFLAG_APPEND);
  CHECK_EQ(gp(st)[0], WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(CALL("fd_fdstat_set_flags", fd, WASI_FDFLAG_SYNC), WASI_ENOTSUP);
  CHECK_EQ(CALL("fd_close", fd), 0);
  CHECK_EQ(CALL("fd_close", fd), WASI_EBADF);
  /* open flags */
  CHECK_EQ(open_at(3, "f.txt", WASI_OFLAG_CREAT | WASI_OFLAG_EXCL, RW_FILE, 0, 0, 0, &fd), WASI_EEXIST);
  CHECK_EQ(open_at(3, "f.txt", WASI_OFLAG_DIRECTORY, RD_FILE, 0, 0, 0, &fd), WASI_ENOTDIR);
  CHECK_EQ(open_at(3, "nope.txt", 0, RD_FILE, 0, 0, 0, &fd), WASI_ENOENT);
  CHECK_EQ(open_at(3, "f.txt", 0x10, RD_FILE, 0, 0, 0, &fd), WASI_EINVAL);
}

static void case_rights(void) {
  T.bump = 0;
  uint32_t fd, dfd, n, buf, st = galloc(24);
  CHECK_EQ(open_at(3, "f.txt", 0, RD_FILE, 0, 0, 0, &fd), 0);
  CHECK_EQ(write_str(fd, "x", &n), WASI_ENOTCAPABLE);
  CHECK_EQ(read_buf(fd, 4, &buf, &n), 0);
  CHECK_EQ(CALL("fd_filestat_set_size", fd, 0), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("fd_fdstat_set_rights", fd, WASI_RIGHT_FD_READ, 0), 0);
  CHECK_EQ(CALL("fd_fdstat_get", fd, st), 0);
  CHECK_EQ(rd64(st + 8), WASI_RIGHT_FD_READ);
  CHECK_EQ(CALL("fd_fdstat_set_rights", fd, WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE, 0), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("fd_seek", fd, 0, WASI_WHENCE_SET, galloc(8)), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(fd, "x", 0, RD_FILE, 0, 0, 0, &dfd), WASI_ENOTDIR);
  CHECK_EQ(CALL("fd_close", fd), 0);
  /* a directory handle whose inheriting rights exclude writing */
  CHECK_EQ(open_at(3, ".", WASI_OFLAG_DIRECTORY, WASI_RIGHT_PATH_OPEN | WASI_RIGHT_FD_READDIR,
                   RD_FILE, 0, 0, &dfd), 0);
  CHECK_EQ(open_at(dfd, "f.txt", 0, RW_FILE, 0, 0, 0, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(dfd, "f.txt", 0, RD_FILE, RW_FILE, 0, 0, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(dfd, "f.txt", 0, RD_FILE, 0, 0, 0, &fd), 0);
  CHECK_EQ(write_str(fd, "x", &n), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(dfd, "g.txt", WASI_OFLAG_CREAT, RD_FILE, 0, 0, 0, &n), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_create_directory", dfd, P("nd")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("fd_close", fd), 0);
  CHECK_EQ(CALL("fd_close", dfd), 0);
}

/* Reads the whole directory `fd` with a buffer of `bufsz` bytes, resuming
** from the last complete entry's cookie; returns the names joined by ','
** in the order received (sorted by the caller's expectations). */
static int read_names(uint32_t fd, uint32_t bufsz, char names[][32], int max) {
  uint32_t buf = galloc(bufsz), used = galloc(4);
  uint64_t cookie = 0;
  int count = 0;
  for (int guard = 0; guard < 100; guard++) {
    if (CALL("fd_readdir", fd, buf, bufsz, cookie, used) != 0) return -1;
    uint32_t u = rd32(used), off = 0;
    if (u == bufsz && (u < 24 || 24 + rd32(buf + 16) > u)) {
      bufsz *= 2; /* not even one entry fits: grow, as wasi-libc does */
      buf = galloc(bufsz);
      continue;
    }
    while (off + 24 <= u) {
      uint32_t nl = rd32(buf + off + 16);
      if (off + 24 + nl > u) break; /* cut short: resume from its cookie */
      if (count < max) { memcpy(names[count], gp(buf + off + 24), nl < 31 ? nl : 31); names[count][nl < 31 ? nl : 31] = 0; }
      count++;
      cookie = rd64(buf + off);
      off += 24 + nl;
    }
    if (u < bufsz) return count;
  }
  return -2;
}

static int has_name(char names[][32], int n, const char *want) {
  int hits = 0;
  for (int i = 0; i < n; i++) hits += strcmp(names[i], want) == 0;
  return hits;
}

static void case_dirs(void) {
  T.bump = 0;
  uint32_t fd, dfd, st = galloc(64), lb = galloc(64), used = galloc(4);
  CHECK_EQ(CALL("path_create_directory", 3, P("d")), 0);
  CHECK_EQ(CALL("path_create_directory", 3, P("d")), WASI_EEXIST);
  CHECK_EQ(CALL("path_create_directory", 3, P("d/..")), WASI_EEXIST);
  const char *files[] = {"d/alpha", "d/beta", "d/gamma_with_a_long_name"};
  for (int i = 0; i < 3; i++) {
    CHECK_EQ(open_at(3, files[i], WASI_OFLAG_CREAT, RW_FILE, 0, 0, 0, &fd), 0);
    CHECK_EQ(CALL("fd_close", fd), 0);
  }
  CHECK_EQ(open_at(3, "d", WASI_OFLAG_DIRECTORY, WASI_RIGHTS_DIR, WASI_RIGHTS_DIR | RW_FILE, 0, 0, &dfd), 0);
  char names[16][32];
  const uint32_t sizes[] = {4096, 40, 24, 64};
  for (int s = 0; s < 4; s++) {
    T.bump = 1024;
    int n = read_names(dfd, sizes[s], names, 16);
    CHECK_EQ(n, 5);
    CHECK_EQ(has_name(names, n, "."), 1);
    CHECK_EQ(has_name(names, n, ".."), 1);
    CHECK_EQ(has_name(names, n, "alpha"), 1);
    CHECK_EQ(has_name(names, n, "gamma_with_a_long_name"), 1);
  }
  uint32_t small = galloc(10);
  CHECK_EQ(CALL("fd_readdir", dfd, small, 10, 0, used), 0);
  CHECK_EQ(rd32(used), 10); /* a full buffer tells the guest to grow it */
  CHECK_EQ(CALL("fd_readdir", dfd, MEM_SIZE - 8, 64, 0, used), WASI_EFAULT);
  CHECK_EQ(CALL("fd_readdir", 1, small, 10, 0, used), WASI_ENOTDIR);
  CHECK_EQ(CALL("path_rename", 3, P("d/alpha"), dfd, P("zeta")), 0);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, P("d/zeta"), st), 0);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, P("d/alpha"), st), WASI_ENOENT);
  CHECK_EQ(CALL("path_symlink", P("zeta"), 3, P("d/lnk")), 0);
  CHECK_EQ(CALL("path_readlink", 3, P("d/lnk"), lb, 64, used), 0);
  CHECK(rd32(used) == 4 && memcmp(gp(lb), "zeta", 4) == 0);
  CHECK_EQ(CALL("path_readlink", 3, P("d/lnk"), lb, 2, used), 0);
  CHECK_EQ(rd32(used), 2);
  CHECK_EQ(CALL("path_readlink", 3, P("d/zeta"), lb, 64, used), WASI_EINVAL);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, P("d/lnk"), st), 0);
  CHECK_EQ(gp(st)[16], WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK_EQ(CALL("path_filestat_get", 3, WASI_LOOKUP_SYMLINK_FOLLOW, P("d/lnk"), st), 0);
  CHECK_EQ(gp(st)[16], WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(CALL("path_filestat_set_times", 3, WASI_LOOKUP_SYMLINK_FOLLOW, P("d/lnk"), 0,
                7000000000ull, WASI_FST_MTIM), 0);
  CHECK_EQ(CALL("path_filestat_get", dfd, 0, P("zeta"), st), 0);
  CHECK_EQ(rd64(st + 48), 7000000000ull);
  CHECK_EQ(CALL("path_link", 3, 0, P("d/zeta"), 3, P("d/hard")), 0);
  CHECK_EQ(CALL("path_link", 3, WASI_LOOKUP_SYMLINK_FOLLOW, P("d/lnk"), 3, P("d/hard2")), 0);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, P("d/zeta"), st), 0);
  CHECK_EQ(rd64(st + 24), 3);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, P("d/hard2"), st), 0);
  CHECK_EQ(gp(st)[16], WASI_FILETYPE_REGULAR_FILE); /* the target, not the symlink */
  CHECK_EQ(CALL("path_link", 3, 0, P("d/zeta"), 3, P("d/hard")), WASI_EEXIST);
  CHECK_EQ(CALL("path_remove_directory", 3, P("d")), WASI_ENOTEMPTY);
  CHECK_EQ(CALL("path_unlink_file", 3, P("d")), WASI_EISDIR);
  CHECK_EQ(CALL("path_remove_directory", 3, P("d/zeta")), WASI_ENOTDIR);
  CHECK_EQ(CALL("path_unlink_file", 3, P("d/zeta/")), WASI_ENOTDIR);
  const char *gone[] = {"d/zeta", "d/hard", "d/hard2", "d/lnk", "d/beta", "d/gamma_with_a_long_name"};
  for (int i = 0; i < 6; i++) CHECK_EQ(CALL("path_unlink_file", 3, P(gone[i])), 0);
  CHECK_EQ(CALL("fd_close", dfd), 0);
  CHECK_EQ(CALL("path_remove_directory", 3, P("d/")), 0);
  CHECK_EQ(CALL("path_remove_directory", 3, P("d")), WASI_ENOENT);
  CHECK_EQ(CALL("path_remove_directory", 3, P(".")), WASI_EINVAL);
}

static void case_renumber_poll(void) {
  T.bump = 0;
  uint32_t a, b, n, st = galloc(24);
  CHECK_EQ(open_at(3, "f.txt", 0, RD_FILE, 0, 0, 0, &a), 0);
  CHECK_EQ(open_at(3, "g.txt", WASI_OFLAG_CREAT, RW_FILE, 0, 0, 0, &b), 0);
  CHECK_EQ(CALL("fd_renumber", a, b), 0);
  CHECK_EQ(CALL("fd_fdstat_get", a, st), WASI_EBADF);
  CHECK_EQ(CALL("fd_fdstat_get", b, st), 0);
  CHECK_EQ(rd64(st + 8), RD_FILE); /* b is now the read-only f.txt */
  CHECK_EQ(CALL("fd_renumber", b, 999), WASI_EBADF);
  /* clock subscription: relative 30 ms */
  uint32_t in = galloc(48 * 3), out = galloc(32 * 3), nev = galloc(4), t0 = galloc(8), t1 = galloc(8);
  memset(gp(in), 0, 48 * 3);
  memcpy(gp(in), &(uint64_t){0x1234}, 8);
  gp(in)[8] = WASI_EVENT_CLOCK;
  wr32(in + 16, WASI_CLOCK_MONOTONIC);
  memcpy(gp(in + 24), &(uint64_t){30000000}, 8);
  CALL("clock_time_get", 1, 0, t0);
  CHECK_EQ(CALL("poll_oneoff", in, out, 1, nev), 0);
  CALL("clock_time_get", 1, 0, t1);
  CHECK_EQ(rd32(nev), 1);
  CHECK_EQ(rd64(out), 0x1234);
  CHECK_EQ(rd16(out + 8), 0);
  CHECK_EQ(gp(out)[10], WASI_EVENT_CLOCK);
  CHECK(rd64(t1) - rd64(t0) >= 30000000);
  /* fd_read on a regular file is ready at once, with the bytes left */
  memcpy(gp(in + 48), &(uint64_t){0x55}, 8);
  gp(in + 48)[8] = WASI_EVENT_FD_READ;
  wr32(in + 48 + 16, b);
  memcpy(gp(in + 96), &(uint64_t){0x66}, 8);
  gp(in + 96)[8] = WASI_EVENT_FD_WRITE;
  wr32(in + 96 + 16, 4242);
  CHECK_EQ(CALL("poll_oneoff", in, out, 3, nev), 0);
  CHECK_EQ(rd32(nev), 2);
  CHECK_EQ(rd64(out), 0x55);
  CHECK_EQ(gp(out)[10], WASI_EVENT_FD_READ);
  CHECK_EQ(rd64(out + 16), 100); /* f.txt was fd_allocate'd to 100 bytes */
  CHECK_EQ(rd64(out + 32), 0x66);
  CHECK_EQ(rd16(out + 40), WASI_EBADF);
  CHECK_EQ(CALL("poll_oneoff", in, out, 0, nev), WASI_EINVAL);
  CHECK_EQ(CALL("poll_oneoff", in, out, 100000, nev), WASI_EINVAL);
  CHECK_EQ(CALL("poll_oneoff", MEM_SIZE - 48, out, 2, nev), WASI_EFAULT);
  CHECK_EQ(CALL("poll_oneoff", in, out, 1, MEM_SIZE), WASI_EFAULT);
  CHECK_EQ(CALL("fd_close", b), 0);
  (void)n;
}

static void case_escape(void) {
  T.bump = 0;
  uint32_t fd, st = galloc(64);
  CHECK_EQ(open_at(3, "../outside/canary.txt", 0, RD_FILE, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(3, "/etc/passwd", 0, RD_FILE, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_create_directory", 3, P("d2")), 0);
  CHECK_EQ(open_at(3, "d2/../../outside/canary.txt", 0, RD_FILE, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(3, "d2/../f.txt", 0, RD_FILE, 0, 0, 1, &fd), 0);
  CHECK_EQ(CALL("fd_close", fd), 0);
  CHECK_EQ(open_at(3, "etc_link/passwd", 0, RD_FILE, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(3, "etc_link", WASI_OFLAG_DIRECTORY, WASI_RIGHTS_DIR, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(3, "up/canary.txt", 0, RD_FILE, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(3, "up/new.txt", WASI_OFLAG_CREAT, RW_FILE, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(3, "canary_link", 0, RD_FILE, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(open_at(3, "canary_link", 0, RD_FILE, 0, 0, 0, &fd), WASI_ELOOP);
  CHECK_EQ(CALL("path_filestat_get", 3, 1, P("etc_link"), st), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, P("etc_link"), st), 0);
  CHECK_EQ(gp(st)[16], WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, P("up/"), st), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_create_directory", 3, P("up/x")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_create_directory", 3, P("../x")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_create_directory", 3, P("etc_link/wasitorch_pwned")), WASI_ENOTCAPABLE);
  /* symlinks made by the guest */
  CHECK_EQ(CALL("path_symlink", P("../../../../../../etc"), 3, P("evil")), 0);
  CHECK_EQ(open_at(3, "evil/passwd", 0, RD_FILE, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_unlink_file", 3, P("evil/")), WASI_ENOTDIR);
  CHECK_EQ(CALL("path_symlink", P("/etc/passwd"), 3, P("abs")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_symlink", P("../outside/created.txt"), 3, P("dangle")), 0);
  CHECK_EQ(open_at(3, "dangle", WASI_OFLAG_CREAT, RW_FILE, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_symlink", P("d2/../.."), 3, P("loop_out")), 0);
  CHECK_EQ(open_at(3, "loop_out/outside/canary.txt", 0, RD_FILE, 0, 0, 1, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_symlink", P("self"), 3, P("self")), 0);
  CHECK_EQ(open_at(3, "self", 0, RD_FILE, 0, 0, 1, &fd), WASI_ELOOP);
  /* hard links and renames out */
  CHECK_EQ(CALL("path_link", 3, 1, P("canary_link"), 3, P("stolen")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_link", 3, 0, P("../outside/canary.txt"), 3, P("stolen")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_link", 3, 0, P("f.txt"), 3, P("../linked")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_link", 3, 0, P("f.txt"), 3, P("up/linked")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_rename", 3, P("f.txt"), 3, P("../moved")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_rename", 3, P("../outside/canary.txt"), 3, P("mine")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_unlink_file", 3, P("up/canary.txt")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_remove_directory", 3, P("..")), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_filestat_set_times", 3, 0, P("up/"), 0, 0, WASI_FST_MTIM_NOW), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_filestat_set_times", 3, 1, P("canary_link"), 0, 0, WASI_FST_MTIM_NOW), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_filestat_set_times", 3, 0, P("canary_link"), 0, 5000000000ull, WASI_FST_MTIM), 0);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, P("canary_link"), st), 0);
  CHECK_EQ(rd64(st + 48), 5000000000ull); /* the link itself changed */
  /* malformed paths */
  uint32_t nul = gstr("f.txt");
  gp(nul)[1] = 0;
  CHECK_EQ(CALL("path_filestat_get", 3, 0, nul, 5, st), WASI_EILSEQ);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, MEM_SIZE - 2, 5, st), WASI_EFAULT);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, 0, 0xffffffffu, st), WASI_EFAULT);
  CHECK_EQ(CALL("path_filestat_get", 3, 0, 0, 0, st), WASI_ENOENT);
  CHECK_EQ(CALL("path_open", 3, 0, P("f.txt"), 0, RD_FILE, 0, 0, MEM_SIZE - 2), WASI_EFAULT);
}

static void case_read_only(void) {
  T.bump = 0;
  uint32_t fd, sfd, n, buf, st = galloc(64);
  CHECK_EQ(open_at(4, "data.txt", 0, RD_FILE, 0, 0, 1, &fd), 0);
  CHECK_EQ(read_buf(fd, 16, &buf, &n), 0);
  CHECK(n == 5 && memcmp(gp(buf), "hello", 5) == 0);
  CHECK_EQ(write_str(fd, "x", &n), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("fd_close", fd), 0);
  CHECK_EQ(open_at(4, "data.txt", 0, RW_FILE, 0, 0, 1, &fd), WASI_EROFS);
  CHECK_EQ(open_at(4, "data.txt", 0, RD_FILE, 0, WASI_FDFLAG_APPEND, 1, &fd), WASI_EROFS);
  CHECK_EQ(open_at(4, "data.txt", WASI_OFLAG_TRUNC, RD_FILE, 0, 0, 1, &fd), WASI_EROFS);
  CHECK_EQ(open_at(4, "new.txt", WASI_OFLAG_CREAT, RD_FILE, 0, 0, 1, &fd), WASI_EROFS);
  CHECK_EQ(CALL("path_create_directory", 4, P("nd")), WASI_EROFS);
  CHECK_EQ(CALL("path_unlink_file", 4, P("data.txt")), WASI_EROFS);
  CHECK_EQ(CALL("path_remove_directory", 4, P("sub")), WASI_EROFS);
  CHECK_EQ(CALL("path_rename", 4, P("data.txt"), 4, P("moved")), WASI_EROFS);
  CHECK_EQ(CALL("path_rename", 3, P("f.txt"), 4, P("moved")), WASI_EROFS);
  CHECK_EQ(CALL("path_symlink", P("data.txt"), 4, P("l")), WASI_EROFS);
  CHECK_EQ(CALL("path_link", 4, 0, P("data.txt"), 3, P("stolen")), WASI_EROFS);
  CHECK_EQ(CALL("path_link", 3, 0, P("f.txt"), 4, P("planted")), WASI_EROFS);
  CHECK_EQ(CALL("path_filestat_set_times", 4, 0, P("data.txt"), 0, 0, WASI_FST_MTIM_NOW), WASI_EROFS);
  CHECK_EQ(open_at(4, "data.txt", 0, RD_FILE | WASI_RIGHT_FD_FILESTAT_SET_TIMES |
                   WASI_RIGHT_FD_FDSTAT_SET_FLAGS, 0, 0, 1, &fd), 0);
  CHECK_EQ(CALL("fd_filestat_set_times", fd, 0, 0, WASI_FST_MTIM_NOW), WASI_EROFS);
  CHECK_EQ(CALL("fd_fdstat_set_flags", fd, WASI_FDFLAG_APPEND), WASI_EROFS);
  CHECK_EQ(CALL("fd_close", fd), 0);
  /* a directory opened below the read-only preopen stays read-only */
  CHECK_EQ(open_at(4, "sub", WASI_OFLAG_DIRECTORY, WASI_RIGHTS_DIR, WASI_RIGHTS_DIR | RW_FILE, 0, 1, &sfd), 0);
  CHECK_EQ(open_at(sfd, "x", WASI_OFLAG_CREAT, RD_FILE, 0, 0, 1, &fd), WASI_EROFS);
  CHECK_EQ(CALL("path_create_directory", sfd, P("y")), WASI_EROFS);
  /* a descriptor is its own root: ".." above it is an escape */
  CHECK_EQ(CALL("path_filestat_get", sfd, 0, P("../data.txt"), st), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("path_filestat_get", sfd, 0, P("."), st), 0);
  CHECK_EQ(gp(st)[16], WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(CALL("fd_close", sfd), 0);
}

static void case_memory_and_fds(void) {
  T.bump = 0;
  uint32_t fd, iov = galloc(16), nw = galloc(4), st = galloc(64), b = gstr("abcdefgh");
  CHECK_EQ(open_at(3, "mem.txt", WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC, RW_FILE, 0, 0, 0, &fd), 0);
  wr32(iov, MEM_SIZE - 4); wr32(iov + 4, 100);
  CHECK_EQ(CALL("fd_write", fd, iov, 1, nw), WASI_EFAULT);
  wr32(iov, 0xfffffff0u); wr32(iov + 4, 0x20);
  CHECK_EQ(CALL("fd_write", fd, iov, 1, nw), WASI_EFAULT);
  wr32(iov, b); wr32(iov + 4, 8);
  CHECK_EQ(CALL("fd_write", fd, MEM_SIZE - 4, 1, nw), WASI_EFAULT);
  CHECK_EQ(CALL("fd_write", fd, iov, 0x20000000u, nw), WASI_EFAULT);
  CHECK_EQ(CALL("fd_write", fd, iov, 0xffffffffu, nw), WASI_EFAULT);
  CHECK_EQ(CALL("fd_write", fd, iov, 1, MEM_SIZE - 3), WASI_EFAULT);
  CHECK_EQ(CALL("fd_read", fd, iov, 1, 0xfffffffeu), WASI_EFAULT);
  CHECK_EQ(CALL("fd_filestat_get", fd, st), 0);
  CHECK_EQ(rd64(st + 32), 0); /* nothing was written by the failed calls */
  CHECK_EQ(CALL("fd_filestat_get", fd, MEM_SIZE - 63), WASI_EFAULT);
  /* more iovecs than IOV_MAX: a short write of the first IOV_MAX */
  uint32_t many = galloc(2000 * 8);
  for (uint32_t i = 0; i < 2000; i++) { wr32(many + 8 * i, b); wr32(many + 8 * i + 4, 2); }
  CHECK_EQ(CALL("fd_write", fd, many, 2000, nw), 0);
  CHECK_EQ(rd32(nw), 1024 * 2);
  CHECK_EQ(CALL("fd_write", fd, iov, 0, nw), 0);
  CHECK_EQ(rd32(nw), 0);
  CHECK_EQ(CALL("fd_close", fd), 0);
  CHECK_EQ(CALL("fd_write", 0xffffffffu, iov, 1, nw), WASI_EBADF);
  CHECK_EQ(CALL("fd_write", 99, iov, 1, nw), WASI_EBADF);
  CHECK_EQ(CALL("fd_read", 3, iov, 1, nw), WASI_ENOTCAPABLE);
  CHECK_EQ(CALL("fd_close", 12345), WASI_EBADF);
  CHECK_EQ(CALL("fd_seek", 77, 0, 0, st), WASI_EBADF);
  CHECK_EQ(CALL("path_open", 1, 0, P("x"), 0, 0, 0, 0, nw), WASI_ENOTDIR);
  CHECK_EQ(CALL("path_open", 500, 0, P("x"), 0, 0, 0, 0, nw), WASI_EBADF);
  CHECK_EQ(CALL("fd_filestat_set_size", 3, 0), WASI_ENOTCAPABLE);
}

/* After everything: the tree outside the grant is as it was. */
static void case_outside_untouched(const char *tree) {
  char p[512], buf[16] = {0};
  snprintf(p, sizeof p, "%s/outside/canary.txt", tree);
  FILE *f = fopen(p, "r");
  CHECK(f != NULL);
  if (f) { CHECK(fread(buf, 1, 15, f) == 6); fclose(f); }
  CHECK(strcmp(buf, "secret") == 0);
  struct stat st;
  snprintf(p, sizeof p, "%s/outside/created.txt", tree);
  CHECK(lstat(p, &st) != 0);
  snprintf(p, sizeof p, "%s/moved", tree);
  CHECK(lstat(p, &st) != 0);
  snprintf(p, sizeof p, "%s/linked", tree);
  CHECK(lstat(p, &st) != 0);
  snprintf(p, sizeof p, "%s/x", tree);
  CHECK(lstat(p, &st) != 0);
  snprintf(p, sizeof p, "%s/ro/data.txt", tree);
  CHECK(lstat(p, &st) == 0 && st.st_size == 5);
  CHECK(lstat("/etc/wasitorch_pwned", &st) != 0);
}

static void run_cases(const char *tree) {
  case_args_env();
  case_clock_random_proc();
  case_stdio_prestat();
  case_file_io();
  case_rights();
  case_dirs();
  case_renumber_poll();
  case_escape();
  case_read_only();
  case_memory_and_fds();
  case_outside_untouched(tree);
}
