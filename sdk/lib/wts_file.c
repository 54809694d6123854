/*
** wts_file.c — whole-file read and write through WASI stdio.
** Pure C: also compiles natively for the unit test.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "wasitorch_sdk.h"

/* Files are read in growing chunks; the first one fits a small image. */
#define WTS_READ_CHUNK 65536u

/*
** Read all of `path`. Growth doubles the buffer, so a model of N bytes costs
** O(N) copying. No fseek/ftell: those need fd_seek and fail on pipes.
*/
uint32_t wts_read_file(const char *path, uint8_t **data, size_t *len)
{
  *data = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return WTS_ERR_IO;
  size_t cap = WTS_READ_CHUNK, n = 0;
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
