/*
** wt_check.h — the counting CHECK shared by the plain-C test programs.
**
** A failed CHECK prints file, line and the expression and is counted; the
** program keeps going so one run reports every broken case, and
** wt_check_finish() turns the count into the exit status CTest reads.
** Each test program is its own executable, so the counter is per program.
*/
#ifndef WT_CHECK_H
#define WT_CHECK_H

#include <stdio.h>

static int wt_check_failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      wt_check_failures++;                                                     \
    }                                                                          \
  } while (0)

/* Prints the summary line for `suite` and returns the exit status. */
static inline int wt_check_finish(const char *suite) {
  if (wt_check_failures) {
    fprintf(stderr, "%s: %d check(s) failed\n", suite, wt_check_failures);
    return 1;
  }
  printf("%s: all checks passed\n", suite);
  return 0;
}

#endif
