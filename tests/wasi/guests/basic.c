/*
** basic.c — start-up and process-level WASI through wasi-libc: argv,
** environ, clocks, sleep (poll_oneoff), randomness, stdio, exit codes.
**
**   basic check one "two words"   (env WT_TEST=42)  → prints a report, exit 0
**   basic exit N                                    → exit(N) via proc_exit
** Every mismatch prints "FAIL ..." and the exit status counts them.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures;
#define EXPECT(c) do { if (!(c)) { failures++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static long long ns(clockid_t id) {
  struct timespec t;
  if (clock_gettime(id, &t) != 0) return -1;
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void check_clocks(void) {
  long long m0 = ns(CLOCK_MONOTONIC);
  struct timespec d = {0, 20 * 1000 * 1000};
  EXPECT(nanosleep(&d, NULL) == 0);
  long long m1 = ns(CLOCK_MONOTONIC);
  EXPECT(m0 > 0 && m1 - m0 >= 20 * 1000 * 1000);
  EXPECT(m1 - m0 < 2000LL * 1000 * 1000);
  EXPECT(ns(CLOCK_REALTIME) > 1600000000LL * 1000000000LL);
  EXPECT(ns(CLOCK_PROCESS_CPUTIME_ID) >= 0);
  EXPECT(ns(CLOCK_THREAD_CPUTIME_ID) >= 0);
  struct timespec r;
  EXPECT(clock_getres(CLOCK_MONOTONIC, &r) == 0 && (r.tv_sec > 0 || r.tv_nsec > 0));
}

static void check_random(void) {
  unsigned char a[32], b[32];
  EXPECT(getentropy(a, sizeof a) == 0);
  EXPECT(getentropy(b, sizeof b) == 0);
  EXPECT(memcmp(a, b, sizeof a) != 0);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "exit") == 0) {
    fflush(stdout);
    exit(atoi(argv[2]));
  }
  EXPECT(argc == 4);
  EXPECT(strstr(argv[0], "basic") != NULL); /* the module path as run */
  EXPECT(argc > 2 && strcmp(argv[1], "check") == 0 && strcmp(argv[2], "one") == 0);
  EXPECT(argc > 3 && strcmp(argv[3], "two words") == 0);
  const char *v = getenv("WT_TEST");
  EXPECT(v && strcmp(v, "42") == 0);
  EXPECT(getenv("WT_ABSENT") == NULL);
  check_clocks();
  check_random();
  EXPECT(fprintf(stderr, "basic: stderr works\n") > 0);
  printf("basic: args=%d env=%s failures=%d\n", argc, v ? v : "(null)", failures);
  return failures;
}
