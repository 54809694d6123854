/*
** prep_bench.c — times one graph preparation of a model through the PyTorch
** backend's C vtable (the path wasitorch's host takes), for the figures in
** docs/torch-performance.md.
**
**   prep-bench --backend libwasitorch_torch.so --model M.pt --input IN.bin
**              --shape 1,3,224,224 [--threads N] [--mode none|freeze|ofi|auto|
**              asis|freeze_cl|ofi_cl] [--warmup W] [--repeat R] [--output OUT.bin]
**
** Prints one line: mode, threads, load ms, first compute ms (includes the
** selector's measurement in auto mode), median / p90 wall ms and median
** CPU ms per compute. The mode goes through WASITORCH_NN_OPTIMIZE, so the
** named preparations of torch_prep.h can be forced.
*/
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn/backend.h"

#define PB_MAX_DIMS 8
#define PB_MAX_RUNS 10000

typedef struct pb_args {
  const char *backend, *model, *input, *mode, *output;
  uint32_t dims[PB_MAX_DIMS];
  uint32_t ndims;
  int threads, warmup, repeat;
} pb_args;

static double now_ms(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *p = n > 0 ? malloc((size_t)n) : NULL;
  if (p != NULL && fread(p, 1, (size_t)n, f) != (size_t)n) {
    free(p);
    p = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return p;
}

static int parse_shape(const char *text, pb_args *a) {
  char *end;
  a->ndims = 0;
  for (const char *p = text; *p;) {
    if (a->ndims == PB_MAX_DIMS) return 0;
    unsigned long v = strtoul(p, &end, 10);
    if (end == p || v == 0 || v > 1u << 20) return 0;
    a->dims[a->ndims++] = (uint32_t)v;
    p = *end == ',' ? end + 1 : end;
    if (*end != ',' && *end != '\0') return 0;
  }
  return a->ndims > 0;
}

/* Returns 0 on success; every option takes a value. */
static int parse_args(int argc, char **argv, pb_args *a) {
  *a = (pb_args){.mode = "none", .threads = 1, .warmup = 3, .repeat = 20};
  for (int i = 1; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (!strcmp(k, "--backend")) a->backend = v;
    else if (!strcmp(k, "--model")) a->model = v;
    else if (!strcmp(k, "--input")) a->input = v;
    else if (!strcmp(k, "--mode")) a->mode = v;
    else if (!strcmp(k, "--output")) a->output = v;
    else if (!strcmp(k, "--threads")) a->threads = atoi(v);
    else if (!strcmp(k, "--warmup")) a->warmup = atoi(v);
    else if (!strcmp(k, "--repeat")) a->repeat = atoi(v);
    else if (!strcmp(k, "--shape")) {
      if (!parse_shape(v, a)) return 1;
    } else return 1;
  }
  if (argc % 2 == 0 || !a->backend || !a->model || !a->input || !a->ndims) return 1;
  if (a->repeat < 1 || a->repeat > PB_MAX_RUNS || a->warmup < 0 || a->threads < 0) return 1;
  return 0;
}

static const nn_backend *open_backend(const pb_args *a, char *msg, size_t cap) {
  void *lib = dlopen(a->backend, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    snprintf(msg, cap, "dlopen: %s", dlerror());
    return NULL;
  }
  nn_backend_entry entry = (nn_backend_entry)dlsym(lib, "wasitorch_backend_pytorch");
  if (entry == NULL) {
    snprintf(msg, cap, "no wasitorch_backend_pytorch in %s", a->backend);
    return NULL;
  }
  const nn_backend *be = entry();
  int mode = !strcmp(a->mode, "auto") ? NN_OPTIMIZE_AUTO : NN_OPTIMIZE_NONE;
  nn_backend_options opts = {a->threads, mode};
  if (mode != NN_OPTIMIZE_AUTO) setenv("WASITORCH_NN_OPTIMIZE", a->mode, 1);
  return be->init(&opts, msg, cap) == NN_SUCCESS ? be : NULL;
}

/* Times `repeat` computes after `warmup`; fills the summary. */
static int time_runs(const nn_backend *be, void *ctx, const pb_args *a, double *med, double *p90, double *cpu,
                     double *min, char *msg, size_t cap) {
  static double wall[PB_MAX_RUNS], cpus[PB_MAX_RUNS];
  for (int i = 0; i < a->warmup; i++)
    if (be->compute(ctx, msg, cap) != NN_SUCCESS) return 1;
  for (int i = 0; i < a->repeat; i++) {
    double w0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
    if (be->compute(ctx, msg, cap) != NN_SUCCESS) return 1;
    wall[i] = now_ms(CLOCK_MONOTONIC) - w0;
    cpus[i] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
  }
  qsort(wall, (size_t)a->repeat, sizeof wall[0], cmp_double);
  qsort(cpus, (size_t)a->repeat, sizeof cpus[0], cmp_double);
  *med = wall[a->repeat / 2];
  *p90 = wall[(a->repeat * 9) / 10 < a->repeat ? (a->repeat * 9) / 10 : a->repeat - 1];
  *cpu = cpus[a->repeat / 2];
  *min = wall[0];
  return 0;
}

static int write_output(const nn_backend *be, void *ctx, const char *path, char *msg, size_t cap) {
  size_t need = 0;
  nn_errno rc = be->get_output(ctx, 0, NULL, 0, &need, msg, cap);
  if (rc != NN_TOO_LARGE && rc != NN_SUCCESS) return 1;
  void *buf = malloc(need ? need : 1);
  size_t written = 0;
  int bad = buf == NULL || be->get_output(ctx, 0, buf, need, &written, msg, cap) != NN_SUCCESS;
  FILE *f = bad ? NULL : fopen(path, "wb");
  if (f == NULL || fwrite(buf, 1, written, f) != written) bad = 1;
  if (f != NULL) fclose(f);
  free(buf);
  return bad;
}

int main(int argc, char **argv) {
  pb_args a;
  char msg[1024] = "";
  if (parse_args(argc, argv, &a)) {
    fprintf(stderr, "usage: %s --backend SO --model M --input IN --shape D,D,.. [--threads N] [--mode M] "
                    "[--warmup W] [--repeat R] [--output OUT]\n", argv[0]);
    return 2;
  }
  size_t in_len = 0;
  void *in = read_all(a.input, &in_len);
  const nn_backend *be = in ? open_backend(&a, msg, sizeof msg) : NULL;
  void *graph = NULL, *ctx = NULL;
  double t0 = now_ms(CLOCK_MONOTONIC), load = 0, first = 0, med = 0, p90 = 0, cpu = 0, min = 0;
  int ok = be != NULL && be->load_path(a.model, NN_TARGET_CPU, &graph, msg, sizeof msg) == NN_SUCCESS &&
           be->init_context(graph, &ctx, msg, sizeof msg) == NN_SUCCESS;
  load = now_ms(CLOCK_MONOTONIC) - t0;
  nn_tensor t = {a.dims, a.ndims, NN_TYPE_F32, in, in_len};
  ok = ok && be->set_input(ctx, 0, &t, msg, sizeof msg) == NN_SUCCESS;
  t0 = now_ms(CLOCK_MONOTONIC);
  ok = ok && be->compute(ctx, msg, sizeof msg) == NN_SUCCESS;
  first = now_ms(CLOCK_MONOTONIC) - t0;
  ok = ok && time_runs(be, ctx, &a, &med, &p90, &cpu, &min, msg, sizeof msg) == 0;
  ok = ok && (a.output == NULL || write_output(be, ctx, a.output, msg, sizeof msg) == 0);
  if (!ok) {
    fprintf(stderr, "prep-bench: %s\n", in ? msg : "cannot read the input file");
    return 1;
  }
  printf("mode %-9s threads %d load %8.1f ms first %8.1f ms median %8.2f ms p90 %8.2f ms cpu %8.2f ms min %8.2f ms\n",
         a.mode, a.threads, load, first, med, p90, cpu, min);
  be->free_context(ctx);
  be->free_graph(graph);
  free(in);
  return 0;
}
