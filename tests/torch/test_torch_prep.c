/*
** test_torch_prep.c — tests of the PyTorch backend's preparation selector
** (optimize mode "auto", src/nn/torch/torch_prep.h) through its C vtable.
**
** The selector's observable traces are its log (WASITORCH_PREP_LOG, a file
** here: one "measured" line per measurement, "cache hit"/"cache miss" per
** auto load) and its cache directory (WASITORCH_PREP_CACHE). Groups, by
** argv[1]:
**
**   select     the small conv net of make_prep_models.py: picks and caches,
**              a second load uses the cache (no new measurement) and gives
**              the same bits, corrupt/foreign cache files are ignored and
**              rewritten, another input shape is measured again, an
**              unwritable cache directory is harmless, rtol 0 gives the
**              as-is bits, a bad WASITORCH_NN_OPTIMIZE is refused; the
**              "fused" preparation (dnnl_fuse.cpp) on a net with one of
**              each chain it rewrites: every intermediate tensor equals
**              the as-is one at two input shapes, and a wrong input or a
**              hostile conv (stride 0) is an error, not a crash
**   mobilenet  MobileNetV2: the picked preparation's output is within the
**              selector's tolerance of the as-is (traced) output, and so
**              is the forced "fused" preparation's
**
** Environment (set by CTest):
**   WT_TORCH_BACKEND  path of libwasitorch_torch.so
**   WT_PREP_MODELS    directory holding prep_convnet*.pt and prep_input.bin
**   WT_PREP_WORK      scratch directory (created; emptied by the test)
**   WT_MOBILENET_DIR  directory of mobilenet_v2.pt and mobilenet_input.bin
*/
#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "nn/backend.h"

#define TP_OUT 10 /* prep_convnet's output: f32 [1,10] */

typedef struct tp_state {
  const nn_backend *be;
  const char *models;
  char cache[2048]; /* WASITORCH_PREP_CACHE */
  char log[2048];   /* WASITORCH_PREP_LOG */
  char msg[1024];
} tp_state;

typedef struct tp_file {
  uint8_t *data;
  size_t len;
} tp_file;

static const char *env_or_fail(const char *name) {
  const char *v = getenv(name);
  if (v == NULL || *v == '\0') fail_msg("environment variable %s is not set", name);
  return v;
}

static tp_file read_path(const char *path) {
  tp_file out = {NULL, 0};
  FILE *f = fopen(path, "rb");
  if (f == NULL) return out;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  out.data = malloc((size_t)n + 1);
  assert_non_null(out.data);
  out.len = fread(out.data, 1, (size_t)n, f);
  out.data[out.len] = 0;
  fclose(f);
  return out;
}

static tp_file read_model(const tp_state *st, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", st->models, name);
  tp_file f = read_path(path);
  if (f.data == NULL) fail_msg("cannot read %s", path);
  return f;
}

static void write_path(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  fclose(f);
}

/* Occurrences of `needle` in the log so far. */
static int log_count(const tp_state *st, const char *needle) {
  tp_file f = read_path(st->log);
  int n = 0;
  for (const char *p = f.data ? (const char *)f.data : ""; (p = strstr(p, needle)) != NULL; p++) n++;
  free(f.data);
  return n;
}

/* Whether the last log line containing `needle` also contains `part`. */
static int last_line_has(const tp_state *st, const char *needle, const char *part) {
  tp_file f = read_path(st->log);
  const char *last = NULL;
  for (const char *p = f.data ? (const char *)f.data : ""; (p = strstr(p, needle)) != NULL; p++) last = p;
  int found = 0;
  if (last != NULL) {
    size_t len = strcspn(last, "\n");
    const char *hit = strstr(last, part);
    found = hit != NULL && hit < last + len;
  }
  free(f.data);
  return found;
}

/* Removes every file in the cache directory; returns how many there were. */
static int clear_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return 0;
  int n = 0;
  struct dirent *e;
  char path[4096];
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
    n++;
  }
  closedir(d);
  return n;
}

/* The one cache file's path (asserts there is exactly one). */
static void cache_file(const tp_state *st, char *path, size_t cap) {
  DIR *d = opendir(st->cache);
  assert_non_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    snprintf(path, cap, "%s/%s", st->cache, e->d_name);
    n++;
  }
  closedir(d);
  assert_int_equal(n, 1);
}

static int group_setup(void **state) {
  tp_state *st = calloc(1, sizeof *st);
  assert_non_null(st);
  const char *lib_path = env_or_fail("WT_TORCH_BACKEND");
  void *lib = dlopen(lib_path, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) fail_msg("dlopen %s: %s", lib_path, dlerror());
  nn_backend_entry entry = (nn_backend_entry)dlsym(lib, "wasitorch_backend_pytorch");
  assert_non_null(entry);
  st->be = entry();
  const char *work = env_or_fail("WT_PREP_WORK");
  mkdir(work, 0700);
  snprintf(st->cache, sizeof st->cache, "%s/cache", work);
  snprintf(st->log, sizeof st->log, "%s/prep.log", work);
  clear_dir(st->cache);
  unlink(st->log);
  setenv("WASITORCH_PREP_CACHE", st->cache, 1);
  setenv("WASITORCH_PREP_LOG", st->log, 1);
  setenv("WASITORCH_PREP_RUNS", "2", 1);
  unsetenv("WASITORCH_NN_OPTIMIZE");
  nn_backend_options opts = {1, NN_OPTIMIZE_AUTO};
  if (st->be->init(&opts, st->msg, sizeof st->msg) != NN_SUCCESS) fail_msg("init: %s", st->msg);
  st->models = getenv("WT_PREP_MODELS");
  *state = st;
  return 0;
}

static int group_teardown(void **state) {
  free(*state); /* libtorch is never unloaded: the dlopen handle stays */
  return 0;
}

/* Loads `model` (bytes, or path when by_path), runs it on `in` with dims
** `d`, copies `n` floats of output 0 into out. */
static void run_model(tp_state *st, const char *model, int by_path, const uint32_t *d, const tp_file *in,
                      float *out, size_t n) {
  void *g = NULL, *ctx = NULL;
  nn_errno rc;
  if (by_path) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", st->models, model);
    rc = st->be->load_path(path, NN_TARGET_CPU, &g, st->msg, sizeof st->msg);
  } else {
    tp_file f = read_model(st, model);
    rc = st->be->load_bytes(f.data, f.len, NN_TARGET_CPU, &g, st->msg, sizeof st->msg);
    free(f.data);
  }
  if (rc != NN_SUCCESS) fail_msg("load %s: %d %s", model, rc, st->msg);
  assert_int_equal(st->be->init_context(g, &ctx, st->msg, sizeof st->msg), NN_SUCCESS);
  nn_tensor t = {d, 4, NN_TYPE_F32, in->data, in->len};
  assert_int_equal(st->be->set_input(ctx, 0, &t, st->msg, sizeof st->msg), NN_SUCCESS);
  rc = st->be->compute(ctx, st->msg, sizeof st->msg);
  if (rc != NN_SUCCESS) fail_msg("compute %s: %d %s", model, rc, st->msg);
  size_t written = 0;
  rc = st->be->get_output(ctx, 0, out, n * sizeof *out, &written, st->msg, sizeof st->msg);
  if (rc != NN_SUCCESS) fail_msg("get_output: %d %s", rc, st->msg);
  assert_int_equal(written, n * sizeof *out);
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

/* The as-is output (optimize none, forced through the env override). */
static void run_as_is(tp_state *st, const char *model, const uint32_t *d, const tp_file *in, float *out, size_t n) {
  setenv("WASITORCH_NN_OPTIMIZE", "none", 1);
  run_model(st, model, 0, d, in, out, n);
  unsetenv("WASITORCH_NN_OPTIMIZE");
}

/* The selector's documented tolerance: |a-b| <= rtol*|b| + rtol*max|b|. */
static void assert_close(const float *got, const float *ref, size_t n, double rtol) {
  double scale = 0, worst = 0;
  for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(ref[i]));
  assert_true(scale > 1e-3); /* a collapsed output would prove nothing */
  for (size_t i = 0; i < n; i++) {
    double d = fabs((double)got[i] - ref[i]);
    worst = fmax(worst, d);
    if (d > rtol * fabs(ref[i]) + rtol * scale) fail_msg("output %zu: %g vs %g", i, got[i], ref[i]);
  }
  print_message("  max |auto - as-is| = %g (max |as-is| %g)\n", worst, scale);
}

static const uint32_t kDims[4] = {1, 3, 32, 32};

/* First auto load measures, picks a known preparation and writes the cache;
** the second (by path: same content hash) uses it without measuring and
** gives the same bits; both are within tolerance of the as-is output. */
static void test_select_then_cache(void **state) {
  tp_state *st = *state;
  tp_file in = read_model(st, "prep_input.bin");
  float ref[TP_OUT], first[TP_OUT], second[TP_OUT];
  run_as_is(st, "prep_convnet.pt", kDims, &in, ref, TP_OUT);
  run_model(st, "prep_convnet.pt", 0, kDims, &in, first, TP_OUT);
  assert_int_equal(log_count(st, "measured "), 1);
  assert_int_equal(log_count(st, "cache miss"), 1);
  char path[4096];
  cache_file(st, path, sizeof path);
  tp_file c = read_path(path);
  const char *choice = strstr((const char *)c.data, "\nchoice ");
  assert_non_null(choice);
  print_message("  picked%.*s\n", (int)strcspn(choice + 7, "\n"), choice + 7);
  int known = 0;
  const char *names[] = {"asis\n", "freeze\n", "ofi\n", "freeze_cl\n", "ofi_cl\n", "fused\n"};
  for (int i = 0; i < 6; i++) known |= strncmp(choice + 8, names[i], strlen(names[i])) == 0;
  assert_true(known);
  assert_non_null(strstr((const char *)c.data, "\ninput Float 1,3,32,32\n"));
  free(c.data);
  assert_close(first, ref, TP_OUT, 1e-4);

  run_model(st, "prep_convnet.pt", 1, kDims, &in, second, TP_OUT);
  assert_int_equal(log_count(st, "measured "), 1);
  assert_int_equal(log_count(st, "cache hit"), 1);
  assert_memory_equal(first, second, sizeof first);
  free(in.data);
}

/* Each damaged or foreign cache file is ignored (a miss), the model is
** measured again and the file is rewritten with a valid record. */
static void test_bad_cache_files(void **state) {
  tp_state *st = *state;
  tp_file in = read_model(st, "prep_input.bin");
  float ref[TP_OUT], out[TP_OUT];
  run_as_is(st, "prep_convnet.pt", kDims, &in, ref, TP_OUT);
  run_model(st, "prep_convnet.pt", 0, kDims, &in, out, TP_OUT); /* make sure a cache file exists */
  char path[4096];
  cache_file(st, path, sizeof path);
  tp_file good = read_path(path);
  char big[20000];
  memset(big, 'x', sizeof big);
  memcpy(big, "wasitorch-prep 1\n", 17);
  char foreign[4096], unknown[4096], repeated[4096], truncated[4096], older[4096], fewer[4096];
  snprintf(foreign, sizeof foreign, "%s", (const char *)good.data);
  memcpy(strstr(foreign, "threads 1"), "threads 7", 9); /* same length, other key */
  snprintf(unknown, sizeof unknown, "%.*schoice turbo\n", (int)(strstr((char *)good.data, "choice ") - (char *)good.data),
           (const char *)good.data);
  snprintf(repeated, sizeof repeated, "%sthreads 1\n", (const char *)good.data);
  /* cut before the input line: the key is intact, the record is not */
  snprintf(truncated, sizeof truncated, "%.*s", (int)(strstr((char *)good.data, "\ninput ") - (char *)good.data),
           (const char *)good.data);
  /* written by a build without the "offered" line, or one that offered
  ** fewer preparations: its choice was made without the newer ones */
  const char *off = strstr((char *)good.data, "\noffered ");
  assert_non_null(off);
  const char *off_end = strchr(off + 1, '\n');
  snprintf(older, sizeof older, "%.*s%s", (int)(off - (char *)good.data), (const char *)good.data, off_end);
  snprintf(fewer, sizeof fewer, "%.*s\noffered asis,freeze,ofi%s", (int)(off - (char *)good.data),
           (const char *)good.data, off_end);
  const uint8_t binary[] = {0x50, 0x4b, 0x03, 0x04, 0, 0xff, 0xfe, 0};
  struct { const void *data; size_t len; } bad[] = {
      {"", 0}, {binary, sizeof binary}, {big, sizeof big}, {foreign, strlen(foreign)},
      {unknown, strlen(unknown)}, {repeated, strlen(repeated)}, {truncated, strlen(truncated)},
      {older, strlen(older)},     {fewer, strlen(fewer)},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    write_path(path, bad[i].data, bad[i].len);
    int measured = log_count(st, "measured "), misses = log_count(st, "cache miss");
    run_model(st, "prep_convnet.pt", 0, kDims, &in, out, TP_OUT);
    assert_int_equal(log_count(st, "cache miss"), misses + 1);
    assert_int_equal(log_count(st, "measured "), measured + 1);
    assert_close(out, ref, TP_OUT, 1e-4);
    tp_file again = read_path(path);
    assert_non_null(strstr((const char *)again.data, "\nchoice "));
    assert_non_null(strstr((const char *)again.data, "\nthreads 1\n"));
    free(again.data);
  }
  free(good.data);
  free(in.data);
}

/* A cached choice measured for 32x32 does not stand for 48x48: measured
** again (the record then names the new shape). */
static void test_other_shape_remeasured(void **state) {
  tp_state *st = *state;
  tp_file in = read_model(st, "prep_input.bin");
  float out[TP_OUT];
  run_model(st, "prep_convnet.pt", 0, kDims, &in, out, TP_OUT);
  int measured = log_count(st, "measured "), hits = log_count(st, "cache hit");
  tp_file big = {calloc(3 * 48 * 48, sizeof(float)), 3 * 48 * 48 * sizeof(float)};
  float *px = (float *)(void *)big.data;
  for (size_t i = 0; i < 3 * 48 * 48; i++) px[i] = (float)((i * 37) % 101) / 101.0f;
  const uint32_t d48[4] = {1, 3, 48, 48};
  run_model(st, "prep_convnet.pt", 0, d48, &big, out, TP_OUT);
  assert_int_equal(log_count(st, "cache hit"), hits + 1);
  assert_int_equal(log_count(st, "measured "), measured + 1);
  char path[4096];
  cache_file(st, path, sizeof path);
  tp_file c = read_path(path);
  assert_non_null(strstr((const char *)c.data, "\ninput Float 1,3,48,48\n"));
  free(c.data);
  free(big.data);
  free(in.data);
}

/* An already frozen file: no separate "freeze" candidate, still works. */
static void test_frozen_model(void **state) {
  tp_state *st = *state;
  tp_file in = read_model(st, "prep_input.bin");
  float ref[TP_OUT], out[TP_OUT];
  run_as_is(st, "prep_convnet.pt", kDims, &in, ref, TP_OUT);
  int measured = log_count(st, "measured ");
  run_model(st, "prep_convnet_frozen.pt", 0, kDims, &in, out, TP_OUT);
  assert_int_equal(log_count(st, "measured "), measured + 1);
  assert_false(last_line_has(st, "measured ", "| freeze "));
  assert_true(last_line_has(st, "measured ", "| ofi "));
  assert_close(out, ref, TP_OUT, 1e-4);
  free(in.data);
}

/* A cache directory that cannot be created costs the cache, not the run. */
static void test_unwritable_cache(void **state) {
  tp_state *st = *state;
  tp_file in = read_model(st, "prep_input.bin");
  float out[TP_OUT];
  char blocker[2100], bad[2200];
  snprintf(blocker, sizeof blocker, "%s.file", st->cache);
  write_path(blocker, "x", 1);
  snprintf(bad, sizeof bad, "%s/sub", blocker); /* a directory below a plain file */
  setenv("WASITORCH_PREP_CACHE", bad, 1);
  int not_cached = log_count(st, "not cached");
  run_model(st, "prep_convnet.pt", 0, kDims, &in, out, TP_OUT);
  assert_int_equal(log_count(st, "not cached"), not_cached + 1);
  setenv("WASITORCH_PREP_CACHE", st->cache, 1);
  unlink(blocker);
  free(in.data);
}

/* rtol 0: every candidate whose output differs at all is rejected, so the
** result is bit-identical to the as-is module's. */
static void test_zero_tolerance(void **state) {
  tp_state *st = *state;
  tp_file in = read_model(st, "prep_input.bin");
  float ref[TP_OUT], out[TP_OUT];
  run_as_is(st, "prep_convnet.pt", kDims, &in, ref, TP_OUT);
  clear_dir(st->cache);
  setenv("WASITORCH_PREP_RTOL", "0", 1);
  run_model(st, "prep_convnet.pt", 0, kDims, &in, out, TP_OUT);
  unsetenv("WASITORCH_PREP_RTOL");
  print_message("  rejected candidates so far: %d\n", log_count(st, "rejected"));
  assert_memory_equal(out, ref, sizeof out);
  clear_dir(st->cache);
  free(in.data);
}

static void test_bad_mode(void **state) {
  tp_state *st = *state;
  tp_file f = read_model(st, "prep_convnet.pt");
  void *g = NULL;
  setenv("WASITORCH_NN_OPTIMIZE", "fastest", 1);
  assert_int_equal(st->be->load_bytes(f.data, f.len, NN_TARGET_CPU, &g, st->msg, sizeof st->msg),
                   NN_INVALID_ARGUMENT);
  unsetenv("WASITORCH_NN_OPTIMIZE");
  assert_null(g);
  assert_non_null(strstr(st->msg, "WASITORCH_NN_OPTIMIZE"));
  nn_backend_options opts = {1, NN_OPTIMIZE_FUSED + 1};
  assert_int_equal(st->be->init(&opts, st->msg, sizeof st->msg), NN_INVALID_ARGUMENT);
  opts.optimize = NN_OPTIMIZE_AUTO;
  assert_int_equal(st->be->init(&opts, st->msg, sizeof st->msg), NN_SUCCESS);
  free(f.data);
}

/* prep_fusenet's output length for an input of h x w: every intermediate
** flattened (make_prep_models.py, FuseNet): 24 channels at full size, 97 at
** the stride-2 size, and the two linear layers' 12 + 5. */
static size_t fusenet_out(uint32_t h, uint32_t w) {
  size_t h2 = (h - 1) / 2 + 1, w2 = (w - 1) / 2 + 1;
  return 24 * (size_t)h * w + 97 * h2 * w2 + 17;
}

/* The forced fused preparation rewrites all 11 chains of the net, and its
** output (which holds every intermediate tensor, so a wrong border pixel
** shows) matches the as-is module's closely, at the export shape and at an
** odd one (the primitives are rebuilt for it), and from the frozen file. */
static void test_fused_patterns(void **state) {
  tp_state *st = *state;
  const char *inputs[] = {"prep_fuse_input.bin", "prep_fuse_input_odd.bin", "prep_fuse_input.bin"};
  const char *models[] = {"prep_fusenet.pt", "prep_fusenet.pt", "prep_fusenet_frozen.pt"};
  const uint32_t dims[3][4] = {{1, 3, 20, 18}, {1, 3, 17, 23}, {1, 3, 20, 18}};
  for (int i = 0; i < 3; i++) {
    tp_file in = read_model(st, inputs[i]);
    size_t n = fusenet_out(dims[i][2], dims[i][3]);
    float *ref = malloc(n * sizeof *ref), *got = malloc(n * sizeof *got);
    assert_true(ref != NULL && got != NULL);
    run_as_is(st, models[i], dims[i], &in, ref, n);
    setenv("WASITORCH_NN_OPTIMIZE", "fused", 1);
    run_model(st, models[i], 0, dims[i], &in, got, n);
    unsetenv("WASITORCH_NN_OPTIMIZE");
    assert_close(got, ref, n, 1e-5);
    free(ref);
    free(got);
    free(in.data);
  }
  assert_int_equal(log_count(st, "fused 11 convolution/linear chains"), 3);
}

/* Loads `model` with the fused preparation forced, feeds it a zero tensor
** of dims `d` and asserts that compute fails with a message holding
** `needle` (and that the process survives it). */
static void assert_fused_compute_error(tp_state *st, const char *model, const uint32_t d[4], const char *needle) {
  tp_file f = read_model(st, model);
  void *g = NULL, *ctx = NULL;
  setenv("WASITORCH_NN_OPTIMIZE", "fused", 1);
  nn_errno rc = st->be->load_bytes(f.data, f.len, NN_TARGET_CPU, &g, st->msg, sizeof st->msg);
  unsetenv("WASITORCH_NN_OPTIMIZE");
  free(f.data);
  if (rc != NN_SUCCESS) fail_msg("load %s: %s", model, st->msg);
  assert_int_equal(st->be->init_context(g, &ctx, st->msg, sizeof st->msg), NN_SUCCESS);
  size_t size = (size_t)d[0] * d[1] * d[2] * d[3] * sizeof(float);
  float *data = calloc(1, size);
  assert_non_null(data);
  nn_tensor t = {d, 4, NN_TYPE_F32, data, size};
  assert_int_equal(st->be->set_input(ctx, 0, &t, st->msg, sizeof st->msg), NN_SUCCESS);
  assert_int_not_equal(st->be->compute(ctx, st->msg, sizeof st->msg), NN_SUCCESS);
  print_message("  error: %s\n", st->msg);
  assert_non_null(strstr(st->msg, needle));
  free(data);
  st->be->free_context(ctx);
  st->be->free_graph(g);
}

/* A 4-channel input to a net whose first convolution wants 3: compute
** reports the mismatch; the backend stays usable. */
static void test_fused_bad_input(void **state) {
  tp_state *st = *state;
  assert_fused_compute_error(st, "prep_fusenet.pt", (const uint32_t[4]){1, 4, 16, 16}, "channels");
  tp_file in = read_model(st, "prep_fuse_input.bin");
  size_t n = fusenet_out(20, 18);
  float *out = malloc(n * sizeof *out);
  assert_non_null(out);
  setenv("WASITORCH_NN_OPTIMIZE", "fused", 1);
  run_model(st, "prep_fusenet.pt", 0, (const uint32_t[4]){1, 3, 20, 18}, &in, out, n);
  unsetenv("WASITORCH_NN_OPTIMIZE");
  free(out);
  free(in.data);
}

/* A model whose second convolution has stride 0 (scripted, so nothing
** checked it): the fused preparation takes the first one only (its
** output-size arithmetic would divide by zero and kill the host on the
** second); ATen's error comes back instead. */
static void test_fused_hostile_conv(void **state) {
  assert_fused_compute_error(*state, "prep_bad_stride.pt", (const uint32_t[4]){1, 3, 8, 8}, "stride");
}

/* MobileNetV2 (traced): whatever the selector picks is within its
** tolerance of the traced model's own output. */
static void test_mobilenet(void **state) {
  tp_state *st = *state;
  st->models = env_or_fail("WT_MOBILENET_DIR");
  tp_file in = read_model(st, "mobilenet_input.bin");
  const uint32_t d[4] = {1, 3, 224, 224};
  static float ref[1000], out[1000];
  run_as_is(st, "mobilenet_v2.pt", d, &in, ref, 1000);
  run_model(st, "mobilenet_v2.pt", 0, d, &in, out, 1000);
  assert_int_equal(log_count(st, "measured "), 1);
  assert_close(out, ref, 1000, 1e-4);
  /* The fused preparation on its own, tighter than the selector needs:
  ** oneDNN kernels that get border pixels wrong show up here (its fused
  ** 1x1+depthwise kernel did, see docs/torch-performance.md). */
  setenv("WASITORCH_NN_OPTIMIZE", "fused", 1);
  run_model(st, "mobilenet_v2.pt", 0, d, &in, out, 1000);
  unsetenv("WASITORCH_NN_OPTIMIZE");
  assert_close(out, ref, 1000, 1e-5);
  free(in.data);
}

int main(int argc, char **argv) {
  const struct CMUnitTest select[] = {
      cmocka_unit_test(test_select_then_cache), cmocka_unit_test(test_bad_cache_files),
      cmocka_unit_test(test_other_shape_remeasured), cmocka_unit_test(test_frozen_model),
      cmocka_unit_test(test_unwritable_cache), cmocka_unit_test(test_zero_tolerance),
      cmocka_unit_test(test_bad_mode), cmocka_unit_test(test_fused_patterns),
      cmocka_unit_test(test_fused_bad_input), cmocka_unit_test(test_fused_hostile_conv),
  };
  const struct CMUnitTest mobilenet[] = {cmocka_unit_test(test_mobilenet)};
  if (argc > 1 && strcmp(argv[1], "select") == 0)
    return cmocka_run_group_tests_name("torch_prep_select", select, group_setup, group_teardown);
  if (argc > 1 && strcmp(argv[1], "mobilenet") == 0)
    return cmocka_run_group_tests_name("torch_prep_mobilenet", mobilenet, group_setup, group_teardown);
  fprintf(stderr, "usage: %s select|mobilenet\n", argv[0]);
  return 2;
}
