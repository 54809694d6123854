/*
** conform_fd.c — preview1 conformance for the fd_* calls with their error
** cases, exact byte counts, offsets, flags, rights and stat fields:
** read/write/pread/pwrite (scatter/gather), seek/tell, fdstat get and
** set_flags/set_rights (only narrowing), filestat get/set_size/set_times
** (ATIM/MTIM/_NOW, invalid combinations), sync/datasync/advise/allocate,
** close, renumber, prestat, and readdir (small buffers, cookie resume,
** bogus cookies, d_ino == filestat ino).
**
** Grants: fd 3 = "/sandbox" (read-write), fd 4 = "/ro" (read-only),
** fd 5 = "/other" (read-write).
*/
#include "wasi_raw.h"

static u32 fd, n;
static u64 pos;
static uint8_t st[64], fs[24];
static char buf[256];

static void check_rw(void) {
  static u32 iov[6];
  EQ(open_at(3, 0, "rw.txt", O_CREAT_ | O_EXCL_, R_FILE_ALL, 0, 0, &fd), 0);
  iov[0] = P("hello"); iov[1] = 5; iov[2] = P(" "); iov[3] = 0; iov[4] = P(" world"); iov[5] = 6;
  EQ(w_fd_write(fd, P(iov), 3, P(&n)), 0);
  EQ(n, 11);
  EQ(w_fd_tell(fd, P(&pos)), 0);
  EQ(pos, 11);
  EQ(w_fd_seek(fd, 0, WH_SET, P(&pos)), 0);
  EQ(pos, 0);
  memset(buf, 0, sizeof buf);
  iov[0] = P(buf); iov[1] = 4; iov[2] = P(buf + 100); iov[3] = 100;
  EQ(w_fd_read(fd, P(iov), 2, P(&n)), 0);
  EQ(n, 11);
  EQ(memcmp(buf, "hell", 4), 0);
  EQ(memcmp(buf + 100, "o world", 7), 0);
  EQ(read_buf(fd, buf, 10, &n), 0);
  EQ(n, 0); /* end of file */
  EQ(w_fd_read(fd, P(iov), 0, P(&n)), 0);
  EQ(n, 0);
  EQ(w_fd_seek(fd, (u64)-5, WH_END, P(&pos)), 0);
  EQ(pos, 6);
  EQ(w_fd_seek(fd, 2, WH_CUR, P(&pos)), 0);
  EQ(pos, 8);
  EQ(w_fd_seek(fd, (u64)-100, WH_CUR, P(&pos)), E_INVAL);
  EQ(w_fd_seek(fd, 0, 3, P(&pos)), E_INVAL);
  EQ(w_fd_seek(fd, 0, WH_SET, mem_end() - 4), E_FAULT);
  EQ(w_fd_tell(fd, mem_end()), E_FAULT);
  /* positional I/O leaves the offset alone */
  iov[0] = P(buf); iov[1] = 5;
  EQ(w_fd_pread(fd, P(iov), 1, 6, P(&n)), 0);
  EQ(n, 5);
  EQ(memcmp(buf, "world", 5), 0);
  iov[0] = P("HELLO"); iov[1] = 5;
  EQ(w_fd_pwrite(fd, P(iov), 1, 0, P(&n)), 0);
  EQ(n, 5);
  EQ(w_fd_tell(fd, P(&pos)), 0);
  EQ(pos, 8);
  iov[0] = P(buf); iov[1] = 11;
  EQ(w_fd_pread(fd, P(iov), 1, 0, P(&n)), 0);
  EQ(memcmp(buf, "HELLO world", 11), 0);
  EQ(w_fd_pread(fd, P(iov), 1, 1000, P(&n)), 0);
  EQ(n, 0);
  EQ(w_fd_pread(fd, P(iov), 1, (u64)1 << 63, P(&n)), E_INVAL);
  EQ(w_fd_pwrite(fd, P(iov), 1, ~(u64)0, P(&n)), E_INVAL);
  /* an empty buffer anywhere, even past the end of memory, moves nothing */
  iov[0] = mem_end() + 64; iov[1] = 0;
  EQ(w_fd_write(fd, P(iov), 1, P(&n)), 0);
  EQ(n, 0);
  EQ(w_fd_close(fd), 0);
}

static void check_rights_needed(void) {
  static u32 iov[2];
  iov[0] = P(buf); iov[1] = 1;
  EQ(open_at(3, 0, "rw.txt", 0, R_READ, 0, 0, &fd), 0);
  EQ(w_fd_write(fd, P(iov), 1, P(&n)), E_NOTCAPABLE);
  EQ(w_fd_pwrite(fd, P(iov), 1, 0, P(&n)), E_NOTCAPABLE);
  EQ(w_fd_pread(fd, P(iov), 1, 0, P(&n)), E_NOTCAPABLE); /* needs FD_SEEK too */
  EQ(w_fd_seek(fd, 1, WH_SET, P(&pos)), E_NOTCAPABLE);
  EQ(w_fd_tell(fd, P(&pos)), E_NOTCAPABLE);
  EQ(w_fd_filestat_get(fd, P(st)), E_NOTCAPABLE);
  EQ(w_fd_filestat_set_size(fd, 0), E_NOTCAPABLE);
  EQ(w_fd_filestat_set_times(fd, 0, 0, FST_MTIM_NOW), E_NOTCAPABLE);
  EQ(w_fd_sync(fd), E_NOTCAPABLE);
  EQ(w_fd_datasync(fd), E_NOTCAPABLE);
  EQ(w_fd_advise(fd, 0, 0, 0), E_NOTCAPABLE);
  EQ(w_fd_allocate(fd, 0, 1), E_NOTCAPABLE);
  EQ(w_fd_fdstat_set_flags(fd, FD_APPEND), E_NOTCAPABLE);
  EQ(w_fd_read(fd, P(iov), 1, P(&n)), 0);
  EQ(n, 1);
  EQ(w_fd_close(fd), 0);
  EQ(open_at(3, 0, "rw.txt", 0, R_WRITE | R_TELL, 0, 0, &fd), 0);
  EQ(w_fd_read(fd, P(iov), 1, P(&n)), E_NOTCAPABLE);
  /* fd_seek(0, CUR) is a tell and needs only FD_TELL */
  EQ(w_fd_seek(fd, 0, WH_CUR, P(&pos)), 0);
  EQ(pos, 0);
  EQ(w_fd_close(fd), 0);
  /* a directory has no read/write */
  EQ(w_fd_read(3, P(iov), 1, P(&n)), E_NOTCAPABLE);
  EQ(w_fd_write(3, P(iov), 1, P(&n)), E_NOTCAPABLE);
}

static void check_fdstat(void) {
  EQ(open_at(3, 0, "rw.txt", 0, R_FILE_ALL, 0, FD_APPEND, &fd), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_TYPE(fs), FT_REG);
  EQ(FS_FLAGS(fs), FD_APPEND);
  EQ(FS_BASE(fs), R_FILE_ALL);
  EQ(FS_INH(fs), 0);
  /* APPEND: writes go to the end whatever the offset */
  EQ(w_fd_seek(fd, 0, WH_SET, P(&pos)), 0);
  EQ(write_str(fd, "!", &n), 0);
  EQ(size_of(3, "rw.txt"), 12);
  EQ(w_fd_fdstat_set_flags(fd, 0), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_FLAGS(fs), 0);
  EQ(w_fd_seek(fd, 0, WH_SET, P(&pos)), 0);
  EQ(write_str(fd, "h", &n), 0);
  EQ(size_of(3, "rw.txt"), 12);
  EQ(w_fd_fdstat_set_flags(fd, FD_NONBLOCK | FD_APPEND), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_FLAGS(fs), FD_NONBLOCK | FD_APPEND);
  EQ(w_fd_fdstat_set_flags(fd, FD_DSYNC), E_NOTSUP);
  EQ(w_fd_fdstat_set_flags(fd, FD_SYNC), E_NOTSUP);
  EQ(w_fd_fdstat_set_flags(fd, 0x20), E_INVAL);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_FLAGS(fs), FD_NONBLOCK | FD_APPEND); /* failed calls changed nothing */
  /* rights only shrink */
  EQ(w_fd_fdstat_set_rights(fd, R_READ | R_SEEK | R_TELL | R_FSTAT, 0), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_BASE(fs), R_READ | R_SEEK | R_TELL | R_FSTAT);
  EQ(write_str(fd, "x", &n), E_NOTCAPABLE);
  EQ(w_fd_fdstat_set_rights(fd, R_READ | R_WRITE, 0), E_NOTCAPABLE);
  EQ(w_fd_fdstat_set_rights(fd, R_READ, R_READ), E_NOTCAPABLE);
  EQ(w_fd_fdstat_set_rights(fd, R_READ | ((u64)1 << 40), 0), E_NOTCAPABLE);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_BASE(fs), R_READ | R_SEEK | R_TELL | R_FSTAT);
  EQ(w_fd_fdstat_set_rights(fd, 0, 0), 0);
  EQ(w_fd_fdstat_set_flags(fd, 0), E_NOTCAPABLE);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0); /* fdstat_get needs no right */
  EQ(FS_BASE(fs), 0);
  EQ(w_fd_close(fd), 0);
  EQ(w_fd_fdstat_get(99, P(fs)), E_BADF);
  EQ(w_fd_fdstat_set_flags(99, 0), E_BADF);
  EQ(w_fd_fdstat_set_rights(99, 0, 0), E_BADF);
}

static void check_filestat(void) {
  EQ(open_at(3, 0, "st.txt", O_CREAT_ | O_TRUNC_, R_FILE_ALL, 0, 0, &fd), 0);
  EQ(write_str(fd, "12345", &n), 0);
  EQ(w_fd_filestat_get(fd, P(st)), 0);
  EQ(ST_TYPE(st), FT_REG);
  EQ(ST_SIZE(st), 5);
  EQ(ST_NLINK(st), 1);
  static uint8_t pst[64];
  EQ(w_path_filestat_get(3, 0, S("st.txt"), P(pst)), 0);
  EQ(ST_INO(st), ST_INO(pst));
  EQ(ST_DEV(st), ST_DEV(pst));
  EQ(w_fd_filestat_set_size(fd, 3), 0);
  EQ(w_fd_filestat_get(fd, P(st)), 0);
  EQ(ST_SIZE(st), 3);
  EQ(w_fd_filestat_set_size(fd, 10000), 0);
  EQ(w_fd_filestat_get(fd, P(st)), 0);
  EQ(ST_SIZE(st), 10000);
  static u32 iov[2];
  memset(buf, 1, 8);
  iov[0] = P(buf); iov[1] = 8;
  EQ(w_fd_pread(fd, P(iov), 1, 3, P(&n)), 0);
  EQ(n, 8);
  EQ(buf[0] | buf[7], 0); /* the grown part reads as zeros */
  EQ(w_fd_filestat_set_size(fd, (u64)1 << 63), E_INVAL);
  EQ(w_fd_filestat_get(fd, mem_end() - 63), E_FAULT);
  EQ(w_fd_close(fd), 0);
}

/* fd_filestat_set_times and the sync/advise/allocate family on st.txt. */
static void check_times_sync(void) {
  EQ(open_at(3, 0, "st.txt", 0, R_FILE_ALL, 0, 0, &fd), 0);
  /* explicit times, exact to the nanosecond */
  EQ(w_fd_filestat_set_times(fd, 1000000000123ull, 2000000000456ull, FST_ATIM | FST_MTIM), 0);
  EQ(w_fd_filestat_get(fd, P(st)), 0);
  EQ(ST_ATIM(st), 1000000000123ull);
  EQ(ST_MTIM(st), 2000000000456ull);
  /* only MTIM: atim stays */
  EQ(w_fd_filestat_set_times(fd, 5, 3000000000000ull, FST_MTIM), 0);
  EQ(w_fd_filestat_get(fd, P(st)), 0);
  EQ(ST_ATIM(st), 1000000000123ull);
  EQ(ST_MTIM(st), 3000000000000ull);
  /* flags 0: nothing changes */
  EQ(w_fd_filestat_set_times(fd, 7, 7, 0), 0);
  EQ(w_fd_filestat_get(fd, P(st)), 0);
  EQ(ST_ATIM(st), 1000000000123ull);
  EQ(ST_MTIM(st), 3000000000000ull);
  /* _NOW uses the current time and ignores the value */
  u64 before = now_ns(CLK_REALTIME);
  EQ(w_fd_filestat_set_times(fd, 5, 5, FST_ATIM_NOW | FST_MTIM_NOW), 0);
  u64 after = now_ns(CLK_REALTIME);
  EQ(w_fd_filestat_get(fd, P(st)), 0);
  /* file-system timestamps are taken from a coarse clock: allow 20 ms */
  OK(ST_ATIM(st) + 20000000 >= before && ST_ATIM(st) <= after);
  OK(ST_MTIM(st) + 20000000 >= before && ST_MTIM(st) <= after);
  EQ(w_fd_filestat_set_times(fd, 1, 1, FST_ATIM | FST_ATIM_NOW), E_INVAL);
  EQ(w_fd_filestat_set_times(fd, 1, 1, FST_MTIM | FST_MTIM_NOW), E_INVAL);
  EQ(w_fd_filestat_set_times(fd, 1, 1, 0x10), E_INVAL);
  EQ(w_fd_filestat_set_times(fd, 1, 1, 0xffff), E_INVAL);
  /* sync family and hints */
  EQ(w_fd_sync(fd), 0);
  EQ(w_fd_datasync(fd), 0);
  for (u32 adv = 0; adv <= 5; adv++) EQ(w_fd_advise(fd, 0, 100, adv), 0);
  EQ(w_fd_advise(fd, 0, 100, 6), E_INVAL);
  EQ(w_fd_advise(fd, (u64)1 << 63, 1, 0), E_INVAL);
  EQ(w_fd_allocate(fd, 0, 4096), 0);
  EQ(w_fd_filestat_get(fd, P(st)), 0);
  EQ(ST_SIZE(st), 10000); /* allocating inside the file does not shrink it */
  EQ(w_fd_allocate(fd, 12000, 100), 0);
  EQ(w_fd_filestat_get(fd, P(st)), 0);
  EQ(ST_SIZE(st), 12100);
  EQ(w_fd_allocate(fd, ~(u64)0 >> 1, 2), E_INVAL);
  EQ(w_fd_close(fd), 0);
  /* a directory: stat, sync, no set_size */
  EQ(w_fd_filestat_get(3, P(st)), 0);
  EQ(ST_TYPE(st), FT_DIR);
  EQ(w_fd_sync(3), 0);
  EQ(w_fd_filestat_set_size(3, 0), E_NOTCAPABLE);
  EQ(w_fd_datasync(99), E_BADF);
  EQ(w_fd_sync(99), E_BADF);
  EQ(w_fd_advise(99, 0, 0, 0), E_BADF);
  EQ(w_fd_allocate(99, 0, 1), E_BADF);
  EQ(w_fd_filestat_get(99, P(st)), E_BADF);
  EQ(w_fd_filestat_set_size(99, 0), E_BADF);
  EQ(w_fd_filestat_set_times(99, 0, 0, 0), E_BADF);
}

static void check_close_renumber(void) {
  static u32 a, b;
  EQ(make_file(3, "A.txt", "AAA"), 0);
  EQ(make_file(3, "B.txt", "BBBB"), 0);
  EQ(open_at(3, 0, "A.txt", 0, R_READ | R_FSTAT, 0, 0, &a), 0);
  EQ(open_at(3, 0, "B.txt", 0, R_READ | R_FSTAT, 0, 0, &b), 0);
  EQ(w_fd_renumber(a, b), 0);
  EQ(w_fd_filestat_get(b, P(st)), 0);
  EQ(ST_SIZE(st), 3); /* b is now A.txt */
  EQ(w_fd_filestat_get(a, P(st)), E_BADF);
  EQ(w_fd_renumber(b, b), 0);
  EQ(w_fd_renumber(b, 999), E_BADF);
  EQ(w_fd_renumber(999, b), E_BADF);
  EQ(w_fd_renumber(a, b), E_BADF);
  /* the lowest free slot is reused */
  EQ(open_at(3, 0, "B.txt", 0, R_READ, 0, 0, &fd), 0);
  EQ(fd, a);
  EQ(w_fd_close(fd), 0);
  EQ(w_fd_close(fd), E_BADF);
  EQ(w_fd_close(b), 0);
  EQ(w_fd_close(0xffffffffu), E_BADF);
}

static void check_prestat(void) {
  static uint8_t pre[8];
  memset(pre, 0xff, sizeof pre);
  EQ(w_fd_prestat_get(3, P(pre)), 0);
  EQ(pre[0], 0);
  EQ(rd32(pre + 4), 8);
  memset(buf, 'z', 16);
  EQ(w_fd_prestat_dir_name(3, P(buf), 8), 0);
  EQ(memcmp(buf, "/sandbox", 8), 0);
  EQ(buf[8], 'z'); /* no NUL added */
  EQ(w_fd_prestat_dir_name(3, P(buf), 7), E_NAMETOOLONG);
  EQ(w_fd_prestat_dir_name(3, P(buf), 100), 0);
  EQ(w_fd_prestat_get(4, P(pre)), 0);
  EQ(rd32(pre + 4), 3);
  EQ(w_fd_prestat_dir_name(4, P(buf), 3), 0);
  EQ(memcmp(buf, "/ro", 3), 0);
  EQ(w_fd_prestat_get(0, P(pre)), E_BADF);
  EQ(w_fd_prestat_get(6, P(pre)), E_BADF);
  EQ(open_at(3, 0, ".", O_DIRECTORY_, R_DIR_ALL, 0, 0, &fd), 0);
  EQ(w_fd_prestat_get(fd, P(pre)), E_BADF); /* only preopens answer */
  EQ(w_fd_prestat_dir_name(fd, P(buf), 10), E_BADF);
  EQ(w_fd_close(fd), 0);
  EQ(w_fd_prestat_get(3, mem_end() - 4), E_FAULT);
  EQ(w_fd_prestat_dir_name(3, mem_end() - 4, 8), E_FAULT);
}

/* ---- readdir ---- */
#define NENT 20
static uint8_t dbuf[4096];
static int seen[NENT + 2];

/* Records the complete entries of dbuf[0, used); returns the cookie after
** the last complete one (or `cookie` when none was complete). */
static u64 take_entries(u32 used, u64 cookie, u32 dirfd, int *count) {
  u32 off = 0;
  while (off + 24 <= used) {
    u32 nl = rd32(dbuf + off + 16);
    if (off + 24 + nl > used) break; /* cut short: ask again from cookie */
    char name[64] = {0};
    memcpy(name, dbuf + off + 24, nl < 63 ? nl : 63);
    uint8_t type = dbuf[off + 20];
    if (strcmp(name, ".") == 0) { seen[NENT]++; EQ(type, FT_DIR); }
    else if (strcmp(name, "..") == 0) { seen[NENT + 1]++; EQ(type, FT_DIR); }
    else if (strncmp(name, "e_", 2) == 0 && name[2] >= 'a' && name[2] < 'a' + NENT) {
      int i = name[2] - 'a';
      seen[i]++;
      EQ(type, i == 0 ? FT_DIR : i == 1 ? FT_SYMLINK : FT_REG);
      static uint8_t es[64];
      EQ(w_path_filestat_get(dirfd, 0, S(name), P(es)), 0);
      EQ(rd64(dbuf + off + 8), ST_INO(es));
    } else {
      printf("unexpected entry '%s'\n", name);
      EQ(0, 1);
    }
    cookie = rd64(dbuf + off);
    off += 24 + nl;
    (*count)++;
  }
  return cookie;
}

/* Lists the directory with `bufsize`-byte calls, resuming by cookie. */
static void list_with(u32 dirfd, u32 bufsize) {
  memset(seen, 0, sizeof seen);
  u64 cookie = 0;
  int count = 0, calls = 0;
  for (;;) {
    u32 used = 0;
    EQ(w_fd_readdir(dirfd, P(dbuf), bufsize, cookie, P(&used)), 0);
    OK(used <= bufsize);
    int before = count;
    cookie = take_entries(used, cookie, dirfd, &count);
    if (used < bufsize || ++calls > 1000) break;
    if (count == before) { printf("buffer %u too small for one entry\n", bufsize); EQ(0, 1); break; }
  }
  EQ(count, NENT + 2);
  for (int i = 0; i < NENT + 2; i++) EQ(seen[i], 1);
}

static void check_readdir(void) {
  static u32 d;
  EQ(w_path_create_directory(3, S("rd")), 0);
  EQ(open_at(3, 0, "rd", O_DIRECTORY_, R_READDIR | R_PATH_STAT | R_FSTAT, 0, 0, &d), 0);
  EQ(w_path_create_directory(3, S("rd/e_a")), 0);
  EQ(w_path_symlink(S("e_c"), 3, S("rd/e_b")), 0);
  for (int i = 2; i < NENT; i++) {
    char name[16] = "rd/e_?";
    name[5] = (char)('a' + i);
    EQ(make_file(3, name, "x"), 0);
  }
  list_with(d, sizeof dbuf);
  list_with(d, 24 + 8);  /* one short name per call */
  list_with(d, 29);      /* never two entries: each call cuts one short */
  /* tiny and empty buffers: filled to the brim, nothing else */
  u32 used = 99;
  memset(dbuf, 0xab, 64);
  EQ(w_fd_readdir(d, P(dbuf), 10, 0, P(&used)), 0);
  EQ(used, 10);
  EQ(dbuf[10], 0xab);
  EQ(w_fd_readdir(d, P(dbuf), 0, 0, P(&used)), 0);
  EQ(used, 0);
  /* bogus cookies: an error or an empty tail, never a crash */
  EQ(w_fd_readdir(d, P(dbuf), sizeof dbuf, ~(u64)0, P(&used)), E_INVAL);
  EQ(w_fd_readdir(d, P(dbuf), sizeof dbuf, (u64)1 << 63, P(&used)), E_INVAL);
  used = 12345;
  u32 e = w_fd_readdir(d, P(dbuf), sizeof dbuf, ~(u64)0 >> 1, P(&used));
  OK((e == 0 && used == 0) || e == E_INVAL);
  e = w_fd_readdir(d, P(dbuf), sizeof dbuf, 0x123456789ull, P(&used));
  OK(e == E_INVAL || (e == 0 && used <= sizeof dbuf));
  /* errors */
  EQ(w_fd_readdir(d, mem_end() - 8, 64, 0, P(&used)), E_FAULT);
  EQ(w_fd_readdir(d, P(dbuf), 64, 0, mem_end() - 1), E_FAULT);
  EQ(w_fd_readdir(99, P(dbuf), 64, 0, P(&used)), E_BADF);
  EQ(open_at(3, 0, "rd/e_c", 0, R_READ, 0, 0, &fd), 0);
  EQ(w_fd_readdir(fd, P(dbuf), 64, 0, P(&used)), E_NOTDIR);
  EQ(w_fd_close(fd), 0);
  EQ(open_at(3, 0, "rd", O_DIRECTORY_, R_PATH_STAT, 0, 0, &fd), 0);
  EQ(w_fd_readdir(fd, P(dbuf), 64, 0, P(&used)), E_NOTCAPABLE);
  EQ(w_fd_close(fd), 0);
  EQ(w_fd_close(d), 0);
  /* the read-only grant lists too */
  used = 0;
  EQ(w_fd_readdir(4, P(dbuf), sizeof dbuf, 0, P(&used)), 0);
  OK(used > 24 && used < sizeof dbuf);
}

int main(void) {
  check_rw();
  check_rights_needed();
  check_fdstat();
  check_filestat();
  check_times_sync();
  check_close_renumber();
  check_prestat();
  check_readdir();
  return finish("conform_fd");
}
