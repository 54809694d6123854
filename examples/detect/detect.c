/*
** detect.c — YOLOv8 object detection of one image through WASI-NN.
**
**   detect [--model NAME | --model-file PATH] [--conf C] [--iou T]
**          [--out PNG] [--repeat N] [--dump-input PATH] [--dump-output PATH]
**          IMAGE
**
** Decodes a JPEG/PNG, letterboxes it into a [1,3,640,640] f32 tensor (RGB,
** /255, grey 114 padding), runs the model (default: the host-preloaded
** "yolov8n"), decodes the [1,84,8400] output, applies class-aware NMS,
** prints the detections in original image coordinates and optionally
** writes the image with the boxes drawn. Exit status: 0 success, 1 runtime
** failure, 2 usage error.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coco.h"
#include "draw.h"
#include "image.h"
#include "letterbox.h"
#include "postproc.h"
#include "wasitorch_sdk.h"

#define SIDE 640
#define MAX_DET 300

/* Command-line settings; strings point into argv. */
typedef struct options {
  const char *model_name;
  const char *model_file;
  const char *out_png;
  const char *dump_input;
  const char *dump_output;
  const char *image;
  float conf, iou;
  unsigned repeat;
} options;

/* Milliseconds spent in each stage, printed at the end. */
typedef struct timings {
  double decode, letterbox, load, infer, post, draw;
} timings;

static void usage(FILE *to)
{
  fputs("usage: detect [options] IMAGE\n"
        "Detect objects in a JPEG/PNG image with a YOLOv8 model through WASI-NN.\n"
        "\n"
        "  --model NAME        model preloaded by the host (default: yolov8n)\n"
        "  --model-file PATH   read a TorchScript file and pass its bytes to load\n"
        "  --conf C            score threshold, 0 <= C < 1 (default 0.25)\n"
        "  --iou T             NMS IoU threshold, 0 < T <= 1 (default 0.45)\n"
        "  --out PATH          write the image with boxes drawn as PNG\n"
        "  --repeat N          run inference N times, report median and p90\n"
        "  --dump-input PATH   write the raw f32 input tensor (4915200 bytes)\n"
        "  --dump-output PATH  write the raw output tensor bytes\n"
        "  --help              show this help\n",
        to);
}

/* Parse a float within [lo, hi] (or [lo, hi) when !hi_incl); NaN fails. */
static int parse_unit(const char *s, float lo, float hi, int hi_incl, float *out)
{
  char *end;
  errno = 0;
  float v = strtof(s, &end);
  if (end == s || *end || errno || !(v >= lo) || v > hi || (!hi_incl && v == hi))
    return -1;
  *out = v;
  return 0;
}

/* Store the value of option k (index into the table of parse_args). */
static int set_option(options *o, size_t k, const char *v)
{
  const char **strs[] = {&o->model_name, &o->model_file, &o->out_png,
                         &o->dump_input, &o->dump_output};
  if (k < 5) {
    *strs[k] = v;
    return 0;
  }
  if (k == 5 && wts_parse_count(v, 1000000, &o->repeat) == 0)
    return 0;
  if (k == 6 && parse_unit(v, 0.0f, 1.0f, 0, &o->conf) == 0)
    return 0;
  if (k == 7 && parse_unit(v, 0.0f, 1.0f, 1, &o->iou) == 0 && o->iou > 0.0f)
    return 0;
  static const char *const want[] = {"a count 1..1000000", "a score 0 <= C < 1",
                                     "an IoU 0 < T <= 1"};
  fprintf(stderr, "detect: %s wants %s, not '%s'\n",
          k == 5 ? "--repeat" : k == 6 ? "--conf" : "--iou", want[k - 5], v);
  return -1;
}

/*
** Fill `o` from argv. Returns 0 to run, 1 after --help, 2 on a usage error
** (message already printed).
*/
static int parse_args(int argc, char **argv, options *o)
{
  static const char *const names[] = {"--model", "--model-file", "--out",
                                      "--dump-input", "--dump-output",
                                      "--repeat", "--conf", "--iou"};
  memset(o, 0, sizeof *o);
  o->repeat = 1;
  o->conf = 0.25f;
  o->iou = 0.45f;
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
        fprintf(stderr, "detect: more than one image given ('%s')\n", a);
        return 2;
      }
      o->image = a;
      continue;
    }
    for (; k < sizeof names / sizeof names[0]; k++)
      if ((v = wts_option_value(argc, argv, &i, names[k], &missing)) || missing)
        break;
    if (missing || !v) {
      fprintf(stderr, missing ? "detect: %s needs a value\n"
                              : "detect: unknown option '%s'\n", a);
      return 2;
    }
    if (set_option(o, k, v) != 0)
      return 2;
  }
  if (!o->image) {
    fputs("detect: no image given (try --help)\n", stderr);
    return 2;
  }
  if (o->model_name && o->model_file) {
    fputs("detect: give --model or --model-file, not both\n", stderr);
    return 2;
  }
  if (!o->model_name)
    o->model_name = "yolov8n";
  return 0;
}

/* Report a failed SDK/WASI-NN call under this program's name (wts_report),
** which names the errno, or for file errors gives the C library's reason. */
static int fail(const char *what, const char *subject, uint32_t err)
{
  return wts_report("detect", what, subject, err);
}

/* Read and decode the image into *img (RGB8), timing the decode. */
static int load_image(const char *path, img_rgb *img, timings *t)
{
  uint8_t *bytes;
  size_t len;
  uint32_t err = wts_read_file(path, &bytes, &len);
  if (err)
    return fail("cannot read image", path, err);
  double t0 = wts_now_ms();
  const char *why = NULL;
  int rc = img_decode(bytes, len, img, &why);
  free(bytes);
  t->decode = wts_now_ms() - t0;
  if (rc != 0) {
    fprintf(stderr, "detect: cannot decode image '%s': %s\n", path,
            why ? why : "unknown reason");
    return 1;
  }
  printf("image       %s: %dx%d, %d channel(s)\n", path, img->width,
         img->height, img->channels_in_file);
  return 0;
}

/* Letterbox the image into chw and report where it landed. */
static int prepare_input(const img_rgb *img, float *chw, lb_geom *g,
                         timings *t)
{
  double t0 = wts_now_ms();
  if (lb_compute(img->width, img->height, SIDE, g) != 0 ||
      lb_to_chw(img->pixels, g, chw) != 0) {
    fputs("detect: letterboxing failed (out of memory)\n", stderr);
    return 1;
  }
  t->letterbox = wts_now_ms() - t0;
  printf("geometry    %dx%d -> %dx%d at (%d,%d) in %dx%d, scale %.6f\n",
         g->src_w, g->src_h, g->new_w, g->new_h, g->left, g->top, SIDE, SIDE,
         (double)g->scale);
  return 0;
}

/* Load the model (by name or from a file) and open one execution context. */
static int open_model(const options *o, wasi_nn_exec_ctx *ctx, timings *t)
{
  wasi_nn_graph g;
  uint32_t err;
  double t0 = wts_now_ms();
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
  t->load = wts_now_ms() - t0;
  return 0;
}

/*
** Run set_input+compute+get_output `repeat` times; the first latency goes
** to t->infer, and with repeat > 1 the median and nearest-rank p90 over all
** runs are printed.
*/
static int run_inference(const options *o, wasi_nn_exec_ctx ctx,
                         const wasi_nn_tensor *in, wts_buffer *out,
                         timings *t)
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
  t->infer = lat[0];
  if (o->repeat > 1) {
    double median, p90;
    wts_latency_stats(lat, o->repeat, &median, &p90);
    printf("repeat      %u runs: median %.2f ms, p90 %.2f ms, min %.2f ms\n",
           o->repeat, median, p90, lat[0]);
  }
  free(lat);
  return 0;
}

/* Write one file if asked; a failure is reported and is fatal. */
static int dump(const char *path, const void *data, size_t len)
{
  if (!path)
    return 0;
  uint32_t err = wts_write_file(path, data, len);
  return err ? fail("cannot write", path, err) : 0;
}

/*
** Decode the raw [1, 4+80, anchors] output into boxes in image
** coordinates: candidates above conf, class-aware NMS, un-letterbox.
** On success *boxes (malloc'ed) holds *n boxes, best first.
*/
static int postprocess(const options *o, const wts_buffer *out,
                       const lb_geom *g, pp_box **boxes, size_t *n,
                       size_t *candidates)
{
  const size_t rows = 4 + COCO_CLASSES;
  size_t anchors = out->len / sizeof(float) / rows;
  if (anchors == 0 || out->len != anchors * rows * sizeof(float)) {
    fprintf(stderr, "detect: output of %u bytes is not a [1,%zu,N] f32 tensor\n",
            (unsigned)out->len, rows);
    return 1;
  }
  float *best = malloc(anchors * sizeof *best);
  int *cls = malloc(anchors * sizeof *cls);
  *boxes = malloc(anchors * sizeof **boxes);
  if (!best || !cls || !*boxes) {
    free(best);
    free(cls);
    free(*boxes);
    *boxes = NULL;
    return fail("cannot decode", "output", WTS_ERR_NOMEM);
  }
  /* wts_buffer data comes from malloc, so it is aligned for float. */
  const float *raw = (const float *)(const void *)out->data;
  *candidates = pp_candidates(raw, COCO_CLASSES, anchors, o->conf, best, cls,
                              *boxes);
  pp_params p = {o->conf, o->iou, MAX_DET};
  *n = pp_nms(*boxes, *candidates, &p);
  pp_unletterbox(*boxes, *n, g);
  free(best);
  free(cls);
  return 0;
}

/* The detection table; tools/detect_reference.py prints the same format. */
static void print_boxes(const options *o, const pp_box *b, size_t n,
                        size_t candidates)
{
  printf("detections  %zu of %zu candidates (conf %.2f, iou %.2f)\n", n,
         candidates, (double)o->conf, (double)o->iou);
  printf("   #  class    score        x1        y1        x2        y2  name\n");
  for (size_t i = 0; i < n; i++)
    printf("%4zu  %5d  %.5f  %8.2f  %8.2f  %8.2f  %8.2f  %s\n", i + 1, b[i].cls,
           (double)b[i].score, (double)b[i].x1, (double)b[i].y1,
           (double)b[i].x2, (double)b[i].y2, coco_name(b[i].cls));
}

/* Draw the boxes onto the decoded image and write it as PNG. */
static int annotate(const options *o, img_rgb *img, const pp_box *b,
                    size_t n, timings *t)
{
  if (!o->out_png)
    return 0;
  double t0 = wts_now_ms();
  draw_boxes(img->pixels, img->width, img->height, b, n);
  uint8_t *png;
  size_t len;
  if (draw_encode_png(img->pixels, img->width, img->height, &png, &len) != 0)
    return fail("cannot encode", o->out_png, WTS_ERR_NOMEM);
  int rc = dump(o->out_png, png, len);
  free(png);
  t->draw = wts_now_ms() - t0;
  if (!rc)
    printf("annotated   %s (%zu bytes)\n", o->out_png, len);
  return rc;
}

/* Model, inference, dumps, post-processing and report for a ready input. */
static int detect(const options *o, const float *chw, img_rgb *img,
                  const lb_geom *g, timings *t)
{
  static const uint32_t dims[4] = {1, 3, SIDE, SIDE};
  const size_t in_bytes = sizeof(float) * 3 * SIDE * SIDE;
  wasi_nn_tensor in;
  wasi_nn_exec_ctx ctx;
  wts_buffer out = {0};
  pp_box *boxes = NULL;
  /* Size the buffer for YOLOv8's [1,84,8400] up front: one get_output
  ** instead of a too_large round trip (the SDK still grows it if needed). */
  out.cap = (uint32_t)(sizeof(float) * (4 + COCO_CLASSES) * 8400);
  out.data = malloc(out.cap);
  if (!out.data)
    out.cap = 0;
  size_t n = 0, candidates = 0;
  uint32_t err = wts_tensor_init(&in, dims, 4, WASI_NN_TYPE_F32, chw, in_bytes);
  if (err)
    return fail("bad input tensor for", o->image, err);
  int rc = open_model(o, &ctx, t);
  if (!rc)
    rc = run_inference(o, ctx, &in, &out, t);
  if (!rc)
    rc = dump(o->dump_output, out.data, out.len);
  if (!rc) {
    double t0 = wts_now_ms();
    rc = postprocess(o, &out, g, &boxes, &n, &candidates);
    t->post = wts_now_ms() - t0;
  }
  if (!rc) {
    print_boxes(o, boxes, n, candidates);
    rc = annotate(o, img, boxes, n, t);
  }
  /* No finalize_execution_context: a WasmEdge extension (see classify.c). */
  free(boxes);
  wts_buffer_free(&out);
  return rc;
}

static void print_timings(const timings *t)
{
  printf("decode      %8.2f ms\nletterbox   %8.2f ms\nload        %8.2f ms\n"
         "inference   %8.2f ms\npostprocess %8.2f ms\nannotate    %8.2f ms\n",
         t->decode, t->letterbox, t->load, t->infer, t->post, t->draw);
}

int main(int argc, char **argv)
{
  options o;
  int rc = parse_args(argc, argv, &o);
  if (rc)
    return rc == 1 ? 0 : 2;
  timings t = {0};
  img_rgb img = {0};
  lb_geom g;
  const size_t in_bytes = sizeof(float) * 3 * SIDE * SIDE;
  float *chw = NULL;
  rc = load_image(o.image, &img, &t);
  if (!rc && !(chw = malloc(in_bytes)))
    rc = fail("cannot allocate", "input", WTS_ERR_NOMEM);
  if (!rc)
    rc = prepare_input(&img, chw, &g, &t);
  if (!rc)
    rc = dump(o.dump_input, chw, in_bytes);
  if (!rc)
    rc = detect(&o, chw, &img, &g, &t);
  if (!rc)
    print_timings(&t);
  free(chw);
  img_free(&img);
  return rc;
}
