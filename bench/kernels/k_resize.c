/*
 * k_resize.c — image preprocessing kernel (prefix rz_): bilinear resize of
 * an interleaved RGB u8 image and ImageNet normalisation into planar CHW f32,
 * the work a classifier or detector guest does before every inference.
 *
 * The resize is separable, as in production resizers: for each output row a
 * horizontal pass blends the two source rows it needs into planar float rows
 * (gathers, hard to vectorise), then a vertical pass blends those and applies
 * (v/255 - mean) / std per channel (contiguous, vectorises well). Sampling
 * uses half-pixel centres like torchvision / OpenCV INTER_LINEAR.
 *
 * Built with -DBK_HAND_SIMD (and -msimd128) the two passes come from
 * k_resize_simd.h, written with wasm_simd128.h intrinsics. Both versions do
 * the same IEEE operations in the same order per element, so every build
 * prints the same checksum.
 */
#include "bk_common.h"

#define RZ_MAX_W 1920
#define RZ_MAX_OUT 640

typedef struct {
  int w, h;
  uint8_t *px; /* h rows of w*3 bytes, RGB interleaved */
} rz_image;

typedef struct {
  int ow, oh;
  int x0[RZ_MAX_OUT], x1[RZ_MAX_OUT];
  float fx[RZ_MAX_OUT];
  float top[3][RZ_MAX_OUT], bot[3][RZ_MAX_OUT]; /* horizontally blended rows */
  float scale[3], bias[3];                      /* folded ImageNet normalisation */
} rz_plan;

/* Source pixel coordinate for output index i (half-pixel centres, clamped). */
static void rz_coord(int i, int in, int out, int *i0, int *i1, float *f) {
  float s = ((float)i + 0.5f) * ((float)in / (float)out) - 0.5f;
  if (s < 0.0f) s = 0.0f;
  int a = (int)s;
  if (a > in - 1) a = in - 1;
  *i0 = a;
  *i1 = a + 1 < in ? a + 1 : in - 1;
  *f = s - (float)a;
}

static void rz_plan_init(rz_plan *p, int in_w, int ow, int oh) {
  static const float mean[3] = {0.485f, 0.456f, 0.406f}, sd[3] = {0.229f, 0.224f, 0.225f};
  p->ow = ow;
  p->oh = oh;
  for (int x = 0; x < ow; x++) rz_coord(x, in_w, ow, &p->x0[x], &p->x1[x], &p->fx[x]);
  for (int c = 0; c < 3; c++) {
    p->scale[c] = 1.0f / (255.0f * sd[c]);
    p->bias[c] = -mean[c] / sd[c];
  }
}

#if defined(BK_HAND_SIMD)
#include "k_resize_simd.h"
#else
/* Blends source row `row` horizontally into planar dst[c][x]. */
static void rz_hpass(const rz_plan *p, const uint8_t *row, float dst[3][RZ_MAX_OUT]) {
  for (int c = 0; c < 3; c++)
    for (int x = 0; x < p->ow; x++) {
      float a = (float)row[p->x0[x] * 3 + c], b = (float)row[p->x1[x] * 3 + c];
      dst[c][x] = a + (b - a) * p->fx[x];
    }
}

/* Blends the two planar rows vertically and normalises into out[c] rows. */
static void rz_vpass(const rz_plan *p, float fy, float *out, size_t plane) {
  for (int c = 0; c < 3; c++) {
    const float *t = p->top[c], *b = p->bot[c];
    float *o = out + (size_t)c * plane;
    float sc = p->scale[c], bi = p->bias[c];
    for (int x = 0; x < p->ow; x++) {
      float v = t[x] + (b[x] - t[x]) * fy;
      o[x] = v * sc + bi;
    }
  }
}
#endif

/* Resizes img to ow x oh and normalises into out (3 planes of ow*oh). */
static void rz_resize(rz_plan *p, const rz_image *img, int ow, int oh, float *out) {
  rz_plan_init(p, img->w, ow, oh);
  size_t plane = (size_t)ow * (size_t)oh;
  for (int y = 0; y < oh; y++) {
    int y0, y1;
    float fy;
    rz_coord(y, img->h, oh, &y0, &y1, &fy);
    rz_hpass(p, img->px + (size_t)y0 * (size_t)img->w * 3, p->top);
    rz_hpass(p, img->px + (size_t)y1 * (size_t)img->w * 3, p->bot);
    rz_vpass(p, fy, out + (size_t)y * (size_t)ow, plane);
  }
}

/* Smooth gradients plus noise, so neighbouring pixels differ realistically. */
static void rz_image_fill(rz_image *img, uint32_t seed) {
  bk_rng r;
  bk_seed(&r, seed);
  for (int y = 0; y < img->h; y++)
    for (int x = 0; x < img->w; x++) {
      uint8_t *px = img->px + ((size_t)y * (size_t)img->w + (size_t)x) * 3;
      uint32_t n = bk_next(&r);
      px[0] = (uint8_t)((x * 255 / img->w + (n & 31)) & 0xff);
      px[1] = (uint8_t)((y * 255 / img->h + ((n >> 5) & 31)) & 0xff);
      px[2] = (uint8_t)(((x + y) * 3 + ((n >> 10) & 63)) & 0xff);
    }
}

/* Hashes every 7th output value (hashing all would cost more than resizing). */
static uint32_t rz_hash(uint32_t h, const float *out, size_t n) {
  for (size_t i = 0; i < n; i += 7) h = bk_hash_f32(h, out[i]);
  return bk_hash_f32(h, out[n - 1]);
}

int main(int argc, char **argv) {
  static const int jobs[][4] = {/* in_w, in_h, out_w, out_h */
                                {640, 480, 224, 224},
                                {1280, 720, 320, 320},
                                {1920, 1080, 640, 640},
                                {800, 600, 256, 256}};
  int scale = bk_scale(argc, argv), njobs = (int)(sizeof jobs / sizeof jobs[0]);
  rz_image img[4];
  rz_plan *plan = malloc(sizeof *plan);
  float *out = malloc(sizeof(float) * 3 * RZ_MAX_OUT * RZ_MAX_OUT);
  if (!plan || !out) return 1;
  for (int j = 0; j < njobs; j++) {
    img[j].w = jobs[j][0];
    img[j].h = jobs[j][1];
    img[j].px = malloc((size_t)img[j].w * (size_t)img[j].h * 3);
    if (!img[j].px) return 1;
    rz_image_fill(&img[j], 0x5eed0000u + (uint32_t)j);
  }
  bk_timer t;
  bk_timer_start(&t);
  uint32_t sum = BK_HASH_INIT;
  for (int it = 0; it < scale * 6; it++)
    for (int j = 0; j < njobs; j++) {
      rz_resize(plan, &img[j], jobs[j][2], jobs[j][3], out);
      sum = rz_hash(sum, out, (size_t)3 * (size_t)jobs[j][2] * (size_t)jobs[j][3]);
    }
  bk_report(&t, "resize", scale, sum);
  for (int j = 0; j < njobs; j++) free(img[j].px);
  free(out);
  free(plan);
  return 0;
}
