/*
** hostile.c — the adversarial cases escape.c does not cover: renames and
** hard links across grants, rights escalation through path_open and
** fd_fdstat_set_rights, every fd call on descriptors never opened, huge
** iovec counts and iovec arrays/buffers outside memory (with the file
** checked to be untouched), over-long paths and components, link chains,
** a directory descriptor whose directory is moved away, and subscription
** floods. Grants as for conform_path: fd 3 = "/sandbox" (holds up ->
** ../outside), 4 = "/ro" (read-only), 5 = "/other". The driver checks
** afterwards that nothing outside rw/ and other/ changed.
*/
#include "wasi_raw.h"

static u32 fd, fd2, n;
static uint8_t st[64];
static char buf[8192];

static void across_grants(void) {
  EQ(make_file(3, "mine.txt", "mine"), 0);
  EQ(w_path_rename(3, S("mine.txt"), 4, S("stolen")), E_ROFS);
  EQ(w_path_rename(4, S("data.txt"), 3, S("taken")), E_ROFS);
  EQ(w_path_rename(4, S("data.txt"), 5, S("taken")), E_ROFS);
  EQ(w_path_rename(3, S("mine.txt"), 5, S("../outside/moved")), E_NOTCAPABLE);
  EQ(w_path_rename(5, S("../rw/mine.txt"), 5, S("pulled")), E_NOTCAPABLE);
  EQ(w_path_rename(3, S("up/canary.txt"), 5, S("pulled")), E_NOTCAPABLE);
  EQ(w_path_link(3, 0, S("mine.txt"), 5, S("../outside/hard")), E_NOTCAPABLE);
  EQ(w_path_link(5, 0, S("../outside/canary.txt"), 3, S("hard")), E_NOTCAPABLE);
  EQ(w_path_link(3, FOLLOW, S("up/canary.txt"), 5, S("hard")), E_NOTCAPABLE);
  EQ(w_path_link(4, 0, S("data.txt"), 5, S("hard")), E_ROFS);
  EQ(w_path_link(3, 0, S("mine.txt"), 4, S("hard")), E_ROFS);
  EQ(w_path_symlink(S("../outside"), 5, S("o")), 0); /* allowed, but never followed out */
  EQ(open_at(5, FOLLOW, "o/canary.txt", 0, R_READ, 0, 0, &fd), E_NOTCAPABLE);
  EQ(w_path_rename(5, S("o/canary.txt"), 5, S("x")), E_NOTCAPABLE);
  EQ(w_path_unlink_file(5, S("o/canary.txt")), E_NOTCAPABLE);
  EQ(w_path_unlink_file(5, S("o")), 0);
  EQ(w_path_filestat_get(3, 0, S(".."), P(st)), E_NOTCAPABLE);
  EQ(w_path_filestat_get(3, FOLLOW, S("up"), P(st)), E_NOTCAPABLE);
  EQ(w_path_filestat_get(3, 0, S("up"), P(st)), 0); /* the link itself is inside */
}

static void rights_escalation(void) {
  static uint8_t fs[24];
  /* a directory handed on with few inheriting rights cannot pass on more */
  EQ(open_at(3, 0, ".", O_DIRECTORY_, R_PATH_OPEN | R_CREATE_FILE | R_MKDIR, R_READ, 0, &fd), 0);
  EQ(open_at(fd, 0, "mine.txt", 0, R_READ | R_WRITE, 0, 0, &fd2), E_NOTCAPABLE);
  EQ(open_at(fd, 0, "mine.txt", 0, R_READ | R_SET_SIZE, 0, 0, &fd2), E_NOTCAPABLE);
  EQ(open_at(fd, 0, ".", O_DIRECTORY_, R_PATH_OPEN, 0, 0, &fd2), E_NOTCAPABLE);
  EQ(open_at(fd, 0, ".", O_DIRECTORY_, 0, R_WRITE, 0, &fd2), E_NOTCAPABLE);
  EQ(w_fd_fdstat_set_rights(fd, R_ALL, R_ALL), E_NOTCAPABLE);
  EQ(w_fd_fdstat_set_rights(fd, R_PATH_OPEN, R_ALL), E_NOTCAPABLE);
  EQ(w_path_unlink_file(fd, S("mine.txt")), E_NOTCAPABLE);
  EQ(w_path_rename(fd, S("mine.txt"), 3, S("x")), E_NOTCAPABLE);
  EQ(w_path_symlink(S("x"), fd, S("y")), E_NOTCAPABLE);
  EQ(open_at(fd, 0, "mine.txt", 0, R_READ, 0, 0, &fd2), 0);
  EQ(w_fd_fdstat_get(fd2, P(fs)), 0);
  EQ(FS_BASE(fs), R_READ);
  EQ(write_str(fd2, "x", &n), E_NOTCAPABLE);
  EQ(w_fd_fdstat_set_rights(fd2, R_READ | R_WRITE, 0), E_NOTCAPABLE);
  EQ(w_fd_close(fd2), 0);
  /* renumbering does not carry rights over to the new number's old owner */
  EQ(open_at(3, 0, "mine.txt", 0, R_READ | R_WRITE, 0, 0, &fd2), 0);
  EQ(w_fd_renumber(fd, fd2), 0);
  EQ(write_str(fd2, "x", &n), E_NOTCAPABLE);
  EQ(open_at(fd2, 0, "mine.txt", 0, R_WRITE, 0, 0, &fd), E_NOTCAPABLE);
  EQ(w_fd_close(fd2), 0);
  /* narrowing a grant's inheriting rights binds every later open */
  EQ(w_fd_fdstat_set_rights(5, R_DIR_ALL, R_ALL & ~(R_WRITE | R_SET_SIZE)), 0);
  EQ(open_at(5, 0, "w.txt", O_CREAT_, R_READ | R_WRITE, 0, 0, &fd), E_NOTCAPABLE);
  EQ(open_at(5, 0, "w.txt", O_CREAT_, R_READ, 0, 0, &fd), 0);
  EQ(write_str(fd, "x", &n), E_NOTCAPABLE);
  EQ(w_fd_close(fd), 0);
  /* a read-only grant: no write through any combination */
  EQ(open_at(4, 0, "data.txt", 0, R_READ, 0, FD_APPEND, &fd), E_ROFS);
  EQ(open_at(4, 0, "data.txt", 0, R_READ | R_ALLOCATE, 0, 0, &fd), E_ROFS);
  EQ(open_at(4, 0, "data.txt", 0, R_SET_SIZE, 0, 0, &fd), E_ROFS);
  EQ(open_at(4, 0, "data.txt", O_TRUNC_, R_READ, 0, 0, &fd), E_ROFS);
  EQ(open_at(4, 0, "data.txt", O_CREAT_, R_READ, 0, 0, &fd), E_ROFS);
  EQ(open_at(4, 0, "data.txt", 0, R_READ | R_SET_TIMES | R_SETFLAGS | R_DATASYNC, 0, 0, &fd), 0);
  EQ(w_fd_fdstat_set_flags(fd, FD_APPEND), E_ROFS);
  EQ(w_fd_filestat_set_times(fd, 0, 0, FST_MTIM_NOW), E_ROFS);
  EQ(w_fd_datasync(fd), 0);
  EQ(w_fd_close(fd), 0);
  EQ(w_fd_fdstat_set_rights(4, R_DIR_ALL, R_ALL), 0); /* nothing gained: still read-only */
  EQ(w_path_create_directory(4, S("x")), E_ROFS);
}

static void never_opened(void) {
  static const u32 bad[] = {6, 200, 16384, 0x7fffffffu, 0xffffffffu};
  static u32 iov[2];
  static u64 pos;
  iov[0] = P(buf); iov[1] = 1;
  for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    u32 b = bad[i];
    EQ(w_fd_read(b, P(iov), 1, P(&n)), E_BADF);
    EQ(w_fd_write(b, P(iov), 1, P(&n)), E_BADF);
    EQ(w_fd_pread(b, P(iov), 1, 0, P(&n)), E_BADF);
    EQ(w_fd_pwrite(b, P(iov), 1, 0, P(&n)), E_BADF);
    EQ(w_fd_seek(b, 0, WH_SET, P(&pos)), E_BADF);
    EQ(w_fd_tell(b, P(&pos)), E_BADF);
    EQ(w_fd_close(b), E_BADF);
    EQ(w_fd_renumber(b, 3), E_BADF);
    EQ(w_fd_renumber(3, b), E_BADF);
    EQ(w_fd_fdstat_get(b, P(st)), E_BADF);
    EQ(w_fd_fdstat_set_flags(b, 0), E_BADF);
    EQ(w_fd_fdstat_set_rights(b, 0, 0), E_BADF);
    EQ(w_fd_filestat_get(b, P(st)), E_BADF);
    EQ(w_fd_filestat_set_size(b, 0), E_BADF);
    EQ(w_fd_filestat_set_times(b, 0, 0, 0), E_BADF);
    EQ(w_fd_prestat_get(b, P(st)), E_BADF);
    EQ(w_fd_prestat_dir_name(b, P(buf), 8), E_BADF);
    EQ(w_fd_sync(b), E_BADF);
    EQ(w_fd_datasync(b), E_BADF);
    EQ(w_fd_advise(b, 0, 0, 0), E_BADF);
    EQ(w_fd_allocate(b, 0, 1), E_BADF);
    EQ(w_fd_readdir(b, P(buf), 64, 0, P(&n)), E_BADF);
    EQ(open_at(b, 0, "x", 0, 0, 0, 0, &fd), E_BADF);
    EQ(w_path_create_directory(b, S("x")), E_BADF);
    EQ(w_path_filestat_get(b, 0, S("x"), P(st)), E_BADF);
    EQ(w_path_filestat_set_times(b, 0, S("x"), 0, 0, 0), E_BADF);
    EQ(w_path_link(b, 0, S("x"), 3, S("y")), E_BADF);
    EQ(w_path_link(3, 0, S("mine.txt"), b, S("y")), E_BADF);
    EQ(w_path_readlink(b, S("x"), P(buf), 8, P(&n)), E_BADF);
    EQ(w_path_remove_directory(b, S("x")), E_BADF);
    EQ(w_path_rename(b, S("x"), 3, S("y")), E_BADF);
    EQ(w_path_rename(3, S("mine.txt"), b, S("y")), E_BADF);
    EQ(w_path_symlink(S("x"), b, S("y")), E_BADF);
    EQ(w_path_unlink_file(b, S("x")), E_BADF);
    EQ(w_sock_shutdown(b, 0), E_BADF);
  }
  EQ(size_of(3, "mine.txt"), 4);
}

/* iovec arrays: 8 bytes each {buf, len} */
static u32 iovs[2 * 2100];

static void iovec_abuse(void) {
  EQ(open_at(3, 0, "iov.txt", O_CREAT_ | O_TRUNC_, R_READ | R_WRITE | R_SEEK | R_FSTAT, 0, 0, &fd), 0);
  for (int i = 0; i < 2000; i++) { iovs[2 * i] = P(buf + i); iovs[2 * i + 1] = 1; }
  memset(buf, 'a', sizeof buf);
  EQ(w_fd_write(fd, P(iovs), 2000, P(&n)), 0);
  EQ(n, 1024); /* at most IOV_MAX buffers per call: a short write */
  EQ(size_of(3, "iov.txt"), 1024);
  /* one bad buffer among good ones: EFAULT and nothing written */
  iovs[2 * 5] = mem_end() - 1; iovs[2 * 5 + 1] = 2;
  EQ(w_fd_write(fd, P(iovs), 10, P(&n)), E_FAULT);
  EQ(w_fd_pwrite(fd, P(iovs), 10, 0, P(&n)), E_FAULT);
  iovs[2 * 5] = 0xfffffffcu; iovs[2 * 5 + 1] = 8; /* wraps around 4 GiB */
  EQ(w_fd_write(fd, P(iovs), 10, P(&n)), E_FAULT);
  iovs[2 * 5 + 1] = 0xffffffffu;
  EQ(w_fd_read(fd, P(iovs), 10, P(&n)), E_FAULT);
  EQ(size_of(3, "iov.txt"), 1024);
  /* the array itself outside memory, or absurdly long */
  EQ(w_fd_write(fd, mem_end() - 8, 2, P(&n)), E_FAULT);
  EQ(w_fd_write(fd, 0xfffffffcu, 1, P(&n)), E_FAULT);
  EQ(w_fd_write(fd, P(iovs), 0x20000000u, P(&n)), E_FAULT);
  EQ(w_fd_read(fd, P(iovs), 0xffffffffu, P(&n)), E_FAULT);
  EQ(w_fd_pread(fd, P(iovs), 0x10000000u, 0, P(&n)), E_FAULT);
  /* 1024 buffers of 4 MiB, all aliasing the same memory: the total does
  ** not fit the 32-bit result, so EINVAL before any I/O */
  u32 four_mib = 4u << 20;
  if (mem_end() < four_mib) __builtin_wasm_memory_grow(0, (four_mib - mem_end()) / 65536);
  OK(mem_end() >= four_mib);
  for (int i = 0; i < 1024; i++) { iovs[2 * i] = 0; iovs[2 * i + 1] = four_mib; }
  EQ(w_fd_read(fd, P(iovs), 1024, P(&n)), E_INVAL);
  EQ(w_fd_pwrite(fd, P(iovs), 2000, 0, P(&n)), E_INVAL);
  EQ(size_of(3, "iov.txt"), 1024);
  /* a buffer ending exactly at the end of memory is fine */
  static u64 pos;
  EQ(w_fd_seek(fd, 0, WH_SET, P(&pos)), 0);
  iovs[0] = mem_end() - 3; iovs[1] = 3;
  EQ(w_fd_read(fd, P(iovs), 1, P(&n)), 0);
  EQ(n, 3);
  EQ(w_fd_close(fd), 0);
}

static void path_abuse(void) {
  static char longp[5000];
  memset(longp, 'a', sizeof longp);
  EQ(w_path_open(3, 0, P(longp), 4096, 0, R_READ, 0, 0, P(&fd)), E_NAMETOOLONG);
  EQ(w_path_create_directory(3, P(longp), 256), E_NAMETOOLONG);
  EQ(w_path_filestat_get(3, 0, P(longp), 300, P(st)), E_NAMETOOLONG);
  EQ(w_path_open(3, 0, P("sub\0/../../outside"), 18, 0, R_READ, 0, 0, P(&fd)), E_ILSEQ);
  EQ(open_at(3, 0, "//etc/passwd", 0, R_READ, 0, 0, &fd), E_NOTCAPABLE);
  EQ(open_at(3, 0, "./../rw/mine.txt", 0, R_READ, 0, 0, &fd), E_NOTCAPABLE);
  /* a chain of 41 links is a loop; 30 is fine */
  EQ(make_file(3, "end.txt", "end"), 0);
  for (int i = 0; i < 41; i++) {
    char name[16], target[16];
    snprintf(name, sizeof name, "ch%d", i);
    if (i == 0) snprintf(target, sizeof target, "end.txt");
    else snprintf(target, sizeof target, "ch%d", i - 1);
    EQ(w_path_symlink(S(target), 3, S(name)), 0);
  }
  EQ(open_at(3, FOLLOW, "ch29", 0, R_READ, 0, 0, &fd), 0);
  EQ(w_fd_close(fd), 0);
  EQ(open_at(3, FOLLOW, "ch40", 0, R_READ, 0, 0, &fd), E_LOOP);
  /* a directory descriptor keeps its own root when its directory moves */
  EQ(w_path_create_directory(3, S("mv")), 0);
  EQ(w_path_create_directory(3, S("mv/inner")), 0);
  EQ(open_at(3, 0, "mv/inner", O_DIRECTORY_, R_DIR_ALL, R_ALL, 0, &fd), 0);
  EQ(w_path_rename(3, S("mv"), 5, S("mv_moved")), 0);
  EQ(open_at(fd, 0, "..", O_DIRECTORY_, R_READDIR, 0, 0, &fd2), E_NOTCAPABLE);
  EQ(open_at(fd, 0, "../../outside/canary.txt", 0, R_READ, 0, 0, &fd2), E_NOTCAPABLE);
  EQ(w_path_symlink(S("../../../outside"), fd, S("esc")), 0);
  EQ(open_at(fd, FOLLOW, "esc/canary.txt", 0, R_READ, 0, 0, &fd2), E_NOTCAPABLE);
  EQ(make_file(fd, "still_inside.txt", "ok"), 0);
  EQ(size_of(5, "mv_moved/inner/still_inside.txt"), 2);
  EQ(w_fd_close(fd), 0);
  /* a directory removed under its descriptor: the host's ENOENT */
  EQ(w_path_create_directory(3, S("gone")), 0);
  EQ(open_at(3, 0, "gone", O_DIRECTORY_, R_READDIR | R_CREATE_FILE | R_PATH_OPEN, R_READ, 0, &fd), 0);
  EQ(w_path_remove_directory(3, S("gone")), 0);
  EQ(w_fd_readdir(fd, P(buf), 256, 0, P(&n)), E_NOENT);
  EQ(open_at(fd, 0, "new", O_CREAT_, R_READ, 0, 0, &fd2), E_NOENT);
  EQ(w_fd_close(fd), 0);
}

static void poll_abuse(void) {
  static uint8_t sub[48];
  static u32 nev;
  memset(sub, 0, sizeof sub);
  EQ(w_poll_oneoff(P(sub), P(buf), 4097, P(&nev)), E_INVAL);
  EQ(w_poll_oneoff(P(sub), P(buf), 0xffffffffu, P(&nev)), E_INVAL);
  EQ(w_poll_oneoff(mem_end() - 47, P(buf), 1, P(&nev)), E_FAULT);
  EQ(w_poll_oneoff(P(sub), mem_end() - 31, 1, P(&nev)), E_FAULT);
  /* 4096 bad-fd subscriptions: all answered at once, none waits */
  static uint8_t many[4096 * 48];
  for (int i = 0; i < 4096; i++) {
    many[i * 48 + 8] = 1;
    many[i * 48 + 16] = 0xff; /* fd 255: never opened */
  }
  EQ(w_poll_oneoff(P(many), P(many), 4096, P(&nev)), 0);
  EQ(nev, 4096);
  EQ(rd16(many + 8), E_BADF);
  /* 4096 subscriptions on one stream (stdin is /dev/null, always readable)
  ** and on a regular file: more than the driver's fd limit of 512, so the
  ** host must not hand ppoll one entry per subscription */
  static u32 f;
  EQ(make_file(3, "polled.txt", "12345"), 0);
  EQ(open_at(3, 0, "polled.txt", 0, R_READ | R_POLL, 0, 0, &f), 0);
  memset(many, 0, sizeof many);
  for (int i = 0; i < 4096; i++) {
    many[i * 48] = (uint8_t)i;
    many[i * 48 + 8] = (uint8_t)(i % 3 ? 1 : 2);
    many[i * 48 + 16] = (uint8_t)(i % 2 ? 0 : f);
  }
  EQ(w_poll_oneoff(P(many), P(many), 4096, P(&nev)), 0);
  EQ(nev, 4096);
  int errs = 0;
  for (u32 i = 0; i < nev && i < 4096; i++) errs += rd16(many + i * 32 + 8) != 0;
  EQ(errs, 0);
  EQ(w_fd_close(f), 0);
}

/* Opening until the host runs out of descriptors (the driver sets
** ulimit -n 512) gives EMFILE, never a crash, and closing them recovers. */
static void fd_exhaustion(void) {
  static u32 fds[1024];
  u32 e = 0;
  int n_open = 0;
  EQ(make_file(3, "many.txt", "m"), 0);
  while (n_open < 1024 && (e = open_at(3, 0, "many.txt", 0, R_READ, 0, 0, &fds[n_open])) == 0) n_open++;
  EQ(e, 33); /* EMFILE */
  OK(n_open > 100 && n_open < 1024);
  /* even name operations need a transient host descriptor (the parent) */
  EQ(w_path_create_directory(3, S("no_fd_left")), 33);
  EQ(w_fd_close(fds[--n_open]), 0);
  EQ(w_path_create_directory(3, S("one_fd_left")), 0);
  for (int i = 0; i < n_open; i++) EQ(w_fd_close(fds[i]), 0);
  EQ(open_at(3, 0, "many.txt", 0, R_READ, 0, 0, &fd), 0);
  EQ(fd, 6); /* the lowest free slot again */
  EQ(w_fd_close(fd), 0);
}

/* rw/fifo is a FIFO nobody else opens: opening it must not hang. */
static void fifo(void) {
  static uint8_t fs[24];
  static char b[8];
  EQ(open_at(3, 0, "fifo", 0, R_READ, 0, 0, &fd), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_TYPE(fs), FT_UNKNOWN);
  EQ(FS_FLAGS(fs), 0); /* blocking, as asked */
  EQ(read_buf(fd, b, sizeof b, &n), 0);
  EQ(n, 0); /* no writer: end of file */
  EQ(w_fd_close(fd), 0);
  EQ(open_at(3, 0, "fifo", 0, R_WRITE, 0, 0, &fd), 60); /* ENXIO: no reader */
  EQ(open_at(3, 0, "fifo", 0, R_READ, 0, FD_NONBLOCK, &fd), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_FLAGS(fs), FD_NONBLOCK);
  EQ(w_fd_close(fd), 0);
}

int main(void) {
  fifo();
  fd_exhaustion();
  across_grants();
  rights_escalation();
  never_opened();
  iovec_abuse();
  path_abuse();
  poll_abuse();
  return finish("hostile");
}
