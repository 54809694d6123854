/*
** test_sdk_native.c — unit tests for the target-independent parts of the
** guest SDK (top-k, softmax, errno names, element sizes, file helpers),
** compiled natively so they run without a Wasm runtime.
*/
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wasitorch_sdk.h"

/* Distinct values: the order is simply by value, and k clamps to n. */
static void topk_orders_by_value(void **state)
{
  (void)state;
  const float v[] = {0.1f, 3.0f, -2.0f, 7.5f, 3.5f, 0.0f};
  uint32_t idx[8];
  assert_int_equal(wts_topk(v, 6, 3, idx), 3);
  assert_int_equal(idx[0], 3);
  assert_int_equal(idx[1], 4);
  assert_int_equal(idx[2], 1);
  assert_int_equal(wts_topk(v, 6, 8, idx), 6);
  assert_int_equal(idx[5], 2);
  assert_int_equal(wts_topk(v, 6, 0, idx), 0);
  assert_int_equal(wts_topk(v, 0, 5, idx), 0);
}

/* Ties go to the lower index, whatever the position of the tie. */
static void topk_breaks_ties_by_index(void **state)
{
  (void)state;
  const float v[] = {1.0f, 5.0f, 2.0f, 5.0f, 5.0f, 2.0f};
  uint32_t idx[4];
  assert_int_equal(wts_topk(v, 6, 4, idx), 4);
  assert_int_equal(idx[0], 1);
  assert_int_equal(idx[1], 3);
  assert_int_equal(idx[2], 4);
  assert_int_equal(idx[3], 2);
}

/* NaN never outranks a number, and -inf still ranks above NaN. */
static void topk_puts_nan_last(void **state)
{
  (void)state;
  const float v[] = {NAN, -INFINITY, NAN, 0.5f};
  uint32_t idx[4];
  assert_int_equal(wts_topk(v, 4, 4, idx), 4);
  assert_int_equal(idx[0], 3);
  assert_int_equal(idx[1], 1);
  assert_int_equal(idx[2], 0);
  assert_int_equal(idx[3], 2);
}

/* A larger pseudo-random vector against a brute-force selection. */
static void topk_matches_brute_force(void **state)
{
  (void)state;
  enum { N = 1000, K = 10 };
  float v[N];
  uint32_t seed = 12345u, idx[K];
  for (int i = 0; i < N; i++) {
    seed = seed * 1664525u + 1013904223u;
    v[i] = (float)(seed >> 24) / 16.0f; /* few distinct values: many ties */
  }
  assert_int_equal(wts_topk(v, N, K, idx), K);
  int used[N] = {0};
  for (int r = 0; r < K; r++) {
    int best = -1;
    for (int i = 0; i < N; i++)
      if (!used[i] && (best < 0 || v[i] > v[best]))
        best = i;
    used[best] = 1;
    assert_int_equal(idx[r], best);
  }
}

/* Softmax sums to one, preserves order, and survives huge logits. */
static void softmax_is_stable(void **state)
{
  (void)state;
  float in[4] = {1000.0f, 999.0f, -1000.0f, 1000.0f}, out[4];
  wts_softmax(in, out, 4);
  double sum = 0;
  for (int i = 0; i < 4; i++) {
    assert_false(isnan(out[i]));
    sum += out[i];
  }
  assert_true(fabs(sum - 1.0) < 1e-6);
  assert_true(fabs(out[0] - out[3]) < 1e-7);
  assert_true(out[0] > out[1] && out[1] > out[2]);
  float equal[3] = {2, 2, 2};
  wts_softmax(equal, equal, 3); /* in place */
  assert_true(fabs(equal[1] - 1.0 / 3.0) < 1e-6);
}

static void errno_names_and_sizes(void **state)
{
  (void)state;
  assert_string_equal(wts_errno_name(0), "success");
  assert_string_equal(wts_errno_name(WASI_NN_ERRNO_TOO_LARGE), "too_large");
  assert_string_equal(wts_errno_name(8), "not_found");
  assert_string_equal(wts_errno_name(103), "model_not_found");
  assert_string_equal(wts_errno_name(WTS_ERR_IO), "io_error");
  assert_string_equal(wts_errno_name(9), "unknown");
  assert_int_equal(wts_type_size(WASI_NN_TYPE_F32), 4);
  assert_int_equal(wts_type_size(WASI_NN_TYPE_U8), 1);
  assert_int_equal(wts_type_size(WASI_NN_TYPE_I64), 8);
  assert_int_equal(wts_type_size(6), 0);
  double a = wts_now_ms(), b = wts_now_ms();
  assert_true(a > 0 && b >= a);
}

/* Round trip through the file helpers, with sizes around the chunk size
** so the buffer growth path runs; and a clean error for a missing file. */
static void file_round_trip(void **state)
{
  (void)state;
  char path[] = "/tmp/wts_test_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  const size_t sizes[] = {0, 1, 65535, 65536, 65537, 300001};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    size_t n = sizes[s];
    uint8_t *src = malloc(n + 1), *got = NULL;
    size_t got_len = 99;
    for (size_t i = 0; i < n; i++)
      src[i] = (uint8_t)(i * 31 + s);
    assert_int_equal(wts_write_file(path, src, n), 0);
    assert_int_equal(wts_read_file(path, &got, &got_len), 0);
    assert_int_equal(got_len, n);
    assert_memory_equal(got, src, n);
    free(got);
    free(src);
  }
  unlink(path);
  uint8_t *none = (uint8_t *)1;
  size_t none_len = 5;
  assert_int_equal(wts_read_file(path, &none, &none_len), WTS_ERR_IO);
  assert_int_equal(errno, ENOENT);
  assert_null(none);
  assert_int_equal(none_len, 0);
  assert_int_equal(wts_write_file("/nonexistent-dir/x", "a", 1), WTS_ERR_IO);
}

/* A FIFO has no size up front: the chunked growth path must still read
** every byte (a child process writes 300001 bytes into it). */
static void file_read_from_fifo(void **state)
{
  (void)state;
  char dir[] = "/tmp/wts_fifo_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/p", dir);
  assert_int_equal(mkfifo(path, 0600), 0);
  enum { N = 300001 };
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    FILE *w = fopen(path, "wb");
    for (int i = 0; w && i < N; i++)
      fputc((i * 13) & 0xff, w);
    _exit(w && fclose(w) == 0 ? 0 : 1);
  }
  uint8_t *got = NULL;
  size_t len = 0;
  uint32_t err = wts_read_file(path, &got, &len);
  int status = 0;
  waitpid(pid, &status, 0);
  unlink(path);
  rmdir(dir);
  assert_int_equal(err, 0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  assert_int_equal(len, N);
  for (int i = 0; i < N; i++)
    if (got[i] != ((i * 13) & 0xff))
      fail_msg("byte %d differs", i);
  free(got);
}

static void options_in_both_spellings(void **state)
{
  (void)state;
  char *argv[] = {"prog", "--out", "a.png", "--conf=0.5", "--outx", "--out"};
  int argc = 6, i = 1, missing = 0;
  assert_string_equal(wts_option_value(argc, argv, &i, "--out", &missing), "a.png");
  assert_int_equal(i, 2);
  i = 3;
  assert_string_equal(wts_option_value(argc, argv, &i, "--conf", &missing), "0.5");
  assert_int_equal(i, 3);
  i = 4; /* a longer option is not a match */
  assert_null(wts_option_value(argc, argv, &i, "--out", &missing));
  assert_int_equal(missing, 0);
  i = 5; /* last word, no value */
  assert_null(wts_option_value(argc, argv, &i, "--out", &missing));
  assert_int_equal(missing, 1);
}

static void counts_reject_junk(void **state)
{
  (void)state;
  unsigned n = 0;
  assert_int_equal(wts_parse_count("12", 100, &n), 0);
  assert_int_equal(n, 12);
  const char *bad[] = {"0", "-3", "+3", "3x", "", "101", "99999999999999999999"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    assert_int_equal(wts_parse_count(bad[k], 100, &n), -1);
  assert_int_equal(n, 12);
}

static void latency_median_and_p90(void **state)
{
  (void)state;
  double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2}, ten[10], med, p90;
  wts_latency_stats(odd, 3, &med, &p90);
  assert_true(med == 3 && p90 == 5 && odd[0] == 1);
  wts_latency_stats(even, 4, &med, &p90);
  assert_true(med == 2.5 && p90 == 4);
  for (int k = 0; k < 10; k++)
    ten[k] = 10 - k; /* 10..1 */
  wts_latency_stats(ten, 10, &med, &p90);
  assert_true(med == 5.5 && p90 == 9); /* nearest rank: 9th of 10 */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(topk_orders_by_value),
      cmocka_unit_test(topk_breaks_ties_by_index),
      cmocka_unit_test(topk_puts_nan_last),
      cmocka_unit_test(topk_matches_brute_force),
      cmocka_unit_test(softmax_is_stable),
      cmocka_unit_test(errno_names_and_sizes),
      cmocka_unit_test(file_round_trip),
      cmocka_unit_test(file_read_from_fifo),
      cmocka_unit_test(options_in_both_spellings),
      cmocka_unit_test(counts_reject_junk),
      cmocka_unit_test(latency_median_and_p90),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
