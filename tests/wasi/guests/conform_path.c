/*
** conform_path.c — preview1 conformance for the path_* calls: path_open
** with every oflag, fdflag and lookup flag and with rights (narrowed to the
** file type, bounded by the directory's inheriting rights, needed rights on
** the directory), create/remove directory, filestat get/set_times, link,
** symlink, readlink, rename and unlink semantics with their errnos.
**
** Grants: fd 3 = "/sandbox" (rw), fd 4 = "/ro" (read-only, holds data.txt
** "hello" and sub/), fd 5 = "/other" (rw, a second grant on the same file
** system).
*/
#include "wasi_raw.h"

static u32 fd, fd2, n;
static uint8_t st[64], fs[24];
static char buf[256];

static void check_open_oflags(void) {
  EQ(open_at(3, 0, "new.txt", 0, R_READ, 0, 0, &fd), E_NOENT);
  EQ(open_at(3, 0, "new.txt", O_CREAT_, R_READ | R_WRITE, 0, 0, &fd), 0);
  EQ(write_str(fd, "content", &n), 0);
  EQ(w_fd_close(fd), 0);
  EQ(open_at(3, 0, "new.txt", O_CREAT_ | O_EXCL_, R_READ, 0, 0, &fd), E_EXIST);
  EQ(open_at(3, 0, "new.txt", O_CREAT_, R_READ, 0, 0, &fd), 0); /* existing: opened as is */
  EQ(w_fd_close(fd), 0);
  EQ(size_of(3, "new.txt"), 7);
  EQ(open_at(3, 0, "new.txt", O_TRUNC_, R_WRITE, 0, 0, &fd), 0);
  EQ(w_fd_close(fd), 0);
  EQ(size_of(3, "new.txt"), 0);
  EQ(open_at(3, 0, "new.txt", O_DIRECTORY_, R_READ, 0, 0, &fd), E_NOTDIR);
  EQ(open_at(3, 0, "new.txt/", 0, R_READ, 0, 0, &fd), E_NOTDIR);
  EQ(open_at(3, 0, "new.txt/x", 0, R_READ, 0, 0, &fd), E_NOTDIR);
  /* a directory cannot be created, truncated or made exclusive by path_open */
  EQ(open_at(3, 0, "nd", O_CREAT_ | O_DIRECTORY_, R_READ, 0, 0, &fd), E_INVAL);
  EQ(open_at(3, 0, ".", O_TRUNC_ | O_DIRECTORY_, R_READ, 0, 0, &fd), E_INVAL);
  EQ(open_at(3, 0, ".", O_EXCL_ | O_DIRECTORY_, R_READ, 0, 0, &fd), E_INVAL);
  EQ(open_at(3, 0, "nd", 0, R_READ, 0, 0, &fd), E_NOENT); /* nothing was created */
  EQ(open_at(3, 0, "new.txt", 0x10, R_READ, 0, 0, &fd), E_INVAL);
  EQ(open_at(3, 0, "new.txt", 0, R_READ, 0, 0x20, &fd), E_INVAL);
  EQ(open_at(3, 0, "", 0, R_READ, 0, 0, &fd), E_NOENT);
  EQ(w_path_open(3, 0, S("new.txt"), 0, R_READ, 0, 0, mem_end() - 2), E_FAULT);
  EQ(w_path_open(3, 0, P("a\0b"), 3, 0, R_READ, 0, 0, P(&fd)), E_ILSEQ);
  /* writing a directory is EISDIR */
  EQ(open_at(3, 0, ".", 0, R_READ | R_WRITE, 0, 0, &fd), E_ISDIR);
}

static void check_open_fdflags(void) {
  EQ(open_at(3, 0, "new.txt", 0, R_WRITE | R_READ, 0, FD_APPEND | FD_NONBLOCK, &fd), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_FLAGS(fs), FD_APPEND | FD_NONBLOCK);
  EQ(write_str(fd, "abc", &n), 0);
  EQ(write_str(fd, "def", &n), 0);
  EQ(w_fd_close(fd), 0);
  EQ(size_of(3, "new.txt"), 6);
  EQ(open_at(3, 0, "new.txt", 0, R_WRITE, 0, FD_DSYNC, &fd), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_FLAGS(fs), FD_DSYNC);
  EQ(w_fd_close(fd), 0);
  EQ(open_at(3, 0, "new.txt", 0, R_WRITE, 0, FD_SYNC, &fd), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_FLAGS(fs), FD_SYNC);
  EQ(w_fd_close(fd), 0);
}

static void check_open_rights(void) {
  /* rights are narrowed to what applies to the file type ... */
  EQ(open_at(3, 0, "new.txt", 0, R_ALL, R_ALL, 0, &fd), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_TYPE(fs), FT_REG);
  EQ(FS_BASE(fs), R_FILE_ALL);
  EQ(FS_INH(fs), 0);
  EQ(w_fd_close(fd), 0);
  /* ... unknown bits above the 30 defined rights are ignored ... */
  EQ(open_at(3, 0, "new.txt", 0, ~(u64)0, ~(u64)0, 0, &fd), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_BASE(fs), R_FILE_ALL);
  EQ(w_fd_close(fd), 0);
  EQ(w_path_create_directory(3, S("d")), 0);
  EQ(open_at(3, 0, "d", O_DIRECTORY_, R_ALL, R_ALL, 0, &fd), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_TYPE(fs), FT_DIR);
  EQ(FS_BASE(fs), R_DIR_ALL);
  EQ(FS_INH(fs), R_ALL);
  EQ(w_fd_close(fd), 0);
  /* ... and bounded by the directory's inheriting rights */
  EQ(open_at(3, 0, "d", O_DIRECTORY_, R_PATH_OPEN | R_CREATE_FILE, R_READ, 0, &fd), 0);
  EQ(w_fd_fdstat_get(fd, P(fs)), 0);
  EQ(FS_BASE(fs), R_PATH_OPEN | R_CREATE_FILE);
  EQ(FS_INH(fs), R_READ);
  EQ(open_at(fd, 0, "f", O_CREAT_, R_READ, 0, 0, &fd2), 0);
  EQ(w_fd_close(fd2), 0);
  EQ(open_at(fd, 0, "f", 0, R_READ | R_WRITE, 0, 0, &fd2), E_NOTCAPABLE);
  EQ(open_at(fd, 0, "f", 0, R_READ, R_READ | R_WRITE, 0, &fd2), E_NOTCAPABLE); /* inheriting too */
  EQ(open_at(fd, 0, "f", O_TRUNC_, R_READ, 0, 0, &fd2), E_NOTCAPABLE); /* needs PATH_FILESTAT_SET_SIZE */
  EQ(w_path_create_directory(fd, S("x")), E_NOTCAPABLE);
  EQ(w_fd_close(fd), 0);
  EQ(open_at(3, 0, "d", O_DIRECTORY_, R_PATH_STAT, R_ALL, 0, &fd), 0);
  EQ(open_at(fd, 0, "f", 0, R_READ, 0, 0, &fd2), E_NOTCAPABLE); /* no PATH_OPEN */
  EQ(w_fd_close(fd), 0);
  EQ(open_at(3, 0, "d", O_DIRECTORY_, R_PATH_OPEN, R_ALL, 0, &fd), 0);
  EQ(open_at(fd, 0, "g", O_CREAT_, R_READ, 0, 0, &fd2), E_NOTCAPABLE); /* no PATH_CREATE_FILE */
  EQ(w_fd_close(fd), 0);
  /* a file is no directory */
  EQ(open_at(3, 0, "new.txt", 0, R_READ, 0, 0, &fd), 0);
  EQ(open_at(fd, 0, "x", 0, R_READ, 0, 0, &fd2), E_NOTDIR);
  EQ(w_path_create_directory(fd, S("x")), E_NOTDIR);
  EQ(w_fd_close(fd), 0);
}

static void check_lookup_flags(void) {
  EQ(w_path_symlink(S("new.txt"), 3, S("lnk")), 0);
  EQ(w_path_symlink(S("d"), 3, S("dlnk")), 0);
  EQ(open_at(3, FOLLOW, "lnk", 0, R_READ | R_FSTAT, 0, 0, &fd), 0);
  EQ(w_fd_filestat_get(fd, P(st)), 0);
  EQ(ST_TYPE(st), FT_REG);
  EQ(w_fd_close(fd), 0);
  EQ(open_at(3, 0, "lnk", 0, R_READ, 0, 0, &fd), E_LOOP);
  EQ(open_at(3, 0xfffffffe, "lnk", 0, R_READ, 0, 0, &fd), E_LOOP); /* unknown bits ignored */
  EQ(open_at(3, 0xffffffff, "lnk", 0, R_READ, 0, 0, &fd), 0);
  EQ(w_fd_close(fd), 0);
  /* intermediate links are always followed */
  EQ(open_at(3, 0, "dlnk/f", 0, R_READ, 0, 0, &fd), 0);
  EQ(w_fd_close(fd), 0);
  EQ(open_at(3, FOLLOW, "dlnk", O_DIRECTORY_, R_READDIR, 0, 0, &fd), 0);
  EQ(w_fd_close(fd), 0);
  /* path_filestat_get follows only when asked */
  EQ(w_path_filestat_get(3, 0, S("lnk"), P(st)), 0);
  EQ(ST_TYPE(st), FT_SYMLINK);
  EQ(ST_SIZE(st), 7);
  EQ(w_path_filestat_get(3, FOLLOW, S("lnk"), P(st)), 0);
  EQ(ST_TYPE(st), FT_REG);
  EQ(w_path_filestat_get(3, 0, S("dlnk/"), P(st)), 0); /* a trailing slash resolves the link */
  EQ(ST_TYPE(st), FT_DIR);
  EQ(w_path_filestat_get(3, 0, S("missing"), P(st)), E_NOENT);
  EQ(w_path_filestat_get(3, 0, S("new.txt/"), P(st)), E_NOTDIR);
  EQ(w_path_filestat_get(3, 0, S("new.txt"), mem_end() - 8), E_FAULT);
}

static void check_set_times(void) {
  EQ(w_path_filestat_set_times(3, FOLLOW, S("lnk"), 11000000001ull, 22000000002ull, FST_ATIM | FST_MTIM), 0);
  EQ(w_path_filestat_get(3, 0, S("new.txt"), P(st)), 0);
  EQ(ST_ATIM(st), 11000000001ull);
  EQ(ST_MTIM(st), 22000000002ull);
  EQ(w_path_filestat_set_times(3, 0, S("new.txt"), 0, 33000000003ull, FST_MTIM), 0);
  EQ(w_path_filestat_get(3, 0, S("new.txt"), P(st)), 0);
  EQ(ST_ATIM(st), 11000000001ull);
  EQ(ST_MTIM(st), 33000000003ull);
  /* not following: the link's own times change, the target's stay */
  EQ(w_path_filestat_set_times(3, 0, S("lnk"), 0, 44000000004ull, FST_MTIM), 0);
  EQ(w_path_filestat_get(3, 0, S("lnk"), P(st)), 0);
  EQ(ST_MTIM(st), 44000000004ull);
  EQ(w_path_filestat_get(3, 0, S("new.txt"), P(st)), 0);
  EQ(ST_MTIM(st), 33000000003ull);
  u64 before = now_ns(CLK_REALTIME);
  EQ(w_path_filestat_set_times(3, 0, S("new.txt"), 0, 0, FST_MTIM_NOW), 0);
  EQ(w_path_filestat_get(3, 0, S("new.txt"), P(st)), 0);
  OK(ST_MTIM(st) + 20000000 >= before);
  EQ(ST_ATIM(st), 11000000001ull);
  EQ(w_path_filestat_set_times(3, 0, S("new.txt"), 0, 0, FST_ATIM | FST_ATIM_NOW), E_INVAL);
  EQ(w_path_filestat_set_times(3, 0, S("new.txt"), 0, 0, FST_MTIM | FST_MTIM_NOW), E_INVAL);
  EQ(w_path_filestat_set_times(3, 0, S("new.txt"), 0, 0, 0x40), E_INVAL);
  EQ(w_path_filestat_set_times(3, 0, S("missing"), 0, 0, FST_MTIM_NOW), E_NOENT);
  EQ(w_path_filestat_set_times(4, 0, S("data.txt"), 0, 0, FST_MTIM_NOW), E_ROFS);
}

static void check_dirs(void) {
  EQ(w_path_create_directory(3, S("d")), E_EXIST);
  EQ(w_path_create_directory(3, S("d2/")), 0);
  EQ(w_path_create_directory(3, S("d2/sub")), 0);
  EQ(w_path_create_directory(3, S("nope/sub")), E_NOENT);
  EQ(w_path_create_directory(3, S("new.txt/sub")), E_NOTDIR);
  EQ(w_path_create_directory(3, S("new.txt")), E_EXIST);
  EQ(w_path_create_directory(3, S(".")), E_EXIST);
  EQ(w_path_create_directory(3, S("")), E_NOENT);
  EQ(w_path_create_directory(3, S("lnk")), E_EXIST);
  EQ(w_path_remove_directory(3, S("d2")), E_NOTEMPTY);
  EQ(w_path_remove_directory(3, S("new.txt")), E_NOTDIR);
  EQ(w_path_remove_directory(3, S("dlnk")), E_NOTDIR); /* a link to a directory is no directory */
  EQ(w_path_remove_directory(3, S("missing")), E_NOENT);
  EQ(w_path_remove_directory(3, S(".")), E_INVAL);
  EQ(w_path_remove_directory(3, S("d2/sub/")), 0);
  EQ(w_path_remove_directory(3, S("d2")), 0);
  EQ(w_path_filestat_get(3, 0, S("d2"), P(st)), E_NOENT);
  EQ(w_path_remove_directory(4, S("sub")), E_ROFS);
}

static void check_links(void) {
  static u32 used;
  EQ(make_file(3, "orig.txt", "12345"), 0);
  static uint8_t o[64];
  EQ(w_path_filestat_get(3, 0, S("orig.txt"), P(o)), 0);
  EQ(w_path_link(3, 0, S("orig.txt"), 3, S("hard.txt")), 0);
  EQ(w_path_filestat_get(3, 0, S("hard.txt"), P(st)), 0);
  EQ(ST_INO(st), ST_INO(o));
  EQ(ST_NLINK(st), 2);
  EQ(w_path_link(3, 0, S("orig.txt"), 3, S("hard.txt")), E_EXIST);
  EQ(w_path_link(3, 0, S("missing"), 3, S("h2")), E_NOENT);
  EQ(w_path_link(3, 0, S("d"), 3, S("dhard")), E_PERM);
  EQ(w_path_link(3, 0, S("orig.txt"), 3, S("nope/h")), E_NOENT);
  /* a link across grants on one file system works */
  EQ(w_path_link(3, 0, S("orig.txt"), 5, S("cross.txt")), 0);
  EQ(w_path_filestat_get(5, 0, S("cross.txt"), P(st)), 0);
  EQ(ST_INO(st), ST_INO(o));
  EQ(w_path_unlink_file(5, S("cross.txt")), 0);
  /* following a symlink source links its target; not following, the link */
  EQ(w_path_symlink(S("orig.txt"), 3, S("olnk")), 0);
  EQ(w_path_link(3, FOLLOW, S("olnk"), 3, S("via_follow")), 0);
  EQ(w_path_filestat_get(3, 0, S("via_follow"), P(st)), 0);
  EQ(ST_TYPE(st), FT_REG);
  EQ(ST_INO(st), ST_INO(o));
  EQ(w_path_link(3, 0, S("olnk"), 3, S("via_nofollow")), 0);
  EQ(w_path_filestat_get(3, 0, S("via_nofollow"), P(st)), 0);
  EQ(ST_TYPE(st), FT_SYMLINK);
  /* symlink and readlink */
  EQ(w_path_symlink(S("orig.txt"), 3, S("olnk")), E_EXIST);
  EQ(w_path_symlink(S("nowhere/at/all"), 3, S("dangling")), 0);
  EQ(w_path_readlink(3, S("dangling"), P(buf), sizeof buf, P(&used)), 0);
  EQ(used, 14);
  EQ(memcmp(buf, "nowhere/at/all", 14), 0);
  memset(buf, 'q', 16);
  EQ(w_path_readlink(3, S("dangling"), P(buf), 4, P(&used)), 0); /* truncated to the buffer */
  EQ(used, 4);
  EQ(memcmp(buf, "nowhq", 5), 0);
  EQ(w_path_readlink(3, S("orig.txt"), P(buf), sizeof buf, P(&used)), E_INVAL);
  EQ(w_path_readlink(3, S("missing"), P(buf), sizeof buf, P(&used)), E_NOENT);
  EQ(w_path_readlink(3, S("dangling"), mem_end() - 2, 8, P(&used)), E_FAULT);
  EQ(w_path_readlink(3, S("dangling"), P(buf), 8, mem_end()), E_FAULT);
  EQ(open_at(3, FOLLOW, "dangling", 0, R_READ, 0, 0, &fd), E_NOENT);
  EQ(w_path_symlink(S("x"), 3, S("missing_dir/l")), E_NOENT);
  EQ(w_path_symlink(S("x"), 4, S("l")), E_ROFS);
}

static void check_rename_unlink(void) {
  static uint8_t o[64];
  EQ(w_path_filestat_get(3, 0, S("orig.txt"), P(o)), 0);
  EQ(w_path_rename(3, S("orig.txt"), 3, S("moved.txt")), 0);
  EQ(w_path_filestat_get(3, 0, S("orig.txt"), P(st)), E_NOENT);
  EQ(w_path_filestat_get(3, 0, S("moved.txt"), P(st)), 0);
  EQ(ST_INO(st), ST_INO(o));
  EQ(make_file(3, "victim.txt", "v"), 0);
  EQ(w_path_rename(3, S("moved.txt"), 3, S("victim.txt")), 0); /* replaces a file */
  EQ(size_of(3, "victim.txt"), 5);
  EQ(w_path_rename(3, S("missing"), 3, S("x")), E_NOENT);
  EQ(w_path_create_directory(3, S("full")), 0);
  EQ(make_file(3, "full/f", "f"), 0);
  EQ(w_path_create_directory(3, S("empty")), 0);
  EQ(w_path_rename(3, S("d"), 3, S("full")), E_NOTEMPTY);
  EQ(w_path_rename(3, S("victim.txt"), 3, S("empty")), E_ISDIR);
  EQ(w_path_rename(3, S("empty"), 3, S("victim.txt")), E_NOTDIR);
  EQ(w_path_rename(3, S("empty"), 3, S("full/inside")), 0);
  EQ(w_path_rename(3, S("full"), 3, S("full/inside/deeper")), E_INVAL); /* into itself */
  EQ(w_path_rename(3, S("victim.txt/"), 3, S("v2")), E_NOTDIR);
  EQ(w_path_rename(3, S("full/"), 3, S("full2/")), 0);
  /* across two read-write grants */
  EQ(w_path_rename(3, S("victim.txt"), 5, S("moved_over.txt")), 0);
  EQ(size_of(5, "moved_over.txt"), 5);
  EQ(w_path_rename(5, S("moved_over.txt"), 3, S("victim.txt")), 0);
  EQ(w_path_rename(3, S("victim.txt"), 4, S("x")), E_ROFS);
  EQ(w_path_rename(4, S("data.txt"), 3, S("x")), E_ROFS);
  /* unlink */
  EQ(w_path_unlink_file(3, S("victim.txt")), 0);
  EQ(w_path_unlink_file(3, S("victim.txt")), E_NOENT);
  EQ(w_path_unlink_file(3, S("full2")), E_ISDIR);
  EQ(w_path_unlink_file(3, S("full2/")), E_ISDIR);
  EQ(w_path_unlink_file(3, S("full2/f/")), E_NOTDIR);
  EQ(w_path_unlink_file(3, S("lnk")), 0); /* the link, not its target */
  EQ(size_of(3, "new.txt"), 6);
  EQ(w_path_unlink_file(3, S("dlnk")), 0);
  EQ(w_path_filestat_get(3, 0, S("d"), P(st)), 0);
  EQ(w_path_unlink_file(3, S(".")), E_ISDIR);
  EQ(w_path_unlink_file(4, S("data.txt")), E_ROFS);
  EQ(w_path_unlink_file(99, S("x")), E_BADF);
  EQ(w_path_unlink_file(3, mem_end() - 1, 4), E_FAULT);
}

int main(void) {
  check_open_oflags();
  check_open_fdflags();
  check_open_rights();
  check_lookup_flags();
  check_set_times();
  check_dirs();
  check_links();
  check_rename_unlink();
  return finish("conform_path");
}
