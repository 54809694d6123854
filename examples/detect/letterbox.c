/*
** letterbox.c — letterbox preprocessing for YOLO-style detectors.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <stb/stb_image_resize.h>

#include "letterbox.h"

#define LB_PAD 114 /* Ultralytics' grey */

static int clamp_side(double v, int side)
{
  double r = floor(v + 0.5);
  return r < 1 ? 1 : r > side ? side : (int)r;
}

int lb_compute(int src_w, int src_h, int side, lb_geom *g)
{
  if (src_w <= 0 || src_h <= 0 || side <= 0)
    return -1;
  double gw = (double)side / src_w, gh = (double)side / src_h;
  double gain = gw < gh ? gw : gh;
  g->side = side;
  g->src_w = src_w;
  g->src_h = src_h;
  g->new_w = clamp_side(src_w * gain, side);
  g->new_h = clamp_side(src_h * gain, side);
  g->left = (side - g->new_w) / 2;
  g->top = (side - g->new_h) / 2;
  g->scale = (float)gain;
  return 0;
}

/* Resized copy of the image (new_w×new_h RGB8), or the original pixels
** when no scaling is needed (*owned = 0). NULL when out of memory. */
static const uint8_t *scaled(const uint8_t *rgb, const lb_geom *g, int *owned)
{
  *owned = 0;
  if (g->new_w == g->src_w && g->new_h == g->src_h)
    return rgb;
  uint8_t *out = malloc((size_t)g->new_w * (size_t)g->new_h * 3);
  if (!out)
    return NULL;
  int ok = stbir_resize_uint8_generic(
      rgb, g->src_w, g->src_h, 0, out, g->new_w, g->new_h, 0, 3,
      STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, STBIR_FILTER_TRIANGLE,
      STBIR_COLORSPACE_LINEAR, NULL);
  if (!ok) {
    free(out);
    return NULL;
  }
  *owned = 1;
  return out;
}

/*
** Every plane is first filled with the padding value, then the scaled rows
** are converted into place; v / 255.0f is one correctly rounded division,
** so a test can reproduce the tensor bit for bit.
*/
int lb_to_chw(const uint8_t *rgb, const lb_geom *g, float *chw)
{
  int owned;
  const uint8_t *img = scaled(rgb, g, &owned);
  if (!img)
    return -1;
  size_t side = (size_t)g->side, plane = side * side;
  const float pad = (float)LB_PAD / 255.0f;
  for (size_t i = 0; i < 3 * plane; i++)
    chw[i] = pad;
  for (int y = 0; y < g->new_h; y++) {
    const uint8_t *row = img + (size_t)y * (size_t)g->new_w * 3;
    size_t base = ((size_t)(g->top + y)) * side + (size_t)g->left;
    for (int c = 0; c < 3; c++) {
      float *dst = chw + (size_t)c * plane + base;
      for (int x = 0; x < g->new_w; x++)
        dst[x] = (float)row[(size_t)x * 3 + (size_t)c] / 255.0f;
    }
  }
  if (owned)
    free((void *)img);
  return 0;
}
