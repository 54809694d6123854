/*
** draw.c — box outlines, text tabs and PNG encoding for the detect guest.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Weverything"
#include <stb/stb_easy_font.h>
#pragma clang diagnostic pop
#include <stb/stb_image_write.h>

#include "coco.h"
#include "draw.h"

/* A canvas: packed RGB8, rows of 3·w bytes. */
typedef struct canvas {
  uint8_t *px;
  int w, h;
} canvas;

void draw_class_colour(int cls, uint8_t rgb[3])
{
  static const uint8_t k_palette[10][3] = {
      {255, 56, 56},  {255, 157, 151}, {255, 112, 31}, {255, 178, 29},
      {207, 210, 49}, {72, 249, 10},   {26, 147, 52},  {0, 212, 187},
      {52, 69, 147},  {255, 55, 199}};
  int i = cls < 0 ? 0 : cls % 10;
  memcpy(rgb, k_palette[i], 3);
}

/* Clamp v to [0, limit] before converting: a float → int cast of NaN or of
** an out-of-range value is undefined behaviour. */
static int to_px(float v, int limit)
{
  if (!(v > 0.0f))
    return 0;
  if (v >= (float)limit)
    return limit;
  return (int)v;
}

/* Fill [x0,x1)×[y0,y1), clipped to the canvas. */
static void fill(const canvas *c, int x0, int y0, int x1, int y1,
                 const uint8_t rgb[3])
{
  x0 = x0 < 0 ? 0 : x0;
  y0 = y0 < 0 ? 0 : y0;
  x1 = x1 > c->w ? c->w : x1;
  y1 = y1 > c->h ? c->h : y1;
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      memcpy(c->px + ((size_t)y * (size_t)c->w + (size_t)x) * 3, rgb, 3);
}

/*
** Render `text` at (x, y) with stb_easy_font, which emits axis-aligned
** quads (4 vertices of 16 bytes: x, y, z floats and RGBA); each quad
** becomes a filled rectangle scaled by `s`.
*/
static void text(const canvas *c, int x, int y, int s, char *str,
                 const uint8_t rgb[3])
{
  float vbuf[4 * 4 * 256];
  int quads = stb_easy_font_print(0, 0, str, NULL, vbuf, (int)sizeof vbuf);
  for (int q = 0; q < quads; q++) {
    const float *v0 = vbuf + q * 16, *v2 = v0 + 8;
    fill(c, x + (int)v0[0] * s, y + (int)v0[1] * s, x + (int)v2[0] * s,
         y + (int)v2[1] * s, rgb);
  }
}

/* Outline plus a tab with the label above the box (inside if no room). */
static void one_box(const canvas *c, const pp_box *b, int t, int s)
{
  uint8_t col[3], ink[3] = {255, 255, 255};
  draw_class_colour(b->cls, col);
  int x1 = to_px(b->x1, c->w), y1 = to_px(b->y1, c->h);
  int x2 = to_px(b->x2, c->w), y2 = to_px(b->y2, c->h);
  fill(c, x1, y1, x2, y1 + t, col);
  fill(c, x1, y2 - t, x2, y2, col);
  fill(c, x1, y1, x1 + t, y2, col);
  fill(c, x2 - t, y1, x2, y2, col);
  char label[64];
  snprintf(label, sizeof label, "%s %.2f", coco_name(b->cls), (double)b->score);
  int tw = (stb_easy_font_width(label) + 2) * s;
  int th = (stb_easy_font_height(label) + 2) * s;
  int ty = y1 - th >= 0 ? y1 - th : y1;
  fill(c, x1, ty, x1 + tw, ty + th, col);
  text(c, x1 + s, ty + s, s, label, ink);
}

void draw_boxes(uint8_t *rgb, int w, int h, const pp_box *boxes, size_t n)
{
  canvas c = {rgb, w, h};
  int small = w < h ? w : h;
  int t = small / 160 > 2 ? small / 160 : 2;
  int s = small >= 480 ? 2 : 1;
  /* Lowest score first, so the strongest boxes end up on top. */
  for (size_t i = n; i-- > 0;)
    one_box(&c, &boxes[i], t, s);
}

/* Growable byte buffer for stb_image_write's callback. */
typedef struct membuf {
  uint8_t *data;
  size_t len, cap;
  int failed;
} membuf;

static void append(void *ctx, void *data, int size)
{
  membuf *m = ctx;
  if (m->failed || size <= 0)
    return;
  if (m->len + (size_t)size > m->cap) {
    size_t cap = m->cap ? m->cap : 65536;
    while (cap < m->len + (size_t)size)
      cap *= 2;
    uint8_t *p = realloc(m->data, cap);
    if (!p) {
      m->failed = 1;
      return;
    }
    m->data = p;
    m->cap = cap;
  }
  memcpy(m->data + m->len, data, (size_t)size);
  m->len += (size_t)size;
}

int draw_encode_png(const uint8_t *rgb, int w, int h, uint8_t **png,
                    size_t *len)
{
  membuf m = {0};
  int ok = stbi_write_png_to_func(append, &m, w, h, 3, rgb, w * 3);
  if (!ok || m.failed) {
    free(m.data);
    *png = NULL;
    return -1;
  }
  *png = m.data;
  *len = m.len;
  return 0;
}
