/*
** classify.c — ImageNet classification of one image through WASI-NN.
**
**   classify [--model NAME | --model-file PATH] [--labels PATH] [--repeat N]
**            [--dump-input PATH] [--dump-output PATH] IMAGE
**
** Decodes a JPEG/PNG, resizes it to 224×224, normalises it with the
** ImageNet mean/std into a [1,3,224,224] f32 CHW tensor, runs the model
** (default: the host-preloaded "mobilenet") and prints the top-5 classes
** with softmax probabilities and the time each stage took in the guest.
** Exit status: 0 success, 1 runtime failure, 2 usage error.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "labels.h"
#include "wasitorch_sdk.h"

#define SIDE 224
#define TOPK 5

/* Command-line settings; strings point into argv. */
typedef struct options {
  const char *model_name;
  const char *model_file;
  const char *labels;
  const char *dump_input;
  const char *dump_output;
  const char *image;
  unsigned repeat;
} options;

static void usage(FILE *to)
{
  fputs("usage: classify [options] IMAGE\n"
        "Classify a JPEG/PNG image with an ImageNet model through WASI-NN.\n"
        "\n"
        "  --model NAME        model preloaded by the host (default: mobilenet)\n"
        "  --model-file PATH   read a TorchScript file and pass its bytes to load\n"
        "  --labels PATH       class names, one per line (imagenet_classes.txt)\n"
        "  --repeat N          run inference N times, report median and p90\n"
        "  --dump-input PATH   write the raw f32 input tensor (602112 bytes)\n"
        "  --dump-output PATH  write the raw output tensor bytes\n"
        "  --help              show this help\n",
        to);
}

/*
** Fill `o` from argv. Returns 0 to run, 1 after --help, 2 on a usage error
** (message already printed).
*/
static int parse_args(int argc, char **argv, options *o)
{
  static const char *const names[] = {"--model", "--model-file", "--labels",
                                      "--repeat", "--dump-input",
                                      "--dump-output"};
  const char **slots[] = {&o->model_name, &o->model_file, &o->labels, NULL,
                          &o->dump_input, &o->dump_output};
  memset(o, 0, sizeof *o);
  o->repeat = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = NULL;
    int missing = 0;
    size_t k = 0;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return 1;
    }
    if (a[0] != '-' || a[1] == '\0') {
      if (o->image) {
        fprintf(stderr, "classify: more than one image given ('%s')\n", a);
        return 2;
      }
      o->image = a;
      continue;
    }
    for (; k < sizeof names / sizeof names[0]; k++)
      if ((v = wts_option_value(argc, argv, &i, names[k], &missing)) || missing)
        break;
    if (missing || !v) {
      fprintf(stderr, missing ? "classify: %s needs a value\n"
                              : "classify: unknown option '%s'\n", a);
      return 2;
    }
    if (slots[k]) {
      *slots[k] = v;
    } else if (wts_parse_count(v, 1000000, &o->repeat) != 0) {
      fprintf(stderr, "classify: --repeat wants a count 1..1000000, not '%s'\n", v);
      return 2;
    }
  }
  if (!o->image) {
    fputs("classify: no image given (try --help)\n", stderr);
    return 2;
  }
  if (o->model_name && o->model_file) {
    fputs("classify: give --model or --model-file, not both\n", stderr);
    return 2;
  }
  if (!o->model_name)
    o->model_name = "mobilenet";
  return 0;
}

/* Report a failed SDK/WASI-NN call under this program's name (wts_report),
** which names the errno, or for file errors gives the C library's reason. */
static int fail(const char *what, const char *subject, uint32_t err)
{
  return wts_report("classify", what, subject, err);
}

/*
** Read, decode and preprocess the image into chw (3*SIDE*SIDE floats),
** adding the stage times to *t_decode and *t_pre.
*/
static int prepare_input(const char *path, float *chw, double *t_decode,
                         double *t_pre)
{
  uint8_t *bytes;
  size_t len;
  uint32_t err = wts_read_file(path, &bytes, &len);
  if (err)
    return fail("cannot read image", path, err);
  double t0 = wts_now_ms();
  img_rgb img;
  const char *why = NULL;
  int rc = img_decode(bytes, len, &img, &why);
  free(bytes);
  if (rc != 0) {
    fprintf(stderr, "classify: cannot decode image '%s': %s\n", path,
            why ? why : "unknown reason");
    return 1;
  }
  double t1 = wts_now_ms();
  rc = img_to_chw(&img, SIDE, chw);
  double t2 = wts_now_ms();
  printf("image       %s: %dx%d, %d channel(s)\n", path, img.width,
         img.height, img.channels_in_file);
  img_free(&img);
  if (rc != 0) {
    fputs("classify: resizing failed (out of memory)\n", stderr);
    return 1;
  }
  *t_decode = t1 - t0;
  *t_pre = t2 - t1;
  return 0;
}

/* Load the model (by name or from a file) and open one execution context. */
static int open_model(const options *o, wasi_nn_exec_ctx *ctx)
{
  wasi_nn_graph g;
  uint32_t err;
  if (o->model_file) {
    err = wts_load_file(o->model_file, WASI_NN_ENCODING_PYTORCH,
                        WASI_NN_TARGET_CPU, &g);
    if (err)
      return fail("cannot load model file", o->model_file, err);
  } else {
    err = wts_load_name(o->model_name, &g);
    if (err)
      return fail("cannot load model", o->model_name, err);
  }
  err = wasi_nn_init_execution_context(g, ctx);
  if (err)
    return fail("cannot create execution context for",
                o->model_file ? o->model_file : o->model_name, err);
  return 0;
}

/*
** Run set_input+compute+get_output `repeat` times and print the first
** latency, and with repeat > 1 the median and nearest-rank p90 over all runs.
*/
static int run_inference(const options *o, wasi_nn_exec_ctx ctx,
                         const wasi_nn_tensor *in, wts_buffer *out)
{
  double *lat = malloc(sizeof(double) * o->repeat);
  if (!lat)
    return fail("cannot run", "inference", WTS_ERR_NOMEM);
  for (unsigned r = 0; r < o->repeat; r++) {
    double t0 = wts_now_ms();
    uint32_t err = wts_infer(ctx, in, 0, out);
    lat[r] = wts_now_ms() - t0;
    if (err) {
      free(lat);
      return fail("inference failed for model",
                  o->model_file ? o->model_file : o->model_name, err);
    }
  }
  printf("inference   %8.2f ms\n", lat[0]);
  if (o->repeat > 1) {
    double median, p90;
    wts_latency_stats(lat, o->repeat, &median, &p90);
    printf("repeat      %u runs: median %.2f ms, p90 %.2f ms, min %.2f ms\n",
           o->repeat, median, p90, lat[0]);
  }
  free(lat);
  return 0;
}

/* Print the top-5 of the logits with softmax probabilities and names. */
static int print_top(const wts_buffer *out, const labels *names)
{
  if (out->len == 0 || out->len % sizeof(float) != 0) {
    fprintf(stderr, "classify: output of %u bytes is not an f32 vector\n",
            (unsigned)out->len);
    return 1;
  }
  size_t n = out->len / sizeof(float);
  float *prob = malloc(out->len);
  if (!prob)
    return fail("cannot rank", "output", WTS_ERR_NOMEM);
  memcpy(prob, out->data, out->len); /* aligned copy of the raw bytes */
  wts_softmax(prob, prob, n);
  uint32_t idx[TOPK];
  size_t k = wts_topk(prob, n, TOPK, idx);
  printf("top-%zu of %zu classes:\nrank  class  probability  name\n", k, n);
  for (size_t r = 0; r < k; r++)
    printf("%4zu  %5u  %11.6f  %s\n", r + 1, (unsigned)idx[r],
           (double)prob[idx[r]], labels_get(names, idx[r]));
  free(prob);
  return 0;
}

/* Write one dump file if asked; a failure is reported but is fatal. */
static int dump(const char *path, const void *data, size_t len)
{
  if (!path)
    return 0;
  uint32_t err = wts_write_file(path, data, len);
  return err ? fail("cannot write", path, err) : 0;
}

/* Steps after the input exists: model, inference, dumps, report. */
static int classify(const options *o, const float *chw, const labels *names)
{
  static const uint32_t dims[4] = {1, 3, SIDE, SIDE};
  const size_t in_bytes = sizeof(float) * 3 * SIDE * SIDE;
  wasi_nn_tensor in;
  wasi_nn_exec_ctx ctx;
  wts_buffer out = {0};
  uint32_t err = wts_tensor_init(&in, dims, 4, WASI_NN_TYPE_F32, chw, in_bytes);
  if (err)
    return fail("bad input tensor for", o->image, err);
  double t0 = wts_now_ms();
  int rc = open_model(o, &ctx);
  if (rc)
    return rc;
  printf("load        %8.2f ms  (%s %s)\n", wts_now_ms() - t0,
         o->model_file ? "file" : "model", o->model_file ? o->model_file
                                                         : o->model_name);
  rc = run_inference(o, ctx, &in, &out);
  if (!rc)
    rc = dump(o->dump_output, out.data, out.len);
  if (!rc)
    rc = print_top(&out, names);
  /* No finalize_execution_context: it is a WasmEdge extension, and merely
  ** importing it would stop this module from linking on Wasmtime. */
  wts_buffer_free(&out);
  return rc;
}

int main(int argc, char **argv)
{
  options o;
  int rc = parse_args(argc, argv, &o);
  if (rc)
    return rc == 1 ? 0 : 2;
  labels names = {0};
  if (o.labels && labels_load(o.labels, &names) != 0) {
    fprintf(stderr, "classify: cannot read labels '%s': %s\n", o.labels,
            strerror(errno));
    return 1;
  }
  const size_t in_bytes = sizeof(float) * 3 * SIDE * SIDE;
  float *chw = malloc(in_bytes);
  double t_dec = 0, t_pre = 0;
  rc = chw ? prepare_input(o.image, chw, &t_dec, &t_pre)
           : fail("cannot allocate", "input", WTS_ERR_NOMEM);
  if (!rc) {
    printf("decode      %8.2f ms\npreprocess  %8.2f ms\n", t_dec, t_pre);
    rc = dump(o.dump_input, chw, in_bytes);
  }
  if (!rc)
    rc = classify(&o, chw, &names);
  free(chw);
  labels_free(&names);
  return rc;
}
