/*
** labels.c — load a class-name list, one name per line.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"
#include "wasitorch_sdk.h"

/*
** Split the file in place: every '\n' becomes a NUL and a trailing '\r'
** (files written on Windows) is dropped. A final line without '\n' counts.
*/
int labels_load(const char *path, labels *out)
{
  uint8_t *raw;
  size_t len;
  memset(out, 0, sizeof *out);
  uint32_t err = wts_read_file(path, &raw, &len);
  if (err) {
    if (err == WTS_ERR_NOMEM)
      errno = ENOMEM;
    return -1;
  }
  char *text = realloc(raw, len + 1); /* room for a terminating NUL */
  if (!text) {
    free(raw);
    errno = ENOMEM;
    return -1;
  }
  text[len] = '\0';
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += text[i] == '\n';
  if (len > 0 && text[len - 1] != '\n')
    n++;
  char **lines = malloc(sizeof(char *) * (n ? n : 1));
  if (!lines) {
    free(text);
    errno = ENOMEM;
    return -1;
  }
  char *p = text;
  for (size_t k = 0; k < n; k++) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = '\0';
    size_t l = strlen(p);
    if (l > 0 && p[l - 1] == '\r')
      p[l - 1] = '\0';
    lines[k] = p;
    p = nl ? nl + 1 : p + l;
  }
  out->text = text;
  out->lines = lines;
  out->count = n;
  return 0;
}

const char *labels_get(const labels *l, uint32_t i)
{
  return i < l->count ? l->lines[i] : "-";
}

void labels_free(labels *l)
{
  free(l->lines);
  free(l->text);
  memset(l, 0, sizeof *l);
}
