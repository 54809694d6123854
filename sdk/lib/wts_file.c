/*
** wts_file.c — whole-file read and write through WASI stdio.
** Pure C: also compiles natively for the unit test.
*/
/* fileno/fstat are POSIX, hidden by a strict -std=c11 without this. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "wasitorch_sdk.h"

/* Files are read in growing chunks; the first one fits a small image. */
#define WTS_READ_CHUNK 65536u

/*
** First buffer size: a regular file's size plus one byte (so EOF is seen
** without growing), else one chunk. Sizing up front matters for models: in
** an interpreter every realloc copy of a 14 MB buffer costs real time.
*/
static size_t initial_capacity(FILE *f)
{
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (unsigned long long)st.st_size < SIZE_MAX / 2)
    return (size_t)st.st_size + 1;
  return WTS_READ_CHUNK;
}

/*
** Read all of `path`. The size is only a hint (the file may change while
** read); growth doubles the buffer, so N bytes cost O(N) copying. No
** fseek/ftell: those need fd_seek and fail on pipes.
*/
uint32_t wts_read_file(const char *path, uint8_t **data, size_t *len)
{
  *data = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return WTS_ERR_IO;
  size_t cap = initial_capacity(f), n = 0;
  uint8_t *buf = malloc(cap);
  uint32_t err = buf ? 0 : WTS_ERR_NOMEM;
  while (!err) {
    if (n == cap) {
      uint8_t *grown = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
      if (!grown) {
        err = WTS_ERR_NOMEM;
        break;
      }
      buf = grown;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f))
        err = WTS_ERR_IO;
      break;
    }
  }
  int saved = errno;
  fclose(f);
  if (err) {
    free(buf);
    errno = saved;
    return err;
  }
  *data = buf;
  *len = n;
  return 0;
}

/* Write a whole buffer; a short write or a failing close is an I/O error. */
uint32_t wts_write_file(const char *path, const void *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  if (!f)
    return WTS_ERR_IO;
  size_t put = len ? fwrite(data, 1, len, f) : 0;
  int close_failed = fclose(f) != 0;
  return (put != len || close_failed) ? WTS_ERR_IO : 0;
}
