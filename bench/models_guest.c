/*
** models_guest.c — wt-native-ref's timing loop, inside WebAssembly.
**
**   models_guest (--model NAME | --model-file PATH) --input IN.bin
**                --shape D0,D1,... [--repeat N] [--warmup N]
**                [--include-first] [--output OUT.bin]
**
** The benchmark (bench/models.py) compiles this at bench time with
** sdk/bin/wasitorch-cc. It times exactly what tools/native/wt-native-ref
** times — one raw f32 input tensor (read through WASI), a loaded model,
** inferences in a loop — so wasitorch's steady-state cost per inference
** (set_input + compute + get_output through the host) is compared with
** native forward() on equal terms, in wall time AND in process CPU time
** (WASI's process CPU-time clock). CPU time matters on a shared machine,
** where wall time also counts the time other processes held the core.
** The report lines are wt-native-ref's, so the harness parses both alike.
** (examples/classify, the real application, is what the cold-start
** figure runs: decode, resize, inference, top-5.)
** Exit status: 0 success, 1 failure, 2 usage error.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#include "wasitorch_sdk.h"

#define MAX_DIMS 8

/* Command-line settings; strings point into argv. */
typedef struct mg_options {
  const char *model_name, *model_file, *input, *output;
  uint32_t dims[MAX_DIMS];
  uint32_t ndims;
  unsigned repeat, warmup;
  int include_first;
} mg_options;

/* Parse a count 0..1000000; -1 on junk. */
static int mg_count(const char *s, unsigned *out)
{
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (s[0] < '0' || s[0] > '9' || *end || errno || v > 1000000)
    return -1;
  *out = (unsigned)v;
  return 0;
}

/* "1,3,224,224" into o->dims; -1 on an empty, zero or junk dimension. */
static int mg_shape(const char *s, mg_options *o)
{
  o->ndims = 0;
  while (*s) {
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || v == 0 || v > 1000000 || o->ndims == MAX_DIMS)
      return -1;
    o->dims[o->ndims++] = (uint32_t)v;
    s = *end == ',' ? end + 1 : end;
    if (*end && *end != ',')
      return -1;
  }
  return o->ndims ? 0 : -1;
}

/* Fill o from argv; returns 0 to run, 2 on a usage error (printed). */
static int mg_parse(int argc, char **argv, mg_options *o)
{
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0;
    if (strcmp(k, "--include-first") == 0) {
      o->include_first = 1;
      continue;
    }
    if (!v)
      bad = 1;
    else if (strcmp(k, "--model") == 0) o->model_name = v;
    else if (strcmp(k, "--model-file") == 0) o->model_file = v;
    else if (strcmp(k, "--input") == 0) o->input = v;
    else if (strcmp(k, "--output") == 0) o->output = v;
    else if (strcmp(k, "--shape") == 0) bad = mg_shape(v, o);
    else if (strcmp(k, "--repeat") == 0) bad = mg_count(v, &o->repeat);
    else if (strcmp(k, "--warmup") == 0) bad = mg_count(v, &o->warmup);
    else bad = 1;
    if (bad) {
      fprintf(stderr, "models_guest: bad option or value at '%s'\n", k);
      return 2;
    }
    i++;
  }
  if (!o->input || !o->ndims || !o->model_name == !o->model_file) {
    fputs("usage: models_guest (--model NAME | --model-file PATH) --input IN.bin "
          "--shape D0,D1,... [--repeat N] [--warmup N] [--include-first] "
          "[--output OUT.bin]\n", stderr);
    return 2;
  }
  return 0;
}

static double mg_cpu_ms(void)
{
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1000, &t) != 0)
    return 0.0; /* the harness notices CPU medians of 0 */
  return (double)t / 1e6;
}

static int mg_cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* wt-native-ref's percentile: index round(p × (n-1)) of the sorted values. */
static double mg_pct(double *v, unsigned n, double p)
{
  qsort(v, n, sizeof v[0], mg_cmp);
  unsigned idx = (unsigned)(p * (double)(n - 1) + 0.5);
  return v[idx < n ? idx : n - 1];
}

static int mg_fail(const char *what, const char *subject, uint32_t err)
{
  return wts_report("models_guest", what, subject, err);
}

/* Load the model and open a context, printing load times like wt-native-ref. */
static int mg_open(const mg_options *o, wasi_nn_exec_ctx *ctx)
{
  wasi_nn_graph g;
  const char *what = o->model_file ? o->model_file : o->model_name;
  double w0 = wts_now_ms(), c0 = mg_cpu_ms();
  uint32_t err = o->model_file
      ? wts_load_file(o->model_file, WASI_NN_ENCODING_PYTORCH, WASI_NN_TARGET_CPU, &g)
      : wts_load_name(o->model_name, &g);
  if (!err)
    err = wasi_nn_init_execution_context(g, ctx);
  if (err)
    return mg_fail("cannot load model", what, err);
  printf("model %s (wasm, %s): load wall %.3f ms, cpu %.3f ms\n", what,
         o->model_file ? "bytes through WASI" : "preloaded",
         wts_now_ms() - w0, mg_cpu_ms() - c0);
  return 0;
}

/*
** The timed loop: the first inference (its output is --output), --warmup
** untimed ones, then timed ones until --repeat samples exist.
*/
static int mg_loop(const mg_options *o, wasi_nn_exec_ctx ctx,
                   const wasi_nn_tensor *in, wts_buffer *out)
{
  unsigned n = 0, cap = o->repeat ? o->repeat : 1;
  double *wall = calloc(cap, sizeof *wall), *cpu = calloc(cap, sizeof *cpu);
  uint32_t err = (wall && cpu) ? 0 : WTS_ERR_NOMEM;
  for (unsigned i = 0; !err && (i == 0 || n < o->repeat); i++) {
    double w0 = wts_now_ms(), c0 = mg_cpu_ms();
    err = wts_infer(ctx, in, 0, out);
    double w = wts_now_ms() - w0, c = mg_cpu_ms() - c0;
    if (!err && o->output && i == 0)
      err = wts_write_file(o->output, out->data, out->len);
    int timed = i == 0 ? o->include_first : i > o->warmup;
    if (!timed)
      continue; /* the first (unless included) and the warm-ups */
    wall[n] = w;
    cpu[n++] = c;
  }
  if (!err && o->repeat)
    printf("inference (%u runs, %u warmup, threads 0): wall median %.3f ms p90 %.3f ms; "
           "cpu median %.3f ms p90 %.3f ms\n", o->repeat, o->warmup,
           mg_pct(wall, n, 0.5), mg_pct(wall, n, 0.9), mg_pct(cpu, n, 0.5),
           mg_pct(cpu, n, 0.9));
  free(wall);
  free(cpu);
  return err ? mg_fail("inference failed for", o->input, err) : 0;
}

int main(int argc, char **argv)
{
  mg_options o;
  if (mg_parse(argc, argv, &o))
    return 2;
  uint8_t *bytes = NULL;
  size_t len = 0;
  uint32_t err = wts_read_file(o.input, &bytes, &len);
  if (err)
    return mg_fail("cannot read input", o.input, err);
  wasi_nn_tensor in;
  err = wts_tensor_init(&in, o.dims, o.ndims, WASI_NN_TYPE_F32, bytes, len);
  wasi_nn_exec_ctx ctx;
  wts_buffer out = {0};
  int rc = err ? mg_fail("input does not match --shape", o.input, err)
               : mg_open(&o, &ctx);
  if (!rc)
    rc = mg_loop(&o, ctx, &in, &out);
  wts_buffer_free(&out);
  free(bytes);
  return rc;
}
