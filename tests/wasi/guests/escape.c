/*
** escape.c — an adversarial guest. It calls wasi_snapshot_preview1 through
** raw imports (any pointer, any length) and expects the exact errno for
** every attempt to leave its grant or to make the host touch memory it
** does not own. The driver (run_guest.sh) grants:
**   fd 3 = "/sandbox" read-write; it holds etc_link -> /etc (absolute),
**          up -> ../outside, canary_link -> ../outside/canary.txt
**   fd 4 = "/ro" read-only; it holds data.txt ("hello") and sub/
** and afterwards checks that nothing outside the sandbox changed.
** Exit status = number of mismatches.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
typedef uint32_t u32;
typedef uint64_t u64;
IMPORT(path_open) u32 w_path_open(u32, u32, u32, u32, u32, u64, u64, u32, u32);
IMPORT(path_create_directory) u32 w_mkdir(u32, u32, u32);
IMPORT(path_symlink) u32 w_symlink(u32, u32, u32, u32, u32);
IMPORT(path_link) u32 w_link(u32, u32, u32, u32, u32, u32, u32);
IMPORT(path_rename) u32 w_rename(u32, u32, u32, u32, u32, u32);
IMPORT(path_unlink_file) u32 w_unlink(u32, u32, u32);
IMPORT(path_remove_directory) u32 w_rmdir(u32, u32, u32);
IMPORT(path_filestat_get) u32 w_stat(u32, u32, u32, u32, u32);
IMPORT(path_filestat_set_times) u32 w_utimes(u32, u32, u32, u32, u64, u64, u32);
IMPORT(path_readlink) u32 w_readlink(u32, u32, u32, u32, u32, u32);
IMPORT(fd_write) u32 w_write(u32, u32, u32, u32);
IMPORT(fd_read) u32 w_read(u32, u32, u32, u32);
IMPORT(fd_close) u32 w_close(u32);
IMPORT(fd_readdir) u32 w_readdir(u32, u32, u32, u64, u32);
IMPORT(fd_filestat_get) u32 w_fstat(u32, u32);
IMPORT(fd_renumber) u32 w_renumber(u32, u32);
IMPORT(fd_seek) u32 w_seek(u32, u64, u32, u32);
IMPORT(fd_prestat_dir_name) u32 w_prestat_dir_name(u32, u32, u32);
IMPORT(args_get) u32 w_args_get(u32, u32);
IMPORT(random_get) u32 w_random(u32, u32);
IMPORT(clock_time_get) u32 w_clock(u32, u64, u32);
IMPORT(poll_oneoff) u32 w_poll(u32, u32, u32, u32);

enum { E_BADF = 8, E_EXIST = 20, E_FAULT = 21, E_INVAL = 28, E_LOOP = 32, E_NOENT = 44,
       E_NOTDIR = 54, E_ROFS = 69, E_NOTCAPABLE = 76 };
#define R_READ ((u64)1 << 1)
#define R_WRITE ((u64)1 << 6)
#define R_FSTAT ((u64)1 << 21)
#define R_SETTIMES ((u64)1 << 23)
/* every right but FD_WRITE, FD_ALLOCATE, FD_FILESTAT_SET_SIZE */
#define R_NO_WRITE ((u64)0x3fffffff & ~((u64)1 << 6 | (u64)1 << 8 | (u64)1 << 22))
#define O_CREAT 1
#define O_DIR 2
#define O_TRUNC 8
#define FOLLOW 1

static int failures, checks;
#define EXPECT_ERR(call, want) expect_err((call), (want), #call, __LINE__)
static void expect_err(u32 got, u32 want, const char *what, int line) {
  checks++;
  if (got != want) { failures++; printf("FAIL line %d: %s = %u, expected %u\n", line, what, got, want); }
}

static u32 P(const char *s) { return (u32)(uintptr_t)s; }
#define S(s) P(s), (u32)strlen(s)
static u32 mem_end(void) { return (u32)(__builtin_wasm_memory_size(0) * 65536u); }

static u32 newfd;
static u32 open_rd(u32 dir, const char *path, u32 lookup) {
  return w_path_open(dir, lookup, S(path), 0, R_READ | R_FSTAT, 0, 0, P((char *)&newfd));
}

static void escapes_by_path(void) {
  static uint8_t st[64];
  EXPECT_ERR(open_rd(3, "../outside/canary.txt", FOLLOW), E_NOTCAPABLE);
  EXPECT_ERR(open_rd(3, "/etc/passwd", FOLLOW), E_NOTCAPABLE);
  EXPECT_ERR(open_rd(3, "/sandbox/../outside/canary.txt", FOLLOW), E_NOTCAPABLE);
  EXPECT_ERR(w_mkdir(3, S("a")), 0);
  EXPECT_ERR(open_rd(3, "a/../../outside/canary.txt", FOLLOW), E_NOTCAPABLE);
  EXPECT_ERR(open_rd(3, "a/./../a/../..", FOLLOW), E_NOTCAPABLE);
  EXPECT_ERR(open_rd(3, "etc_link/passwd", FOLLOW), E_NOTCAPABLE);
  EXPECT_ERR(open_rd(3, "etc_link/passwd", 0), E_NOTCAPABLE);
  EXPECT_ERR(open_rd(3, "up/canary.txt", FOLLOW), E_NOTCAPABLE);
  EXPECT_ERR(open_rd(3, "canary_link", FOLLOW), E_NOTCAPABLE);
  EXPECT_ERR(open_rd(3, "canary_link", 0), E_LOOP);
  EXPECT_ERR(w_stat(3, FOLLOW, S("etc_link"), P((char *)st)), E_NOTCAPABLE);
  EXPECT_ERR(w_stat(3, 0, S("etc_link/"), P((char *)st)), E_NOTCAPABLE);
  EXPECT_ERR(w_stat(3, 0, S("etc_link"), P((char *)st)), 0);
  EXPECT_ERR(st[16], 7); /* the link itself, type symbolic_link */
  EXPECT_ERR(w_path_open(3, FOLLOW, S("up/created.txt"), O_CREAT, R_WRITE, 0, 0, P((char *)&newfd)), E_NOTCAPABLE);
  EXPECT_ERR(w_path_open(3, FOLLOW, S("etc_link/wasitorch_pwned"), O_CREAT, R_WRITE, 0, 0, P((char *)&newfd)), E_NOTCAPABLE);
  EXPECT_ERR(w_mkdir(3, S("../escaped_dir")), E_NOTCAPABLE);
  EXPECT_ERR(w_mkdir(3, S("up/escaped_dir")), E_NOTCAPABLE);
  EXPECT_ERR(w_unlink(3, S("up/canary.txt")), E_NOTCAPABLE);
  EXPECT_ERR(w_rmdir(3, S("..")), E_NOTCAPABLE);
  EXPECT_ERR(w_utimes(3, 0, S("up/"), 0, 0, 8 /* mtim_now */), E_NOTCAPABLE);
  EXPECT_ERR(w_utimes(3, FOLLOW, S("canary_link"), 0, 0, 8), E_NOTCAPABLE);
}

static void escapes_by_guest_links(void) {
  static char buf[64];
  static u32 used;
  EXPECT_ERR(w_symlink(S("../../../../../../../etc"), 3, S("evil")), 0);
  EXPECT_ERR(open_rd(3, "evil/passwd", FOLLOW), E_NOTCAPABLE);
  EXPECT_ERR(w_readlink(3, S("evil"), P(buf), sizeof buf, P((char *)&used)), 0);
  EXPECT_ERR(used, 24);
  EXPECT_ERR(w_symlink(S("/etc/passwd"), 3, S("abs")), E_NOTCAPABLE);
  EXPECT_ERR(w_symlink(S("../outside/created_by_link.txt"), 3, S("dangle")), 0);
  EXPECT_ERR(w_path_open(3, FOLLOW, S("dangle"), O_CREAT, R_WRITE, 0, 0, P((char *)&newfd)), E_NOTCAPABLE);
  EXPECT_ERR(w_symlink(S("a/../.."), 3, S("sneaky")), 0);
  EXPECT_ERR(open_rd(3, "sneaky/outside/canary.txt", FOLLOW), E_NOTCAPABLE);
  EXPECT_ERR(w_symlink(S("loop2"), 3, S("loop1")), 0);
  EXPECT_ERR(w_symlink(S("loop1"), 3, S("loop2")), 0);
  EXPECT_ERR(open_rd(3, "loop1", FOLLOW), E_LOOP);
  /* hard links and renames across the boundary */
  EXPECT_ERR(w_link(3, FOLLOW, S("canary_link"), 3, S("stolen")), E_NOTCAPABLE);
  EXPECT_ERR(w_link(3, 0, S("../outside/canary.txt"), 3, S("stolen")), E_NOTCAPABLE);
  EXPECT_ERR(w_link(3, FOLLOW, S("evil/passwd"), 3, S("stolen")), E_NOTCAPABLE);
  EXPECT_ERR(w_path_open(3, 0, S("mine.txt"), O_CREAT, R_WRITE, 0, 0, P((char *)&newfd)), 0);
  EXPECT_ERR(w_close(newfd), 0);
  EXPECT_ERR(w_link(3, 0, S("mine.txt"), 3, S("../linked_out")), E_NOTCAPABLE);
  EXPECT_ERR(w_link(3, 0, S("mine.txt"), 3, S("up/linked_out")), E_NOTCAPABLE);
  EXPECT_ERR(w_rename(3, S("mine.txt"), 3, S("../moved_out")), E_NOTCAPABLE);
  EXPECT_ERR(w_rename(3, S("mine.txt"), 3, S("evil/moved_out")), E_NOTCAPABLE);
  EXPECT_ERR(w_rename(3, S("up/canary.txt"), 3, S("taken")), E_NOTCAPABLE);
}

static void read_only_dir(void) {
  EXPECT_ERR(open_rd(4, "data.txt", 0), 0);
  u32 fd = newfd;
  static char b[16];
  static u32 iov[2], n;
  iov[0] = P(b); iov[1] = 5;
  EXPECT_ERR(w_read(fd, P((char *)iov), 1, P((char *)&n)), 0);
  EXPECT_ERR(n == 5 && memcmp(b, "hello", 5) == 0, 1);
  EXPECT_ERR(w_write(fd, P((char *)iov), 1, P((char *)&n)), E_NOTCAPABLE);
  EXPECT_ERR(w_close(fd), 0);
  EXPECT_ERR(w_path_open(4, 0, S("data.txt"), 0, R_READ | R_WRITE, 0, 0, P((char *)&newfd)), E_ROFS);
  EXPECT_ERR(w_path_open(4, 0, S("data.txt"), O_TRUNC, R_READ, 0, 0, P((char *)&newfd)), E_ROFS);
  EXPECT_ERR(w_path_open(4, 0, S("new.txt"), O_CREAT, R_READ, 0, 0, P((char *)&newfd)), E_ROFS);
  EXPECT_ERR(w_mkdir(4, S("newdir")), E_ROFS);
  EXPECT_ERR(w_unlink(4, S("data.txt")), E_ROFS);
  EXPECT_ERR(w_rmdir(4, S("sub")), E_ROFS);
  EXPECT_ERR(w_rename(4, S("data.txt"), 4, S("renamed")), E_ROFS);
  EXPECT_ERR(w_rename(4, S("data.txt"), 3, S("pulled")), E_ROFS);
  EXPECT_ERR(w_symlink(S("data.txt"), 4, S("lnk")), E_ROFS);
  EXPECT_ERR(w_link(4, 0, S("data.txt"), 3, S("hard_to_ro")), E_ROFS);
  EXPECT_ERR(w_utimes(4, 0, S("data.txt"), 0, 0, 8), E_ROFS);
  /* write rights are refused outright; without them the directory opens,
  ** and what it opens stays read-only whatever rights it inherits */
  EXPECT_ERR(w_path_open(4, 0, S("sub"), O_DIR, (u64)0x3fffffff, (u64)0x3fffffff, 0, P((char *)&newfd)), E_ROFS);
  EXPECT_ERR(w_path_open(4, 0, S("sub"), O_DIR, R_NO_WRITE, (u64)0x3fffffff, 0, P((char *)&newfd)), 0);
  EXPECT_ERR(w_mkdir(newfd, S("deeper")), E_ROFS);
  EXPECT_ERR(w_close(newfd), 0);
  EXPECT_ERR(w_path_open(4, 0, S("data.txt"), 0, R_READ | R_SETTIMES, 0, 0, P((char *)&newfd)), 0);
  EXPECT_ERR(w_utimes(4, 0, S("data.txt"), 0, 0, 8), E_ROFS);
  EXPECT_ERR(w_close(newfd), 0);
}

static void wild_memory(void) {
  static u32 iov[2], n;
  static char msg[] = "x";
  u32 end = mem_end();
  iov[0] = end - 2; iov[1] = 100;                      /* buffer runs off the end */
  EXPECT_ERR(w_write(1, P((char *)iov), 1, P((char *)&n)), E_FAULT);
  iov[0] = 0xfffffff0u; iov[1] = 0x20;                 /* wraps around 4 GiB */
  EXPECT_ERR(w_write(1, P((char *)iov), 1, P((char *)&n)), E_FAULT);
  iov[0] = P(msg); iov[1] = 1;
  EXPECT_ERR(w_write(1, end - 4, 1, P((char *)&n)), E_FAULT);   /* iovec array outside */
  EXPECT_ERR(w_write(1, P((char *)iov), 0x1fffffffu, P((char *)&n)), E_FAULT); /* huge count */
  EXPECT_ERR(w_write(1, P((char *)iov), 0xffffffffu, P((char *)&n)), E_FAULT);
  EXPECT_ERR(w_write(1, P((char *)iov), 1, end), E_FAULT);     /* result cell outside */
  EXPECT_ERR(w_read(0, P((char *)iov), 1, 0xfffffffdu), E_FAULT);
  EXPECT_ERR(w_path_open(3, 0, end - 1, 5, 0, R_READ, 0, 0, P((char *)&newfd)), E_FAULT);
  EXPECT_ERR(w_stat(3, 0, end - 3, 10, P((char *)&n)), E_FAULT);
  EXPECT_ERR(w_stat(3, 0, 0, 0xffffffffu, P((char *)&n)), E_FAULT);
  EXPECT_ERR(w_fstat(3, end - 10), E_FAULT);
  EXPECT_ERR(w_readdir(3, end - 8, 64, 0, P((char *)&n)), E_FAULT);
  EXPECT_ERR(w_prestat_dir_name(3, end - 2, 8), E_FAULT);
  EXPECT_ERR(w_args_get(end - 2, 0), E_FAULT);
  EXPECT_ERR(w_random(end - 8, 9), E_FAULT);
  EXPECT_ERR(w_clock(1, 0, end - 7), E_FAULT);
  EXPECT_ERR(w_poll(end - 40, P((char *)iov), 1, P((char *)&n)), E_FAULT);
  EXPECT_ERR(w_poll(P((char *)iov), P((char *)iov), 0, P((char *)&n)), E_INVAL);
}

static void bad_fds(void) {
  static u32 iov[2], n;
  static uint8_t st[64];
  EXPECT_ERR(w_write(99, P((char *)iov), 0, P((char *)&n)), E_BADF);
  EXPECT_ERR(w_write(0xffffffffu, P((char *)iov), 0, P((char *)&n)), E_BADF);
  EXPECT_ERR(w_close(12345), E_BADF);
  EXPECT_ERR(w_fstat(77, P((char *)st)), E_BADF);
  EXPECT_ERR(w_renumber(3, 200), E_BADF);
  EXPECT_ERR(w_renumber(200, 3), E_BADF);
  EXPECT_ERR(w_seek(55, 0, 0, P((char *)st)), E_BADF);
  EXPECT_ERR(open_rd(1, "x", 0), E_NOTDIR);
  EXPECT_ERR(open_rd(9999, "x", 0), E_BADF);
  EXPECT_ERR(w_readdir(1, P((char *)st), 64, 0, P((char *)&n)), E_NOTDIR);
  EXPECT_ERR(w_mkdir(0x7fffffffu, S("x")), E_BADF);
}

int main(void) {
  escapes_by_path();
  escapes_by_guest_links();
  read_only_dir();
  wild_memory();
  bad_fds();
  printf("escape: %d checks, %d failed\n", checks, failures);
  return failures;
}
