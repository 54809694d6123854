/*
** wts_cli.c — the small command-line chores every guest program has:
** "--name VALUE" / "--name=VALUE" options, counts, error reports with the
** WASI-NN errno's name, and the median/p90 of repeated timings. The
** examples use these so their options and messages behave alike.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasitorch_sdk.h"

const char *wts_option_value(int argc, char **argv, int *i, const char *name,
                             int *missing)
{
  size_t n = strlen(name);
  const char *a = argv[*i];
  if (strncmp(a, name, n) != 0)
    return NULL;
  if (a[n] == '=')
    return a + n + 1;
  if (a[n] != '\0')
    return NULL;
  if (*i + 1 >= argc) {
    *missing = 1;
    return NULL;
  }
  return argv[++*i];
}

int wts_parse_count(const char *s, unsigned long max, unsigned *out)
{
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (s[0] < '0' || s[0] > '9' || *end || errno || v == 0 || v > max || v > 0xffffffffUL)
    return -1;
  *out = (unsigned)v;
  return 0;
}

int wts_report(const char *prog, const char *what, const char *subject, uint32_t err)
{
  if (err == WTS_ERR_IO)
    fprintf(stderr, "%s: %s '%s': %s\n", prog, what, subject, strerror(errno));
  else
    fprintf(stderr, "%s: %s '%s': %s (wasi-nn errno %u)\n", prog, what, subject,
            wts_errno_name(err), (unsigned)err);
  return 1;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void wts_latency_stats(double *lat, size_t n, double *median, double *p90)
{
  if (n == 0) {
    *median = *p90 = 0;
    return;
  }
  qsort(lat, n, sizeof lat[0], cmp_double);
  size_t mid = n / 2;
  *median = n % 2 ? lat[mid] : (lat[mid - 1] + lat[mid]) / 2;
  *p90 = lat[(n * 9 + 9) / 10 - 1]; /* nearest rank: ceil(0.9 n) - 1 */
}
