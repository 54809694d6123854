/*
** wasi_raw.h — what the conformance and adversarial guests share: every
** wasi_snapshot_preview1 function imported raw (any pointer, any length, no
** wasi-libc wrapper second-guessing the arguments), the preview1 constants,
** and a tiny check framework. A guest prints "NAME: N checks, F failed" and
** exits with min(F, 255), so the driver can grep one line.
**
** Layouts follow the preview1 witx; guest structs are filled byte-wise by
** the helpers below rather than through C structs, so the offsets under
** test are the ones written here.
*/
#ifndef WASI_RAW_H
#define WASI_RAW_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint32_t u32;
typedef uint64_t u64;

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
IMPORT(args_get) u32 w_args_get(u32, u32);
IMPORT(args_sizes_get) u32 w_args_sizes_get(u32, u32);
IMPORT(environ_get) u32 w_environ_get(u32, u32);
IMPORT(environ_sizes_get) u32 w_environ_sizes_get(u32, u32);
IMPORT(clock_res_get) u32 w_clock_res_get(u32, u32);
IMPORT(clock_time_get) u32 w_clock_time_get(u32, u64, u32);
IMPORT(fd_advise) u32 w_fd_advise(u32, u64, u64, u32);
IMPORT(fd_allocate) u32 w_fd_allocate(u32, u64, u64);
IMPORT(fd_close) u32 w_fd_close(u32);
IMPORT(fd_datasync) u32 w_fd_datasync(u32);
IMPORT(fd_fdstat_get) u32 w_fd_fdstat_get(u32, u32);
IMPORT(fd_fdstat_set_flags) u32 w_fd_fdstat_set_flags(u32, u32);
IMPORT(fd_fdstat_set_rights) u32 w_fd_fdstat_set_rights(u32, u64, u64);
IMPORT(fd_filestat_get) u32 w_fd_filestat_get(u32, u32);
IMPORT(fd_filestat_set_size) u32 w_fd_filestat_set_size(u32, u64);
IMPORT(fd_filestat_set_times) u32 w_fd_filestat_set_times(u32, u64, u64, u32);
IMPORT(fd_pread) u32 w_fd_pread(u32, u32, u32, u64, u32);
IMPORT(fd_prestat_get) u32 w_fd_prestat_get(u32, u32);
IMPORT(fd_prestat_dir_name) u32 w_fd_prestat_dir_name(u32, u32, u32);
IMPORT(fd_pwrite) u32 w_fd_pwrite(u32, u32, u32, u64, u32);
IMPORT(fd_read) u32 w_fd_read(u32, u32, u32, u32);
IMPORT(fd_readdir) u32 w_fd_readdir(u32, u32, u32, u64, u32);
IMPORT(fd_renumber) u32 w_fd_renumber(u32, u32);
IMPORT(fd_seek) u32 w_fd_seek(u32, u64, u32, u32);
IMPORT(fd_sync) u32 w_fd_sync(u32);
IMPORT(fd_tell) u32 w_fd_tell(u32, u32);
IMPORT(fd_write) u32 w_fd_write(u32, u32, u32, u32);
IMPORT(path_create_directory) u32 w_path_create_directory(u32, u32, u32);
IMPORT(path_filestat_get) u32 w_path_filestat_get(u32, u32, u32, u32, u32);
IMPORT(path_filestat_set_times) u32 w_path_filestat_set_times(u32, u32, u32, u32, u64, u64, u32);
IMPORT(path_link) u32 w_path_link(u32, u32, u32, u32, u32, u32, u32);
IMPORT(path_open) u32 w_path_open(u32, u32, u32, u32, u32, u64, u64, u32, u32);
IMPORT(path_readlink) u32 w_path_readlink(u32, u32, u32, u32, u32, u32);
IMPORT(path_remove_directory) u32 w_path_remove_directory(u32, u32, u32);
IMPORT(path_rename) u32 w_path_rename(u32, u32, u32, u32, u32, u32);
IMPORT(path_symlink) u32 w_path_symlink(u32, u32, u32, u32, u32);
IMPORT(path_unlink_file) u32 w_path_unlink_file(u32, u32, u32);
IMPORT(poll_oneoff) u32 w_poll_oneoff(u32, u32, u32, u32);
IMPORT(proc_raise) u32 w_proc_raise(u32);
IMPORT(sched_yield) u32 w_sched_yield(void);
IMPORT(random_get) u32 w_random_get(u32, u32);
IMPORT(sock_accept) u32 w_sock_accept(u32, u32, u32);
IMPORT(sock_recv) u32 w_sock_recv(u32, u32, u32, u32, u32, u32);
IMPORT(sock_send) u32 w_sock_send(u32, u32, u32, u32, u32);
IMPORT(sock_shutdown) u32 w_sock_shutdown(u32, u32);

/* errno */
enum { E_OK = 0, E_2BIG = 1, E_ACCES = 2, E_BADF = 8, E_BUSY = 10, E_EXIST = 20, E_FAULT = 21,
       E_ILSEQ = 25, E_INVAL = 28, E_ISDIR = 31, E_LOOP = 32, E_NAMETOOLONG = 37, E_NOENT = 44,
       E_NOSYS = 52, E_NOTDIR = 54, E_NOTEMPTY = 55, E_NOTSUP = 58, E_PERM = 63, E_ROFS = 69,
       E_SPIPE = 70, E_XDEV = 75, E_NOTCAPABLE = 76 };

/* rights */
#define R_DATASYNC ((u64)1 << 0)
#define R_READ ((u64)1 << 1)
#define R_SEEK ((u64)1 << 2)
#define R_SETFLAGS ((u64)1 << 3)
#define R_SYNC ((u64)1 << 4)
#define R_TELL ((u64)1 << 5)
#define R_WRITE ((u64)1 << 6)
#define R_ADVISE ((u64)1 << 7)
#define R_ALLOCATE ((u64)1 << 8)
#define R_MKDIR ((u64)1 << 9)
#define R_CREATE_FILE ((u64)1 << 10)
#define R_LINK_SOURCE ((u64)1 << 11)
#define R_LINK_TARGET ((u64)1 << 12)
#define R_PATH_OPEN ((u64)1 << 13)
#define R_READDIR ((u64)1 << 14)
#define R_READLINK ((u64)1 << 15)
#define R_RENAME_SOURCE ((u64)1 << 16)
#define R_RENAME_TARGET ((u64)1 << 17)
#define R_PATH_STAT ((u64)1 << 18)
#define R_PATH_SET_SIZE ((u64)1 << 19)
#define R_PATH_SET_TIMES ((u64)1 << 20)
#define R_FSTAT ((u64)1 << 21)
#define R_SET_SIZE ((u64)1 << 22)
#define R_SET_TIMES ((u64)1 << 23)
#define R_SYMLINK ((u64)1 << 24)
#define R_RMDIR ((u64)1 << 25)
#define R_UNLINK ((u64)1 << 26)
#define R_POLL ((u64)1 << 27)
#define R_ALL ((u64)0x3fffffff)
/* what a regular file / a directory can hold (the preview1 grouping) */
#define R_FILE_ALL (R_DATASYNC | R_READ | R_SEEK | R_SETFLAGS | R_SYNC | R_TELL | R_WRITE | \
                    R_ADVISE | R_ALLOCATE | R_FSTAT | R_SET_SIZE | R_SET_TIMES | R_POLL)
#define R_DIR_ALL (R_SETFLAGS | R_SYNC | R_ADVISE | R_MKDIR | R_CREATE_FILE | R_LINK_SOURCE | \
                   R_LINK_TARGET | R_PATH_OPEN | R_READDIR | R_READLINK | R_RENAME_SOURCE | \
                   R_RENAME_TARGET | R_PATH_STAT | R_PATH_SET_SIZE | R_PATH_SET_TIMES | R_FSTAT | \
                   R_SET_TIMES | R_SYMLINK | R_RMDIR | R_UNLINK)

/* oflags, fdflags, lookupflags, fstflags, whence, filetypes, clocks */
#define O_CREAT_ 1u
#define O_DIRECTORY_ 2u
#define O_EXCL_ 4u
#define O_TRUNC_ 8u
#define FD_APPEND 1u
#define FD_DSYNC 2u
#define FD_NONBLOCK 4u
#define FD_RSYNC 8u
#define FD_SYNC 16u
#define FOLLOW 1u
#define FST_ATIM 1u
#define FST_ATIM_NOW 2u
#define FST_MTIM 4u
#define FST_MTIM_NOW 8u
enum { WH_SET = 0, WH_CUR = 1, WH_END = 2 };
enum { FT_UNKNOWN = 0, FT_CHAR = 2, FT_DIR = 3, FT_REG = 4, FT_SYMLINK = 7 };
enum { CLK_REALTIME = 0, CLK_MONOTONIC = 1, CLK_PROCESS = 2, CLK_THREAD = 3 };

/* ---- checks ---- */
static int g_checks, g_failures;
#define EQ(got, want) eq_((u64)(got), (u64)(want), #got, __LINE__)
#define OK(cond) eq_((u64)((cond) != 0), 1, #cond, __LINE__)
static inline void eq_(u64 got, u64 want, const char *what, int line) {
  g_checks++;
  if (got != want) {
    g_failures++;
    printf("FAIL line %d: %s = %llu, expected %llu\n", line, what, (unsigned long long)got,
           (unsigned long long)want);
  }
}
static inline int finish(const char *name) {
  printf("%s: %d checks, %d failed\n", name, g_checks, g_failures);
  fflush(stdout);
  return g_failures > 255 ? 255 : g_failures;
}

/* ---- pointers and small structures ---- */
static inline u32 P(const void *p) { return (u32)(uintptr_t)p; }
#define S(s) P(s), (u32)strlen(s)
static inline u32 mem_end(void) { return (u32)(__builtin_wasm_memory_size(0) * 65536u); }
static inline u32 rd32(const uint8_t *p) { return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24; }
static inline u64 rd64(const uint8_t *p) { return (u64)rd32(p) | (u64)rd32(p + 4) << 32; }
static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* filestat fields */
#define ST_DEV(b) rd64((b) + 0)
#define ST_INO(b) rd64((b) + 8)
#define ST_TYPE(b) ((b)[16])
#define ST_NLINK(b) rd64((b) + 24)
#define ST_SIZE(b) rd64((b) + 32)
#define ST_ATIM(b) rd64((b) + 40)
#define ST_MTIM(b) rd64((b) + 48)
/* fdstat fields */
#define FS_TYPE(b) ((b)[0])
#define FS_FLAGS(b) rd16((b) + 2)
#define FS_BASE(b) rd64((b) + 8)
#define FS_INH(b) rd64((b) + 16)

/* Opens `path` below `dir`; returns the errno, the fd in *fd. */
static inline u32 open_at(u32 dir, u32 lookup, const char *path, u32 oflags, u64 base, u64 inh,
                          u32 fdflags, u32 *fd) {
  return w_path_open(dir, lookup, S(path), oflags, base, inh, fdflags, P(fd));
}

/* One-buffer write/read helpers; the byte count in *n. */
static inline u32 write_str(u32 fd, const char *s, u32 *n) {
  static u32 iov[2];
  iov[0] = P(s); iov[1] = (u32)strlen(s);
  return w_fd_write(fd, P(iov), 1, P(n));
}
static inline u32 read_buf(u32 fd, void *buf, u32 len, u32 *n) {
  static u32 iov[2];
  iov[0] = P(buf); iov[1] = len;
  return w_fd_read(fd, P(iov), 1, P(n));
}
/* Size of the file at `path` below dir (following), or ~0 on error. */
static inline u64 size_of(u32 dir, const char *path) {
  static uint8_t st[64];
  return w_path_filestat_get(dir, FOLLOW, S(path), P(st)) ? ~(u64)0 : ST_SIZE(st);
}
/* Creates (or truncates) a file holding `text`. */
static inline u32 make_file(u32 dir, const char *path, const char *text) {
  u32 fd, n, e = open_at(dir, 0, path, O_CREAT_ | O_TRUNC_, R_READ | R_WRITE, 0, 0, &fd);
  if (e) return e;
  e = write_str(fd, text, &n);
  w_fd_close(fd);
  return e;
}
static inline u64 now_ns(u32 clock) {
  static u64 t;
  return w_clock_time_get(clock, 1, P(&t)) ? 0 : t;
}

#endif /* WASI_RAW_H */
