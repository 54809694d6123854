/*
** test_detect_postproc.c — native unit tests of examples/detect's letterbox
** geometry/conversion and YOLOv8 post-processing (postproc.c), run under
** ASan+UBSan in the sanitizer build.
**
** The e2e tests compare the guest with tools/detect_reference.py on real
** model outputs, where ties, NaN and degenerate boxes never happen; these
** cases pin the rules for them, which the reference documents too.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/wt_check.h"
#include "letterbox.h"
#include "postproc.h"

static pp_box box(float x1, float y1, float x2, float y2, float score, int cls,
                  uint32_t anchor)
{
  pp_box b = {x1, y1, x2, y2, score, cls, anchor};
  return b;
}

static void test_iou(void)
{
  pp_box a = box(0, 0, 10, 10, 1, 0, 0), b = box(5, 0, 15, 10, 1, 0, 1);
  CHECK(pp_iou(&a, &a) == 1.0f);
  CHECK(fabsf(pp_iou(&a, &b) - 1.0f / 3.0f) < 1e-7f);
  pp_box far = box(20, 20, 30, 30, 1, 0, 2), touch = box(10, 0, 20, 10, 1, 0, 3);
  CHECK(pp_iou(&a, &far) == 0.0f);
  CHECK(pp_iou(&a, &touch) == 0.0f); /* shared edge: no area in common */
  pp_box flat = box(0, 5, 10, 5, 1, 0, 4), nan = box(NAN, 0, 10, 10, 1, 0, 5);
  CHECK(pp_iou(&flat, &flat) == 0.0f); /* zero area, zero union */
  float v = pp_iou(&a, &nan);
  CHECK(v == v); /* never NaN */
}

/* raw output with 3 classes over 4 anchors: rows cx, cy, w, h, s0, s1, s2. */
static void test_candidates(void)
{
  const float raw[7 * 4] = {
      10, 20, 30, 40,         /* cx */
      10, 20, 30, 40,         /* cy */
      4, 4, 6, 8,             /* w */
      2, 2, 2, 2,             /* h */
      0.5f, 0.9f, NAN, 0.3f,  /* class 0 */
      0.5f, 0.2f, 0.8f, NAN,  /* class 1 */
      0.1f, 0.9f, 0.7f, 0.3f, /* class 2 */
  };
  float best[4];
  int cls[4];
  pp_box out[4];
  size_t n = pp_candidates(raw, 3, 4, 0.3f, best, cls, out);
  CHECK(n == 3); /* anchor 3: best 0.3 is not > 0.3 */
  CHECK(out[0].anchor == 0 && out[0].cls == 0); /* tie 0.5/0.5: lower class */
  CHECK(out[1].anchor == 1 && out[1].cls == 0); /* tie 0.9/0.9 */
  CHECK(out[2].anchor == 2 && out[2].cls == 1 && out[2].score == 0.8f);
  CHECK(out[0].x1 == 8 && out[0].x2 == 12 && out[0].y1 == 9 && out[0].y2 == 11);
  /* An all-NaN anchor never becomes a candidate. */
  const float all_nan[5] = {1, 1, 1, 1, NAN};
  CHECK(pp_candidates(all_nan, 1, 1, 0.0f, best, cls, out) == 0);
  CHECK(pp_candidates(raw, 0, 4, 0.0f, best, cls, out) == 0);
}

static void test_nms(void)
{
  pp_box b[6] = {
      box(0, 0, 10, 10, 0.5f, 0, 7),   box(1, 0, 11, 10, 0.9f, 0, 3),
      box(1, 0, 11, 10, 0.9f, 1, 2),   box(50, 50, 60, 60, 0.9f, 0, 1),
      box(0, 0, 10, 10, 0.6f, 1, 9),   box(5, 0, 15, 10, 0.7f, 0, 4),
  };
  pp_params p = {0.25f, 0.45f, 300};
  size_t k = pp_nms(b, 6, &p);
  /* Order: the three 0.9s by anchor (1, 2, 3), then 0.7, 0.6, 0.5.
  ** Anchors 2 and 3 are the same box in different classes: both kept.
  ** Anchor 4 overlaps anchor 3 by 60/140 = 0.43: kept. Anchor 9 overlaps
  ** anchor 2 (its class) by 90/110 and anchor 7 anchor 3 by 90/110: both
  ** dropped. */
  CHECK(k == 4);
  CHECK(b[0].anchor == 1 && b[1].anchor == 2 && b[2].anchor == 3);
  CHECK(b[3].anchor == 4);
  pp_box c[3] = {box(0, 0, 10, 10, 0.9f, 0, 0), box(20, 0, 30, 10, 0.8f, 0, 1),
                 box(40, 0, 50, 10, 0.7f, 0, 2)};
  pp_params one = {0.25f, 0.45f, 2};
  CHECK(pp_nms(c, 3, &one) == 2); /* max_det */
  pp_params strict = {0.25f, 1.0f, 300};
  pp_box d[2] = {box(0, 0, 10, 10, 0.9f, 0, 0), box(0, 0, 10, 10, 0.8f, 0, 1)};
  CHECK(pp_nms(d, 2, &strict) == 2); /* IoU 1 is not > 1 */
  CHECK(pp_nms(d, 0, &p) == 0);
}

static void test_unletterbox(void)
{
  lb_geom g;
  CHECK(lb_compute(320, 240, 640, &g) == 0);
  CHECK(g.new_w == 640 && g.new_h == 480 && g.left == 0 && g.top == 80 &&
        g.scale == 2.0f);
  pp_box b[2] = {box(-4, 70, 100, 600, 1, 0, 0), box(NAN, 100, 1e30f, 90, 1, 0, 1)};
  pp_unletterbox(b, 2, &g);
  CHECK(b[0].x1 == 0 && b[0].y1 == 0 && b[0].x2 == 50 && b[0].y2 == 240);
  CHECK(b[1].x2 == 320 && b[1].y1 == 10 && b[1].y2 == 5);
}

static void test_geometry(void)
{
  lb_geom g;
  CHECK(lb_compute(250, 400, 640, &g) == 0);
  CHECK(g.new_w == 400 && g.new_h == 640 && g.left == 120 && g.top == 0);
  CHECK(lb_compute(641, 3, 640, &g) == 0);
  CHECK(g.new_w == 640 && g.new_h == 3 && g.top == 318); /* odd pixel below */
  CHECK(lb_compute(1, 100000, 640, &g) == 0);
  CHECK(g.new_w == 1 && g.new_h == 640 && g.left == 319);
  CHECK(lb_compute(0, 10, 640, &g) == -1);
  CHECK(lb_compute(10, -1, 640, &g) == -1);
}

/* Both paths of lb_to_chw: exact copy and stb_image_resize scaling. */
static void test_to_chw(void)
{
  enum { SIDE = 16 };
  uint8_t rgb[8 * 4 * 3];
  for (size_t i = 0; i < sizeof rgb; i++)
    rgb[i] = (uint8_t)(i * 37);
  float *chw = malloc(sizeof(float) * 3 * SIDE * SIDE);
  lb_geom g;
  CHECK(lb_compute(8, 4, 8, &g) == 0 && g.top == 2 && g.new_h == 4);
  CHECK(lb_to_chw(rgb, &g, chw) == 0);
  const float pad = 114.0f / 255.0f;
  CHECK(chw[0] == pad && chw[8 * 8 - 1] == pad);
  CHECK(chw[2 * 8] == (float)rgb[0] / 255.0f);                /* R of (0,0) */
  CHECK(chw[64 + 2 * 8 + 1] == (float)rgb[3 + 1] / 255.0f);   /* G of (1,0) */
  CHECK(lb_compute(8, 4, SIDE, &g) == 0 && g.new_w == 16 && g.new_h == 8);
  CHECK(lb_to_chw(rgb, &g, chw) == 0);
  int in_range = 1;
  for (size_t i = 0; i < 3 * SIDE * SIDE; i++)
    in_range &= chw[i] >= 0.0f && chw[i] <= 1.0f;
  CHECK(in_range);
  CHECK(chw[0] == pad && chw[4 * SIDE] != pad);
  free(chw);
}

int main(void)
{
  test_iou();
  test_candidates();
  test_nms();
  test_unletterbox();
  test_geometry();
  test_to_chw();
  return wt_check_finish("test_detect_postproc");
}
