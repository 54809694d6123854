/*
** files.c — file-system WASI through wasi-libc (what C programs really
** call), in the preopen "/sandbox": stdio streams, open flags, lseek,
** pread/pwrite, stat, ftruncate, utimensat, mkdir, readdir over many
** entries (several fd_readdir calls with cookies), rename, link, symlink,
** readlink, unlink, rmdir, poll. Exit status = number of mismatches.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;
#define EXPECT(c) do { if (!(c)) { failures++; printf("FAIL %s:%d: %s (errno %d)\n", __FILE__, __LINE__, #c, errno); } } while (0)

static void check_stdio_file(void) {
  FILE *f = fopen("/sandbox/hello.txt", "w");
  EXPECT(f != NULL);
  if (!f) return;
  EXPECT(fprintf(f, "line %d\nsecond\n", 1) == 14);
  EXPECT(fclose(f) == 0);
  char buf[64] = {0};
  f = fopen("/sandbox/hello.txt", "r");
  EXPECT(f && fgets(buf, sizeof buf, f) && strcmp(buf, "line 1\n") == 0);
  if (f) fclose(f);
  f = fopen("/sandbox/hello.txt", "a");
  EXPECT(f && fputs("third\n", f) >= 0);
  if (f) fclose(f);
  struct stat st;
  EXPECT(stat("/sandbox/hello.txt", &st) == 0 && st.st_size == 20 && S_ISREG(st.st_mode));
}

static void check_fd_ops(void) {
  int fd = open("/sandbox/data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  EXPECT(fd >= 0);
  EXPECT(write(fd, "0123456789", 10) == 10);
  EXPECT(lseek(fd, 2, SEEK_SET) == 2);
  char b[8] = {0};
  EXPECT(read(fd, b, 3) == 3 && memcmp(b, "234", 3) == 0);
  EXPECT(pread(fd, b, 4, 6) == 4 && memcmp(b, "6789", 4) == 0);
  EXPECT(pwrite(fd, "AB", 2, 0) == 2);
  EXPECT(lseek(fd, 0, SEEK_CUR) == 5);
  EXPECT(lseek(fd, -1, SEEK_END) == 9);
  EXPECT(ftruncate(fd, 4) == 0);
  struct stat st;
  EXPECT(fstat(fd, &st) == 0 && st.st_size == 4);
  EXPECT(fsync(fd) == 0 && fdatasync(fd) == 0);
  EXPECT(posix_fadvise(fd, 0, 4, POSIX_FADV_SEQUENTIAL) == 0);
  struct timespec ts[2] = {{1000, 5}, {2000, 7}};
  EXPECT(futimens(fd, ts) == 0);
  EXPECT(fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 2000 && st.st_mtim.tv_nsec == 7);
  EXPECT(st.st_atim.tv_sec == 1000);
  EXPECT(fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(fd, F_GETFL) & O_APPEND));
  EXPECT(pread(fd, b, 4, 0) == 4 && memcmp(b, "AB23", 4) == 0);
  EXPECT(close(fd) == 0);
  EXPECT(close(fd) == -1 && errno == EBADF);
  EXPECT(open("/sandbox/data.bin", O_RDWR | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
  EXPECT(open("/sandbox/missing", O_RDONLY) == -1 && errno == ENOENT);
  EXPECT(open("/sandbox/data.bin/x", O_RDONLY) == -1 && errno == ENOTDIR);
  fd = open("/sandbox/data.bin", O_RDONLY);
  EXPECT(fd >= 0 && write(fd, "x", 1) == -1 && errno == EBADF);
  struct pollfd p = {.fd = fd, .events = POLLIN};
  EXPECT(poll(&p, 1, 1000) == 1 && (p.revents & POLLIN));
  close(fd);
  EXPECT(isatty(fd) == 0);
}

/* 150 files: more than one fd_readdir buffer, so cookies must resume. */
static void check_dirs(void) {
  EXPECT(mkdir("/sandbox/many", 0755) == 0);
  EXPECT(mkdir("/sandbox/many", 0755) == -1 && errno == EEXIST);
  char p[96];
  for (int i = 0; i < 150; i++) {
    snprintf(p, sizeof p, "/sandbox/many/file_with_a_longish_name_%03d", i);
    int fd = open(p, O_WRONLY | O_CREAT, 0644);
    EXPECT(fd >= 0);
    close(fd);
  }
  DIR *d = opendir("/sandbox/many");
  EXPECT(d != NULL);
  int seen[150] = {0}, total = 0, dots = 0;
  struct dirent *e;
  while (d && (e = readdir(d))) {
    total++;
    int n;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) { dots++; continue; }
    if (sscanf(e->d_name, "file_with_a_longish_name_%d", &n) == 1 && n >= 0 && n < 150) {
      seen[n]++;
      EXPECT(e->d_type == DT_REG);
    }
  }
  if (d) closedir(d);
  EXPECT(total == 152 && dots == 2);
  for (int i = 0; i < 150; i++) EXPECT(seen[i] == 1);
  for (int i = 0; i < 150; i++) {
    snprintf(p, sizeof p, "/sandbox/many/file_with_a_longish_name_%03d", i);
    EXPECT(unlink(p) == 0);
  }
  EXPECT(rmdir("/sandbox/many") == 0);
  EXPECT(rmdir("/sandbox/many") == -1 && errno == ENOENT);
}

static void check_links(void) {
  struct stat st;
  EXPECT(rename("/sandbox/hello.txt", "/sandbox/renamed.txt") == 0);
  EXPECT(access("/sandbox/hello.txt", F_OK) == -1 && errno == ENOENT);
  EXPECT(link("/sandbox/renamed.txt", "/sandbox/hard.txt") == 0);
  EXPECT(stat("/sandbox/renamed.txt", &st) == 0 && st.st_nlink == 2);
  EXPECT(symlink("renamed.txt", "/sandbox/sym") == 0);
  char buf[64] = {0};
  EXPECT(readlink("/sandbox/sym", buf, sizeof buf) == 11 && strcmp(buf, "renamed.txt") == 0);
  EXPECT(lstat("/sandbox/sym", &st) == 0 && S_ISLNK(st.st_mode));
  EXPECT(stat("/sandbox/sym", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 20);
  EXPECT(unlink("/sandbox/sym") == 0 && unlink("/sandbox/hard.txt") == 0);
  EXPECT(unlink("/sandbox/renamed.txt") == 0 && unlink("/sandbox/data.bin") == 0);
  EXPECT(mkdir("/sandbox/dir", 0755) == 0);
  EXPECT(unlink("/sandbox/dir") == -1 && (errno == EISDIR || errno == EPERM));
  EXPECT(rmdir("/sandbox/dir") == 0);
}

int main(void) {
  check_stdio_file();
  check_fd_ops();
  check_dirs();
  check_links();
  printf("files: failures=%d\n", failures);
  return failures;
}
